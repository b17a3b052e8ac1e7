/* backend_cmodel.c — erg_bus over the C models: decodes the chip's address map and forwards
 * each access to the unit model whose window holds it. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "erg_bna.h"
#ifdef ERG_HAVE_RTL
#include "backend_rtl.h"
#endif

typedef struct cm_unit {
    uint64_t base, size;
    erg_bna *bna;
} cm_unit;

typedef struct cmodel {
    erg_backend be;
    int n;
    cm_unit u[ERG_CHIP_MAX_UNITS];
} cmodel;

static cm_unit *find(cmodel *c, uint64_t addr) {
    for (int i = 0; i < c->n; i++)
        if (addr >= c->u[i].base && addr - c->u[i].base < c->u[i].size) return &c->u[i];
    return NULL;
}

static uint32_t cm_read32(void *ctx, uint64_t addr) {
    cm_unit *u = find(ctx, addr);
    return u ? erg_bna_read32(u->bna, addr - u->base) : 0;
}

static void cm_write32(void *ctx, uint64_t addr, uint32_t v) {
    cm_unit *u = find(ctx, addr);
    if (u) erg_bna_write32(u->bna, addr - u->base, v);
}

static void cm_burst_write(void *ctx, uint64_t addr, const void *data, size_t bytes) {
    cm_unit *u = find(ctx, addr);
    if (u) erg_bna_burst_write(u->bna, addr - u->base, data, bytes);
}

static void cm_burst_read(void *ctx, uint64_t addr, void *data, size_t bytes) {
    cm_unit *u = find(ctx, addr);
    if (u)
        erg_bna_burst_read(u->bna, addr - u->base, data, bytes);
    else
        memset(data, 0, bytes);
}

/* The C model finishes a layer within the START write, so an interrupt is either pending now
 * or never comes. */
static int cm_wait_irq(void *ctx, uint64_t max_cycles) {
    (void)max_cycles;
    cmodel *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (erg_bna_irq(c->u[i].bna)) return 0;
    return -1;
}

static uint64_t cm_now(erg_backend *b) {
    cmodel *c = (cmodel *)b;
    return c->n ? erg_bna_now(c->u[0].bna) : 0;
}

static void cm_destroy(erg_backend *b) {
    cmodel *c = (cmodel *)b;
    for (int i = 0; i < c->n; i++) erg_bna_free(c->u[i].bna);
    free(c);
}

erg_backend *erg_backend_cmodel(const erg_chip *chip, erg_error *err) {
    cmodel *c = calloc(1, sizeof *c);
    if (!c) {
        erg_fail(err, "out of memory");
        return NULL;
    }
    c->be.bus = (erg_bus){c, cm_read32, cm_write32, cm_burst_write, cm_burst_read, cm_wait_irq};
    c->be.name = "cmodel";
    c->be.destroy = cm_destroy;
    c->be.now = cm_now;
    for (int i = 0; i < chip->n_units; i++) {
        const erg_unit_cfg *u = &chip->units[i];
        erg_bna_params p = {0};
        p.neurons = u->neurons;
        for (int k = 0; k < u->n_kernels; k++) p.kernels |= 1u << u->kernels[k];
        p.channels = u->max_channels;
        p.fmap_h = u->max_fmap_h;
        p.fmap_w = u->max_fmap_w;
        p.banks = u->weight_banks;
        p.word_bits = u->weight_word_bits;
        p.wsram_bytes = u->weight_sram_bytes;
        p.fmap_bytes = u->fmap_sram_bytes;
        erg_error e;
        c->u[i].bna = erg_bna_create(&p, &e);
        if (!c->u[i].bna) {
            erg_fail(err, "%s:%u: unit '%s': %s", chip->path, u->line, u->name, e.msg);
            cm_destroy(&c->be);
            return NULL;
        }
        c->u[i].base = u->base;
        c->u[i].size = u->size;
        c->n = i + 1;
    }
    return &c->be;
}

erg_backend *erg_backend_create(const char *name, const erg_chip *chip, const char *trace_path,
                                erg_error *err) {
    static const char *const names[] = {"cmodel", "rtl", "rtl-verify", "cosim"};
    if (strcmp(name, "cmodel") == 0) return erg_backend_cmodel(chip, err);
#ifdef ERG_HAVE_RTL
    if (strcmp(name, "rtl") == 0) return erg_backend_rtl(chip, trace_path, 0, err);
    if (strcmp(name, "rtl-verify") == 0) return erg_backend_rtl(chip, trace_path, 1, err);
    if (strcmp(name, "cosim") == 0) return erg_backend_cosim(chip, trace_path, err);
    /* test only (docs/verification.md): the RTL with deliberate fault N, and cosim against a
     * named device under test (cosim:rtl-fault2); the DUT must not itself be a cosim */
    if (strncmp(name, "rtl-fault", 9) == 0 && name[9] >= '0' && name[9] <= '9') {
        char *end;
        long n = strtol(name + 9, &end, 10);
        if (*end == '\0' && n >= 0 && n <= ERG_RTL_FAULTS)
            return erg_backend_rtl_fault(chip, (int)n, trace_path, err);
    }
    if (strncmp(name, "cosim:", 6) == 0 && strncmp(name + 6, "cosim", 5) != 0)
        return erg_backend_cosim_dut(chip, name + 6, trace_path, err);
#else
    if (strcmp(name, "rtl") == 0 || strcmp(name, "rtl-verify") == 0 || strcmp(name, "cosim") == 0) {
        erg_fail(err,
                 "backend '%s' needs the Verilator build of the RTL, which this build lacks "
                 "(Verilator was not found when CMake configured it)",
                 name);
        return NULL;
    }
#endif
    (void)trace_path;
    const char *near = erg_nearest(name, names, 4);
    erg_fail(err,
             "unknown backend '%s'%s%s%s; this build has: golden, cmodel, rtl, rtl-verify, "
             "cosim",
             name, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return NULL;
}

void erg_backend_destroy(erg_backend *b) {
    if (b) b->destroy(b);
}

void erg_backend_trace_on(erg_backend *b, int on) {
    if (b && b->trace_on) b->trace_on(b, on);
}
