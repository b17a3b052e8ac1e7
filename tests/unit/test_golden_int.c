/* test_golden_int.c — golden integer kernels: conv2d, depthwise, dense with exact and custom
 * multipliers, gemmlowp SRDHM / RDPOT and requantization; hand-derived cases and properties. */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "erg_golden.h"
#include "erg_rng.h"

static erg_conv_geom geom(int in_h, int in_w, int in_c, int k_h, int k_w, int stride, int same,
                          int out_c) {
    erg_conv_geom g;
    erg_error err;
    int rc = erg_conv_geom_init(&g, in_h, in_w, in_c, k_h, k_w, stride, same, out_c, &err);
    cr_assert_eq(rc, 0, "geometry: %s", err.msg);
    return g;
}

static size_t in_size(const erg_conv_geom *g) {
    return (size_t)g->in_h * g->in_w * g->in_c;
}
static size_t w_size(const erg_conv_geom *g) {
    return (size_t)g->out_c * g->k_h * g->k_w * g->in_c;
}
static size_t out_size(const erg_conv_geom *g) {
    return (size_t)g->out_h * g->out_w * g->out_c;
}

/* A random small convolution; out_c 0 means out_c = in_c (depthwise). *same tells the padding. */
static erg_conv_geom random_geom(erg_rng *r, int out_c, int *same_out) {
    int same = (int)erg_rng_range(r, 0, 1);
    *same_out = same;
    int in_h = (int)erg_rng_range(r, 1, 8), in_w = (int)erg_rng_range(r, 1, 8);
    int in_c = (int)erg_rng_range(r, 1, 10);
    int k_h = (int)erg_rng_range(r, 1, same ? 5 : in_h);
    int k_w = (int)erg_rng_range(r, 1, same ? 5 : in_w);
    int stride = (int)erg_rng_range(r, 1, 3);
    return geom(in_h, in_w, in_c, k_h, k_w, stride, same, out_c ? out_c : in_c);
}

static void fill_u8(erg_rng *r, uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)erg_rng_range(r, 0, 255);
}
static void fill_w(erg_rng *r, int8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (int8_t)erg_rng_range(r, -127, 127);
}

/* ---- custom multipliers ---- */

/* Drops the low 4 bits of the exact product. */
static uint16_t trunc4_fn(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx;
    return (uint16_t)(((unsigned)a * b) & ~0xfu);
}
static const erg_mul8u trunc4 = {trunc4_fn, NULL, "trunc4"};

/* Exact product plus one: M(0, b) = 1, so it shows whether padded taps go through M. */
static uint16_t plus1_fn(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx;
    return (uint16_t)((unsigned)a * b + 1u);
}
static const erg_mul8u plus1 = {plus1_fn, NULL, "plus1"};

/* Records every operand pair it is called with. */
typedef struct call_log {
    int n;
    uint8_t a[64], b[64];
} call_log;
static uint16_t logging_fn(const void *ctx, uint8_t a, uint8_t b) {
    call_log *log = (call_log *)ctx; /* the log object itself is not const */
    if (log->n < 64) {
        log->a[log->n] = a;
        log->b[log->n] = b;
    }
    log->n++;
    return (uint16_t)((unsigned)a * b);
}

/* An arbitrary multiplier: a random 256 x 256 table of 16-bit products. */
static uint16_t table_fn(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[a * 256 + b];
}

/* ---- conv2d ---- */

Test(golden_conv2d, sums_sign_magnitude_products_over_a_valid_window) {
    /* Input 3x3x2, (c0, c1):
     *   row 0: (1,2)   (3,4)   (5,6)
     *   row 1: (7,8)   (9,10)  (11,12)
     *   row 2: (13,14) (15,16) (17,18)
     * Kernel 2x2, stride 1, valid -> output 2x2x2.
     * oc 0 taps: (0,0) (1,-1), (0,1) (2,0), (1,0) (-3,1), (1,1) (1,2); bias 10.
     *   (0,0): (1-2) + (6+0) + (-21+8) + (9+20)    = -1+6-13+29 = 21 -> 31
     *   (0,1): (3-4) + (10+0) + (-27+10) + (11+24) = -1+10-17+35 = 27 -> 37
     *   (1,0): (7-8) + (18+0) + (-39+14) + (15+32) = -1+18-25+47 = 39 -> 49
     *   (1,1): (9-10) + (22+0) + (-45+16) + (17+36) = -1+22-29+53 = 45 -> 55
     * oc 1 taps all (-127, 127): each pixel gives 127 * (c1 - c0) = 127, 4 taps = 508;
     *   bias -8 -> 500 everywhere. */
    erg_conv_geom g = geom(3, 3, 2, 2, 2, 1, 0, 2);
    uint8_t in[18];
    for (int i = 0; i < 18; i++) in[i] = (uint8_t)(i + 1);
    int8_t w[16] = {1, -1, 2, 0, -3, 1, 1, 2, /**/ -127, 127, -127, 127, -127, 127, -127, 127};
    int32_t bias[2] = {10, -8}, acc[8];
    int32_t want[8] = {31, 500, 37, 500, 49, 500, 55, 500};
    erg_golden_conv2d(&g, in, w, bias, NULL, acc);
    for (int i = 0; i < 8; i++) cr_assert_eq(acc[i], want[i], "acc[%d] = %d", i, acc[i]);
    /* The exact multiplier object gives the same as NULL; a NULL bias is zero. */
    erg_golden_conv2d(&g, in, w, bias, &erg_mul8u_exact, acc);
    for (int i = 0; i < 8; i++) cr_assert_eq(acc[i], want[i]);
    erg_golden_conv2d(&g, in, w, NULL, NULL, acc);
    for (int i = 0; i < 8; i++) cr_assert_eq(acc[i], want[i] - bias[i % 2]);
}

Test(golden_conv2d, same_padding_treats_padded_activations_as_zero) {
    /* Input 2x2x1 = [[10, 20], [30, 40]], kernel 2x2 of ones, same: pad 1 at bottom and right.
     *   (0,0) = 10+20+30+40 = 100, (0,1) = 20+40 = 60, (1,0) = 30+40 = 70, (1,1) = 40. */
    erg_conv_geom g = geom(2, 2, 1, 2, 2, 1, 1, 1);
    uint8_t in[4] = {10, 20, 30, 40};
    int8_t w[4] = {1, 1, 1, 1};
    int32_t acc[4], want[4] = {100, 60, 70, 40};
    erg_golden_conv2d(&g, in, w, NULL, NULL, acc);
    for (int i = 0; i < 4; i++) cr_assert_eq(acc[i], want[i], "acc[%d] = %d", i, acc[i]);
}

Test(golden_conv2d, steps_the_window_by_the_stride) {
    /* Input 1x5x1 = [1 2 3 4 5], kernel [1 -1 2], stride 2, valid: out_w = 2.
     *   out 0 = 1 - 2 + 6 = 5;  out 1 = 3 - 4 + 10 = 9. */
    erg_conv_geom g = geom(1, 5, 1, 1, 3, 2, 0, 1);
    uint8_t in[5] = {1, 2, 3, 4, 5};
    int8_t w[3] = {1, -1, 2};
    int32_t acc[2];
    erg_golden_conv2d(&g, in, w, NULL, NULL, acc);
    cr_assert_eq(acc[0], 5);
    cr_assert_eq(acc[1], 9);
}

Test(golden_conv2d, passes_padded_taps_through_the_multiplier_as_activation_zero) {
    /* M(a, b) = a*b + 1, so M(0, 1) = 1. Same input and padding as above, weights +1:
     *   (0,0) = 11+21+31+41 = 104           (0,1) = 21 + 1 + 41 + 1 = 64
     *   (1,0) = 31 + 41 + 1 + 1 = 74         (1,1) = 41 + 1 + 1 + 1 = 44
     * With weights -1 every product is negated. */
    erg_conv_geom g = geom(2, 2, 1, 2, 2, 1, 1, 1);
    uint8_t in[4] = {10, 20, 30, 40};
    int8_t wp[4] = {1, 1, 1, 1}, wm[4] = {-1, -1, -1, -1};
    int32_t acc[4], want[4] = {104, 64, 74, 44};
    erg_golden_conv2d(&g, in, wp, NULL, &plus1, acc);
    for (int i = 0; i < 4; i++) cr_assert_eq(acc[i], want[i], "acc[%d] = %d", i, acc[i]);
    erg_golden_conv2d(&g, in, wm, NULL, &plus1, acc);
    for (int i = 0; i < 4; i++) cr_assert_eq(acc[i], -want[i], "acc[%d] = %d", i, acc[i]);
}

/* im2col for one output pixel in (kh, kw, c) order, padded taps = 0: matches a weight row
 * w[oc][kh][kw][c], so conv = dense(im2col, w). */
static void im2col_u8(const erg_conv_geom *g, const uint8_t *in, int oh, int ow, uint8_t *col) {
    size_t n = 0;
    for (int kh = 0; kh < g->k_h; kh++)
        for (int kw = 0; kw < g->k_w; kw++) {
            int ih = oh * g->stride + kh - g->pad_top, iw = ow * g->stride + kw - g->pad_left;
            int inside = ih >= 0 && ih < g->in_h && iw >= 0 && iw < g->in_w;
            for (int c = 0; c < g->in_c; c++)
                col[n++] = inside ? in[((size_t)ih * g->in_w + iw) * g->in_c + c] : 0;
        }
}

Test(golden_conv2d, equals_dense_on_im2col_with_exact_and_arbitrary_multipliers) {
    erg_rng r;
    erg_rng_seed(&r, 201);
    uint16_t *table = malloc(256 * 256 * sizeof *table);
    for (int i = 0; i < 256 * 256; i++) table[i] = (uint16_t)erg_rng_range(&r, 0, 65535);
    const erg_mul8u random_table = {table_fn, table, "random"};
    const erg_mul8u *muls[4] = {NULL, &erg_mul8u_exact, &trunc4, &random_table};
    int strided = 0, padded = 0;
    for (int trial = 0; trial < 300; trial++) {
        int same;
        erg_conv_geom g = random_geom(&r, (int)erg_rng_range(&r, 1, 4), &same);
        strided += g.stride == 2;
        padded += g.pad_top + g.pad_bottom + g.pad_left + g.pad_right > 0;
        const erg_mul8u *mul = muls[trial % 4];
        int n_in = g.k_h * g.k_w * g.in_c;
        uint8_t *in = malloc(in_size(&g)), *col = malloc((size_t)n_in);
        int8_t *w = malloc(w_size(&g));
        int32_t *acc = malloc(out_size(&g) * 4), bias[4], want[4];
        fill_u8(&r, in, in_size(&g));
        fill_w(&r, w, w_size(&g));
        for (int oc = 0; oc < g.out_c; oc++) bias[oc] = (int32_t)erg_rng_range(&r, -5000, 5000);
        erg_golden_conv2d(&g, in, w, bias, mul, acc);
        for (int oh = 0; oh < g.out_h; oh++)
            for (int ow = 0; ow < g.out_w; ow++) {
                im2col_u8(&g, in, oh, ow, col);
                erg_golden_dense(n_in, g.out_c, col, w, bias, mul, want);
                for (int oc = 0; oc < g.out_c; oc++)
                    cr_assert_eq(acc[((size_t)oh * g.out_w + ow) * g.out_c + oc], want[oc],
                                 "trial %d (%s) at (%d,%d,%d)", trial, mul ? mul->name : "NULL", oh,
                                 ow, oc);
            }
        free(in);
        free(col);
        free(w);
        free(acc);
    }
    free(table);
    cr_assert_gt(strided, 20, "too few stride-2 shapes: %d", strided);
    cr_assert_gt(padded, 20, "too few padded shapes: %d", padded);
}

/* ---- depthwise ---- */

Test(golden_depthwise, convolves_each_channel_with_its_own_kernel) {
    /* Input 2x2x2: channel 0 = [[1,2],[3,4]], channel 1 = [[5,6],[7,8]] (NHWC: (1,5) (2,6)
     * (3,7) (4,8)). Kernels w[c][kh][kw][1]: c0 = [[1,0],[0,1]], c1 = [[-1,1],[-1,1]].
     *   c0: 1*1 + 4*1 = 5 -> +100 = 105;  c1: -5 + 6 - 7 + 8 = 2 -> -100 = -98. */
    erg_conv_geom g = geom(2, 2, 2, 2, 2, 1, 0, 2);
    uint8_t in[8] = {1, 5, 2, 6, 3, 7, 4, 8};
    int8_t w[8] = {1, 0, 0, 1, -1, 1, -1, 1};
    int32_t bias[2] = {100, -100}, acc[2];
    erg_golden_depthwise(&g, in, w, bias, NULL, acc);
    cr_assert_eq(acc[0], 105);
    cr_assert_eq(acc[1], -98);
}

Test(golden_depthwise, equals_conv2d_with_one_channel_per_channel) {
    erg_rng r;
    erg_rng_seed(&r, 202);
    for (int trial = 0; trial < 300; trial++) {
        int same;
        erg_conv_geom g = random_geom(&r, 0, &same); /* out_c = in_c */
        int c = g.in_c;
        const erg_mul8u *mul = trial % 2 ? &trunc4 : NULL;
        erg_conv_geom g1 = geom(g.in_h, g.in_w, 1, g.k_h, g.k_w, g.stride, same, 1);
        cr_assert_eq(g1.out_h, g.out_h);
        cr_assert_eq(g1.out_w, g.out_w);
        size_t plane = (size_t)g.in_h * g.in_w, taps = (size_t)g.k_h * g.k_w;
        size_t out_plane = (size_t)g.out_h * g.out_w;
        uint8_t *in = malloc(in_size(&g)), *in1 = malloc(plane);
        int8_t *w = malloc((size_t)c * taps);
        int32_t *acc = malloc(out_size(&g) * 4), *acc1 = malloc(out_plane * 4);
        int32_t *bias = malloc((size_t)c * 4);
        fill_u8(&r, in, in_size(&g));
        fill_w(&r, w, (size_t)c * taps);
        for (int ch = 0; ch < c; ch++) bias[ch] = (int32_t)erg_rng_range(&r, -999, 999);
        erg_golden_depthwise(&g, in, w, bias, mul, acc);
        for (int ch = 0; ch < c; ch++) {
            for (size_t p = 0; p < plane; p++) in1[p] = in[p * c + ch];
            erg_golden_conv2d(&g1, in1, w + ch * taps, bias + ch, mul, acc1);
            for (size_t p = 0; p < out_plane; p++)
                cr_assert_eq(acc[p * c + ch], acc1[p], "trial %d channel %d pixel %zu", trial, ch,
                             p);
        }
        free(in);
        free(in1);
        free(w);
        free(acc);
        free(acc1);
        free(bias);
    }
}

/* ---- dense ---- */

Test(golden_dense, sums_sign_magnitude_products_plus_bias) {
    /* in = {3, 10, 0, 255}
     *   row 0 = {5, -7, 100, 1}:       15 - 70 + 0 + 255        = 200 -> +1 = 201
     *   row 1 = {-127, 127, -127, -1}: -381 + 1270 - 0 - 255    = 634 -> -1 = 633 */
    uint8_t in[4] = {3, 10, 0, 255};
    int8_t w[8] = {5, -7, 100, 1, -127, 127, -127, -1};
    int32_t bias[2] = {1, -1}, acc[2];
    erg_golden_dense(4, 2, in, w, bias, NULL, acc);
    cr_assert_eq(acc[0], 201);
    cr_assert_eq(acc[1], 633);
    erg_golden_dense(4, 2, in, w, NULL, NULL, acc);
    cr_assert_eq(acc[0], 200);
    cr_assert_eq(acc[1], 634);
}

Test(golden_dense, calls_a_custom_multiplier_that_changes_the_result_as_predicted) {
    /* M(a, b) = (a*b) & ~15, same inputs as above:
     *   row 0: 15 -> 0, 70 -> 64, 0 -> 0, 255 -> 240:       0 - 64 + 0 + 240     = 176
     *   row 1: 381 -> 368, 1270 -> 1264, 0 -> 0, 255 -> 240: -368 + 1264 - 0 - 240 = 656 */
    uint8_t in[4] = {3, 10, 0, 255};
    int8_t w[8] = {5, -7, 100, 1, -127, 127, -127, -1};
    int32_t acc[2];
    erg_golden_dense(4, 2, in, w, NULL, &trunc4, acc);
    cr_assert_eq(acc[0], 176);
    cr_assert_eq(acc[1], 656);
}

Test(golden_dense, gives_the_multiplier_activation_first_and_weight_magnitude_second) {
    /* in = {3, 10}, w = {5, -7}: the calls are M(3, 5) and M(10, 7) (never M(5, 3) or M(10, -7)),
     * one per product; result 15 - 70 = -55. */
    call_log log = {0};
    const erg_mul8u logger = {logging_fn, &log, "log"};
    uint8_t in[2] = {3, 10};
    int8_t w[2] = {5, -7};
    int32_t acc;
    erg_golden_dense(2, 1, in, w, NULL, &logger, &acc);
    cr_assert_eq(acc, -55);
    cr_assert_eq(log.n, 2);
    int seen35 = 0, seen107 = 0;
    for (int i = 0; i < 2; i++) {
        seen35 += log.a[i] == 3 && log.b[i] == 5;
        seen107 += log.a[i] == 10 && log.b[i] == 7;
    }
    cr_assert(seen35 == 1 && seen107 == 1);
}

Test(golden_conv2d, calls_the_multiplier_once_per_tap_including_padding) {
    /* 2x2x1 input, 2x2 kernel, same (pad 1 at bottom and right): 4 outputs x 4 taps = 16 calls.
     * Padded taps: (0,0) none, (0,1) 2, (1,0) 2, (1,1) 3 = 7 calls with activation 0 (the
     * input itself has no zeros). */
    call_log log = {0};
    const erg_mul8u logger = {logging_fn, &log, "log"};
    erg_conv_geom g = geom(2, 2, 1, 2, 2, 1, 1, 1);
    uint8_t in[4] = {10, 20, 30, 40};
    int8_t w[4] = {1, 2, 3, 4};
    int32_t acc[4];
    erg_golden_conv2d(&g, in, w, NULL, &logger, acc);
    cr_assert_eq(log.n, 16);
    int zeros = 0;
    for (int i = 0; i < 16; i++) zeros += log.a[i] == 0;
    cr_assert_eq(zeros, 7);
}

Test(golden_conv2d, wraps_the_int32_accumulator_modulo_2_to_the_32) {
    /* bias INT32_MAX + 255 * 127 = 2^31 - 1 + 32385 wraps to -2^31 + 32384. */
    uint8_t in[1] = {255};
    int8_t w[1] = {127};
    int32_t bias[1] = {INT32_MAX}, acc;
    erg_golden_dense(1, 1, in, w, bias, NULL, &acc);
    cr_assert_eq(acc, INT32_MIN + 32384);
}

/* ---- gemmlowp arithmetic ---- */

Test(golden_srdhm, saturates_only_int32_min_squared) {
    cr_assert_eq(erg_golden_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    /* INT32_MIN * INT32_MAX / 2^31 = -(2^31 - 1) exactly. */
    cr_assert_eq(erg_golden_srdhm(INT32_MIN, INT32_MAX), INT32_MIN + 1);
    cr_assert_eq(erg_golden_srdhm(INT32_MAX, INT32_MIN), INT32_MIN + 1);
    /* (2^31 - 1)^2 / 2^31 = 2^31 - 2 + 2^-31 -> 2^31 - 2. */
    cr_assert_eq(erg_golden_srdhm(INT32_MAX, INT32_MAX), INT32_MAX - 1);
}

Test(golden_srdhm, rounds_positive_halves_up_and_negative_halves_toward_zero) {
    /* b = 2^30 is one half: srdhm(x, 2^30) = x / 2 rounded. ab = x * 2^30.
     *   x = 3:  (3*2^30 + 2^30) / 2^31 = 2                         (1.5 -> 2)
     *   x = 5:  (5*2^30 + 2^30) / 2^31 = 3                         (2.5 -> 3)
     *   x = -3: (-3*2^30 + 1 - 2^30) / 2^31 = -1.99.. -> -1        (-1.5 -> -1)
     *   x = -5: (-6*2^30 + 1) / 2^31 = -2.99.. -> -2               (-2.5 -> -2)
     *   x = -7: (-8*2^30 + 1) / 2^31 = -3.99.. -> -3               (-3.5 -> -3)
     * gemmlowp's nudge 1 - 2^30 makes negative ties go toward zero, unlike RDPOT. */
    int32_t half = 1 << 30;
    cr_assert_eq(erg_golden_srdhm(3, half), 2);
    cr_assert_eq(erg_golden_srdhm(5, half), 3);
    cr_assert_eq(erg_golden_srdhm(-3, half), -1);
    cr_assert_eq(erg_golden_srdhm(-5, half), -2);
    cr_assert_eq(erg_golden_srdhm(-7, half), -3);
    /* Non-ties round to nearest: 7 * 0.70710678 = 4.95 -> 5 (7 * 1518500250 = 10629501750,
     * + 2^30 = 11703243574, / 2^31 = 5.45 -> 5); -4.95 -> -5. */
    cr_assert_eq(erg_golden_srdhm(7, 1518500250), 5);
    cr_assert_eq(erg_golden_srdhm(-7, 1518500250), -5);
    /* 100 * (1 - 2^-31) = 99.99999995 -> 100; anything times 0 is 0 (2^30 / 2^31 truncates). */
    cr_assert_eq(erg_golden_srdhm(100, INT32_MAX), 100);
    cr_assert_eq(erg_golden_srdhm(INT32_MIN, 0), 0);
    cr_assert_eq(erg_golden_srdhm(0, INT32_MIN), 0);
}

Test(golden_rdpot, rounds_half_away_from_zero) {
    /*  5 / 2 = 2.5:  5>>1 = 2, rem 1 > thr 0        -> 3
     * -5 / 2 = -2.5: -5>>1 = -3, rem 1, thr 0+1 = 1 -> -3
     *  6 / 4 = 1.5:  6>>2 = 1, rem 2 > thr 1        -> 2
     * -6 / 4 = -1.5: -6>>2 = -2, rem 2, thr 2       -> -2
     * -3 / 4 = -0.75: -3>>2 = -1, rem 1, thr 2      -> -1
     *  1 / 4 = 0.25: 0, rem 1, thr 1                -> 0
     * -1 / 4 = -0.25: -1, rem 3 > thr 2             -> 0 */
    cr_assert_eq(erg_golden_rdpot(5, 1), 3);
    cr_assert_eq(erg_golden_rdpot(-5, 1), -3);
    cr_assert_eq(erg_golden_rdpot(6, 2), 2);
    cr_assert_eq(erg_golden_rdpot(-6, 2), -2);
    cr_assert_eq(erg_golden_rdpot(-3, 2), -1);
    cr_assert_eq(erg_golden_rdpot(1, 2), 0);
    cr_assert_eq(erg_golden_rdpot(-1, 2), 0);
}

Test(golden_rdpot, handles_exponents_0_and_31_and_the_int32_extremes) {
    int32_t xs[5] = {INT32_MIN, -1, 0, 7, INT32_MAX};
    for (int i = 0; i < 5; i++) cr_assert_eq(erg_golden_rdpot(xs[i], 0), xs[i]);
    /* -2^31 / 2^31 = -1 exactly; (2^31 - 1) / 2^31 = 0.99.. -> 1;
     * 2^30 / 2^31 = 0.5 -> 1; -2^30 / 2^31 = -0.5 -> -1; (-2^30 + 1) / 2^31 -> 0. */
    cr_assert_eq(erg_golden_rdpot(INT32_MIN, 31), -1);
    cr_assert_eq(erg_golden_rdpot(INT32_MAX, 31), 1);
    cr_assert_eq(erg_golden_rdpot(1 << 30, 31), 1);
    cr_assert_eq(erg_golden_rdpot(-(1 << 30), 31), -1);
    cr_assert_eq(erg_golden_rdpot(-(1 << 30) + 1, 31), 0);
    cr_assert_eq(erg_golden_rdpot(INT32_MIN, 30), -2);
    cr_assert_eq(erg_golden_rdpot(INT32_MAX, 30), 2);
}

Test(golden_requant, scales_rounds_adds_zero_point_and_clamps) {
    /* zp = 3, one pixel, 5 channels:
     *   ch 0: acc 100, m0 2^30 (0.5), shift 0: 50            -> 53
     *   ch 1: acc 100, m0 2^30, shift 2: 50 / 4 = 12.5 -> 13   -> 16
     *   ch 2: acc -100, m0 2^30: -50, 3 - 50 = -47             -> 0 (clamp, ReLU)
     *   ch 3: acc 1000, m0 2^31 - 1 (~1.0): 1000               -> 255 (clamp)
     *   ch 4: acc 7, m0 1518500250 (0.7071): 5, shift 1: 2.5 -> 3 -> 6 */
    int32_t acc[5] = {100, 100, -100, 1000, 7};
    int32_t m0[5] = {1 << 30, 1 << 30, 1 << 30, INT32_MAX, 1518500250};
    int32_t shift[5] = {0, 2, 0, 0, 1};
    uint8_t out[5], want[5] = {53, 16, 0, 255, 6};
    erg_golden_requant(1, 5, acc, m0, shift, 3, out);
    for (int i = 0; i < 5; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_requant, applies_per_channel_parameters_to_every_pixel) {
    /* 2 pixels x 2 channels, zp 0: ch 0 halves (m0 2^30, shift 0), ch 1 quarters (m0 2^30,
     * shift 1). pixel 0 acc {10, 10} -> {5, 2.5 -> 3}; pixel 1 acc {21, 30} -> {10.5 -> 11,
     * srdhm 15, 7.5 -> 8}. */
    int32_t acc[4] = {10, 10, 21, 30}, m0[2] = {1 << 30, 1 << 30}, shift[2] = {0, 1};
    uint8_t out[4], want[4] = {5, 3, 11, 8};
    erg_golden_requant(2, 2, acc, m0, shift, 0, out);
    for (int i = 0; i < 4; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_requant, adds_extreme_zero_points_without_overflow) {
    int32_t acc[2] = {INT32_MAX, INT32_MIN}, m0[2] = {INT32_MAX, INT32_MAX}, shift[2] = {0, 0};
    uint8_t out[2];
    erg_golden_requant(1, 2, acc, m0, shift, INT32_MAX, out);
    cr_assert_eq(out[0], 255);
    cr_assert_eq(out[1], 0); /* INT32_MAX + (-(2^31 - 1)) = 0 */
    erg_golden_requant(1, 2, acc, m0, shift, INT32_MIN, out);
    cr_assert_eq(out[0], 0); /* INT32_MIN + (2^31 - 2) = -2 */
    cr_assert_eq(out[1], 0);
}

/* Independent int64 formulation of gemmlowp, written from the rounding each step performs:
 * SRDHM is ab / 2^31 rounded to nearest with ties up for ab >= 0 and ties toward zero for
 * ab < 0 (the nudge 1 - 2^30); RDPOT is x / 2^e rounded half away from zero. */
static int64_t ref_srdhm(int64_t a, int64_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    int64_t ab = a * b;
    if (ab >= 0) return (ab + ((int64_t)1 << 30)) >> 31;
    return -((-ab + ((int64_t)1 << 30) - 1) >> 31); /* magnitude rounded half down */
}
static int64_t ref_rdpot(int64_t x, int e) {
    if (e == 0) return x;
    int64_t m = x < 0 ? -x : x;
    int64_t q = (m + ((int64_t)1 << (e - 1))) >> e;
    return x < 0 ? -q : q;
}

static int32_t random_edge_i32(erg_rng *r) {
    static const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -(1 << 30),    -2,       -1, 0, 1,
                                    2,         1 << 30,       INT32_MAX - 1, INT32_MAX};
    switch (erg_rng_range(r, 0, 3)) {
    case 0:
        return edges[erg_rng_range(r, 0, (int64_t)(sizeof edges / sizeof edges[0]) - 1)];
    case 1:
        return (int32_t)erg_rng_range(r, -100000, 100000);
    case 2:
        return (int32_t)erg_rng_range(r, 1 << 30, INT32_MAX); /* typical m0 range */
    default:
        return (int32_t)erg_rng_range(r, INT32_MIN, INT32_MAX);
    }
}

Test(golden_requant, equals_an_int64_reference_of_gemmlowp_on_random_inputs) {
    erg_rng r;
    erg_rng_seed(&r, 203);
    for (int trial = 0; trial < 300000; trial++) {
        int32_t a = random_edge_i32(&r), b = random_edge_i32(&r);
        int e = (int)erg_rng_range(&r, 0, 31);
        int32_t zp = erg_rng_range(&r, 0, 3) == 0 ? random_edge_i32(&r)
                                                  : (int32_t)erg_rng_range(&r, -300, 300);
        int64_t s = ref_srdhm(a, b);
        cr_assert_eq(erg_golden_srdhm(a, b), s, "srdhm(%d, %d)", a, b);
        cr_assert_eq(erg_golden_rdpot(a, e), ref_rdpot(a, e), "rdpot(%d, %d)", a, e);
        int64_t v = zp + ref_rdpot(s, e);
        uint8_t want = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v), out;
        erg_golden_requant(1, 1, &a, &b, &(int32_t){e}, zp, &out);
        cr_assert_eq(out, want, "requant(%d, m0 %d, shift %d, zp %d)", a, b, e, zp);
    }
}
