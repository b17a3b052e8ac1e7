#!/usr/bin/env bash
# check_fwfe_gen.sh ERG_BIN — `erg gen fwfe` as a user meets it (docs/fwfe.md): help with
# examples, the summary, byte-identical Verilog from the same weights, usage errors and layers
# that cannot be fixed (exit 2, the layer named), and nothing half-written on any error.
set -u
erg="${1:?usage: check_fwfe_gen.sh ERG_BIN}"
src="$(cd "$(dirname "$0")/.." && pwd)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fm="$src/configs/nets/fmnist_int8.cfg"
mn="$src/configs/nets/mobilenet025_front.cfg"
. "$(dirname "$0")/check_lib.sh"
# nothing DESCRIPTION: no file or temporary folder left in $tmp/x*
nothing() {
    if [ -z "$(ls -A "$tmp" | grep '^x' || true)" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $1 left files behind: $(ls -A "$tmp")"
    fi
}

run --help; check "top-level help lists gen" 0 "gen"
run gen --help; check "gen --help lists the generators" 0 "fwfe"
run gen; check "gen without a generator is a usage error" 2 "usage: erg gen"
run gen fwef --net "$fm"; check "an unknown generator suggests fwfe" 2 "unknown generator 'fwef' (did you mean 'fwfe'?)"
run gen fwfe --help; check "gen fwfe --help has examples" 0 "usage: erg gen fwfe" "examples:" "--layers conv1"

run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/a"
check "fmnist conv1: summary" 0 "fwfe: net fmnist-int8, layers conv1..conv1 (1 layer)" \
    "conv1      conv2d    3x3s1  28x28x1    30x30   28x28x16        143     387     387" \
    "cycles/frame 908 = 784 pixels + 116 line-buffer warm-up + 8 pipeline fill"
[ -f "$tmp/a/fwfe_l0.v" ] && [ -f "$tmp/a/fwfe_top.v" ] && [ "$(ls "$tmp/a" | wc -l)" -eq 2 ]
rc=$?; out="$(ls -A "$tmp/a")"; check "fmnist conv1: fwfe_l0.v and fwfe_top.v, nothing else" 0
run gen fwfe --net "$fm" --layers 1 --out-dir "$tmp/a" --quiet
check "a second run into the existing folder, --quiet" 0
[ -z "$out" ]; rc=$?; check "--quiet prints nothing" 0
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/b" --quiet
diff -r "$tmp/a" "$tmp/b" >/dev/null; rc=$?; check "the same weights give byte-identical Verilog" 0
ls -A "$tmp" | grep -q 'tmp\.' ; rc=$?; [ $rc -eq 1 ] && rc=0 || rc=1
out="$(ls -A "$tmp")"; check "no temporary folder left behind" 0

run gen fwfe --net "$mn" --layers conv1..pw3 --out-dir "$tmp/m" --prefix mnv1 --vectors "$tmp/m/v.txt" --frames 2 --seed 3
check "mobilenet front: 7 layers, vectors checked against golden" 0 "(7 layers)" "pw3" \
    "total                                                         1760    4788    4788" \
    "vectors: 2 frames, C model = golden on every pixel"
[ -f "$tmp/m/mnv1_l6.v" ] && [ -f "$tmp/m/mnv1_top.v" ] && grep -q "^erg_fwfe_vectors 2$" "$tmp/m/v.txt" && grep -q "^period 1089$" "$tmp/m/v.txt"
rc=$?; out=""; check "mobilenet front: modules and vectors written" 0

# --tree csa: carry-save adder trees (docs/fwfe.md); conv1's largest tree has 29 ... 42 leaves:
# 9 levels (binary 5), D = 12, 912 cycles; the same 387 adders (n - 1 per channel either way),
# each as wide as its channel's accumulator: 7115 adder bits
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/c" --tree csa
check "fmnist conv1 --tree csa: summary" 0 \
    "conv1      conv2d    3x3s1  28x28x1    30x30   28x28x16        143     387     387     7115   9  12" \
    "csa" "cycles/frame 912 = 784 pixels + 116 line-buffer warm-up + 12 pipeline fill"
grep -q "3:2 sum" "$tmp/c/fwfe_l0.v"; rc=$?; out=""; check "--tree csa: the Verilog has 3:2 compressors" 0
cmp -s "$tmp/a/fwfe_l0.v" "$tmp/c/fwfe_l0.v"; rc=$?; check "--tree csa Verilog differs from binary" 1
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/d" --tree csa --quiet
diff -r "$tmp/c" "$tmp/d" >/dev/null; rc=$?; check "--tree csa: byte-identical Verilog on a second run" 0
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/e" --tree binary
check "--tree binary is the default: the same summary" 0 "6038   5   8" "binary" "cycles/frame 908"
diff -r "$tmp/a" "$tmp/e" >/dev/null; rc=$?; check "--tree binary: the default's Verilog, byte for byte" 0
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/c" --tree csa --vectors "$tmp/c/v.txt" --frames 2 --ppa --format csv
check "--tree csa: vectors = golden, --ppa storage 480 + 72 + 15863 tree-register bits" 0 \
    "conv1,143,9152,16415,"
grep -q "^cycles 912$" "$tmp/c/v.txt"; rc=$?; out=""; check "--tree csa: the vectors carry 912 cycles" 0
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x0" --tree cas
check "a misspelt --tree value suggests csa" 2 "--tree expects binary or csa, found 'cas' (did you mean 'csa'?)"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x0" --tree wallace
check "an unknown --tree value" 2 "--tree expects binary or csa, found 'wallace'"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x0" --tre csa
check "a misspelt --tree option" 2 "unknown option --tre (did you mean --tree?)"
nothing "--tree errors"

# usage errors (exit 2), nothing written
run gen fwfe --layers conv1 --out-dir "$tmp/x1"; check "--net is required" 2 "--net NET.cfg is required"
run gen fwfe --net "$fm" --out-dir "$tmp/x1"; check "--layers is required" 2 "--layers FIRST..LAST is required"
run gen fwfe --net "$fm" --layers conv1; check "--out-dir is required" 2 "--out-dir DIR is required"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x1" --layer conv1
check "a misspelt option suggests the right one" 2 "unknown option --layer (did you mean --layers?)"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x1" --prefix 9bad
check "a prefix that is not a Verilog identifier" 2 "--prefix expects a Verilog identifier"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x1" --frames 3
check "--frames without --vectors" 2 "apply to --vectors FILE only"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x1" --acc-bits 40
check "--acc-bits out of range" 2 "--acc-bits expects an integer 2 ... 32"
nothing "usage errors"

# layers that cannot be fixed: exit 2, the layer named, nothing written
run gen fwfe --net "$fm" --layers conv1..conv2 --out-dir "$tmp/x2" --vectors "$tmp/x2v"
check "a maxpool in the range" 2 "erg: layer 2 'pool1' (maxpool) cannot be fixed"
run gen fwfe --net "$fm" --layers 6 --out-dir "$tmp/x2"
check "a dense layer" 2 "layer 6 'fc' (dense) cannot be fixed"
run gen fwfe --net "$fm" --layers conv3 --out-dir "$tmp/x2"
check "an unknown layer suggests a name" 2 "no layer named 'conv3'" "did you mean"
run gen fwfe --net "$fm" --layers conv2..conv1 --out-dir "$tmp/x2"
check "a backwards range" 2 "runs backwards"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x2" --acc-bits 16
check "a range too large for the adder width" 2 "'conv1'" "17-bit adder" "more than the 16-bit adder width"
run gen fwfe --net "$src/configs/nets/fmnist_bnn.cfg" --layers conv1 --out-dir "$tmp/x2"
check "a binary layer" 2 "layer 1 'conv1'" "weight_bits = 1, act_bits = 1) cannot be fixed"
run gen fwfe --net "$src/tests/data/fwfe/approx_default.cfg" --layers conv1 --out-dir "$tmp/x2"
check "an approximate multiplier" 2 "'conv1'" "multiplies with 'loa6'"
run gen fwfe --net "$src/tests/data/fwfe/scores_conv.cfg" --layers 1..2 --out-dir "$tmp/x2"
check "a layer without requantization" 2 "layer 2 'head'" "activation \"none\""
run gen fwfe --net "$src/tests/data/fwfe/pw_then_same.cfg" --layers pw..conv3x3 --out-dir "$tmp/x2"
check "padding without idle cycles" 2 "layer 'pw': no idle output cycle for the padding of layer 'conv3x3'"
run gen fwfe --net "$src/tests/data/fwfe/missing_m0.cfg" --layers conv1 --out-dir "$tmp/x2"
check "missing weights name the layer and file" 2 "layer 'conv1'" "conv1.m0.npy"
run gen fwfe --net "$tmp/no/such.cfg" --layers conv1 --out-dir "$tmp/x2"
check "a missing net config" 2 "cannot open"
nothing "rejected layers"

# the output folder
: >"$tmp/xfile"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/xfile"
check "--out-dir that is a file" 2 "exists and is not a folder"
rm -f "$tmp/xfile"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/xnone/deeper"
check "--out-dir whose parent is missing" 2 "cannot create a folder next to it"
nothing "bad output folders"

# --ppa: the DeepFreeze-style estimate (docs/fwfe.md "PPA"); conv1: 143 x 8 x 8 = 9152 multiplier
# bits, 480 line-buffer + 72 window + 6511 tree-register = 7063 storage bits,
# 9152 x 2.05e-7 + 7063 x 1.62e-6 = 0.01331822 mm^2
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/p1" --ppa
check "--ppa after the summary" 0 "cycles/frame 908" "PPA, DeepFreeze-style" "0.01332" "TOPS/W"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/p1" --ppa --format csv
check "--ppa --format csv" 0 "layer,nonzero_weights,mul_bits,storage_bits,area_mm2" \
    "conv1,143,9152,7063,0.01331822," "total,143,9152,7063,"
grep -q "cycles/frame" <<<"$out" && { fail=$((fail + 1)); echo "FAIL: csv has the summary"; }
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/p1" --ppa --format json
check "--ppa --format json" 0 '"layer": "conv1"' '"mul_bits": 9152' '"total": {'
if python3 -c 'import json,sys; json.loads(sys.stdin.read())' <<<"$out"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: --ppa --format json is not JSON"; fi
run gen fwfe --net "$mn" --layers conv1..pw3 --out-dir "$tmp/p2" --ppa --quiet --format table
check "--ppa --quiet: the estimate only" 0 "pw3" "total          1760    112640     99020"
grep -q "cycles/frame" <<<"$out" && { fail=$((fail + 1)); echo "FAIL: --quiet printed the summary"; }
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x3" --format csv
check "--format without --ppa" 2 "--format applies to --ppa only"
run gen fwfe --net "$fm" --layers conv1 --out-dir "$tmp/x3" --ppa --format xml
check "--format xml" 2 "--format expects table, csv or json, found 'xml'"
nothing "--format errors"

echo "check_fwfe_gen: $pass passed, $fail failed"
[ $fail -eq 0 ]
