#!/usr/bin/env bash
# scripts/run.sh — set-up, build, and the default simulation. With arguments, runs `erg ARGS...`
# instead, e.g. ./scripts/run.sh info configs/nets/fmnist_int8.cfg
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
./scripts/bootstrap.sh
./scripts/build.sh
if [ $# -gt 0 ]; then exec ./build/erg "$@"; fi

net=configs/nets/binareye_cifar10_f256.cfg
./build/erg info "$net"
echo
echo "$ erg run --backend golden --net $net --input random --seed 1"
./build/erg run --backend golden --net "$net" --input random --seed 1
