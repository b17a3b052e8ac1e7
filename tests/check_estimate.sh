#!/usr/bin/env bash
# The estimator against the cycle-level simulation (docs/estimate.md, "Consistency"): for each
# shipped network on a chip and the platform that mirrors it, `erg estimate`'s energy per frame
# must lie within +-15 % of `erg run`'s (C model). Prints the table docs/estimate.md shows.
#   tests/check_estimate.sh ERG
set -u
erg="$1"
fail=0
printf '%-28s %-10s %12s %12s %8s\n' net chip "sim uJ" "estimate uJ" "diff"
while read -r net chip; do
    sim=$("$erg" run --chip "configs/chips/$chip.cfg" --net "configs/nets/$net.cfg" --format json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["energy_j"])') || fail=1
    est=$("$erg" estimate --platform "configs/platforms/$chip.cfg" --net "configs/nets/$net.cfg" \
        --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["energy_j"])') || fail=1
    line=$(python3 -c "
s, e = $sim, $est
d = (e - s) / s * 100
print('%-28s %-10s %12.4f %12.4f %+7.1f%% %s' % ('$net', '$chip', s * 1e6, e * 1e6, d, 'ok' if abs(d) <= 15 else 'OUTSIDE +-15%'))")
    echo "$line"
    case "$line" in *OUTSIDE*) fail=1 ;; esac
done <<'LIST'
binareye_cifar10_f64 binareye
binareye_cifar10_f128 binareye
binareye_cifar10_f256 binareye
binareye_cifar10_f256_depth6 binareye
fmnist_bnn binareye
fmnist_int8 amac8
LIST
exit $fail
