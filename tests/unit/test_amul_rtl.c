/* test_amul_rtl.c — the multiplier-library RTL (rtl/amac, the generated top erg_amul_lib through
 * sim/amul_rtl.cpp) against the C library (models/amac/erg_amul.c): for every instance of
 * erg_amul.def all 65,536 operand pairs must give the same product; select codes past the last
 * instance give 0; and a few products derived by hand from the definitions, on both sides. */

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdlib.h>

#include "erg_amul.h"

#ifdef ERG_HAVE_RTL

#include "amul_rtl.h"

/* ---- every instance, exhaustively ---- */

ParameterizedTestParameters(amul_rtl, instance_equals_c_for_all_operands) {
    static int ids[ERG_AMUL_COUNT];
    for (int id = 0; id < ERG_AMUL_COUNT; id++) ids[id] = id;
    return cr_make_param_array(int, ids, ERG_AMUL_COUNT);
}

ParameterizedTest(int *id, amul_rtl, instance_equals_c_for_all_operands) {
    const erg_amul_info *info = erg_amul_info_of(*id);
    cr_assert_not_null(info);
    uint16_t *rtl = malloc(65536 * sizeof *rtl);
    uint16_t *c = malloc(65536 * sizeof *c);
    cr_assert(rtl && c);
    cr_assert_eq(erg_amul_rtl_table(*id, rtl), 0);
    erg_amul_table(*id, c);
    for (int k = 0; k < 65536; k++) {
        /* the first mismatch is the one reported */
        if (rtl[k] == c[k]) continue;
        uint8_t a = (uint8_t)(k >> 8), b = (uint8_t)k;
        cr_assert_eq(erg_amul_eval(*id, a, b), c[k], "%s: erg_amul_table disagrees with eval",
                     info->name);
        cr_assert_fail("%s (sel %d, %s %d/%d): a = %d, b = %d: C gives %u, RTL gives %u",
                       info->name, *id, erg_amul_family_name(info->family), info->p1, info->p2, a,
                       b, c[k], rtl[k]);
    }
    /* the single-pair entry point agrees with the table (one pair per row) */
    for (int a = 0; a < 256; a++) {
        uint8_t b = (uint8_t)(a * 37 + 11);
        cr_assert_eq(erg_amul_rtl_eval(*id, (uint8_t)a, b), c[a * 256 + b],
                     "%s: erg_amul_rtl_eval(%d, %d)", info->name, a, b);
    }
    free(rtl);
    free(c);
}

/* ---- the select port ---- */

Test(amul_rtl, sel_past_the_last_instance_gives_zero) {
    uint16_t *t = malloc(65536 * sizeof *t);
    cr_assert_not_null(t);
    /* the generated top has as many instances as the C library: the last one is there */
    cr_assert_neq(erg_amul_rtl_eval(ERG_AMUL_COUNT - 1, 255, 255), 0);
    for (int sel = ERG_AMUL_COUNT; sel < ERG_AMUL_RTL_SELS; sel++) {
        cr_assert_eq(erg_amul_rtl_table(sel, t), 0);
        for (int k = 0; k < 65536; k++)
            cr_assert_eq(t[k], 0, "sel %d: a = %d, b = %d gives %u", sel, k >> 8, k & 255, t[k]);
    }
    /* outside the port's range: refused, table untouched */
    t[0] = 12345;
    cr_assert_eq(erg_amul_rtl_table(-1, t), -1);
    cr_assert_eq(erg_amul_rtl_table(ERG_AMUL_RTL_SELS, t), -1);
    cr_assert_eq(t[0], 12345);
    cr_assert_eq(erg_amul_rtl_eval(-1, 255, 255), 0);
    cr_assert_eq(erg_amul_rtl_eval(ERG_AMUL_RTL_SELS, 255, 255), 0);
    free(t);
}

/* ---- products derived by hand from the definitions (erg_amul.def) ---- */

typedef struct hand {
    int id;
    uint8_t a, b;
    uint16_t o;
} hand;

Test(amul_rtl, hand_derived_products) {
    const hand cases[] = {
        /* exact: 255 * 255 */
        {ERG_AMUL_ID_exact, 255, 255, 65025},
        /* trunc4, a = b = 15: pp(i,j) = 1 for i, j <= 3; column c holds 1, 2, 3, 4, 3, 2, 1
         * ones for c = 0 .. 6. Columns 4 .. 6 stay: 3*16 + 2*32 + 1*64 = 176 (225 - 49). */
        {ERG_AMUL_ID_trunc4, 15, 15, 176},
        /* perf2: b = 3 has only rows 0 and 1, both left out; b = 7 keeps row 2: 10 * 4 */
        {ERG_AMUL_ID_perf2, 255, 3, 0},
        {ERG_AMUL_ID_perf2, 10, 7, 40},
        /* bam2_6, a = b = 255: rows j = 2 .. 7, in each the columns max(6, j) .. j + 7:
         * j=2: 2^6..2^9 = 960, j=3: 2^6..2^10 = 1984, j=4: 4032, j=5: 8128, j=6: 16320,
         * j=7: 2^7..2^14 = 32640; total 64064 */
        {ERG_AMUL_ID_bam2_6, 255, 255, 64064},
        /* loa4, a = b = 15: columns 0 .. 3 each have a one, OR = 1: 15; upper part as
         * trunc4: 176; 191 */
        {ERG_AMUL_ID_loa4, 15, 15, 191},
        /* drum4, 255: msb 7, t = 4, ((255 >> 4) | 1) << 4 = 240; 240 * 240 */
        {ERG_AMUL_ID_drum4, 255, 255, 57600},
        /* drum4, 200 = 1100 1000b: t = 4, (12 | 1) << 4 = 208; 3 < 16 stays: 208 * 3 */
        {ERG_AMUL_ID_drum4, 200, 3, 624},
        /* dsm3, 255: t = 5, (255 >> 5) << 5 = 224; 224 * 224 */
        {ERG_AMUL_ID_dsm3, 255, 255, 50176},
        /* mitchell7, 3 x 3: k = 1, f = (3 - 2) << 6 = 64, s = 128 (not < 128):
         * (128 << 3) >> 7 = 8 */
        {ERG_AMUL_ID_mitchell7, 3, 3, 8},
        /* mitchell7, 255 x 255: k = 7, f = 127, s = 254: (254 << 15) >> 7 = 65024 */
        {ERG_AMUL_ID_mitchell7, 255, 255, 65024},
        /* mitchell4, 255 x 255: f = 127 AND NOT 7 = 120, s = 240: (240 << 15) >> 7 = 61440 */
        {ERG_AMUL_ID_mitchell4, 255, 255, 61440},
        /* cmp4, a = b = 15: columns 0 .. 2 have 1, 2, 3 bits (no group of four, all kept);
         * column 3 has four ones: one compressor, sum (1^1)|(1^1) = 0, carry 1 to column 4;
         * columns 4, 5, 6 keep 3 + 1, 2, 1 ones: 1 + 4 + 12 + 0 + 64 + 64 + 64 = 209 */
        {ERG_AMUL_ID_cmp4, 15, 15, 209},
        /* kul4: digit block p = q = 0 (weight 2^0 < 2^4) gives 3 x 3 = 7 */
        {ERG_AMUL_ID_kul4, 3, 3, 7},
        /* kul4: 12 x 12 is the block p = q = 1, weight 2^4, exact: 9 << 4 */
        {ERG_AMUL_ID_kul4, 12, 12, 144},
        /* kul16, 255 x 255: all 16 blocks give 7: 7 * (1 + 4 + 16 + 64)^2 = 7 * 7225 */
        {ERG_AMUL_ID_kul16, 255, 255, 50575},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const hand *h = &cases[k];
        const char *name = erg_amul_info_of(h->id)->name;
        cr_expect_eq(erg_amul_rtl_eval(h->id, h->a, h->b), h->o, "RTL %s(%d, %d): %u, not %u", name,
                     h->a, h->b, erg_amul_rtl_eval(h->id, h->a, h->b), h->o);
        cr_expect_eq(erg_amul_eval(h->id, h->a, h->b), h->o, "C %s(%d, %d): %u, not %u", name, h->a,
                     h->b, erg_amul_eval(h->id, h->a, h->b), h->o);
    }
}

#else

Test(amul_rtl, is_not_built_without_verilator) {
    cr_log_info(
        "this build has no Verilator: the multiplier-library RTL and its test are left out");
}

#endif
