/* test_fixynn.c — the FixyNN-style hybrid chip (sim/fixynn.h, docs/fwfe.md "Hybrid system"):
 *  - the two-stage FIFO schedule against hand-derived timelines (back-end slower, front-end
 *    slower, one FIFO slot against two);
 *  - the FWFE energy of a made-up layer against the 28 nm table by hand;
 *  - configs/chips/fixynn_fmnist.cfg: the fwfe unit's keys, kept off the bus;
 *  - fmnist-int8 through the hybrid (conv1 on the FWFE C model, the rest on the amac unit) gives
 *    the golden runner's scores bit for bit; the front-end's 908 cycles (900 a frame back to
 *    back) by hand, the back-end's the plain amac chip's for the same layers; the run's cycles
 *    T_f + F C_b;
 *  - the iso-area chip: its PE budget by hand and its shape;
 *  - what the hybrid refuses, naming the unit or the layer. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erg_array.h"
#include "erg_fwfe_energy.h"
#include "fixynn.h"
#include "golden_run.h"
#include "tech.h"

#define HYBRID "configs/chips/fixynn_fmnist.cfg"
#define AMAC8 "configs/chips/amac8.cfg"
#define FMNIST "configs/nets/fmnist_int8.cfg"
#define SLICE "tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz"

typedef struct {
    uint64_t tf, cb, pf; /* pf = 0: the FWFE's period is its latency tf (no overlap) */
} frame_t;

static erg_fixynn_sched run_sched(int slots, const frame_t *fr, int n) {
    erg_fixynn_sched s;
    erg_error err;
    cr_assert_eq(erg_fixynn_sched_init(&s, slots, &err), 0, "%s", err.msg);
    for (int k = 0; k < n; k++)
        erg_fixynn_sched_frame(&s, fr[k].tf, fr[k].pf ? fr[k].pf : fr[k].tf, fr[k].cb);
    return s;
}

Test(fixynn, schedule_back_end_slower) {
    /* T_f = 5, C_b = 7, one slot: s0 = 0, f0 = 5, b0 = 5, d0 = 12; s1 = max(f0, b0) = 5, f1 = 10,
     * b1 = max(10, 12) = 12, d1 = 19; s2 = max(10, b1 = 12) = 12, f2 = 17, b2 = 19, d2 = 26 =
     * T_f + 3 C_b. The FWFE waits 2 cycles for the slot (frame 2), the back-end 5 (the fill). */
    const frame_t fr[3] = {{5, 7, 0}, {5, 7, 0}, {5, 7, 0}};
    erg_fixynn_sched s = run_sched(1, fr, 3);
    cr_assert_eq(s.end, 26);
    cr_assert_eq(s.front_busy, 15);
    cr_assert_eq(s.back_busy, 21);
    cr_assert_eq(s.front_stall, 2);
    cr_assert_eq(s.back_wait, 5);
    erg_fixynn_sched_free(&s);
}

Test(fixynn, schedule_front_end_slower) {
    /* T_f = 9, C_b = 4: the back-end waits for every map. d = 13, 22, 31 = 3 T_f + C_b; back
     * waits 9 + (18 - 13) + (27 - 22) = 19; the FWFE never waits (each slot is freed when the
     * back-end starts, at f_k). */
    const frame_t fr[3] = {{9, 4, 0}, {9, 4, 0}, {9, 4, 0}};
    erg_fixynn_sched s = run_sched(1, fr, 3);
    cr_assert_eq(s.end, 31);
    cr_assert_eq(s.back_wait, 19);
    cr_assert_eq(s.front_stall, 0);
    erg_fixynn_sched_free(&s);
}

Test(fixynn, schedule_fifo_slots) {
    /* T_f = 2, C_b = 10, four frames. Two slots: s = 0, 2, max(4, b0 = 2) = 4, max(6, b1 = 12)
     * = 12; b = 2, 12, 22, 32; end 42; FWFE stall 12 - 6 = 6. One slot: s = 0, max(2, b0 = 2) =
     * 2, max(4, b1 = 12) = 12, max(14, b2 = 22) = 22; stall 8 + 8 = 16; the same end 42 (the
     * back-end sets the rate either way). */
    const frame_t fr[4] = {{2, 10, 0}, {2, 10, 0}, {2, 10, 0}, {2, 10, 0}};
    erg_fixynn_sched two = run_sched(2, fr, 4), one = run_sched(1, fr, 4);
    cr_assert_eq(two.end, 42);
    cr_assert_eq(two.front_stall, 6);
    cr_assert_eq(one.end, 42);
    cr_assert_eq(one.front_stall, 16);
    erg_fixynn_sched_free(&two);
    erg_fixynn_sched_free(&one);
    erg_fixynn_sched s;
    erg_error err;
    cr_assert_eq(erg_fixynn_sched_init(&s, 0, &err), -1);
    cr_assert(strstr(err.msg, "at least one FIFO slot"), "%s", err.msg);
}

Test(fixynn, schedule_frames_back_to_back_in_the_fwfe) {
    /* T_f = 9, P_f = 6, C_b = 4. Two slots: s = 0, 6, max(12, b0 = 9) = 12; f = 9, 15, 21;
     * b = 9, max(15, 13) = 15, max(21, 19) = 21; end 25 = T_f + 2 P_f + C_b; the back-end waits
     * 9 + 2 + 2 = 13; the FWFE's input is busy 3 x 6 = 18. One slot: s1 = max(6, b0 = 9) = 9
     * (3 cycles for the slot), f1 = 18 = b1, d1 = 22; s2 = max(15, b1 = 18) = 18 (3 more),
     * f2 = 27 = b2, end 31. */
    const frame_t fr[3] = {{9, 4, 6}, {9, 4, 6}, {9, 4, 6}};
    erg_fixynn_sched two = run_sched(2, fr, 3), one = run_sched(1, fr, 3);
    cr_assert_eq(two.end, 25);
    cr_assert_eq(two.back_wait, 13);
    cr_assert_eq(two.front_busy, 18);
    cr_assert_eq(two.front_stall, 0);
    cr_assert_eq(one.end, 31);
    cr_assert_eq(one.front_stall, 6);
    erg_fixynn_sched_free(&two);
    erg_fixynn_sched_free(&one);
}

Test(fixynn, fwfe_energy_by_hand) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    erg_tech t;
    erg_error err;
    cr_assert_eq(erg_tech_load(&t, "configs/tech/28nm.cfg", &err), 0, "%s", err.msg);
    /* 10 adder bits x 2 outputs x fa_bit 0.001942 = 0.03884 pJ; 3 requants x (mul32 1.605 +
     * 2 x add32 0.05178) = 5.12568 pJ; 100 register bits x ff_write 0.001942 = 0.1942 pJ; an
     * 8 KiB line buffer: 16 bits read x 5.178 / 64 + 16 written x 5.178 / 64 x 1.2 = 1.2945 +
     * 1.5534 = 2.8479 pJ; clock 50 flip-flops x 10 cycles x 0.0009708 = 0.4854 pJ; leakage
     * 0.001 W/mm^2 x 1 mm^2 x 10 cycles / 1 GHz = 10 pJ. At the table's 0.9 V, scale 1. */
    erg_fwfe_energy_in in = {.adder_bits = 10,
                             .outputs = 2,
                             .requant_ops = 3,
                             .reg_bits_written = 100,
                             .ff_bits = 50,
                             .lb_bits_read = 16,
                             .lb_bits_written = 16,
                             .lb_bytes = 8192,
                             .cycles = 10};
    erg_energy_breakdown b;
    cr_assert_eq(erg_fwfe_energy_layer(&t, 0.9, 1e9, 1.0, 1.0, &in, &b, &err), 0, "%s", err.msg);
    cr_assert_float_eq(b.part.add, 0.03884e-12, 1e-18);
    cr_assert_float_eq(b.part.requant, 5.12568e-12, 1e-17);
    cr_assert_float_eq(b.compute, 5.16452e-12, 1e-17);
    cr_assert_float_eq(b.regs, 0.1942e-12, 1e-18);
    cr_assert_float_eq(b.sram, 2.8479e-12, 1e-17);
    cr_assert_float_eq(b.clock, 0.4854e-12, 1e-18);
    cr_assert_float_eq(b.leak, 10e-12, 1e-18);
    cr_assert_float_eq(b.total, (5.16452 + 0.1942 + 2.8479 + 0.4854 + 10) * 1e-12, 1e-16);
    /* half the supply: every dynamic part x 0.25, leakage x 0.5 */
    erg_energy_breakdown h;
    cr_assert_eq(erg_fwfe_energy_layer(&t, 0.45, 1e9, 1.0, 1.0, &in, &h, &err), 0, "%s", err.msg);
    cr_assert_float_eq(h.compute, b.compute / 4, 1e-18);
    cr_assert_float_eq(h.leak, b.leak / 2, 1e-18);
    cr_assert_eq(erg_fwfe_energy_layer(&t, 0.9, 0, 1.0, 1.0, &in, &b, &err), -1);
    cr_assert(strstr(err.msg, "clock"), "%s", err.msg);
}

Test(fixynn, config_keeps_the_fwfe_off_the_bus) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    erg_chip chip;
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, HYBRID, &err), 0, "%s", err.msg);
    cr_assert_eq(chip.n_units, 1); /* the amac unit only: the fwfe unit has no register map */
    cr_assert_eq(chip.units[0].kind, ERG_UNIT_AMAC);
    cr_assert_float_eq(chip.units[0].pe_area_mm2, 0.001216, 1e-12);
    cr_assert(chip.has_fwfe);
    cr_assert_str_eq(chip.fwfe.name, "fwfe0");
    cr_assert_str_eq(chip.fwfe.net, "fmnist-int8");
    cr_assert_str_eq(chip.fwfe.layers, "conv1");
    cr_assert_eq(chip.fwfe.fifo_bytes, 25088);
    cr_assert_float_eq(chip.fwfe.area_mm2, 0.06781, 1e-12);
    cr_assert_float_eq(chip.area_mm2, 2.3578, 1e-12);
}

Test(fixynn, fmnist_hybrid_equals_golden) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    erg_chip chip, amac8;
    erg_net net;
    erg_weights wt;
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, HYBRID, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_chip_load(&amac8, AMAC8, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_net_load(&net, FMNIST, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    erg_array img = {0};
    cr_assert_eq(erg_idx_read(SLICE, &img, &err), 0, "%s", err.msg);
    erg_fixynn h;
    cr_assert_eq(erg_fixynn_init(&h, &net, &wt, &chip, "cmodel", 0, &err), 0, "%s", err.msg);
    cr_assert_eq(h.first, 0);
    cr_assert_eq(h.last, 0);
    cr_assert_eq(h.map_bytes, 28 * 28 * 16);
    cr_assert_eq(h.slots, 2); /* 25,088 / 12,544 */
    erg_golden_runner gr;
    cr_assert_eq(erg_golden_runner_init(&gr, &net, &wt, &err), 0, "%s", err.msg);
    erg_amac_runner plain;
    cr_assert_eq(erg_amac_runner_init(&plain, &net, &wt, &amac8, "cmodel", NULL, 0, &err), 0, "%s",
                 err.msg);
    size_t bytes = (size_t)erg_shape_count(net.input);
    const int frames = 20;
    for (int k = 0; k < frames; k++) {
        const uint8_t *im = (const uint8_t *)img.data + (size_t)k * bytes;
        int c = erg_fixynn_run(&h, im, &err);
        cr_assert_geq(c, 0, "%s", err.msg);
        int g = erg_golden_runner_run(&gr, im);
        cr_assert_eq(c, g, "frame %d", k);
        for (int j = 0; j < gr.n_scores; j++)
            cr_assert_eq(h.back.scores[j], gr.scores[j], "frame %d score %d", k, j);
        cr_assert_geq(erg_amac_runner_run(&plain, im, &err), 0, "%s", err.msg);
    }
    /* conv1, 28x28 same 3x3: the padded grid is 30 x 30, the last trigger at grid position
     * p_last = (27 + 2) x 30 + 27 + 2 = 899; D = 1 + L + 2 with L = ceil(log2(terms)) = 5 (the
     * widest channel has 17 ... 32 leaves: CSD digits plus the bias): T = 899 + 8 = 907, 908
     * cycles (erg_fwfe.h's cycle equation). */
    cr_assert_eq(h.front_cycles, 908);
    cr_assert_eq(h.fst[0].tree_depth, 5);
    /* back to back: one frame per 900 beats of the grid */
    cr_assert_eq(h.front_period, 900);
    uint64_t back = 0;
    for (int i = 1; i < net.n_layers; i++) {
        erg_mac_stats s;
        memcpy(&s, plain.cnt[i].v, sizeof s);
        back += s.cycles;
    }
    cr_assert_eq(h.back_cycles, back); /* the same layers on the same unit */
    cr_assert_gt(back, 908);
    /* back-end slower: d_{F-1} = T_f + F C_b; the back-end waits only for the first map */
    cr_assert_eq(h.sched.end, 908 + (uint64_t)frames * back);
    cr_assert_eq(h.sched.back_wait, 908);
    cr_assert_eq(h.sched.front_busy, (uint64_t)frames * 900);
    erg_amac_runner_free(&plain);
    erg_golden_runner_free(&gr);
    erg_fixynn_free(&h);
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(fixynn, iso_area_chip) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, HYBRID, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_net_load(&net, FMNIST, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    erg_chip *iso = malloc(sizeof *iso);
    cr_assert_not_null(iso);
    int budget = 0;
    cr_assert_eq(erg_fixynn_iso_chip(&chip, &net, &wt, 0, iso, &budget, &err), 0, "%s", err.msg);
    /* 64 PEs + floor(0.06781 / 0.001216 = 55.76) = 119 */
    cr_assert_eq(budget, 119);
    cr_assert_not(iso->has_fwfe);
    cr_assert_float_eq(iso->area_mm2, chip.area_mm2, 0);
    /* output-stationary: conv2's 196 output pixels x 32 filters fold exactly onto 7 x 16 (28 x 2
     * folds, no idle PE) — the fewest cycles of every maximal shape within 119 PEs */
    cr_assert_eq(iso->units[0].amac.rows, 7);
    cr_assert_eq(iso->units[0].amac.cols, 16);
    /* without pe_area_mm2 there is nothing to size the array with */
    chip.units[0].pe_area_mm2 = 0;
    cr_assert_eq(erg_fixynn_iso_chip(&chip, &net, &wt, 0, iso, &budget, &err), -1);
    cr_assert(strstr(err.msg, "pe_area_mm2"), "%s", err.msg);
    free(iso);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* erg_fixynn_init on the hybrid chip with one fwfe field changed must fail with `want`. */
static void refused(void (*edit)(erg_chip *), int op, const char *want) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, HYBRID, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_net_load(&net, FMNIST, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    edit(&chip);
    erg_fixynn h;
    cr_assert_eq(erg_fixynn_init(&h, &net, &wt, &chip, "cmodel", op, &err), -1);
    cr_assert(strstr(err.msg, want), "wanted '%s' in: %s", want, err.msg);
    cr_assert(strstr(err.msg, "fwfe unit 'fwfe0'") || strstr(err.msg, "layer"), "%s", err.msg);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

static void other_net(erg_chip *c) {
    snprintf(c->fwfe.net, sizeof c->fwfe.net, "fmnist-bnn");
}
static void pool_layer(erg_chip *c) {
    snprintf(c->fwfe.layers, sizeof c->fwfe.layers, "conv1..pool1");
}
static void not_first(erg_chip *c) {
    snprintf(c->fwfe.layers, sizeof c->fwfe.layers, "conv2");
}
static void small_fifo(erg_chip *c) {
    c->fwfe.fifo_bytes = 12543;
}
static void no_change(erg_chip *c) {
    (void)c;
}

Test(fixynn, refusals_name_the_unit_or_layer) {
    refused(other_net, 0, "hard-wires the weights of net 'fmnist-bnn'");
    refused(pool_layer, 0, "layer 2 'pool1' (maxpool) cannot be fixed");
    refused(not_first, 0, "starts at layer 3 'conv2'");
    refused(small_fifo, 0, "fifo = 12543 bytes holds less than one output map of 'conv1'");
    /* op point 1 ("light") multiplies conv1 with loa6 */
    refused(no_change, 1, "multiplies layer 'conv1' with 'loa6'");
}
