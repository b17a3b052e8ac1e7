/* test_fwfe_ppa.c — the DeepFreeze-style analytic PPA estimate of a fixed-weight chain
 * (energy/erg_fwfe_ppa.h, sim/fwfe_net.h, docs/fwfe.md "PPA"), on layers derived by hand. */
#include <criterion/criterion.h>
#include <string.h>

#include "fwfe_net.h"

/* 3x3x1 input, 2x2 valid kernel, one output channel, w = [[3, 0], [-1, 64]], bias 5 (the tiny
 * layer of test_fwfe.c: 3 non-zero weights, tree registers 66 bits, window 32 bits, one line
 * buffer of 3 x 8 = 24 bits, 9 beats in, 4 outputs). */
static const int8_t tiny_w[4] = {3, 0, -1, 64};
static const int32_t tiny_bias[1] = {5}, tiny_m0[1] = {1 << 30}, tiny_shift[1] = {2};

Test(fwfe_ppa, tiny_layer_by_hand) {
    erg_fwfe_layer l;
    memset(&l, 0, sizeof l);
    erg_error err;
    cr_assert_eq(erg_conv_geom_init(&l.geom, 3, 3, 1, 2, 2, 1, 0, 1, &err), 0, "%s", err.msg);
    l.name = "tiny";
    l.type = "conv2d";
    l.w = tiny_w;
    l.bias = tiny_bias;
    l.m0 = tiny_m0;
    l.shift = tiny_shift;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_stats st;
    erg_fwfe_timing(f, &st);
    erg_fwfe_ppa p, t;
    erg_fwfe_ppa_chain(f, &p, &t);
    /* multiplier bits: 3 non-zero weights x 8 x 8 = 192; storage 24 + 32 + 66 = 122 bits */
    cr_assert_eq(p.mul_bits, 192);
    cr_assert_eq(p.storage_bits, 122);
    /* area 192 x 2.05e-7 + 122 x 1.62e-6 = 3.936e-5 + 1.9764e-4 = 2.37e-4 mm^2 */
    cr_assert_float_eq(p.area_mm2, 2.37e-4, 1e-12);
    /* power 192 x 5.79e-8 + 122 x 4.0e-7 = 1.11168e-5 + 4.88e-5 = 5.99168e-5 W */
    cr_assert_float_eq(p.power_w, 5.99168e-5, 1e-14);
    /* energy (4 outputs x 1.11168e-5 + 9 beats x 4.88e-5) / 810e6 = 4.836672e-4 / 810e6 */
    cr_assert_float_eq(p.energy_j, 4.836672e-4 / 810e6, 1e-20);
    /* ops 2 x (2 x 2 outputs x 2 x 2 taps) = 32; TOPS/W = 32 / 5.9712e-13 / 1e12 = 53.59 */
    cr_assert_float_eq(p.ops, 32.0, 0);
    cr_assert_float_eq(p.tops_per_w, 32.0 / (4.836672e-4 / 810e6) / 1e12, 1e-9);
    cr_assert_float_eq(t.energy_j, p.energy_j, 0);
    erg_fwfe_free(f);
}

/* A depthwise 3x3 layer counts k_h k_w MACs per output and channel, not x in_c. 4x4x2 input,
 * same padding, all weights 1: 18 non-zero weights; ops 2 x 16 outputs x 2 channels x 9 = 576. */
Test(fwfe_ppa, depthwise_macs_and_zero_weights) {
    static const int8_t w[18] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const int32_t m0[2] = {1 << 30, 1 << 30}, sh[2] = {3, 3};
    erg_fwfe_layer l;
    memset(&l, 0, sizeof l);
    erg_error err;
    cr_assert_eq(erg_conv_geom_init(&l.geom, 4, 4, 2, 3, 3, 1, 1, 2, &err), 0, "%s", err.msg);
    l.name = "dw";
    l.type = "depthwise";
    l.w = w;
    l.m0 = m0;
    l.shift = sh;
    erg_fwfe *f = erg_fwfe_build(&l, 1, &err);
    cr_assert_not_null(f, "%s", err.msg);
    erg_fwfe_ppa p;
    erg_fwfe_ppa_chain(f, &p, NULL);
    cr_assert_eq(p.mul_bits, 18 * 64);
    cr_assert_float_eq(p.ops, 576.0, 0);
    erg_fwfe_free(f);
}
