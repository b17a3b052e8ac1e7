#!/usr/bin/env bash
# scripts/run.sh — set-up, build, and the default simulation. With arguments, runs `erg ARGS...`
# instead, e.g. ./scripts/run.sh info configs/nets/fmnist_int8.cfg
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
./scripts/bootstrap.sh
./scripts/build.sh
if [ $# -gt 0 ]; then exec ./build/erg "$@"; fi

# The default simulation: the BinarEye-class chip running the F = 256 CIFAR-10-shaped binary
# network on its C model, with the per-layer energy report.
chip=configs/chips/binareye.cfg
net=configs/nets/binareye_cifar10_f256.cfg
echo "$ erg run --chip $chip --net $net"
./build/erg run --chip "$chip" --net "$net"
