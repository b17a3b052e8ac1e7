/* backend_cosim.c — lockstep co-simulation: every bus transaction of the driver goes to the C
 * model (the reference) and to the RTL (the device under test) in the same order; every value
 * read back is compared, and the first difference is kept with the RTL's cycle. The driver sees
 * the C model's values, so one run checks outputs, cycles and counters of every layer. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"

typedef struct cosim {
    erg_backend be;
    erg_backend *ref, *dut;
    int has_mismatch;
    erg_mismatch first;
} cosim;

static void note(cosim *c, uint64_t addr, uint32_t want, uint32_t got) {
    if (c->has_mismatch || want == got) return;
    c->has_mismatch = 1;
    c->first.addr = addr;
    c->first.expected = want;
    c->first.found = got;
    c->first.cycle = c->dut->now ? c->dut->now(c->dut) : 0;
}

static uint32_t cs_read32(void *ctx, uint64_t addr) {
    cosim *c = ctx;
    uint32_t want = c->ref->bus.read32(c->ref->bus.ctx, addr);
    uint32_t got = c->dut->bus.read32(c->dut->bus.ctx, addr);
    note(c, addr, want, got);
    return want;
}

static void cs_write32(void *ctx, uint64_t addr, uint32_t v) {
    cosim *c = ctx;
    c->ref->bus.write32(c->ref->bus.ctx, addr, v);
    c->dut->bus.write32(c->dut->bus.ctx, addr, v);
}

static void cs_burst_write(void *ctx, uint64_t addr, const void *data, size_t bytes) {
    cosim *c = ctx;
    c->ref->bus.burst_write(c->ref->bus.ctx, addr, data, bytes);
    c->dut->bus.burst_write(c->dut->bus.ctx, addr, data, bytes);
}

static void cs_burst_read(void *ctx, uint64_t addr, void *data, size_t bytes) {
    cosim *c = ctx;
    uint32_t *got = malloc(bytes + 4);
    c->ref->bus.burst_read(c->ref->bus.ctx, addr, data, bytes);
    if (!got) return;
    c->dut->bus.burst_read(c->dut->bus.ctx, addr, got, bytes);
    const uint32_t *want = data;
    for (size_t i = 0; i < bytes / 4 && !c->has_mismatch; i++)
        note(c, addr + 4 * i, want[i], got[i]);
    free(got);
}

static int cs_wait_irq(void *ctx, uint64_t max_cycles) {
    cosim *c = ctx;
    int a = c->ref->bus.wait_irq(c->ref->bus.ctx, max_cycles);
    int b = c->dut->bus.wait_irq(c->dut->bus.ctx, max_cycles);
    if (a != b) note(c, 0, (uint32_t)a, (uint32_t)b); /* address 0: the interrupt line */
    return a;
}

static uint64_t cs_now(erg_backend *b) {
    cosim *c = (cosim *)b;
    return c->dut->now ? c->dut->now(c->dut) : 0;
}

static void cs_trace_on(erg_backend *b, int on) {
    erg_backend_trace_on(((cosim *)b)->dut, on);
}

static void cs_destroy(erg_backend *b) {
    cosim *c = (cosim *)b;
    erg_backend_destroy(c->ref);
    erg_backend_destroy(c->dut);
    free(c);
}

erg_backend *erg_backend_cosim(const erg_chip *chip, const char *trace_path, erg_error *err) {
    /* the verification build: X-initialized state is randomized, so a missing reset shows */
    return erg_backend_cosim_dut(chip, "rtl-verify", trace_path, err);
}

erg_backend *erg_backend_cosim_dut(const erg_chip *chip, const char *dut_name,
                                   const char *trace_path, erg_error *err) {
    cosim *c = calloc(1, sizeof *c);
    if (!c) {
        erg_fail(err, "out of memory");
        return NULL;
    }
    c->ref = erg_backend_create("cmodel", chip, NULL, err);
    c->dut = c->ref ? erg_backend_create(dut_name, chip, trace_path, err) : NULL;
    if (!c->ref || !c->dut) {
        erg_backend_destroy(c->ref);
        free(c);
        return NULL;
    }
    c->be.bus = (erg_bus){c, cs_read32, cs_write32, cs_burst_write, cs_burst_read, cs_wait_irq};
    c->be.name = "cosim";
    c->be.destroy = cs_destroy;
    c->be.now = cs_now;
    c->be.trace_on = cs_trace_on;
    return &c->be;
}

int erg_backend_mismatch(const erg_backend *b, erg_mismatch *m) {
    if (!b || b->destroy != cs_destroy) return 0;
    const cosim *c = (const cosim *)b;
    if (c->has_mismatch && m) *m = c->first;
    return c->has_mismatch;
}
