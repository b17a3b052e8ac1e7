#!/usr/bin/env bash
# tests/check_sweep.sh ERG — `erg sweep` end to end (docs/sweep.md): a sweep split in 3 shards
# and merged with cat is byte-identical to the unsharded one (for the estimator and the C
# model); a killed run (partial last line) resumes to the same file; finished points are
# skipped; the results do not depend on the folder erg runs in; the printed Pareto front equals
# a brute-force front computed from the JSON lines; a C-model point equals `erg run`; and bad
# results files and shards are refused with exit status 2.
set -u
erg=$(realpath "$1")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

for cfg in configs/sweeps/generic28_arrays.cfg configs/sweeps/amac8_points.cfg; do
    n=$(basename "$cfg" .cfg)
    "$erg" sweep "$cfg" --out "$tmp/$n.all" --quiet || { bad "$n: unsharded run"; continue; }
    for i in 0 1 2; do "$erg" sweep "$cfg" --shard $i/3 --out "$tmp/$n.s$i" --quiet || bad "$n: shard $i/3"; done
    cat "$tmp/$n.s0" "$tmp/$n.s1" "$tmp/$n.s2" > "$tmp/$n.merged"
    pts=$(wc -l < "$tmp/$n.all")
    if cmp -s "$tmp/$n.all" "$tmp/$n.merged"; then ok "$n: 3 shards merged = unsharded ($pts points)"
    else bad "$n: 3 shards merged differ from the unsharded sweep"; fi
    # every shard non-empty and disjoint: the line counts add up
    s0=$(wc -l < "$tmp/$n.s0"); s1=$(wc -l < "$tmp/$n.s1"); s2=$(wc -l < "$tmp/$n.s2")
    [ "$s0" -gt 0 ] && [ "$s1" -gt 0 ] && [ "$s2" -gt 0 ] && [ $((s0 + s1 + s2)) -eq "$pts" ] \
        && ok "$n: shards of $s0 + $s1 + $s2 points" || bad "$n: shard sizes $s0 $s1 $s2 of $pts"
done

cfg=configs/sweeps/generic28_arrays.cfg; all="$tmp/generic28_arrays.all"
# resume after a kill: 100 whole lines and half of the 101st
head -n 100 "$all" > "$tmp/part"; sed -n 101p "$all" | head -c 60 >> "$tmp/part"
out=$("$erg" sweep "$cfg" --shard 0/1 --out "$tmp/part" --quiet 2>&1) || bad "resume: $out"
cmp -s "$all" "$tmp/part" && ok "resume: a partial last line dropped, the rest added, same file" \
    || bad "resume: the resumed file differs"
# resume skips finished points: shards 0 and 1 done, the unsharded run adds only shard 2
cat "$tmp/generic28_arrays.s0" "$tmp/generic28_arrays.s1" > "$tmp/two"
msg=$("$erg" sweep "$cfg" --shard 2/3 --out "$tmp/two" 2>&1 | head -n 1)
cmp -s "$all" "$tmp/two" && ok "resume: only the missing shard evaluated" || bad "resume of shards 0+1 differs"
# the same file from another folder (paths in the results are the sweep file's own)
(cd "$tmp" && "$erg" sweep "$OLDPWD/$cfg" --out elsewhere --quiet) && cmp -s "$all" "$tmp/elsewhere" \
    && ok "results independent of the working folder" || bad "results depend on the working folder"

# the front printed (csv) against a brute-force front of the JSON lines
"$erg" sweep "$cfg" --out "$all" --format csv > "$tmp/front.csv" || bad "front: exit status"
python3 - "$all" "$tmp/front.csv" <<'PY' && ok "Pareto front = brute force" || bad "Pareto front differs from brute force"
import csv, json, sys
pts = [json.loads(l) for l in open(sys.argv[1])]
want = []
for p in pts:
    a, e = p["area_mm2"], p["energy_j"]
    dom = any((q["area_mm2"] <= a and q["energy_j"] <= e) and
              (q["area_mm2"] < a or q["energy_j"] < e or q["index"] < p["index"])
              for q in pts if q is not p)
    if not dom: want.append(p["index"])
want.sort(key=lambda i: (pts[i]["area_mm2"], i))
got = [int(r["index"]) for r in csv.DictReader(open(sys.argv[2]))]
print("front:", got)
sys.exit(0 if got == want and len(got) > 2 else 1)
PY

# a C-model point is `erg run` on the same chip: 8 x 8 (amac8.cfg's own), 0.9 V, op point exact
line=$(grep '"unit.rows": 8, "unit.cols": 8, "voltage": 0.9, "op_point": "exact"' "$tmp/amac8_points.all")
run=$("$erg" run --chip configs/chips/amac8.cfg --net configs/nets/fmnist_int8.cfg --volt 0.9 --format json 2>/dev/null)
python3 - "$line" "$run" <<'PY' && ok "cmodel point = erg run (cycles exact; energy once leakage is scaled to the area model's mm^2)" || bad "cmodel point differs from erg run"
import json, sys
p, r = json.loads(sys.argv[1]), json.loads(sys.argv[2])
t = r["total"]
# the sweep's area model gives 2.283 mm^2 where the chip config says 2.29: leakage scales with it
e = t["energy_j"] - t["energy"]["leak"] * (1 - p["area_mm2"] / r["area_mm2"])
print("sweep", p["cycles"], p["energy_j"], "run", t["cycles"], e)
sys.exit(0 if t["cycles"] == p["cycles"] and abs(p["energy_j"] / e - 1) < 1e-5 else 1)
PY

# the plot: a PNG (gnuplot), written through a temporary file
if command -v gnuplot >/dev/null; then
    "$erg" sweep "$cfg" --out "$all" --quiet --plot "$tmp/front.png" && \
        [ "$(head -c 4 "$tmp/front.png" | tail -c 3)" = PNG ] && ok "front plotted" || bad "front plot"
fi

# refusals: exit 2 with a message naming the file and line
printf '{"index": 0, "net": "x"}\n' > "$tmp/junk"
out=$("$erg" sweep "$cfg" --out "$tmp/junk" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qF "$tmp/junk:1: not a line of erg sweep's results" <<<"$out" && ok "foreign results file refused" \
    || bad "foreign results file: rc $rc: $out"
out=$("$erg" sweep "$cfg" --shard 3/3 --out "$tmp/x" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qF "expects I/N with 0 <= I < N" <<<"$out" && ok "bad shard refused" || bad "shard 3/3: rc $rc: $out"
out=$("$erg" sweep configs/sweeps/amac8_points.cfg --out "$all" 2>&1); rc=$?
[ $rc -eq 2 ] && grep -qF "point 108, but the sweep has 108 points" <<<"$out" && ok "another sweep's results refused" \
    || bad "another sweep's results: rc $rc: $out"
exit $fail
