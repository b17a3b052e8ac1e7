/* test_amac_chip.c — an int8 network on a chip's AMAC unit (docs/amac-chip.md):
 *  - configs/chips/amac8.cfg loads with the parameters it states (multipliers resolved to
 *    built-in ids, relative energies in order);
 *  - fmnist-int8 on the C model of amac8, at every op point, gives the golden runner's scores at
 *    that point bit for bit (layer outputs through the driver, pooling on the host), switching
 *    points on one runner (weights loaded once, only L_MUL changes);
 *  - each layer's cycles and DRAM bytes equal the hand derivation from docs/amac-array.md;
 *  - the mapper refuses what the unit cannot run, naming the layer. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amac_run.h"
#include "chip.h"
#include "erg_amul.h"
#include "erg_array.h"
#include "golden_run.h"
#include "net.h"
#include "weights.h"

#define CHIP "configs/chips/amac8.cfg"
#define FMNIST "configs/nets/fmnist_int8.cfg"
#define SLICE "tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz"

static void setup(erg_chip *chip, erg_net *net, erg_weights *wt) {
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    cr_assert_eq(erg_chip_load(chip, CHIP, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_net_load(net, FMNIST, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(wt, net, &err), 0, "%s", err.msg);
}

static int layer(const erg_net *net, const char *name) {
    for (int i = 0; i < net->n_layers; i++)
        if (strcmp(net->layers[i].name, name) == 0) return i;
    cr_assert_fail("no layer %s", name);
    return -1;
}

Test(amac_chip, amac8_config_parameters) {
    erg_chip chip;
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    cr_assert_eq(erg_chip_load(&chip, CHIP, &err), 0, "%s", err.msg);
    cr_assert_eq(chip.n_units, 1);
    const erg_unit_cfg *u = &chip.units[0];
    cr_assert_eq(u->kind, ERG_UNIT_AMAC);
    cr_assert_eq(u->base, 0x80000000u);
    cr_assert_eq(u->size, 256u << 20);
    cr_assert_eq(u->amac.rows, 8);
    cr_assert_eq(u->amac.cols, 8);
    cr_assert_eq(u->amac.dataflow, ERG_MAC_OS);
    cr_assert_eq(u->amac.timing, ERG_MAC_TIMING_ERG);
    cr_assert_eq(u->amac.ifmap_sram_bytes, 4096);
    cr_assert_eq(u->amac.filter_sram_bytes, 4096);
    cr_assert_eq(u->amac.ofmap_sram_bytes, 4096);
    cr_assert_float_eq(u->amac.dram_bytes_per_cycle, 4.0, 0);
    cr_assert_eq(u->amac.lmem_bytes, 1u << 20);
    static const char *const names[] = {"exact", "loa6",   "loa8",   "loa10",
                                        "loa12", "trunc8", "bam3_8", "bam4_10"};
    static const double rel[] = {1.0, 0.761, 0.548, 0.383, 0.280, 0.410, 0.333, 0.165};
    cr_assert_eq(u->amac.n_mul, 8);
    for (int i = 0; i < 8; i++) {
        cr_assert_str_eq(erg_amul_info_of(u->amac.mul_ids[i])->name, names[i]);
        cr_assert_float_eq(u->mul_rel_energy[i], rel[i], 1e-12);
    }
}

/* Every op point of fmnist-int8 on the amac8 C model equals golden at that point, on 30 images
 * of the committed slice; the points are switched on one runner. */
Test(amac_chip, fmnist_int8_every_op_point_matches_golden, .timeout = 120) {
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    setup(&chip, &net, &wt);
    erg_array img;
    erg_error err = {{0}};
    cr_assert_eq(erg_idx_read(SLICE, &img, &err), 0, "%s", err.msg);
    erg_amac_runner ar;
    cr_assert_eq(erg_amac_runner_init(&ar, &net, &wt, &chip, "cmodel", NULL, 0, &err), 0, "%s",
                 err.msg);
    erg_golden_runner gr;
    cr_assert_eq(erg_golden_runner_init(&gr, &net, &wt, &err), 0, "%s", err.msg);
    size_t bytes = (size_t)erg_shape_count(net.input);
    int differ_from_exact = 0;
    int64_t exact_scores[30][10];
    cr_assert_eq(ar.n_scores, 10);
    for (int p = 0; p < net.n_ops; p++) {
        cr_assert_eq(erg_amac_runner_set_op(&ar, p, &err), 0, "%s", err.msg);
        cr_assert_eq(erg_golden_runner_set_op(&gr, p, &err), 0, "%s", err.msg);
        for (int k = 0; k < 30; k++) {
            const uint8_t *im = (const uint8_t *)img.data + (size_t)k * bytes;
            int c1 = erg_amac_runner_run(&ar, im, &err);
            cr_assert_geq(c1, 0, "%s", err.msg);
            int c2 = erg_golden_runner_run(&gr, im);
            cr_assert_eq(c1, c2, "op %s image %d", net.ops[p].name, k);
            for (int s = 0; s < 10; s++) {
                cr_assert_eq(ar.scores[s], gr.scores[s], "op %s image %d score %d", net.ops[p].name,
                             k, s);
                if (p == 0) exact_scores[k][s] = ar.scores[s];
                differ_from_exact += p > 0 && ar.scores[s] != exact_scores[k][s];
            }
        }
    }
    cr_assert_gt(differ_from_exact, 0, "the approximate points changed no score");
    erg_golden_runner_free(&gr);
    erg_amac_runner_free(&ar);
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* Cycles and DRAM bytes per layer on amac8 (R = C = 8, OS, erg timing, 4 KiB buffers, 4 B/cycle),
 * from docs/amac-array.md:
 *  conv1: 28x28x1 -> 16, 3x3 same. M = 784, N = 16, K = 9; OS: Sr = 784, Sc = 16, T = 9;
 *    nr = 98, nc = 2, folds = 196; compute = folds T + 2 Sr nc + Sc nr - 2 folds
 *    = 1764 + 3136 + 1568 - 392 = 6076. DRAM: ifmap 784 (fits), filters 144 (fit), params
 *    16 x (4 bias + 8 m0/shift) = 192, outputs 784 x 16 = 12544 (uint8): 13664 bytes, 3416
 *    cycles < 6076: no stall.
 *  conv2: 14x14x16 -> 32, 3x3 same. M = 196, N = 32, K = 144; nr = 25, nc = 4, folds = 100;
 *    compute = 14400 + 1568 + 800 - 200 = 16568. DRAM: ifmap 3136 (fits), filters 4608 > 4096:
 *    groups of 28 -> 2 groups, one band: 3136 + 4608 = 7744 read; params 384; outputs 6272:
 *    14400 bytes, 3600 cycles: no stall.
 *  fc: dense 1568 -> 10, int32. M = 1, N = 10, K = 1568; nr = 1, nc = 2, folds = 2;
 *    compute = 3136 + 4 + 10 - 4 = 3146. DRAM: ifmap 1568, filters 15680 (groups of 2, one band:
 *    read once), bias 40, outputs 40: 17328 bytes, 4332 cycles > 3146: 1186 stall cycles.
 *  pool1, pool2 run on the host, flat is a view: 0 cycles. Frame: 6076 + 16568 + 4332 = 26976. */
Test(amac_chip, fmnist_int8_cycles_by_hand) {
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    setup(&chip, &net, &wt);
    erg_error err = {{0}};
    erg_amac_runner ar;
    cr_assert_eq(erg_amac_runner_init(&ar, &net, &wt, &chip, "cmodel", NULL, 3, &err), 0, "%s",
                 err.msg);
    uint8_t im[28 * 28];
    for (int i = 0; i < 28 * 28; i++) im[i] = (uint8_t)(i * 7);
    cr_assert_geq(erg_amac_runner_run(&ar, im, &err), 0, "%s", err.msg);
    struct {
        const char *name;
        uint64_t compute, stall, dram_rd, dram_wr, macs;
    } want[] = {{"conv1", 6076, 0, 784 + 144 + 192, 12544, 784ull * 16 * 9},
                {"conv2", 16568, 0, 7744 + 384, 6272, 196ull * 32 * 144},
                {"fc", 3146, 1186, 1568 + 15680 + 40, 40, 15680}};
    uint64_t total = 0;
    for (int k = 0; k < 3; k++) {
        const erg_drv_amac_counters *c = &ar.cnt[layer(&net, want[k].name)];
        cr_assert_eq(c->v[ERG_AMAC_CNT_compute_cycles], want[k].compute, "%s", want[k].name);
        cr_assert_eq(c->v[ERG_AMAC_CNT_stall_cycles], want[k].stall, "%s", want[k].name);
        cr_assert_eq(c->v[ERG_AMAC_CNT_cycles], want[k].compute + want[k].stall, "%s",
                     want[k].name);
        cr_assert_eq(c->v[ERG_AMAC_CNT_dram_rd_bytes], want[k].dram_rd, "%s", want[k].name);
        cr_assert_eq(c->v[ERG_AMAC_CNT_dram_wr_bytes], want[k].dram_wr, "%s", want[k].name);
        cr_assert_eq(c->v[ERG_AMAC_CNT_macs], want[k].macs, "%s", want[k].name);
        total += c->v[ERG_AMAC_CNT_cycles];
    }
    cr_assert_eq(total, 26976);
    for (int k = 0; k < net.n_layers; k++)
        if (ar.l[k].where != ERG_AMAC_ON_UNIT) cr_assert_eq(ar.cnt[k].v[ERG_AMAC_CNT_cycles], 0);
    cr_assert_eq(ar.l[layer(&net, "pool1")].where, ERG_AMAC_ON_HOST);
    cr_assert_eq(ar.l[layer(&net, "flat")].where, ERG_AMAC_VIEW);
    /* op point 3 is eco: conv1 loa6, conv2 bam3_8, fc loa8 (relative energies of amac8.cfg) */
    cr_assert_str_eq(net.ops[3].name, "eco");
    cr_assert_str_eq(erg_amac_runner_mul_name(&ar, layer(&net, "conv2")), "bam3_8");
    cr_assert_float_eq(erg_amac_runner_mul_rel_energy(&ar, layer(&net, "conv1")), 0.761, 1e-12);
    cr_assert_float_eq(erg_amac_runner_mul_rel_energy(&ar, layer(&net, "conv2")), 0.333, 1e-12);
    cr_assert_float_eq(erg_amac_runner_mul_rel_energy(&ar, layer(&net, "fc")), 0.548, 1e-12);
    erg_amac_runner_free(&ar);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* The mapper's refusals name the layer and the limit. */
Test(amac_chip, refusals_name_the_layer) {
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    setup(&chip, &net, &wt);
    erg_error err = {{0}};
    erg_amac_runner ar;
    /* a unit without loa8: op point balanced (conv2 loa8) is refused at set_op */
    erg_chip small = chip;
    small.units[0].amac.n_mul = 2; /* exact, loa6 */
    cr_assert_eq(erg_amac_runner_init(&ar, &net, &wt, &small, "cmodel", NULL, 1, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(erg_amac_runner_set_op(&ar, 2, &err), -1);
    cr_assert(strstr(err.msg, "layer 'conv2' at op point 'balanced': unit 'amac0' has no "
                              "multiplier 'loa8' (its set: exact, loa6"),
              "%s", err.msg);
    cr_assert_eq(ar.op, 1, "a refused point keeps the previous one");
    erg_amac_runner_free(&ar);
    /* too little local memory: the weights of some layer do not fit */
    small = chip;
    small.units[0].amac.lmem_bytes = 40000;
    cr_assert_eq(erg_amac_runner_init(&ar, &net, &wt, &small, "cmodel", NULL, 0, &err), -1);
    cr_assert(strstr(err.msg, "layer 'fc': its weights (15680 bytes) end at byte"), "%s", err.msg);
    /* a binary net (its thermometer-coded input is the first thing the amac unit cannot take) */
    erg_net bnet;
    erg_weights bwt;
    cr_assert_eq(erg_net_load(&bnet, "configs/nets/fmnist_bnn.cfg", &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&bwt, &bnet, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_amac_runner_init(&ar, &bnet, &bwt, &chip, "cmodel", NULL, 0, &err), -1);
    cr_assert(strstr(err.msg, "net 'fmnist-bnn': input encoding (thermometer) is for binary nets"),
              "%s", err.msg);
    erg_weights_free(&bwt);
    erg_net_free(&bnet);
    erg_weights_free(&wt);
    erg_net_free(&net);
}
