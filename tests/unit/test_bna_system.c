/* test_bna_system.c — the BinarEye chip end to end on the C model: per-layer cycles of the
 * F = 256 network by the docs/bna.md equations, energies that add up, the 230 1b-TOPS/W
 * calibration measured through the driver, operating points, and the driver's error paths. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "chip_run.h"
#include "erg_regs.h"
#include "report.h"

static erg_chip chip;
static erg_net net;
static erg_weights wt;

static void setup_f256(void) {
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, ERG_SRC_DIR "/configs/chips/binareye.cfg", &err), 0, "%s",
                 err.msg);
    cr_assert_eq(erg_net_load(&net, ERG_SRC_DIR "/configs/nets/binareye_cifar10_f256.cfg", &err), 0,
                 "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
}

static void teardown(void) {
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(bna_system, f256_layer_cycles_follow_the_equations, .init = setup_f256, .fini = teardown) {
    erg_chip_runner r;
    erg_error err;
    cr_assert_eq(erg_chip_runner_init(&r, &net, &wt, &chip, "cmodel", NULL, &err), 0, "%s",
                 err.msg);
    uint8_t img[32 * 32 * 3] = {0};
    cr_assert_geq(erg_chip_runner_run(&r, img, &err), 0, "%s", err.msg);
    /* N = 64, B = 2, Wb = 256, D = 2; every conv has cout = 256: G = 4 groups of 64.
     * conv (cin <= 256): load ceil(64/2)*(1 + 4*1) = 160 cycles per group.
     * conv1 32x32 -> 31x31: 4 * (160 + 31*32 + 2) = 4 * 1154 = 4616
     * conv2 31 -> 30: 4 * (160 + 30*31 + 2) = 4368;  conv3 30 -> 29: 4 * (160 + 29*30 + 2) = 4128
     * conv4 29 -> 28: 4 * (160 + 28*29 + 2) = 3896;  pool1 28 -> 14: 14*14*2 + 1 = 393
     * conv5 14 -> 13: 4 * (160 + 13*14 + 2) = 1376;  conv6 13 -> 12: 4 * (160 + 12*13 + 2) = 1272
     * pool2 12 -> 6: 6*6*2 + 1 = 73;  conv7 6 -> 5: 4 * (160 + 5*6 + 2) = 768
     * conv8 5 -> 4: 4 * (160 + 4*5 + 2) = 728;  flatten: 0
     * fc over 4x4x256, 10 outputs (bn, no threshold words): one group of 10 neurons, 4 tiles of
     * 4 pixels: per tile ceil(10/2)*4*1 = 20 load + 2 compute; 4*22 + 2 = 90 */
    const uint64_t want[12] = {4616, 4368, 4128, 3896, 393, 1376, 1272, 73, 768, 728, 0, 90};
    uint64_t total = 0;
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(r.cnt[i].v[ERG_CNT_cycles], want[i], "layer %s: %llu cycles, expected %llu",
                     net.layers[i].name, (unsigned long long)r.cnt[i].v[ERG_CNT_cycles],
                     (unsigned long long)want[i]);
        total += r.cnt[i].v[ERG_CNT_cycles];
        /* the array does exactly the layer's binary MACs */
        cr_assert_eq(r.cnt[i].v[ERG_CNT_bmac], (uint64_t)net.layers[i].macs);
    }
    cr_assert_eq(total, 21708);
    /* conv1 stalls 4 * 160 = 640 cycles for weights */
    cr_assert_eq(r.cnt[0].v[ERG_CNT_stall_cycles], 640);
    erg_chip_runner_free(&r);
}

Test(bna_system, layer_energies_add_up_to_the_total, .init = setup_f256, .fini = teardown) {
    erg_chip_runner r;
    erg_error err;
    erg_tech tech;
    erg_energy_ctx e;
    cr_assert_eq(erg_chip_energy(&e, &tech, &chip, NULL, 0.7, 0, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_chip_runner_init(&r, &net, &wt, &chip, "cmodel", NULL, &err), 0, "%s",
                 err.msg);
    uint8_t img[32 * 32 * 3] = {0};
    cr_assert_geq(erg_chip_runner_run(&r, img, &err), 0);
    erg_report rep;
    cr_assert_eq(erg_report_build(&rep, &r, &e, "cmodel", &err), 0);
    double sum = 0, comp = 0;
    uint64_t cycles = 0;
    for (int i = 0; i < rep.n; i++) {
        sum += rep.l[i].e.total;
        cycles += rep.l[i].cycles;
        double parts = 0;
        for (int k = 0; k < ERG_EC_COUNT; k++) parts += erg_energy_component(&rep.l[i].e, k);
        cr_assert_float_eq(parts, rep.l[i].e.total, 1e-9 * rep.l[i].e.total + 1e-30);
    }
    for (int k = 0; k < ERG_EC_COUNT; k++) comp += erg_energy_component(&rep.e, k);
    cr_assert_float_eq(sum, rep.e.total, 1e-9 * sum);
    cr_assert_float_eq(comp, rep.e.total, 1e-9 * sum);
    cr_assert_eq(rep.cycles, cycles);
    /* fps = f / cycles per frame; power = energy per frame * fps */
    cr_assert_float_eq(rep.fps, e.freq_hz / 21708.0, 1e-9 * rep.fps);
    cr_assert_float_eq(rep.power_w, rep.e.total * rep.fps, 1e-9 * rep.power_w);
    cr_assert_float_eq(rep.tops_per_w, 2.0 * 1005689856.0 / rep.e.total / 1e12,
                       1e-9 * rep.tops_per_w);
    /* on-chip memory only: no DRAM energy */
    cr_assert_eq(rep.e.dram, 0.0);
    erg_report_free(&rep);
    erg_chip_runner_free(&r);
}

Test(bna_system, peak_efficiency_is_calibrated_to_230_tops_per_w) {
    erg_error err;
    erg_peak p;
    cr_assert_eq(erg_chip_load(&chip, ERG_SRC_DIR "/configs/chips/binareye.cfg", &err), 0);
    cr_assert_eq(erg_chip_peak(&p, &chip, NULL, &err), 0, "%s", err.msg);
    /* BinarEye: 230 1b-TOPS/W peak (REFERENCES.md); one chip-level factor, +-5 % */
    cr_assert(fabs(p.tops_per_w - 230.0) <= 0.05 * 230.0, "peak %.1f 1b-TOPS/W", p.tops_per_w);
    /* the peak layer: 2x2 conv 256 -> 256 on 32x32: 31*31*256*1024 binary MACs in
     * 4 * (160 + 31*32 + 2) = 4616 cycles */
    cr_assert_eq(p.c.v[ERG_CNT_bmac], 251920384);
    cr_assert_eq(p.c.v[ERG_CNT_cycles], 4616);
    /* the most efficient point is the lowest supply (dynamic energy falls with V^2) */
    cr_assert_float_eq(p.volt, 0.60, 1e-9);
}

Test(bna_system, voltage_and_clock_are_checked_against_the_operating_points) {
    erg_error err;
    erg_tech tech;
    erg_energy_ctx e;
    cr_assert_eq(erg_chip_load(&chip, ERG_SRC_DIR "/configs/chips/binareye.cfg", &err), 0);
    /* between 0.60 V (25.83 MHz) and 0.65 V (30.22 MHz): 0.625 V -> 28.025 MHz */
    cr_assert_eq(erg_chip_energy(&e, &tech, &chip, NULL, 0.625, 0, &err), 0, "%s", err.msg);
    cr_assert_float_eq(e.freq_hz, 28.025e6, 1e3);
    cr_assert_eq(erg_chip_energy(&e, &tech, &chip, NULL, 0.6, 30e6, &err), -1);
    cr_assert(strstr(err.msg, "30 MHz exceeds chip 'binareye''s maximum clock at 0.6 V") != NULL,
              "%s", err.msg);
    cr_assert_eq(erg_chip_energy(&e, &tech, &chip, NULL, 1.2, 0, &err), -1);
    cr_assert(strstr(err.msg, "1.2") != NULL, "%s", err.msg);
}

Test(bna_system, driver_reports_a_refused_descriptor, .init = setup_f256, .fini = teardown) {
    erg_error err;
    erg_backend *be = erg_backend_create("cmodel", &chip, NULL, &err);
    cr_assert_not_null(be, "%s", err.msg);
    erg_drv_bna_info info;
    cr_assert_eq(erg_drv_bna_probe(&be->bus, chip.units[0].base, &info, &err), 0, "%s", err.msg);
    cr_assert_eq(info.neurons, 64);
    cr_assert_eq(info.banks, 2);
    cr_assert_eq(info.word_bits, 256);
    cr_assert_eq(info.bank_rows, 333824 / 2 / 32); /* 326 KiB over 2 banks of 32-byte words */
    erg_drv_layer l = {0};
    l.op = ERG_BNA_OP_CONV;
    l.in_h = l.in_w = 8;
    l.in_c = 64;
    l.out_c = 64;
    l.k = 3; /* not supported: the unit has 2x2 kernels only */
    l.dst = 1;
    erg_counters c;
    cr_assert_eq(erg_drv_run_layer(&be->bus, &info, &l, 1000, &c, &err), -1);
    cr_assert(strstr(err.msg, "refused the layer descriptor (ERROR = 3)") != NULL, "%s", err.msg);
    /* a probe of an address where no unit sits */
    cr_assert_eq(erg_drv_bna_probe(&be->bus, 0x10000000, &info, &err), -1);
    cr_assert(strstr(err.msg, "no BNA unit at 0x10000000") != NULL, "%s", err.msg);
    erg_backend_destroy(be);
}
