#!/usr/bin/env bash
# The FixyNN-style hybrid chip as a user meets it (docs/fwfe.md, "Hybrid system"):
#   - erg check and erg run on configs/chips/fixynn_fmnist.cfg: the 1,000-image slice gives the
#     golden count (907) on the hybrid, on the iso-area array and on the back-end alone; the
#     stage table (front 900 cycles a frame back to back, 908 of latency; the back-end the
#     bottleneck), the run's cycles
#     T_f + F C_b, the iso-area shape;
#   - the JSON report keeps the schema and fills "stages" and "fixynn";
#   - every fixture in tests/data/fixynn/ (a hybrid chip the run refuses) exits 2 with the
#     message its "# expect:" line gives and the file named; and the options a hybrid refuses.
set -u
erg="$1"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
here="$(dirname "$0")"
. "$here/check_lib.sh"
chip=configs/chips/fixynn_fmnist.cfg
net=configs/nets/fmnist_int8.cfg
images=tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz
labels=tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz

run check --chip "$chip" --net "$net"
check "erg check on the hybrid" 0 "2 units (one a fixed front-end)" \
    "layers conv1..conv1 fixed on unit 'fwfe0' (143 non-zero weights, 908 cycles a frame, FIFO of 2 maps)" \
    "op points light, balanced, eco, aggressive approximate the fixed layers"

run run --chip "$chip" --net "$net" --dataset "$images" "$labels" --quiet
# back-end: conv2 16,568 + fc 4,332 = 20,900 cycles (the amac8 chip's, docs/amac-chip.md);
# 1,000 frames: 908 + 1,000 x 20,900 = 20,900,908
check "hybrid on the slice" 0 "accuracy 90.70 % (907 / 1000 correct)" \
    "conv1      fwfe0  csd             908" \
    "front  fwfe0    conv1..conv1              900         900000" \
    "back   amac0    pool1..fc               20900       20900000          908  100.0%" \
    "run: 1000 frames in 20900908 cycles; period max(900, 20900) = 20900 cycles (bottleneck: the back-end), latency 908 + 20900 = 21808 cycles" \
    "shaped 7x16 (the fewest cycles for this net)" \
    "all-programmable, iso-area (7x16)         18108" \
    "programmable only (8x8)                   26976"
n907=$(grep -c "90.70%" <<<"$out")
[ "$n907" -eq 3 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the three chips' accuracies are not all 90.70% ($n907)"; }

# the back-end on the AMAC RTL: the same classes (golden: 10 of the first 10), cycles and
# counters as its C model
run run --chip "$chip" --net "$net" --backend rtl --dataset "$images" "$labels" --limit 10 --quiet
check "hybrid with the RTL back-end" 0 "backend rtl" "accuracy 100.00 % (10 / 10 correct)" \
    "back   amac0    pool1..fc               20900         209000          908"

# carry-save trees (tree = "csa"): 4 more tree levels, 912 cycles a frame (docs/fwfe.md)
run run --chip tests/data/chips/fixynn_fmnist_csa.cfg --net "$net" --dataset "$images" "$labels" --quiet
check "hybrid with carry-save trees" 0 "accuracy 90.70 % (907 / 1000 correct)" \
    "conv1      fwfe0  csd             912" "period max(900, 20900) = 20900" \
    "latency 912 + 20900 = 21812"

run run --chip "$chip" --net "$net" --format json
check "JSON: stages and the comparison" 0 '"stages": [' '"name": "front", "unit": "fwfe0"' \
    '"cycles_per_frame": 900' '"fixynn": {"period_cycles": 20900' '"front_latency_cycles": 908' '"iso_area": {"chip": "fixynn-fmnist-iso", "rows": 7, "cols": 16'
if python3 "$here/check_report_schema.py" <<<"$out" >/dev/null; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the hybrid's JSON report breaks the schema"
    python3 "$here/check_report_schema.py" <<<"$out"
fi

run run --chip "$chip" --net "$net" --op-point light
check "an op point approximating conv1" 2 "op point 'light' multiplies layer 'conv1' with 'loa6'" "$chip"
run run --chip "$chip" --net "$net" --op-point all
check "--op-point all" 2 "chip 'fixynn-fmnist' is a hybrid (fwfe unit 'fwfe0'); run one op point at a time"
run run --chip "$chip" --net "$net" --backend systemc
check "the SystemC backend" 2 "its back-end runs on backend cmodel, rtl or cosim, not 'systemc'"

for f in tests/data/fixynn/*.cfg; do
    expect=$(sed -n 's/^# expect: //p' "$f" | head -n 1)
    run run --chip "$f" --net "$net"
    check "$f" 2 "$expect" "$f"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
