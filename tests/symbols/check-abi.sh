#!/usr/bin/env bash
# Compare the built library's ABI with the committed libabigail baseline.
# Any change but added functions and variables fails (abidiff reports a
# changed struct layout as an "ABI change", not "incompatible", so both bits
# count); pure additions pass with a notice (the exports test then asks for
# scripts/abi-update).
set -uo pipefail
lib=$1 headers=$2 baseline=$3 work=$4
current="$work/libcbc.current.abi"
abidw --headers-dir "$headers" --no-corpus-path --no-show-locs --drop-private-types \
  --out-file "$current" "$lib" || { echo "abidw failed"; exit 1; }
abidiff "$baseline" "$current"
rc=$?
if [ $((rc & 1)) -ne 0 ] || [ $((rc & 2)) -ne 0 ]; then
  echo "abidiff could not compare (exit $rc)"; exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "INCOMPATIBLE ABI CHANGE against tests/symbols/libcbc.abi"; exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then
  if ! abidiff --no-added-syms "$baseline" "$current" >/dev/null; then
    echo "ABI CHANGE against tests/symbols/libcbc.abi (beyond additions)"; exit 1
  fi
  echo "notice: functions were added; refresh the baseline with scripts/abi-update"
fi
echo "abi: compatible with the baseline"
