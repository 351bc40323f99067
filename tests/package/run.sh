#!/usr/bin/env bash
# Install the build into a temporary prefix and build a consumer out of tree
# against it: with find_package(cbc) (shared and static) and with
# pkg-config (shared and --static).
set -euo pipefail
build=$1 src=$2 cc=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$work/prefix/lib"

cmake -S "$src/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$work/cmake/consumer_shared"
"$work/cmake/consumer_static"

"$cc" -std=c99 -Wall -Wextra -Werror "$src/consumer/consumer.c" -o "$work/pc_shared" \
  $(pkg-config --cflags --libs cbc)
"$work/pc_shared"
"$cc" -std=c99 -Wall -Wextra -Werror "$src/consumer/consumer.c" -o "$work/pc_static" \
  $(pkg-config --cflags cbc) "$work/prefix/lib/libcbc.a" $(pkg-config --static --libs-only-l cbc | sed 's/-lcbc//')
"$work/pc_static"
echo "install: find_package and pkg-config consumers built and ran (shared and static)"
