#!/usr/bin/env bash
# scripts/test.sh — set-up, build, and the tests through CTest: `ci` by default; `full` adds the
# longer sets (whole test data sets); `soak` runs the soak set. The C unit tests also run in an
# AddressSanitizer + UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
set_name="${1:-ci}"
case "$set_name" in
    ci) labels='ci' ;;
    full) labels='ci|full' ;;
    soak) labels='soak' ;;
    *) echo "usage: $0 [ci|full|soak]" >&2; exit 2 ;;
esac
./scripts/bootstrap.sh
./scripts/build.sh
ctest --test-dir build --output-on-failure -L "$labels" -j"$(nproc)"
echo "== C unit tests under AddressSanitizer + UBSan"
# The verilated RTL stays out of this build: its C++ is Verilator's, and ASan would slow it 10x.
ERG_BUILD_DIR=build-asan ERG_BUILD_TYPE=Debug ./scripts/build.sh -DERG_SANITIZE=ON -DERG_RTL=OFF
ctest --test-dir build-asan --output-on-failure -L unit -j"$(nproc)"
