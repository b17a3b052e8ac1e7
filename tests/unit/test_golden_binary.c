/* test_golden_binary.c — golden binary kernels: bconv2d, bdense, folded batch-norm + sign,
 * the binary classifier affine and thermometer coding; hand-derived cases and seeded properties.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include "erg_golden.h"
#include "erg_rng.h"

#define P 1
#define M -1

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

static int8_t random_pm1(erg_rng *r) {
    return erg_rng_range(r, 0, 1) ? 1 : -1;
}

/* A random convolution: sizes small enough to be quick, in_c sometimes past 64. */
static erg_conv_geom random_geom(erg_rng *r) {
    int same = (int)erg_rng_range(r, 0, 1);
    int in_h = (int)erg_rng_range(r, 1, 8), in_w = (int)erg_rng_range(r, 1, 8);
    int in_c =
        erg_rng_range(r, 0, 4) == 0 ? (int)erg_rng_range(r, 60, 130) : (int)erg_rng_range(r, 1, 12);
    int k_h = (int)erg_rng_range(r, 1, same ? 5 : in_h);
    int k_w = (int)erg_rng_range(r, 1, same ? 5 : in_w);
    int stride = (int)erg_rng_range(r, 1, 3);
    int out_c = (int)erg_rng_range(r, 1, 4);
    return geom(in_h, in_w, in_c, k_h, k_w, stride, same, out_c);
}

/* ---- bconv2d ---- */

Test(golden_bconv2d, sums_products_over_a_valid_window) {
    /* Input 3x3x2, (c0, c1) per pixel:
     *   row 0: (+,+) (+,-) (-,-)
     *   row 1: (-,+) (+,+) (+,-)
     *   row 2: (-,-) (-,+) (+,+)
     * Kernel 2x2, 2 output channels, stride 1, valid: output 2x2x2.
     * oc 0 = all +1: dot = sum of the 8 window values; pixel sums are
     *   row 0: 2 0 -2 / row 1: 0 2 0 / row 2: -2 0 2, so
     *   (0,0) = 2+0+0+2 = 4, (0,1) = 0-2+2+0 = 0, (1,0) = 0+2-2+0 = 0, (1,1) = 2+0+0+2 = 4.
     * oc 1: taps (0,0) (+,-) -> c0-c1, (0,1) (-,+) -> c1-c0, (1,0) (+,+) -> c0+c1,
     *   (1,1) (-,-) -> -c0-c1:
     *   (0,0): (+,+)->0  (+,-)->-2 (-,+)->0  (+,+)->-2 = -4
     *   (0,1): (+,-)->2  (-,-)->0  (+,+)->2  (+,-)->0  =  4
     *   (1,0): (-,+)->-2 (+,+)->0  (-,-)->-2 (-,+)->0  = -4
     *   (1,1): (+,+)->0  (+,-)->-2 (-,+)->0  (+,+)->-2 = -4 */
    erg_conv_geom g = geom(3, 3, 2, 2, 2, 1, 0, 2);
    int8_t in[] = {P, P, P, M, M, M, /**/ M, P, P, P, P, M, /**/ M, M, M, P, P, P};
    int8_t w[] = {P, P, P, P, P, P, P, P, /* oc 0 */ P, M, M, P, P, P, M, M /* oc 1 */};
    int32_t dot[8];
    erg_golden_bconv2d(&g, in, w, -1, dot);
    int32_t want[8] = {4, -4, 0, 4, 0, -4, 4, -4}; /* [oh][ow][oc] */
    for (int i = 0; i < 8; i++) cr_assert_eq(dot[i], want[i], "dot[%d] = %d", i, dot[i]);
}

Test(golden_bconv2d, same_padding_counts_padded_positions) {
    /* Input 2x2x1 = [[+1, -1], [-1, -1]], kernel 2x2 all +1, stride 1, same: output 2x2,
     * pad_total = (2-1)*1 + 2 - 2 = 1 per axis, all of it at the bottom and right (TensorFlow).
     * With pad value p:
     *   (0,0): +1 -1 -1 -1       = -2 (no padding)
     *   (0,1): -1 + p -1 + p     = -2 + 2p
     *   (1,0): -1 -1 + p + p     = -2 + 2p
     *   (1,1): -1 + p + p + p    = -1 + 3p
     * p = -1: -2 -4 -4 -4;  p = +1: -2 0 0 2. */
    erg_conv_geom g = geom(2, 2, 1, 2, 2, 1, 1, 1);
    cr_assert_eq(g.pad_top, 0);
    cr_assert_eq(g.pad_bottom, 1);
    int8_t in[] = {P, M, M, M}, w[] = {P, P, P, P};
    int32_t dot[4];
    int32_t want_m[4] = {-2, -4, -4, -4}, want_p[4] = {-2, 0, 0, 2};
    erg_golden_bconv2d(&g, in, w, -1, dot);
    for (int i = 0; i < 4; i++) cr_assert_eq(dot[i], want_m[i], "pad -1: dot[%d] = %d", i, dot[i]);
    erg_golden_bconv2d(&g, in, w, +1, dot);
    for (int i = 0; i < 4; i++) cr_assert_eq(dot[i], want_p[i], "pad +1: dot[%d] = %d", i, dot[i]);
}

Test(golden_bconv2d, same_padding_puts_the_odd_pad_column_on_the_right) {
    /* Input 1x4x1 = [+1 -1 -1 -1], kernel 1x4 all +1, same: pad_total = 3 -> left 1, right 2.
     * With pad value +1 the windows cover columns -1..2, 0..3, 1..4, 2..5:
     *   p+1-1-1 = 0,  1-1-1-1 = -2,  -1-1-1+p = -2,  -1-1+p+p = 0.
     * (Left 2 / right 1 would give 2 for the first output.) */
    erg_conv_geom g = geom(1, 4, 1, 1, 4, 1, 1, 1);
    cr_assert_eq(g.pad_left, 1);
    cr_assert_eq(g.pad_right, 2);
    int8_t in[] = {P, M, M, M}, w[] = {P, P, P, P};
    int32_t dot[4], want[4] = {0, -2, -2, 0};
    erg_golden_bconv2d(&g, in, w, +1, dot);
    for (int i = 0; i < 4; i++) cr_assert_eq(dot[i], want[i], "dot[%d] = %d", i, dot[i]);
}

Test(golden_bconv2d, steps_the_window_by_the_stride) {
    /* Input 1x5x1 = [+ - + + -], kernel 1x3 = [+ + -], stride 2, valid: out_w = (5-3)/2+1 = 2.
     *   out 0 (cols 0..2): +1 -1 -(+1) = -1;  out 1 (cols 2..4): +1 +1 -(-1) = 3. */
    erg_conv_geom g = geom(1, 5, 1, 1, 3, 2, 0, 1);
    int8_t in[] = {P, M, P, P, M}, w[] = {P, P, M};
    int32_t dot[2];
    erg_golden_bconv2d(&g, in, w, -1, dot);
    cr_assert_eq(dot[0], -1);
    cr_assert_eq(dot[1], 3);
}

/* Integer conv of a uint8 map with +1/-1 weights (exact multiplier, zero padding). */
static void int_conv(const erg_conv_geom *g, const uint8_t *b, const int8_t *w, int32_t *acc) {
    erg_golden_conv2d(g, b, w, NULL, NULL, acc);
}

Test(golden_bconv2d, equals_integer_conv_on_zero_one_values) {
    /* With a = 2b - 1 (b in {0, 1}) at every in-image tap and the pad value p at padded taps,
     * for one output:
     *   dot = sum_in (2b - 1) w + sum_pad p w
     *       = 2 C1 - C0 + p (S - C0)
     * where C1 = conv_int(b, w) and C0 = conv_int(ones, w) both pad with 0 (so they sum over
     * in-image taps only), and S = sum of all of the output channel's weights (so S - C0 is the
     * sum of w over padded taps). With valid padding S = C0 and the last term vanishes. */
    erg_rng r;
    erg_rng_seed(&r, 101);
    for (int trial = 0; trial < 400; trial++) {
        erg_conv_geom g = random_geom(&r);
        int pad = random_pm1(&r);
        int8_t *a = malloc(in_size(&g)), *w = malloc(w_size(&g));
        uint8_t *b = malloc(in_size(&g)), *ones = malloc(in_size(&g));
        int32_t *dot = malloc(out_size(&g) * 4), *c1 = malloc(out_size(&g) * 4);
        int32_t *c0 = malloc(out_size(&g) * 4);
        for (size_t i = 0; i < in_size(&g); i++) {
            a[i] = random_pm1(&r);
            b[i] = (uint8_t)((a[i] + 1) / 2);
            ones[i] = 1;
        }
        for (size_t i = 0; i < w_size(&g); i++) w[i] = random_pm1(&r);
        erg_golden_bconv2d(&g, a, w, pad, dot);
        int_conv(&g, b, w, c1);
        int_conv(&g, ones, w, c0);
        for (size_t i = 0; i < out_size(&g); i++) {
            int oc = (int)(i % (size_t)g.out_c);
            int32_t s = 0;
            for (size_t j = 0; j < (size_t)g.k_h * g.k_w * g.in_c; j++)
                s += w[(size_t)oc * g.k_h * g.k_w * g.in_c + j];
            int32_t want = 2 * c1[i] - c0[i] + pad * (s - c0[i]);
            cr_assert_eq(dot[i], want, "trial %d: %dx%dx%d k%dx%d s%d pad %d,%d,%d,%d: %d != %d",
                         trial, g.in_h, g.in_w, g.in_c, g.k_h, g.k_w, g.stride, g.pad_top,
                         g.pad_bottom, g.pad_left, g.pad_right, dot[i], want);
        }
        free(a);
        free(w);
        free(b);
        free(ones);
        free(dot);
        free(c1);
        free(c0);
    }
}

/* im2col for one output pixel: the window in (kh, kw, c) order, padded taps = pad. This order
 * matches a weight row w[oc][kh][kw][c], so conv = dense(im2col, w). */
static void im2col_b(const erg_conv_geom *g, const int8_t *in, int pad, int oh, int ow,
                     int8_t *col) {
    size_t n = 0;
    for (int kh = 0; kh < g->k_h; kh++)
        for (int kw = 0; kw < g->k_w; kw++) {
            int ih = oh * g->stride + kh - g->pad_top, iw = ow * g->stride + kw - g->pad_left;
            int inside = ih >= 0 && ih < g->in_h && iw >= 0 && iw < g->in_w;
            for (int c = 0; c < g->in_c; c++)
                col[n++] = inside ? in[((size_t)ih * g->in_w + iw) * g->in_c + c] : (int8_t)pad;
        }
}

Test(golden_bconv2d, equals_binary_dense_on_im2col) {
    erg_rng r;
    erg_rng_seed(&r, 102);
    int strided = 0, padded = 0;
    for (int trial = 0; trial < 300; trial++) {
        erg_conv_geom g = random_geom(&r);
        strided += g.stride == 2;
        padded += g.pad_top + g.pad_bottom + g.pad_left + g.pad_right > 0;
        int pad = random_pm1(&r);
        int n_in = g.k_h * g.k_w * g.in_c;
        int8_t *in = malloc(in_size(&g)), *w = malloc(w_size(&g)), *col = malloc((size_t)n_in);
        int32_t *dot = malloc(out_size(&g) * 4), want[4];
        for (size_t i = 0; i < in_size(&g); i++) in[i] = random_pm1(&r);
        for (size_t i = 0; i < w_size(&g); i++) w[i] = random_pm1(&r);
        erg_golden_bconv2d(&g, in, w, pad, dot);
        for (int oh = 0; oh < g.out_h; oh++)
            for (int ow = 0; ow < g.out_w; ow++) {
                im2col_b(&g, in, pad, oh, ow, col);
                erg_golden_bdense(n_in, g.out_c, col, w, want);
                for (int oc = 0; oc < g.out_c; oc++)
                    cr_assert_eq(dot[((size_t)oh * g.out_w + ow) * g.out_c + oc], want[oc],
                                 "trial %d at (%d,%d,%d)", trial, oh, ow, oc);
            }
        free(in);
        free(w);
        free(col);
        free(dot);
    }
    cr_assert_gt(strided, 20, "too few stride-2 shapes: %d", strided);
    cr_assert_gt(padded, 20, "too few padded shapes: %d", padded);
}

/* ---- bdense ---- */

Test(golden_bdense, sums_products_per_output_row) {
    /* in = [+ - + -]; w row 0 = [- + - +]: -1-1-1-1 = -4; row 1 = [+ - + +]: 1+1+1-1 = 2. */
    int8_t in[] = {P, M, P, M}, w[] = {M, P, M, P, /**/ P, M, P, P};
    int32_t dot[2];
    erg_golden_bdense(4, 2, in, w, dot);
    cr_assert_eq(dot[0], -4);
    cr_assert_eq(dot[1], 2);
}

/* ---- bn_sign, bn_affine ---- */

Test(golden_bn_sign, compares_with_threshold_and_flip_per_channel) {
    /* ch 0: flip 0, thr 0: dot >= 0.   ch 1: flip 1, thr 0: dot <= 0.
     * ch 2: thr INT32_MIN, flip 0: always +1.   ch 3: thr INT32_MAX, flip 0: always -1.
     * pixel 0 dots {0, 0, -5, 5}   -> {+1 (0>=0), +1 (0<=0), +1, -1}
     * pixel 1 dots {-2, 2, 100, -100} -> {-1, -1, +1, -1} */
    int32_t dot[8] = {0, 0, -5, 5, -2, 2, 100, -100};
    int32_t thr[4] = {0, 0, INT32_MIN, INT32_MAX};
    uint8_t flip[4] = {0, 1, 0, 0};
    int8_t out[8], want[8] = {P, P, P, M, M, M, P, M};
    erg_golden_bn_sign(2, 4, dot, thr, flip, out);
    for (int i = 0; i < 8; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_bn_affine, computes_scores_in_64_bits) {
    /* 3*5 - 1 = 14;  -2*7 + 4 = -10;  100000*100000 + 5 = 10^10 + 5 (> INT32_MAX). */
    int32_t dot[3] = {5, 7, 100000}, s[3] = {3, -2, 100000}, o[3] = {-1, 4, 5};
    int64_t score[3];
    erg_golden_bn_affine(3, dot, s, o, score);
    cr_assert_eq(score[0], 14);
    cr_assert_eq(score[1], -10);
    cr_assert_eq(score[2], 10000000005LL);
}

/* ---- folding batch-norm + sign ---- */

static void fold_ok(double gamma, double beta, double mean, double var, double eps, int n,
                    int32_t want_thr, int want_flip) {
    int32_t thr = 12345;
    uint8_t flip = 77;
    cr_assert_eq(erg_golden_fold_bn_sign(gamma, beta, mean, var, eps, n, &thr, &flip), 0);
    cr_assert_eq(thr, want_thr, "thr = %d, want %d", thr, want_thr);
    cr_assert_eq(flip, want_flip, "flip = %d, want %d", flip, want_flip);
}

Test(golden_fold_bn_sign, positive_scale_gives_the_smallest_reachable_dot_that_is_plus_one) {
    /* gamma 1, beta 0, mean 0.5, var 1, eps 0: y = x - 0.5. n = 4 reaches -4 -2 0 2 4;
     * y >= 0 for x >= 2 -> thr 2, flip 0. */
    fold_ok(1, 0, 0.5, 1, 0, 4, 2, 0);
}

Test(golden_fold_bn_sign, negative_scale_gives_the_largest_reachable_dot_that_is_plus_one) {
    /* gamma -2, beta 1, mean 0, var 4, eps 0: y = -2x/2 + 1 = 1 - x. n = 3 reaches -3 -1 1 3;
     * y >= 0 for x <= 1 -> thr 1, flip 1. */
    fold_ok(-2, 1, 0, 4, 0, 3, 1, 1);
}

Test(golden_fold_bn_sign, treats_zero_as_plus_one) {
    /* gamma 1, beta 0, mean 2, var 1: y = x - 2 is exactly 0 at x = 2 -> +1, so thr 2 (n = 4). */
    fold_ok(1, 0, 2, 1, 0, 4, 2, 0);
    /* eps counts: gamma 0.5, mean 1, var 3, eps 1: sqrt(4) = 2, y = (x - 1)/4 - 0.5, exactly 0
     * at x = 3. n = 5 reaches -5 -3 -1 1 3 5 -> thr 3. */
    fold_ok(0.5, -0.5, 1, 3, 1, 5, 3, 0);
}

Test(golden_fold_bn_sign, picks_a_reachable_dot_of_the_right_parity) {
    /* y = x, n = 3 reaches -3 -1 1 3: +1 for x in {1, 3}, so thr = 1 (not 0). */
    fold_ok(1, 0, 0, 1, 0, 3, 1, 0);
    /* n = 4 reaches -4 -2 0 2 4: +1 for x >= 0, thr = 0. */
    fold_ok(1, 0, 0, 1, 0, 4, 0, 0);
}

Test(golden_fold_bn_sign, encodes_zero_scale_as_a_constant) {
    /* gamma 0: y = beta. beta >= 0 -> always +1: thr INT32_MIN, flip 0; beta < 0 -> always -1:
     * thr INT32_MAX, flip 0. beta = 0 and beta = -0.0 are both >= 0. */
    fold_ok(0, 0.25, 3, 1, 0, 8, INT32_MIN, 0);
    fold_ok(0, -0.25, 3, 1, 0, 8, INT32_MAX, 0);
    fold_ok(0, 0.0, 3, 1, 0, 8, INT32_MIN, 0);
    fold_ok(0, -0.0, 3, 1, 0, 8, INT32_MIN, 0);
}

Test(golden_fold_bn_sign, encodes_a_constant_result_of_nonzero_scale_as_zero_scale_does) {
    /* y = x + 100 >= 0 for every reachable x of n = 8 -> constant +1; y = -x - 100 < 0 for all
     * -> constant -1. Both use the zero-scale encoding (flip 0). */
    fold_ok(1, 100, 0, 1, 0, 8, INT32_MIN, 0);
    fold_ok(-1, -100, 0, 1, 0, 8, INT32_MAX, 0);
    fold_ok(-1, 100, 0, 1, 0, 8, INT32_MIN, 0);
    /* n = 0 reaches only x = 0: y = x - 1 < 0 -> constant -1. */
    fold_ok(1, 0, 1, 1, 0, 0, INT32_MAX, 0);
}

Test(golden_fold_bn_sign, folds_zero_variance_like_the_double_formula) {
    /* var = eps = 0, gamma 1, mean 0, beta 0, n = 2: x = -2 -> -inf (-1), x = 0 -> 0/0 = NaN
     * (-1, since NaN >= 0 is false), x = 2 -> +inf (+1): thr 2, flip 0. */
    cr_assert_eq(erg_golden_bn_sign_ref(1, 0, 0, 0, 0, 0), -1);
    fold_ok(1, 0, 0, 0, 0, 2, 2, 0);
}

Test(golden_fold_bn_sign, rejects_a_negative_bit_count) {
    int32_t thr;
    uint8_t flip;
    cr_assert_eq(erg_golden_fold_bn_sign(1, 0, 0, 1, 0, -1, &thr, &flip), -1);
}

Test(golden_fold_bn_sign, equals_float_batch_norm_and_sign_on_every_reachable_dot) {
    erg_rng r;
    erg_rng_seed(&r, 103);
    int non_constant = 0, negative = 0, on_zero = 0;
    for (int trial = 0; trial < 10000; trial++) {
        int n = (int)erg_rng_range(&r, 1, 2048);
        double gamma = 0;
        if (erg_rng_range(&r, 0, 7) != 0) /* 1 in 8 exactly zero, else +-10^[-3, 3] */
            gamma = (erg_rng_range(&r, 0, 1) ? 1 : -1) * pow(10, 6 * erg_rng_double(&r) - 3);
        double var = erg_rng_range(&r, 0, 15) == 0 ? 0 : pow(10, 8 * erg_rng_double(&r) - 4);
        static const double epss[4] = {0, 1e-5, 1e-3, 0.1};
        double eps = epss[erg_rng_range(&r, 0, 3)];
        if (var + eps == 0) eps = 1e-5;
        double mean = (2 * erg_rng_double(&r) - 1) * (n + 2);
        if (erg_rng_range(&r, 0, 3) == 0) mean = n - 2 * (double)erg_rng_range(&r, 0, n);
        /* beta moves the step to about x = mean - beta / scale; keep it mostly inside [-n, n]. */
        double scale = fabs(gamma) / sqrt(var + eps);
        double beta = (2.4 * erg_rng_double(&r) - 1.2) * n * (scale > 0 ? scale : 1);
        if (erg_rng_range(&r, 0, 7) == 0) beta = 0;
        on_zero += beta == 0 && mean == floor(mean);

        int32_t thr;
        uint8_t flip;
        cr_assert_eq(erg_golden_fold_bn_sign(gamma, beta, mean, var, eps, n, &thr, &flip), 0,
                     "trial %d", trial);
        if (thr == INT32_MIN || thr == INT32_MAX) {
            cr_assert_eq(flip, 0, "trial %d: a constant is encoded with flip 0", trial);
        } else {
            non_constant++;
            negative += flip;
            cr_assert_eq(flip, gamma < 0, "trial %d: flip %d for gamma %g", trial, flip, gamma);
            cr_assert(thr >= -n && thr <= n && (n - thr) % 2 == 0,
                      "trial %d: thr %d is not a reachable dot of n = %d", trial, thr, n);
        }
        for (int k = 0; k <= n; k++) {
            int32_t x = n - 2 * k;
            int8_t out;
            erg_golden_bn_sign(1, 1, &x, &thr, &flip, &out);
            int want = erg_golden_bn_sign_ref(gamma, beta, mean, var, eps, x);
            cr_assert_eq(out, want,
                         "trial %d: gamma %.17g beta %.17g mean %.17g var %.17g eps %g n %d: "
                         "x = %d gives %d, float %d (thr %d flip %d)",
                         trial, gamma, beta, mean, var, eps, n, x, out, want, thr, flip);
        }
    }
    /* The random cases must mostly exercise real thresholds of both directions. */
    cr_assert_gt(non_constant, 6000, "only %d non-constant folds", non_constant);
    cr_assert_gt(negative, 2500, "only %d negative-scale folds", negative);
    cr_assert_gt(on_zero, 100, "only %d cases with y = 0 reachable", on_zero);
}

/* ---- thermometer ---- */

Test(golden_thermometer, sets_plane_j_when_the_pixel_reaches_its_threshold) {
    /* Channel 0 has L = 3: t_j = floor((j+1)*256/4) = 64, 128, 192. Channel 1 has L = 1:
     * t_0 = floor(256/2) = 128. Output channels per pixel: [ch0 j0, j1, j2, ch1 j0].
     *   (63, 127)  -> - - - | -
     *   (64, 128)  -> + - - | +
     *   (191, 255) -> + + - | +
     *   (192, 0)   -> + + + | - */
    uint8_t in[8] = {63, 127, 64, 128, 191, 255, 192, 0};
    int levels[2] = {3, 1};
    int8_t out[16];
    int8_t want[16] = {M, M, M, M, P, M, M, P, P, P, M, P, P, P, P, M};
    erg_golden_thermometer(4, 2, in, levels, out);
    for (int i = 0; i < 16; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_thermometer, with_255_levels_sets_exactly_x_planes) {
    /* L = 255: t_j = floor((j+1)*256/256) = j + 1, so x >= j + 1 for j < x: x planes are +1. */
    int levels[1] = {255};
    int8_t out[255];
    for (int x = 0; x < 256; x++) {
        uint8_t v = (uint8_t)x;
        erg_golden_thermometer(1, 1, &v, levels, out);
        for (int j = 0; j < 255; j++) cr_assert_eq(out[j], j < x ? 1 : -1, "x %d plane %d", x, j);
    }
}

Test(golden_thermometer, is_monotonic_in_the_pixel_value_for_every_level_count) {
    /* Plane j's threshold grows with j, so the planes read + ... + - ... - and the number of +
     * planes never decreases as x grows. */
    for (int l = 1; l <= 255; l++) {
        int8_t *out = malloc((size_t)l);
        int prev = 0;
        for (int x = 0; x < 256; x++) {
            uint8_t v = (uint8_t)x;
            erg_golden_thermometer(1, 1, &v, &l, out);
            int count = 0;
            for (int j = 0; j < l; j++) {
                cr_assert(out[j] == 1 || out[j] == -1);
                if (out[j] == 1) {
                    cr_assert_eq(count, j, "L %d x %d: + after -", l, x);
                    count++;
                }
            }
            cr_assert_geq(count, prev, "L %d x %d", l, x);
            prev = count;
        }
        cr_assert_eq(prev, l, "x = 255 sets every plane for L = %d", l);
        free(out);
    }
}
