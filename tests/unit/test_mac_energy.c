/* test_mac_energy.c — the AMAC MAC array's energy model (energy/erg_mac_energy.h,
 * docs/energy.md "MAC array (AMAC) energy"): counters priced component by component against
 * numbers derived by hand from configs/tech/28nm.cfg, the voltage rule, the multiplier's
 * relative energy, padding, leakage, the calibration scale, and a layer from the array model. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "erg_mac_array.h"
#include "erg_mac_energy.h"
#include "tech.h"

#define TECH28 ERG_SRC_DIR "/configs/tech/28nm.cfg"
#define KiB 1024.0

static erg_tech tech28(void) {
    erg_tech t;
    erg_error err;
    cr_assert_eq(erg_tech_load(&t, TECH28, &err), 0, "%s", err.msg);
    return t;
}

/* got (J) equals want (pJ) to 1e-9 relative. */
static void pj_eq(double got, double want, const char *what) {
    double w = want * 1e-12;
    cr_assert(fabs(got - w) <= 1e-9 * fabs(w) + 1e-30, "%s: got %.12g pJ, want %.12g pJ", what,
              got * 1e12, want);
}

/* The three buffers sit on Horowitz's grid points, so the per-bit energies are the table's own
 * numbers: 8 KiB 5.178/64, 32 KiB 10.36/64, 1 MiB 51.78/64 pJ per bit read (× 1.2 written). */
static const erg_mac_energy_geom GEOM = {16, 16, 8 * KiB, 32 * KiB, 1024 * KiB, 0};

static erg_mac_energy_ctx ctx_at(const erg_mac_energy_geom *g, double volt, double area,
                                 double scale) {
    erg_tech t = tech28();
    erg_mac_energy_ctx e;
    erg_error err;
    cr_assert_eq(erg_mac_energy_init(&e, &t, g, volt, 100e6, area, scale, &err), 0, "%s", err.msg);
    return e;
}

/* A counters struct filled by hand (not a real layer: every counter has a distinct value). */
static erg_mac_stats hand_counters(void) {
    erg_mac_stats c;
    memset(&c, 0, sizeof c);
    c.cycles = 400;
    c.macs = 1000;
    c.mults = 1000;
    c.pad_mults = 200;
    c.psum_adds = 50;
    c.bias_adds = 20;
    c.requant_ops = 20;
    c.pe_operand_reg_writes = 2000;
    c.pe_stationary_reg_writes = 100;
    c.pe_acc_reg_writes = 1100;
    c.ifmap_sram_rd_bytes = 800;
    c.ifmap_sram_wr_bytes = 300;
    c.filter_sram_rd_bytes = 600;
    c.filter_sram_wr_bytes = 200;
    c.ofmap_sram_rd_bytes = 420;
    c.ofmap_sram_wr_bytes = 420;
    c.dram_rd_bytes = 500;
    c.dram_wr_bytes = 20;
    c.used_pe_cycles = 1500;
    return c;
}

Test(mac_energy, prices_hand_filled_counters_component_by_component_at_0v9) {
    /* 28 nm at its vdd 0.9 V (voltage factor 1), scale 1, 2 mm², 100 MHz:
     * compute: mult    = (1000 - 200 pad) × mul8 0.1036            =  82.88 pJ
     *          acc     = 1000 macs × add32 0.05178                  =  51.78
     *          add     = (50 psum + 20 bias) × 0.05178              =   3.6246
     *          requant = 20 × (mul32 1.605 + 2 × 0.05178 = 1.70856) =  34.1712
     *          sum                                                    = 172.4558 pJ
     * regs:    (2000·8 + 100·8 + 1100·32 = 52,000 bits) × ff_write 0.001942 = 100.984 pJ
     * sram:    ifmap  8 KiB: 6400 bits × 0.08090625 + 2400 bits × 0.0970875 = 517.8 + 233.01
     *                 = 750.81
     *          filter 32 KiB: 4800 × 0.161875 + 1600 × 0.19425 = 777.0 + 310.8 = 1087.8
     *          ofmap  1 MiB: 3360 × 0.8090625 + 3360 × 0.970875 = 2718.45 + 3262.14 = 5980.59
     *          sum = 7819.2 pJ
     * dram:    520 bytes × 1950/8 = 520 × 243.75 = 126,750 pJ
     * clock:   (1500 used PE-cycles × 48 + 400 cycles × 256 = 174,400) × ff_clk 0.0009708
     *          = 169.30752 pJ
     * leak:    0.001 W/mm² × 2 mm² = 2 mW × 400 / 100 MHz = 4 µs → 8 nJ = 8000 pJ
     * total = 143,011.94732 pJ */
    erg_mac_energy_ctx e = ctx_at(&GEOM, 0.9, 2.0, 1.0);
    erg_mac_stats c = hand_counters();
    erg_energy_breakdown b;
    erg_mac_energy_layer(&e, &c, 1.0, &b);
    pj_eq(b.part.mult, 82.88, "mult");
    pj_eq(b.part.acc, 51.78, "acc");
    pj_eq(b.part.add, 3.6246, "add");
    pj_eq(b.part.requant, 34.1712, "requant");
    pj_eq(b.compute, 172.4558, "compute");
    pj_eq(b.regs, 100.984, "regs");
    pj_eq(b.part.ifmap, 750.81, "ifmap");
    pj_eq(b.part.filter, 1087.8, "filter");
    pj_eq(b.part.ofmap, 5980.59, "ofmap");
    pj_eq(b.sram, 7819.2, "sram");
    pj_eq(b.dram, 126750.0, "dram");
    pj_eq(b.clock, 169.30752, "clock");
    pj_eq(b.leak, 8000.0, "leak");
    pj_eq(b.total, 143011.94732, "total");
    cr_assert_float_eq(b.seconds, 4e-6, 1e-18);
    /* the BNA parts stay 0 */
    cr_assert_eq(b.part.bmac, 0.0);
    cr_assert_eq(b.part.wsram, 0.0);
    /* ops = 2 × macs */
    cr_assert_eq(erg_mac_energy_ops(&c), 2000);
}

Test(mac_energy, scales_on_chip_dynamic_energy_with_v_squared_and_leakage_with_v_not_dram) {
    /* 0.6 V, same clock: on-chip dynamic × (0.6/0.9)² = 4/9, DRAM unchanged (its own supply),
     * leakage power × 0.6/0.9 = 2/3:
     * compute 172.4558 × 4/9 = 76.6470222..., regs 100.984 × 4/9 = 44.8817777...,
     * sram 7819.2 × 4/9 = 3475.2, clock 169.30752 × 4/9 = 75.2477866..., dram 126,750,
     * leak 8000 × 2/3 = 5333.333... pJ; total 135,755.30992 pJ */
    erg_mac_energy_ctx e = ctx_at(&GEOM, 0.6, 2.0, 1.0);
    erg_mac_stats c = hand_counters();
    erg_energy_breakdown b;
    erg_mac_energy_layer(&e, &c, 1.0, &b);
    pj_eq(b.compute, 172.4558 * 4 / 9, "compute");
    pj_eq(b.part.mult, 82.88 * 4 / 9, "mult");
    pj_eq(b.regs, 100.984 * 4 / 9, "regs");
    pj_eq(b.sram, 3475.2, "sram");
    pj_eq(b.clock, 169.30752 * 4 / 9, "clock");
    pj_eq(b.dram, 126750.0, "dram");
    pj_eq(b.leak, 8000.0 * 2 / 3, "leak");
    pj_eq(b.total, 135755.30992, "total");
}

Test(mac_energy, relative_multiplier_energy_scales_only_the_multiplications) {
    /* rel. energy 0.5: part.mult 82.88 → 41.44 pJ, every other part identical, total
     * 143,011.94732 − 41.44 = 142,970.50732 pJ; rel. energy 0 removes the multiplications. */
    erg_mac_energy_ctx e = ctx_at(&GEOM, 0.9, 2.0, 1.0);
    erg_mac_stats c = hand_counters();
    erg_energy_breakdown full, half, none;
    erg_mac_energy_layer(&e, &c, 1.0, &full);
    erg_mac_energy_layer(&e, &c, 0.5, &half);
    erg_mac_energy_layer(&e, &c, 0.0, &none);
    cr_assert_eq(half.part.mult, full.part.mult * 0.5);
    pj_eq(half.part.mult, 41.44, "half mult");
    cr_assert_eq(half.part.acc, full.part.acc);
    cr_assert_eq(half.part.add, full.part.add);
    cr_assert_eq(half.part.requant, full.part.requant);
    cr_assert_eq(half.regs, full.regs);
    cr_assert_eq(half.sram, full.sram);
    cr_assert_eq(half.dram, full.dram);
    cr_assert_eq(half.clock, full.clock);
    cr_assert_eq(half.leak, full.leak);
    pj_eq(half.total, 142970.50732, "half total");
    cr_assert_eq(none.part.mult, 0.0);
    pj_eq(none.compute, 172.4558 - 82.88, "compute without multiplications");
}

Test(mac_energy, padding_multiplications_cost_no_multiplier_energy_but_still_accumulate) {
    /* pad_mults 200 → 0: 200 more real multiplications, + 200 × 0.1036 = 20.72 pJ in mult
     * (103.6 pJ), acc unchanged (all 1000 MACs add, padded or not). All padding: mult 0. */
    erg_mac_energy_ctx e = ctx_at(&GEOM, 0.9, 0.0, 1.0);
    erg_mac_stats c = hand_counters();
    erg_energy_breakdown with_pad, no_pad, all_pad;
    erg_mac_energy_layer(&e, &c, 1.0, &with_pad);
    c.pad_mults = 0;
    erg_mac_energy_layer(&e, &c, 1.0, &no_pad);
    c.pad_mults = c.mults;
    erg_mac_energy_layer(&e, &c, 1.0, &all_pad);
    pj_eq(no_pad.part.mult, 103.6, "mult without padding");
    pj_eq(no_pad.part.mult - with_pad.part.mult, 20.72, "the 200 padded multiplications");
    cr_assert_eq(no_pad.part.acc, with_pad.part.acc);
    cr_assert_eq(all_pad.part.mult, 0.0);
    pj_eq(all_pad.part.acc, 51.78, "acc of an all-padding layer");
}

Test(mac_energy, leakage_is_density_times_area_times_time_and_ignores_the_scale) {
    /* 0.5 mm² at 0.9 V: 0.5 mW; 400 cycles at 100 MHz = 4 µs → 2 nJ. No area → no leakage.
     * scale 2 doubles every dynamic component (DRAM included) and leaves leakage alone. */
    erg_mac_stats c = hand_counters();
    erg_energy_breakdown b, none, s1, s2;
    erg_mac_energy_ctx e = ctx_at(&GEOM, 0.9, 0.5, 1.0);
    cr_assert_float_eq(e.p_leak_w, 0.5e-3, 1e-15);
    erg_mac_energy_layer(&e, &c, 1.0, &b);
    pj_eq(b.leak, 2000.0, "leak at 0.5 mm^2");
    erg_mac_energy_ctx e0 = ctx_at(&GEOM, 0.9, 0.0, 1.0);
    erg_mac_energy_layer(&e0, &c, 1.0, &none);
    cr_assert_eq(none.leak, 0.0);
    cr_assert_eq(none.compute, b.compute);

    erg_mac_energy_ctx a = ctx_at(&GEOM, 0.9, 2.0, 1.0), a2 = ctx_at(&GEOM, 0.9, 2.0, 2.0);
    erg_mac_energy_layer(&a, &c, 1.0, &s1);
    erg_mac_energy_layer(&a2, &c, 1.0, &s2);
    for (int i = 0; i < ERG_EC_COUNT; i++) {
        double want = erg_energy_component(&s1, i) * (i == ERG_EC_leak ? 1.0 : 2.0);
        cr_assert_float_eq(erg_energy_component(&s2, i), want, 1e-9 * want + 1e-30, "%s",
                           erg_energy_component_name(i));
    }
    pj_eq(s2.total, 2 * (143011.94732 - 8000.0) + 8000.0, "total at scale 2");
}

Test(mac_energy, refuses_bad_operating_points_and_geometries) {
    erg_tech t = tech28();
    erg_mac_energy_ctx e;
    erg_error err;
    erg_mac_energy_geom g = GEOM;
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.0, 100e6, 1, 1, &err), -1);
    cr_assert(strstr(err.msg, "supply"), "%s", err.msg);
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.9, 0.0, 1, 1, &err), -1);
    cr_assert(strstr(err.msg, "clock"), "%s", err.msg);
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.9, 100e6, -1, 1, &err), -1);
    cr_assert(strstr(err.msg, "area"), "%s", err.msg);
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.9, 100e6, 1, 0, &err), -1);
    cr_assert(strstr(err.msg, "scale"), "%s", err.msg);
    g.cols = 0;
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.9, 100e6, 1, 1, &err), -1);
    cr_assert(strstr(err.msg, "rows, cols"), "%s", err.msg);
    g = GEOM;
    g.ofmap_sram_bytes = 0;
    cr_assert_eq(erg_mac_energy_init(&e, &t, &g, 0.9, 100e6, 1, 1, &err), -1);
    cr_assert(strstr(err.msg, "SRAM"), "%s", err.msg);
}

Test(mac_energy, prices_layer_a_from_the_array_model_with_dram_exactly_its_bytes) {
    /* Layer A of docs/amac-array.md (conv 5×5×2, 3×3, valid, 6 filters; OS, R = C = 4, erg
     * timing, 4 B/cycle; buffers 8 KiB, 8 KiB, 32 KiB): counters as in test_mac_array.c
     * (os_counters_of_layer_a_by_hand): DRAM 158 read + 216 written = 374 bytes.
     * dram = 374 × 1950/8 pJ = 91,162.5 pJ, at 0.9 V and at 0.6 V alike.
     * mult = 972 × 0.1036 = 100.6992 pJ (no padding); acc = 972 × 0.05178 = 50.33016 pJ.
     * clock = (1440 × 48 + 150 × 256 = 107,520) × 0.0009708 = 104.380416 pJ. */
    erg_conv_geom cg;
    erg_error err;
    cr_assert_eq(erg_conv_geom_init(&cg, 5, 5, 2, 3, 3, 1, 0, 6, &err), 0, "%s", err.msg);
    erg_mac_layer l;
    memset(&l, 0, sizeof l);
    l.kind = ERG_MAC_CONV;
    l.geom = cg;
    erg_mac_array_cfg cfg = {4, 4, ERG_MAC_OS, ERG_MAC_TIMING_ERG, 8192, 8192, 32768, 4};
    erg_mac_stats c;
    cr_assert_eq(erg_mac_array_timing(&cfg, &l, &c, &err), 0, "%s", err.msg);
    cr_assert_eq(c.dram_rd_bytes + c.dram_wr_bytes, 374);
    cr_assert_eq(c.cycles, 150);

    erg_mac_energy_geom g = {4, 4, 8 * KiB, 8 * KiB, 32 * KiB, 0};
    erg_tech t = tech28();
    erg_energy_breakdown b9, b6;
    erg_mac_energy_ctx e9 = ctx_at(&g, 0.9, 0.1, 1.0), e6 = ctx_at(&g, 0.6, 0.1, 1.0);
    erg_mac_energy_layer(&e9, &c, 1.0, &b9);
    erg_mac_energy_layer(&e6, &c, 1.0, &b6);
    /* exactly: bytes × (dram64 / 8 pJ), the same product the model forms (scale 1 is exact) */
    cr_assert_eq(b9.dram, (double)(c.dram_rd_bytes + c.dram_wr_bytes) * (t.dram64 / 8 * 1e-12));
    pj_eq(b9.dram, 91162.5, "dram at 0.9 V");
    cr_assert_eq(b6.dram, b9.dram);
    pj_eq(b9.part.mult, 100.6992, "mult");
    pj_eq(b9.part.acc, 50.33016, "acc");
    pj_eq(b9.clock, 104.380416, "clock");
    cr_assert_eq(erg_mac_energy_ops(&c), 1944);
}
