/* test_mac_array.c — the AMAC systolic MAC-array model (models/amac/erg_mac_array.h,
 * docs/amac-array.md): outputs bit-exact with the golden kernels for exact and approximate
 * multipliers, SCALE-Sim and erg cycle equations, counters, DRAM tiling and stalls derived by
 * hand, and rejected configurations. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_golden.h"
#include "erg_mac_array.h"
#include "erg_quant.h"
#include "erg_rng.h"

#define MiB (1024u * 1024u)

static erg_conv_geom geom(int in_h, int in_w, int in_c, int k_h, int k_w, int stride, int same,
                          int out_c) {
    erg_conv_geom g;
    erg_error err;
    int rc = erg_conv_geom_init(&g, in_h, in_w, in_c, k_h, k_w, stride, same, out_c, &err);
    cr_assert_eq(rc, 0, "geometry: %s", err.msg);
    return g;
}

static erg_mac_array_cfg cfg_of(int r, int c, erg_mac_dataflow df, erg_mac_timing_mode t) {
    erg_mac_array_cfg cfg = {r, c, df, t, MiB, MiB, MiB, 4};
    return cfg;
}

static erg_mac_layer conv_layer(erg_conv_geom g) {
    erg_mac_layer l;
    memset(&l, 0, sizeof l);
    l.kind = ERG_MAC_CONV;
    l.geom = g;
    return l;
}

static erg_mac_stats timing_ok(const erg_mac_array_cfg *cfg, const erg_mac_layer *l) {
    erg_mac_stats st;
    erg_error err;
    int rc = erg_mac_array_timing(cfg, l, &st, &err);
    cr_assert_eq(rc, 0, "timing: %s", err.msg);
    return st;
}

/* ---- multipliers defined here ---- */

/* Drops the low 4 bits of the exact product. */
static uint16_t trunc4_fn(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx;
    return (uint16_t)(((unsigned)a * b) & ~0xfu);
}
static const erg_mul8u trunc4 = {trunc4_fn, NULL, "trunc4"};

/* M(0, b) = b & 3 != 0: shows padded taps going through M with activation 0, operand order. */
static uint16_t skew_fn(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx;
    return (uint16_t)((((unsigned)a * b) >> 2 << 2) + (b & 3u) + (a >> 6));
}
static const erg_mul8u skew = {skew_fn, NULL, "skew"};

/* An arbitrary multiplier: a random 256 x 256 table of 16-bit products (a-major). */
static uint16_t rand_table[65536];
static uint16_t table_fn(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[a * 256 + b];
}
static const erg_mul8u randmul = {table_fn, rand_table, "random-table"};

/* The largest product everywhere: sums wrap int32 after 32,768 taps. */
static uint16_t max_fn(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx, (void)a, (void)b;
    return 65535;
}
static const erg_mul8u maxmul = {max_fn, NULL, "max"};

static void fill_rand_table(void) {
    erg_rng r;
    erg_rng_seed(&r, 99);
    for (int i = 0; i < 65536; i++) rand_table[i] = (uint16_t)erg_rng_range(&r, 0, 65535);
}

/* ---- bit-exact with golden ---- */

typedef struct rand_layer {
    erg_mac_layer l;
    uint8_t *in;
    int8_t *w;
    int32_t *bias, *m0, *shift;
    size_t n_in, n_out, n_ch;
} rand_layer;

static rand_layer make_random(erg_rng *r, erg_mac_kind kind, erg_conv_geom g, int n_in, int n_out) {
    rand_layer x;
    memset(&x, 0, sizeof x);
    x.l.kind = kind;
    if (kind == ERG_MAC_DENSE) {
        x.l.n_in = n_in;
        x.l.n_out = n_out;
        x.n_in = (size_t)n_in;
        x.n_out = x.n_ch = (size_t)n_out;
    } else {
        x.l.geom = g;
        x.n_in = (size_t)g.in_h * g.in_w * g.in_c;
        x.n_out = (size_t)g.out_h * g.out_w * g.out_c;
        x.n_ch = (size_t)g.out_c;
    }
    size_t nw = kind == ERG_MAC_DENSE       ? (size_t)n_in * n_out
                : kind == ERG_MAC_DEPTHWISE ? (size_t)g.in_c * g.k_h * g.k_w
                                            : (size_t)g.out_c * g.k_h * g.k_w * g.in_c;
    x.in = malloc(x.n_in);
    x.w = malloc(nw);
    x.bias = malloc(x.n_ch * sizeof(int32_t));
    x.m0 = malloc(x.n_ch * sizeof(int32_t));
    x.shift = malloc(x.n_ch * sizeof(int32_t));
    for (size_t i = 0; i < x.n_in; i++) x.in[i] = (uint8_t)erg_rng_range(r, 0, 255);
    /* some zero activations and zero weights too */
    for (size_t i = 0; i < x.n_in; i += 7) x.in[i] = 0;
    for (size_t i = 0; i < nw; i++) x.w[i] = (int8_t)erg_rng_range(r, -127, 127);
    for (size_t i = 0; i < nw; i += 11) x.w[i] = 0;
    for (size_t c = 0; c < x.n_ch; c++) {
        x.bias[c] = (int32_t)erg_rng_range(r, -60000, 60000);
        x.m0[c] = (int32_t)erg_rng_range(r, 1 << 30, INT32_MAX);
        x.shift[c] = (int32_t)erg_rng_range(r, 4, 14);
    }
    x.l.w = x.w;
    x.l.bias = x.bias;
    x.l.m0 = x.m0;
    x.l.shift = x.shift;
    x.l.zp = (int32_t)erg_rng_range(r, -3, 3);
    return x;
}

static void free_random(rand_layer *x) {
    free(x->in);
    free(x->w);
    free(x->bias);
    free(x->m0);
    free(x->shift);
}

static void golden_acc(const rand_layer *x, const erg_mac_layer *l, int32_t *acc) {
    if (l->kind == ERG_MAC_CONV)
        erg_golden_conv2d(&l->geom, x->in, l->w, l->bias, l->mul, acc);
    else if (l->kind == ERG_MAC_DEPTHWISE)
        erg_golden_depthwise(&l->geom, x->in, l->w, l->bias, l->mul, acc);
    else
        erg_golden_dense(l->n_in, l->n_out, x->in, l->w, l->bias, l->mul, acc);
}

/* Runs x with each multiplier (bias on and off) on every dataflow and compares the int32
 * accumulators and the requantized outputs with golden. */
static void check_against_golden(rand_layer *x, const char *what) {
    const erg_mul8u *muls[] = {NULL, &erg_mul8u_exact, &trunc4, &skew, &randmul};
    size_t n = x->n_out, n_pix = x->n_out / x->n_ch;
    int32_t *want = malloc(n * sizeof *want), *acc = malloc(n * sizeof *acc);
    uint8_t *want_u8 = malloc(n), *out = malloc(n);
    for (int mi = 0; mi < 5; mi++)
        for (int with_bias = 0; with_bias < 2; with_bias++) {
            erg_mac_layer l = x->l;
            l.mul = muls[mi];
            l.bias = with_bias ? x->bias : NULL;
            golden_acc(x, &l, want);
            erg_golden_requant(n_pix, (int)x->n_ch, want, l.m0, l.shift, l.zp, want_u8);
            for (int df = 0; df < ERG_MAC_DATAFLOW_COUNT; df++) {
                erg_mac_array_cfg cfg = cfg_of(4 + df, 3, (erg_mac_dataflow)df, ERG_MAC_TIMING_ERG);
                erg_error err;
                memset(acc, 0x5a, n * sizeof *acc);
                memset(out, 0x5a, n);
                int rc = erg_mac_array_run(&cfg, &l, x->in, acc, out, NULL, &err);
                cr_assert_eq(rc, 0, "%s: %s", what, err.msg);
                for (size_t i = 0; i < n; i++) {
                    cr_assert_eq(acc[i], want[i], "%s mul %d bias %d df %d: acc[%zu] = %d, want %d",
                                 what, mi, with_bias, df, i, acc[i], want[i]);
                    cr_assert_eq(out[i], want_u8[i], "%s mul %d df %d: out[%zu] = %u, want %u",
                                 what, mi, df, i, out[i], want_u8[i]);
                }
                /* only one of the two outputs */
                memset(acc, 0, n * sizeof *acc);
                cr_assert_eq(erg_mac_array_run(&cfg, &l, x->in, acc, NULL, NULL, &err), 0);
                cr_assert_eq(memcmp(acc, want, n * sizeof *acc), 0);
                memset(out, 0, n);
                cr_assert_eq(erg_mac_array_run(&cfg, &l, x->in, NULL, out, NULL, &err), 0);
                cr_assert_eq(memcmp(out, want_u8, n), 0);
            }
        }
    free(want);
    free(acc);
    free(want_u8);
    free(out);
}

Test(mac_array, conv_equals_golden_valid_and_same_stride_1_and_2_every_multiplier_and_dataflow) {
    fill_rand_table();
    erg_rng r;
    erg_rng_seed(&r, 2024);
    int cases = 0;
    for (int same = 0; same < 2; same++)
        for (int stride = 1; stride <= 2; stride++)
            for (int rep = 0; rep < 6; rep++) {
                int in_h = (int)erg_rng_range(&r, 3, 9), in_w = (int)erg_rng_range(&r, 3, 9);
                int in_c = (int)erg_rng_range(&r, 1, 6);
                int k_h = (int)erg_rng_range(&r, 1, 3), k_w = (int)erg_rng_range(&r, 1, 3);
                int out_c = (int)erg_rng_range(&r, 1, 9);
                erg_conv_geom g = geom(in_h, in_w, in_c, k_h, k_w, stride, same, out_c);
                rand_layer x = make_random(&r, ERG_MAC_CONV, g, 0, 0);
                char what[96];
                snprintf(what, sizeof what, "conv %dx%dx%d k%dx%d s%d %s -> %d", in_h, in_w, in_c,
                         k_h, k_w, stride, same ? "same" : "valid", out_c);
                check_against_golden(&x, what);
                free_random(&x);
                cases++;
            }
    cr_assert_eq(cases, 24);
}

Test(mac_array, depthwise_equals_golden_valid_and_same_every_multiplier_and_dataflow) {
    fill_rand_table();
    erg_rng r;
    erg_rng_seed(&r, 7);
    for (int same = 0; same < 2; same++)
        for (int stride = 1; stride <= 2; stride++)
            for (int rep = 0; rep < 4; rep++) {
                int in_h = (int)erg_rng_range(&r, 3, 9), in_w = (int)erg_rng_range(&r, 3, 9);
                int c = (int)erg_rng_range(&r, 1, 19);
                int k = (int)erg_rng_range(&r, 1, 3);
                erg_conv_geom g = geom(in_h, in_w, c, k, k, stride, same, c);
                rand_layer x = make_random(&r, ERG_MAC_DEPTHWISE, g, 0, 0);
                check_against_golden(&x, "depthwise");
                free_random(&x);
            }
}

Test(mac_array, dense_equals_golden_every_multiplier_and_dataflow) {
    fill_rand_table();
    erg_rng r;
    erg_rng_seed(&r, 11);
    for (int rep = 0; rep < 8; rep++) {
        int n_in = (int)erg_rng_range(&r, 1, 300), n_out = (int)erg_rng_range(&r, 1, 20);
        erg_conv_geom unused;
        memset(&unused, 0, sizeof unused);
        rand_layer x = make_random(&r, ERG_MAC_DENSE, unused, n_in, n_out);
        check_against_golden(&x, "dense");
        free_random(&x);
    }
}

Test(mac_array, a_larger_conv_equals_golden_with_an_approximate_multiplier) {
    /* 16x16x24 -> 32 filters 3x3 same, stride 1: K = 216 taps, 256 pixels. */
    erg_rng r;
    erg_rng_seed(&r, 5);
    rand_layer x = make_random(&r, ERG_MAC_CONV, geom(16, 16, 24, 3, 3, 1, 1, 32), 0, 0);
    int32_t *want = malloc(x.n_out * sizeof *want), *acc = malloc(x.n_out * sizeof *acc);
    x.l.mul = &skew;
    golden_acc(&x, &x.l, want);
    erg_mac_array_cfg cfg = cfg_of(8, 8, ERG_MAC_WS, ERG_MAC_TIMING_ERG);
    erg_error err;
    cr_assert_eq(erg_mac_array_run(&cfg, &x.l, x.in, acc, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(memcmp(acc, want, x.n_out * sizeof *acc), 0);
    free(want);
    free(acc);
    free_random(&x);
}

Test(mac_array, wraps_the_accumulator_modulo_2_to_the_32_across_long_dot_products) {
    /* Dense over 70,000 inputs of 255 (longer than the model's 32,768-tap chunks).
     * exact, w = +127: 70000 * 32385 = 2,266,950,000 > INT32_MAX, wraps to
     *   2,266,950,000 - 2^32 = -2,028,017,296.
     * exact, w = -127: -2,266,950,000 wraps to +2,028,017,296.
     * max multiplier (65535 everywhere), w = +1: 70000 * 65535 = 4,587,450,000
     *   - 2^32 = 292,482,704; plus bias 5 -> 292,482,709; w = +127 and -127 give +-292,482,704
     *   (the magnitude goes through M, which ignores it). Golden computes the same. */
    int n = 70000;
    uint8_t *in = malloc((size_t)n);
    int8_t *w = malloc((size_t)n * 3);
    memset(in, 255, (size_t)n);
    for (int i = 0; i < n; i++) w[i] = 127, w[n + i] = -127, w[2 * n + i] = 1;
    int32_t bias[3] = {0, 0, 5}, acc[3], want[3];
    erg_mac_layer l;
    memset(&l, 0, sizeof l);
    l.kind = ERG_MAC_DENSE;
    l.n_in = n;
    l.n_out = 3;
    l.w = w;
    l.bias = bias;
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_error err;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, acc, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(acc[0], -2028017296);
    cr_assert_eq(acc[1], 2028017296);
    cr_assert_eq(acc[2], 17850005); /* exact, w = +1: 70000 * 255 = 17,850,000, + bias 5 */
    l.mul = &maxmul;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, acc, NULL, NULL, &err), 0, "%s", err.msg);
    erg_golden_dense(n, 3, in, w, bias, &maxmul, want);
    cr_assert_eq(acc[2], 292482709);
    cr_assert_eq(acc[0], 292482704);
    cr_assert_eq(acc[1], -292482704); /* -4,587,450,000 + 2^32 * 2 - 2^32 */
    for (int i = 0; i < 3; i++) cr_assert_eq(acc[i], want[i], "acc[%d] = %d", i, acc[i]);
    free(in);
    free(w);
}

/* ---- requantization shared with golden ---- */

Test(mac_array, shared_requantization_matches_hand_values_and_golden) {
    /* srdhm(100, 2^30) = 100 / 2 = 50; rdpot(50, 1) = 25; + zp 3 = 28.
     * srdhm(-100, 2^30) = -50; rdpot(-50, 2) = -12.5 -> -13 (half away from zero); + 3 = -10
     *   -> clamped to 0. srdhm(INT32_MAX, INT32_MAX) = INT32_MAX - 1; rdpot(., 0) -> 255. */
    cr_assert_eq(erg_quant_requant1(100, 1 << 30, 1, 3), 28);
    cr_assert_eq(erg_quant_rdpot(-50, 2), -13);
    cr_assert_eq(erg_quant_requant1(-100, 1 << 30, 2, 3), 0);
    cr_assert_eq(erg_quant_requant1(INT32_MAX, INT32_MAX, 0, 0), 255);
    cr_assert_eq(erg_quant_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    erg_rng r;
    erg_rng_seed(&r, 3);
    for (int i = 0; i < 10000; i++) {
        int32_t a = (int32_t)erg_rng_range(&r, INT32_MIN, INT32_MAX);
        int32_t b = (int32_t)erg_rng_range(&r, INT32_MIN, INT32_MAX);
        int e = (int)erg_rng_range(&r, 0, 31);
        cr_assert_eq(erg_quant_srdhm(a, b), erg_golden_srdhm(a, b));
        cr_assert_eq(erg_quant_rdpot(a, e), erg_golden_rdpot(a, e));
    }
}

/* ---- SCALE-Sim cycles ---- */

/* Layer A: conv 5x5x2, 3x3 kernel, stride 1, valid, 6 filters -> 3x3x6.
 * GEMM: M = 3*3 = 9 pixels, N = 6 filters, K = 3*3*2 = 18 taps. */
static erg_mac_layer layer_a(void) {
    return conv_layer(geom(5, 5, 2, 3, 3, 1, 0, 6));
}

Test(mac_array, layer_a_maps_to_the_gemm_9_by_6_by_18) {
    erg_mac_layer l = layer_a();
    erg_mac_gemm g;
    erg_error err;
    cr_assert_eq(erg_mac_layer_gemm(&l, &g, &err), 0, "%s", err.msg);
    cr_assert_eq(g.m, 9);
    cr_assert_eq(g.n, 6);
    cr_assert_eq(g.k, 18);
    cr_assert_eq(g.count, 1);
    cr_assert_eq(g.valid, 162); /* no padding: all 9 * 18 im2col elements */
}

Test(mac_array, scalesim_cycles_of_each_dataflow_by_hand) {
    /* R = C = 4, layer A (M = 9, N = 6, K = 18):
     * OS: Sr = M = 9, Sc = N = 6, T = K = 18: folds = ceil(9/4) * ceil(6/4) = 3 * 2 = 6;
     *     overhead = R + C - 2 = 6; cycles = 6 * (18 + 6) - 1 = 143.
     * WS: Sr = K = 18, Sc = N = 6, T = M = 9: folds = 5 * 2 = 10; overhead = 2R + C - 2 = 10;
     *     cycles = 10 * (9 + 10) - 1 = 189.
     * IS: Sr = K = 18, Sc = M = 9, T = N = 6: folds = 5 * 3 = 15; overhead = 10;
     *     cycles = 15 * (6 + 10) - 1 = 239.
     * SCALE-Sim mode never stalls, even at 1 byte/cycle of DRAM. */
    erg_mac_layer l = layer_a();
    uint64_t want[3] = {143, 189, 239}, folds[3] = {6, 10, 15};
    for (int df = 0; df < 3; df++) {
        erg_mac_array_cfg cfg = cfg_of(4, 4, (erg_mac_dataflow)df, ERG_MAC_TIMING_SCALESIM);
        cfg.dram_bytes_per_cycle = 1;
        erg_mac_stats st = timing_ok(&cfg, &l);
        cr_assert_eq(st.cycles, want[df], "%s: %llu", erg_mac_dataflow_name(cfg.dataflow),
                     (unsigned long long)st.cycles);
        cr_assert_eq(st.compute_cycles, want[df]);
        cr_assert_eq(st.folds, folds[df]);
        cr_assert_eq(st.stall_cycles, 0);
        cr_assert_eq(st.dram_cycles, 374); /* 50 + 108 + 216 bytes (see the counter test) */
    }
}

Test(mac_array, scalesim_cycles_of_non_square_arrays_and_exact_folds) {
    /* R = 8, C = 2, layer A.
     * OS: folds = ceil(9/8) * ceil(6/2) = 2 * 3 = 6; overhead 8 + 2 - 2 = 8:
     *     6 * (18 + 8) - 1 = 155.
     * WS: folds = ceil(18/8) * 3 = 9; overhead 16 + 2 - 2 = 16: 9 * (9 + 16) - 1 = 224.
     * IS: folds = ceil(18/8) * ceil(9/2) = 3 * 5 = 15: 15 * (6 + 16) - 1 = 329.
     * R = C = 1 (a single PE), OS: folds = 9 * 6 = 54, overhead 0: 54 * 18 - 1 = 971. */
    erg_mac_layer l = layer_a();
    uint64_t want[3] = {155, 224, 329};
    for (int df = 0; df < 3; df++) {
        erg_mac_array_cfg cfg = cfg_of(8, 2, (erg_mac_dataflow)df, ERG_MAC_TIMING_SCALESIM);
        cr_assert_eq(timing_ok(&cfg, &l).cycles, want[df]);
    }
    erg_mac_array_cfg one = cfg_of(1, 1, ERG_MAC_OS, ERG_MAC_TIMING_SCALESIM);
    cr_assert_eq(timing_ok(&one, &l).cycles, 971);
}

/* SCALE-Sim v2's closed form (REFERENCES.md), written out here on its own terms: the output
 * size ceil((H - kernel + stride) / stride) of a valid conv, the GEMM M = oh * ow, N = filters,
 * K = kernel^2 * channels, and per dataflow Sr, Sc, T and the overhead; cycles = folds * (T +
 * overhead) - 1. */
static uint64_t scalesim_closed_form(int h, int w, int c, int k, int s, int nf, int R, int C,
                                     int df) {
    uint64_t oh = (uint64_t)((h - k + s + s - 1) / s), ow = (uint64_t)((w - k + s + s - 1) / s);
    uint64_t M = oh * ow, N = (uint64_t)nf, K = (uint64_t)k * k * c;
    uint64_t Sr = df == 0 ? M : K, Sc = df == 2 ? M : N, T = df == 0 ? K : df == 1 ? M : N;
    uint64_t ovh = df == 0 ? (uint64_t)(R + C - 2) : (uint64_t)(2 * R + C - 2);
    uint64_t folds = ((Sr + R - 1) / R) * ((Sc + C - 1) / C);
    return folds * (T + ovh) - 1;
}

Test(mac_array, scalesim_mode_equals_the_closed_form_on_twelve_shapes_per_dataflow) {
    /* valid convs of SCALE-Sim-style shapes: first layers, mid layers, 1x1 and strided ones, on
     * square and non-square arrays. Shapes 5 (227, k 11, s 4) and 9 divide evenly; shape 11
     * (9x9, k 2, s 3) does not: the layer has floor(7/3) + 1 = 3 output rows, SCALE-Sim counts
     * ceil((9 - 2 + 3)/3) = 4, so M = 16 not 9 and OS on 7 x 1 takes
     * ceil(16/7) * 37 = 111 folds * (72 + 6) - 1 = 8657 cycles. */
    const struct {
        int h, w, c, k, s, nf, R, C;
    } shapes[12] = {{32, 32, 3, 3, 1, 16, 8, 8},      {28, 28, 1, 5, 1, 6, 4, 4},
                    {14, 14, 6, 5, 1, 16, 16, 16},    {56, 56, 64, 1, 1, 64, 32, 32},
                    {56, 56, 64, 3, 1, 64, 32, 32},   {227, 227, 3, 11, 4, 96, 32, 32},
                    {27, 27, 96, 5, 1, 256, 16, 8},   {13, 13, 256, 3, 1, 384, 8, 32},
                    {7, 7, 512, 3, 1, 512, 128, 128}, {15, 9, 7, 3, 2, 10, 3, 5},
                    {1, 1, 1024, 1, 1, 1000, 64, 64}, {9, 9, 18, 2, 3, 37, 7, 1}};
    for (int df = 0; df < 3; df++)
        for (int i = 0; i < 12; i++) {
            erg_mac_layer l = conv_layer(geom(shapes[i].h, shapes[i].w, shapes[i].c, shapes[i].k,
                                              shapes[i].k, shapes[i].s, 0, shapes[i].nf));
            erg_mac_array_cfg cfg =
                cfg_of(shapes[i].R, shapes[i].C, (erg_mac_dataflow)df, ERG_MAC_TIMING_SCALESIM);
            cfg.ifmap_sram_bytes = cfg.filter_sram_bytes = cfg.ofmap_sram_bytes = 1ull << 31;
            uint64_t want =
                scalesim_closed_form(shapes[i].h, shapes[i].w, shapes[i].c, shapes[i].k,
                                     shapes[i].s, shapes[i].nf, shapes[i].R, shapes[i].C, df);
            erg_mac_stats st = timing_ok(&cfg, &l);
            cr_expect_eq(st.cycles, want, "%s, shape %d: %llu cycles, closed form %llu",
                         erg_mac_dataflow_name(cfg.dataflow), i, (unsigned long long)st.cycles,
                         (unsigned long long)want);
            cr_expect_eq(st.stall_cycles, 0);
        }
}

Test(mac_array, scalesim_depthwise_sums_one_gemm_per_channel_and_dense_has_m_1) {
    /* Depthwise 4x4x3, 3x3, same (pad 1 on each side) -> 4x4x3: 3 GEMMs of M = 16, N = 1,
     * K = 9. OS on 4 x 4: folds = ceil(16/4) * 1 = 4 per GEMM, overhead 6:
     *   4 * (9 + 6) - 1 = 59 per channel, 3 * 59 = 177.
     * Dense 10 -> 7 (M = 1, N = 7, K = 10), WS on 4 x 4: folds = ceil(10/4) * ceil(7/4) = 6,
     *   overhead 10: 6 * (1 + 10) - 1 = 65. */
    erg_mac_layer dw = conv_layer(geom(4, 4, 3, 3, 3, 1, 1, 3));
    dw.kind = ERG_MAC_DEPTHWISE;
    erg_mac_array_cfg os = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_SCALESIM);
    erg_mac_stats st = timing_ok(&os, &dw);
    cr_assert_eq(st.cycles, 177);
    cr_assert_eq(st.gemms, 3);
    cr_assert_eq(st.folds, 12);
    erg_mac_layer d;
    memset(&d, 0, sizeof d);
    d.kind = ERG_MAC_DENSE;
    d.n_in = 10;
    d.n_out = 7;
    erg_mac_array_cfg ws = cfg_of(4, 4, ERG_MAC_WS, ERG_MAC_TIMING_SCALESIM);
    cr_assert_eq(timing_ok(&ws, &d).cycles, 65);
}

/* ---- erg cycles ---- */

Test(mac_array, erg_cycles_count_the_rows_and_columns_of_partial_folds) {
    /* erg: each fold takes T + 2r + c - 2 cycles, r x c the PEs it uses; the sum over folds is
     * folds*T + 2*Sr*ceil(Sc/C) + Sc*ceil(Sr/R) - 2*folds. R = C = 4, layer A:
     * OS: rows 4,4,1 x cols 4,2, T = 18:
     *     (18+8+4-2) + (18+8+2-2) = 28 + 26, twice = 108; (18+2+4-2) + (18+2+2-2) = 22 + 20 = 42;
     *     total 150 (= 6*18 + 2*9*2 + 6*3 - 12 = 108 + 36 + 18 - 12).
     * WS: rows 4,4,4,4,2 x cols 4,2, T = 9: 10*9 + 2*18*2 + 6*5 - 20 = 90 + 72 + 30 - 20 = 172.
     * IS: rows 4,4,4,4,2 x cols 4,4,1 (M = 9), T = 6: 15*6 + 2*18*3 + 9*5 - 30 = 213.
     * With 1 MiB buffers and 4 bytes/cycle the 374 DRAM bytes take 94 cycles: no stall. */
    erg_mac_layer l = layer_a();
    uint64_t want[3] = {150, 172, 213};
    for (int df = 0; df < 3; df++) {
        erg_mac_array_cfg cfg = cfg_of(4, 4, (erg_mac_dataflow)df, ERG_MAC_TIMING_ERG);
        erg_mac_stats st = timing_ok(&cfg, &l);
        cr_assert_eq(st.compute_cycles, want[df], "%s: %llu", erg_mac_dataflow_name(cfg.dataflow),
                     (unsigned long long)st.compute_cycles);
        cr_assert_eq(st.cycles, want[df]);
        cr_assert_eq(st.stall_cycles, 0);
        cr_assert_eq(st.dram_cycles, 94);
    }
}

Test(mac_array, erg_cycles_of_depthwise_dense_and_a_single_pe) {
    /* Depthwise 4x4x3 same on 4 x 4, OS: per channel rows 4,4,4,4 x cols 1, T = 9:
     *   4 * (9 + 8 + 1 - 2) = 64, three channels: 192.
     * Dense 10 -> 7 on 4 x 4, WS (T = M = 1): rows 4,4,2 x cols 4,3:
     *   (1+8+4-2) + (1+8+3-2) = 11 + 10, twice = 42; (1+4+4-2) + (1+4+3-2) = 13; total 55.
     * Layer A on one PE (R = C = 1), OS: 54 folds of 18 + 2 + 1 - 2 = 19: 1026. */
    erg_mac_layer dw = conv_layer(geom(4, 4, 3, 3, 3, 1, 1, 3));
    dw.kind = ERG_MAC_DEPTHWISE;
    erg_mac_array_cfg os = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    cr_assert_eq(timing_ok(&os, &dw).compute_cycles, 192);
    erg_mac_layer d;
    memset(&d, 0, sizeof d);
    d.kind = ERG_MAC_DENSE;
    d.n_in = 10;
    d.n_out = 7;
    erg_mac_array_cfg ws = cfg_of(4, 4, ERG_MAC_WS, ERG_MAC_TIMING_ERG);
    cr_assert_eq(timing_ok(&ws, &d).compute_cycles, 55);
    erg_mac_layer a = layer_a();
    erg_mac_array_cfg one = cfg_of(1, 1, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    cr_assert_eq(timing_ok(&one, &a).compute_cycles, 1026);
}

/* ---- counters by hand ---- */

Test(mac_array, os_counters_of_layer_a_by_hand) {
    /* R = C = 4, OS, layer A, no bias, int32 output. Sr = 9 (rows 4,4,1), Sc = 6 (cols 4,2).
     * macs = M*N*K = 9*6*18 = 972 = mults = active PE-cycles; no padding.
     * ifmap SRAM reads: the 9 x 18 im2col matrix once per column fold: 2 * 162 = 324.
     * filter SRAM reads: the 18 x 6 filter matrix once per row fold: 3 * 108 = 324.
     * outputs 54 int32: ofmap SRAM written 216 bytes, read 216 bytes (to DRAM); no psums.
     * operand registers: every MAC's ifmap and weight are latched: 2 * 972 = 1944.
     * accumulators: 972 MACs + drain: a column of r outputs shifts r(r-1)/2 times:
     *   Sc * sum(r(r-1)/2) = 6 * (6 + 6 + 0) = 72 -> 1044. No stationary loads.
     * used PE-cycles: sum r*c*(18 + 2r + c - 2) = 16*28 + 8*26 twice = 1312, + 4*22 + 2*20 = 128:
     *   1440.
     * DRAM: ifmap 5*5*2 = 50, filters 6*18 = 108, no params; writes 216. 374 bytes at
     * 4 B/cycle = 94 cycles < 150 compute cycles -> no stall. */
    erg_mac_layer l = layer_a();
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.macs, 972);
    cr_assert_eq(st.mults, 972);
    cr_assert_eq(st.active_pe_cycles, 972);
    cr_assert_eq(st.pad_mults, 0);
    cr_assert_eq(st.pad_injects, 0);
    cr_assert_eq(st.used_pe_cycles, 1440);
    cr_assert_eq(st.ifmap_sram_rd_bytes, 324);
    cr_assert_eq(st.filter_sram_rd_bytes, 324);
    cr_assert_eq(st.ofmap_sram_wr_bytes, 216);
    cr_assert_eq(st.ofmap_sram_rd_bytes, 216);
    cr_assert_eq(st.psum_wr_bytes, 0);
    cr_assert_eq(st.psum_rd_bytes, 0);
    cr_assert_eq(st.psum_adds, 0);
    cr_assert_eq(st.pe_operand_reg_writes, 1944);
    cr_assert_eq(st.pe_acc_reg_writes, 1044);
    cr_assert_eq(st.pe_stationary_reg_writes, 0);
    cr_assert_eq(st.ifmap_sram_wr_bytes, 50);
    cr_assert_eq(st.filter_sram_wr_bytes, 108);
    cr_assert_eq(st.dram_ifmap_rd_bytes, 50);
    cr_assert_eq(st.dram_filter_rd_bytes, 108);
    cr_assert_eq(st.dram_param_rd_bytes, 0);
    cr_assert_eq(st.dram_rd_bytes, 158);
    cr_assert_eq(st.dram_wr_bytes, 216);
    cr_assert_eq(st.dram_ofmap_wr_bytes, 216);
    cr_assert_eq(st.dram_cycles, 94);
    cr_assert_eq(st.stall_cycles, 0);
    cr_assert_eq(st.outputs, 54);
    cr_assert_eq(st.bias_adds, 0);
    cr_assert_eq(st.requant_ops, 0);
    cr_assert_eq(st.gemms, 1);
    /* utilization = 972 / (16 * 150) = 0.405 */
    cr_assert_float_eq(erg_mac_utilization(&cfg, &st), 0.405, 1e-12);
}

Test(mac_array, ws_and_is_counters_of_layer_a_by_hand_with_partial_sums) {
    /* WS, R = C = 4: Sr = K = 18 (rows 4,4,4,4,2), Sc = N = 6 (cols 4,2), T = M = 9.
     * K is split over 5 row folds: folds 2..5 read back and rewrite the partial sums of all
     * 54 outputs: psum writes = reads = 4 * 54 * 4 B = 864 B, psum adds 4 * 54 = 216.
     * With bias and requantization the final outputs are 54 uint8: ofmap SRAM writes
     * 864 + 54 = 918, reads 918. ifmap SRAM: im2col once per column fold = 324; filters once
     * = 108. Stationary loads shift r weights down each column: sum r(r+1)/2 = 4*10 + 3 = 43 per
     * column, 6 columns: 258. Moving ifmap latches 972, psum registers 972.
     * used PE-cycles = T*Sr*Sc + 2*Sc*sum(r^2) + Sr*sum(c^2) - 2*Sr*Sc
     *   = 9*108 + 2*6*68 + 18*20 - 216 = 972 + 816 + 360 - 216 = 1932.
     * Params from DRAM: 6 channels * (4 bias + 8 m0/shift) = 72. The working set of one column
     * fold is 9 * 4 * 4 = 144 B <= 1 MiB: no spill.
     * IS: Sr = K = 18, Sc = M = 9 (cols 4,4,1), T = N = 6: ifmap SRAM 162 (loaded once),
     * filters once per column fold: 3 * 108 = 324; stationary 9 * 43 = 387; same psums. */
    erg_mac_layer l = layer_a();
    int32_t bias[6] = {0}, m0[6] = {0}, shift[6] = {0};
    l.bias = bias;
    l.m0 = m0;
    l.shift = shift;
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_WS, ERG_MAC_TIMING_ERG);
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.psum_wr_bytes, 864);
    cr_assert_eq(st.psum_rd_bytes, 864);
    cr_assert_eq(st.psum_adds, 216);
    cr_assert_eq(st.ofmap_sram_wr_bytes, 918);
    cr_assert_eq(st.ofmap_sram_rd_bytes, 918);
    cr_assert_eq(st.ifmap_sram_rd_bytes, 324);
    cr_assert_eq(st.filter_sram_rd_bytes, 108);
    cr_assert_eq(st.pe_stationary_reg_writes, 258);
    cr_assert_eq(st.pe_operand_reg_writes, 972);
    cr_assert_eq(st.pe_acc_reg_writes, 972);
    cr_assert_eq(st.used_pe_cycles, 1932);
    cr_assert_eq(st.dram_param_rd_bytes, 72);
    cr_assert_eq(st.dram_rd_bytes, 50 + 108 + 72);
    cr_assert_eq(st.dram_wr_bytes, 54);
    cr_assert_eq(st.dram_psum_wr_bytes, 0);
    cr_assert_eq(st.bias_adds, 54);
    cr_assert_eq(st.requant_ops, 54);
    cfg.dataflow = ERG_MAC_IS;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.ifmap_sram_rd_bytes, 162);
    cr_assert_eq(st.filter_sram_rd_bytes, 324);
    cr_assert_eq(st.pe_stationary_reg_writes, 387);
    cr_assert_eq(st.psum_wr_bytes, 864);
    cr_assert_eq(st.macs, 972);
}

Test(mac_array, padding_counts_multiplications_but_not_ifmap_reads) {
    /* Depthwise 4x4x3, 3x3, same, OS on 4 x 4. Along one axis the 4 outputs see 2, 3, 3, 2 of
     * their 3 taps inside the image: 10 of 12. Per channel 10 * 10 = 100 of the 16 * 9 = 144
     * im2col elements are inside, 44 are padding. Three channels, one column fold each:
     * ifmap SRAM reads 300, padding zeros injected 132 = pad_mults; macs 3 * 144 = 432. */
    erg_mac_layer dw = conv_layer(geom(4, 4, 3, 3, 3, 1, 1, 3));
    dw.kind = ERG_MAC_DEPTHWISE;
    erg_mac_gemm g;
    erg_error err;
    cr_assert_eq(erg_mac_layer_gemm(&dw, &g, &err), 0);
    cr_assert_eq(g.valid, 100);
    cr_assert_eq(g.count, 3);
    erg_mac_array_cfg os = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_mac_stats st = timing_ok(&os, &dw);
    cr_assert_eq(st.ifmap_sram_rd_bytes, 300);
    cr_assert_eq(st.pad_injects, 132);
    cr_assert_eq(st.pad_mults, 132);
    cr_assert_eq(st.macs, 432);
    cr_assert_eq(st.filter_sram_rd_bytes, 3 * 4 * 9); /* 4 row folds per channel */
}

/* ---- DRAM tiling and stalls ---- */

/* Layer B: conv 8x8x4 (256 B), 3x3, stride 1, valid, 8 filters -> 6x6x8; K = 36, filters
 * 8 * 36 = 288 B; outputs 36 * 8 = 288 int32 = 1152 B. */
static erg_mac_layer layer_b(void) {
    return conv_layer(geom(8, 8, 4, 3, 3, 1, 0, 8));
}

Test(mac_array, a_layer_that_fits_its_buffers_only_stalls_on_bandwidth) {
    /* Layer A, OS, 1 byte/cycle: 374 DRAM bytes = 374 cycles > 150 compute cycles:
     * stall 224, cycles 374. */
    erg_mac_layer l = layer_a();
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    cfg.dram_bytes_per_cycle = 1;
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_cycles, 374);
    cr_assert_eq(st.stall_cycles, 224);
    cr_assert_eq(st.cycles, 374);
    /* 0.75 B/cycle: ceil(374 / 0.75) = ceil(498.67) = 499 DRAM cycles, stall 349. */
    cfg.dram_bytes_per_cycle = 0.75;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_cycles, 499);
    cr_assert_eq(st.stall_cycles, 349);
}

Test(mac_array, a_layer_too_big_for_both_buffers_rereads_filters_per_ifmap_band) {
    /* Layer B, R = C = 4, OS, ifmap SRAM 128 B, filter SRAM 100 B, 1 byte/cycle.
     * ifmap: 256 B > 128 B. A row is 8 * 4 = 32 B, so 4 rows fit; a band of b output rows
     * needs (b - 1) * 1 + 3 rows: b = 2, bands = ceil(6 / 2) = 3 reading input rows 0-3, 2-5
     * and 4-7: 12 rows * 32 = 384 B per pass over the ifmap.
     * filters: 288 B > 100 B; a group holds floor(100 / 36) = 2 filters: 4 groups.
     * filter groups outer: 4 * 384 + 288 = 1824; ifmap bands outer: 384 + 3 * 288 = 1248:
     * the smaller, 1248 (ifmap 384, filters 864).
     * writes: 1152 B of int32 outputs. DRAM: 1248 + 1152 = 2400 bytes = 2400 cycles.
     * compute (erg, OS): Sr = 36 (9 row folds), Sc = 8 (2 col folds), T = 36:
     *   18 * 36 + 2 * 36 * 2 + 8 * 9 - 36 = 648 + 144 + 72 - 36 = 828.
     * stall = 2400 - 828 = 1572; cycles = 2400. */
    erg_mac_layer l = layer_b();
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG, 128, 100, 1024, 1};
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_ifmap_rd_bytes, 384);
    cr_assert_eq(st.dram_filter_rd_bytes, 864);
    cr_assert_eq(st.ifmap_sram_wr_bytes, 384);
    cr_assert_eq(st.filter_sram_wr_bytes, 864);
    cr_assert_eq(st.dram_rd_bytes, 1248);
    cr_assert_eq(st.dram_wr_bytes, 1152);
    cr_assert_eq(st.dram_cycles, 2400);
    cr_assert_eq(st.compute_cycles, 828);
    cr_assert_eq(st.stall_cycles, 1572);
    cr_assert_eq(st.cycles, 2400);
    /* The SRAM-side reads do not depend on the tiling: 2 col folds * 36 * 36 = 2592 ifmap,
     * 9 row folds * 288 = 2592 filter. */
    cr_assert_eq(st.ifmap_sram_rd_bytes, 2592);
    cr_assert_eq(st.filter_sram_rd_bytes, 2592);
    /* Filters that fit (512 B): ifmap bands once (384) + filters once (288) = 672 read,
     * 672 + 1152 = 1824 cycles of DRAM, stall 1824 - 828 = 996. */
    cfg.filter_sram_bytes = 512;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_rd_bytes, 672);
    cr_assert_eq(st.stall_cycles, 996);
    /* At 4 bytes/cycle: ceil(1824 / 4) = 456 < 828: no stall. */
    cfg.dram_bytes_per_cycle = 4;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_cycles, 456);
    cr_assert_eq(st.stall_cycles, 0);
    cr_assert_eq(st.cycles, 828);
}

Test(mac_array, many_bands_and_few_filter_groups_restream_the_ifmap_instead) {
    /* Layer B, ifmap SRAM 96 B = 3 rows: b = (3 - 3) / 1 + 1 = 1 output row per band, 6 bands
     * of rows t..t+2: 18 rows * 32 = 576 B. Filter SRAM 200 B: 5 filters per group, 2 groups.
     * groups outer: 2 * 576 + 288 = 1440; bands outer: 576 + 6 * 288 = 2304 -> 1440
     * (ifmap 1152, filters 288). */
    erg_mac_layer l = layer_b();
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG, 96, 200, 1024, 1};
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_ifmap_rd_bytes, 1152);
    cr_assert_eq(st.dram_filter_rd_bytes, 288);
}

Test(mac_array, bands_with_same_padding_and_stride_2_read_their_halo_rows) {
    /* Conv 8x8x4, 3x3, stride 2, same: out 4x4, padding total (4-1)*2 + 3 - 8 = 1: top 0,
     * bottom 1. ifmap SRAM 128 B = 4 rows: b = (4 - 3) / 2 + 1 = 1 output row per band.
     * Band t reads rows 2t .. 2t+2, clipped to the image: 0-2, 2-4, 4-6, 6-7 = 3+3+3+2 = 11
     * rows = 352 B. Filters (8 * 36 = 288 B) fit 512 B: read once. */
    erg_mac_layer l = conv_layer(geom(8, 8, 4, 3, 3, 2, 1, 8));
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG, 128, 512, 1024, 1};
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_ifmap_rd_bytes, 352);
    cr_assert_eq(st.dram_filter_rd_bytes, 288);
}

Test(mac_array, depthwise_reads_every_band_and_filter_once) {
    /* Depthwise 8x8x4, 3x3, valid -> 6x6x4. ifmap SRAM 128 B: 3 bands, 384 B as for layer B.
     * Filters 4 * 9 = 36 B > 10 B: one channel per group, but each channel needs only its own
     * ifmap channel, so nothing is read twice: ifmap 384, filters 36. */
    erg_mac_layer l = conv_layer(geom(8, 8, 4, 3, 3, 1, 0, 4));
    l.kind = ERG_MAC_DEPTHWISE;
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG, 128, 10, 1024, 1};
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_ifmap_rd_bytes, 384);
    cr_assert_eq(st.dram_filter_rd_bytes, 36);
}

Test(mac_array, partial_sums_spill_to_dram_when_a_column_fold_does_not_fit_the_ofmap_buffer) {
    /* Layer A, WS, R = C = 4: one column fold's partial sums are M * 4 cols * 4 B = 144 B.
     * ofmap SRAM 144 B: they fit, no spill. 100 B: every partial sum (864 B) goes to DRAM and
     * comes back: DRAM reads 50 + 108 + 864 = 1022, writes 216 + 864 = 1080; 2102 bytes at
     * 4 B/cycle = ceil(525.5) = 526 cycles; compute 172 -> stall 354, cycles 526.
     * IS: a column fold holds 4 pixels * 6 filters * 4 B = 96 B: 100 B is enough, no spill. */
    erg_mac_layer l = layer_a();
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_WS, ERG_MAC_TIMING_ERG, MiB, MiB, 144, 4};
    erg_mac_stats st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_psum_wr_bytes, 0);
    cfg.ofmap_sram_bytes = 100;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_psum_wr_bytes, 864);
    cr_assert_eq(st.dram_psum_rd_bytes, 864);
    cr_assert_eq(st.dram_rd_bytes, 1022);
    cr_assert_eq(st.dram_wr_bytes, 1080);
    cr_assert_eq(st.dram_cycles, 526);
    cr_assert_eq(st.compute_cycles, 172);
    cr_assert_eq(st.stall_cycles, 354);
    cr_assert_eq(st.cycles, 526);
    /* the SRAM still stages them */
    cr_assert_eq(st.psum_wr_bytes, 864);
    cfg.dataflow = ERG_MAC_IS;
    st = timing_ok(&cfg, &l);
    cr_assert_eq(st.dram_psum_wr_bytes, 0);
    cr_assert_eq(st.psum_wr_bytes, 864);
}

Test(mac_array, run_gives_the_same_counters_as_timing) {
    erg_rng r;
    erg_rng_seed(&r, 1);
    rand_layer x = make_random(&r, ERG_MAC_CONV, geom(7, 6, 3, 3, 2, 2, 1, 5), 0, 0);
    int32_t *acc = malloc(x.n_out * sizeof *acc);
    for (int df = 0; df < 3; df++)
        for (int t = 0; t < 2; t++) {
            erg_mac_array_cfg cfg = {3,  5, (erg_mac_dataflow)df, (erg_mac_timing_mode)t, 64, 40,
                                     64, 2};
            erg_mac_stats a, b;
            erg_error err;
            cr_assert_eq(erg_mac_array_run(&cfg, &x.l, x.in, acc, NULL, &a, &err), 0, "%s",
                         err.msg);
            erg_mac_layer no_data = x.l;
            no_data.w = NULL;
            no_data.mul = &trunc4;
            cr_assert_eq(erg_mac_array_timing(&cfg, &no_data, &b, &err), 0, "%s", err.msg);
            cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
            cr_assert_eq(a.cycles, a.compute_cycles + a.stall_cycles);
            cr_assert(a.cycles > 0);
        }
    free(acc);
    free_random(&x);
}

Test(mac_array, counters_are_named_and_summable) {
    cr_assert_eq(ERG_MAC_STATS_COUNT, 35);
    cr_assert_str_eq(erg_mac_stats_name(0), "cycles");
    cr_assert_str_eq(erg_mac_stats_name(ERG_MAC_STAT_macs), "macs");
    cr_assert_null(erg_mac_stats_name(ERG_MAC_STATS_COUNT));
    cr_assert_not_null(erg_mac_stats_desc(ERG_MAC_STAT_dram_rd_bytes));
    erg_mac_layer l = layer_a();
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_mac_stats st = timing_ok(&cfg, &l), sum;
    memset(&sum, 0, sizeof sum);
    erg_mac_stats_add(&sum, &st);
    erg_mac_stats_add(&sum, &st);
    cr_assert_eq(erg_mac_stats_get(&sum, ERG_MAC_STAT_macs), 2 * 972);
    cr_assert_eq(erg_mac_stats_get(&sum, ERG_MAC_STAT_cycles), 300);
    cr_assert_eq(erg_mac_stats_get(&sum, -1), 0);
    erg_error err;
    cr_assert_eq(erg_mac_dataflow_from_name("WS", &err), ERG_MAC_WS);
    cr_assert_eq(erg_mac_dataflow_from_name("input-stationary", &err), ERG_MAC_IS);
    cr_assert_eq(erg_mac_timing_from_name("scalesim", &err), ERG_MAC_TIMING_SCALESIM);
    cr_assert_eq(erg_mac_dataflow_from_name("rs", &err), -1);
    cr_assert(strstr(err.msg, "os, ws, is"), "%s", err.msg);
    cr_assert_str_eq(erg_mac_dataflow_name(ERG_MAC_OS), "os");
    cr_assert_str_eq(erg_mac_timing_name(ERG_MAC_TIMING_ERG), "erg");
}

/* ---- rejected configurations ---- */

static void expect_timing_fail(const erg_mac_array_cfg *cfg, const erg_mac_layer *l,
                               const char *needle) {
    erg_error err;
    erg_mac_stats st;
    memset(&err, 0, sizeof err);
    cr_assert_eq(erg_mac_array_timing(cfg, l, &st, &err), -1, "accepted, wanted '%s'", needle);
    cr_assert(strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
}

Test(mac_array, bad_configs_are_rejected_with_a_message) {
    erg_mac_layer l = layer_a();
    erg_mac_array_cfg good = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG), c;
    c = good, c.rows = 0;
    expect_timing_fail(&c, &l, "rows = 0");
    c = good, c.cols = -3;
    expect_timing_fail(&c, &l, "cols = -3");
    c = good, c.cols = 70000;
    expect_timing_fail(&c, &l, "cols = 70000");
    c = good, c.dataflow = (erg_mac_dataflow)7;
    expect_timing_fail(&c, &l, "dataflow 7");
    c = good, c.timing = (erg_mac_timing_mode)5;
    expect_timing_fail(&c, &l, "timing mode 5");
    c = good, c.ifmap_sram_bytes = 0;
    expect_timing_fail(&c, &l, "ifmap SRAM of 0 bytes");
    c = good, c.filter_sram_bytes = 0;
    expect_timing_fail(&c, &l, "filter SRAM of 0 bytes");
    c = good, c.ofmap_sram_bytes = 0;
    expect_timing_fail(&c, &l, "ofmap SRAM of 0 bytes");
    c = good, c.dram_bytes_per_cycle = 0;
    expect_timing_fail(&c, &l, "DRAM bandwidth of 0 bytes/cycle");
    c = good, c.dram_bytes_per_cycle = 0.001;
    expect_timing_fail(&c, &l, "DRAM bandwidth of 0.001");
    expect_timing_fail(NULL, &l, "no configuration");
    expect_timing_fail(&good, NULL, "no layer");
    /* buffers too small to tile the layer: one filter is 18 B; a band needs 3 rows of 10 B */
    c = good, c.filter_sram_bytes = 17;
    expect_timing_fail(&c, &l, "filter of 18 bytes does not fit the 17-byte filter SRAM");
    c = good, c.ifmap_sram_bytes = 29;
    expect_timing_fail(&c, &l, "holds 2 rows of 10 bytes; a band needs k_h = 3");
}

Test(mac_array, bad_layers_are_rejected_with_a_message) {
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_mac_layer l = layer_a();
    l.kind = (erg_mac_kind)9;
    expect_timing_fail(&cfg, &l, "layer kind 9");
    l = layer_a();
    l.geom.out_h = 4; /* valid 5 - 3 + 1 = 3 */
    expect_timing_fail(&cfg, &l, "geometry is inconsistent");
    l = layer_a();
    l.geom.stride = 0;
    expect_timing_fail(&cfg, &l, "stride 0");
    l = layer_a();
    l.geom.in_c = 0;
    expect_timing_fail(&cfg, &l, "is empty");
    l = layer_a();
    l.kind = ERG_MAC_DEPTHWISE; /* in_c 2, out_c 6 */
    expect_timing_fail(&cfg, &l, "depthwise layer with 2 input but 6 output channels");
    memset(&l, 0, sizeof l);
    l.kind = ERG_MAC_DENSE;
    l.n_in = 0;
    l.n_out = 3;
    expect_timing_fail(&cfg, &l, "dense layer 0 -> 3 is empty");
    /* too large for the 64-bit counters' headroom: M*N*K = 3.6e9 * 6e4 * 1e3 > 2^52 */
    l = conv_layer(geom(60000, 60000, 1000, 1, 1, 1, 0, 60000));
    expect_timing_fail(&cfg, &l, "too large");
    /* 2^26 * 2^10 * 2^10 = 2^46 MACs fit, but not with the 65536 x 65536 array, whose used
     * PE-cycles grow as macs * (1 + 2R + C) = 2^46 * 196,609 > 2^62 */
    l = conv_layer(geom(8192, 8192, 1024, 1, 1, 1, 0, 1024));
    erg_mac_array_cfg huge = cfg_of(65536, 65536, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    expect_timing_fail(&huge, &l, "too large for the counters of a 65536x65536 array");
    cfg.ifmap_sram_bytes = (uint64_t)1 << 40; /* on 4 x 4 it is accepted */
    cr_assert_eq(timing_ok(&cfg, &l).macs, (uint64_t)1 << 46);
}

Test(mac_array, bad_run_arguments_are_rejected_and_write_nothing) {
    erg_mac_array_cfg cfg = cfg_of(4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_mac_layer l = layer_a();
    uint8_t in[50] = {0};
    int8_t w[108] = {0};
    int32_t acc[54], m0[6], shift[6];
    uint8_t out[54];
    for (int i = 0; i < 6; i++) m0[i] = 1 << 30, shift[i] = 0;
    erg_error err;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, acc, NULL, NULL, &err), -1);
    cr_assert(strstr(err.msg, "without weights"), "%s", err.msg);
    l.w = w;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, NULL, acc, NULL, NULL, &err), -1);
    cr_assert(strstr(err.msg, "without an input"), "%s", err.msg);
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, NULL, NULL, NULL, &err), -1);
    cr_assert(strstr(err.msg, "neither an accumulator nor an output"), "%s", err.msg);
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, NULL, out, NULL, &err), -1);
    cr_assert(strstr(err.msg, "needs m0 and shift"), "%s", err.msg);
    l.m0 = m0;
    l.shift = shift;
    shift[4] = 32;
    memset(out, 7, sizeof out);
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, NULL, out, NULL, &err), -1);
    cr_assert(strstr(err.msg, "shift[4] = 32, must be 0 ... 31"), "%s", err.msg);
    for (int i = 0; i < 54; i++) cr_assert_eq(out[i], 7);
    shift[4] = 0;
    erg_mul8u nofn = {NULL, NULL, "broken"};
    l.mul = &nofn;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, acc, NULL, NULL, &err), -1);
    cr_assert(strstr(err.msg, "'broken' has no function"), "%s", err.msg);
    /* the same arguments with a good multiplier run: zero weights give zero outputs */
    l.mul = NULL;
    erg_mac_stats st;
    cr_assert_eq(erg_mac_array_run(&cfg, &l, in, acc, out, &st, &err), 0, "%s", err.msg);
    for (int i = 0; i < 54; i++) cr_assert_eq(acc[i], 0);
    cr_assert_eq(st.macs, 972);
}
