#!/usr/bin/env bash
# The web app's browser assets (examples/web): Apache ECharts from the npm
# registry, exactly the versions of the committed package-lock.json, into
# examples/web/node_modules/ (ignored by git; the app serves
# echarts.min.js from there, no CDN).  --ignore-scripts: no package runs
# code at install.  Called by scripts/deps.sh; needs npm (Debian's).
set -euo pipefail
cd "$(dirname "$0")/../examples/web"
npm ci --ignore-scripts --no-audit --no-fund
