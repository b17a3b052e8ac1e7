#!/usr/bin/env bash
# check_fwfe_synth.sh ERG_BIN — a smoke run of scripts/fwfe_synth.sh (docs/fwfe.md "PPA") on one
# tiny layer (tests/data/fwfe/pw_then_same.cfg, the 1x1 conv 'pw': 6x6x2 -> 6x6x4, 8 non-zero
# weights; about 10 s on one core): the script runs, writes its CSV with one row per layer and
# the total, the analytic columns equal `erg gen fwfe --ppa`, and yosys found flip-flops, XOR
# cells and transistors. Exit 77 (skipped) without yosys.
set -u
erg="${1:?usage: check_fwfe_synth.sh ERG_BIN}"
src="$(cd "$(dirname "$0")/.." && pwd)"
command -v yosys >/dev/null || {
    echo "check_fwfe_synth: yosys not found, skipped"
    exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
net="$src/tests/data/fwfe/pw_then_same.cfg"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*"
}

if ERG_BIN="$erg" TMPDIR="$tmp" "$src/scripts/fwfe_synth.sh" "$net" pw "$tmp/out" >"$tmp/log" 2>&1; then
    ok
else
    bad "fwfe_synth.sh exited $?"
    tail -20 "$tmp/log"
fi
csv="$tmp/out/fwfe_synth.csv"
if [ -f "$csv" ] && [ -f "$tmp/out/fwfe_synth.txt" ]; then ok; else bad "no fwfe_synth.csv / .txt"; fi
if grep -q "FWFE PPA side by side" "$tmp/log"; then ok; else bad "the table was not printed"; fi
"$erg" gen fwfe --net "$net" --layers pw --out-dir "$tmp/g" --ppa --format csv >"$tmp/ppa.csv" ||
    bad "erg gen fwfe --ppa failed"
if python3 - "$csv" "$tmp/ppa.csv" <<'PY'; then ok; else bad "the CSV's contents"; fi
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ppa = list(csv.DictReader(open(sys.argv[2])))
err = []
if [r['layer'] for r in rows] != ['pw', 'total']:
    err.append('rows %s, wanted pw, total' % [r['layer'] for r in rows])
r, p = rows[0], ppa[0]
if r['module'] != 'fe_l0':
    err.append('module %s' % r['module'])
for k in ('nonzero_weights', 'storage_bits', 'mul_bits'):
    mine = r['df_' + k] if k != 'nonzero_weights' else r[k]
    if int(mine) != int(p[k]):
        err.append('%s %s, erg gen fwfe --ppa says %s' % (k, mine, p[k]))
if abs(float(r['df_area_mm2']) - float(p['area_mm2'])) > 1e-5 * float(p['area_mm2']):
    err.append('df_area_mm2 %s vs %s' % (r['df_area_mm2'], p['area_mm2']))
if int(r['nonzero_weights']) != 8 or int(r['model_adders']) <= 0:
    err.append('nonzero_weights %s (wanted 8), model_adders %s' % (r['nonzero_weights'],
                                                                   r['model_adders']))
# 4 output channels, each with its own requantization multiplier; flip-flops at least the
# 8-bit output registers; every layer has adders, so XOR cells
if int(r['yosys_mul_cells']) != 4:
    err.append('yosys_mul_cells %s, wanted 4 (one m0 multiplier per channel)' % r['yosys_mul_cells'])
if not (int(r['dffs']) >= 32 and int(r['xor_cells']) > 0 and int(r['cells']) > int(r['dffs'])):
    err.append('cells %s, dffs %s, xor %s' % (r['cells'], r['dffs'], r['xor_cells']))
if int(r['transistors']) < 16 * int(r['dffs']):
    err.append('transistors %s < 16 x dffs' % r['transistors'])
t = rows[1]
if t['dffs'] != r['dffs'] or t['transistors'] != r['transistors']:
    err.append('total row differs from the one layer')
for e in err:
    print(e)
sys.exit(1 if err else 0)
PY
echo "check_fwfe_synth: $pass passed, $fail failed"
[ $fail -eq 0 ]
