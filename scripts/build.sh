#!/usr/bin/env bash
# scripts/build.sh — configures and builds erg into build/ (or the folder in ERG_BUILD_DIR).
# Extra arguments go to CMake's configure step, e.g. -DERG_NATIVE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${ERG_BUILD_DIR:-build}"
log=$(mktemp)
if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="${ERG_BUILD_TYPE:-Release}" "$@" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; exit 1
fi
if ! cmake --build "$dir" -j"$(nproc)" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; exit 1
fi
rm -f "$log"
