#!/usr/bin/env bash
# A multiplier brought as Verilog, compiled into the MAC-array RTL through the build's
# multiplier list (docs/rtl-amac.md, "Your own multiplier in the array"): configures a build of
# its own with ERG_RTL_AMAC_CHIP = the test chip amac8_mask4 (whose set holds mask4's product
# table) and ERG_AMAC_RTL_USER_MULS = mask4's Verilog, builds erg, and runs `erg verify` on
# random int8 networks whose layers use every multiplier of the set, mask4 included: RTL, C
# model and golden must agree. Label full (a build of its own takes minutes).
#   tests/check_user_mul_rtl.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build-usermul}"
chip=tests/data/chips/amac8_mask4.cfg
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DERG_RTL_AMAC_CHIP="$PWD/$chip" \
    -DERG_AMAC_RTL_USER_MULS="mask4=$PWD/tests/data/amul/mask4.v:mask4_mul" >"$dir.log" 2>&1 ||
    { cat "$dir.log"; exit 1; }
cmake --build "$dir" -j"$(nproc)" --target erg >>"$dir.log" 2>&1 || { tail -40 "$dir.log"; exit 1; }
grep -q "erg_amul_set" "$dir/generated/amac/erg_amul_set.v"
grep -q "mask4_mul u_m2_mask4" "$dir/generated/amac/erg_amul_set.v" ||
    { echo "mask4 is not in the generated multiplier set"; exit 1; }
out=$("$dir/erg" verify --chip "$chip" --random 30 --seed 5)
echo "$out"
echo "$out" | grep -q "RTL and C model agree"
# the unit reports the user multiplier's MUL_ID (MUL_ID_USER + 0) on both sides: the random
# nets' layers chose mask4 among the set (checked by lockstep reads of every MUL_ID)
