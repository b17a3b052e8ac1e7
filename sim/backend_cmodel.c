/* backend_cmodel.c — erg_bus over the C models: decodes the chip's address map and forwards
 * each access to the unit model whose window holds it. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cfg.h"
#include "erg_amac.h"
#include "erg_bna.h"
#ifdef ERG_HAVE_RTL
#include "backend_rtl.h"
#endif

/* One unit's C model behind a uniform set of calls (BNA or AMAC). */
typedef struct cm_unit {
    uint64_t base, size;
    void *m;
    uint32_t (*read32)(void *m, uint64_t off);
    void (*write32)(void *m, uint64_t off, uint32_t v);
    void (*burst_write)(void *m, uint64_t off, const void *data, size_t bytes);
    void (*burst_read)(void *m, uint64_t off, void *data, size_t bytes);
    int (*irq)(const void *m);
    uint64_t (*now)(const void *m);
    void (*destroy)(void *m);
} cm_unit;

typedef struct cmodel {
    erg_backend be;
    int n;
    cm_unit u[ERG_CHIP_MAX_UNITS];
} cmodel;

/* Thin adapters: the unit models' own signatures take their own types. */
static uint32_t bna_rd(void *m, uint64_t off) {
    return erg_bna_read32(m, off);
}
static void bna_wr(void *m, uint64_t off, uint32_t v) {
    erg_bna_write32(m, off, v);
}
static void bna_bw(void *m, uint64_t off, const void *d, size_t n) {
    erg_bna_burst_write(m, off, d, n);
}
static void bna_br(void *m, uint64_t off, void *d, size_t n) {
    erg_bna_burst_read(m, off, d, n);
}
static int bna_irq(const void *m) {
    return erg_bna_irq(m);
}
static uint64_t bna_now(const void *m) {
    return erg_bna_now(m);
}
static void bna_free(void *m) {
    erg_bna_free(m);
}
static uint32_t amac_rd(void *m, uint64_t off) {
    return erg_amac_read32(m, off);
}
static void amac_wr(void *m, uint64_t off, uint32_t v) {
    erg_amac_write32(m, off, v);
}
static void amac_bw(void *m, uint64_t off, const void *d, size_t n) {
    erg_amac_burst_write(m, off, d, n);
}
static void amac_br(void *m, uint64_t off, void *d, size_t n) {
    erg_amac_burst_read(m, off, d, n);
}
static int amac_irq(const void *m) {
    return erg_amac_irq(m);
}
static uint64_t amac_now(const void *m) {
    return erg_amac_now(m);
}
static void amac_free(void *m) {
    erg_amac_free(m);
}

static cm_unit *find(cmodel *c, uint64_t addr) {
    for (int i = 0; i < c->n; i++)
        if (addr >= c->u[i].base && addr - c->u[i].base < c->u[i].size) return &c->u[i];
    return NULL;
}

static uint32_t cm_read32(void *ctx, uint64_t addr) {
    cm_unit *u = find(ctx, addr);
    return u ? u->read32(u->m, addr - u->base) : 0;
}

static void cm_write32(void *ctx, uint64_t addr, uint32_t v) {
    cm_unit *u = find(ctx, addr);
    if (u) u->write32(u->m, addr - u->base, v);
}

static void cm_burst_write(void *ctx, uint64_t addr, const void *data, size_t bytes) {
    cm_unit *u = find(ctx, addr);
    if (u) u->burst_write(u->m, addr - u->base, data, bytes);
}

static void cm_burst_read(void *ctx, uint64_t addr, void *data, size_t bytes) {
    cm_unit *u = find(ctx, addr);
    if (u)
        u->burst_read(u->m, addr - u->base, data, bytes);
    else
        memset(data, 0, bytes);
}

/* The C models finish a layer within the START write, so an interrupt is either pending now
 * or never comes. */
static int cm_wait_irq(void *ctx, uint64_t max_cycles) {
    (void)max_cycles;
    cmodel *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (c->u[i].irq(c->u[i].m)) return 0;
    return -1;
}

/* The chip's time: the units run from the same reset, each advancing by its own layers, so
 * the chip is as far as its furthest unit. */
static uint64_t cm_now(erg_backend *b) {
    cmodel *c = (cmodel *)b;
    uint64_t t = 0;
    for (int i = 0; i < c->n; i++) {
        uint64_t ti = c->u[i].now(c->u[i].m);
        if (ti > t) t = ti;
    }
    return t;
}

static void cm_destroy(erg_backend *b) {
    cmodel *c = (cmodel *)b;
    for (int i = 0; i < c->n; i++) c->u[i].destroy(c->u[i].m);
    free(c);
}

static void *make_bna(cm_unit *cu, const erg_unit_cfg *u, erg_error *e) {
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
    *cu = (cm_unit){.read32 = bna_rd,
                    .write32 = bna_wr,
                    .burst_write = bna_bw,
                    .burst_read = bna_br,
                    .irq = bna_irq,
                    .now = bna_now,
                    .destroy = bna_free};
    return erg_bna_create(&p, e);
}

static void *make_amac(cm_unit *cu, const erg_unit_cfg *u, erg_error *e) {
    *cu = (cm_unit){.read32 = amac_rd,
                    .write32 = amac_wr,
                    .burst_write = amac_bw,
                    .burst_read = amac_br,
                    .irq = amac_irq,
                    .now = amac_now,
                    .destroy = amac_free};
    return erg_chip_amac_create(u, e);
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
        erg_error e;
        cm_unit *cu = &c->u[i];
        cu->m = u->kind == ERG_UNIT_AMAC ? make_amac(cu, u, &e) : make_bna(cu, u, &e);
        if (!cu->m) {
            erg_fail(err, "%s:%u: unit '%s': %s", chip->path, u->line, u->name, e.msg);
            cm_destroy(&c->be);
            return NULL;
        }
        cu->base = u->base;
        cu->size = u->size;
        c->n = i + 1;
    }
    return &c->be;
}

static erg_backend_factory systemc_factory;

void erg_backend_register_systemc(erg_backend_factory f) {
    systemc_factory = f;
}

erg_backend *erg_backend_create(const char *name, const erg_chip *chip, const char *trace_path,
                                erg_error *err) {
    static const char *const names[] = {"cmodel", "rtl",     "rtl-verify",
                                        "cosim",  "systemc", "systemc-ideal"};
    if (strcmp(name, "cmodel") == 0) return erg_backend_cmodel(chip, err);
    if (strcmp(name, "systemc") == 0 || strcmp(name, "systemc-ideal") == 0) {
        if (systemc_factory) return systemc_factory(name, chip, trace_path, err);
        erg_fail(err, "backend '%s': this program was not linked with the SystemC platform", name);
        return NULL;
    }
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
    const char *near = erg_nearest(name, names, 6);
    erg_fail(err,
             "unknown backend '%s'%s%s%s; this build has: golden, cmodel, rtl, rtl-verify, "
             "cosim, systemc, systemc-ideal",
             name, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return NULL;
}

void erg_backend_destroy(erg_backend *b) {
    if (b) b->destroy(b);
}

void erg_backend_trace_on(erg_backend *b, int on) {
    if (b && b->trace_on) b->trace_on(b, on);
}
