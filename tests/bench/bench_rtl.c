/* bench_rtl.c — C model vs RTL (Verilator, fast build) on the same layer through the same
 * driver, for the BNA (a BinarEye layer) and the AMAC unit (an int8 conv on amac8): simulated
 * cycles per wall-clock second of each, and their ratio. Also checks that both give the same
 * cycle count and output. Run by scripts/bench.sh (docs/bench.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "backend_rtl.h"
#include "bench_common.h"
#include "erg_amac_driver.h"
#include "erg_driver.h"
#include "erg_regs.h"
#include "erg_regs_amac.h"
#include "erg_rng.h"

/* One run of the layer on a backend (a bench_work_fn); c holds the last run's counters. */
typedef struct layer_run {
    erg_backend *be;
    const erg_drv_bna_info *info;
    const erg_drv_layer *l;
    erg_counters c;
    erg_error *err;
} layer_run;

static int run_layer(void *ctx) {
    layer_run *r = ctx;
    return erg_drv_run_layer(&r->be->bus, r->info, r->l, 1ull << 30, &r->c, r->err);
}

/* Runs the layer repeatedly for at least min_s seconds; returns simulated cycles per second. */
static double cycles_per_s(erg_backend *be, const erg_drv_bna_info *info, const erg_drv_layer *l,
                           double min_s, uint64_t *cycles, erg_error *err) {
    layer_run r = {be, info, l, {{0}}, err};
    double t = bench_time_per_call(run_layer, &r, min_s);
    if (t < 0) return -1;
    *cycles = r.c.v[ERG_CNT_cycles];
    return (double)r.c.v[ERG_CNT_cycles] / t;
}

/* ---- the AMAC unit ---- */

typedef struct amac_run {
    erg_backend *be;
    const erg_drv_amac_info *info;
    const erg_drv_amac_layer *l;
    erg_drv_amac_counters c;
    erg_error *err;
} amac_run;

static int run_amac_layer(void *ctx) {
    amac_run *r = ctx;
    return erg_drv_amac_run_layer(&r->be->bus, r->info, r->l, 1ull << 30, &r->c, r->err);
}

static uint64_t fnv(const uint8_t *p, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* conv 3x3 same, 14x14x32 -> 14x14x64, requantized, with the set's multiplier 1 (amac8: loa6),
 * on the C model and the RTL of amac8; prints both rates; 0 when cycles and outputs agree. */
static int bench_amac(double min_s) {
    erg_error err;
    erg_chip chip;
    if (erg_chip_load(&chip, "configs/chips/amac8.cfg", &err)) {
        fprintf(stderr, "bench_rtl: %s\n", err.msg);
        return 2;
    }
    const char *names[2] = {"cmodel", "rtl"};
    double rate[2];
    uint64_t cyc[2], out_hash[2];
    erg_drv_amac_layer l = {.kind = ERG_AMAC_KIND_CONV,
                            .in_h = 14,
                            .in_w = 14,
                            .in_c = 32,
                            .out_c = 64,
                            .k_h = 3,
                            .k_w = 3,
                            .stride = 1,
                            .pad = ERG_AMAC_PAD_SAME,
                            .flags = ERG_AMAC_L_FLAGS_BIAS | ERG_AMAC_L_FLAGS_REQUANT,
                            .in_addr = 0,
                            .w_addr = 0x2000,
                            .bias_addr = 0x8000,
                            .m0_addr = 0x8100,
                            .shift_addr = 0x8200,
                            .out_addr = 0x9000,
                            .zp = 128,
                            .mul = 1};
    size_t in_n = 14 * 14 * 32, w_n = 64 * 9 * 32, out_n = 14 * 14 * 64;
    uint8_t *buf = malloc(w_n > out_n ? w_n : out_n);
    for (int b = 0; b < 2; b++) {
        erg_backend *be = erg_backend_create(names[b], &chip, NULL, &err);
        erg_drv_amac_info info;
        if (!be || erg_drv_amac_probe(&be->bus, chip.units[0].base, &info, &err)) {
            fprintf(stderr, "bench_rtl: %s\n", err.msg);
            return 2;
        }
        erg_rng r;
        erg_rng_seed(&r, 11);
        int32_t bias[64], m0[64], shift[64];
        for (int c = 0; c < 64; c++)
            bias[c] = (int32_t)erg_rng_range(&r, -5000, 5000), m0[c] = 1 << 30, shift[c] = 9;
        for (size_t i = 0; i < in_n; i++) buf[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        int bad = erg_drv_amac_write(&be->bus, &info, l.in_addr, buf, in_n, &err);
        for (size_t i = 0; i < w_n; i++) buf[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        bad |= erg_drv_amac_write(&be->bus, &info, l.w_addr, buf, w_n, &err);
        bad |= erg_drv_amac_write_i32(&be->bus, &info, l.bias_addr, bias, 64, &err);
        bad |= erg_drv_amac_write_i32(&be->bus, &info, l.m0_addr, m0, 64, &err);
        bad |= erg_drv_amac_write_i32(&be->bus, &info, l.shift_addr, shift, 64, &err);
        amac_run run = {be, &info, &l, {{0}}, &err};
        double t = bad ? -1 : bench_time_per_call(run_amac_layer, &run, min_s);
        if (t < 0 || erg_drv_amac_read(&be->bus, &info, l.out_addr, buf, out_n, &err)) {
            fprintf(stderr, "bench_rtl: %s: %s\n", names[b], err.msg);
            return 2;
        }
        cyc[b] = run.c.v[ERG_AMAC_CNT_cycles];
        rate[b] = (double)cyc[b] / t;
        out_hash[b] = fnv(buf, out_n);
        erg_backend_destroy(be);
    }
    free(buf);
    int same = cyc[0] == cyc[1] && out_hash[0] == out_hash[1];
    printf("layer: conv 3x3 same, 14x14x32 -> 14x14x64, requantized, loa6, on amac8 (%llu "
           "cycles)\n",
           (unsigned long long)cyc[0]);
    printf("same cycles and outputs: %s\n", same ? "yes" : "NO");
    printf("AMAC C model: %.3g simulated cycles/s\n", rate[0]);
    printf("AMAC RTL (Verilator, 8x8 PEs with 8 multipliers each): %.3g simulated cycles/s\n",
           rate[1]);
    printf("ratio AMAC C model / RTL: %.0f\n", rate[0] / rate[1]);
    return same ? 0 : 1;
}

int main(int argc, char **argv) {
    double min_s = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 0.05 : 2.0;
    erg_error err;
    erg_chip chip;
    if (erg_chip_load(&chip, "configs/chips/binareye.cfg", &err)) {
        fprintf(stderr, "bench_rtl: %s\n", err.msg);
        return 2;
    }
    const char *names[2] = {"cmodel", "rtl"};
    double rate[2];
    uint64_t cyc[2];
    uint64_t out_hash[2];
    /* conv 2x2, 30x30x256 -> 29x29x256: 4 groups of 64 neurons, every neuron busy */
    erg_drv_layer l = {0};
    l.op = ERG_BNA_OP_CONV;
    l.in_h = l.in_w = 30;
    l.in_c = l.out_c = 256;
    l.k = 2;
    l.dst = 1;
    for (int b = 0; b < 2; b++) {
        erg_backend *be = erg_backend_create(names[b], &chip, NULL, &err);
        erg_drv_bna_info info;
        if (!be || erg_drv_bna_probe(&be->bus, chip.units[0].base, &info, &err)) {
            fprintf(stderr, "bench_rtl: %s\n", err.msg);
            return 2;
        }
        /* random weights (+-1) and a random input map, the same on both backends */
        erg_drv_wimage im;
        erg_drv_wimage_alloc(&im, &info, &err);
        erg_rng r;
        erg_rng_seed(&r, 7);
        for (size_t i = 0; i < im.size; i++) im.bytes[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        erg_drv_load_weights(&be->bus, &info, &im);
        erg_drv_wimage_free(&im);
        size_t words = 30 * 30 * 4;
        uint64_t *map = malloc(words * 8);
        for (size_t i = 0; i < words; i++) map[i] = erg_rng_u64(&r);
        be->bus.burst_write(be->bus.ctx, info.base + ERG_BNA_FMAP_A, map, words * 8);
        rate[b] = cycles_per_s(be, &info, &l, min_s, &cyc[b], &err);
        if (rate[b] < 0) {
            fprintf(stderr, "bench_rtl: %s: %s\n", names[b], err.msg);
            return 2;
        }
        size_t out_words = 29 * 29 * 4;
        be->bus.burst_read(be->bus.ctx, info.base + ERG_BNA_FMAP_B, map, out_words * 8);
        out_hash[b] = 1469598103934665603ull;
        for (size_t i = 0; i < out_words; i++)
            out_hash[b] = (out_hash[b] ^ map[i]) * 1099511628211ull;
        free(map);
        erg_backend_destroy(be);
    }
    printf("layer: conv 2x2, 30x30x256 -> 29x29x256 on BinarEye (%llu cycles)\n",
           (unsigned long long)cyc[0]);
    printf("same cycles and outputs: %s\n",
           cyc[0] == cyc[1] && out_hash[0] == out_hash[1] ? "yes" : "NO");
    printf("C model: %.3g simulated cycles/s\n", rate[0]);
    printf("RTL (Verilator, -O3 --x-assign fast --x-initial fast, 1 thread): %.3g simulated "
           "cycles/s\n",
           rate[1]);
    printf("ratio C model / RTL: %.1f (goal >= 10)\n", rate[0] / rate[1]);
    int bna_same = cyc[0] == cyc[1] && out_hash[0] == out_hash[1];
    printf("\n");
    int amac = bench_amac(min_s);
    return amac == 2 ? 2 : bna_same && amac == 0 ? 0 : 1;
}
