/* test_bna_model.c — the BNA C model (docs/bna.md): parameters and registers, refused layer
 * descriptors, hand-derived cycles and counters per layer shape, and outputs bit-exact against
 * the golden kernels on seeded random layers. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "erg_bitpack.h"
#include "erg_bna.h"
#include "erg_golden.h"
#include "erg_regs.h"
#include "erg_rng.h"

/* ---- helpers ---- */

/* BinarEye (configs/chips/binareye.cfg): N = 64, K = {2}, C = 256, 32 x 32, B = 2, Wb = 256. */
static erg_bna_params binareye(void) {
    erg_bna_params p = {.neurons = 64,
                        .kernels = 1u << 2,
                        .channels = 256,
                        .fmap_h = 32,
                        .fmap_w = 32,
                        .banks = 2,
                        .word_bits = 256,
                        .wsram_bytes = 326 * 1024,
                        .fmap_bytes = 64 * 1024};
    return p;
}

static erg_bna *create(const erg_bna_params *p) {
    erg_error err = {{0}};
    erg_bna *u = erg_bna_create(p, &err);
    cr_assert_not_null(u, "erg_bna_create: %s", err.msg);
    return u;
}

typedef struct layer {
    uint32_t op, h, w, c, cout, k, src, dst, wbase, flags, therm0, therm1;
} layer;

static void program(erg_bna *u, const layer *l) {
    erg_bna_write32(u, ERG_BNA_L_OP, l->op);
    erg_bna_write32(u, ERG_BNA_L_IN_H, l->h);
    erg_bna_write32(u, ERG_BNA_L_IN_W, l->w);
    erg_bna_write32(u, ERG_BNA_L_IN_C, l->c);
    erg_bna_write32(u, ERG_BNA_L_OUT_C, l->cout);
    erg_bna_write32(u, ERG_BNA_L_K, l->k);
    erg_bna_write32(u, ERG_BNA_L_SRC, l->src);
    erg_bna_write32(u, ERG_BNA_L_DST, l->dst);
    erg_bna_write32(u, ERG_BNA_L_WBASE, l->wbase);
    erg_bna_write32(u, ERG_BNA_L_FLAGS, l->flags);
    erg_bna_write32(u, ERG_BNA_L_THERM0, l->therm0);
    erg_bna_write32(u, ERG_BNA_L_THERM1, l->therm1);
}

/* Programs and starts the layer; returns the ERROR register. */
static uint32_t run(erg_bna *u, const layer *l) {
    program(u, l);
    erg_bna_write32(u, ERG_BNA_CTRL, ERG_BNA_CTRL_START);
    return erg_bna_read32(u, ERG_BNA_ERROR);
}

static uint64_t counter(erg_bna *u, int i) {
    uint64_t lo = erg_bna_read32(u, ERG_BNA_CNT_BASE + 8 * (uint64_t)i);
    uint64_t hi = erg_bna_read32(u, ERG_BNA_CNT_BASE + 8 * (uint64_t)i + 4);
    return hi << 32 | lo;
}

/* Every counter, read through the registers, equals exp (unlisted ones are 0). */
static void expect_counters(erg_bna *u, const uint64_t exp[ERG_CNT_COUNT]) {
    for (int i = 0; i < ERG_CNT_COUNT; i++)
        cr_expect_eq(counter(u, i), exp[i], "counter %s: got %llu, expected %llu",
                     erg_counter_name(i), (unsigned long long)counter(u, i),
                     (unsigned long long)exp[i]);
}

static void run_ok(erg_bna *u, const layer *l) {
    cr_assert_eq(run(u, l), ERG_BNA_ERR_NONE, "layer refused: ERROR = %u",
                 erg_bna_read32(u, ERG_BNA_ERROR));
    cr_assert_eq(erg_bna_read32(u, ERG_BNA_STATUS), ERG_BNA_STATUS_DONE);
}

/* ---- parameters and registers ---- */

Test(bna_params, rejects_nonsense_with_a_message_naming_the_parameter) {
    struct {
        const char *name;
        erg_bna_params p;
    } bad[8];
    for (int i = 0; i < 8; i++) bad[i].p = binareye();
    bad[0].name = "neurons", bad[0].p.neurons = 0;
    bad[1].name = "kernels", bad[1].p.kernels = 1u; /* bit 0: a 0 x 0 kernel */
    bad[2].name = "channels", bad[2].p.channels = 4097;
    bad[3].name = "banks", bad[3].p.banks = 5;
    bad[4].name = "neurons", bad[4].p.banks = 3; /* 64 % 3 != 0 */
    bad[5].name = "word_bits", bad[5].p.word_bits = 100;
    bad[6].name = "wsram_bytes", bad[6].p.wsram_bytes = 0;
    bad[7].name = "fmap_bytes", bad[7].p.fmap_bytes = 64 * 1024 + 1;
    for (int i = 0; i < 8; i++) {
        erg_error err = {{0}};
        erg_bna *u = erg_bna_create(&bad[i].p, &err);
        cr_expect_null(u, "case %d (%s) accepted", i, bad[i].name);
        cr_expect(strstr(err.msg, bad[i].name) != NULL, "case %d: message '%s' lacks '%s'", i,
                  err.msg, bad[i].name);
        erg_bna_free(u);
    }
}

Test(bna_regs, reads_id_version_and_parameters) {
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_ID), ERG_BNA_ID_VALUE);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_VERSION), ERG_BNA_VERSION_VALUE);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_NEURONS), 64);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_KERNELS), 4);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_CHANNELS), 256);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_FMAP_H), 32);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_FMAP_W), 32);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_BANKS), 2);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_WORD_BITS), 256);
    /* 326 KiB / 2 banks / 32 bytes per word = 5216 rows; 32 KiB / 8 = 4096 words */
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_BANK_ROWS), 5216);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_FMAP_WORDS), 4096);
    /* reset state */
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_STATUS), 0);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_ERROR), ERG_BNA_ERR_NONE);
    cr_expect_eq(erg_bna_now(u), 0);
    cr_expect_eq(erg_bna_irq(u), 0);
    /* RO registers ignore writes; unaligned and unmapped accesses read 0 */
    erg_bna_write32(u, ERG_BNA_P_NEURONS, 7);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_P_NEURONS), 64);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_ID + 2), 0);
    cr_expect_eq(erg_bna_read32(u, 0x7F0), 0);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_UNIT_SIZE - 4), 0);
    /* L_* registers read back */
    erg_bna_write32(u, ERG_BNA_L_WBASE, 0x1234);
    erg_bna_write32(u, ERG_BNA_L_THERM1, 0x01020304);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_L_WBASE), 0x1234);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_L_THERM1), 0x01020304);
    erg_bna_free(u);
}

Test(bna_regs, counts_host_weight_writes_but_not_feature_map_writes) {
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    uint8_t buf[64] = {1, 2, 3, 4, 5, 6, 7, 8};
    erg_bna_write32(u, ERG_BNA_WSRAM + 8, 0xDEADBEEF);           /* 32 bits */
    erg_bna_burst_write(u, ERG_BNA_WSRAM + 64, buf, sizeof buf); /* 512 bits */
    erg_bna_burst_write(u, ERG_BNA_FMAP_A, buf, sizeof buf);     /* not counted */
    erg_bna_write32(u, ERG_BNA_FMAP_B + 4, 0x11223344);          /* not counted */
    cr_expect_eq(counter(u, ERG_CNT_wsram_wr_bits), 544);
    /* little-endian bytes through either access width */
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_WSRAM + 64), 0x04030201u);
    uint8_t b4[4];
    erg_bna_burst_read(u, ERG_BNA_WSRAM + 8, b4, 4);
    cr_expect(b4[0] == 0xEF && b4[3] == 0xDE);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_FMAP_B + 4), 0x11223344u);
    /* past the 326 KiB behind the 1 MiB window: ignored, not counted, reads 0 */
    erg_bna_write32(u, ERG_BNA_WSRAM + 326 * 1024, 5);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_WSRAM + 326 * 1024), 0);
    cr_expect_eq(counter(u, ERG_CNT_wsram_wr_bits), 544);
    /* CLEAR zeroes the counters */
    erg_bna_write32(u, ERG_BNA_CTRL, ERG_BNA_CTRL_CLEAR);
    cr_expect_eq(counter(u, ERG_CNT_wsram_wr_bits), 0);
    erg_bna_free(u);
}

Test(bna_regs, raises_the_done_interrupt_only_when_enabled_and_clears_it_on_write_one) {
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    layer pool = {.op = ERG_BNA_OP_MAXPOOL, .h = 4, .w = 4, .c = 8, .k = 2, .src = 0, .dst = 1};
    run_ok(u, &pool);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_IRQ_STATUS), ERG_BNA_IRQ_STATUS_DONE);
    cr_expect_eq(erg_bna_irq(u), 0); /* not enabled */
    erg_bna_write32(u, ERG_BNA_IRQ_EN, ERG_BNA_IRQ_EN_DONE);
    cr_expect_eq(erg_bna_irq(u), 1);
    erg_bna_write32(u, ERG_BNA_IRQ_STATUS, 0); /* writing 0 clears nothing */
    cr_expect_eq(erg_bna_irq(u), 1);
    erg_bna_write32(u, ERG_BNA_IRQ_STATUS, ERG_BNA_IRQ_STATUS_DONE);
    cr_expect_eq(erg_bna_irq(u), 0);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_IRQ_STATUS), 0);
    erg_bna_free(u);
}

/* ---- refused descriptors ---- */

Test(bna_errors, refuses_bad_descriptors_with_the_documented_code_and_runs_nothing) {
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    const layer good = {
        .op = ERG_BNA_OP_CONV, .h = 5, .w = 5, .c = 64, .cout = 64, .k = 2, .src = 0, .dst = 1};
    struct {
        layer l;
        uint32_t code;
    } cases[20];
    int n = 0;
#define CASE(field, value, err)                                                                    \
    do {                                                                                           \
        cases[n].l = good;                                                                         \
        cases[n].l.field = (value);                                                                \
        cases[n++].code = ERG_BNA_ERR_##err;                                                       \
    } while (0)
    CASE(op, 3, OP);                           /* unknown op */
    CASE(flags, ERG_BNA_L_FLAGS_OUT_DOTS, OP); /* OUT_DOTS on a conv */
    CASE(h, 0, SHAPE);                         /* size zero */
    CASE(w, 33, SHAPE);                        /* wider than Wmax = 32 */
    CASE(c, 257, SHAPE);                       /* cin > C */
    CASE(cout, 257, SHAPE);                    /* cout > C */
    CASE(cout, 0, SHAPE);                      /* cout zero */
    CASE(k, 3, KERNEL);                        /* 3 x 3 not in K = {2} */
    CASE(k, 0, KERNEL);                        /* no kernel */
    CASE(src, 1, FMAP);                        /* SRC = DST = B */
    CASE(dst, 2, FMAP);                        /* no buffer 2 */
    CASE(wbase, 5216 - 32 * 5 + 1, WEIGHTS);   /* 32 filters x 5 rows, one row too far */
    cases[n].l = good, cases[n].l.op = ERG_BNA_OP_MAXPOOL, cases[n].l.k = 3; /* S > Kmax */
    cases[n++].code = ERG_BNA_ERR_KERNEL;
    cases[n].l = good, cases[n].l.op = ERG_BNA_OP_MAXPOOL;
    cases[n].l.flags = ERG_BNA_L_FLAGS_THERM; /* THERM is only for conv */
    cases[n++].code = ERG_BNA_ERR_OP;
    cases[n].l = good, cases[n].l.h = 1; /* 2 x 2 window on 1 row */
    cases[n++].code = ERG_BNA_ERR_SHAPE;
    cases[n].l = good, cases[n].l.flags = ERG_BNA_L_FLAGS_THERM, cases[n].l.c = 9; /* > 8 raw */
    cases[n].l.therm0 = 0x01010101;
    cases[n++].code = ERG_BNA_ERR_SHAPE;
    cases[n].l = good, cases[n].l.flags = ERG_BNA_L_FLAGS_THERM, cases[n].l.c = 3;
    cases[n].l.therm0 = 0x00808080; /* 3 x 128 = 384 planes > C */
    cases[n++].code = ERG_BNA_ERR_SHAPE;
    cases[n].l = good, cases[n].l.flags = ERG_BNA_L_FLAGS_THERM, cases[n].l.c = 2;
    cases[n].l.therm0 = 0xFF000000; /* only channel 3 has levels: no planes */
    cases[n++].code = ERG_BNA_ERR_SHAPE;
#undef CASE
    uint64_t zeros[ERG_CNT_COUNT] = {0};
    for (int i = 0; i < n; i++) {
        cr_expect_eq(run(u, &cases[i].l), cases[i].code, "case %d: ERROR = %u, expected %u", i,
                     erg_bna_read32(u, ERG_BNA_ERROR), cases[i].code);
        /* a refused START finishes at once: DONE | ERROR and the DONE interrupt */
        cr_expect_eq(erg_bna_read32(u, ERG_BNA_STATUS), ERG_BNA_STATUS_DONE | ERG_BNA_STATUS_ERROR,
                     "case %d", i);
        cr_expect_eq(erg_bna_read32(u, ERG_BNA_IRQ_STATUS), ERG_BNA_IRQ_STATUS_DONE, "case %d", i);
        erg_bna_write32(u, ERG_BNA_IRQ_STATUS, ERG_BNA_IRQ_STATUS_DONE);
    }
    expect_counters(u, zeros);
    cr_expect_eq(erg_bna_now(u), 0);
    /* the last weight row that still fits is accepted, and clears ERROR */
    layer edge = good;
    edge.wbase = 5216 - 32 * 5;
    run_ok(u, &edge);
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_ERROR), ERG_BNA_ERR_NONE);
    erg_bna_free(u);
}

Test(bna_errors, refuses_maps_larger_than_one_buffer) {
    erg_bna_params p = binareye();
    p.fmap_bytes = 2 * 1024; /* 1 KiB buffers: 128 words */
    erg_bna *u = create(&p);
    /* input 12 x 11 x 64 = 132 words > 128 */
    layer in = {.op = ERG_BNA_OP_CONV, .h = 12, .w = 11, .c = 64, .cout = 64, .k = 2, .dst = 1};
    cr_expect_eq(run(u, &in), ERG_BNA_ERR_FMAP);
    /* input 8 x 8 x 64 = 64 words fits, output 7 x 7 x 192 = 147 words does not */
    layer out = {.op = ERG_BNA_OP_CONV, .h = 8, .w = 8, .c = 64, .cout = 192, .k = 2, .dst = 1};
    cr_expect_eq(run(u, &out), ERG_BNA_ERR_FMAP);
    out.cout = 128; /* 98 words */
    run_ok(u, &out);
    erg_bna_free(u);
}

/* ---- cycles and counters, derived by hand from docs/bna.md ---- */

Test(bna_timing, conv_2x2_on_5x5x64_with_one_full_group) {
    /* BinarEye, conv 2x2, 5x5x64 -> 4x4x64, A -> B. G = 1, n_0 = 64, ceil(64/256) = 1.
     * load L = ceil(64/2) (1 + 4 * 1) = 32 * 5 = 160; compute Ho W = 4 * 5 = 20; D = 2
     * cycles = 160 + 20 + 2 = 182; stall 160; active 22; no gated neurons.
     * bmac = Ho Wo cout K^2 cin = 4*4*64*4*64 = 262144
     * words loaded = 64 neurons * 5 = 320 -> wff = 256 * 320 = 81920, 160 words per bank
     * -> 40960 bits each. fmap A read: 64 P K per compute cycle = 64*1*2*20 = 2560;
     * fmap B written: 64 bits * 16 pixels = 1024; thr_ops = 16 * 64 = 1024. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u, &(layer){.op = ERG_BNA_OP_CONV,
                       .h = 5,
                       .w = 5,
                       .c = 64,
                       .cout = 64,
                       .k = 2,
                       .src = 0,
                       .dst = 1});
    uint64_t e[ERG_CNT_COUNT] = {[ERG_CNT_cycles] = 182,           [ERG_CNT_stall_cycles] = 160,
                                 [ERG_CNT_active_cycles] = 22,     [ERG_CNT_bmac] = 262144,
                                 [ERG_CNT_wff_bits] = 81920,       [ERG_CNT_wsram0_rd_bits] = 40960,
                                 [ERG_CNT_wsram1_rd_bits] = 40960, [ERG_CNT_fmap_a_rd_bits] = 2560,
                                 [ERG_CNT_fmap_b_wr_bits] = 1024,  [ERG_CNT_thr_ops] = 1024};
    expect_counters(u, e);
    cr_expect_eq(erg_bna_now(u), 182);
    /* a second layer adds up; CLEAR zeroes the counters but not the time since reset */
    run_ok(u, &(layer){.op = ERG_BNA_OP_CONV,
                       .h = 5,
                       .w = 5,
                       .c = 64,
                       .cout = 64,
                       .k = 2,
                       .src = 0,
                       .dst = 1});
    cr_expect_eq(counter(u, ERG_CNT_cycles), 364);
    erg_bna_write32(u, ERG_BNA_CTRL, ERG_BNA_CTRL_CLEAR);
    cr_expect_eq(counter(u, ERG_CNT_cycles), 0);
    cr_expect_eq(erg_bna_now(u), 364);
    erg_bna_free(u);
}

Test(bna_timing, conv_with_100_outputs_runs_two_groups_of_64_and_36) {
    /* BinarEye, conv 2x2, 4x6x70 -> 3x5x100. cin = 70: P = 2, ceil(70/256) = 1, 5 rows/filter.
     * group 0: n = 64, L = 32 * 5 = 160;  group 1: n = 36, L = 18 * 5 = 90.
     * compute per group Ho W = 3 * 6 = 18, + D = 2 -> 20.
     * cycles = (160 + 20) + (90 + 20) = 290; stall 250; active 40;
     * gated neurons = (64 - 36) * 20 = 560.
     * bmac = 3*5*100*4*70 = 420000; wff = 256 * 100 * 5 = 128000;
     * bank 0: 32 + 18 filters * 5 * 256 = 64000; bank 1 the same.
     * fmap A read = 64 * P 2 * K 2 * 18 per group = 4608, x 2 = 9216;
     * fmap B written = (64 + 36) * 15 = 1500; thr_ops = 15 * 100 = 1500. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u, &(layer){.op = ERG_BNA_OP_CONV,
                       .h = 4,
                       .w = 6,
                       .c = 70,
                       .cout = 100,
                       .k = 2,
                       .src = 0,
                       .dst = 1});
    uint64_t e[ERG_CNT_COUNT] = {
        [ERG_CNT_cycles] = 290,           [ERG_CNT_stall_cycles] = 250,
        [ERG_CNT_active_cycles] = 40,     [ERG_CNT_gated_neuron_cycles] = 560,
        [ERG_CNT_bmac] = 420000,          [ERG_CNT_wff_bits] = 128000,
        [ERG_CNT_wsram0_rd_bits] = 64000, [ERG_CNT_wsram1_rd_bits] = 64000,
        [ERG_CNT_fmap_a_rd_bits] = 9216,  [ERG_CNT_fmap_b_wr_bits] = 1500,
        [ERG_CNT_thr_ops] = 1500};
    expect_counters(u, e);
    erg_bna_free(u);
}

Test(bna_timing, thermometer_conv_with_255_planes_from_buffer_b) {
    /* BinarEye, raw 4x4x3 in B, levels 85 each -> cin = 255 (ceil(255/256) = 1), conv 2x2 ->
     * 3x3x64 in A. L = 32 * (1 + 4) = 160; compute Ho W = 3 * 4 = 12; cycles = 160+12+2 = 174.
     * bmac = 3*3*64*4*255 = 587520; wff = 256 * 64 * 5 = 81920 (40960 per bank).
     * fmap B read = 64 K per compute cycle (one raw word per pixel) = 64*2*12 = 1536;
     * therm_ops = K * sum(levels) per read cycle = 2 * 255 * 12 = 6120;
     * fmap A written = 64 * 9 = 576; thr_ops = 576. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u, &(layer){.op = ERG_BNA_OP_CONV,
                       .h = 4,
                       .w = 4,
                       .c = 3,
                       .cout = 64,
                       .k = 2,
                       .src = 1,
                       .dst = 0,
                       .flags = ERG_BNA_L_FLAGS_THERM,
                       .therm0 = 85 | 85 << 8 | 85 << 16});
    uint64_t e[ERG_CNT_COUNT] = {[ERG_CNT_cycles] = 174,           [ERG_CNT_stall_cycles] = 160,
                                 [ERG_CNT_active_cycles] = 14,     [ERG_CNT_bmac] = 587520,
                                 [ERG_CNT_wff_bits] = 81920,       [ERG_CNT_wsram0_rd_bits] = 40960,
                                 [ERG_CNT_wsram1_rd_bits] = 40960, [ERG_CNT_fmap_b_rd_bits] = 1536,
                                 [ERG_CNT_fmap_a_wr_bits] = 576,   [ERG_CNT_thr_ops] = 576,
                                 [ERG_CNT_therm_ops] = 6120};
    expect_counters(u, e);
    erg_bna_free(u);
}

Test(bna_timing, maxpool_2x2_drops_the_odd_row) {
    /* BinarEye, max-pool 2x2 on 7x6x100 (P = 2) -> 3x3x100.
     * cycles = Ho Wo S + 1 = 9 * 2 + 1 = 19, all gated.
     * fmap A read = 64 P S^2 per output pixel = 64*2*4*9 = 4608; fmap B written = 100*9 = 900;
     * pool_ops = Ho Wo c (S^2 - 1) = 9 * 100 * 3 = 2700. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u, &(layer){.op = ERG_BNA_OP_MAXPOOL, .h = 7, .w = 6, .c = 100, .k = 2, .dst = 1});
    uint64_t e[ERG_CNT_COUNT] = {[ERG_CNT_cycles] = 19,
                                 [ERG_CNT_gated_cycles] = 19,
                                 [ERG_CNT_fmap_a_rd_bits] = 4608,
                                 [ERG_CNT_fmap_b_wr_bits] = 900,
                                 [ERG_CNT_pool_ops] = 2700};
    expect_counters(u, e);
    erg_bna_free(u);
}

Test(bna_timing, dense_bn_sign_over_partial_tiles) {
    /* BinarEye, dense on 3x5x64 -> 10, bn_sign. Tiles 2x2: ceil(3/2) x ceil(5/2) = 2 x 3 = 6,
     * v_t = 4, 4, 2 (top row) and 2, 2, 1 (bottom row), sum 15 = H W. ceil(10/2) = 5,
     * ceil(64/256) = 1. cycles = 5 (thresholds) + sum_t (5 v_t + 2) + D
     *   = 5 + (5 * 15 + 6 * 2) + 2 = 94; stall = 5 + 75 = 80; active = T K + D = 14;
     * gated neurons = (64 - 10) * 14 = 756. bmac = 15 * 64 * 10 = 9600.
     * words per filter = 1 + 15 = 16: wff = 256 * 10 * 16 = 40960, 5 filters per bank ->
     * 20480 each. fmap A read = 64 P per in-range pixel = 64 * 15 = 960; fmap B written = 10;
     * thr_ops = 10. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u,
           &(layer){.op = ERG_BNA_OP_DENSE, .h = 3, .w = 5, .c = 64, .cout = 10, .k = 2, .dst = 1});
    uint64_t e[ERG_CNT_COUNT] = {[ERG_CNT_cycles] = 94,
                                 [ERG_CNT_stall_cycles] = 80,
                                 [ERG_CNT_active_cycles] = 14,
                                 [ERG_CNT_gated_neuron_cycles] = 756,
                                 [ERG_CNT_bmac] = 9600,
                                 [ERG_CNT_wff_bits] = 40960,
                                 [ERG_CNT_wsram0_rd_bits] = 20480,
                                 [ERG_CNT_wsram1_rd_bits] = 20480,
                                 [ERG_CNT_fmap_a_rd_bits] = 960,
                                 [ERG_CNT_fmap_b_wr_bits] = 10,
                                 [ERG_CNT_thr_ops] = 10};
    expect_counters(u, e);
    erg_bna_free(u);
}

Test(bna_timing, dense_classifier_writes_dots_to_out) {
    /* BinarEye, dense on 2x2x256 (P = 4) -> 10 dots. One tile of v = 4; ceil(256/256) = 1;
     * no threshold words. cycles = 5 * 4 * 1 + 2 (K) + 2 (D) = 24; stall 20; active 4;
     * gated neurons = 54 * 4 = 216. bmac = 4 * 256 * 10 = 10240; 4 words per filter:
     * wff = 256 * 10 * 4 = 10240, 5120 per bank; fmap A read = 64 * 4 * 4 = 1024;
     * out_writes = 10. */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    run_ok(u, &(layer){.op = ERG_BNA_OP_DENSE,
                       .h = 2,
                       .w = 2,
                       .c = 256,
                       .cout = 10,
                       .k = 2,
                       .dst = 0,
                       .flags = ERG_BNA_L_FLAGS_OUT_DOTS});
    uint64_t e[ERG_CNT_COUNT] = {
        [ERG_CNT_cycles] = 24,           [ERG_CNT_stall_cycles] = 20,
        [ERG_CNT_active_cycles] = 4,     [ERG_CNT_gated_neuron_cycles] = 216,
        [ERG_CNT_bmac] = 10240,          [ERG_CNT_wff_bits] = 10240,
        [ERG_CNT_wsram0_rd_bits] = 5120, [ERG_CNT_wsram1_rd_bits] = 5120,
        [ERG_CNT_fmap_a_rd_bits] = 1024, [ERG_CNT_out_writes] = 10};
    expect_counters(u, e);
    /* all-zero weights and map: every bit equal, dot = n = 2 * 2 * 256 = 1024 */
    for (int o = 0; o < 10; o++)
        cr_expect_eq((int32_t)erg_bna_read32(u, ERG_BNA_OUT_BASE + 4 * o), 1024);
    erg_bna_free(u);
}

Test(bna_timing, conv_3x3_on_three_banks_with_two_word_slots) {
    /* N = 96, B = 3, Wb = 128, K = {3}: conv 3x3 on 6x7x200 -> 4x5x100. ceil(200/128) = 2,
     * rows per filter 1 + 9 * 2 = 19, P = 4. group 0: n = 96, L = 32 * 19 = 608;
     * group 1: n = 4, L = ceil(4/3) * 19 = 38. compute Ho W = 4 * 7 = 28, + D -> 30.
     * cycles = 608 + 30 + 38 + 30 = 706; stall 646; active 60; gated = 92 * 30 = 2760.
     * bmac = 4*5*100*9*200 = 3600000; wff = 128 * 100 * 19 = 243200.
     * bank 0: 32 + 2 (neurons 0, 3) filters -> 34 * 19 * 128 = 82688; banks 1, 2: 33 -> 80256.
     * fmap A read = 64 * 4 * 3 * 28 = 21504 per group -> 43008; B written 100 * 20 = 2000;
     * thr_ops = 2000. */
    erg_bna_params p = {.neurons = 96,
                        .kernels = 1u << 3,
                        .channels = 256,
                        .fmap_h = 16,
                        .fmap_w = 16,
                        .banks = 3,
                        .word_bits = 128,
                        .wsram_bytes = 3 * 16 * 4096,
                        .fmap_bytes = 16 * 1024};
    erg_bna *u = create(&p);
    run_ok(u, &(layer){
                  .op = ERG_BNA_OP_CONV, .h = 6, .w = 7, .c = 200, .cout = 100, .k = 3, .dst = 1});
    uint64_t e[ERG_CNT_COUNT] = {
        [ERG_CNT_cycles] = 706,           [ERG_CNT_stall_cycles] = 646,
        [ERG_CNT_active_cycles] = 60,     [ERG_CNT_gated_neuron_cycles] = 2760,
        [ERG_CNT_bmac] = 3600000,         [ERG_CNT_wff_bits] = 243200,
        [ERG_CNT_wsram0_rd_bits] = 82688, [ERG_CNT_wsram1_rd_bits] = 80256,
        [ERG_CNT_wsram2_rd_bits] = 80256, [ERG_CNT_fmap_a_rd_bits] = 43008,
        [ERG_CNT_fmap_b_wr_bits] = 2000,  [ERG_CNT_thr_ops] = 2000};
    expect_counters(u, e);
    erg_bna_free(u);
}

/* ---- outputs against the golden kernels ---- */

/* The driver's weight layout (docs/bna.md "Weights"): filter o in bank o % B from row
 * wbase + (o / B) * wpf. With little-endian 64-bit sub-words, bit j of row r of a bank is bit
 * j % 8 of byte r * Wb/8 + j / 8, so a filter is one bit string from its first row. */
typedef struct wimage {
    const erg_bna_params *p;
    int64_t rows;   /* rows per bank in the image, from wbase */
    uint8_t *bytes; /* [B][rows][Wb/8] */
} wimage;

static void wbit(wimage *im, int o, int64_t wpf, int64_t bit) {
    int64_t row_bytes = im->p->word_bits / 8;
    int64_t byte = (o % im->p->banks) * im->rows * row_bytes + (o / im->p->banks) * wpf * row_bytes;
    im->bytes[byte + bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* Threshold word at the filter's first row: bits 0..15 tau (int16), bit 16 flip. */
static void wthreshold(wimage *im, int o, int64_t wpf, int32_t thr, int flip) {
    uint32_t v = (uint16_t)(int16_t)thr | (uint32_t)(flip ? 1 : 0) << 16;
    for (int b = 0; b < 17; b++)
        if (v >> b & 1u) wbit(im, o, wpf, b);
}

static void wstore(erg_bna *u, const wimage *im, uint32_t wbase) {
    int64_t row_bytes = im->p->word_bits / 8, bank_bytes = im->p->wsram_bytes / im->p->banks;
    for (int b = 0; b < im->p->banks; b++)
        erg_bna_burst_write(u, ERG_BNA_WSRAM + b * bank_bytes + wbase * row_bytes,
                            im->bytes + b * im->rows * row_bytes, (size_t)(im->rows * row_bytes));
}

static int8_t pm1(erg_rng *r) {
    return erg_rng_range(r, 0, 1) ? 1 : -1;
}

/* A random unit, and a layer on it that fits; returns the layer. */
static erg_bna_params random_params(erg_rng *r) {
    erg_bna_params p;
    p.banks = (int)erg_rng_range(r, 1, 4);
    p.neurons = p.banks * (int)erg_rng_range(r, 1, 40);
    p.kernels = 0;
    while (p.kernels == 0) p.kernels = (unsigned)erg_rng_range(r, 0, 15) << 1; /* of 1..4 */
    p.channels = (int)erg_rng_range(r, 8, 300);
    p.fmap_h = p.fmap_w = 9;
    p.word_bits = 64 * (int)erg_rng_range(r, 1, 4);
    p.fmap_bytes = 2 * 8 * 1024;
    p.wsram_bytes = 0; /* set by the caller once the layer is known */
    return p;
}

static int pick_kernel(erg_rng *r, unsigned mask, int up_to) {
    int k;
    do k = (int)erg_rng_range(r, 1, up_to);
    while (!(mask & (1u << k)));
    return k;
}

/* Mostly small channel counts, sometimes past one or two 64-bit words. */
static int random_channels(erg_rng *r, int max) {
    int c = erg_rng_range(r, 0, 2) == 0 ? (int)erg_rng_range(r, 1, max)
                                        : (int)erg_rng_range(r, 1, max < 20 ? max : 20);
    return c;
}

static void random_layer_matches_golden(uint64_t seed) {
    erg_rng r;
    erg_rng_seed(&r, seed);
    erg_bna_params p = random_params(&r);
    int kmax = 0;
    for (int k = 1; k <= 7; k++)
        if (p.kernels & (1u << k)) kmax = k;
    int kind = (int)erg_rng_range(&r, 0, 4); /* conv, therm conv, pool, dense, dense dots */
    layer l = {0};
    l.src = (uint32_t)erg_rng_range(&r, 0, 1);
    l.dst = 1 - l.src;
    l.wbase = (uint32_t)erg_rng_range(&r, 0, 3);
    int levels[8] = {0}, c_bin;
    if (kind <= 1) {
        l.op = ERG_BNA_OP_CONV;
        l.k = (uint32_t)pick_kernel(&r, p.kernels, kmax);
        l.h = (uint32_t)erg_rng_range(&r, l.k, 8);
        l.w = (uint32_t)erg_rng_range(&r, l.k, 8);
        l.cout = (uint32_t)random_channels(&r, p.channels);
        if (kind == 1) {
            l.flags = ERG_BNA_L_FLAGS_THERM;
            l.c = (uint32_t)erg_rng_range(&r, 1, 8);
            c_bin = 0;
            for (uint32_t k = 0; k < l.c; k++) {
                int room = p.channels - c_bin < 255 ? p.channels - c_bin : 255;
                levels[k] = (int)erg_rng_range(&r, k == 0 ? 1 : 0, room / 2 > 1 ? room / 2 : room);
                c_bin += levels[k];
                if (k < 4)
                    l.therm0 |= (uint32_t)levels[k] << (8 * k);
                else
                    l.therm1 |= (uint32_t)levels[k] << (8 * (k - 4));
            }
        } else {
            l.c = (uint32_t)random_channels(&r, p.channels);
            c_bin = (int)l.c;
        }
    } else if (kind == 2) {
        l.op = ERG_BNA_OP_MAXPOOL;
        l.k = (uint32_t)erg_rng_range(&r, 1, kmax);
        l.h = (uint32_t)erg_rng_range(&r, l.k, 9);
        l.w = (uint32_t)erg_rng_range(&r, l.k, 9);
        l.c = (uint32_t)random_channels(&r, p.channels);
        c_bin = (int)l.c;
    } else {
        l.op = ERG_BNA_OP_DENSE;
        l.flags = kind == 4 ? ERG_BNA_L_FLAGS_OUT_DOTS : 0;
        l.k = (uint32_t)pick_kernel(&r, p.kernels, kmax);
        l.h = (uint32_t)erg_rng_range(&r, 1, 6);
        l.w = (uint32_t)erg_rng_range(&r, 1, 6);
        l.c = (uint32_t)random_channels(&r, p.channels < 200 ? p.channels : 200);
        l.cout = (uint32_t)random_channels(&r, p.channels < 80 ? p.channels : 80);
        c_bin = (int)l.c;
    }
    int h = (int)l.h, w = (int)l.w, k = (int)l.k, cout = (int)l.cout;
    int ho = l.op == ERG_BNA_OP_CONV ? h - k + 1 : l.op == ERG_BNA_OP_MAXPOOL ? (h - k) / k + 1 : 1;
    int wo = l.op == ERG_BNA_OP_CONV ? w - k + 1 : l.op == ERG_BNA_OP_MAXPOOL ? (w - k) / k + 1 : 1;
    if (l.op == ERG_BNA_OP_MAXPOOL) cout = c_bin;
    int64_t slot = (c_bin + p.word_bits - 1) / p.word_bits;
    int64_t wpf = l.op == ERG_BNA_OP_CONV ? 1 + (int64_t)k * k * slot
                                          : (kind == 4 ? 0 : 1) + (int64_t)h * w * slot;
    int64_t rows = l.op == ERG_BNA_OP_MAXPOOL ? 1 : (cout + p.banks - 1) / p.banks * wpf;
    p.wsram_bytes = (int64_t)p.banks * (p.word_bits / 8) * (l.wbase + rows);
    erg_bna *u = create(&p);

    /* input map: packed with garbage in the unused bits (the model must mask them) */
    size_t n_pix = (size_t)h * w;
    int pin = l.flags & ERG_BNA_L_FLAGS_THERM ? 1 : erg_bitpack_words(c_bin);
    int8_t *in = malloc(n_pix * (size_t)c_bin);
    uint64_t *packed = malloc(n_pix * (size_t)pin * 8);
    if (l.flags & ERG_BNA_L_FLAGS_THERM) {
        uint8_t *raw = malloc(n_pix * l.c);
        for (size_t i = 0; i < n_pix; i++) {
            packed[i] = erg_rng_u64(&r); /* bytes past c_raw are garbage */
            for (uint32_t ch = 0; ch < l.c; ch++)
                raw[i * l.c + ch] = (uint8_t)(packed[i] >> 8 * ch);
        }
        erg_golden_thermometer(n_pix, (int)l.c, raw, levels, in);
        free(raw);
    } else {
        for (size_t i = 0; i < n_pix * (size_t)c_bin; i++) in[i] = pm1(&r);
        erg_bitpack(n_pix, c_bin, in, packed);
        for (size_t i = 0; i < n_pix * (size_t)pin; i++)
            packed[i] |= erg_rng_u64(&r) & ~erg_bitpack_mask(c_bin, (int)(i % pin));
    }
    uint64_t src_base = l.src ? ERG_BNA_FMAP_B : ERG_BNA_FMAP_A;
    uint64_t dst_base = l.dst ? ERG_BNA_FMAP_B : ERG_BNA_FMAP_A;
    uint8_t *bytes = malloc(n_pix * (size_t)pin * 8);
    for (size_t i = 0; i < n_pix * (size_t)pin; i++)
        for (int b = 0; b < 8; b++) bytes[8 * i + b] = (uint8_t)(packed[i] >> 8 * b);
    erg_bna_burst_write(u, src_base, bytes, n_pix * (size_t)pin * 8);
    /* destination full of garbage: the layer must overwrite whole output words */
    uint8_t *junk = malloc(8 * 1024), *after = malloc(8 * 1024);
    for (int i = 0; i < 8 * 1024; i++) junk[i] = (uint8_t)erg_rng_u64(&r);
    erg_bna_burst_write(u, dst_base, junk, 8 * 1024);

    /* weights and thresholds */
    int n_in = l.op == ERG_BNA_OP_CONV ? k * k * c_bin : h * w * c_bin;
    int8_t *wt = malloc((size_t)cout * n_in);
    int32_t *thr = malloc(sizeof(int32_t) * cout);
    uint8_t *flip = malloc((size_t)cout);
    wimage im = {&p, rows, calloc((size_t)(p.banks * rows * (p.word_bits / 8)), 1)};
    for (int o = 0; o < cout && l.op != ERG_BNA_OP_MAXPOOL; o++) {
        thr[o] = (int32_t)erg_rng_range(&r, -n_in - 2, n_in + 2);
        if (erg_rng_range(&r, 0, 9) == 0) thr[o] = erg_rng_range(&r, 0, 1) ? -32768 : 32767;
        flip[o] = (uint8_t)erg_rng_range(&r, 0, 1);
        int64_t first = 0;
        if (!(kind == 4)) wthreshold(&im, o, wpf, thr[o], flip[o]), first = p.word_bits;
        for (int i = 0; i < n_in; i++) wt[(size_t)o * n_in + i] = pm1(&r);
        if (l.op == ERG_BNA_OP_CONV) { /* slot s = kh K + kw, channels from the slot's start */
            for (int s = 0; s < k * k; s++)
                for (int ch = 0; ch < c_bin; ch++)
                    if (wt[(size_t)o * n_in + s * c_bin + ch] > 0)
                        wbit(&im, o, wpf, first + s * slot * p.word_bits + ch);
        } else { /* tiles row-major, in-range pixels row-major inside a tile */
            int64_t s = 0;
            for (int ty = 0; ty < h; ty += k)
                for (int tx = 0; tx < w; tx += k)
                    for (int y = ty; y < ty + k && y < h; y++)
                        for (int x = tx; x < tx + k && x < w; x++, s++)
                            for (int ch = 0; ch < c_bin; ch++)
                                if (wt[(size_t)o * n_in + ((size_t)y * w + x) * c_bin + ch] > 0)
                                    wbit(&im, o, wpf, first + s * slot * p.word_bits + ch);
        }
    }
    wstore(u, &im, l.wbase);

    run_ok(u, &l);

    /* golden */
    int n_out = ho * wo * cout;
    int32_t *dot = malloc(sizeof(int32_t) * (size_t)n_out);
    int8_t *gout = malloc((size_t)n_out);
    if (l.op == ERG_BNA_OP_CONV) {
        erg_conv_geom g;
        erg_error err;
        cr_assert_eq(erg_conv_geom_init(&g, h, w, c_bin, k, k, 1, 0, cout, &err), 0);
        erg_golden_bconv2d(&g, in, wt, -1, dot);
        erg_golden_bn_sign((size_t)ho * wo, cout, dot, thr, flip, gout);
    } else if (l.op == ERG_BNA_OP_MAXPOOL) {
        erg_pool_geom g;
        erg_error err;
        cr_assert_eq(erg_pool_geom_init(&g, h, w, c_bin, k, k, &err), 0);
        erg_golden_maxpool_b(&g, in, gout);
    } else {
        erg_golden_bdense(n_in, cout, in, wt, dot);
        if (kind == 3) erg_golden_bn_sign(1, cout, dot, thr, flip, gout);
    }
    if (kind == 4) {
        for (int o = 0; o < cout; o++)
            cr_expect_eq((int32_t)erg_bna_read32(u, ERG_BNA_OUT_BASE + 4 * (uint64_t)o), dot[o],
                         "seed %llu: OUT[%d]", (unsigned long long)seed, o);
    } else {
        int pout = erg_bitpack_words(cout);
        size_t words = (size_t)ho * wo * pout;
        uint64_t *want = malloc(words * 8);
        erg_bitpack((size_t)ho * wo, cout, gout, want);
        erg_bna_burst_read(u, dst_base, after, 8 * 1024);
        for (size_t i = 0; i < words; i++) {
            uint64_t got = 0;
            for (int b = 0; b < 8; b++) got |= (uint64_t)after[8 * i + b] << 8 * b;
            cr_expect_eq(got, want[i], "seed %llu: op %u word %zu: got %016llx want %016llx",
                         (unsigned long long)seed, l.op, i, (unsigned long long)got,
                         (unsigned long long)want[i]);
        }
        cr_expect(memcmp(after + 8 * words, junk + 8 * words, 8 * 1024 - 8 * words) == 0,
                  "seed %llu: bytes past the output map changed", (unsigned long long)seed);
        free(want);
    }
    /* the counter equations hold together: every cycle is a stall, active or gated cycle */
    const erg_counters *c = erg_bna_counters(u);
    cr_expect_eq(c->v[ERG_CNT_cycles], c->v[ERG_CNT_stall_cycles] + c->v[ERG_CNT_active_cycles] +
                                           c->v[ERG_CNT_gated_cycles]);
    cr_expect_eq(erg_bna_now(u), c->v[ERG_CNT_cycles]);
    free(in), free(packed), free(bytes), free(junk), free(after), free(wt), free(thr), free(flip);
    free(im.bytes), free(dot), free(gout);
    erg_bna_free(u);
}

Test(bna_golden, matches_golden_on_300_random_layers) {
    for (uint64_t i = 0; i < 300; i++) random_layer_matches_golden(erg_rng_derive(0xB4A, i));
}

Test(bna_golden, computes_a_hand_checked_2x2_conv) {
    /* 2x2x1 input (+1 -1 / -1 +1), one 2x2 filter (+1 +1 / -1 +1): dot = 1 - 1 + 1 + 1 = 2.
     * tau = 2, flip 0 -> +1; a second filter equal but with flip and tau = 1 -> -1 (2 > 1). */
    erg_bna_params p = binareye();
    erg_bna *u = create(&p);
    erg_bna_write32(u, ERG_BNA_FMAP_A + 0, 1); /* pixel (0,0) channel 0 = +1 */
    erg_bna_write32(u, ERG_BNA_FMAP_A + 24, 1);
    /* filter 0: bank 0 row 0 = threshold 2; rows 1..4 = slots (kh, kw) */
    erg_bna_write32(u, ERG_BNA_WSRAM + 0, 2);
    erg_bna_write32(u, ERG_BNA_WSRAM + 32, 1);
    erg_bna_write32(u, ERG_BNA_WSRAM + 64, 1);
    erg_bna_write32(u, ERG_BNA_WSRAM + 128, 1);
    /* filter 1: bank 1 */
    uint64_t b1 = ERG_BNA_WSRAM + 326 * 1024 / 2;
    erg_bna_write32(u, b1 + 0, 1u | 1u << 16);
    erg_bna_write32(u, b1 + 32, 1);
    erg_bna_write32(u, b1 + 64, 1);
    erg_bna_write32(u, b1 + 128, 1);
    run_ok(u, &(layer){.op = ERG_BNA_OP_CONV, .h = 2, .w = 2, .c = 1, .cout = 2, .k = 2, .dst = 1});
    cr_expect_eq(erg_bna_read32(u, ERG_BNA_FMAP_B), 1u);
    erg_bna_free(u);
}
