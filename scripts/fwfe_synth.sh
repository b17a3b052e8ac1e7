#!/usr/bin/env bash
# scripts/fwfe_synth.sh NET.cfg LAYERS [OUT_DIR] — the FWFE's PPA side by side (docs/fwfe.md
# "PPA"): `erg gen fwfe` writes the fixed-weight Verilog of layers LAYERS of NET.cfg into a
# temporary folder, yosys synthesizes every layer module on its own (generic `synth -flatten
# -top fe_l<i>`, flip-flops lowered to $_DFF_P_, `stat -tech cmos`, as scripts/synth.sh does),
# and a per-layer table puts the yosys cells, flip-flops, XOR/XNOR cells (the sum bits of the
# adders), word-level adders before gate mapping and estimated transistors next to the
# DeepFreeze-style analytic estimate (`erg gen fwfe --ppa`): its storage bits and area, and the
# ratios. Writes OUT_DIR/fwfe_synth.csv and fwfe_synth.txt (default $ERG_BUILD_DIR/fwfe_synth,
# ERG_BUILD_DIR default build), each via a temporary file, and prints the table.
#
# Environment: ERG_BIN (the erg binary; default $ERG_BUILD_DIR/erg, ERG_BUILD_DIR default build),
# ERG_SYNTH_JOBS (parallel yosys jobs, default 1), ERG_TECH (the tech table whose `area` group
# turns transistors into mm^2, default configs/tech/28nm.cfg), ERG_FWFE_TREE (the adder trees,
# `erg gen fwfe --tree`: binary, the default, or csa). Yosys logs and scripts stay in
# OUT_DIR/work. Synthesis time grows with the layer's CSD terms: fmnist_int8 conv1 (387 adders)
# takes about 1.5 min on one core, the 7-layer MobileNet front about 17 min (pw3 alone 6 min,
# 2.4 GB); docs/fwfe.md "PPA" has both tables.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: scripts/fwfe_synth.sh NET.cfg LAYERS [OUT_DIR]" >&2
    exit 2
fi
net=$1
layers=$2
root=$(cd "$(dirname "$0")/.." && pwd)
bdir="${ERG_BUILD_DIR:-$root/build}"
erg="${ERG_BIN:-$bdir/erg}"
jobs="${ERG_SYNTH_JOBS:-1}"
tech="${ERG_TECH:-$root/configs/tech/28nm.cfg}"
tree="${ERG_FWFE_TREE:-binary}"
out="${3:-$bdir/fwfe_synth}"
t0=$(date +%s)

if ! command -v yosys >/dev/null; then
    echo "fwfe_synth: yosys not found (scripts/bootstrap.sh installs it)" >&2
    exit 1
fi
if [ ! -x "$erg" ]; then
    echo "fwfe_synth: no erg binary at $erg (set ERG_BIN or ERG_BUILD_DIR)" >&2
    exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$out/work"
rm -rf "$work"
mkdir -p "$work"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fwfe_synth.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the generated RTL, the generator's summary (adders per layer) and the analytic estimate
"$erg" gen fwfe --net "$net" --layers "$layers" --out-dir "$tmp/rtl" --prefix fe \
    --tree "$tree" >"$work/summary.txt"
"$erg" gen fwfe --net "$net" --layers "$layers" --out-dir "$tmp/rtl" --prefix fe --ppa --tree "$tree" \
    --format csv >"$work/ppa.csv"
cp "$tmp"/rtl/*.v "$work/"
n=$(($(grep -c . "$work/ppa.csv") - 2)) # header and total row
echo "fwfe_synth: $n layer(s) of $net ($layers), $tree adder trees, $jobs yosys job(s) in parallel"

# ---- one yosys job per layer module: word-level cells after the coarse part of `synth` (the
# adders, alumacc's $alu, with their widths), then the rest of `synth` and the gate-level stat
synth_one() { # layer index
    local mod="fe_l$1" s
    s=$(date +%s)
    cat >"$work/$mod.ys" <<YS
read_verilog -sv $work/$mod.v
hierarchy -check -top $mod
synth -flatten -top $mod -run :fine
tee -q -o $work/$mod.coarse.stat stat -width
synth -flatten -top $mod -run fine:
dfflegalize -cell \$_DFF_P_ x
opt_clean
tee -q -o $work/$mod.stat stat -tech cmos
YS
    if ! yosys -q -l "$work/$mod.log" "$work/$mod.ys" >/dev/null 2>&1; then
        echo "fwfe_synth: $mod FAILED (see $work/$mod.log)" >&2
        return 1
    fi
    echo $(($(date +%s) - s)) >"$work/$mod.seconds"
    echo "fwfe_synth: $mod done in $(($(date +%s) - s)) s"
}
export -f synth_one
export work
seq 0 $((n - 1)) | xargs -P "$jobs" -I{} bash -c 'synth_one "$@"' _ {}

# ---- the table
python3 - "$work" "$out" "$n" "$tech" "$net" "$layers" "$tree" <<'PY'
import csv, os, re, sys
work, out, n, tech, net, layers, tree = sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:8]
ppa = list(csv.DictReader(open(os.path.join(work, 'ppa.csv'))))
# the generator's summary: layer name -> (digits, adders, adder bits)
summ = {}
for line in open(os.path.join(work, 'summary.txt')):
    f = line.split()
    if len(f) >= 15 and f[1] in ('conv2d', 'depthwise') and re.fullmatch(r'\d+', f[6]):
        summ[f[0]] = (int(f[7]), int(f[8]), int(f[9]))
area = {}
m = re.search(r'area\s*=\s*\{(.*?)\}', open(tech).read(), re.S)
for k in ('logic_mtr_per_mm2', 'logic_utilization'):
    area[k] = float(re.search(k + r'\s*=\s*([0-9.eE+-]+)', m.group(1)).group(1))
tr_mm2 = lambda t: t / (area['logic_mtr_per_mm2'] * 1e6) / area['logic_utilization']
rows = []
for i in range(n):
    mod = 'fe_l%d' % i
    p = ppa[i]
    coarse = open(os.path.join(work, mod + '.coarse.stat')).read()
    alu = alu_bits = macc = 0
    for mm in re.finditer(r'^\s+\$(alu|add|sub)_(\d+)\s+(\d+)\s*$', coarse, re.M):
        alu += int(mm.group(3))
        alu_bits += int(mm.group(2)) * int(mm.group(3))
    for mm in re.finditer(r'^\s+\$(macc|mul)(_\d+)?\s+(\d+)\s*$', coarse, re.M):
        macc += int(mm.group(3))
    stat = open(os.path.join(work, mod + '.stat')).read()
    cells = ffs = xors = 0
    for mm in re.finditer(r'^\s+(\S+)\s+(\d+)\s*$', stat.split('Number of cells:')[1], re.M):
        typ, c = mm.group(1), int(mm.group(2))
        cells += c
        ffs += c if typ.startswith('$_DFF') else 0
        xors += c if typ in ('$_XOR_', '$_XNOR_') else 0
    tr = int(re.search(r'Estimated number of transistors:\s+(\d+)', stat).group(1))
    secs = int(open(os.path.join(work, mod + '.seconds')).read())
    dig, adders, abits = summ.get(p['layer'], (0, 0, 0))
    sb, df_mm2 = int(p['storage_bits']), float(p['area_mm2'])
    y_mm2 = tr_mm2(tr)
    rows.append(dict(layer=p['layer'], module=mod, nonzero_weights=int(p['nonzero_weights']),
                     csd_digits=dig, model_adders=adders, model_adder_bits=abits,
                     yosys_alu_cells=alu, yosys_alu_bits=alu_bits, yosys_mul_cells=macc, cells=cells, dffs=ffs,
                     xor_cells=xors, transistors=tr, yosys_mm2=y_mm2,
                     df_mul_bits=int(p['mul_bits']), df_storage_bits=sb, df_area_mm2=df_mm2,
                     dff_per_df_bit=ffs / sb if sb else 0,
                     df_area_over_yosys=df_mm2 / y_mm2 if y_mm2 else 0, synth_s=secs))
tot = dict(layer='total', module='')
for k in rows[0]:
    if k not in ('layer', 'module', 'dff_per_df_bit', 'df_area_over_yosys'):
        tot[k] = sum(r[k] for r in rows)
tot['dff_per_df_bit'] = tot['dffs'] / tot['df_storage_bits'] if tot['df_storage_bits'] else 0
tot['df_area_over_yosys'] = tot['df_area_mm2'] / tot['yosys_mm2'] if tot['yosys_mm2'] else 0
keys = list(rows[0])
fmt = lambda v: ('%.6g' % v) if isinstance(v, float) else str(v)
csv_text = ','.join(keys) + '\n' + ''.join(','.join(fmt(r[k]) for k in keys) + '\n'
                                           for r in rows + [tot])
short = [('layer', 'layer'), ('nz.w', 'nonzero_weights'), ('adders', 'model_adders'),
         ('y.alu', 'yosys_alu_cells'), ('add.bits', 'model_adder_bits'),
         ('y.alu.bits', 'yosys_alu_bits'), ('y.mul', 'yosys_mul_cells'), ('cells', 'cells'), ('DFFs', 'dffs'),
         ('XOR', 'xor_cells'), ('transistors', 'transistors'), ('y.mm2', 'yosys_mm2'),
         ('DF.stor', 'df_storage_bits'), ('DF.mm2', 'df_area_mm2'), ('DFF/stor', 'dff_per_df_bit'),
         ('DF/y.mm2', 'df_area_over_yosys'), ('s', 'synth_s')]
def cell(r, k):
    v = r.get(k, '')
    if k in ('yosys_mm2', 'df_area_mm2'):
        return '%.5f' % v
    if k in ('dff_per_df_bit', 'df_area_over_yosys'):
        return '%.3f' % v
    return str(v)
table = [[h for h, _ in short]] + [[cell(r, k) for _, k in short] for r in rows + [tot]]
w = [max(len(t[j]) for t in table) for j in range(len(short))]
lines = ['FWFE PPA side by side: %s, layers %s%s' % (net, layers,
                                                   '' if tree == 'binary' else ', %s trees' % tree),
         'yosys 0.23 generic `synth -flatten` per layer module (flip-flops as $_DFF_P_), '
         'transistors by `stat -tech cmos`,',
         'y.mm2 = transistors / %.1f MTr/mm^2 / %.2f utilization (%s area group); DF = the '
         'DeepFreeze-style' % (area['logic_mtr_per_mm2'], area['logic_utilization'],
                               os.path.basename(tech)),
         'estimate (erg gen fwfe --ppa, 16 nm class constants); adders / add.bits = the '
         'generator\'s tree adders,',
         'y.alu / y.alu.bits = yosys word-level $alu cells after the coarse synth (trees, '
         'requantization, counters), y.mul = its constant multipliers ($macc: requantization)', '']
for j, t in enumerate(table):
    lines.append('  '.join(t[0].ljust(w[0]) if c == 0 else t[c].rjust(w[c])
                           for c in range(len(t))))
    if j == 0 or j == len(table) - 2:
        lines.append('  '.join('-' * x for x in w))
text = '\n'.join(lines) + '\n'
for name, body in (('fwfe_synth.csv', csv_text), ('fwfe_synth.txt', text)):
    tmp = os.path.join(out, name + '.tmp')
    with open(tmp, 'w') as f:
        f.write(body)
    os.replace(tmp, os.path.join(out, name))
sys.stdout.write(text)
PY
echo "fwfe_synth: $out/fwfe_synth.txt, fwfe_synth.csv ($(($(date +%s) - t0)) s)"
