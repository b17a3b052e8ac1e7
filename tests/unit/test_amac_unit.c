/* test_amac_unit.c — the AMAC unit as a register-mapped device (docs/amac-unit.md): its C model
 * (models/amac/erg_amac.h) behind a tiny erg_bus, driven by its host driver
 * (driver/erg_amac_driver.h). Reset values, parameters, seeded random layers bit-exact against
 * the golden kernels with three multipliers of the unit's set, counters equal to the array
 * model's timing, layers chained in local memory, every refusal reason, CLEAR and the IRQ. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amac.h"
#include "erg_amac_driver.h"
#include "erg_amul.h"
#include "erg_golden.h"
#include "erg_mac_array.h"
#include "erg_regs_amac.h"
#include "erg_rng.h"

/* ---- the unit behind a bus ---- */

#define BASE 0x80000000ull /* the unit's base in the (test) chip address map */
#define LMEM_BYTES (64u * 1024u)
#include "amac_layers.h"

static erg_amac *bus_unit(void *ctx) {
    return ctx;
}
static int on_unit(uint64_t a) {
    return a >= BASE && a - BASE < ERG_AMAC_UNIT_SIZE;
}
static uint32_t b_read32(void *ctx, uint64_t a) {
    return on_unit(a) ? erg_amac_read32(bus_unit(ctx), a - BASE) : 0;
}
static void b_write32(void *ctx, uint64_t a, uint32_t v) {
    if (on_unit(a)) erg_amac_write32(bus_unit(ctx), a - BASE, v);
}
static void b_burst_write(void *ctx, uint64_t a, const void *d, size_t n) {
    cr_assert(a % 4 == 0 && n % 4 == 0, "burst at 0x%llx of %zu bytes breaks the erg_bus contract",
              (unsigned long long)a, n);
    if (on_unit(a)) erg_amac_burst_write(bus_unit(ctx), a - BASE, d, n);
}
static void b_burst_read(void *ctx, uint64_t a, void *d, size_t n) {
    cr_assert(a % 4 == 0 && n % 4 == 0, "burst at 0x%llx of %zu bytes breaks the erg_bus contract",
              (unsigned long long)a, n);
    if (on_unit(a))
        erg_amac_burst_read(bus_unit(ctx), a - BASE, d, n);
    else
        memset(d, 0, n);
}
/* The C model finishes a layer inside the START write: the interrupt is there or never comes. */
static int b_wait_irq(void *ctx, uint64_t max_cycles) {
    (void)max_cycles;
    return erg_amac_irq(bus_unit(ctx)) ? 0 : -1;
}

static erg_bus bus_of(erg_amac *u) {
    erg_bus b = {u, b_read32, b_write32, b_burst_write, b_burst_read, b_wait_irq};
    return b;
}

/* The multiplier set of the test unit: index 0 drum4, 1 exact, 2 trunc8 (index != id). */
static const int set_ids[3] = {ERG_AMUL_ID_drum4, ERG_AMUL_ID_exact, ERG_AMUL_ID_trunc8};

static erg_amac_params params(erg_mac_dataflow df, erg_mac_timing_mode t) {
    erg_amac_params p;
    memset(&p, 0, sizeof p);
    p.rows = 4;
    p.cols = 5;
    p.dataflow = df;
    p.timing = t;
    /* small buffers, so random layers band their input, group their filters and spill */
    p.ifmap_sram_bytes = 512;
    p.filter_sram_bytes = 512;
    p.ofmap_sram_bytes = 256;
    p.dram_bytes_per_cycle = 2.5; /* exact in Q16.16 */
    p.lmem_bytes = LMEM_BYTES;
    p.n_mul = 3;
    memcpy(p.mul_ids, set_ids, sizeof set_ids);
    return p;
}

static erg_amac *create(const erg_amac_params *p) {
    erg_error err = {{0}};
    erg_amac *u = erg_amac_create(p, &err);
    cr_assert_not_null(u, "erg_amac_create: %s", err.msg);
    return u;
}

static erg_drv_amac_info probe(const erg_bus *bus) {
    erg_drv_amac_info info;
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_probe(bus, BASE, &info, &err), 0, "probe: %s", err.msg);
    return info;
}

/* The array model's counters for the layer on the unit's configuration. */
static erg_mac_stats expected_stats(const erg_amac *u, const erg_drv_amac_layer *d) {
    static const int32_t some = 0;
    erg_mac_layer l;
    memset(&l, 0, sizeof l);
    l.kind = (erg_mac_kind)d->kind;
    if (d->kind == ERG_AMAC_KIND_DENSE) {
        l.n_in = (int)(d->in_h * d->in_w * d->in_c);
        l.n_out = (int)d->out_c;
    } else {
        l.geom = geom_of(d);
    }
    l.bias = d->flags & ERG_AMAC_L_FLAGS_BIAS ? &some : NULL;
    l.m0 = l.shift = d->flags & ERG_AMAC_L_FLAGS_REQUANT ? &some : NULL;
    erg_mac_stats st;
    erg_error err = {{0}};
    cr_assert_eq(erg_mac_array_timing(erg_amac_array_cfg(u), &l, &st, &err), 0, "timing: %s",
                 err.msg);
    return st;
}

static void expect_counters(const erg_drv_amac_counters *got, const erg_mac_stats *want,
                            const char *what) {
    for (int i = 0; i < ERG_AMAC_CNT_COUNT; i++)
        cr_expect_eq(got->v[i], erg_mac_stats_get(want, i), "%s: counter %s = %llu, expected %llu",
                     what, erg_drv_amac_counter_name(i), (unsigned long long)got->v[i],
                     (unsigned long long)erg_mac_stats_get(want, i));
}

/* ---- parameters and registers ---- */

Test(amac_unit, rejects_nonsense_parameters_with_a_message_naming_the_field) {
    struct {
        const char *name;
        erg_amac_params p;
    } bad[12];
    int n = 0;
    for (int i = 0; i < 12; i++) bad[i].p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    bad[n].name = "rows", bad[n++].p.rows = 0;
    bad[n].name = "cols", bad[n++].p.cols = 65537;
    bad[n].name = "dataflow", bad[n++].p.dataflow = (erg_mac_dataflow)3;
    bad[n].name = "ifmap_sram_bytes", bad[n++].p.ifmap_sram_bytes = 0;
    bad[n].name = "filter_sram_bytes", bad[n++].p.filter_sram_bytes = 1ull << 32;
    bad[n].name = "dram_bytes_per_cycle", bad[n++].p.dram_bytes_per_cycle = 0.0099;
    bad[n].name = "dram_bytes_per_cycle", bad[n++].p.dram_bytes_per_cycle = 65536.0;
    bad[n].name = "dram_bytes_per_cycle", bad[n++].p.dram_bytes_per_cycle = NAN;
    bad[n].name = "lmem_bytes", bad[n++].p.lmem_bytes = ERG_AMAC_LMEM_SIZE + 1ull;
    bad[n].name = "n_mul", bad[n++].p.n_mul = ERG_AMAC_MUL_MAX + 1;
    bad[n].name = "n_mul", bad[n++].p.n_mul = 0;
    bad[n].name = "mul_ids[2]", bad[n++].p.mul_ids[2] = ERG_AMUL_COUNT;
    for (int i = 0; i < n; i++) {
        erg_error err = {{0}};
        erg_amac *u = erg_amac_create(&bad[i].p, &err);
        cr_expect_null(u, "case %d (%s) accepted", i, bad[i].name);
        cr_expect(strstr(err.msg, bad[i].name) != NULL, "case %d: message '%s' lacks '%s'", i,
                  err.msg, bad[i].name);
        erg_amac_free(u);
    }
}

Test(amac_unit, every_readable_register_has_its_reset_value) {
    erg_amac_params p = params(ERG_MAC_WS, ERG_MAC_TIMING_SCALESIM);
    erg_amac *u = create(&p);
    /* P_* read the parameters, ID and VERSION their constants, everything else 0 */
    struct {
        uint32_t at, val;
    } want[] = {{ERG_AMAC_ID, ERG_AMAC_ID_VALUE},
                {ERG_AMAC_VERSION, ERG_AMAC_VERSION_VALUE},
                {ERG_AMAC_P_ROWS, 4},
                {ERG_AMAC_P_COLS, 5},
                {ERG_AMAC_P_DATAFLOW, ERG_AMAC_DATAFLOW_WS},
                {ERG_AMAC_P_TIMING, ERG_AMAC_TIMING_SCALESIM},
                {ERG_AMAC_P_IFMAP_SRAM, 512},
                {ERG_AMAC_P_FILTER_SRAM, 512},
                {ERG_AMAC_P_OFMAP_SRAM, 256},
                {ERG_AMAC_P_DRAM_BPC, 0x28000}, /* 2.5 in Q16.16 */
                {ERG_AMAC_P_LMEM_BYTES, LMEM_BYTES},
                {ERG_AMAC_P_NMUL, 3}};
    int readable = 0;
#define ERG_ACC_RO 1
#define ERG_ACC_RW 1
#define ERG_ACC_W1C 1
#define ERG_ACC_WO 0
#define ERG_REG(name, off, acc, desc)                                                              \
    if (ERG_ACC_##acc) {                                                                           \
        uint32_t w = 0;                                                                            \
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)                                  \
            if (want[i].at == (off)) w = want[i].val;                                              \
        cr_expect_eq(erg_amac_read32(u, off), w, "register %s reads 0x%x after reset, not 0x%x",   \
                     #name, erg_amac_read32(u, off), w);                                           \
        readable++;                                                                                \
    } else {                                                                                       \
        cr_expect_eq(erg_amac_read32(u, off), 0, "write-only %s reads nonzero", #name);            \
    }
#define ERG_FIELD(reg, name, lsb, width, desc)
#define ERG_CONST(name, value, desc)
#define ERG_WINDOW(name, off, size, desc)
#define ERG_COUNTER(name, desc)
#include "erg_amac_regs.def"
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_CONST
#undef ERG_WINDOW
#undef ERG_COUNTER
    cr_expect_eq(readable, 35, "readable registers in the map: %d", readable);
    /* MUL_ID[i]: the set, then 0 */
    for (uint32_t i = 0; i < ERG_AMAC_MUL_MAX; i++)
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_MUL_ID_BASE + 4 * i),
                     i < 3 ? (uint32_t)set_ids[i] : 0u, "MUL_ID[%u]", i);
    /* every counter word (and the reserved slots) 0 */
    for (uint32_t i = 0; i < 2 * ERG_AMAC_CNT_MAX; i++)
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_CNT_BASE + 4 * i), 0, "counter word %u", i);
    /* local memory 0 (first, last and past-the-end words of the window) */
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM + LMEM_BYTES - 4), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM + ERG_AMAC_LMEM_SIZE - 4), 0);
    cr_expect_eq(erg_amac_irq(u), 0);
    cr_expect_eq(erg_amac_now(u), 0);
    /* the driver's read-everything pass reads each readable word once and changes nothing */
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    cr_expect_eq(erg_drv_amac_read_all_regs(&bus, &info),
                 35 + ERG_AMAC_MUL_MAX + 2 * ERG_AMAC_CNT_COUNT);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_IRQ_STATUS), 0);
    erg_amac_free(u);
}

Test(amac_unit, registers_decode_like_the_map_says) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    /* RO registers ignore writes; unaligned and unmapped accesses read 0 */
    erg_amac_write32(u, ERG_AMAC_P_ROWS, 77);
    erg_amac_write32(u, ERG_AMAC_ID, 1);
    erg_amac_write32(u, ERG_AMAC_MUL_ID_BASE, 9);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_P_ROWS), 4);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ID), ERG_AMAC_ID_VALUE);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_MUL_ID_BASE), (uint32_t)set_ids[0]);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ID + 2), 0);
    cr_expect_eq(erg_amac_read32(u, 0x7F0), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_UNIT_SIZE - 4), 0);
    /* L_* registers hold all 32 bits; IRQ_EN only DONE */
    erg_amac_write32(u, ERG_AMAC_L_ZP, 0xFFFFFFF6u);
    erg_amac_write32(u, ERG_AMAC_L_OUT_ADDR, 0xDEADBEEFu);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_L_ZP), 0xFFFFFFF6u);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_L_OUT_ADDR), 0xDEADBEEFu);
    erg_amac_write32(u, ERG_AMAC_IRQ_EN, 0xFFFFFFFFu);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_IRQ_EN), ERG_AMAC_IRQ_EN_DONE);
    /* local memory: 32-bit words little-endian; window bytes past P_LMEM_BYTES read 0 and are
     * dropped, also by a burst that runs over the end */
    erg_amac_write32(u, ERG_AMAC_LMEM + 8, 0x04030201u);
    uint8_t b[8];
    erg_amac_burst_read(u, ERG_AMAC_LMEM + 8, b, 4);
    cr_expect(b[0] == 1 && b[1] == 2 && b[2] == 3 && b[3] == 4);
    erg_amac_write32(u, ERG_AMAC_LMEM + LMEM_BYTES, 0x55555555u);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM + LMEM_BYTES), 0);
    const uint8_t pat[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    erg_amac_burst_write(u, ERG_AMAC_LMEM + LMEM_BYTES - 4, pat, 8);
    erg_amac_burst_read(u, ERG_AMAC_LMEM + LMEM_BYTES - 4, b, 8);
    cr_expect(memcmp(b, pat, 4) == 0 && b[4] == 0 && b[7] == 0);
    /* a burst outside the window is a run of 32-bit register accesses */
    const uint32_t regs2[2] = {0x11, 0x22};
    erg_amac_burst_write(u, ERG_AMAC_L_IN_ADDR, regs2, 8);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_L_IN_ADDR), 0x11);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_L_W_ADDR), 0x22);
    erg_amac_free(u);
}

Test(amac_unit, probe_reads_the_parameters_and_the_multiplier_set) {
    erg_amac_params p = params(ERG_MAC_IS, ERG_MAC_TIMING_ERG);
    p.dram_bytes_per_cycle = 0.3; /* not exact in Q16.16: rounded to 19661 / 65536 */
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    cr_expect_eq(info.base, BASE);
    cr_expect_eq(info.rows, 4);
    cr_expect_eq(info.cols, 5);
    cr_expect_eq(info.dataflow, ERG_AMAC_DATAFLOW_IS);
    cr_expect_eq(info.timing, ERG_AMAC_TIMING_ERG);
    cr_expect_eq(info.ifmap_sram, 512);
    cr_expect_eq(info.filter_sram, 512);
    cr_expect_eq(info.ofmap_sram, 256);
    cr_expect_eq(info.dram_bpc_q16, 19661);
    cr_expect_eq(info.dram_bytes_per_cycle, 19661 / 65536.0);
    cr_expect_eq(erg_amac_array_cfg(u)->dram_bytes_per_cycle, 19661 / 65536.0,
                 "the model times with the register's value");
    cr_expect_eq(info.lmem_bytes, LMEM_BYTES);
    cr_expect_eq(info.n_mul, 3);
    for (int i = 0; i < 3; i++) cr_expect_eq(info.mul_ids[i], set_ids[i]);
    cr_expect_eq(erg_drv_amac_mul_index(&info, ERG_AMUL_ID_exact), 1);
    cr_expect_eq(erg_drv_amac_mul_index(&info, ERG_AMUL_ID_drum4), 0);
    cr_expect_eq(erg_drv_amac_mul_index(&info, ERG_AMUL_ID_trunc8), 2);
    cr_expect_eq(erg_drv_amac_mul_index(&info, ERG_AMUL_ID_loa8), -1);
    /* nothing at another base */
    erg_error err = {{0}};
    erg_drv_amac_info none;
    cr_expect_eq(erg_drv_amac_probe(&bus, BASE + ERG_AMAC_UNIT_SIZE, &none, &err), -1);
    cr_expect(strstr(err.msg, "no AMAC unit") != NULL, "%s", err.msg);
    /* a unit with the largest set reads all 64 ids */
    erg_amac_params q = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    q.n_mul = ERG_AMAC_MUL_MAX;
    for (int i = 0; i < q.n_mul; i++) q.mul_ids[i] = (i * 7) % ERG_AMUL_COUNT;
    erg_amac *v = create(&q);
    erg_bus bv = bus_of(v);
    erg_drv_amac_info iv = probe(&bv);
    cr_expect_eq(iv.n_mul, ERG_AMAC_MUL_MAX);
    for (int i = 0; i < q.n_mul; i++) cr_expect_eq(iv.mul_ids[i], q.mul_ids[i]);
    erg_amac_free(v);
    erg_amac_free(u);
}

Test(amac_unit, the_driver_moves_tensors_at_any_address_and_length) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_rng r;
    erg_rng_seed(&r, 7);
    uint8_t *shadow = calloc(LMEM_BYTES, 1), *back = malloc(LMEM_BYTES), data[64], got[64];
    erg_error err = {{0}};
    for (int t = 0; t < 300; t++) {
        uint32_t a = (uint32_t)erg_rng_range(&r, 0, LMEM_BYTES - 64);
        size_t n = (size_t)erg_rng_range(&r, 0, 64);
        for (size_t i = 0; i < n; i++) data[i] = (uint8_t)erg_rng_u64(&r);
        cr_assert_eq(erg_drv_amac_write(&bus, &info, a, data, n, &err), 0, "%s", err.msg);
        memcpy(shadow + a, data, n);
        cr_assert_eq(erg_drv_amac_read(&bus, &info, a, got, n, &err), 0, "%s", err.msg);
        cr_assert(memcmp(got, data, n) == 0, "read-back at 0x%x, %zu bytes", a, n);
    }
    /* neighbours of every partial word were kept */
    erg_amac_burst_read(u, ERG_AMAC_LMEM, back, LMEM_BYTES);
    cr_expect(memcmp(back, shadow, LMEM_BYTES) == 0);
    /* int32 arrays are little-endian words */
    const int32_t v[3] = {-2, 0x12345678, INT32_MIN};
    int32_t w[3];
    cr_assert_eq(erg_drv_amac_write_i32(&bus, &info, 100, v, 3, &err), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM + 100), 0xFFFFFFFEu);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_LMEM + 108), 0x80000000u);
    cr_assert_eq(erg_drv_amac_read_i32(&bus, &info, 100, w, 3, &err), 0);
    cr_expect(memcmp(v, w, sizeof v) == 0);
    /* outside the local memory: refused with a message, nothing written */
    cr_expect_eq(erg_drv_amac_write(&bus, &info, LMEM_BYTES - 3, data, 4, &err), -1);
    cr_expect(strstr(err.msg, "runs past the end") != NULL, "%s", err.msg);
    cr_expect_eq(erg_drv_amac_read_i32(&bus, &info, 0xFFFFFFFCu, w, 2, &err), -1);
    free(shadow);
    free(back);
    erg_amac_free(u);
}

/* ---- layers ---- */

Test(amac_unit, random_layers_are_bit_exact_with_golden_and_count_like_the_array_model) {
    const struct {
        erg_mac_dataflow df;
        erg_mac_timing_mode t;
    } units[3] = {{ERG_MAC_OS, ERG_MAC_TIMING_ERG},
                  {ERG_MAC_WS, ERG_MAC_TIMING_ERG},
                  {ERG_MAC_IS, ERG_MAC_TIMING_SCALESIM}};
    int seen_kind[3] = {0}, seen_mul[3] = {0}, seen_pad[2] = {0}, seen_stride[3] = {0};
    int seen_flags[4] = {0}, banded = 0, grouped = 0, reread = 0, spilled = 0, stalled = 0;
    uint64_t values = 0;
    erg_rng r;
    erg_rng_seed(&r, 20240611);
    for (int ui = 0; ui < 3; ui++) {
        erg_amac_params p = params(units[ui].df, units[ui].t);
        erg_amac *u = create(&p);
        erg_bus bus = bus_of(u);
        erg_drv_amac_info info = probe(&bus);
        for (int t = 0; t < 36; t++) {
            host_layer h;
            memset(&h, 0, sizeof h);
            h.d = random_layer(&r, (uint32_t)(t % 3), 1);
            h.d.mul = (uint32_t)((t / 3) % 3);
            host_fill(&h, &r);
            uint32_t cursor = 0;
            host_place(&h, &cursor, &r);
            host_load(&bus, &info, &h, 1);
            uint64_t t0 = erg_amac_now(u);
            erg_drv_amac_counters cnt;
            erg_error err = {{0}};
            cr_assert_eq(erg_drv_amac_run_layer(&bus, &info, &h.d, 1u << 30, &cnt, &err), 0,
                         "unit %d layer %d: %s", ui, t, err.msg);
            char what[64];
            snprintf(what, sizeof what, "unit %d layer %d (kind %u)", ui, t, h.d.kind);
            values += check_output(&bus, &info, &h, h.in, set_ids[h.d.mul], what);
            erg_mac_stats want = expected_stats(u, &h.d);
            expect_counters(&cnt, &want, what);
            cr_expect_eq(erg_amac_now(u) - t0, want.cycles, "%s: time advances by its cycles",
                         what);
            cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE);
            cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ERROR), ERG_AMAC_ERR_NONE);
            seen_kind[h.d.kind]++;
            seen_mul[h.d.mul]++;
            seen_flags[h.d.flags]++;
            if (h.d.kind != ERG_AMAC_KIND_DENSE) seen_pad[h.d.pad]++, seen_stride[h.d.stride]++;
            banded += h.s.in > p.ifmap_sram_bytes;
            grouped += h.s.w > p.filter_sram_bytes;
            reread += want.dram_ifmap_rd_bytes + want.dram_filter_rd_bytes > h.s.in + h.s.w;
            spilled += want.dram_psum_wr_bytes > 0;
            stalled += want.stall_cycles > 0;
            host_free(&h);
        }
        erg_amac_free(u);
    }
    /* the seed covers what the test claims to cover */
    for (int i = 0; i < 3; i++) {
        cr_expect_gt(seen_kind[i], 0, "kind %d never drawn", i);
        cr_expect_gt(seen_mul[i], 0, "multiplier %d never drawn", i);
    }
    for (int i = 0; i < 4; i++) cr_expect_gt(seen_flags[i], 0, "flags %d never drawn", i);
    cr_expect(seen_pad[0] && seen_pad[1] && seen_stride[1] && seen_stride[2]);
    cr_expect(banded && grouped && reread && spilled && stalled,
              "banded %d, filter groups %d, re-reads %d, spills %d, stalls %d", banded, grouped,
              reread, spilled, stalled);
    cr_log_info("amac_unit: 108 random layers, %llu output values bit-exact; %d banded, %d "
                "filter-grouped, %d re-read, %d spilled, %d stalled",
                (unsigned long long)values, banded, grouped, reread, spilled, stalled);
}

Test(amac_unit, layers_chain_in_local_memory_without_host_copies) {
    erg_amac_params p = params(ERG_MAC_WS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_rng r;
    erg_rng_seed(&r, 99);
    /* conv 8x8x3 -> 8x8x6 (3x3 same, requant, bias, drum4), then depthwise 3x3 stride 2
     * valid -> 3x3x6 (requant, trunc8), then dense -> 5 int32 (bias, exact) */
    host_layer a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    a.d = (erg_drv_amac_layer){.kind = ERG_AMAC_KIND_CONV,
                               .in_h = 8,
                               .in_w = 8,
                               .in_c = 3,
                               .out_c = 6,
                               .k_h = 3,
                               .k_w = 3,
                               .stride = 1,
                               .pad = ERG_AMAC_PAD_SAME,
                               .flags = ERG_AMAC_L_FLAGS_BIAS | ERG_AMAC_L_FLAGS_REQUANT,
                               .mul = 0};
    b.d = (erg_drv_amac_layer){.kind = ERG_AMAC_KIND_DEPTHWISE,
                               .in_h = 8,
                               .in_w = 8,
                               .in_c = 6,
                               .out_c = 6,
                               .k_h = 3,
                               .k_w = 3,
                               .stride = 2,
                               .pad = ERG_AMAC_PAD_VALID,
                               .flags = ERG_AMAC_L_FLAGS_REQUANT,
                               .mul = 2};
    c.d = (erg_drv_amac_layer){.kind = ERG_AMAC_KIND_DENSE,
                               .in_h = 3,
                               .in_w = 3,
                               .in_c = 6,
                               .out_c = 5,
                               .flags = ERG_AMAC_L_FLAGS_BIAS,
                               .mul = 1};
    host_fill(&a, &r);
    host_fill(&b, &r);
    host_fill(&c, &r);
    uint32_t cursor = 0;
    host_place(&a, &cursor, &r);
    host_place(&b, &cursor, &r);
    host_place(&c, &cursor, &r);
    b.d.in_addr = a.d.out_addr; /* the chain: each layer reads its predecessor's output */
    c.d.in_addr = b.d.out_addr;
    host_load(&bus, &info, &a, 1);
    host_load(&bus, &info, &b, 0);
    host_load(&bus, &info, &c, 0);
    erg_error err = {{0}};
    /* three STARTs, CLEAR only before the first: the counters add up */
    erg_drv_amac_program(&bus, &info, &a.d);
    erg_drv_amac_start(&bus, &info, 1);
    cr_assert_eq(erg_drv_amac_wait(&bus, &info, 1u << 30, &err), 0, "%s", err.msg);
    erg_drv_amac_program(&bus, &info, &b.d);
    erg_drv_amac_start(&bus, &info, 0);
    cr_assert_eq(erg_drv_amac_wait(&bus, &info, 1u << 30, &err), 0, "%s", err.msg);
    erg_drv_amac_program(&bus, &info, &c.d);
    erg_drv_amac_start(&bus, &info, 0);
    cr_assert_eq(erg_drv_amac_wait(&bus, &info, 1u << 30, &err), 0, "%s", err.msg);
    /* golden chain on the host */
    int32_t acc_a[8 * 8 * 6], acc_b[3 * 3 * 6], acc_c[5];
    uint8_t out_a[8 * 8 * 6], out_b[3 * 3 * 6];
    golden(&a, a.in, set_ids[0], acc_a, out_a);
    golden(&b, out_a, set_ids[2], acc_b, out_b);
    golden(&c, out_b, set_ids[1], acc_c, NULL);
    cr_assert_eq(check_output(&bus, &info, &a, a.in, set_ids[0], "conv"), 8 * 8 * 6);
    cr_assert_eq(check_output(&bus, &info, &b, out_a, set_ids[2], "depthwise"), 3 * 3 * 6);
    cr_assert_eq(check_output(&bus, &info, &c, out_b, set_ids[1], "dense"), 5);
    int32_t got[5];
    cr_assert_eq(erg_drv_amac_read_i32(&bus, &info, c.d.out_addr, got, 5, &err), 0);
    cr_expect(memcmp(got, acc_c, sizeof got) == 0);
    /* counters = the sum of the three layers' */
    erg_mac_stats sum, sa = expected_stats(u, &a.d), sb = expected_stats(u, &b.d),
                       sc = expected_stats(u, &c.d);
    memset(&sum, 0, sizeof sum);
    erg_mac_stats_add(&sum, &sa);
    erg_mac_stats_add(&sum, &sb);
    erg_mac_stats_add(&sum, &sc);
    erg_drv_amac_counters cnt;
    erg_drv_amac_read_counters(&bus, &info, &cnt);
    expect_counters(&cnt, &sum, "chain");
    cr_expect_eq(erg_amac_now(u), sum.cycles);
    host_free(&a);
    host_free(&b);
    host_free(&c);
    erg_amac_free(u);
}

/* mask4: O = (A * B) AND 0xFFF0, a multiplier the user brings as a product table */
static uint16_t mask4(const void *ctx, uint8_t a, uint8_t b) {
    (void)ctx;
    return (uint16_t)(((unsigned)a * b) & 0xFFF0u);
}

Test(amac_unit, a_user_product_table_is_a_multiplier_like_a_built_in) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    uint16_t *table = malloc(65536 * sizeof *table);
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) table[a * 256 + b] = mask4(NULL, (uint8_t)a, (uint8_t)b);
    p.n_mul = 2;
    p.mul_ids[0] = ERG_AMUL_ID_exact;
    p.mul_ids[1] = ERG_AMAC_USER_ID0;
    p.user_tables[0] = table;
    erg_amac *u = create(&p);
    /* the unit keeps its own copy: the caller's table may go */
    memset(table, 0, 65536 * sizeof *table);
    free(table);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    cr_expect_eq(info.mul_ids[1], ERG_AMAC_MUL_ID_USER, "MUL_ID[1] = 0x%x", info.mul_ids[1]);
    cr_expect_eq(ERG_AMAC_MUL_ID_USER, 0x100);
    erg_rng r;
    erg_rng_seed(&r, 8);
    host_layer h;
    memset(&h, 0, sizeof h);
    h.d = (erg_drv_amac_layer){.kind = ERG_AMAC_KIND_CONV,
                               .in_h = 7,
                               .in_w = 6,
                               .in_c = 5,
                               .out_c = 7,
                               .k_h = 3,
                               .k_w = 3,
                               .stride = 1,
                               .pad = ERG_AMAC_PAD_SAME,
                               .flags = ERG_AMAC_L_FLAGS_BIAS,
                               .mul = 1};
    host_fill(&h, &r);
    uint32_t cursor = 0;
    host_place(&h, &cursor, &r);
    host_load(&bus, &info, &h, 1);
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_run_layer(&bus, &info, &h.d, 1u << 30, NULL, &err), 0, "%s", err.msg);
    size_t n = h.s.out / 4;
    int32_t *want = malloc(4 * n), *got = malloc(4 * n);
    erg_mul8u m = {.fn = mask4, .ctx = NULL, .name = "mask4"};
    erg_conv_geom g = geom_of(&h.d);
    erg_golden_conv2d(&g, h.in, h.w, h.bias, &m, want);
    cr_assert_eq(erg_drv_amac_read_i32(&bus, &info, h.d.out_addr, got, n, &err), 0);
    int differs_from_exact = 0;
    for (size_t i = 0; i < n; i++) cr_assert_eq(got[i], want[i], "output %zu", i);
    erg_golden_conv2d(&g, h.in, h.w, h.bias, NULL, want);
    for (size_t i = 0; i < n; i++) differs_from_exact |= got[i] != want[i];
    cr_expect(differs_from_exact, "mask4 gave the exact outputs");
    free(want);
    free(got);
    host_free(&h);
    erg_amac_free(u);
    /* a user id without its table is refused, naming the entry */
    p.user_tables[0] = NULL;
    erg_amac *bad = erg_amac_create(&p, &err);
    cr_expect_null(bad);
    cr_expect(strstr(err.msg, "mul_ids[1]") && strstr(err.msg, "no product table"), "%s", err.msg);
    erg_amac_free(bad);
}

Test(amac_unit, switching_l_mul_changes_only_the_outputs) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_rng r;
    erg_rng_seed(&r, 5);
    host_layer h;
    memset(&h, 0, sizeof h);
    h.d = (erg_drv_amac_layer){.kind = ERG_AMAC_KIND_CONV,
                               .in_h = 7,
                               .in_w = 6,
                               .in_c = 5,
                               .out_c = 7,
                               .k_h = 3,
                               .k_w = 2,
                               .stride = 2,
                               .pad = ERG_AMAC_PAD_SAME,
                               .flags = ERG_AMAC_L_FLAGS_BIAS};
    host_fill(&h, &r);
    uint32_t cursor = 0;
    host_place(&h, &cursor, &r);
    host_load(&bus, &info, &h, 1);
    uint8_t *before = malloc(LMEM_BYTES), *after = malloc(LMEM_BYTES);
    size_t n = h.s.out / 4;
    int32_t *outs[3];
    erg_drv_amac_counters cnt[3];
    uint64_t dt[3];
    for (int m = 0; m < 3; m++) {
        erg_amac_burst_read(u, ERG_AMAC_LMEM, before, LMEM_BYTES);
        h.d.mul = (uint32_t)(m == 0 ? 1 : m == 1 ? 2 : 0); /* exact, trunc8, drum4 */
        uint64_t t0 = erg_amac_now(u);
        erg_error err = {{0}};
        cr_assert_eq(erg_drv_amac_run_layer(&bus, &info, &h.d, 1u << 30, &cnt[m], &err), 0, "%s",
                     err.msg);
        dt[m] = erg_amac_now(u) - t0;
        check_output(&bus, &info, &h, h.in, set_ids[h.d.mul], "switch");
        outs[m] = malloc(4 * n);
        cr_assert_eq(erg_drv_amac_read_i32(&bus, &info, h.d.out_addr, outs[m], n, &err), 0);
        /* local memory changed only inside the output */
        erg_amac_burst_read(u, ERG_AMAC_LMEM, after, LMEM_BYTES);
        for (uint32_t i = 0; i < LMEM_BYTES; i++)
            if (i < h.d.out_addr || i >= h.d.out_addr + h.s.out)
                cr_assert_eq(after[i], before[i],
                             "multiplier %d: byte 0x%x outside the output "
                             "changed",
                             m, i);
    }
    /* counters and time do not depend on the multiplier; outputs do */
    for (int m = 1; m < 3; m++) {
        cr_expect(memcmp(&cnt[m], &cnt[0], sizeof cnt[0]) == 0, "counters differ for mul %d", m);
        cr_expect_eq(dt[m], dt[0]);
        cr_expect(memcmp(outs[m], outs[0], 4 * n) != 0, "multiplier %d gives exact outputs", m);
    }
    cr_expect(memcmp(outs[1], outs[2], 4 * n) != 0);
    for (int m = 0; m < 3; m++) free(outs[m]);
    free(before);
    free(after);
    host_free(&h);
    erg_amac_free(u);
}

/* ---- refusals ---- */

Test(amac_unit, each_refusal_gives_its_error_code_at_once_with_no_cycles) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_drv_amac_layer ok = base_layer(&bus, &info);
    erg_rng r;
    erg_rng_seed(&r, 3);
    uint8_t noise[0x200];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (uint8_t)erg_rng_u64(&r);
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_write(&bus, &info, 0, noise, sizeof noise, &err), 0);
    /* one accepted layer first, so that the counters and the time are not 0 */
    cr_assert_eq(erg_drv_amac_run_layer(&bus, &info, &ok, 1u << 30, NULL, &err), 0, "%s", err.msg);
    amac_case c[AMAC_MAX_CASES];
    int first_bad_shift;
    int n =
        amac_refusal_cases(&ok, LMEM_BYTES, (uint32_t)p.ifmap_sram_bytes,
                           (uint32_t)p.filter_sram_bytes, (uint32_t)p.n_mul, c, &first_bad_shift);
    uint8_t *before = malloc(LMEM_BYTES), *after = malloc(LMEM_BYTES);
    erg_drv_amac_counters c0, c1;
    erg_drv_amac_read_counters(&bus, &info, &c0);
    cr_assert_gt(c0.v[ERG_AMAC_CNT_cycles], 0);
    for (int i = 0; i < n; i++) {
        if (i == first_bad_shift || i == first_bad_shift + 1) {
            int32_t s = i == first_bad_shift ? 32 : -1;
            uint32_t ch = c[i].arg;
            cr_assert_eq(erg_drv_amac_write_i32(&bus, &info, ok.shift_addr + 4 * ch, &s, 1, &err),
                         0);
        }
        erg_amac_burst_read(u, ERG_AMAC_LMEM, before, LMEM_BYTES);
        uint64_t t0 = erg_amac_now(u);
        erg_drv_amac_program(&bus, &info, &c[i].d);
        /* START without CLEAR: a refusal must leave the counters alone */
        erg_drv_amac_start(&bus, &info, 0);
        cr_expect_eq(erg_amac_irq(u), 1, "%s: no interrupt", c[i].what);
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS),
                     ERG_AMAC_STATUS_DONE | ERG_AMAC_STATUS_ERROR, "%s: STATUS", c[i].what);
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ERROR), c[i].code, "%s: ERROR = %u, expected %u",
                     c[i].what, erg_amac_read32(u, ERG_AMAC_ERROR), c[i].code);
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ERR_ARG), c[i].arg,
                     "%s: ERR_ARG = 0x%x, expected 0x%x", c[i].what,
                     erg_amac_read32(u, ERG_AMAC_ERR_ARG), c[i].arg);
        cr_expect(erg_amac_error_message(u)[0] != '\0', "%s: no message", c[i].what);
        erg_error werr = {{0}};
        cr_expect_eq(erg_drv_amac_wait(&bus, &info, 1000, &werr), -1, "%s: wait succeeded",
                     c[i].what);
        cr_expect(strstr(werr.msg, erg_drv_amac_error_name(c[i].code)) != NULL,
                  "%s: driver message '%s'", c[i].what, werr.msg);
        cr_expect_eq(erg_amac_irq(u), 0, "%s: the driver clears the interrupt", c[i].what);
        cr_expect_eq(erg_amac_now(u), t0, "%s: took cycles", c[i].what);
        erg_drv_amac_read_counters(&bus, &info, &c1);
        cr_expect(memcmp(&c0, &c1, sizeof c0) == 0, "%s: counters changed", c[i].what);
        erg_amac_burst_read(u, ERG_AMAC_LMEM, after, LMEM_BYTES);
        cr_expect(memcmp(before, after, LMEM_BYTES) == 0, "%s: local memory changed", c[i].what);
        if (i == first_bad_shift || i == first_bad_shift + 1) {
            int32_t s = 7;
            erg_drv_amac_write_i32(&bus, &info, ok.shift_addr + 4 * c[i].arg, &s, 1, &err);
        }
    }
    /* the driver names the reason: register, tensor or channel */
    erg_drv_amac_layer d = ok;
    d.in_w = 0;
    cr_expect_eq(erg_drv_amac_run_layer(&bus, &info, &d, 1000, NULL, &err), -1);
    cr_expect(strstr(err.msg, "SHAPE") && strstr(err.msg, "L_IN_W"), "%s", err.msg);
    d = ok;
    d.out_addr = 0x200;
    cr_expect_eq(erg_drv_amac_run_layer(&bus, &info, &d, 1000, NULL, &err), -1);
    cr_expect(strstr(err.msg, "OVERLAP") && strstr(err.msg, "weights"), "%s", err.msg);
    /* dense layers ignore the conv-only registers */
    d = ok;
    d.kind = ERG_AMAC_KIND_DENSE, d.pad = 9, d.k_h = 0, d.stride = 0;
    cr_expect_eq(erg_drv_amac_run_layer(&bus, &info, &d, 1000, NULL, &err), 0, "%s", err.msg);
    /* an accepted START clears ERROR and ERR_ARG */
    cr_expect_eq(erg_drv_amac_run_layer(&bus, &info, &ok, 1000, NULL, &err), 0, "%s", err.msg);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ERROR), ERG_AMAC_ERR_NONE);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_ERR_ARG), 0);
    cr_expect_eq(erg_amac_error_message(u)[0], '\0');
    free(before);
    free(after);
    erg_amac_free(u);
}

Test(amac_unit, counters_clear_with_ctrl_clear_and_time_keeps_running) {
    erg_amac_params p = params(ERG_MAC_IS, ERG_MAC_TIMING_ERG);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_drv_amac_layer d = base_layer(&bus, &info);
    erg_mac_stats one = expected_stats(u, &d), two;
    memset(&two, 0, sizeof two);
    erg_mac_stats_add(&two, &one);
    erg_mac_stats_add(&two, &one);
    erg_error err = {{0}};
    erg_drv_amac_counters cnt;
    /* two STARTs without CLEAR accumulate */
    erg_drv_amac_program(&bus, &info, &d);
    for (int i = 0; i < 2; i++) {
        erg_drv_amac_start(&bus, &info, 0);
        cr_assert_eq(erg_drv_amac_wait(&bus, &info, 1000000, &err), 0, "%s", err.msg);
    }
    erg_drv_amac_read_counters(&bus, &info, &cnt);
    expect_counters(&cnt, &two, "two layers");
    cr_expect_eq(erg_amac_now(u), two.cycles);
    /* CLEAR alone: every counter 0, the time and STATUS stay */
    erg_amac_write32(u, ERG_AMAC_CTRL, ERG_AMAC_CTRL_CLEAR);
    for (uint32_t i = 0; i < 2 * ERG_AMAC_CNT_COUNT; i++)
        cr_expect_eq(erg_amac_read32(u, ERG_AMAC_CNT_BASE + 4 * i), 0, "counter word %u", i);
    cr_expect_eq(erg_amac_now(u), two.cycles);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE);
    /* CLEAR | START: just the new layer */
    erg_drv_amac_start(&bus, &info, 1);
    cr_assert_eq(erg_drv_amac_wait(&bus, &info, 1000000, &err), 0, "%s", err.msg);
    erg_drv_amac_read_counters(&bus, &info, &cnt);
    expect_counters(&cnt, &one, "after CLEAR | START");
    cr_expect_eq(erg_amac_now(u), 3 * one.cycles);
    /* the 64-bit counters: the high word is read back too */
    const erg_mac_stats *st = erg_amac_counters(u);
    cr_expect_eq(st->macs, one.macs);
    for (int i = 0; i < ERG_AMAC_CNT_COUNT; i++)
        cr_expect_str_eq(erg_drv_amac_counter_name(i), erg_mac_stats_name(i),
                         "counter %d named differently in the register map", i);
    cr_expect_null(erg_drv_amac_counter_name(ERG_AMAC_CNT_COUNT));
    erg_amac_free(u);
}

Test(amac_unit, the_interrupt_follows_irq_en_and_write_1_to_clear) {
    erg_amac_params p = params(ERG_MAC_OS, ERG_MAC_TIMING_SCALESIM);
    erg_amac *u = create(&p);
    erg_bus bus = bus_of(u);
    erg_drv_amac_info info = probe(&bus);
    erg_drv_amac_layer d = base_layer(&bus, &info);
    erg_drv_amac_program(&bus, &info, &d);
    erg_amac_write32(u, ERG_AMAC_CTRL, ERG_AMAC_CTRL_START);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_IRQ_STATUS), ERG_AMAC_IRQ_STATUS_DONE);
    cr_expect_eq(erg_amac_irq(u), 0, "IRQ_EN is 0 after reset");
    erg_amac_write32(u, ERG_AMAC_IRQ_EN, ERG_AMAC_IRQ_EN_DONE);
    cr_expect_eq(erg_amac_irq(u), 1);
    erg_amac_write32(u, ERG_AMAC_IRQ_STATUS, 0); /* writing 0 clears nothing */
    cr_expect_eq(erg_amac_irq(u), 1);
    erg_amac_write32(u, ERG_AMAC_IRQ_STATUS, ERG_AMAC_IRQ_STATUS_DONE);
    cr_expect_eq(erg_amac_irq(u), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_IRQ_STATUS), 0);
    cr_expect_eq(erg_amac_read32(u, ERG_AMAC_STATUS), ERG_AMAC_STATUS_DONE, "STATUS stays DONE");
    /* a timeout when no layer was started */
    erg_error err = {{0}};
    cr_expect_eq(erg_drv_amac_wait(&bus, &info, 10, &err), -1);
    cr_expect(strstr(err.msg, "did not finish") != NULL, "%s", err.msg);
    erg_amac_free(u);
}
