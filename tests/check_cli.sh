#!/usr/bin/env bash
# The `erg` command line as a user meets it: help, usage errors (exit 2 with a suggestion),
# missing files, atomic --out, data sets that do not fit the net, deterministic seeded runs.
set -u
erg="$1"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/check_lib.sh"

run; check "no command is a usage error" 2 "usage: erg <command>"
run --help; check "top-level help lists the commands" 0 "info" "run" "check"
run runn; check "unknown command suggests the nearest" 2 "unknown command 'runn' (did you mean 'run'?)"
for c in info run check; do
    run "$c" --help; check "$c --help shows an example" 0 "usage: erg $c" "example"
done

# conv1 31*31*256*(2*2*255) = 250,936,320; conv2 30*30*256*1024 = 235,929,600;
# conv3 29^2*256*1024 = 220,463,104; conv4 28^2*... = 205,520,896; conv5 13^2*... = 44,302,336;
# conv6 12^2*... = 37,748,736; conv7 5^2*... = 6,553,600; conv8 4^2*... = 4,194,304;
# fc 4096*10 = 40,960; total 1,005,689,856 binary MACs (REFERENCES.md: about 1.006 G).
run info configs/nets/binareye_cifar10_f256.cfg
check "info prints the BinarEye F=256 MAC count" 0 "1005689856" "32x32x255" "31x31x256"
run info configs/nets/binareye_cifar10_f64.cfg --format csv
check "info --format csv has a header and a total row" 0 "name,type,in_h" "total,"
run info no/such/net.cfg; check "a missing file names it" 2 "no/such/net.cfg: cannot open: No such file or directory"
run info configs/nets/binareye_cifar10_f64.cfg --fromat json
check "a misspelt option suggests the right one" 2 "unknown option --fromat (did you mean --format?)"
run run --backend golden; check "run needs --net" 2 "--net NET.cfg is required"
run run --net configs/nets/binareye_cifar10_f64.cfg --backend rtll
check "an unknown backend is a usage error" 2 "unknown backend 'rtll'"
run run --net configs/nets/binareye_cifar10_f64.cfg --limit ten
check "a non-numeric --limit is a usage error" 2 "--limit expects a non-negative integer, found 'ten'"

# --out writes through a temporary file: the result is complete, nothing else is left behind.
run info configs/nets/binareye_cifar10_f64.cfg --format json --out "$tmp/net.json"
check "info --out writes the file" 0
if python3 -m json.tool "$tmp/net.json" >/dev/null 2>&1 && [ "$(ls "$tmp" | wc -l)" -eq 1 ]; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: --out JSON is invalid or left files: $(ls "$tmp")"; fi
run info configs/nets/binareye_cifar10_f64.cfg --out "$tmp/no/such/dir/x.txt"
check "--out into a missing folder is bad input" 2 "$tmp/no/such/dir/x.txt: cannot create"

# Seeded random runs are reproducible.
run run --net configs/nets/binareye_cifar10_f64.cfg --input random --seed 5; a="$out"
run run --net configs/nets/binareye_cifar10_f64.cfg --input random --seed 5
if [ "$a" = "$out" ] && [ $rc -eq 0 ] && grep -q "frame 0: class" <<<"$out"; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: seeded random runs differ: '$a' vs '$out'"; fi

# Inputs that do not fit the net.
run run --net configs/nets/binareye_cifar10_f64.cfg --dataset tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz
check "a data set of the wrong image size is bad input" 2 "do not match the input 32x32x3"
head -c 100 tests/data/bad/weights/ok/fc.w.npy > "$tmp/cut.npy"
run run --net tests/data/nets/tiny_bnn.cfg --input "$tmp/cut.npy"
check "a truncated input file is bad input" 2 "$tmp/cut.npy" "truncated"
run run --net tests/data/nets/tiny_bnn.cfg --input tests/data/bad/weights/ok/fc.w.npy
check "an int8 array is not an image" 2 "expected uint8 pixels, found int8"
run check --net tests/data/nets/tiny_bnn.cfg; check "a small trained-format net checks ok" 0 "ok (net 'tiny-bnn'"

# Chip runs: the report validates against the schema; CSV has a row per layer and a total.
run run --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f64.cfg --format json --out "$tmp/r.json"
check "a chip run writes its JSON report" 0
if python3 tests/check_report_schema.py < "$tmp/r.json"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the JSON report does not follow the schema"; fi
run run --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f64.cfg --format csv
check "the CSV report has the schema's columns and a total row" 0 "name,unit,cycles,stall_cycles,macs,ops,energy_j" "total,,"
# F = 64: 12 layers + header + total = 14 lines
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 14 ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: CSV has $(printf '%s\n' "$out" | wc -l) lines, expected 14"; fi
run run --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f256.cfg
check "the table report names every layer and the totals" 0 "conv1 " "fc " "uJ/frame" "1b-TOPS/W"
run run --chip configs/chips/binareye.cfg --peak
check "--peak prints the calibrated peak" 0 "peak of chip 'binareye': 229.7 1b-TOPS/W at 0.6 V"
run run --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f64.cfg --volt 0.6 --freq 40
check "a clock above the operating point is bad input" 2 "40 MHz exceeds chip 'binareye''s maximum clock at 0.6 V (25.83 MHz)"
run run --chip configs/chips/binareye.cfg --net tests/data/bad/map_kernel_3x3.cfg
check "a net the chip cannot run is rejected before simulation" 2 "kernel 3x3 is not supported by unit 'bna0'"
run run --net configs/nets/binareye_cifar10_f64.cfg --backend cmodel
check "cmodel without a chip is a usage error" 2 "--backend cmodel runs a chip: add --chip CHIP.cfg"

# --area: chip area for leakage from scripts/synth.sh's table (a committed copy), a number,
# or refused with the file named (logic 0.754 + SRAM 0.811 = 1.566 mm^2; tests/unit/test_area.c)
f64=configs/nets/binareye_cifar10_f64.cfg
run run --chip configs/chips/binareye.cfg --net $f64 --area tests/data/synth_area.csv
check "--area FILE.csv prices leakage with the synthesized area" 0 \
    "area 1.57 mm^2 (synthesized: tests/data/synth_area.csv, logic 0.754 + SRAM 0.811 mm^2)"
run run --chip configs/chips/binareye.cfg --net $f64 --area 2.8 --format json
check "--area MM2 is reported in the JSON" 0 '"area_mm2": 2.8, "area_source": "--area"'
run run --chip configs/chips/binareye.cfg --net $f64 --area tests/data/area/no_total.csv
check "a truncated area table is bad input" 2 "no_total.csv:8: no \`total\` row"
run run --chip configs/chips/binareye.cfg --net $f64 --area -1
check "a negative area is bad input" 2 "--area expects an area in mm^2"
run run --chip configs/chips/binareye.cfg --net $f64 --area tests/data/synth_area.csv --tech configs/tech/45nm.cfg
check "a tech without area figures cannot convert a synthesized table" 2 "has no area figures"
run run --net $f64 --area 1.4
check "--area without --chip is a usage error" 2 "--area prices a chip's leakage; add --chip"

# erg characterize (docs/amac.md): metrics of built-ins without synthesis, bad multipliers
run characterize --mul exact,trunc4 --no-synth --format csv
# trunc4 drops columns 0..3: bias -12.25 = -(sum over columns c<4 of (c+1) 2^c / 4) = -(1 + 4 +
# 12 + 32) / 4; EP 81.25 % (tests/unit/test_amul.c derives both)
check "characterize: trunc4's metrics" 0 "trunc4,TRUNC," ",81.25,"  ",-12.25,"
run characterize --mul trunk4 --no-synth
check "characterize: an unknown multiplier suggests the nearest" 2 "unknown multiplier 'trunk4' (did you mean 'trunc4'?)"
run characterize --mul tests/data/amul/small.npy --no-synth
check "characterize: a table of the wrong shape" 2 "small.npy: expected a 256 x 256 product table"
run characterize --mul tests/data/amul/ports.v --quiet
check "characterize: a Verilog file without ports A, B, O" 2 "ports.v: the netlist has no port 'A' (name the ports with --ports A,B,O)"
run characterize --mul tests/data/amul/ports.v --ports X,Y --quiet
check "characterize: --ports needs three names" 2 "--ports expects three names A,B,O"
run characterize --net configs/nets/fmnist_int8.cfg --no-synth
check "characterize: --net needs --layer" 2 "--net and --layer go together"
run characterize --net configs/nets/fmnist_int8.cfg --layer conv3 --no-synth
check "characterize: an unknown layer suggests the nearest" 2 "no layer 'conv3' (did you mean 'conv1'?)"
run characterize --net configs/nets/fmnist_int8.cfg --layer pool1 --no-synth
check "characterize: a layer without 8x8 products" 2 "layer 'pool1' is not an int8 layer"

# QoS operating points (docs/amac.md): per-layer multipliers of an int8 net, chosen at run time
int8=configs/nets/fmnist_int8.cfg
run info $int8
check "info lists the op points and each int8 layer's multiplier" 0 "multiplier" "op point" "balanced" "loa8" "approx."
run run --net $int8 --op-point ballanced --input random
check "an unknown op point suggests the nearest" 2 "has no op point 'ballanced' (did you mean 'balanced'?)"
run run --net $int8 --op-point eco --input random --seed 3 --format json
check "golden JSON names the op point" 0 '"op_point": "eco"'
run run --net $int8 --op-point eco --input random --seed 3
check "golden output names the op point" 0 "net fmnist-int8, backend golden, op point eco" "frame 0: class"
run run --chip configs/chips/binareye.cfg --net $int8 --op-point eco
check "a chip without an amac unit refuses approximate multipliers" 2 "chip 'binareye' has no amac unit to run them on"
# ... and on the amac8 chip they run (docs/amac-chip.md)
amac=configs/chips/amac8.cfg
run check --chip $amac --net $int8
check "check maps fmnist-int8 onto amac8" 0 "3 layers on unit 'amac0', 2 pooling on the host" "5 op points"
run run --chip $amac --net $int8 --op-point eco --input random --seed 3
check "the amac report names the point, each layer's multiplier and the host pooling" 0 "op point eco" "conv2      amac0  bam3_8        16568" "pool1      host   (on the host" "26976" "TOPS/W (ops = 2 x int8 MACs)"
run run --chip $amac --net $int8 --op-point eco --input random --seed 3 --format json --out "$tmp/a.json"
check "an amac run writes its JSON report" 0
if python3 tests/check_report_schema.py < "$tmp/a.json" && grep -q '"op_point": "eco"' "$tmp/a.json" &&
   grep -q '"multiplier": "bam3_8"' "$tmp/a.json"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the amac JSON report lacks the schema, op_point or multiplier"; fi
run run --chip $amac --net $int8 --op-point eco --input random --seed 3 --format csv
check "the amac CSV names op point and multiplier per layer" 0 ",op_point,multiplier" ",eco,bam3_8"
run run --chip tests/data/chips/amac_two_muls.cfg --net $int8 --op-point balanced --input random
check "a point needing a multiplier the unit lacks is refused" 2 "layer 'conv2' at op point 'balanced': unit 'amac0' has no multiplier 'loa8' (its set: exact, loa6"
run run --chip $amac --peak
check "--peak is for bna chips" 2 "--peak is defined for chips with a bna unit"
run run --net $int8 --op-point all --input random
check "--op-point all needs an amac chip" 2 "--op-point all runs every op point on a chip's amac unit"
run verify --chip $amac --net $int8 --backend cmodel --input random --seed 2
check "verify checks every op point of the int8 net on amac8 against golden" 0 "5 frames (1 at each of 5 op points), 25 layers, 117650 output values: all match golden"
run verify --chip $amac --random 40 --seed 7 --backend cmodel
check "random int8 nets on amac8 match golden" 0 "40 random networks (seeds 7..46) on chip 'amac8', backend cmodel: all match golden"
run run --net $f64 --op-point eco
check "a net without op_points has only 'default'" 2 "has no op point 'eco': it lists no op_points"

# erg estimate (docs/estimate.md)
plat=configs/platforms/generic28.cfg
run estimate --help; check "estimate --help shows an example" 0 "usage: erg estimate" "example"
run estimate --net configs/nets/fmnist_int8.cfg --platform $plat
check "estimate prints per-layer energy and the total" 0 "conv2" "total" "uJ/frame"
run estimate --net configs/nets/fmnist_int8.cfg
check "estimate needs a platform" 2 "expected --platform PLATFORM.cfg"
run estimate --net configs/nets/fmnist_int8.cfg --platform no/such/platform.cfg
check "a missing platform is named" 2 "no/such/platform.cfg: cannot open"
run estimate --net tests/data/nets/est_3bit.cfg --platform $plat
check "a width the estimator cannot price is refused with the layer" 2 "layer 'conv1': 3-bit weights" "1, 2, 4, 8 and 16"
run run --net tests/data/nets/est_3bit.cfg --backend golden
check "a net of other widths cannot run" 2 "weight_bits = 3, act_bits = 8 cannot run" "erg estimate takes any width"
run estimate --net configs/nets/binareye_cifar10_f256.cfg --platform tests/data/platforms/tiny_no_dram.cfg
check "a platform without room for the weights says so" 2 "no memory level holds the net's" "bytes of weights"
run estimate --qnn bits=3,nl=1,nf=8 --platform $plat
check "a QNN of an unpriced width is refused" 2 "the family comes in 1, 2, 4, 8 and 16 bits"
run estimate --qnn bits=4,nl=1,nf=8:16:32 --platform $plat --net-out "$tmp/q.cfg"
check "estimate --qnn writes the net config it estimated" 0 "qnn-b4-nl1x1x1-nf8x16x32"
run check --net "$tmp/q.cfg"
check "the written QNN config is not a runnable net" 2 "weight_bits = 4, act_bits = 8 cannot run"
printf 'bits,nl,nf1,nf2,nf3,accuracy\n4,1,8,16,32,1.5\n' > "$tmp/bad.csv"
run estimate --sweep "$tmp/bad.csv" --platform $plat
check "a sweep CSV with a bad accuracy names the line" 2 "bad.csv:2: accuracy '1.5'"
printf 'bits,nl,nf1,accuracy\n' > "$tmp/hdr.csv"
run estimate --sweep "$tmp/hdr.csv" --platform $plat
check "a sweep CSV without the columns says which" 2 "hdr.csv:1: the header must name the columns"
printf 'bits,nl,nf1,nf2,nf3,accuracy\n1,1,8,16,32,0.80\n4,1,8,16,32,0.86\n8,1,8,16,32,0.87\n' > "$tmp/ok.csv"
run estimate --sweep "$tmp/ok.csv" --platform $plat --targets 0.85 --format csv
check "estimate --sweep lists each network's energy" 0 "name,bits" "qnn-b1-nl1x1x1-nf8x16x32,1"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
