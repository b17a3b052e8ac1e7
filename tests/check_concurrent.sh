#!/usr/bin/env bash
# erg run --concurrent (docs/systemc.md, "Concurrency"): the binary and the int8 Fashion-MNIST
# nets at once on soc_bna_amac.cfg's two units, on the SystemC platform, over the first 200
# images of the committed slice. Each net's accuracy equals its golden run on the same images;
# with an ideal memory system the run takes max(F C_bnn, F C_int8) cycles (the C model's
# per-frame cycles, from erg run --backend cmodel) and the units overlap min(...); the JSON
# report parses; bad combinations are usage errors (exit 2) that say why.
set -u
erg="$1"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check_lib.sh"
chip=configs/chips/soc_bna_amac.cfg
bnn=configs/nets/fmnist_bnn.cfg
int8=configs/nets/fmnist_int8.cfg
data="--dataset tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz --limit 200"

acc() { grep -o 'accuracy [0-9.]* % ([0-9]* / [0-9]* correct)' <<<"$1"; }
run run --net $bnn $data --quiet; g_bnn=$(acc "$out")
run run --net $int8 $data --quiet; g_int8=$(acc "$out")
run run --backend systemc --chip $chip --net $bnn --concurrent $int8 $data --quiet
check "both nets at once on the platform" 0 "both nets at once, 200 frames each" "bottleneck: fmnist-int8"
accs=$(acc "$out")
if [ "$accs" = "$(printf '%s\n%s' "$g_bnn" "$g_int8")" ] && [ -n "$g_bnn" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: concurrent accuracies '$accs' differ from golden's '$g_bnn' / '$g_int8'"; fi

# ideal memory system: T = max(200 C_bnn, 200 C_int8), overlap = min(...), C from the C model
cyc() { grep -E '^total ' <<<"$1" | awk '{print $2}'; }
run run --chip $chip --net $bnn --input random; c_bnn=$(cyc "$out")
run run --chip $chip --net $int8 --input random; c_int8=$(cyc "$out")
run run --backend systemc-ideal --chip $chip --net $bnn --concurrent $int8 $data --format json --quiet
check "the concurrent JSON report" 0 '"concurrent": [' '"platform": {'
printf '%s' "$out" > "$tmp/c.json"
want=$(python3 -c "
import json, sys
r = json.load(open('$tmp/c.json'))
p = r['platform']
a, b = 200 * $c_bnn, 200 * $c_int8
ok = p['run_cycles'] == max(a, b) and p['overlap_cycles'] == min(a, b) and p['ideal'] \
    and [u['busy_cycles'] for u in p['units']] == [a, b] and len(r['concurrent']) == 2
print('ok' if ok else 'bad: %s vs max/min of %d, %d' % (p, a, b))
" 2>&1)
if [ "$want" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: ideal timing: $want"; fi

# one net: the JSON report keeps the schema and adds the platform's per-layer view (fc's stall:
# 884 cycles, the bandwidth equation of test_systemc dram_bound)
run run --backend systemc --chip configs/chips/amac8_lpddr.cfg --net $int8 --format json
printf '%s' "$out" > "$tmp/one.json"
if python3 tests/check_report_schema.py < "$tmp/one.json" >/dev/null &&
   [ "$(python3 -c "import json; p = json.load(open('$tmp/one.json'))['platform']; print([l['stall_cycles'] for l in p['layers']], p['frame']['dram_bytes'])")" = "[0, 0, 884] 45392" ]; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: single-net platform JSON"; head -c 600 "$tmp/one.json"; fi

run run --chip $chip --net $bnn --concurrent $int8
check "--concurrent needs the SystemC platform" 2 "--concurrent runs two nets at once on the SystemC platform"
run run --backend systemc --chip $chip --net $int8 --concurrent $int8
check "two int8 nets would share a unit" 2 "would both run on the chip's amac unit"
run run --backend systemc --chip $chip --net configs/nets/binareye_cifar10_f64.cfg --concurrent $int8
check "the nets must take the same images" 2 "takes 32x32x3 images" "they share the inputs"
run run --backend systemc --net $bnn --concurrent $int8
check "--concurrent needs a chip" 2 "--concurrent NET2.cfg runs beside --net on a chip"
run run --backend systemc --chip configs/chips/amac8_lpddr.cfg --net $bnn --concurrent $int8
check "a chip without a bna unit" 2 "net 'fmnist-bnn' is binary and chip 'amac8-lpddr' has no bna unit"

# an RTL unit (Verilator's SystemC output) must have the parameters the RTL was built with
if [ -f tests/data/chips/amac8_sc_rtl.cfg ]; then
    sed -e 's/rows = 8;/rows = 4;/' -e "s|\"../../../configs/tech/28nm.cfg\"|\"$PWD/configs/tech/28nm.cfg\"|" \
        tests/data/chips/amac8_sc_rtl.cfg > "$tmp/rows4.cfg"
    run run --backend systemc --chip "$tmp/rows4.cfg" --net $int8
    if grep -q "needs the Verilator build" <<<"$out"; then pass=$((pass + 1)); else
        check "an RTL unit of other parameters than the build's" 2 "rows = 4, but the RTL was built with 8" '(systemc_model = "rtl")'
    fi
fi

echo "check_concurrent: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
