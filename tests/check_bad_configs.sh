#!/usr/bin/env bash
# Runs `erg check` on every malformed fixture in tests/data/bad/*.cfg and asserts exit status 2
# and the message each fixture documents in its "# expect:" line (plus its own file name).
set -u
erg="$1"; dir="${2:-tests/data/bad}"
pass=0; fail=0
for f in "$dir"/*.cfg; do
    kind=$(sed -n 's/^# check: //p' "$f" | head -n 1)
    expect=$(sed -n 's/^# expect: //p' "$f" | head -n 1)
    if [ -z "$kind" ] || [ -z "$expect" ]; then
        echo "FAIL $f: fixture lacks '# check:' or '# expect:'"; fail=$((fail + 1)); continue
    fi
    if [ "$kind" = map ]; then  # a valid net that the BinarEye chip cannot run
        out=$("$erg" check --chip configs/chips/binareye.cfg --net "$f" 2>&1); rc=$?
    else
        out=$("$erg" check --"$kind" "$f" 2>&1); rc=$?
    fi
    if [ $rc -ne 2 ]; then
        echo "FAIL $f: exit status $rc, expected 2; output: $out"; fail=$((fail + 1))
    elif ! grep -qF -- "$expect" <<<"$out"; then
        echo "FAIL $f: message lacks: $expect"; echo "     got: $out"; fail=$((fail + 1))
    elif ! grep -qF -- "$f" <<<"$out"; then
        echo "FAIL $f: message does not name the file: $out"; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
