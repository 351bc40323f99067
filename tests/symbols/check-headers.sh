#!/usr/bin/env bash
# Each public header, and the umbrella, compiles alone: strict C99, or C++.
set -euo pipefail
compiler=$1 lang=$2 include=$3
if [ "$lang" = c ]; then
  flags=(-x c -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only)
else
  flags=(-x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only)
fi
for h in cbc.h $(cd "$include" && ls cbc/*.h); do
  printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" |
    "$compiler" "${flags[@]}" -I"$include" - || { echo "$h does not compile alone ($lang)"; exit 1; }
done
echo "headers: every public header compiles alone as $lang"
