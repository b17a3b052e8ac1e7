#!/usr/bin/env bash
# check_fwfe_cosim.sh ERG_BIN [full] — generated FWFE RTL vs C model vs golden, in lockstep
# (docs/fwfe.md "Cosim"). For each front-end: `erg gen fwfe --vectors` writes the Verilog and
# seeded random frames whose C-model outputs it has checked against the golden int8 kernels;
# Verilator builds the generated top with tests/fwfe/tb_fwfe.cpp, which feeds the frames one beat
# per cycle and checks every output pixel and the cycle of every output against the C model:
# each frame on its own (a reset before it), then all frames back to back, one every
# erg_fwfe_period cycles without a reset (docs/fwfe.md "Back-to-back frames").
# Then the check must be able to fail: a weight's sign flipped in the generated Verilog, an
# output cycle, a pixel and a back-to-back cycle changed in the vectors must each be reported.
# `full` adds the MobileNet front with carry-save trees (--tree csa) and a larger front-end
# (tests/data/fwfe/mobilenet05_front_random.cfg, 3410 non-zero weights, 9604 CSD digits): about
# 80 s more each. Exit 0 all pass, 1 a mismatch or a check that failed to fail,
# 77 no Verilator (skip).
set -u
erg="${1:?usage: check_fwfe_cosim.sh ERG_BIN [full]}"
full=0; [ "${2:-}" = full ] && full=1
src="$(cd "$(dirname "$0")/.." && pwd)"
tb="$src/tests/fwfe/tb_fwfe.cpp"
command -v verilator >/dev/null || { echo "check_fwfe_cosim: SKIP (no verilator)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/erg_fwfe_cosim.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# build NAME DIR: verilate DIR/fe_*.v with the testbench into DIR/obj/tb; secs = its seconds
secs=0
build() {
    local name="$1" dir="$2" t0 t1
    t0=$(date +%s.%N)
    if ! verilator --cc --exe --build -O3 --x-assign fast --x-initial fast -j 1 \
        --prefix Vtop --top-module fe_top -Mdir "$dir/obj" -o tb \
        "$dir"/fe_*.v "$tb" >"$dir/build.log" 2>&1; then
        bad "$name: Verilator build failed ($dir/build.log):"; tail -n 20 "$dir/build.log"
        return 1
    fi
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

# cosim NAME NET RANGE FRAMES SEED [OPTION...]: generate (the options go to erg gen fwfe), build,
# run; the build stays in $work/NAME
cosim() {
    local name="$1" net="$2" range="$3" frames="$4" seed="$5" dir="$work/$1" out rc
    shift 5
    if ! "$erg" gen fwfe --net "$src/$net" --layers "$range" --out-dir "$dir" --prefix fe \
        --vectors "$dir/vectors.txt" --frames "$frames" --seed "$seed" "$@" >"$dir.gen.log" 2>&1; then
        bad "$name: erg gen fwfe failed (C model vs golden or bad input):"; cat "$dir.gen.log"
        return 1
    fi
    build "$name" "$dir" || return 1
    out=$("$dir/obj/tb" "$dir/vectors.txt" 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        ok "$name ($net $range${1:+ $*}): C model = golden, RTL = C model: ${out#tb_fwfe: PASS: } [Verilator build ${secs} s]"
    else
        bad "$name ($net $range): RTL differs from the C model (exit $rc):"; echo "$out" | head -n 12
    fi
}

# must_fail NAME COMMAND...: the testbench must report a mismatch (exit 1) and say FAIL
must_fail() {
    local name="$1" out rc; shift
    out=$("$@" 2>&1); rc=$?
    if [ $rc -eq 1 ] && grep -q "FAIL" <<<"$out"; then
        ok "$name is detected: $(grep -m1 '^FAIL' <<<"$out")"
    else
        bad "$name is NOT detected (exit $rc):"; echo "$out" | head -n 5
    fi
}

cosim fmnist_conv1 configs/nets/fmnist_int8.cfg conv1 4 11
cosim mobilenet025_front configs/nets/mobilenet025_front.cfg conv1..pw3 8 12
# carry-save adder trees (--tree csa): 3:2 compressors, deeper pipeline, the same outputs
cosim fmnist_conv1_csa configs/nets/fmnist_int8.cfg conv1 4 11 --tree csa
[ $full -eq 1 ] && cosim mobilenet025_front_csa configs/nets/mobilenet025_front.cfg conv1..pw3 8 12 --tree csa
[ $full -eq 1 ] && cosim mobilenet05_front_random tests/data/fwfe/mobilenet05_front_random.cfg 1..5 16 13

# The checks can fail. 1: one weight's sign flipped in the Verilog (the first positive term of
# layer 0: `= {1'b0, win..}` becomes `= -{1'b0, win..}`), rebuilt.
m="$work/fmnist_conv1"
if [ -x "$m/obj/tb" ]; then
    c="$work/corrupt_weight"
    mkdir -p "$c"
    cp "$m"/fe_*.v "$c"/
    sed -i "0,/ = {1'b0, win/s// = -{1'b0, win/" "$c/fe_l0.v"
    if cmp -s "$m/fe_l0.v" "$c/fe_l0.v"; then
        bad "corrupting a weight: sed changed nothing in fe_l0.v"
    elif build corrupt_weight "$c"; then
        must_fail "a flipped weight sign (fe_l0.v, $(diff "$m/fe_l0.v" "$c/fe_l0.v" | grep -m1 '^>' | sed 's/^> *//'))" \
            "$c/obj/tb" "$m/vectors.txt" 3
        echo "      (corrupted build ${secs} s)"
    fi
    # 2: an output one cycle late in the expected vectors (the line after the first frame's
    # output rows is its output cycles; the first number is output (0, 0)'s cycle)
    awk 'BEGIN { f = 0 } /^frame 0$/ { f = 1; n = 0 } f && n == 30 + 28 + 1 { $1 = $1 + 1; f = 0 }
         { if (f) n++; print }' "$m/vectors.txt" >"$work/late.txt"
    if cmp -s "$m/vectors.txt" "$work/late.txt"; then bad "corrupting a cycle changed nothing"
    else must_fail "an output cycle off by one" "$m/obj/tb" "$work/late.txt" 3; fi
    # 3: one expected pixel value changed (frame 0, output row 0, first value)
    awk 'BEGIN { f = 0 } /^frame 0$/ { f = 1; n = 0 } f && n == 30 + 1 { $1 = ($1 + 1) % 256; f = 0 }
         { if (f) n++; print }' "$m/vectors.txt" >"$work/pixel.txt"
    if cmp -s "$m/vectors.txt" "$work/pixel.txt"; then bad "corrupting a pixel changed nothing"
    else must_fail "a wrong output pixel" "$m/obj/tb" "$work/pixel.txt" 3; fi
    # 3b: one cycle of the back-to-back stream changed (frame 1's first output: the second line
    # after `stream`), the frames alone untouched
    awk 'BEGIN { f = 0 } /^stream$/ { f = 1; n = 0 } f && n == 2 { $1 = $1 + 1; f = 0 }
         { if (f) n++; print }' "$m/vectors.txt" >"$work/stream.txt"
    if cmp -s "$m/vectors.txt" "$work/stream.txt"; then bad "corrupting a stream cycle changed nothing"
    else must_fail "a back-to-back output cycle off by one" "$m/obj/tb" "$work/stream.txt" 3; fi
fi

# 4: a carry-save tree's carry not shifted (the first `<< 1; // 3:2 carry` of layer 0 becomes
# `<< 0`), rebuilt: the compressors must be checked too
m="$work/fmnist_conv1_csa"
if [ -x "$m/obj/tb" ]; then
    c="$work/corrupt_carry"
    mkdir -p "$c"
    cp "$m"/fe_*.v "$c"/
    sed -i "0,/) << 1; \/\/ 3:2 carry/s//) << 0; \/\/ 3:2 carry/" "$c/fe_l0.v"
    if cmp -s "$m/fe_l0.v" "$c/fe_l0.v"; then
        bad "corrupting a carry: sed changed nothing in fe_l0.v"
    elif build corrupt_carry "$c"; then
        must_fail "an unshifted 3:2 carry (fe_l0.v)" "$c/obj/tb" "$m/vectors.txt" 3
        echo "      (corrupted build ${secs} s)"
    fi
fi

echo "check_fwfe_cosim: $pass passed, $fail failed"
[ $fail -eq 0 ]
