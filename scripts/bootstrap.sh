#!/usr/bin/env bash
# scripts/bootstrap.sh — installs the Debian packages erg needs that are missing. Idempotent and
# silent when everything is there. `--train` adds what scripts/train_fmnist.py needs (PyTorch).
set -euo pipefail

pkgs=(cmake make pkg-config gcc g++ clang-format verilator libsystemc-dev libcriterion-dev
      libconfig-dev zlib1g-dev dataset-fashion-mnist python3 yosys gnuplot-nox)
if [ "${1:-}" = "--train" ]; then pkgs+=(python3-torch python3-numpy); fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "bootstrap: these Debian packages are missing and I cannot install them (not root, no" >&2
    echo "password-less sudo): ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { "${sudo[@]}" apt-get update -qq && \
       "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "bootstrap: apt-get could not install: ${missing[*]}" >&2
    exit 1
fi
rm -f "$log"
