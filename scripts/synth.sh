#!/usr/bin/env bash
# scripts/synth.sh — logic area of the BNA RTL: yosys `synth` on each module of rtl/bna, with the
# RTL parameters of the build (rtl/CMakeLists.txt: the first bna unit of ERG_RTL_CHIP), and a
# per-module table of cells and estimated transistors (`stat -tech cmos`) in
# build/synth/area.txt and area.csv, also printed. docs/synth.md describes it.
#
# Each module is synthesized on its own with its submodules as black boxes, and counted as many
# times as the design instantiates it: so the neuron array is ONE neuron × N (synthesizing N
# 1024-bit neurons whole takes far too long). The behavioural SRAMs (rtl/common/erg_sram_*.v)
# are memories, not logic: they are not synthesized; the table gives their bits, and their
# transistors as an estimate of 6 per bit (bit cells only). Yosys jobs run in parallel
# (ERG_SYNTH_JOBS, default nproc). Uses the build folder ERG_BUILD_DIR (default build), which it
# configures (cmake) to learn the parameters; it needs no build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir="${ERG_BUILD_DIR:-build}"
jobs="${ERG_SYNTH_JOBS:-$(nproc)}"
t0=$(date +%s)

if ! command -v yosys >/dev/null; then
    echo "synth: yosys not found (scripts/bootstrap.sh installs it)" >&2
    exit 1
fi
# A new build folder is configured as scripts/build.sh would (configuring is all synthesis needs).
cfg=(cmake -S . -B "$dir")
[ -f "$dir/CMakeCache.txt" ] || cfg+=(-DCMAKE_BUILD_TYPE="${ERG_BUILD_TYPE:-Release}")

# ---- the RTL parameters, exactly as the build takes them: rtl/CMakeLists.txt prints them at
# configure time (and the configure step makes generated/erg_regs.vh if it is missing).
mkdir -p "$dir"
out="$(cd "$dir" && pwd)/synth"
work="$out/work"
gen="$(cd "$dir" && pwd)/generated"
rm -rf "$work"
mkdir -p "$work"
if ! "${cfg[@]}" >"$work/cmake.log" 2>&1; then
    cat "$work/cmake.log" >&2
    exit 1
fi
params=$(sed -n 's/^-- RTL parameters (\(.*\)): \(.*\)$/\2/p' "$work/cmake.log" | tr ';' ' ')
chip=$(sed -n 's/^-- RTL parameters (\(.*\)): .*$/\1/p' "$work/cmake.log")
if [ -z "$params" ] || [ ! -f "$gen/erg_regs.vh" ]; then
    echo "synth: the build has no RTL (no Verilator, or -DERG_RTL=OFF): see $work/cmake.log" >&2
    exit 1
fi
echo "synth: parameters ($chip): $params"
chparam=""
for p in $params; do chparam+=" -set ${p%%=*} ${p#*=}"; done

inc="-I$root/rtl/bna -I$root/rtl/common -I$gen"
logic_files=("$root"/rtl/bna/*.v)
sram_files=("$root"/rtl/common/erg_sram_*.v)

# ---- the hierarchy: which modules, how many instances of each (SRAMs as black boxes)
cat >"$work/hier.ys" <<YS
read_verilog -sv $inc ${logic_files[*]}
read_verilog -sv -lib $inc ${sram_files[*]}
chparam$chparam erg_bna
hierarchy -check -top erg_bna
tee -o $work/hier.stat stat -top erg_bna
YS
echo "synth: elaborating the hierarchy"
if ! yosys -q -l "$work/hier.log" "$work/hier.ys" >/dev/null 2>&1; then
    tail -20 "$work/hier.log" >&2
    exit 1
fi
# "module instances" for every logic module of the design hierarchy, then the black-box SRAMs
# (instances in their parent module × the parent's instances)
python3 - "$work/hier.stat" >"$work/modules.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
name = lambda s: re.sub(r'^.*\\', '', s)
count = {}
hier = text.split('=== design hierarchy ===')[1].split('Number of wires')[0]
for line in hier.splitlines():
    m = re.match(r'\s+(\S*erg_\w+)\s+(\d+)\s*$', line)
    if m:
        count[name(m.group(1))] = int(m.group(2))
srams = {}
seen = set()
for sec in re.split(r'\n=== ', text)[1:]:
    mod = name(sec.split(' ===')[0].strip())
    if mod not in count or mod in seen:
        continue
    seen.add(mod)
    for m in re.finditer(r'^\s+(\S*erg_sram_\w+)\s+(\d+)\s*$', sec, re.M):
        s = name(m.group(1))
        srams[s] = srams.get(s, 0) + int(m.group(2)) * count[mod]
for mod, n in list(count.items()) + list(srams.items()):
    print(mod, n)
PY

# ---- the neuron's popcount: yosys 0.23 expands $countones(x) into |x| terms each as wide as x
# (for the 1024-bit window: gigabytes of memory and many minutes). The neuron is synthesized
# from a copy whose $countones is a function of the same value, a loop of PW-bit adds (alumacc
# turns it into one adder tree). The RTL itself is unchanged.
python3 - "$root/rtl/bna/erg_bna_neuron.v" "$work/erg_bna_neuron.v" <<'PY'
import sys
src = open(sys.argv[1]).read()
call = '$countones((win ^ wff)'
if src.count(call) != 1 or src.count('$countones(') != 1:
    sys.exit('synth: erg_bna_neuron.v no longer has exactly one popcount "%s...": '
             'update scripts/synth.sh' % call)
fn = """    // scripts/synth.sh: $countones as a loop of PW-bit adds
    function automatic [PW-1:0] erg_synth_popcount(input [KK*CHANNELS-1:0] x);
        integer i;
        begin
            erg_synth_popcount = {PW{1'b0}};
            for (i = 0; i < KK*CHANNELS; i = i + 1)
                erg_synth_popcount = erg_synth_popcount + {{(PW-1){1'b0}}, x[i]};
        end
    endfunction
"""
src = src.replace(call, 'erg_synth_popcount((win ^ wff)')
i = src.rindex('endmodule')
open(sys.argv[2], 'w').write(src[:i] + fn + src[i:])
PY

# ---- one yosys job per logic module: the module's file read whole, every other file as black
# boxes (so submodules are counted by their own rows); flip-flops lowered to plain D flip-flops
# (enables and synchronous resets become gates) so that `stat -tech cmos` knows every cell.
synth_one() { # module
    local mod=$1 file s
    s=$(date +%s)
    file=$(grep -l "^module $mod\b" "${logic_files[@]}")
    local src=$file
    [ "$mod" = erg_bna_neuron ] && src="$work/erg_bna_neuron.v"
    local others=()
    for f in "${logic_files[@]}" "${sram_files[@]}"; do [ "$f" = "$file" ] || others+=("$f"); done
    cat >"$work/$mod.ys" <<YS
read_verilog -sv -lib $inc ${others[*]}
read_verilog -sv $inc $src
chparam$chparam $mod
hierarchy -check -top $mod
synth -flatten -top $mod
dfflegalize -cell \$_DFF_P_ x
opt_clean
tee -o $work/$mod.stat stat -tech cmos
YS
    if ! yosys -q -l "$work/$mod.log" "$work/$mod.ys" >/dev/null 2>&1; then
        echo "synth: $mod FAILED (see $work/$mod.log)" >&2
        return 1
    fi
    echo "synth: $mod done in $(( $(date +%s) - s )) s"
}
export -f synth_one
export work root inc chparam
export logic_files_s="${logic_files[*]}" sram_files_s="${sram_files[*]}"
logic=$(awk '$1 !~ /^erg_sram_/ {print $1}' "$work/modules.txt")
echo "synth: $(echo "$logic" | wc -w) modules, $jobs in parallel"
# the neuron first: it is the longest job
order=$(echo "$logic" | awk '/neuron/ {print; next} {rest = rest $0 "\n"} END {printf "%s", rest}')
# shellcheck disable=SC2016 # expanded by the inner bash
echo "$order" | xargs -P "$jobs" -I{} bash -c \
    'logic_files=($logic_files_s); sram_files=($sram_files_s); synth_one "$@"' _ {}

# ---- the table: logic modules (cells of one instance without its black-box submodules), then
# the SRAMs (bits; transistors estimated at 6 per bit cell, no periphery), then the total
python3 - "$work" "$out" "$params" "$chip" <<'PY'
import os, re, sys
work, out, params, chip = sys.argv[1:5]
P = dict(kv.split('=') for kv in params.split())
P = {k: int(v) for k, v in P.items()}
rows = []
for line in open(os.path.join(work, 'modules.txt')):
    mod, n = line.split()
    n = int(n)
    if mod.startswith('erg_sram_'):
        if mod == 'erg_sram_1p':   # a weight bank: BANK_ROWS x WORD_BITS (erg_bna_derived.vh)
            bits = P['WSRAM_BYTES'] // P['BANKS'] // (P['WORD_BITS'] // 8) * P['WORD_BITS']
        elif mod == 'erg_sram_pix':  # a feature-map buffer: MEM_WORDS x 64
            bits = (P['FMAP_BYTES'] // 2 + 7) // 8 * 64
        else:
            sys.exit('synth: unknown SRAM module %s: add its size to scripts/synth.sh' % mod)
        rows.append((mod, n, None, None, None, bits * n, 6 * bits * n))
        continue
    stat = open(os.path.join(work, mod + '.stat')).read()
    cells = ffs = 0
    unknown = []
    for m in re.finditer(r'^\s+(\S+)\s+(\d+)\s*$', stat.split('Number of cells:')[1], re.M):
        typ, c = m.group(1), int(m.group(2))
        if re.search(r'erg_\w+$', typ):
            continue                    # a black-box submodule: counted in its own row
        if not typ.startswith('$_'):
            unknown.append(typ)
        cells += c
        if typ.startswith('$_DFF'):
            ffs += c
    if unknown:
        print('synth: %s: cells without a transistor estimate: %s' % (mod, unknown),
              file=sys.stderr)
    tr = int(re.search(r'Estimated number of transistors:\s+(\d+)', stat).group(1))
    rows.append((mod, n, cells, cells * n, ffs * n, 0, tr * n))

hdr = ('module', 'inst', 'cells (one)', 'cells x inst', 'FFs x inst',
       'SRAM bits x inst', 'transistors x inst')
tot = ('total', '', '', sum(r[3] or 0 for r in rows), sum(r[4] or 0 for r in rows),
       sum(r[5] for r in rows), sum(r[6] for r in rows))
logic_tr = sum(r[6] for r in rows if r[2] is not None)
fmt = lambda v: '-' if v is None else str(v)
table = [hdr] + [tuple(map(fmt, r)) for r in rows] + [tuple(map(fmt, tot))]
w = [max(len(r[i]) for r in table) for i in range(len(hdr))]
lines = ['BNA area by yosys (%s; %s)' % (os.path.relpath(chip), params),
         'cells: yosys internal gates after `synth -flatten` (flip-flops as $_DFF_P_, enables and',
         'synchronous resets as gates); transistors: `stat -tech cmos` estimate, no technology',
         'mapping. SRAM: not synthesized; transistors = 6 x bits (bit cells only, an',
         'estimate). FFs: flip-flops.', '']
for i, r in enumerate(table):
    lines.append('  '.join(r[0].ljust(w[0]) if j == 0 else r[j].rjust(w[j]) for j in range(len(r))))
    if i == 0 or i == len(table) - 2:
        lines.append('  '.join('-' * x for x in w))
lines.append('')
lines.append('logic transistors %d, SRAM bit-cell transistors %d' % (logic_tr, tot[6] - logic_tr))
text = '\n'.join(lines) + '\n'
blank = lambda v: '' if v is None else str(v)
csv = '\n'.join(','.join(map(blank, r)) for r in [hdr] + rows + [tot]) + '\n'
for name, body in (('area.txt', text), ('area.csv', csv)):
    tmp = os.path.join(out, name + '.tmp')
    with open(tmp, 'w') as f:
        f.write(body)
    os.replace(tmp, os.path.join(out, name))
sys.stdout.write(text)
PY
echo "synth: $out/area.txt, area.csv ($(( $(date +%s) - t0 )) s)"
echo "synth: price leakage with it: erg run --chip CHIP.cfg --net NET.cfg --area $out/area.csv"
