/* test_estimate.c — the analytic estimator (energy/erg_estimate.c, docs/estimate.md): one layer
 * priced by hand on a small 45 nm platform, the rules it follows (bits, dataflows, homes,
 * re-streaming, word rounding, bandwidth), the QNN family generator, and refusals. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "erg_estimate.h"
#include "platform.h"
#include "qnn.h"
#include "tech.h"

/* Horowitz's 45 nm table at 0.9 V (configs/tech/45nm.cfg), a 2 x 2 OS array, registers, an
 * 8 KiB buffer (10 pJ per 64-bit read: 0.15625 pJ/bit; writes x 1.2 = 0.1875 pJ/bit) that holds
 * no weights (filter part 1 byte), and a DRAM (1950 pJ per 64-bit word). No clock flip-flops,
 * no area (no leakage). */
static erg_est_platform small_platform(void) {
    erg_est_platform p;
    memset(&p, 0, sizeof p);
    erg_error err = {{0}};
    char path[512];
    snprintf(path, sizeof path, "%s/configs/tech/45nm.cfg", ERG_SRC_DIR);
    cr_assert_eq(erg_tech_load(&p.tech, path, &err), 0, "%s", err.msg);
    snprintf(p.name, sizeof p.name, "small");
    p.volt = 0.9, p.freq_hz = 1e8, p.scale = 1;
    p.rows = p.cols = 2;
    p.dataflow = ERG_EST_OS;
    p.n_levels = 3;
    p.levels[0] = (erg_est_level){.name = "regs", .kind = ERG_EST_REG};
    p.levels[1] = (erg_est_level){.name = "buf",
                                  .kind = ERG_EST_SRAM,
                                  .bytes = 8192,
                                  .word_bits = 64,
                                  .ifmap_bytes = 1024,
                                  .filter_bytes = 1,
                                  .ofmap_bytes = 1024};
    p.levels[2] = (erg_est_level){.name = "dram", .kind = ERG_EST_DRAM, .word_bits = 64};
    cr_assert_eq(erg_est_platform_init(&p, &err), 0, "%s", err.msg);
    return p;
}

static erg_est_layer dense_4_2(void) {
    erg_est_layer l = {.name = "fc",
                       .kind = ERG_EST_DENSE,
                       .in_h = 1,
                       .in_w = 1,
                       .in_c = 4,
                       .out_h = 1,
                       .out_w = 1,
                       .out_c = 2,
                       .weight_bits = 8,
                       .act_bits = 8,
                       .out_bits = 32};
    return l;
}

#define PJ 1e-12
#define NEAR(a, b) near_eq((a), (double)(b))
static int near_eq(double a, double b) {
    return fabs(a - b) <= 1e-9 * fabs(b) + 1e-21;
}

Test(estimate, a_dense_layer_priced_by_hand) {
    erg_est_platform p = small_platform();
    erg_est_layer l = dense_4_2();
    erg_est_result r;
    erg_error err = {{0}};
    int wh, ah;
    /* 8 bytes of weights fit no SRAM part (1 byte): DRAM; 4 + 8 bytes of maps fit the buffer */
    cr_assert_eq(erg_est_homes(&p, 8, 12, &wh, &ah, &err), 0, "%s", err.msg);
    cr_assert_eq(wh, 2);
    cr_assert_eq(ah, 1);
    cr_assert_eq(erg_est_layer_energy(&p, &l, wh, ah, &r, &err), 0, "%s", err.msg);
    /* M = 1, N = 2, K = 4: 8 MACs; accumulator 8 + 8 + log2(4) = 18 bits.
     * arithmetic: 8 x (mul8 0.2 + add32 0.1 x 18/32) + 2 outputs x a bias add (int32 scores,
     *   add32 0.1) = 8 x 0.25625 + 0.2 = 2.25 pJ */
    cr_expect(NEAR(r.macs, 8));
    cr_expect(NEAR(r.arith, 2.25 * PJ), "arith %g", r.arith);
    /* registers (OS): per MAC both operands and the accumulator, 8 + 8 + 18 = 34 bits x ff_write
     *   0.00375 pJ: 8 x 34 x 0.00375 = 1.02 pJ */
    cr_expect(NEAR(r.level[0], 1.02 * PJ), "regs %g", r.level[0]);
    /* folds: Sr = M = 1, Sc = N = 2, T = K = 4 on 2 x 2: 1 fold; cycles = 1 x 4 + Sr nc + Sc nr
     *   = 4 + 1 + 2 = 7 */
    cr_expect(NEAR(r.cycles, 7), "cycles %g", r.cycles);
    /* buffer: the input (one 32-bit vector: a 64-bit word) once per column fold (1) and the two
     *   32-bit filter rows (2 words) once per row fold (1): 192 bits read x 0.15625 = 30 pJ;
     *   the outputs (one 64-bit vector) written, 64 x 0.1875 = 12 pJ; the weights filled from
     *   DRAM, 128 bits written, 24 pJ: 66 pJ. The weights do not fit the filter part, the input
     *   does not move (it lives in the buffer): no re-streaming. */
    cr_expect(NEAR(r.level[1], 66 * PJ), "buffer %g", r.level[1]);
    cr_expect(NEAR(r.level_bits[1], 192 + 64 + 128), "buffer bits %g", r.level_bits[1]);
    /* DRAM: the two weight rows, 2 words x 1950 pJ = 3900 pJ */
    cr_expect(NEAR(r.level[2], 3900 * PJ), "dram %g", r.level[2]);
    cr_expect(NEAR(r.clock, 0) && NEAR(r.leak, 0));
    cr_expect(NEAR(r.total, (2.25 + 1.02 + 66 + 3900) * PJ), "total %g", r.total);
}

Test(estimate, arithmetic_scales_with_the_bits_by_horowitz_fit) {
    /* mult(b) = 0.0029948 b^2 + 0.0010417 b: relative to 8 x 8 (0.2000) */
    cr_expect(NEAR(erg_est_mult_rel(8, 8), 1.0));
    double m4 = 0.0029948 * 16 + 0.0010417 * 4, m8 = 0.0029948 * 64 + 0.0010417 * 8;
    cr_expect(NEAR(erg_est_mult_rel(4, 4), m4 / m8), "%g", erg_est_mult_rel(4, 4));
    cr_expect(erg_est_mult_rel(2, 2) < erg_est_mult_rel(4, 4));
    cr_expect(erg_est_mult_rel(16, 16) > 3.9 && erg_est_mult_rel(16, 16) < 4.1);
    /* a binary layer is priced by the tech table's bmac, not by a multiply */
    erg_est_platform p = small_platform();
    erg_est_layer l = dense_4_2();
    l.weight_bits = l.act_bits = 1, l.out_bits = 1;
    erg_est_result r;
    erg_error err = {{0}};
    cr_assert_eq(erg_est_layer_energy(&p, &l, 1, 1, &r, &err), 0, "%s", err.msg);
    /* 8 x bmac 0.009375 + 2 x thr16 0.06 */
    cr_expect(NEAR(r.arith, (8 * 0.009375 + 2 * 0.06) * PJ), "%g", r.arith);
}

Test(estimate, a_map_too_big_for_the_buffer_is_restreamed_in_the_cheaper_order) {
    erg_est_platform p = small_platform();
    p.levels[1].ifmap_bytes = 16, p.levels[1].filter_bytes = 16;
    erg_error err = {{0}};
    cr_assert_eq(erg_est_platform_init(&p, &err), 0);
    /* dense 64 -> 8, 8-bit: input 512 bits = 4 x the 128-bit ifmap part, weights 4096 bits =
     * 32 x the filter part. Both from DRAM: groups outer = 32 x 512 + 4096 = 20480 bits, bands
     * outer = 512 + 4 x 4096 = 16896: bands outer, the weights streamed 4 times:
     * DRAM reads = 512 (input, 8 words) + 4 x 8 rows x 512 bits = 16896 bits = 264 words */
    erg_est_layer l = dense_4_2();
    l.in_c = 64, l.out_c = 8;
    erg_est_result r;
    cr_assert_eq(erg_est_layer_energy(&p, &l, 2, 2, &r, &err), 0, "%s", err.msg);
    /* + the outputs written to DRAM: 8 x 32 = 256 bits */
    cr_expect(NEAR(r.level_bits[2], 16896 + 256), "dram bits %g", r.level_bits[2]);
}

Test(estimate, vectors_take_whole_words_and_bandwidth_bounds_the_cycles) {
    erg_est_platform p = small_platform();
    p.levels[2].bytes_per_cycle = 1;
    erg_error err = {{0}};
    cr_assert_eq(erg_est_platform_init(&p, &err), 0);
    erg_est_layer l = dense_4_2();
    erg_est_result r;
    cr_assert_eq(erg_est_layer_energy(&p, &l, 2, 1, &r, &err), 0, "%s", err.msg);
    /* DRAM moves the 2 weight rows as 2 words (128 bits, though they hold 64): 16 bytes at
     * 1 byte/cycle = 16 cycles > the 7 of the array */
    cr_expect(NEAR(r.level_bits[2], 128), "%g", r.level_bits[2]);
    cr_expect(NEAR(r.cycles, 16), "%g", r.cycles);
}

Test(estimate, refuses_what_it_cannot_price) {
    erg_est_platform p = small_platform();
    erg_est_layer l = dense_4_2();
    l.weight_bits = 3;
    erg_est_result r;
    erg_error err = {{0}};
    cr_expect_eq(erg_est_layer_energy(&p, &l, 2, 1, &r, &err), -1);
    cr_expect(strstr(err.msg, "3-bit weights") && strstr(err.msg, "1, 2, 4, 8 and 16"), "%s",
              err.msg);
    /* a platform without DRAM whose SRAM cannot hold the weights */
    p.n_levels = 2;
    int wh, ah;
    cr_expect_eq(erg_est_homes(&p, 1e6, 10, &wh, &ah, &err), -1);
    cr_expect(strstr(err.msg, "no memory level holds the net's 1000000 bytes of weights"), "%s",
              err.msg);
}

Test(estimate, the_qnn_family_has_its_shape_at_every_width) {
    erg_qnn_spec q;
    erg_error err = {{0}};
    cr_assert_eq(erg_qnn_parse("bits=4,nl=2,nf=8:16:32", &q, &err), 0, "%s", err.msg);
    erg_net net;
    cr_assert_eq(erg_qnn_load(&net, &q, &err), 0, "%s", err.msg);
    /* 3 blocks x (2 convs + pool), flatten, dense: 11 layers; 28 -> 14 -> 7 -> 3 */
    cr_assert_eq(net.n_layers, 11);
    cr_expect_eq(net.layers[0].act_bits, 8, "the first layer takes the 8-bit image");
    cr_expect_eq(net.layers[1].act_bits, 4);
    cr_expect_eq(net.layers[1].weight_bits, 4);
    cr_expect_eq(net.layers[10].in.c, 3 * 3 * 32);
    /* MACs: b1 28x28x(1x8 + 8x8)x9, b2 14x14x(8x16 + 16x16)x9, b3 7x7x(16x32 + 32x32)x9, fc 288x10
     *   = 508032 + 677376 + 677376 + 2880 = 1865664 */
    cr_expect_eq(net.macs, 1865664, "%lld", (long long)net.macs);
    erg_net_free(&net);
    cr_expect_eq(erg_qnn_parse("bits=3,nl=1,nf=8", &q, &err), -1);
    cr_expect(strstr(err.msg, "1, 2, 4, 8 and") != NULL, "%s", err.msg);
    cr_expect_eq(erg_qnn_parse("bits=4,nl=1,nf=8:16", &q, &err), -1);
    cr_expect_eq(erg_qnn_parse("bits=4,nl=1", &q, &err), -1);
    cr_expect(strstr(err.msg, "needs bits, nl and nf") != NULL, "%s", err.msg);
}

Test(estimate, a_binary_qnn_runs_binary_after_its_first_layer) {
    erg_qnn_spec q;
    erg_error err = {{0}};
    cr_assert_eq(erg_qnn_parse("bits=1,nl=1,nf=16", &q, &err), 0);
    erg_net net;
    cr_assert_eq(erg_qnn_load(&net, &q, &err), 0, "%s", err.msg);
    cr_expect_eq(net.layers[0].out_kind, ERG_V_BIN);
    cr_expect_eq(net.layers[2].in_kind, ERG_V_BIN);
    erg_net_free(&net);
}
