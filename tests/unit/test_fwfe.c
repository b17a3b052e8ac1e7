/* test_fwfe.c — the fixed-weight feature extractor (models/fwfe/erg_fwfe.h, docs/fwfe.md): CSD
 * digits of every int8 value against brute force, outputs bit-exact with the golden kernels on
 * random conv / depthwise / pointwise layers and chains, exact cycles and counters derived by
 * hand, rejected layers, and a deterministic Verilog generator; a net config's front layers as a
 * chain (sim/fwfe_net.h): ranges, bit-exactness with the golden net, rejections, cosim vectors. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erg_fwfe.h"
#include "erg_golden.h"
#include "erg_rng.h"
#include "fwfe_net.h"
#include "golden_run.h"

static erg_conv_geom geom(int in_h, int in_w, int in_c, int k, int stride, int same, int out_c) {
    erg_conv_geom g;
    erg_error err;
    int rc = erg_conv_geom_init(&g, in_h, in_w, in_c, k, k, stride, same, out_c, &err);
    cr_assert_eq(rc, 0, "geometry: %s", err.msg);
    return g;
}

/* ---- CSD ---- */

Test(fwfe_csd, reconstructs_every_int8_value_in_non_adjacent_minimal_form) {
    /* Brute force: the fewest non-zero digits of any {-1, 0, +1} form over positions 0 ... 8. */
    int best[256];
    for (int v = 0; v < 256; v++) best[v] = 99;
    int pow3 = 1;
    for (int i = 0; i < ERG_FWFE_CSD_DIGITS; i++) pow3 *= 3;
    for (int code = 0; code < pow3; code++) {
        int x = code, val = 0, nz = 0;
        for (int i = 0; i < ERG_FWFE_CSD_DIGITS; i++, x /= 3) {
            int d = x % 3 - 1;
            val += d * (1 << i);
            nz += d != 0;
        }
        if (val >= -128 && val <= 127 && nz < best[val + 128]) best[val + 128] = nz;
    }
    for (int v = -128; v <= 127; v++) {
        int8_t d[ERG_FWFE_CSD_DIGITS];
        int n = erg_fwfe_csd(v, d);
        int val = 0, nz = 0;
        for (int i = 0; i < ERG_FWFE_CSD_DIGITS; i++) {
            cr_assert(d[i] >= -1 && d[i] <= 1, "v = %d: digit %d is %d", v, i, d[i]);
            val += d[i] * (1 << i);
            nz += d[i] != 0;
            if (i > 0)
                cr_assert(!(d[i] && d[i - 1]), "v = %d: digits %d, %d adjacent", v, i - 1, i);
        }
        cr_assert_eq(val, v, "v = %d reconstructs as %d", v, val);
        cr_assert_eq(n, nz, "v = %d: returned %d, %d digits", v, n, nz);
        cr_assert_eq(n, best[v + 128], "v = %d: %d digits, brute force %d", v, n, best[v + 128]);
        cr_assert_eq(erg_fwfe_csd_count(v), n);
    }
    /* spot values: 3 = 4 - 1, 7 = 8 - 1, 127 = 128 - 1, -128 = -2^7, 85 = 1010101 (4 digits) */
    cr_assert_eq(erg_fwfe_csd_count(3), 2);
    cr_assert_eq(erg_fwfe_csd_count(7), 2);
    cr_assert_eq(erg_fwfe_csd_count(127), 2);
    cr_assert_eq(erg_fwfe_csd_count(-128), 1);
    cr_assert_eq(erg_fwfe_csd_count(85), 4);
    cr_assert_eq(erg_fwfe_csd_count(0), 0);
}

/* ---- random layers ---- */

/* A layer with its own storage: random weights (a quarter of them zero), bias, m0, shift. */
typedef struct owned_layer {
    erg_fwfe_layer l;
    int8_t *w;
    int32_t *bias, *m0, *shift;
} owned_layer;

static void rand_layer(owned_layer *o, erg_rng *r, const char *name, const char *type,
                       erg_conv_geom g) {
    memset(o, 0, sizeof *o);
    int dw = !strcmp(type, "depthwise");
    size_t nw = (size_t)g.out_c * g.k_h * g.k_w * (dw ? 1 : g.in_c);
    o->w = malloc(nw);
    o->bias = malloc((size_t)g.out_c * sizeof(int32_t));
    o->m0 = malloc((size_t)g.out_c * sizeof(int32_t));
    o->shift = malloc((size_t)g.out_c * sizeof(int32_t));
    for (size_t i = 0; i < nw; i++)
        o->w[i] = erg_rng_range(r, 0, 3) == 0 ? 0 : (int8_t)erg_rng_range(r, -127, 127);
    int taps = g.k_h * g.k_w * (dw ? 1 : g.in_c);
    for (int c = 0; c < g.out_c; c++) {
        o->bias[c] = (int32_t)erg_rng_range(r, -2000, 2000);
        o->m0[c] = (int32_t)erg_rng_range(r, 1 << 30, INT32_MAX);
        /* a shift that keeps the outputs spread over 0 ... 255 rather than clamped */
        int sh = 0;
        while ((1 << sh) < taps * 40 && sh < 31) sh++;
        o->shift[c] = (int32_t)erg_rng_range(r, sh > 2 ? sh - 2 : 0, sh);
    }
    o->l.name = name;
    o->l.type = type;
    o->l.geom = g;
    o->l.w = o->w;
    o->l.bias = o->bias;
    o->l.m0 = o->m0;
    o->l.shift = o->shift;
    o->l.zp = (int32_t)erg_rng_range(r, -3, 3);
}

static void free_layer(owned_layer *o) {
    free(o->w);
    free(o->bias);
    free(o->m0);
    free(o->shift);
}

/* The golden chain: conv / depthwise then requantization, layer after layer. */
static uint8_t *golden_chain(const erg_fwfe_layer *ls, int n, const uint8_t *in) {
    const uint8_t *cur = in;
    uint8_t *prev = NULL;
    for (int i = 0; i < n; i++) {
        const erg_conv_geom *g = &ls[i].geom;
        size_t n_out = (size_t)g->out_h * g->out_w * g->out_c;
        int32_t *acc = malloc(n_out * sizeof *acc);
        uint8_t *o = malloc(n_out);
        if (!strcmp(ls[i].type, "depthwise"))
            erg_golden_depthwise(g, cur, ls[i].w, ls[i].bias, NULL, acc);
        else
            erg_golden_conv2d(g, cur, ls[i].w, ls[i].bias, NULL, acc);
        erg_golden_requant((size_t)g->out_h * g->out_w, g->out_c, acc, ls[i].m0, ls[i].shift,
                           ls[i].zp, o);
        free(acc);
        free(prev);
        prev = o;
        cur = o;
    }
    return prev;
}

static uint8_t *rand_input(erg_rng *r, const erg_conv_geom *g) {
    size_t n = (size_t)g->in_h * g->in_w * g->in_c;
    uint8_t *in = malloc(n);
    for (size_t i = 0; i < n; i++) in[i] = (uint8_t)erg_rng_range(r, 0, 255);
    return in;
}

static void check_chain(const erg_fwfe_layer *ls, int n, erg_rng *r, const char *what) {
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(ls, n, &err);
    cr_assert_not_null(f, "%s: %s", what, err.msg);
    uint8_t *in = rand_input(r, &ls[0].geom);
    const erg_conv_geom *gl = &ls[n - 1].geom;
    size_t n_out = (size_t)gl->out_h * gl->out_w * gl->out_c;
    uint8_t *out = malloc(n_out);
    uint64_t cycles = erg_fwfe_run(f, in, out, NULL);
    cr_assert_gt(cycles, 0, "%s", what);
    uint8_t *gold = golden_chain(ls, n, in);
    size_t distinct = 0;
    for (size_t i = 0; i < n_out; i++) {
        cr_assert_eq(out[i], gold[i], "%s: output %zu is %d, golden %d", what, i, out[i], gold[i]);
        distinct += out[i] != 0 && out[i] != 255;
    }
    cr_assert_gt(distinct, 0, "%s: every output clamped; the test would prove little", what);
    free(in);
    free(out);
    free(gold);
    erg_fwfe_free(f);
}

/* Random conv / depthwise / pointwise layers, each with the given adder-tree style. */
static void random_layers_match_golden(int tree) {
    erg_rng r;
    erg_rng_seed(&r, 7);
    struct {
        const char *type;
        int h, w, c, k, s, same, oc;
    } cases[] = {
        {"conv2d", 6, 7, 3, 3, 1, 0, 4},    {"conv2d", 8, 8, 3, 3, 2, 1, 5},
        {"conv2d", 7, 9, 2, 3, 2, 1, 3},    {"conv2d", 5, 5, 1, 5, 1, 1, 2},
        {"conv2d", 9, 6, 2, 3, 2, 0, 3},    {"conv2d", 6, 6, 4, 2, 2, 1, 3},
        {"depthwise", 8, 8, 4, 3, 1, 1, 4}, {"depthwise", 8, 8, 3, 3, 2, 1, 3},
        {"depthwise", 7, 5, 2, 3, 1, 0, 2}, {"conv2d", 5, 6, 8, 1, 1, 0, 6},
        {"conv2d", 4, 4, 16, 1, 1, 1, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int rep = 0; rep < 3; rep++) {
            owned_layer o;
            erg_conv_geom g = geom(cases[i].h, cases[i].w, cases[i].c, cases[i].k, cases[i].s,
                                   cases[i].same, cases[i].oc);
            rand_layer(&o, &r, "rand", cases[i].type, g);
            o.l.tree = tree;
            char what[64];
            snprintf(what, sizeof what, "%s case %zu rep %d", erg_fwfe_tree_name(tree), i, rep);
            check_chain(&o.l, 1, &r, what);
            free_layer(&o);
        }
}

Test(fwfe_model, matches_golden_on_random_conv_depthwise_and_pointwise_layers) {
    random_layers_match_golden(ERG_FWFE_TREE_BINARY);
}

Test(fwfe_model, carry_save_trees_match_golden_on_random_layers) {
    random_layers_match_golden(ERG_FWFE_TREE_CSA);
}

Test(fwfe_model, matches_golden_on_a_mobilenet_style_depthwise_separable_chain) {
    /* conv 3x3 s2 same (3 -> 8) -> depthwise 3x3 s1 same -> pointwise 1x1 (8 -> 16), the front
     * of MobileNet-v1-0.25 at 16x16 input */
    erg_rng r;
    erg_rng_seed(&r, 11);
    owned_layer o[3];
    rand_layer(&o[0], &r, "conv1", "conv2d", geom(16, 16, 3, 3, 2, 1, 8));
    rand_layer(&o[1], &r, "dw1", "depthwise", geom(8, 8, 8, 3, 1, 1, 8));
    rand_layer(&o[2], &r, "pw1", "conv2d", geom(8, 8, 8, 1, 1, 1, 16));
    erg_fwfe_layer ls[3] = {o[0].l, o[1].l, o[2].l};
    for (int rep = 0; rep < 3; rep++) check_chain(ls, 3, &r, "conv-dw-pw");
    check_chain(ls, 2, &r, "conv-dw");
    /* carry-save, and the two styles mixed within one chain */
    for (int i = 0; i < 3; i++) ls[i].tree = ERG_FWFE_TREE_CSA;
    for (int rep = 0; rep < 2; rep++) check_chain(ls, 3, &r, "csa conv-dw-pw");
    ls[1].tree = ERG_FWFE_TREE_BINARY;
    check_chain(ls, 3, &r, "csa-binary-csa conv-dw-pw");
    for (int i = 0; i < 3; i++) free_layer(&o[i]);
}

Test(fwfe_model, matches_golden_on_a_two_layer_valid_conv_chain) {
    erg_rng r;
    erg_rng_seed(&r, 12);
    owned_layer o[2];
    rand_layer(&o[0], &r, "c1", "conv2d", geom(10, 10, 1, 3, 1, 0, 4));
    rand_layer(&o[1], &r, "c2", "conv2d", geom(8, 8, 4, 3, 2, 0, 6));
    erg_fwfe_layer ls[2] = {o[0].l, o[1].l};
    check_chain(ls, 2, &r, "valid chain");
    ls[0].tree = ls[1].tree = ERG_FWFE_TREE_CSA;
    check_chain(ls, 2, &r, "csa valid chain");
    for (int i = 0; i < 2; i++) free_layer(&o[i]);
}

static void expect_reject_msg(const erg_fwfe_layer *l, const char *needle1, const char *needle2) {
    erg_error err;
    err.msg[0] = 0;
    erg_fwfe *f = erg_fwfe_build(l, 1, &err);
    cr_assert_null(f, "accepted; expected a message with '%s'", needle1);
    cr_assert(strstr(err.msg, needle1), "message '%s' lacks '%s'", err.msg, needle1);
    cr_assert(strstr(err.msg, needle2), "message '%s' lacks '%s'", err.msg, needle2);
}

/* Sums whose root is narrower than a partial sum or a leaf: carry-save trees work modulo the
 * root's width W. a: 1x1 over two channels, w = {64, 64}, bias -16320: the leaves x0 << 6 and
 * x1 << 6 (0 ... 16320, 15 bits) and the bias (15 bits) sum to -16320 ... 16320 (15 bits), but
 * the binary tree's first adder x0 << 6 + x1 << 6 (0 ... 32640) needs 16; the carry-save tree
 * (3 leaves: one compressor, then the final adder) needs only W = 15. b: w = {64}, bias -8160:
 * the term (15 bits) is wider than the root -8160 ... 8160 (14 bits), cut to 14 bits. */
static const int8_t w6464[2] = {64, 64}, w64[1] = {64};
static const int32_t b16320[1] = {-16320}, b8160[1] = {-8160}, m0_half[1] = {1 << 30},
                     shift5[1] = {5};

Test(fwfe_model, carry_save_trees_are_exact_modulo_the_root_width) {
    erg_fwfe_layer a;
    memset(&a, 0, sizeof a);
    a.name = "a";
    a.type = "conv2d";
    a.geom = geom(5, 5, 2, 1, 1, 0, 1);
    a.w = w6464;
    a.bias = b16320;
    a.m0 = m0_half;
    a.shift = shift5;
    erg_fwfe_layer b = a;
    b.name = "b";
    b.geom = geom(5, 5, 1, 1, 1, 0, 1);
    b.w = w64;
    b.bias = b8160;
    erg_rng r;
    erg_rng_seed(&r, 41);
    erg_error err;
    a.acc_bits = 15;
    expect_reject_msg(&a, "'a'", "16-bit adder");
    a.tree = ERG_FWFE_TREE_CSA;
    erg_fwfe *f = erg_fwfe_build(&a, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_stats st;
    erg_fwfe_timing(f, &st);
    /* one compressor and the final adder, 15 bits each; levels 2 + 1 vectors of 15 bits */
    cr_assert_eq(st.tree_depth, 2);
    cr_assert_eq(st.adders, 2);
    cr_assert_eq(st.adder_bits, 30);
    cr_assert_eq(st.adders_by_width[15], 2);
    cr_assert_eq(st.tree_reg_bits, 45);
    erg_fwfe_free(f);
    a.acc_bits = 14;
    expect_reject_msg(&a, "'a'", "15-bit adder");
    a.acc_bits = 0;
    for (int tree = 0; tree < ERG_FWFE_TREE_STYLES; tree++) {
        a.tree = b.tree = tree;
        for (int rep = 0; rep < 4; rep++) {
            check_chain(&a, 1, &r, erg_fwfe_tree_name(tree));
            check_chain(&b, 1, &r, erg_fwfe_tree_name(tree));
        }
    }
}

/* ---- cycles and counters by hand ---- */

/* The tiny layer: 3x3x1 input, 2x2 valid kernel, one output channel, w = [[3, 0], [-1, 64]],
 * bias 5. */
static const int8_t tiny_w[4] = {3, 0, -1, 64};
static const int32_t tiny_bias[1] = {5}, tiny_m0[1] = {1 << 30}, tiny_shift[1] = {2};

static erg_fwfe_layer tiny_layer(void) {
    erg_fwfe_layer l;
    memset(&l, 0, sizeof l);
    l.name = "tiny";
    l.type = "conv2d";
    l.geom = geom(3, 3, 1, 2, 1, 0, 1);
    l.w = tiny_w;
    l.bias = tiny_bias;
    l.m0 = tiny_m0;
    l.shift = tiny_shift;
    return l;
}

Test(fwfe_counters, tiny_layer_by_hand) {
    erg_fwfe_layer l = tiny_layer();
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_stats st;
    uint8_t in[9] = {0, 1, 2, 3, 4, 5, 6, 7, 255}, out[4];
    uint64_t cycles = erg_fwfe_run(f, in, out, &st);
    /* Leaves in order (tap, digit position): 3 = 4 - 1 gives -x<<0 (range -255..0: 9 bits) and
     * +x<<2 (0..1020: 11 bits); w = 0 gives none; -1 gives -x (9 bits); 64 gives +x<<6
     * (0..16320: 15 bits); the bias 5 (4 bits). 5 leaves: 4 adders, L = ceil(log2 5) = 3.
     *   level 1: [-255, 1020] 11 bits, [-255, 16320] 15 bits, bias copied 4 bits
     *   level 2: [-510, 17340] 16 bits, bias copied 4 bits
     *   level 3: [-505, 17345] 16 bits
     * adder widths 11, 15, 16, 16 (sum 58); tree registers 11+15+4 + 16+4 + 16 = 66 bits. */
    cr_assert_eq(st.nonzero_weights, 3);
    cr_assert_eq(st.csd_digits, 4);
    cr_assert_eq(st.terms, 5);
    cr_assert_eq(st.adders, 4);
    cr_assert_eq(st.adder_bits, 58);
    for (int w = 0; w < ERG_FWFE_WIDTH_MAX; w++) {
        uint64_t want = w == 11 || w == 15 ? 1 : w == 16 ? 2 : 0;
        cr_assert_eq(st.adders_by_width[w], want, "width %d: %llu adders", w,
                     (unsigned long long)st.adders_by_width[w]);
    }
    cr_assert_eq(st.tree_reg_bits, 66);
    cr_assert_eq(st.tree_depth, 3);
    /* D = 1 (window) + 3 (levels) + 2 (requantization) */
    cr_assert_eq(st.latency, 6);
    /* window 2x2x1x8 = 32 bits; one line buffer of Wp = 3 pixels x 8 bits */
    cr_assert_eq(st.window_bits, 32);
    cr_assert_eq(st.line_buffer_bits, 24);
    /* 9 beats, 4 outputs; registers: 9 x 32 (window) + 4 x (66 + 64 + 8) = 288 + 552 = 840;
     * the line buffer reads and writes (k_h - 1) x 8 = 8 bits per beat: 72 each */
    cr_assert_eq(st.beats_in, 9);
    cr_assert_eq(st.outputs, 4);
    cr_assert_eq(st.reg_bits_written, 840);
    cr_assert_eq(st.lb_bits_read, 72);
    cr_assert_eq(st.lb_bits_written, 72);
    cr_assert_eq(st.add_ops, 16);
    cr_assert_eq(st.requant_ops, 4);
    cr_assert_eq(st.pad_beats_out, 0);
    /* Cycles: the first trigger is beat (1,1) = position 4, so output 0 is valid in cycle
     * 4 + 6 = 10; the last is beat (2,2) = position 8: cycle 14; the frame takes 15 cycles =
     * 4 pixels + 5 warm-up beats (positions 8 + 1 - 4) + 6 fill. */
    cr_assert_eq(st.first_out_cycle, 10);
    cr_assert_eq(st.last_out_cycle, 14);
    cr_assert_eq(cycles, 15);
    cr_assert_eq(erg_fwfe_timing(f, NULL), 15);
    /* the outputs are golden's */
    int32_t acc[4];
    uint8_t gold[4];
    erg_golden_conv2d(&l.geom, in, tiny_w, tiny_bias, NULL, acc);
    erg_golden_requant(4, 1, acc, tiny_m0, tiny_shift, 0, gold);
    cr_assert_arr_eq(out, gold, 4);
    erg_fwfe_free(f);
}

Test(fwfe_counters, carry_save_levels_by_hand) {
    /* n vectors -> 2 floor(n/3) + n mod 3 per 3:2 level until <= 2 remain, + 1 final adder if 2:
     *   1: 0 | 2: 0 + 1 | 3 -> 2: 1 + 1 | 4 -> 3 -> 2: 3 | 5 -> 4 -> 3 -> 2: 4 | 6 -> 4 -> ...: 4
     *   7 -> 5 -> ...: 5 | 9 -> 6 -> ...: 5 | 10 -> 7 -> ...: 6 | 13 -> 9 -> ...: 6 | 14 -> 10: 7
     *   28 -> 19 -> 13: 8 | 29 -> 20 -> 14: 9 */
    static const int want[][2] = {{1, 0},  {2, 1},  {3, 2},  {4, 3},  {5, 4},  {6, 4},
                                  {7, 5},  {8, 5},  {9, 5},  {10, 6}, {13, 6}, {14, 7},
                                  {19, 7}, {20, 8}, {28, 8}, {29, 9}, {42, 9}, {43, 10}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert_eq(erg_fwfe_tree_levels(ERG_FWFE_TREE_CSA, want[i][0]), want[i][1],
                     "n = %d: %d levels, by hand %d", want[i][0],
                     erg_fwfe_tree_levels(ERG_FWFE_TREE_CSA, want[i][0]), want[i][1]);
    /* binary: ceil(log2 n) */
    static const int bin[][2] = {{1, 0}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {9, 4}, {25, 5}};
    for (size_t i = 0; i < sizeof bin / sizeof *bin; i++)
        cr_assert_eq(erg_fwfe_tree_levels(ERG_FWFE_TREE_BINARY, bin[i][0]), bin[i][1]);
    cr_assert_str_eq(erg_fwfe_tree_name(ERG_FWFE_TREE_BINARY), "binary");
    cr_assert_str_eq(erg_fwfe_tree_name(ERG_FWFE_TREE_CSA), "csa");
    cr_assert_null(erg_fwfe_tree_name(2));
    cr_assert_eq(erg_fwfe_tree_parse("csa"), ERG_FWFE_TREE_CSA);
    cr_assert_eq(erg_fwfe_tree_parse("binary"), ERG_FWFE_TREE_BINARY);
    cr_assert_eq(erg_fwfe_tree_parse("wallace"), -1);
}

Test(fwfe_counters, tiny_layer_carry_save_by_hand) {
    erg_fwfe_layer l = tiny_layer();
    l.tree = ERG_FWFE_TREE_CSA;
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    cr_assert_eq(erg_fwfe_layer_tree(f, 0), ERG_FWFE_TREE_CSA);
    erg_fwfe_stats st;
    uint8_t in[9] = {0, 1, 2, 3, 4, 5, 6, 7, 255}, out[4];
    uint64_t cycles = erg_fwfe_run(f, in, out, &st);
    /* The same 5 leaves as tiny_layer_by_hand (-x, +x<<2, -x, +x<<6, bias 5); the root's range
     * -255 - 255 + 5 ... 1020 + 16320 + 5 = -505 ... 17345 needs W = 16 bits. Levels:
     *   1: 3:2(leaves 0, 1, 2) -> sum, carry; leaves 3, 4 copied      4 vectors
     *   2: 3:2(0, 1, 2) -> sum, carry; vector 3 copied                3 vectors
     *   3: 3:2(0, 1, 2) -> sum, carry                                 2 vectors
     *   4: the final 16-bit adder                                     1 vector
     * L = 4 (binary: 3); adders: 3 compressors + 1 adder = 4, each 16 bits: 64 adder bits;
     * tree registers (4 + 3 + 2 + 1) x 16 = 160 bits. */
    cr_assert_eq(st.terms, 5);
    cr_assert_eq(st.adders, 4);
    cr_assert_eq(st.adder_bits, 64);
    for (int w = 0; w < ERG_FWFE_WIDTH_MAX; w++)
        cr_assert_eq(st.adders_by_width[w], w == 16 ? 4u : 0u, "width %d", w);
    cr_assert_eq(st.tree_reg_bits, 160);
    cr_assert_eq(st.tree_depth, 4);
    /* D = 1 + 4 + 2 */
    cr_assert_eq(st.latency, 7);
    /* registers: 9 x 32 (window) + 4 x (160 + 64 + 8) = 288 + 928 = 1216; 4 x 4 add ops */
    cr_assert_eq(st.reg_bits_written, 1216);
    cr_assert_eq(st.add_ops, 16);
    /* first trigger at position 4: cycle 4 + 7 = 11; last at 8: cycle 15; 16 cycles =
     * 4 pixels + 5 warm-up + 7 fill */
    cr_assert_eq(st.first_out_cycle, 11);
    cr_assert_eq(st.last_out_cycle, 15);
    cr_assert_eq(cycles, 16);
    int32_t acc[4];
    uint8_t gold[4];
    erg_golden_conv2d(&l.geom, in, tiny_w, tiny_bias, NULL, acc);
    erg_golden_requant(4, 1, acc, tiny_m0, tiny_shift, 0, gold);
    cr_assert_arr_eq(out, gold, 4);
    /* the generated tree: leaves sign-extended to 16 bits into the first compressor, the
     * final adder at level 4, the root into the product */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(erg_fwfe_emit_module(f, 0, "fe", m, &err), 0, "%s", err.msg);
    fclose(m);
    cr_assert(strstr(text, "s1_0_0 <= {{7{t0_0[8]}}, t0_0} ^ {{5{t0_1[10]}}, t0_1} ^ "
                           "{{7{t0_2[8]}}, t0_2}; // 3:2 sum"),
              "%s", text);
    cr_assert(strstr(text, "s1_0_1 <= (({{7{t0_0[8]}}, t0_0} & {{5{t0_1[10]}}, t0_1}) | "), "%s",
              text);
    cr_assert(strstr(text, ") << 1; // 3:2 carry"), "%s", text);
    cr_assert(strstr(text, "s1_0_3 <= {{12{t0_4[3]}}, t0_4};"), "%s", text);
    cr_assert(strstr(text, "s2_0_2 <= s1_0_3;"), "%s", text);
    cr_assert(strstr(text, "s4_0_0 <= s3_0_0 + s3_0_1;"), "%s", text);
    cr_assert(strstr(text, "reg [15:0] s4_0_0;"), "%s", text);
    cr_assert(strstr(text, "latency 7 = 1 + 4 carry-save tree levels + 2"), "%s", text);
    cr_assert_null(strstr(text, "s5_0_0"));
    free(text);
    erg_fwfe_free(f);
    /* the tree style must be one of the two */
    l.tree = 2;
    expect_reject_msg(&l, "'tiny'", "tree style 2");
}

/* A 4x4x1 image, 3x3 kernel of ones, stride 1, same padding (1 on every side), no bias. */
static const int8_t ones9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
static const int32_t one_m0[1] = {1 << 30}, one_shift[1] = {3};

static erg_fwfe_layer ones_layer(const char *name) {
    erg_fwfe_layer l;
    memset(&l, 0, sizeof l);
    l.name = name;
    l.type = "conv2d";
    l.geom = geom(4, 4, 1, 3, 1, 1, 1);
    l.w = ones9;
    l.m0 = one_m0;
    l.shift = one_shift;
    return l;
}

Test(fwfe_cycles, same_padded_layer_and_two_layer_chain_by_hand) {
    erg_error err;
    erg_fwfe_layer ls[2] = {ones_layer("a"), ones_layer("b")};
    erg_fwfe *f = erg_fwfe_build(ls, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_stats st[2];
    /* 9 leaves: L = 4, D = 7. Grid 6x6; last trigger = beat (5,5) = position 35 = Hp Wp - 1:
     * T = 35 + 7 = 42, cycles = 43 = 16 pixels + 20 warm-up + 7 fill. */
    cr_assert_eq(erg_fwfe_timing(f, st), 43);
    cr_assert_eq(st[0].latency, 7);
    cr_assert_eq(st[0].beats_in, 36);
    /* first trigger: beat (2,2) = 14, output in cycle 21 */
    cr_assert_eq(st[0].first_out_cycle, 21);
    erg_fwfe_free(f);

    f = erg_fwfe_build(ls, 2, &err);
    cr_assert_not_null(f, "%s", err.msg);
    /* Layer b's grid is 6x6 too: its padding beats before output (0,0) (row 0 and (1,0): 7) go
     * out in cycles 0 ... 6, long before a's first output (21); between a's output rows the two
     * beats (r,5), (r+1,0) fit the two idle cycles (a's output (0,3) in cycle 24, (1,0) in 27).
     * After a's last output (cycle 42) come the q = pad_bottom Wp + pad_right = 7 trailing beats
     * (cycles 43 ... 49), the last one b's last trigger: T_b = 42 + 7 + 7 = 56, cycles 57. */
    uint64_t cycles = erg_fwfe_timing(f, st);
    cr_assert_eq(st[0].pad_beats_out, 36 - 16);
    cr_assert_eq(st[0].last_out_cycle, 42);
    /* b's first trigger is its beat (2,2): image pixel (1,1) = a's output (1,1), whose trigger
     * is a's beat (3,3) = position 21, valid in cycle 21 + 7 = 28; b's output: 28 + 7 = 35 */
    cr_assert_eq(st[1].first_out_cycle, 35);
    cr_assert_eq(st[1].last_out_cycle, 56);
    cr_assert_eq(cycles, 57);
    uint8_t in[16], out[16];
    for (int i = 0; i < 16; i++) in[i] = (uint8_t)(i * 13);
    cr_assert_eq(erg_fwfe_run(f, in, out, NULL), 57);
    uint8_t *gold = golden_chain(ls, 2, in);
    cr_assert_arr_eq(out, gold, 16);
    free(gold);
    erg_fwfe_free(f);
}

Test(fwfe_cycles, back_to_back_frames_by_hand) {
    erg_error err;
    erg_fwfe_layer ls[2] = {ones_layer("a"), ones_layer("b")};
    /* one layer: the 6 x 6 grid is the period; frame k's outputs are frame 0's + 36 k */
    erg_fwfe *f = erg_fwfe_build(ls, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    cr_assert_eq(erg_fwfe_period(f), 36);
    uint64_t o[3 * 16];
    cr_assert_eq(erg_fwfe_stream(f, 3, 36, o, &err), 0, "%s", err.msg);
    for (int k = 0; k < 16; k++) cr_assert_eq(o[32 + k], o[k] + 72);
    cr_assert_eq(erg_fwfe_stream(f, 2, 35, o, &err), -1);
    cr_assert(strstr(err.msg, "shorter than the 36 input beats"), "%s", err.msg);
    erg_fwfe_free(f);
    /* two layers at P = 36 (the chain above): frame f's last output of a in 36 f + 42, its 7
     * trailing beats for b in 36 f + 43 ... 49, frame f + 1's 7 leading beats (row 0 and (1,0))
     * in 36 f + 50 ... 56, and a's first output of frame f + 1 in 36 (f + 1) + 21 = 36 f + 57:
     * it fits with no cycle to spare, so the period is 36 and b's outputs repeat every 36 */
    f = erg_fwfe_build(ls, 2, &err);
    cr_assert_not_null(f, "%s", err.msg);
    cr_assert_eq(erg_fwfe_period(f), 36);
    cr_assert_eq(erg_fwfe_stream(f, 3, 36, o, &err), 0, "%s", err.msg);
    cr_assert_eq(o[0], 35);  /* b's first output, as in a frame alone */
    cr_assert_eq(o[15], 56); /* and its last */
    for (int k = 0; k < 16; k++) {
        cr_assert_eq(o[16 + k], o[k] + 36, "output %d", k);
        cr_assert_eq(o[32 + k], o[k] + 72, "output %d", k);
    }
    erg_fwfe_free(f);
}

/* ---- rejections ---- */

static void expect_reject(const erg_fwfe_layer *ls, int n, const char *needle1,
                          const char *needle2) {
    erg_error err;
    err.msg[0] = 0;
    erg_fwfe *f = erg_fwfe_build(ls, n, &err);
    cr_assert_null(f, "accepted; expected a message with '%s'", needle1);
    cr_assert(strstr(err.msg, needle1), "message '%s' lacks '%s'", err.msg, needle1);
    if (needle2) cr_assert(strstr(err.msg, needle2), "message '%s' lacks '%s'", err.msg, needle2);
}

Test(fwfe_reject, layers_that_cannot_be_fixed_name_the_layer) {
    erg_fwfe_layer l = tiny_layer();
    l.type = "dense";
    expect_reject(&l, 1, "'tiny'", "type 'dense' cannot be fixed");
    l = tiny_layer();
    l.type = "maxpool";
    expect_reject(&l, 1, "'tiny'", "maxpool");
    l = tiny_layer();
    l.w = NULL;
    expect_reject(&l, 1, "'tiny'", "weights missing");
    l = tiny_layer();
    l.m0 = NULL;
    expect_reject(&l, 1, "'tiny'", "requantization");
    /* the level-2 node needs 16 bits (tiny_layer_by_hand): 15 is too narrow, 16 fits */
    l = tiny_layer();
    l.acc_bits = 15;
    expect_reject(&l, 1, "'tiny'", "16-bit adder");
    l.acc_bits = 16;
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_free(f);
    l.acc_bits = 40;
    expect_reject(&l, 1, "'tiny'", "acc_bits = 40");
    /* 64 x 64 x 32 taps of -128 (-2^7) reach -255 * 2^7 * 2^17 < -2^31: more than the int32
     * adder */
    int8_t *big = malloc(64 * 64 * 32);
    memset(big, 0x80, 64 * 64 * 32);
    int32_t m0[1] = {1 << 30}, sh[1] = {0};
    erg_fwfe_layer b;
    memset(&b, 0, sizeof b);
    b.name = "huge";
    b.type = "conv2d";
    b.geom = geom(64, 64, 32, 64, 1, 0, 1);
    b.w = big;
    b.m0 = m0;
    b.shift = sh;
    expect_reject(&b, 1, "'huge'", "32-bit adder width");
    free(big);
    /* shift and m0 out of range */
    l = tiny_layer();
    int32_t bad_shift[1] = {32}, bad_m0[1] = {INT32_MIN};
    l.shift = bad_shift;
    expect_reject(&l, 1, "'tiny'", "shift 32");
    l = tiny_layer();
    l.m0 = bad_m0;
    expect_reject(&l, 1, "'tiny'", "INT32_MIN");
    /* shape mismatch between layers */
    erg_fwfe_layer two[2] = {tiny_layer(), ones_layer("next")};
    expect_reject(two, 2, "'next'", "takes 4x4x1");
}

Test(fwfe_reject, padding_without_idle_output_cycles) {
    /* A 1x1 layer over a contiguous 4x4 input emits one output per cycle from cycle 3 on: the
     * next layer's 7 leading padding beats cannot all go out before it (cycles 0 ... 2 only). */
    static const int8_t w1[1] = {1};
    erg_fwfe_layer pw;
    memset(&pw, 0, sizeof pw);
    pw.name = "pw";
    pw.type = "conv2d";
    pw.geom = geom(4, 4, 1, 1, 1, 0, 1);
    pw.w = w1;
    pw.m0 = one_m0;
    pw.shift = one_shift;
    erg_fwfe_layer ls[2] = {pw, ones_layer("padded")};
    expect_reject(ls, 2, "'pw'", "'padded'");
}

/* ---- Verilog ---- */

static char *read_all(const char *path, size_t *n) {
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot read %s", path);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, fp), (size_t)len);
    buf[len] = 0;
    fclose(fp);
    *n = (size_t)len;
    return buf;
}

Test(fwfe_verilog, generator_is_deterministic_and_writes_one_file_per_layer_and_a_top) {
    erg_rng r;
    erg_rng_seed(&r, 21);
    owned_layer o[3];
    rand_layer(&o[0], &r, "conv1", "conv2d", geom(8, 8, 2, 3, 2, 1, 4));
    rand_layer(&o[1], &r, "dw1", "depthwise", geom(4, 4, 4, 3, 1, 1, 4));
    rand_layer(&o[2], &r, "pw1", "conv2d", geom(4, 4, 4, 1, 1, 1, 6));
    erg_fwfe_layer ls[3] = {o[0].l, o[1].l, o[2].l};
    erg_error err;
    char dirs[2][64];
    for (int run = 0; run < 2; run++) {
        /* a fresh build each time: nothing may depend on addresses or history */
        erg_fwfe *f = erg_fwfe_build(ls, 3, &err);
        cr_assert_not_null(f, "%s", err.msg);
        snprintf(dirs[run], sizeof dirs[run], "/tmp/erg_fwfe_gen_XXXXXX");
        cr_assert_not_null(mkdtemp(dirs[run]));
        cr_assert_eq(erg_fwfe_write_verilog(f, dirs[run], "fe", &err), 0, "%s", err.msg);
        erg_fwfe_free(f);
    }
    const char *names[] = {"fe_l0.v", "fe_l1.v", "fe_l2.v", "fe_top.v"};
    for (int i = 0; i < 4; i++) {
        char pa[128], pb[128];
        snprintf(pa, sizeof pa, "%s/%s", dirs[0], names[i]);
        snprintf(pb, sizeof pb, "%s/%s", dirs[1], names[i]);
        size_t na, nb;
        char *a = read_all(pa, &na), *b = read_all(pb, &nb);
        cr_assert_gt(na, 100, "%s is too short", names[i]);
        cr_assert(na == nb && !memcmp(a, b, na), "%s differs between two runs", names[i]);
        char mod[64];
        snprintf(mod, sizeof mod, "module fe_%.*s (", (int)(strlen(names[i]) - 5), names[i] + 3);
        cr_assert(strstr(a, mod), "%s lacks '%s'", names[i], mod);
        free(a);
        free(b);
        remove(pa);
        remove(pb);
    }
    rmdir(dirs[0]);
    rmdir(dirs[1]);
    for (int i = 0; i < 3; i++) free_layer(&o[i]);
}

Test(fwfe_verilog, zero_weights_and_digits_have_no_terms) {
    /* The tiny layer's 4 digits and its bias are the 5 leaves of channel 0: t0_0 ... t0_4, and
     * no t0_5; the zero weight (tap 0,1) appears nowhere. */
    erg_fwfe_layer l = tiny_layer();
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(erg_fwfe_emit_module(f, 0, "fe", m, &err), 0, "%s", err.msg);
    fclose(m);
    cr_assert(strstr(text, "wire [10:0] t0_1 = {1'b0, win0_0[7:0], 2'b0};"), "%s", text);
    cr_assert(strstr(text, "wire [14:0] t0_3 = {1'b0, win1_1[7:0], 6'b0};"), "%s", text);
    cr_assert(strstr(text, "wire [3:0] t0_4 = 4'h5; // bias"), "%s", text);
    cr_assert_null(strstr(text, "t0_5"));
    cr_assert_null(strstr(text, "win0_1[7:0]"));
    free(text);
    erg_fwfe_free(f);
}

/* The text of module i of a fresh build of ls in the given style. */
static char *module_text(erg_fwfe_layer *ls, int n, int tree, int i) {
    for (int k = 0; k < n; k++) ls[k].tree = tree;
    erg_error err;
    erg_fwfe *f = erg_fwfe_build(ls, n, &err);
    cr_assert_not_null(f, "%s", err.msg);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_eq(erg_fwfe_emit_module(f, i, "fe", m, &err), 0, "%s", err.msg);
    fclose(m);
    erg_fwfe_free(f);
    return text;
}

Test(fwfe_verilog, carry_save_trees_are_deterministic_and_differ_from_binary) {
    erg_rng r;
    erg_rng_seed(&r, 23);
    owned_layer o[2];
    rand_layer(&o[0], &r, "conv1", "conv2d", geom(8, 8, 2, 3, 2, 1, 4));
    rand_layer(&o[1], &r, "dw1", "depthwise", geom(4, 4, 4, 3, 1, 1, 4));
    erg_fwfe_layer ls[2] = {o[0].l, o[1].l};
    for (int i = 0; i <= 2; i++) {
        char *a = module_text(ls, 2, ERG_FWFE_TREE_CSA, i);
        char *b = module_text(ls, 2, ERG_FWFE_TREE_CSA, i);
        char *bin = module_text(ls, 2, ERG_FWFE_TREE_BINARY, i);
        cr_assert_str_eq(a, b, "module %d differs between two builds", i);
        if (i < 2) {
            cr_assert_str_neq(a, bin, "module %d: csa = binary", i);
            cr_assert(strstr(a, "// 3:2 sum") && strstr(a, "// 3:2 carry"), "module %d", i);
            cr_assert_null(strstr(bin, "3:2"), "module %d", i);
        } else {
            /* the top only chains the layers: the same ports and text (its cycles may differ) */
            cr_assert(strstr(a, "module fe_top ("), "%s", a);
        }
        free(a);
        free(b);
        free(bin);
    }
    for (int i = 0; i < 2; i++) free_layer(&o[i]);
}

/* The chain equation of erg_fwfe.h, evaluated from the geometry and each layer's latency. */
static uint64_t chain_equation(const erg_fwfe_layer *ls, int n, const erg_fwfe_stats *st) {
    uint64_t cycles = 0;
    for (int i = 0; i < n; i++) {
        const erg_conv_geom *g = &ls[i].geom;
        int64_t wp = g->pad_left + g->in_w + g->pad_right;
        int64_t p_last = ((int64_t)(g->out_h - 1) * g->stride + g->k_h - 1) * wp +
                         (int64_t)(g->out_w - 1) * g->stride + g->k_w - 1;
        int64_t p_real = (int64_t)(g->pad_top + g->in_h - 1) * wp + g->pad_left + g->in_w - 1;
        if (i == 0)
            cycles = (uint64_t)p_last + 1 + (uint64_t)st[0].latency;
        else
            cycles += (uint64_t)(p_last - p_real) + (uint64_t)st[i].latency;
    }
    return cycles;
}

Test(fwfe_cycles, mobilenet_style_chains_follow_the_equation) {
    erg_rng r;
    erg_rng_seed(&r, 31);
    owned_layer o[5];
    rand_layer(&o[0], &r, "conv1", "conv2d", geom(16, 16, 3, 3, 2, 1, 8));
    rand_layer(&o[1], &r, "dw1", "depthwise", geom(8, 8, 8, 3, 1, 1, 8));
    rand_layer(&o[2], &r, "pw1", "conv2d", geom(8, 8, 8, 1, 1, 1, 16));
    rand_layer(&o[3], &r, "dw2", "depthwise", geom(8, 8, 16, 3, 2, 1, 16));
    rand_layer(&o[4], &r, "pw2", "conv2d", geom(4, 4, 16, 1, 1, 1, 32));
    erg_fwfe_layer ls[5];
    for (int i = 0; i < 5; i++) ls[i] = o[i].l;
    for (int n = 1; n <= 5; n++) {
        erg_error err;
        erg_fwfe *f = erg_fwfe_build(ls, n, &err);
        cr_assert_not_null(f, "%d layers: %s", n, err.msg);
        erg_fwfe_stats st[5];
        uint64_t cycles = erg_fwfe_timing(f, st);
        cr_assert_eq(cycles, chain_equation(ls, n, st), "%d layers: %llu cycles", n,
                     (unsigned long long)cycles);
        for (int i = 0; i < n; i++) cr_assert_eq(st[i].latency, st[i].tree_depth + 3);
        erg_fwfe_free(f);
    }
    check_chain(ls, 5, &r, "conv-dw-pw-dw-pw");
    /* carry-save: the same equation with each layer's deeper trees */
    for (int i = 0; i < 5; i++) ls[i].tree = ERG_FWFE_TREE_CSA;
    for (int n = 1; n <= 5; n++) {
        erg_error err;
        erg_fwfe *f = erg_fwfe_build(ls, n, &err);
        cr_assert_not_null(f, "csa %d layers: %s", n, err.msg);
        erg_fwfe_stats st[5];
        uint64_t cycles = erg_fwfe_timing(f, st);
        cr_assert_eq(cycles, chain_equation(ls, n, st), "csa %d layers: %llu cycles", n,
                     (unsigned long long)cycles);
        for (int i = 0; i < n; i++) {
            cr_assert_eq(st[i].latency, st[i].tree_depth + 3);
            /* L = the levels of the layer's largest tree (levels grow with the leaves) */
            const erg_conv_geom *g = &ls[i].geom;
            int taps = g->k_h * g->k_w * (strcmp(ls[i].type, "depthwise") ? g->in_c : 1);
            int most = 1;
            for (int oc = 0; oc < g->out_c; oc++) {
                int nl = ls[i].bias[oc] != 0;
                for (int k = 0; k < taps; k++)
                    nl += erg_fwfe_csd_count(ls[i].w[(size_t)oc * taps + k]);
                if (nl > most) most = nl;
            }
            cr_assert_eq(st[i].tree_depth, erg_fwfe_tree_levels(ERG_FWFE_TREE_CSA, most),
                         "csa layer %d: L = %d for %d leaves", i, st[i].tree_depth, most);
        }
        erg_fwfe_free(f);
    }
    check_chain(ls, 5, &r, "csa conv-dw-pw-dw-pw");
    for (int i = 0; i < 5; i++) free_layer(&o[i]);
}

/* ---- a net config's front layers (sim/fwfe_net.h) ---- */

typedef struct loaded_net {
    erg_net net;
    erg_weights wt;
} loaded_net;

static void load_net(loaded_net *n, const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", ERG_SRC_DIR, rel);
    erg_error err;
    cr_assert_eq(erg_net_load(&n->net, path, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&n->wt, &n->net, &err), 0, "%s", err.msg);
}

static void free_net(loaded_net *n) {
    erg_weights_free(&n->wt);
    erg_net_free(&n->net);
}

/* The FWFE chain of layers first ... last against the whole-net golden runner's own output of
 * layer last (an independent path: erg_golden_runner_run over the net, layer_out kept), on
 * seeded random images of the net's input. */
static void check_net_range(const loaded_net *n, int first, int last, int frames, int tree) {
    erg_error err;
    erg_fwfe *f = erg_fwfe_net_build(&n->net, &n->wt, first, last, 0, tree, &err);
    cr_assert_not_null(f, "%s", err.msg);
    cr_assert_eq(erg_fwfe_layer_count(f), last - first + 1);
    for (int i = 0; i <= last - first; i++) cr_assert_eq(erg_fwfe_layer_tree(f, i), tree);
    erg_golden_runner gr;
    cr_assert_eq(erg_golden_runner_init(&gr, &n->net, &n->wt, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_golden_runner_keep(&gr, &err), 0, "%s", err.msg);
    const erg_layer *lf = &n->net.layers[first], *ll = &n->net.layers[last];
    size_t n_img = (size_t)erg_shape_count(n->net.input), n_out = (size_t)erg_shape_count(ll->out);
    uint8_t *img = malloc(n_img), *out = malloc(n_out), *mine = malloc(n_out);
    erg_rng r;
    erg_rng_seed(&r, 77);
    for (int k = 0; k < frames; k++) {
        for (size_t i = 0; i < n_img; i++) img[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        erg_golden_runner_run(&gr, img);
        /* the chain's input is layer first's input: the image, or the golden output before it */
        const uint8_t *in = first ? gr.layer_out[first - 1] : img;
        if (!first) cr_assert_eq((size_t)erg_shape_count(lf->in), n_img);
        cr_assert_eq(erg_fwfe_run(f, in, out, NULL), erg_fwfe_timing(f, NULL));
        cr_assert_arr_eq(out, gr.layer_out[last], n_out, "frame %d: FWFE differs from golden", k);
        cr_assert_eq(erg_fwfe_net_golden(&n->net, &n->wt, first, last, in, mine, &err), 0);
        cr_assert_arr_eq(mine, gr.layer_out[last], n_out, "frame %d: erg_fwfe_net_golden", k);
    }
    /* out_cycles: one per output pixel, rising, the last one the frame's last cycle */
    int nl = erg_fwfe_layer_count(f);
    erg_fwfe_stats *st = calloc((size_t)nl, sizeof *st);
    uint64_t cycles = erg_fwfe_timing(f, st);
    for (int i = 0; i < nl; i++) {
        const erg_conv_geom *g = erg_fwfe_layer_geom(f, i);
        const uint64_t *at = erg_fwfe_out_cycles(f, i);
        size_t np = (size_t)g->out_h * g->out_w;
        cr_assert_not_null(at);
        cr_assert_eq(at[0], st[i].first_out_cycle);
        cr_assert_eq(at[np - 1], st[i].last_out_cycle);
        for (size_t p = 1; p < np; p++) cr_assert_gt(at[p], at[p - 1], "layer %d pixel %zu", i, p);
    }
    cr_assert_eq(erg_fwfe_out_cycles(f, nl - 1)[(size_t)ll->out.h * ll->out.w - 1] + 1, cycles);
    cr_assert_null(erg_fwfe_out_cycles(f, nl));
    free(st);
    free(img);
    free(out);
    free(mine);
    erg_golden_runner_free(&gr);
    erg_fwfe_free(f);
}

Test(fwfe_net, ranges_by_name_or_one_based_index) {
    loaded_net n;
    load_net(&n, "configs/nets/fmnist_int8.cfg");
    erg_error err;
    int a = -1, b = -1;
    cr_assert_eq(erg_fwfe_net_range(&n.net, "conv1", &a, &b, &err), 0, "%s", err.msg);
    cr_assert(a == 0 && b == 0);
    cr_assert_eq(erg_fwfe_net_range(&n.net, "conv1..conv2", &a, &b, &err), 0, "%s", err.msg);
    cr_assert(a == 0 && b == 2);
    cr_assert_eq(erg_fwfe_net_range(&n.net, "2..6", &a, &b, &err), 0, "%s", err.msg);
    cr_assert(a == 1 && b == 5);
    cr_assert_eq(erg_fwfe_net_range(&n.net, "1..conv1", &a, &b, &err), 0, "%s", err.msg);
    cr_assert(a == 0 && b == 0);
    static const struct {
        const char *spec, *needle;
    } bad[] = {
        {"conv3", "no layer named 'conv3'"},
        {"conv3", "did you mean"},
        {"0", "outside 1..6"},
        {"7", "outside 1..6"},
        {"conv2..conv1", "backwards"},
        {"", "empty"},
        {"conv1..", "empty layer"},
        {"..conv2", "empty layer"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err.msg[0] = 0;
        cr_assert_eq(erg_fwfe_net_range(&n.net, bad[i].spec, &a, &b, &err), -1, "'%s' accepted",
                     bad[i].spec);
        cr_assert(strstr(err.msg, bad[i].needle), "'%s': message '%s' lacks '%s'", bad[i].spec,
                  err.msg, bad[i].needle);
    }
    free_net(&n);
}

Test(fwfe_net, fmnist_int8_conv1_is_bit_exact_with_the_golden_net) {
    loaded_net n;
    load_net(&n, "configs/nets/fmnist_int8.cfg");
    check_net_range(&n, 0, 0, 3, ERG_FWFE_TREE_BINARY);
    check_net_range(&n, 0, 0, 3, ERG_FWFE_TREE_CSA);
    /* and the layer as converted: the trained weights, bias, m0, shift and zero point */
    erg_fwfe_layer l;
    erg_error err;
    cr_assert_eq(erg_fwfe_net_layers(&n.net, &n.wt, 0, 0, 0, 0, &l, &err), 0, "%s", err.msg);
    cr_assert_str_eq(l.name, "conv1");
    cr_assert_str_eq(l.type, "conv2d");
    cr_assert_eq(l.w, n.wt.l[0].w);
    cr_assert_eq(l.bias, n.wt.l[0].b);
    cr_assert_eq(l.m0, n.wt.l[0].m0);
    cr_assert_eq(l.shift, n.wt.l[0].shift);
    cr_assert_eq(l.zp, n.net.layers[0].zero_point);
    cr_assert_eq(l.geom.pad_top, 1);
    cr_assert_eq(l.geom.out_c, 16);
    free_net(&n);
}

Test(fwfe_net, mobilenet025_front_is_bit_exact_with_the_golden_net) {
    loaded_net n;
    load_net(&n, "configs/nets/mobilenet025_front.cfg");
    cr_assert_eq(n.net.n_layers, 7);
    check_net_range(&n, 0, 6, 2, ERG_FWFE_TREE_BINARY); /* conv1 ... pw3 */
    check_net_range(&n, 3, 6, 2, ERG_FWFE_TREE_BINARY); /* dw2 ... pw3: input = pw1's golden */
    check_net_range(&n, 0, 6, 2, ERG_FWFE_TREE_CSA);
    check_net_range(&n, 3, 6, 2, ERG_FWFE_TREE_CSA);
    free_net(&n);
}

static void expect_net_reject_tree(const char *rel, const char *spec, int acc_bits, int tree,
                                   const char *n1, const char *n2) {
    loaded_net n;
    load_net(&n, rel);
    erg_error err;
    int a, b;
    cr_assert_eq(erg_fwfe_net_range(&n.net, spec, &a, &b, &err), 0, "%s", err.msg);
    err.msg[0] = 0;
    erg_fwfe *f = erg_fwfe_net_build(&n.net, &n.wt, a, b, acc_bits, tree, &err);
    cr_assert_null(f, "%s %s accepted", rel, spec);
    cr_assert(strstr(err.msg, n1), "message '%s' lacks '%s'", err.msg, n1);
    if (n2) cr_assert(strstr(err.msg, n2), "message '%s' lacks '%s'", err.msg, n2);
    free_net(&n);
}

static void expect_net_reject(const char *rel, const char *spec, int acc_bits, const char *n1,
                              const char *n2) {
    expect_net_reject_tree(rel, spec, acc_bits, ERG_FWFE_TREE_BINARY, n1, n2);
}

Test(fwfe_net, layers_that_cannot_be_fixed_are_named) {
    const char *fm = "configs/nets/fmnist_int8.cfg";
    expect_net_reject(fm, "conv1..conv2", 0, "layer 2 'pool1' (maxpool) cannot be fixed", NULL);
    expect_net_reject(fm, "fc", 0, "layer 6 'fc' (dense) cannot be fixed", NULL);
    expect_net_reject(fm, "flat", 0, "'flat' (flatten)", NULL);
    /* conv1's trees need 17-bit adders (channel 0 sums to 0 ... 32895): 16 bits are too few */
    expect_net_reject(fm, "conv1", 16, "'conv1'", "16-bit adder width");
    expect_net_reject_tree(fm, "conv1", 16, ERG_FWFE_TREE_CSA, "'conv1'", "16-bit adder width");
    expect_net_reject("configs/nets/fmnist_bnn.cfg", "conv2", 0, "layer 3 'conv2'",
                      "weight_bits = 1");
    expect_net_reject("tests/data/fwfe/approx_default.cfg", "conv1", 0, "'conv1'", "'loa6'");
    expect_net_reject("tests/data/fwfe/scores_conv.cfg", "1..2", 0, "layer 2 'head'",
                      "activation \"none\"");
    /* each layer alone fits; the chain has no idle cycles for the 3x3 layer's padding */
    expect_net_reject("tests/data/fwfe/pw_then_same.cfg", "pw..conv3x3", 0, "layer 'pw'",
                      "padding of layer 'conv3x3'");
    loaded_net n;
    load_net(&n, "tests/data/fwfe/pw_then_same.cfg");
    erg_error err;
    for (int i = 0; i < 2; i++) {
        erg_fwfe *f = erg_fwfe_net_build(&n.net, &n.wt, i, i, 0, 0, &err);
        cr_assert_not_null(f, "%s", err.msg);
        erg_fwfe_free(f);
    }
    free_net(&n);
}

/* The cosim vector file (docs/fwfe.md "Cosim"): header, then per frame the padded input grid,
 * the output pixels and their cycles; the same seed gives the same bytes. */
Test(fwfe_net, vectors_hold_grid_outputs_and_cycles) {
    loaded_net n;
    load_net(&n, "configs/nets/fmnist_int8.cfg");
    erg_error err;
    erg_fwfe *f = erg_fwfe_net_build(&n.net, &n.wt, 0, 0, 0, 0, &err);
    cr_assert_not_null(f, "%s", err.msg);
    char *buf[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        FILE *m = open_memstream(&buf[k], &len[k]);
        cr_assert_eq(erg_fwfe_net_vectors(&n.net, &n.wt, 0, 0, f, 2, 5, m, &err), 0, "%s", err.msg);
        fclose(m);
    }
    cr_assert_eq(len[0], len[1]);
    cr_assert_eq(memcmp(buf[0], buf[1], len[0]), 0, "not deterministic");
    cr_assert(strstr(buf[0], "\nerg_fwfe_vectors 2\ngrid 30 30 1\nout 28 28 16\ncycles 908\n"
                             "frames 2\nperiod 900\nframe 0\n"),
              "header: %.200s", buf[0]);
    /* frame 0: 30 grid rows of 30, 28 output rows of 28 x 16, 28 rows of 28 cycles; the first
     * cycle is output (0, 0)'s: trigger beat (2, 2) = 62, + D = 8 -> 70 */
    const char *p = strstr(buf[0], "frame 0\n") + 8;
    int lines = 0;
    const char *cyc = NULL;
    for (const char *q = p; *q && strncmp(q, "frame 1", 7); q = strchr(q, '\n') + 1) {
        if (++lines == 30 + 28 + 1) cyc = q;
    }
    cr_assert_eq(lines, 30 + 28 + 28);
    cr_assert_eq(strncmp(p, "0 0 0 0", 7), 0, "padding row: %.20s", p);
    cr_assert_eq(strncmp(cyc, "70 71 72", 8), 0, "cycles: %.20s", cyc);
    /* back to back: frame 1 one period (900 beats of the 30 x 30 grid) after frame 0 */
    const char *sp = strstr(buf[0], "\nstream\n");
    cr_assert_not_null(sp);
    sp = strchr(sp + 8, '\n') + 1; /* frame 1's line */
    cr_assert_eq(strncmp(sp, "970 971 972", 11), 0, "stream: %.20s", sp);
    free(buf[0]);
    free(buf[1]);
    erg_fwfe_free(f);
    free_net(&n);
}
