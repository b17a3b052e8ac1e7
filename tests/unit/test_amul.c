/* test_amul.c — the multiplier library (models/amac/erg_amul.def, docs/amac.md): every family
 * against hand-worked examples, closed forms and independent brute force, the instance list,
 * name lookup, the table-driven erg_mul8u, and the EvoApprox-style characterization metrics
 * (uniform and histogram-weighted) against hand-derived values. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amul.h"
#include "erg_amul_char.h"

#define NPAIRS 65536

static int id_of(const char *name) {
    erg_error err;
    int id = erg_amul_find(name, &err);
    cr_assert_geq(id, 0, "%s: %s", name, err.msg);
    return id;
}

static uint16_t ev(const char *name, unsigned a, unsigned b) {
    return erg_amul_eval(id_of(name), (uint8_t)a, (uint8_t)b);
}

static erg_amul_metrics metrics_of(const char *name, const uint64_t *hist) {
    erg_amul_metrics m;
    erg_error err;
    cr_assert_eq(erg_amul_characterize_id(id_of(name), hist, &m, &err), 0, "%s", err.msg);
    return m;
}

/* ---- the instance list ---- */

Test(amul, list_has_at_least_40_instances_in_at_least_8_approximate_families) {
    cr_assert_geq(ERG_AMUL_COUNT, 40);
    cr_assert_eq(ERG_AMUL_COUNT, 42);
    int seen[ERG_AMUL_FAMILY_COUNT] = {0};
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        const erg_amul_info *in = erg_amul_info_of(id);
        cr_assert_not_null(in);
        cr_assert_not_null(in->name);
        cr_assert_not_null(in->description);
        cr_assert((int)in->family >= 0 && in->family < ERG_AMUL_FAMILY_COUNT);
        seen[in->family]++;
    }
    int approx = 0;
    for (int f = 0; f < ERG_AMUL_FAMILY_COUNT; f++)
        if (f != ERG_AMUL_EXACT && seen[f]) approx++;
    cr_assert_geq(approx, 8);
    cr_assert_eq(approx, 9);
    cr_assert_eq(seen[ERG_AMUL_EXACT], 1);
    cr_assert_null(erg_amul_info_of(-1));
    cr_assert_null(erg_amul_info_of(ERG_AMUL_COUNT));
    /* the select code is the position in erg_amul.def */
    cr_assert_str_eq(erg_amul_info_of(0)->name, "exact");
    cr_assert_eq(ERG_AMUL_ID_exact, 0);
    cr_assert_eq(ERG_AMUL_ID_trunc4, 2);
    cr_assert_eq(ERG_AMUL_ID_kul16, 41);
    const erg_amul_info *bam = erg_amul_info_of(ERG_AMUL_ID_bam2_6);
    cr_assert_eq(bam->family, ERG_AMUL_BAM);
    cr_assert_eq(bam->p1, 2);
    cr_assert_eq(bam->p2, 6);
}

Test(amul, family_names) {
    const char *names[] = {"EXACT", "TRUNC", "PERF",     "BAM", "LOA",
                           "DRUM",  "DSM",   "MITCHELL", "CMP", "KUL"};
    for (int f = 0; f < ERG_AMUL_FAMILY_COUNT; f++)
        cr_assert_str_eq(erg_amul_family_name((erg_amul_family)f), names[f]);
}

Test(amul, all_tables_pairwise_different_and_at_most_65025) {
    uint16_t *t = malloc((size_t)ERG_AMUL_COUNT * NPAIRS * sizeof *t);
    cr_assert_not_null(t);
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        erg_amul_table(id, t + (size_t)id * NPAIRS);
        for (int k = 0; k < NPAIRS; k++)
            cr_assert_leq(t[(size_t)id * NPAIRS + k], 65025, "%s(%d, %d)",
                          erg_amul_info_of(id)->name, k >> 8, k & 255);
    }
    /* no two instances compute the same function (BAM(h, v) with v >= h + 7 would equal
     * TRUNC(v): the list avoids those) */
    for (int i = 0; i < ERG_AMUL_COUNT; i++)
        for (int j = i + 1; j < ERG_AMUL_COUNT; j++)
            cr_assert(memcmp(t + (size_t)i * NPAIRS, t + (size_t)j * NPAIRS, NPAIRS * sizeof *t),
                      "%s and %s have the same table", erg_amul_info_of(i)->name,
                      erg_amul_info_of(j)->name);
    free(t);
}

Test(amul, bam_with_vertical_break_past_its_rows_is_trunc) {
    /* the reason for the known duplicates, over all pairs and a range of parameters */
    for (int h = 0; h <= 4; h++)
        for (int v = h + 7; v <= 12; v++)
            for (unsigned a = 0; a < 256; a++)
                for (unsigned b = 0; b < 256; b++)
                    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_BAM, h, v, a, b),
                                 erg_amul_family_eval(ERG_AMUL_TRUNC, v, 0, a, b));
}

Test(amul, only_drum_can_overestimate) {
    /* TRUNC, PERF, BAM drop pp bits; LOA replaces a column sum by its OR (<= the sum); DSM
     * clears low operand bits; Mitchell's log2(1 + f) ~ f underestimates; a CMP compressor
     * keeps s + 2c <= x1 + x2 + x3 + x4 (1111 -> 2, 1010 -> 1, else equal); KUL 7 < 9. DRUM's
     * forced 1 can round an operand up: drum4 of 128 x 1 = 144. */
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        const erg_amul_info *in = erg_amul_info_of(id);
        if (in->family == ERG_AMUL_DRUM) continue;
        for (unsigned a = 0; a < 256; a++)
            for (unsigned b = 0; b < 256; b++)
                cr_assert_leq(erg_amul_eval(id, a, b), a * b, "%s(%u, %u)", in->name, a, b);
    }
    cr_assert_gt(ev("drum4", 128, 1), 128);
}

Test(amul, zero_operand_gives_zero) {
    for (int id = 0; id < ERG_AMUL_COUNT; id++)
        for (unsigned x = 0; x < 256; x++) {
            cr_assert_eq(erg_amul_eval(id, 0, x), 0);
            cr_assert_eq(erg_amul_eval(id, x, 0), 0);
        }
}

/* ---- name lookup ---- */

Test(amul, find_exact_names) {
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        erg_error err;
        cr_assert_eq(erg_amul_find(erg_amul_info_of(id)->name, &err), id);
    }
    cr_assert_eq(id_of("mitchell7"), ERG_AMUL_ID_mitchell7);
    cr_assert_eq(id_of("loa12"), ERG_AMUL_ID_loa12);
}

static void expect_unknown(const char *name, const char *msg) {
    erg_error err = {{0}};
    cr_assert_eq(erg_amul_find(name, &err), -1, "%s", name);
    cr_assert_str_eq(err.msg, msg);
}

Test(amul, find_unknown_names_suggests_the_nearest) {
    /* trunc2/4/6/8 are all one edit from trunc5: ties go to the nearest trailing number, and
     * between 4 and 6 (both 1 away) to the first listed */
    expect_unknown("trunc5", "unknown multiplier 'trunc5' (did you mean 'trunc4'?)");
    /* trunc2 and trunc10 are both one edit away; 10 is nearer to 12 */
    expect_unknown("trunc12", "unknown multiplier 'trunc12' (did you mean 'trunc10'?)");
    expect_unknown("mitchel5", "unknown multiplier 'mitchel5' (did you mean 'mitchell5'?)");
    expect_unknown("bam26", "unknown multiplier 'bam26' (did you mean 'bam2_6'?)");
    expect_unknown("TRUNC4", "unknown multiplier 'TRUNC4' (did you mean 'trunc4'?)");
    expect_unknown("exatc", "unknown multiplier 'exatc' (did you mean 'exact'?)");
    /* nothing near: the whole list */
    erg_error err;
    cr_assert_eq(erg_amul_find("booth", &err), -1);
    cr_assert(strstr(err.msg, "unknown multiplier 'booth' (built-in: exact, trunc2, "));
    cr_assert(strstr(err.msg, "kul16)"));
    cr_assert_eq(erg_amul_find("", &err), -1);
    cr_assert_eq(erg_amul_find(NULL, &err), -1);
    cr_assert_eq(erg_amul_find("nope", NULL), -1); /* no err: still just -1 */
}

/* ---- erg_mul8u ---- */

Test(amul, mul8u_matches_eval_on_all_pairs) {
    int ids[] = {ERG_AMUL_ID_exact, ERG_AMUL_ID_loa8,      ERG_AMUL_ID_drum4,
                 ERG_AMUL_ID_cmp10, ERG_AMUL_ID_mitchell3, ERG_AMUL_ID_kul16};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        const erg_mul8u *m = erg_amul_mul8u(ids[k]);
        cr_assert_not_null(m);
        cr_assert_eq(erg_amul_mul8u(ids[k]), m); /* built once */
        cr_assert_str_eq(m->name, erg_amul_info_of(ids[k])->name);
        for (unsigned a = 0; a < 256; a++)
            for (unsigned b = 0; b < 256; b++)
                cr_assert_eq(m->fn(m->ctx, a, b), erg_amul_eval(ids[k], a, b));
    }
    cr_assert_null(erg_amul_mul8u(-1));
    cr_assert_null(erg_amul_mul8u(ERG_AMUL_COUNT));
    /* signed use as the golden kernels make it: sign(w) M(a, |w|) */
    const erg_mul8u *k16 = erg_amul_mul8u(ERG_AMUL_ID_kul16);
    cr_assert_eq(erg_mul_signed(k16, 3, -3), -7);
    cr_assert_eq(erg_mul_signed(k16, 3, 3), 7);
}

Test(amul, exact_is_exact) {
    const erg_mul8u *m = erg_amul_mul8u(ERG_AMUL_ID_exact);
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) cr_assert_eq(m->fn(m->ctx, a, b), a * b);
}

/* ---- TRUNC ---- */

Test(amul, trunc_wce_at_all_ones) {
    /* Column c < 8 holds c + 1 pp bits (i = 0 .. c); columns 8 .. 14 hold 15 - c. At a = b =
     * 255 every pp bit is 1, so TRUNC(k) loses sum_{c<k} (bits in c) 2^c, which is the WCE
     * (no other pair loses more, every dropped bit being 1 there):
     *   k = 2:  1 + 2*2                                    = 5
     *   k = 4:  5 + 3*4 + 4*8                              = 49
     *   k = 6:  49 + 5*16 + 6*32                           = 321
     *   k = 8:  321 + 7*64 + 8*128                         = 1793   ((k-1) 2^k + 1 for k<=8)
     *   k = 10: 1793 + 7*256 + 6*512 (columns 8, 9)        = 6657 */
    const char *names[] = {"trunc2", "trunc4", "trunc6", "trunc8", "trunc10"};
    const unsigned wce[] = {5, 49, 321, 1793, 6657};
    for (int k = 0; k < 5; k++) {
        cr_assert_eq(ev(names[k], 255, 255), 65025 - wce[k], "%s", names[k]);
        erg_amul_metrics m = metrics_of(names[k], NULL);
        cr_assert_eq(m.wce, wce[k], "%s", names[k]);
        cr_assert_float_eq(m.wce_pct, wce[k] / 65536.0 * 100, 1e-12);
        cr_assert_eq(m.e_max, 0);
        cr_assert_eq(m.e_min, -(int)wce[k]);
    }
}

Test(amul, trunc_examples) {
    /* trunc4, 7 x 7: pp bits a_i b_j for i, j in 0..2 (columns 0..4); columns < 4 dropped:
     * col 0: 1, col 1: 2, col 2: 3, col 3: 2 (i=1,j=2 and i=2,j=1) -> 1 + 4 + 12 + 16 = 33;
     * 49 - 33 = 16 (column 4, the bit a_2 b_2). */
    cr_assert_eq(ev("trunc4", 7, 7), 16);
    /* trunc2, 3 x 2: pp (0,1) = 1 in column 1 and (1,1) = 1 in column 2: 6 - 2 = 4 */
    cr_assert_eq(ev("trunc2", 3, 2), 4);
    /* other parameters: TRUNC(0) is exact, TRUNC(15) leaves nothing */
    for (unsigned a = 0; a < 256; a += 7)
        for (unsigned b = 0; b < 256; b += 5) {
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_TRUNC, 0, 0, a, b), a * b);
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_TRUNC, 15, 0, a, b), 0);
        }
    /* TRUNC(14) keeps only a_7 b_7 */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_TRUNC, 14, 0, 255, 255), 16384);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_TRUNC, 14, 0, 127, 255), 0);
}

/* ---- PERF ---- */

Test(amul, perf_closed_form_and_wce) {
    /* O = a (b AND NOT (2^m - 1)); the loss a (b mod 2^m) is largest at a = 255,
     * b mod 2^m = 2^m - 1: WCE = 255 (2^m - 1) = 255, 765, 1785, 3825 for m = 1..4. */
    const char *names[] = {"perf1", "perf2", "perf3", "perf4"};
    for (int m = 1; m <= 4; m++) {
        int id = id_of(names[m - 1]);
        unsigned mask = ~((1u << m) - 1);
        for (unsigned a = 0; a < 256; a++)
            for (unsigned b = 0; b < 256; b++)
                cr_assert_eq(erg_amul_eval(id, a, b), a * (b & mask));
        cr_assert_eq(metrics_of(names[m - 1], NULL).wce, 255u * ((1u << m) - 1));
    }
    /* other parameters: PERF(0) exact, PERF(8) zero, PERF(6) */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_PERF, 0, 0, 200, 201), 40200);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_PERF, 8, 0, 200, 201), 0);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_PERF, 6, 0, 200, 201), 200 * 192);
}

/* ---- BAM ---- */

Test(amul, bam_examples) {
    /* bam1_4, 15 x 15: row j = 0 left out: a * b_0 = 15; rows j >= 1 lose columns < 4:
     * j = 1: i = 0..2 -> 2 + 4 + 8 = 14; j = 2: i = 0..1 -> 4 + 8 = 12; j = 3: i = 0 -> 8.
     * 225 - 15 - 14 - 12 - 8 = 176. */
    cr_assert_eq(ev("bam1_4", 15, 15), 176);
    /* bam2_6 WCE, at 255 x 255: rows 0, 1: 255 * 3 = 765; columns < 6 of rows >= 2:
     * j = 2: cols 2..5 = 60; j = 3: cols 3..5 = 56; j = 4: 48; j = 5: 32 -> 196. 961. */
    cr_assert_eq(ev("bam2_6", 255, 255), 65025 - 961);
    cr_assert_eq(metrics_of("bam2_6", NULL).wce, 961);
    /* BAM(h, 0) = PERF(h), BAM(0, v) = TRUNC(v), BAM(0, 0) exact */
    for (unsigned a = 0; a < 256; a += 3)
        for (unsigned b = 0; b < 256; b++) {
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_BAM, 3, 0, a, b),
                         erg_amul_family_eval(ERG_AMUL_PERF, 3, 0, a, b));
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_BAM, 0, 5, a, b),
                         erg_amul_family_eval(ERG_AMUL_TRUNC, 5, 0, a, b));
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_BAM, 0, 0, a, b), a * b);
        }
}

/* ---- LOA ---- */

Test(amul, loa_examples) {
    /* loa4, 3 x 3: col 0: a0b0 = 1; col 1: a0b1 | a1b0 = 1 (sum 2); col 2: a1b1 = 1.
     * All below column 4: 1 + 2 + 4 = 7 (exact 9). */
    cr_assert_eq(ev("loa4", 3, 3), 7);
    /* loa4, 15 x 15: columns 0..3 OR -> 1 each = 15; columns 4, 5, 6 hold 3, 2, 1 ones summed
     * exactly: 48 + 64 + 64 = 176; 191. loa6: columns 0..5 OR = 63, column 6: 64 -> 127. */
    cr_assert_eq(ev("loa4", 15, 15), 191);
    cr_assert_eq(ev("loa6", 15, 15), 127);
    /* loa4 WCE at 255 x 255: the exact low part 1 + 2*2 + 3*4 + 4*8 = 49 becomes 15: 34 */
    cr_assert_eq(ev("loa4", 255, 255), 65025 - 34);
    cr_assert_eq(metrics_of("loa4", NULL).wce, 34);
    /* a column with a single one is unchanged: LOA of operands with one bit each is exact */
    cr_assert_eq(ev("loa12", 64, 32), 2048);
    /* LOA(0) and LOA(1) are exact (column 0 has one bit) */
    for (unsigned a = 0; a < 256; a += 3)
        for (unsigned b = 0; b < 256; b++) {
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_LOA, 0, 0, a, b), a * b);
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_LOA, 1, 0, a, b), a * b);
        }
    /* LOA(16): every column ORed: 255 x 255 -> 2^15 - 1 */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_LOA, 16, 0, 255, 255), 32767);
}

/* ---- DRUM and DSM ---- */

Test(amul, drum_examples) {
    /* drum4: 128 = 1000_0000b, msb 7, t = 7 - 4 + 1 = 4: (1000b | 1) << 4 = 1001_0000b = 144;
     * 1 < 16 stays 1: 144. */
    cr_assert_eq(ev("drum4", 128, 1), 144);
    /* drum4, 200 x 100: 200 = 1100_1000b, t = 4: (1100b | 1) << 4 = 208; 100 = 110_0100b,
     * msb 6, t = 3: (1100b | 1) << 3 = 104; 208 * 104 = 21632 (exact 20000). */
    cr_assert_eq(ev("drum4", 200, 100), 21632);
    /* 16 = 2^4 is already segmented (t = 1): (1000b | 1) << 1 = 18; 15 stays */
    cr_assert_eq(ev("drum4", 16, 1), 18);
    cr_assert_eq(ev("drum4", 15, 15), 225);
    /* drum6 255 x 255: t = 2, (111111b | 1) << 2 = 252; 252^2 = 63504 */
    cr_assert_eq(ev("drum6", 255, 255), 63504);
    /* DRUM(8) is exact; DRUM(7) of 255: (1111111b | 1) << 1 = 254 */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DRUM, 8, 0, 255, 255), 65025);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DRUM, 7, 0, 255, 1), 254);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DRUM, 7, 0, 128, 1), 130);
}

Test(amul, dsm_examples) {
    /* dsm4, 200 x 100: 200 -> 1100b << 4 = 192, 100 -> 1100b << 3 = 96: 18432 */
    cr_assert_eq(ev("dsm4", 200, 100), 18432);
    cr_assert_eq(ev("dsm4", 128, 1), 128);
    /* dsm3, 255 x 255: t = 5, 111b << 5 = 224: 50176 */
    cr_assert_eq(ev("dsm3", 255, 255), 50176);
    cr_assert_eq(metrics_of("dsm3", NULL).wce, 65025 - 50176);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DSM, 8, 0, 255, 254), 255 * 254);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DSM, 1, 0, 255, 100), 128 * 64);
}

/* Segment by searching for the shift (a different path from the library's msb formula). */
static unsigned dsm_ref(unsigned x, int m) {
    unsigned t = 0;
    while ((x >> t) >= (1u << m)) t++;
    return x & ~((1u << t) - 1);
}

static unsigned drum_ref(unsigned x, int k) {
    unsigned t = 0;
    while ((x >> t) >= (1u << k)) t++;
    return t ? (x & ~((1u << t) - 1)) | (1u << t) : x;
}

Test(amul, drum_dsm_against_a_search_for_the_shift) {
    for (int k = 3; k <= 6; k++)
        for (unsigned a = 0; a < 256; a++)
            for (unsigned b = 0; b < 256; b++) {
                cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DSM, k, 0, a, b),
                             dsm_ref(a, k) * dsm_ref(b, k));
                cr_assert_eq(erg_amul_family_eval(ERG_AMUL_DRUM, k, 0, a, b),
                             drum_ref(a, k) * drum_ref(b, k));
            }
}

/* ---- MITCHELL ---- */

Test(amul, mitchell_examples) {
    /* mitchell7, 3 x 3: ka = kb = 1, fa = fb = (3 - 2) << 6 = 64, s = 128 >= 128:
     * O = (128 << 3) >> 7 = 8. */
    cr_assert_eq(ev("mitchell7", 3, 3), 8);
    /* mitchell7, 255 x 255: ka = kb = 7, fa = fb = 127, s = 254: (254 << 15) >> 7 = 65024 */
    cr_assert_eq(ev("mitchell7", 255, 255), 65024);
    /* mitchell3: 127 AND NOT 15 = 112, s = 224: 224 * 256 = 57344 */
    cr_assert_eq(ev("mitchell3", 255, 255), 57344);
    /* mitchell4, 5 x 6: fa = 1 << 5 = 32, fb = 2 << 5 = 64 (kept by AND NOT 7), s = 96 < 128:
     * ((128 + 96) << 4) >> 7 = 3584 >> 7 = 28 (exact 30). */
    cr_assert_eq(ev("mitchell4", 5, 6), 28);
    /* powers of two are exact: fractions 0, O = 128 << (ka + kb) >> 7 */
    cr_assert_eq(ev("mitchell3", 64, 32), 2048);
    cr_assert_eq(ev("mitchell3", 1, 1), 1);
    /* 7 x 7: fa = fb = 3 << 5 = 96. w = 7: s = 192: (192 << 5) >> 7 = 48.
     * w = 1 keeps bit 6 only: 64 + 64 = 128: (128 << 5) >> 7 = 32. w = 0: s = 0: 128 << 4 >> 7
     * = 16. */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_MITCHELL, 7, 0, 7, 7), 48);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_MITCHELL, 1, 0, 7, 7), 32);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_MITCHELL, 0, 0, 7, 7), 16);
    /* a zero operand short-cuts to 0 */
    cr_assert_eq(ev("mitchell7", 0, 200), 0);
}

Test(amul, mitchell_within_its_classic_bound) {
    /* Mitchell's relative error is at most 1 - 8/9 = 11.1 % (at fa = fb = 1/2), before the
     * truncating >> 7; with truncation add < 1 / exact. */
    int id = id_of("mitchell7");
    for (unsigned a = 1; a < 256; a++)
        for (unsigned b = 1; b < 256; b++) {
            double o = erg_amul_eval(id, a, b), x = a * b;
            cr_assert_geq(o, x * (8.0 / 9.0) - 1.0 - 1e-9, "%u x %u = %g", a, b, o);
        }
}

/* ---- CMP ---- */

Test(amul, cmp_examples) {
    /* A column's list holds all its pp positions (a zero bit is still a wire).
     * cmp4, 7 x 7 (a = b = 111b): col 0 [1]: 1; col 1 [1, 1]: 2; col 2 [1, 1, 1]: 3 (fewer
     * than four: kept); col 3 = [a0b3, a1b2, a2b1, a3b0] = [0, 1, 1, 0]: s = (0^1)|(1^0) = 1,
     * c = (0&1)|(1&0) = 0 -> 1 kept, carry 0 to col 4; col 4 (>= 4, all kept): pp a2b2 = 1 and
     * the carry 0 -> 1. O = 1 + 2*2 + 3*4 + 1*8 + 1*16 = 41 (exact 49). */
    cr_assert_eq(ev("cmp4", 7, 7), 41);
    /* cmp4, 15 x 15: col 3 = [1, 1, 1, 1]: s = 0, c = 1; col 4 pp [0, 1, 1, 1, 0] + carry 1:
     * 4 ones; col 5 pp [0, 0, 1, 1, 0, 0]: 2; col 6: a3b3 = 1.
     * O = 1 + 4 + 12 + 0 + 4*16 + 2*32 + 64 = 209 (exact 225). */
    cr_assert_eq(ev("cmp4", 15, 15), 209);
    /* cmp6, 15 x 15: as cmp4 to col 3; col 4 [0, 1, 1, 1, 0, c=1]: group (0, 1, 1, 1): s = 1,
     * c = 1; rest [0, 1] kept -> 2 ones; col 5 [0, 0, 1, 1, 0, 0, c=1]: group (0, 0, 1, 1):
     * s = 0|0 = 0, c = 0|1 = 1; rest [0, 0, 1] -> 1; col 6 [.., a3b3 = 1, .., c=1] -> 2.
     * O = 1 + 4 + 12 + 0 + 2*16 + 1*32 + 2*64 = 209 (same value, other route). */
    cr_assert_eq(ev("cmp6", 15, 15), 209);
    /* CMP(c) with c <= 3 is exact: columns 0..2 hold at most 3 bits, no group forms */
    for (unsigned a = 0; a < 256; a += 3)
        for (unsigned b = 0; b < 256; b++)
            cr_assert_eq(erg_amul_family_eval(ERG_AMUL_CMP, 3, 0, a, b), a * b);
    /* cmp4 WCE at 255 x 255: col 3 [1, 1, 1, 1] -> s 0, c 1: 4*8 becomes 16, -16 */
    cr_assert_eq(ev("cmp4", 255, 255), 65025 - 16);
    cr_assert_eq(metrics_of("cmp4", NULL).wce, 16);
    /* cmp5 adds col 4 at 255 x 255: [1, 1, 1, 1, 1, c=1]: group -> s 0, c 1; rest 2 kept:
     * 6 ones (96) become 2*16 + carry 1*32 = 64: another -32 -> 65025 - 48 = 64977 */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_CMP, 5, 0, 255, 255), 64977);
}

/* ---- KUL ---- */

Test(amul, kul_examples) {
    /* 3 x 3: one block (p = q = 0), 2p + 2q = 0 < l: 7 for every kul */
    cr_assert_eq(ev("kul4", 3, 3), 7);
    cr_assert_eq(ev("kul16", 3, 3), 7);
    /* 255 x 255: all 16 blocks are 3 x 3, weight 4^(p+q); a block approximate loses 2 4^(p+q).
     * kul4: p + q <= 1: 1 + 4 + 4 = 9 -> -18 -> 65007.
     * kul8: p + q <= 3: 1 + 2*4 + 3*16 + 4*64 = 313 -> -626 -> 64399.
     * kul12: p + q <= 5: 313 + 3*256 + 2*1024 = 3129 -> -6258 -> 58767.
     * kul16: all: (1 + 4 + 16 + 64)^2 = 7225 -> 7 * 7225 = 50575. */
    cr_assert_eq(ev("kul4", 255, 255), 65007);
    cr_assert_eq(ev("kul8", 255, 255), 64399);
    cr_assert_eq(ev("kul12", 255, 255), 58767);
    cr_assert_eq(ev("kul16", 255, 255), 50575);
    cr_assert_eq(metrics_of("kul16", NULL).wce, 14450);
    /* kul4, 12 x 3: a_1 = 3, b_0 = 3, 2p + 2q = 2 < 4: 7 * 4 = 28 (exact 36) */
    cr_assert_eq(ev("kul4", 12, 3), 28);
    /* 48 x 48: a_2 = b_2 = 3, 2p + 2q = 8: exact in kul8 (8 is not < 8), 7 * 256 in kul12 */
    cr_assert_eq(ev("kul8", 48, 48), 2304);
    cr_assert_eq(ev("kul12", 48, 48), 1792);
    /* KUL(0) exact; KUL(2): only block (0, 0): 255 x 255 -> -2 */
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_KUL, 0, 0, 255, 255), 65025);
    cr_assert_eq(erg_amul_family_eval(ERG_AMUL_KUL, 2, 0, 255, 255), 65023);
}

/* ---- characterization, uniform ---- */

Test(amul, exact_has_all_metrics_zero) {
    erg_amul_metrics m = metrics_of("exact", NULL);
    cr_assert_eq(m.pairs, 65536);
    cr_assert_eq(m.pairs_nonzero, 65025); /* 255 * 255 pairs with a, b != 0 */
    cr_assert_eq(m.wce, 0);
    cr_assert_eq(m.mae, 0);
    cr_assert_eq(m.mae_pct, 0);
    cr_assert_eq(m.wce_pct, 0);
    cr_assert_eq(m.ep_pct, 0);
    cr_assert_eq(m.mre_pct, 0);
    cr_assert_eq(m.wcre_pct, 0);
    cr_assert_eq(m.mse, 0);
    cr_assert_eq(m.bias, 0);
    cr_assert_eq(m.std, 0);
    cr_assert_eq(m.e_min, 0);
    cr_assert_eq(m.e_max, 0);
}

Test(amul, trunc2_uniform_metrics_by_hand) {
    /* trunc2 loses x + 2y + 2z with x = a0b0, y = a0b1, z = a1b0; over uniform pairs the bits
     * are independent fair coins. E[x] = E[y] = E[z] = 1/4: MAE = 1/4 + 2/4 + 2/4 = 1.25.
     * No error iff x = y = z = 0: a0 = 0 needs a1b0 = 0 (3/4), a0 = 1 needs b0 = b1 = 0 (1/4):
     * 1/2 * 3/4 + 1/2 * 1/4 = 1/2 -> EP = 50 %.
     * MSE = E[x^2] + 4E[y^2] + 4E[z^2] + 4E[xy] + 4E[xz] + 8E[yz]
     *     = 1/4 + 1 + 1 + 4/8 + 4/8 + 8/16 = 3.75; bias = -1.25; std = sqrt(3.75 - 1.5625).
     * WCE 5 at a0 = a1 = b0 = b1 = 1; WCRE 100 % (1 x 1 -> 0). */
    erg_amul_metrics m = metrics_of("trunc2", NULL);
    cr_assert_eq(m.pairs, 65536);
    cr_assert_float_eq(m.mae, 1.25, 1e-12);
    cr_assert_float_eq(m.mae_pct, 1.25 / 65536 * 100, 1e-15);
    cr_assert_float_eq(m.ep_pct, 50.0, 1e-12);
    cr_assert_float_eq(m.mse, 3.75, 1e-12);
    cr_assert_float_eq(m.bias, -1.25, 1e-12);
    cr_assert_float_eq(m.std, sqrt(2.1875), 1e-12);
    cr_assert_eq(m.wce, 5);
    cr_assert_float_eq(m.wcre_pct, 100.0, 1e-12);
}

Test(amul, perf1_uniform_metrics_by_hand) {
    /* perf1: e = -a b0. MAE = E[a] / 2 = 127.5 / 2 = 63.75. E[a^2] = 255 * 511 / 6 = 21717.5
     * -> MSE = 10858.75; bias = -63.75. EP: a != 0 and b odd: 255 * 128 / 65536.
     * MRE over a, b != 0: |e| / ab = 1/b for odd b, 0 for even b, the same for each of the
     * 255 values of a: (sum_{odd b} 1/b) / 255. WCRE 100 % at b = 1. WCE 255. */
    erg_amul_metrics m = metrics_of("perf1", NULL);
    cr_assert_float_eq(m.mae, 63.75, 1e-12);
    cr_assert_float_eq(m.mse, 10858.75, 1e-9);
    cr_assert_float_eq(m.bias, -63.75, 1e-12);
    cr_assert_float_eq(m.std, sqrt(10858.75 - 63.75 * 63.75), 1e-9);
    cr_assert_float_eq(m.ep_pct, 255.0 * 128 / 65536 * 100, 1e-12);
    double s = 0;
    for (int b = 1; b < 256; b += 2) s += 1.0 / b;
    cr_assert_float_eq(m.mre_pct, s / 255 * 100, 1e-10);
    cr_assert_float_eq(m.wcre_pct, 100.0, 1e-12);
    cr_assert_eq(m.wce, 255);
}

Test(amul, kul4_uniform_metrics_by_hand) {
    /* kul4 loses 2 w in each block (p, q) in {(0,0) w 1, (0,1) w 4, (1,0) w 4} whose two
     * digits are 3 (probability 1/16 each): MAE = 2 (1 + 4 + 4) / 16 = 1.125.
     * EP = P(A or B or C), A = a0=3 & b0=3, B = a0=3 & b1=3, C = a1=3 & b0=3:
     * 3/16 - P(AB) - P(AC) - P(BC) + P(ABC) = 3/16 - 1/64 - 1/64 - 1/256 + 1/256 = 5/32. */
    erg_amul_metrics m = metrics_of("kul4", NULL);
    cr_assert_float_eq(m.mae, 1.125, 1e-12);
    cr_assert_float_eq(m.bias, -1.125, 1e-12);
    cr_assert_float_eq(m.ep_pct, 500.0 / 32, 1e-12);
    cr_assert_eq(m.wce, 18);
    /* WCRE: 3 x 3 -> 7: 2/9 */
    cr_assert_float_eq(m.wcre_pct, 200.0 / 9, 1e-10);
}

/* Every metric by a plain double loop over the pairs, products from a closed form. */
static void brute_metrics(unsigned (*f)(unsigned, unsigned, int), int p, erg_amul_metrics *m) {
    double sa = 0, se = 0, sq = 0, srel = 0, wcre = 0;
    int wce = 0, nerr = 0, nnz = 0;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            int e = (int)f(a, b, p) - (int)(a * b);
            int ae = abs(e);
            sa += ae;
            se += e;
            sq += (double)e * e;
            if (ae > wce) wce = ae;
            if (e) nerr++;
            if (a && b) {
                nnz++;
                srel += (double)ae / (a * b);
                if ((double)ae / (a * b) > wcre) wcre = (double)ae / (a * b);
            }
        }
    m->mae = sa / 65536;
    m->wce = (uint32_t)wce;
    m->ep_pct = nerr / 65536.0 * 100;
    m->mre_pct = srel / nnz * 100;
    m->wcre_pct = wcre * 100;
    m->mse = sq / 65536;
    m->bias = se / 65536;
    m->std = sqrt(m->mse - m->bias * m->bias);
}

static unsigned perf_ref(unsigned a, unsigned b, int m) {
    return a * (b - b % (1u << m));
}

static unsigned dsm_prod(unsigned a, unsigned b, int m) {
    return dsm_ref(a, m) * dsm_ref(b, m);
}

static unsigned trunc_ref(unsigned a, unsigned b, int k) {
    /* a b minus the value of the columns below k: (a mod 2^k) is not enough (cross terms),
     * so the columns below k are summed from the low parts a mod 2^k, b mod 2^k bit by bit */
    unsigned low = 0;
    for (int c = 0; c < k; c++)
        for (int i = 0; i <= c; i++)
            if (i < 8 && c - i < 8) low += (((a >> i) & (b >> (c - i))) & 1u) << c;
    return a * b - low;
}

static void check_brute(const char *name, unsigned (*f)(unsigned, unsigned, int), int p) {
    erg_amul_metrics want, got = metrics_of(name, NULL);
    brute_metrics(f, p, &want);
    cr_assert_float_eq(got.mae, want.mae, 1e-9, "%s", name);
    cr_assert_float_eq(got.mae_pct, want.mae / 65536 * 100, 1e-12, "%s", name);
    cr_assert_eq(got.wce, want.wce, "%s", name);
    cr_assert_float_eq(got.ep_pct, want.ep_pct, 1e-9, "%s", name);
    cr_assert_float_eq(got.mre_pct, want.mre_pct, 1e-9, "%s", name);
    cr_assert_float_eq(got.wcre_pct, want.wcre_pct, 1e-9, "%s", name);
    cr_assert_float_eq(got.mse, want.mse, 1e-6 * (1 + want.mse), "%s", name);
    cr_assert_float_eq(got.bias, want.bias, 1e-9, "%s", name);
    cr_assert_float_eq(got.std, want.std, 1e-6, "%s", name);
}

Test(amul, uniform_metrics_match_an_independent_brute_force) {
    check_brute("perf2", perf_ref, 2);
    check_brute("perf4", perf_ref, 4);
    check_brute("dsm4", dsm_prod, 4);
    check_brute("trunc6", trunc_ref, 6);
}

/* ---- characterization, histogram-weighted ---- */

Test(amul, histogram_weighted_metrics_by_hand) {
    /* kul4 on three operand pairs: (3, 3) x 3 (O 7, e -2), (255, 255) x 1 (e -18), (0, 5) x 4
     * (e 0, exact 0). pairs = 8, of them 4 with exact != 0.
     * MAE = (3*2 + 18) / 8 = 3; EP = 4 / 8 = 50 %; bias = -3; MSE = (3*4 + 324) / 8 = 42;
     * std = sqrt(42 - 9) = sqrt(33); WCE 18; MRE = (3 * 2/9 + 18/65025) / 4;
     * WCRE = 2/9 (max over the counted pairs only). */
    uint64_t *h = calloc(NPAIRS, sizeof *h);
    cr_assert_not_null(h);
    h[3 * 256 + 3] = 3;
    h[255 * 256 + 255] = 1;
    h[0 * 256 + 5] = 4;
    erg_amul_metrics m = metrics_of("kul4", h);
    cr_assert_eq(m.pairs, 8);
    cr_assert_eq(m.pairs_nonzero, 4);
    cr_assert_float_eq(m.mae, 3.0, 1e-12);
    cr_assert_float_eq(m.mae_pct, 3.0 / 65536 * 100, 1e-15);
    cr_assert_float_eq(m.ep_pct, 50.0, 1e-12);
    cr_assert_float_eq(m.bias, -3.0, 1e-12);
    cr_assert_float_eq(m.mse, 42.0, 1e-12);
    cr_assert_float_eq(m.std, sqrt(33.0), 1e-12);
    cr_assert_eq(m.wce, 18);
    cr_assert_float_eq(m.wce_pct, 18.0 / 65536 * 100, 1e-15);
    cr_assert_float_eq(m.mre_pct, (3 * 2.0 / 9 + 18.0 / 65025) / 4 * 100, 1e-12);
    cr_assert_float_eq(m.wcre_pct, 200.0 / 9, 1e-12);
    cr_assert_eq(m.e_min, -18);
    cr_assert_eq(m.e_max, 0);

    /* two pairs of drum4, one over, one under: (128, 1) -> 144 (e +16), (255, 255): t = 4,
     * (1111b | 1) << 4 = 240, 240^2 = 57600 (e -7425). Counts 1 and 1. MAE = 7441 / 2;
     * bias = (16 - 7425) / 2; std = |16 + 7425| / 2 (two equal weights: half the gap). */
    memset(h, 0, NPAIRS * sizeof *h);
    h[128 * 256 + 1] = 1;
    h[255 * 256 + 255] = 1;
    m = metrics_of("drum4", h);
    cr_assert_eq(m.pairs, 2);
    cr_assert_float_eq(m.mae, 7441 / 2.0, 1e-9);
    cr_assert_float_eq(m.bias, (16 - 7425) / 2.0, 1e-9);
    cr_assert_float_eq(m.std, 7441 / 2.0, 1e-6);
    cr_assert_eq(m.e_min, -7425);
    cr_assert_eq(m.e_max, 16);
    cr_assert_eq(m.wce, 7425);
    cr_assert_float_eq(m.wcre_pct, 16.0 / 128 * 100, 1e-12);

    /* a histogram of all ones is the uniform case */
    for (int k = 0; k < NPAIRS; k++) h[k] = 1;
    erg_amul_metrics u = metrics_of("loa8", NULL), w = metrics_of("loa8", h);
    cr_assert_eq(w.pairs, u.pairs);
    cr_assert_eq(w.wce, u.wce);
    cr_assert_float_eq(w.mae, u.mae, 1e-12);
    cr_assert_float_eq(w.mre_pct, u.mre_pct, 1e-12);
    cr_assert_float_eq(w.std, u.std, 1e-9);
    /* scaling every count changes nothing; huge counts stay exact */
    for (int k = 0; k < NPAIRS; k++) h[k] = (uint64_t)1 << 40;
    w = metrics_of("loa8", h);
    cr_assert_eq(w.pairs, (uint64_t)1 << 56);
    cr_assert_float_eq(w.mae, u.mae, 1e-12);
    cr_assert_float_eq(w.mse, u.mse, 1e-6);
    free(h);
}

Test(amul, histogram_errors) {
    uint64_t *h = calloc(NPAIRS, sizeof *h);
    erg_amul_metrics m;
    erg_error err;
    cr_assert_eq(erg_amul_characterize_id(ERG_AMUL_ID_trunc4, h, &m, &err), -1);
    cr_assert(strstr(err.msg, "empty"), "%s", err.msg);
    h[0] = UINT64_MAX;
    h[1] = 1;
    cr_assert_eq(erg_amul_characterize_id(ERG_AMUL_ID_trunc4, h, &m, &err), -1);
    cr_assert(strstr(err.msg, "exceeds"), "%s", err.msg);
    cr_assert_eq(erg_amul_characterize_id(ERG_AMUL_COUNT, NULL, &m, &err), -1);
    /* only zero-product pairs: MRE has no pairs and is 0 */
    h[0] = 5;
    h[1] = 0;
    cr_assert_eq(erg_amul_characterize_id(ERG_AMUL_ID_trunc4, h, &m, &err), 0);
    cr_assert_eq(m.pairs_nonzero, 0);
    cr_assert_eq(m.mre_pct, 0);
    free(h);
}
