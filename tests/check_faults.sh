#!/bin/sh
# check_faults.sh ERG — verification that bites (issue 5, docs/verification.md): `erg verify`
# must report each deliberately broken RTL variant (the test-only ERG_BNA_FAULTS build, backend
# cosim:rtl-faultN) as a mismatch with exit status 1 and the expected kind of message, and pass
# the same command on the unbroken RTL. Run from the source tree.
set -u
erg=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cmd="verify --chip configs/chips/binareye.cfg --random 10 --seed 1 --quiet"

# run BACKEND WANT_RC PATTERN: the command's exit status and (for a mismatch) stderr text
run() {
    "$erg" $cmd --backend "$1" --trace "$tmp/w.fst" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$2" ]; then
        echo "FAIL: --backend $1: exit status $rc, expected $2"
        cat "$tmp/out" "$tmp/err"
        fail=1
    elif [ -n "$3" ] && ! grep -q "$3" "$tmp/err"; then
        echo "FAIL: --backend $1: no '$3' in the message:"
        cat "$tmp/err"
        fail=1
    else
        echo "ok: --backend $1: exit $rc $(grep 'MISMATCH' "$tmp/err" | head -1)"
    fi
}

run cosim 0 ""
run cosim:rtl-fault0 0 ""                              # the fault build, no fault selected
# pooling window off by one: a pooled pixel differs
run cosim:rtl-fault1 1 "MISMATCH: .*RTL and C model differ at feature-map buffer"
# one popcount bit dropped: a thresholded bit or a classifier dot differs
run cosim:rtl-fault2 1 "MISMATCH: .*RTL and C model differ at \(feature-map buffer\|OUT\[\)"
# the stall counter misses the weight loads
run cosim:rtl-fault3 1 "MISMATCH: .*RTL and C model differ at counter 'stall_cycles'"
# a missing reset: the OUT registers read their random power-up values, caught by the
# register read-back right after reset
run cosim:rtl-fault4 1 "MISMATCH: after reset.*RTL and C model differ at OUT\[0\]"
exit $fail
