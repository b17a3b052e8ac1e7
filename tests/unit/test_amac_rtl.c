/* test_amac_rtl.c — the AMAC RTL (rtl/amac through the `rtl` backend) in lockstep with the C
 * model (the `cosim` backend: every bus transaction goes to both, every value read back is
 * compared) on the chip the RTL was built for (erg_backend_rtl_amac_chip(), amac8 by default):
 * reset values, a layer whose cycles and counters are derived by hand, seeded random conv,
 * depthwise and dense layers with every multiplier of the set (outputs also checked against
 * golden), every refusal code, CLEAR and the interrupt. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#ifdef ERG_HAVE_RTL

#include "backend_rtl.h"

static uint32_t lmem_limit; /* the chip's local memory (LMEM_BYTES of amac_layers.h) */
#define LMEM_BYTES lmem_limit
#include "amac_layers.h"

/* No test layer takes a million cycles: a hung RTL fails in seconds. */
#define MAX_CYCLES (1u << 22)

typedef struct pair {
    erg_chip chip;
    erg_backend *be; /* cosim, or the rtl backend alone */
    erg_drv_amac_info info;
} pair;

static pair P;

static void open_backend(const char *name) {
    erg_error err = {{0}};
    memset(&P, 0, sizeof P);
    cr_assert_eq(erg_chip_load(&P.chip, erg_backend_rtl_amac_chip(), &err), 0, "%s", err.msg);
    cr_assert_eq(P.chip.units[0].kind, ERG_UNIT_AMAC, "%s: unit 0 is not an amac unit",
                 P.chip.path);
    P.be = erg_backend_create(name, &P.chip, NULL, &err);
    cr_assert_not_null(P.be, "%s", err.msg);
    cr_assert_eq(erg_drv_amac_probe(&P.be->bus, P.chip.units[0].base, &P.info, &err), 0, "%s",
                 err.msg);
    lmem_limit = P.info.lmem_bytes;
}

static void open_cosim(void) {
    open_backend("cosim");
}
static void open_rtl(void) {
    open_backend("rtl-verify");
}
static void close_backend(void) {
    erg_backend_destroy(P.be);
    P.be = NULL;
}

/* No value read so far differed between the C model and the RTL. */
static void expect_lockstep(const char *what) {
    erg_mismatch m;
    if (erg_backend_mismatch(P.be, &m))
        cr_assert_fail("%s: RTL and C model differ at bus address 0x%llx: C model 0x%08x, RTL "
                       "0x%08x (RTL cycle %llu)",
                       what, (unsigned long long)m.addr, m.expected, m.found,
                       (unsigned long long)m.cycle);
}

static uint32_t rd(uint64_t off) {
    return P.be->bus.read32(P.be->bus.ctx, P.info.base + off);
}

Test(amac_rtl, reset_values_and_parameters_equal_the_c_model, .init = open_cosim,
     .fini = close_backend) {
    /* every readable register, all 64 MUL_ID slots and all counter words, right after reset */
    erg_drv_amac_read_all_regs(&P.be->bus, &P.info);
    expect_lockstep("reset values");
    const erg_amac_params *a = &P.chip.units[0].amac;
    cr_expect_eq(P.info.rows, a->rows);
    cr_expect_eq(P.info.cols, a->cols);
    cr_expect_eq(P.info.dataflow, ERG_AMAC_DATAFLOW_OS);
    cr_expect_eq(P.info.n_mul, a->n_mul);
    for (int i = 0; i < a->n_mul; i++) cr_expect_eq(P.info.mul_ids[i], a->mul_ids[i]);
}

/* conv 5x5x2 -> 3x3x6 (3x3 valid, stride 1, no bias, int32 outputs) on the 8 x 8 amac8 array
 * at 4 bytes/cycle, by hand (docs/amac-array.md): M = 9, N = 6, K = T = 18.
 *   row folds: 8 + 1 rows, one column fold of 6: folds 2, t_fold = T + 2r + c - 2:
 *     18 + 16 + 6 - 2 = 38 and 18 + 2 + 6 - 2 = 24, compute_cycles = 62
 *   used_pe_cycles = 8*6*38 + 1*6*24 = 1824 + 144 = 1968
 *   macs = 9*6*18 = 972; operand writes 2*972 = 1944; accumulator writes 972 + drains
 *     6*(8*7/2) + 6*0 = 972 + 168 = 1140; filter reads N*K*nr = 108*2 = 216
 *   ifmap reads: valid = 9 * 18 = 162 (no padding) once per column fold: 162
 *   DRAM: 50 + 108 bytes read, 9*6*4 = 216 written: 374 bytes / 4 = 93.5 -> 94 cycles,
 *     stall 94 - 62 = 32, cycles 94 */
Test(amac_rtl, a_hand_derived_layer_takes_its_cycles, .init = open_rtl, .fini = close_backend) {
    if (P.info.rows != 8 || P.info.cols != 8 || P.info.dram_bpc_q16 != 4u << 16)
        cr_skip_test("derived for amac8 (8 x 8, 4 bytes/cycle); the RTL is built for %s",
                     erg_backend_rtl_amac_chip());
    erg_drv_amac_layer d = {.kind = ERG_AMAC_KIND_CONV,
                            .in_h = 5,
                            .in_w = 5,
                            .in_c = 2,
                            .out_c = 6,
                            .k_h = 3,
                            .k_w = 3,
                            .stride = 1,
                            .pad = ERG_AMAC_PAD_VALID,
                            .in_addr = 0,
                            .w_addr = 0x100,
                            .out_addr = 0x200};
    erg_drv_amac_counters cnt;
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_run_layer(&P.be->bus, &P.info, &d, MAX_CYCLES, &cnt, &err), 0, "%s",
                 err.msg);
    const struct {
        int idx;
        uint64_t want;
    } w[] = {{ERG_AMAC_CNT_cycles, 94},
             {ERG_AMAC_CNT_compute_cycles, 62},
             {ERG_AMAC_CNT_stall_cycles, 32},
             {ERG_AMAC_CNT_dram_cycles, 94},
             {ERG_AMAC_CNT_gemms, 1},
             {ERG_AMAC_CNT_folds, 2},
             {ERG_AMAC_CNT_macs, 972},
             {ERG_AMAC_CNT_pad_mults, 0},
             {ERG_AMAC_CNT_used_pe_cycles, 1968},
             {ERG_AMAC_CNT_ifmap_sram_rd_bytes, 162},
             {ERG_AMAC_CNT_filter_sram_rd_bytes, 216},
             {ERG_AMAC_CNT_pe_operand_reg_writes, 1944},
             {ERG_AMAC_CNT_pe_acc_reg_writes, 1140},
             {ERG_AMAC_CNT_dram_rd_bytes, 158},
             {ERG_AMAC_CNT_dram_wr_bytes, 216},
             {ERG_AMAC_CNT_ofmap_sram_wr_bytes, 216},
             {ERG_AMAC_CNT_outputs, 54}};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        cr_expect_eq(cnt.v[w[i].idx], w[i].want, "%s = %llu, expected %llu",
                     erg_drv_amac_counter_name(w[i].idx), (unsigned long long)cnt.v[w[i].idx],
                     (unsigned long long)w[i].want);
    cr_expect_eq(rd(ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE);
}

Test(amac_rtl, random_layers_match_golden_and_the_c_model_in_lockstep, .init = open_cosim,
     .fini = close_backend) {
    int seen_kind[3] = {0}, seen_flags[4] = {0}, seen_pad[2] = {0}, seen_stride[3] = {0};
    int seen_mul[ERG_AMAC_MUL_MAX] = {0}, banded = 0, grouped = 0, stalled = 0;
    uint64_t values = 0;
    erg_rng r;
    erg_rng_seed(&r, 20261206);
    int n_layers = 3 * 4 * P.info.n_mul; /* each kind with each multiplier 4 times */
    for (int t = 0; t < n_layers; t++) {
        host_layer h;
        memset(&h, 0, sizeof h);
        h.d = random_layer(&r, (uint32_t)(t % 3), 2);
        h.d.mul = (uint32_t)((t / 3) % P.info.n_mul);
        host_fill(&h, &r);
        uint32_t cursor = 0;
        host_place(&h, &cursor, &r);
        host_load(&P.be->bus, &P.info, &h, 1);
        erg_drv_amac_counters cnt;
        erg_error err = {{0}};
        cr_assert_eq(erg_drv_amac_run_layer(&P.be->bus, &P.info, &h.d, MAX_CYCLES, &cnt, &err), 0,
                     "layer %d: %s", t, err.msg);
        char what[96];
        snprintf(what, sizeof what, "layer %d (kind %u, %ux%ux%u -> %u, multiplier %d)", t,
                 h.d.kind, h.d.in_h, h.d.in_w, h.d.in_c, h.d.out_c, P.info.mul_ids[h.d.mul]);
        values += check_output(&P.be->bus, &P.info, &h, h.in, P.info.mul_ids[h.d.mul], what);
        expect_lockstep(what);
        seen_kind[h.d.kind]++;
        seen_mul[h.d.mul]++;
        seen_flags[h.d.flags]++;
        if (h.d.kind != ERG_AMAC_KIND_DENSE) seen_pad[h.d.pad]++, seen_stride[h.d.stride]++;
        banded += h.s.in > P.info.ifmap_sram;
        grouped += h.s.w > P.info.filter_sram;
        stalled += cnt.v[ERG_AMAC_CNT_stall_cycles] > 0;
        host_free(&h);
    }
    /* the seed covers what the test claims to cover */
    for (int i = 0; i < 3; i++) cr_expect_gt(seen_kind[i], 0, "kind %d never drawn", i);
    for (int i = 0; i < P.info.n_mul; i++) cr_expect_gt(seen_mul[i], 0, "multiplier %d", i);
    for (int i = 0; i < 4; i++) cr_expect_gt(seen_flags[i], 0, "flags %d never drawn", i);
    cr_expect(seen_pad[0] && seen_pad[1] && seen_stride[1] && seen_stride[2]);
    cr_expect(banded && grouped && stalled, "banded %d, filter groups %d, stalls %d", banded,
              grouped, stalled);
    cr_log_info("amac_rtl: %d random layers, %llu output values; %d banded, %d filter-grouped, "
                "%d stalled",
                n_layers, (unsigned long long)values, banded, grouped, stalled);
}

Test(amac_rtl, each_refusal_gives_the_c_models_error_and_no_cycles, .init = open_cosim,
     .fini = close_backend) {
    erg_drv_amac_layer ok = base_layer(&P.be->bus, &P.info);
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_run_layer(&P.be->bus, &P.info, &ok, MAX_CYCLES, NULL, &err), 0, "%s",
                 err.msg);
    amac_case c[AMAC_MAX_CASES];
    int first_bad_shift;
    int n = amac_refusal_cases(&ok, P.info.lmem_bytes, P.info.ifmap_sram, P.info.filter_sram,
                               (uint32_t)P.info.n_mul, c, &first_bad_shift);
    erg_drv_amac_counters c0, c1;
    erg_drv_amac_read_counters(&P.be->bus, &P.info, &c0);
    for (int i = 0; i < n; i++) {
        int bad_shift = i >= first_bad_shift;
        if (bad_shift) {
            int32_t s = i == first_bad_shift ? 32 : -1;
            cr_assert_eq(erg_drv_amac_write_i32(&P.be->bus, &P.info, ok.shift_addr + 4 * c[i].arg,
                                                &s, 1, &err),
                         0);
        }
        erg_drv_amac_program(&P.be->bus, &P.info, &c[i].d);
        erg_drv_amac_start(&P.be->bus, &P.info, 0);
        erg_error werr = {{0}};
        cr_expect_eq(erg_drv_amac_wait(&P.be->bus, &P.info, MAX_CYCLES, &werr), -1, "%s: accepted",
                     c[i].what);
        cr_expect(strstr(werr.msg, erg_drv_amac_error_name(c[i].code)) != NULL,
                  "%s: driver message '%s'", c[i].what, werr.msg);
        cr_expect_eq(rd(ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE | ERG_AMAC_STATUS_ERROR, "%s",
                     c[i].what);
        cr_expect_eq(rd(ERG_AMAC_ERROR), c[i].code, "%s: ERROR", c[i].what);
        cr_expect_eq(rd(ERG_AMAC_ERR_ARG), c[i].arg, "%s: ERR_ARG", c[i].what);
        erg_drv_amac_read_counters(&P.be->bus, &P.info, &c1);
        cr_expect(memcmp(&c0, &c1, sizeof c0) == 0, "%s: counters changed", c[i].what);
        expect_lockstep(c[i].what);
        if (bad_shift) {
            int32_t s = 7;
            erg_drv_amac_write_i32(&P.be->bus, &P.info, ok.shift_addr + 4 * c[i].arg, &s, 1, &err);
        }
    }
    /* an accepted START clears ERROR and ERR_ARG */
    cr_expect_eq(erg_drv_amac_run_layer(&P.be->bus, &P.info, &ok, MAX_CYCLES, NULL, &err), 0, "%s",
                 err.msg);
    cr_expect_eq(rd(ERG_AMAC_ERROR), ERG_AMAC_ERR_NONE);
    cr_expect_eq(rd(ERG_AMAC_ERR_ARG), 0);
    expect_lockstep("accepted after the refusals");
}

Test(amac_rtl, clear_and_the_interrupt_behave_like_the_c_model, .init = open_cosim,
     .fini = close_backend) {
    erg_drv_amac_layer ok = base_layer(&P.be->bus, &P.info);
    erg_error err = {{0}};
    erg_drv_amac_counters one, two;
    cr_assert_eq(erg_drv_amac_run_layer(&P.be->bus, &P.info, &ok, MAX_CYCLES, &one, &err), 0);
    /* START without CLEAR adds the second layer's counts */
    erg_drv_amac_program(&P.be->bus, &P.info, &ok);
    erg_drv_amac_start(&P.be->bus, &P.info, 0);
    cr_assert_eq(erg_drv_amac_wait(&P.be->bus, &P.info, MAX_CYCLES, &err), 0, "%s", err.msg);
    erg_drv_amac_read_counters(&P.be->bus, &P.info, &two);
    for (int i = 0; i < ERG_AMAC_CNT_COUNT; i++)
        cr_expect_eq(two.v[i], 2 * one.v[i], "counter %s", erg_drv_amac_counter_name(i));
    /* CLEAR alone zeroes them */
    P.be->bus.write32(P.be->bus.ctx, P.info.base + ERG_AMAC_CTRL, ERG_AMAC_CTRL_CLEAR);
    erg_drv_amac_read_counters(&P.be->bus, &P.info, &two);
    for (int i = 0; i < ERG_AMAC_CNT_COUNT; i++) cr_expect_eq(two.v[i], 0);
    /* the interrupt line follows IRQ_EN; IRQ_STATUS is write-1-to-clear */
    P.be->bus.write32(P.be->bus.ctx, P.info.base + ERG_AMAC_IRQ_EN, 0);
    erg_drv_amac_program(&P.be->bus, &P.info, &ok);
    P.be->bus.write32(P.be->bus.ctx, P.info.base + ERG_AMAC_CTRL, ERG_AMAC_CTRL_START);
    cr_expect_eq(P.be->bus.wait_irq(P.be->bus.ctx, 100000), -1, "irq without IRQ_EN");
    cr_expect_eq(rd(ERG_AMAC_IRQ_STATUS), 1);
    cr_expect_eq(rd(ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE);
    P.be->bus.write32(P.be->bus.ctx, P.info.base + ERG_AMAC_IRQ_EN, 1);
    cr_expect_eq(P.be->bus.wait_irq(P.be->bus.ctx, 10), 0, "pending interrupt with IRQ_EN");
    P.be->bus.write32(P.be->bus.ctx, P.info.base + ERG_AMAC_IRQ_STATUS, 1);
    cr_expect_eq(rd(ERG_AMAC_IRQ_STATUS), 0);
    expect_lockstep("clear and interrupt");
}

Test(amac_rtl, refuses_a_chip_it_was_not_built_for) {
    erg_chip chip;
    erg_error err = {{0}};
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/chips/amac_two_muls.cfg", ERG_SRC_DIR);
    cr_assert_eq(erg_chip_load(&chip, path, &err), 0, "%s", err.msg);
    erg_backend *b = erg_backend_create("rtl", &chip, NULL, &err);
    cr_expect_null(b);
    erg_backend_destroy(b);
    cr_expect(strstr(err.msg, "but the RTL was built with") && strstr(err.msg, "ERG_RTL_AMAC_CHIP"),
              "%s", err.msg);
}

#else

Test(amac_rtl, needs_the_verilator_build) {
    cr_skip_test("built without the RTL (ERG_RTL=OFF)");
}

#endif
