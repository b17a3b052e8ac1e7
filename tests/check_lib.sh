# check_lib.sh — what the CLI check scripts share (sourced; `erg` must be set): run the erg
# binary capturing its output and exit status, then check both.
pass=0; fail=0; out=""; rc=0
run() { out=$("$erg" "$@" 2>&1); rc=$?; }
check() { # check DESCRIPTION EXPECTED_RC [SUBSTRING...]
    local what="$1" want="$2"; shift 2
    local ok=1
    [ "$rc" -eq "$want" ] || ok=0
    for s in "$@"; do grep -qF -- "$s" <<<"$out" || ok=0; done
    if [ $ok -eq 1 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $what (exit $rc, wanted $want; looked for: $*)"; echo "$out" | head -n 20
    fi
}
