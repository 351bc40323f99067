#!/usr/bin/env bash
# The functions libcbc exports must be exactly the committed list, all named
# cbc_*, none internal (cbc__*, cbc_store__*).
set -euo pipefail
lib=$1 expected=$2
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRB]$/ {sub(/@.*/, "", $3); print $3}' | sort -u)
bad=$(printf '%s\n' "$actual" | grep -v '^cbc_[a-z0-9_]*$' || true)
internal=$(printf '%s\n' "$actual" | grep '__' || true)
if [ -n "$bad$internal" ]; then
  echo "exported symbols outside the cbc_ namespace or internal:"; printf '%s\n' $bad $internal
  exit 1
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "the exported symbols changed: if that is an addition on purpose, run scripts/abi-update"
  exit 1
fi
echo "exports: $(printf '%s\n' "$actual" | wc -l) symbols as committed"
