#!/usr/bin/env bash
# Runs a trained Fashion-MNIST net through `erg run --backend golden` and asserts the number of
# correct predictions equals the exporter's integer evaluation recorded in export.txt:
#   slice: the committed first 1,000 test images (slice_correct_1000)
#   full:  the 10,000 test images of Debian's dataset-fashion-mnist (int_correct_10000)
# With a fourth argument CHIP.cfg the net runs on that chip's C model instead of golden (with
# backend=NAME too, on that backend: e.g. systemc, the SystemC platform, docs/systemc.md).
# With an argument op=NAME it runs at the net's operating point NAME (golden, or on the chip when
# CHIP.cfg is given too: an amac chip runs the approximate
# multipliers, docs/amac.md); the expected counts are then erg's own bit-exact measurements,
# recorded as NAME_slice_correct_1000 / NAME_int_correct_10000 in configs/nets/NET/op_points.txt.
set -u
erg="$1"; net="$2"; which="$3"; chip=""; op=""; backend=cmodel
for a in "${@:4}"; do
    case "$a" in op=*) op="${a#op=}" ;; backend=*) backend="${a#backend=}" ;; *) chip="$a" ;; esac
done
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
export_txt="configs/nets/$net/export.txt"
[ -z "$op" ] || export_txt="configs/nets/$net/op_points.txt"
[ -f "$export_txt" ] || { echo "missing $export_txt"; exit 1; }
if [ "$which" = slice ]; then
    images=tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz
    labels=tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz
    key=slice_correct_1000; total=1000
else
    images=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
    labels=/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
    key=int_correct_10000; total=10000
fi
[ -z "$op" ] || key="${op}_$key"
expected=$(sed -n "s/^$key = //p" "$export_txt")
[ -n "$expected" ] || { echo "$export_txt has no $key"; exit 1; }
if [ -n "$chip" ]; then
    out=$("$erg" run --chip "$chip" --backend "$backend" --net "configs/nets/$net.cfg" ${op:+--op-point "$op"} --dataset "$images" "$labels" --quiet)
elif [ -n "$op" ]; then
    out=$("$erg" run --backend golden --net "configs/nets/$net.cfg" --op-point "$op" --dataset "$images" "$labels" --quiet)
else
    out=$("$erg" run --backend golden --net "configs/nets/$net.cfg" --dataset "$images" "$labels" --quiet)
fi
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "erg exited with $rc"; exit 1; }
if grep -qF "($expected / $total correct)" <<<"$out"; then
    echo "ok: $expected / $total correct, as ${op:+recorded in }$export_txt"
    exit 0
fi
echo "FAIL: expected $expected / $total correct ($export_txt), erg says otherwise"
exit 1
