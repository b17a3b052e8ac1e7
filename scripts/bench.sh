#!/usr/bin/env bash
# scripts/bench.sh — speed benchmarks (docs/bench.md): set-up, a Release build into build/ (the
# default flags, -mpopcnt) and, with --native, into build-native/ (-march=native); then each
# section for each build. Sections print ratios measured side by side in one run, not bare times.
#   ./scripts/bench.sh [--native] [--quick]
# --quick runs every section for a fraction of a second (checks that they work; figures are
# not meaningful). New sections: write a section_NAME function taking (build folder, label) and
# add it to SECTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }

native=0
quick=()
for a in "$@"; do
    case "$a" in
        --native) native=1 ;;
        --quick) quick=(--quick) ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

# ---- sections: one function each, called as section_NAME BUILD_DIR LABEL ----

# The BNA C model on the BinarEye F = 256 network vs a plain bit-packed XNOR-popcount kernel
# (tests/bench/bench_bna.c): binary MAC/s of both, their ratio, simulated and chip frames/s.
section_bna() {
    local dir="$1" label="$2"
    echo "== BNA: C model vs plain XNOR-popcount kernel, $label build ($dir/)"
    "$dir/tests/bench/bench_bna" "${quick[@]}" | tee "$out_dir/bna.$dir.txt"
    echo
}

# The BNA C model vs its RTL (Verilator fast build) on one fully used BinarEye layer through
# the same driver (tests/bench/bench_rtl.c): simulated cycles/s of each and their ratio.
section_rtl() {
    local dir="$1" label="$2"
    echo "== BNA: C model vs RTL (Verilator), $label build ($dir/)"
    if [ ! -x "$dir/tests/bench/bench_rtl" ]; then
        echo "(no RTL in this build: Verilator not found)"; echo; return
    fi
    "$dir/tests/bench/bench_rtl" "${quick[@]}" | tee "$out_dir/rtl.$dir.txt"
    echo
}

# The AMAC MAC-array C model vs a plain int8 direct-conv kernel on a 56x56x64 -> 64, 3x3 conv,
# exact and with an approximate multiplier (tests/bench/bench_amac.c): MAC/s of each and their
# ratios, and the time to characterize the built-in multiplier library without synthesis.
section_amac() {
    local dir="$1" label="$2"
    echo "== AMAC: MAC-array C model vs plain int8 conv kernel, $label build ($dir/)"
    "$dir/tests/bench/bench_amac" "${quick[@]}" | tee "$out_dir/amac.$dir.txt"
    echo
}

# The SystemC platform with C-model units vs the bare C model, same driver, same frames
# (tests/bench/bench_systemc.cpp): cycles/s of each and the platform's overhead (goal <= 3x);
# one process per network and memory system (one SystemC kernel per process).
section_systemc() {
    local dir="$1" label="$2"
    echo "== SystemC platform vs bare C model, $label build ($dir/)"
    local runs=("configs/chips/binareye.cfg configs/nets/binareye_cifar10_f256.cfg systemc-ideal"
                "configs/chips/amac8.cfg configs/nets/fmnist_int8.cfg systemc-ideal"
                "configs/chips/amac8_lpddr.cfg configs/nets/fmnist_int8.cfg systemc")
    for r in "${runs[@]}"; do
        # shellcheck disable=SC2086
        "$dir/tests/bench/bench_systemc" "${quick[@]}" $r | tee -a "$out_dir/systemc.$dir.txt"
    done
    # Concurrency (docs/systemc.md): both Fashion-MNIST nets at once on soc_bna_amac.cfg, one
    # host CPU each, against the two nets one after the other on the bare C models, the same
    # images, side by side (median of 3 wall times each).
    local n=1000 chip=configs/chips/soc_bna_amac.cfg
    [ ${#quick[@]} -gt 0 ] && n=50
    local ds=(--dataset tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz
              tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz --limit "$n" --quiet)
    wall() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null || return 1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
    med3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
    local a=() b=()
    for _ in 1 2 3; do
        a+=("$(wall "$dir/erg" run --backend systemc --chip $chip --net configs/nets/fmnist_bnn.cfg \
            --concurrent configs/nets/fmnist_int8.cfg "${ds[@]}")")
        b+=("$(wall bash -c "'$dir/erg' run --chip $chip --net configs/nets/fmnist_bnn.cfg ${ds[*]} &&
            '$dir/erg' run --chip $chip --net configs/nets/fmnist_int8.cfg ${ds[*]}")")
    done
    local ta tb
    ta=$(med3 "${a[@]}"); tb=$(med3 "${b[@]}")
    printf 'concurrent (2 nets x %d frames, 2 host CPUs): %.3f s; the two nets on the bare C models: %.3f s; ratio %.2f\n' \
        "$n" "$ta" "$tb" "$(awk -v a="$ta" -v b="$tb" 'BEGIN { print a / b }')" | tee -a "$out_dir/systemc.$dir.txt"
    echo
}

# The FWFE C model vs the golden kernels on the same layers, and a hybrid-chip frame vs the same
# frame on the programmable chip alone (tests/bench/bench_fwfe.c).
section_fwfe() {
    local dir="$1" label="$2"
    echo "== FWFE: C model vs golden kernels, hybrid vs programmable chip, $label build ($dir/)"
    "$dir/tests/bench/bench_fwfe" "${quick[@]}" | tee "$out_dir/fwfe.$dir.txt"
    echo
}

SECTIONS=(section_bna section_rtl section_amac section_systemc section_fwfe)

# ---- machine, builds, run ----

cpu_flag() { # yes/no: does /proc/cpuinfo list this flag?
    if [ -r /proc/cpuinfo ] && grep -qw "$1" /proc/cpuinfo; then echo yes; else echo no; fi
}

machine_info() {
    local model load
    model=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
    load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
    echo "== machine"
    echo "cpu: ${model:-unknown}, $(nproc) cores; popcnt: $(cpu_flag popcnt)," \
        "AVX2: $(cpu_flag avx2), AVX-512 VPOPCNTDQ: $(cpu_flag avx512_vpopcntdq)"
    echo "compiler: $(cc --version | head -n1)"
    echo "load average before the run (1, 5, 15 min): $load" \
        "(above ~0.5 the machine was not idle: absolute figures are noisy, ratios less so)"
    echo
}

./scripts/bootstrap.sh
builds=(build)
labels=("default (-mpopcnt)")
ERG_BUILD_TYPE=Release ./scripts/build.sh -DERG_NATIVE=OFF
if [ "$native" -eq 1 ]; then
    ERG_BUILD_DIR=build-native ERG_BUILD_TYPE=Release ./scripts/build.sh -DERG_NATIVE=ON
    builds+=(build-native)
    labels+=("native (-march=native)")
fi

out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT

machine_info
for i in "${!builds[@]}"; do
    for s in "${SECTIONS[@]}"; do "$s" "${builds[$i]}" "${labels[$i]}"; done
done

if [ ${#builds[@]} -gt 1 ]; then
    echo "== summary (BNA)"
    for i in "${!builds[@]}"; do
        f="$out_dir/bna.${builds[$i]}.txt"
        printf '%-24s %s | %s\n' "${labels[$i]}" \
            "$(grep '^ratio C model' "$f")" "$(grep '^simulated frames/s' "$f")"
    done
    echo "== summary (AMAC)"
    for i in "${!builds[@]}"; do
        f="$out_dir/amac.${builds[$i]}.txt"
        printf '%-24s %s\n' "${labels[$i]}" "$(grep '^ratio C model' "$f" | cut -d' ' -f1-8 | paste -sd'|' | sed 's/|/ | /g')"
    done
fi
