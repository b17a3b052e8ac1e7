/* test_bna_rtl.c — the BNA RTL (rtl/bna through the `rtl` backend) against the C model, both
 * driven by the same host-driver calls: seeded random layers (conv with binary and
 * thermometer input and cout > N, max-pool, dense with and without OUT_DOTS), refused
 * descriptors, and seeded random networks. Outputs, cycles and all 20 activity counters must
 * be identical, and the RTL's own busy-cycle count must equal its `cycles` counter. The chip is
 * the one the RTL was built for (erg_backend_rtl_chip()).
 *
 * The helpers (the "twin": one chip as C model and as RTL) are shared with the longer
 * test_bna_rtl_full.c, which includes this file with TEST_BNA_RTL_HELPERS_ONLY defined. */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"

#ifdef ERG_HAVE_RTL

#include "backend_rtl.h"
#include "chip_run.h"
#include "erg_driver.h"
#include "erg_regs.h"
#include "erg_rng.h"
#include "mapper.h"
#include "randnet.h"
#include "verify.h"
#include "weights.h"

/* ---- the twin: one chip as C model and as RTL ---- */

/* No test layer takes a million cycles; a hung RTL fails within seconds, not hours. */
#define TWIN_MAX_CYCLES (1ull << 22)

typedef struct twin {
    erg_chip chip;
    erg_backend *cm, *rtl;
    erg_drv_bna_info info; /* the same for both (checked) */
    uint64_t base;
    int64_t bank_bytes;
    int kmax;
    int kernel[8], n_kernel;
} twin;

static twin T;

static void twin_open(int verify_seed) {
    erg_error err = {{0}};
    memset(&T, 0, sizeof T);
    cr_assert_eq(erg_chip_load(&T.chip, erg_backend_rtl_chip(), &err), 0, "%s", err.msg);
    T.cm = erg_backend_cmodel(&T.chip, &err);
    cr_assert_not_null(T.cm, "%s", err.msg);
    T.rtl = erg_backend_rtl(&T.chip, NULL, verify_seed, &err);
    cr_assert_not_null(T.rtl, "%s", err.msg);
    T.base = T.chip.units[0].base;
    erg_drv_bna_info ri;
    cr_assert_eq(erg_drv_bna_probe(&T.cm->bus, T.base, &T.info, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_drv_bna_probe(&T.rtl->bus, T.base, &ri, &err), 0, "rtl: %s", err.msg);
    cr_assert_eq(memcmp(&ri, &T.info, sizeof ri), 0, "the RTL reports other P_* parameters");
    T.bank_bytes = T.info.bank_rows * (T.info.word_bits / 8);
    for (int k = 1; k <= 7; k++)
        if (T.info.kernels & (1u << k)) {
            T.kernel[T.n_kernel++] = k;
            T.kmax = k;
        }
}

static void twin_open_fast(void) {
    twin_open(0);
}
static void twin_open_verify(void) {
    twin_open(7);
}

static void twin_close(void) {
    erg_backend_destroy(T.cm);
    erg_backend_destroy(T.rtl);
    T.cm = T.rtl = NULL;
}

static int rnd(erg_rng *r, int lo, int hi) {
    return (int)erg_rng_range(r, lo, hi);
}

static int64_t cdiv(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

/* ---- identical accesses, compared results ---- */

static void twin_write32(uint64_t off, uint32_t v) {
    erg_bus_write32(&T.cm->bus, T.base + off, v);
    erg_bus_write32(&T.rtl->bus, T.base + off, v);
}

static void twin_burst_write(uint64_t off, const void *data, size_t bytes) {
    T.cm->bus.burst_write(T.cm->bus.ctx, T.base + off, data, bytes);
    T.rtl->bus.burst_write(T.rtl->bus.ctx, T.base + off, data, bytes);
}

static void twin_expect_same_reg(uint32_t off) {
    uint32_t c = erg_bus_read32(&T.cm->bus, T.base + off);
    uint32_t r = erg_bus_read32(&T.rtl->bus, T.base + off);
    cr_expect_eq(r, c, "register 0x%x: rtl 0x%08x, C model 0x%08x", off, r, c);
}

static void read_counters(const erg_backend *b, erg_counters *c) {
    for (int i = 0; i < ERG_CNT_COUNT; i++) {
        uint64_t lo = erg_bus_read32(&b->bus, T.base + ERG_BNA_CNT_BASE + 8u * (uint32_t)i);
        uint64_t hi = erg_bus_read32(&b->bus, T.base + ERG_BNA_CNT_BASE + 8u * (uint32_t)i + 4);
        c->v[i] = lo | hi << 32;
    }
}

static void expect_same_counters(const erg_counters *c, const erg_counters *r, const char *what) {
    for (int i = 0; i < ERG_CNT_COUNT; i++)
        cr_expect_eq(r->v[i], c->v[i], "%s: counter %s: rtl %llu, C model %llu", what,
                     erg_counter_name(i), (unsigned long long)r->v[i], (unsigned long long)c->v[i]);
}

static void twin_expect_same_counters(const char *what) {
    erg_counters c, r;
    read_counters(T.cm, &c);
    read_counters(T.rtl, &r);
    expect_same_counters(&c, &r, what);
}

/* Compares `bytes` at unit offset `off` on both; reports the first differing 32-bit word. */
static void twin_expect_same_region(uint64_t off, size_t bytes, const char *what) {
    uint8_t *c = malloc(bytes + 4), *r = malloc(bytes + 4);
    cr_assert(c && r);
    T.cm->bus.burst_read(T.cm->bus.ctx, T.base + off, c, bytes);
    T.rtl->bus.burst_read(T.rtl->bus.ctx, T.base + off, r, bytes);
    for (size_t i = 0; i < bytes; i += 4) {
        uint32_t cv = 0, rv = 0;
        for (size_t j = 0; j < 4 && i + j < bytes; j++) {
            cv |= (uint32_t)c[i + j] << (8 * j);
            rv |= (uint32_t)r[i + j] << (8 * j);
        }
        if (cv != rv) {
            cr_expect_fail("%s: byte offset %zu (64-bit word %zu): rtl 0x%08x, C model 0x%08x",
                           what, i, i / 8, rv, cv);
            break;
        }
    }
    free(c);
    free(r);
}

static void fill_random(erg_rng *r, uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)erg_rng_u64(r);
}

/* Random bytes at `off` on both backends. */
static void twin_random_bytes(erg_rng *r, uint64_t off, size_t bytes) {
    uint8_t *p = malloc(bytes + 1);
    cr_assert(p);
    fill_random(r, p, bytes);
    twin_burst_write(off, p, bytes);
    free(p);
}

/* ---- one layer on both ---- */

static uint64_t buf_off(int buf) {
    return buf ? ERG_BNA_FMAP_B : ERG_BNA_FMAP_A;
}

static int therm_planes(const erg_drv_layer *d) {
    int n = 0;
    for (uint32_t k = 0; k < d->in_c && k < 8; k++) n += d->levels[k];
    return n;
}

/* Words of the layer's input and output maps (0 when it writes none). */
static void layer_words(const erg_drv_layer *d, int64_t *in, int64_t *out) {
    int therm = (d->flags & ERG_BNA_L_FLAGS_THERM) != 0;
    int64_t c = therm ? therm_planes(d) : (int64_t)d->in_c, p_in = therm ? 1 : cdiv(c, 64);
    *in = (int64_t)d->in_h * d->in_w * p_in;
    if (d->op == ERG_BNA_OP_CONV)
        *out = (int64_t)(d->in_h - d->k + 1) * (d->in_w - d->k + 1) * cdiv(d->out_c, 64);
    else if (d->op == ERG_BNA_OP_MAXPOOL)
        *out = (int64_t)((d->in_h - d->k) / d->k + 1) * ((d->in_w - d->k) / d->k + 1) * cdiv(c, 64);
    else
        *out = (d->flags & ERG_BNA_L_FLAGS_OUT_DOTS) ? 0 : cdiv(d->out_c, 64);
}

/* Runs d on both through erg_drv_run_layer; expects the same result code, ERROR, STATUS and
 * IRQ_STATUS, the same counters and the RTL's busy count equal to its cycles counter. */
static int twin_run(const erg_drv_layer *d, const char *what) {
    erg_counters c = {{0}}, r = {{0}};
    erg_error ec = {{0}}, er = {{0}};
    int rc = erg_drv_run_layer(&T.cm->bus, &T.info, d, TWIN_MAX_CYCLES, &c, &ec);
    int rr = erg_drv_run_layer(&T.rtl->bus, &T.info, d, TWIN_MAX_CYCLES, &r, &er);
    cr_expect_eq(rr, rc, "%s: rtl %s, C model %s", what, rr ? er.msg : "ran", rc ? ec.msg : "ran");
    twin_expect_same_reg(ERG_BNA_ERROR);
    twin_expect_same_reg(ERG_BNA_STATUS);
    twin_expect_same_reg(ERG_BNA_IRQ_STATUS);
    if (rc == 0 && rr == 0) {
        expect_same_counters(&c, &r, what);
        uint64_t busy = erg_backend_rtl_layer_cycles(T.rtl, 0);
        cr_expect_eq(busy, r.v[ERG_CNT_cycles], "%s: the RTL was busy %llu cycles, counted %llu",
                     what, (unsigned long long)busy, (unsigned long long)r.v[ERG_CNT_cycles]);
    } else {
        twin_expect_same_counters(what);
    }
    return rc;
}

/* Compares the destination map (and a margin after it: nothing else may change), the source
 * map and, for a classifier, OUT. */
static void twin_expect_same_outputs(const erg_drv_layer *d, const char *what) {
    int64_t in_w, out_w;
    layer_words(d, &in_w, &out_w);
    char msg[256];
    if (out_w > 0) {
        int64_t n = out_w + 16 < T.info.fmap_words ? out_w + 16 : T.info.fmap_words;
        snprintf(msg, sizeof msg, "%s: output map in buffer %c", what, d->dst ? 'B' : 'A');
        twin_expect_same_region(buf_off((int)d->dst), (size_t)n * 8, msg);
    }
    snprintf(msg, sizeof msg, "%s: input map", what);
    twin_expect_same_region(buf_off((int)d->src), (size_t)in_w * 8, msg);
    if (d->flags & ERG_BNA_L_FLAGS_OUT_DOTS) {
        snprintf(msg, sizeof msg, "%s: OUT", what);
        twin_expect_same_region(ERG_BNA_OUT_BASE, (size_t)T.info.channels * 4, msg);
    }
}

/* ---- random layers within the unit's limits ---- */

enum { TWIN_CONV, TWIN_THERM, TWIN_POOL, TWIN_DENSE, TWIN_DENSE_DOTS, TWIN_ANY };

static const char *const KIND_NAME[] = {"conv", "therm conv", "maxpool", "dense", "dense dots"};

/* Output channels: often one group, often several (cout > N), sometimes exactly k N. */
static int random_cout(erg_rng *r, int max) {
    int c = T.info.channels < max ? T.info.channels : max, n = T.info.neurons;
    switch (rnd(r, 0, 3)) {
    case 0:
        return rnd(r, 1, n < c ? n : c);
    case 1:
        return c > n ? rnd(r, n + 1, c) : rnd(r, 1, c);
    case 2:
        return n * rnd(r, 1, c / n > 0 ? c / n : 1) <= c ? n * rnd(r, 1, c / n > 0 ? c / n : 1) : c;
    default:
        return rnd(r, 1, c);
    }
}

static void random_descriptor(erg_rng *r, int kind, erg_drv_layer *d) {
    const erg_drv_bna_info *u = &T.info;
    int side_h = u->fmap_h < 9 ? u->fmap_h : 9, side_w = u->fmap_w < 9 ? u->fmap_w : 9;
    memset(d, 0, sizeof *d);
    d->src = (uint32_t)rnd(r, 0, 1);
    d->dst = 1 - d->src;
    if (kind == TWIN_CONV || kind == TWIN_THERM) {
        d->op = ERG_BNA_OP_CONV;
        d->k = (uint32_t)T.kernel[rnd(r, 0, T.n_kernel - 1)];
        int kk = (int)d->k;
        d->in_h = (uint32_t)rnd(r, kk, side_h > kk ? side_h : kk);
        d->in_w = (uint32_t)rnd(r, kk, side_w > kk ? side_w : kk);
        d->out_c = (uint32_t)random_cout(r, 4096);
        if (kind == TWIN_THERM) {
            d->flags = ERG_BNA_L_FLAGS_THERM;
            d->in_c = (uint32_t)rnd(r, 1, 8);
            int left = u->channels;
            for (uint32_t i = 0; i < 8; i++) { /* levels of unused channels are ignored */
                int lv = rnd(r, 0, left / (int)d->in_c < 255 ? left / (int)d->in_c : 255);
                d->levels[i] = (uint8_t)(i < d->in_c ? lv : rnd(r, 0, 255));
                if (i < d->in_c) left -= lv;
            }
            if (therm_planes(d) == 0) d->levels[0] = 1;
        } else {
            d->in_c = (uint32_t)rnd(r, 1, u->channels);
        }
    } else if (kind == TWIN_POOL) {
        d->op = ERG_BNA_OP_MAXPOOL;
        d->k = (uint32_t)rnd(r, 1, T.kmax);
        int kk = (int)d->k;
        d->in_h = (uint32_t)rnd(r, kk, side_h > kk ? side_h : kk);
        d->in_w = (uint32_t)rnd(r, kk, side_w > kk ? side_w : kk);
        d->in_c = (uint32_t)rnd(r, 1, u->channels);
        d->out_c = (uint32_t)rnd(r, 0, 5); /* ignored by max-pool */
    } else {
        d->op = ERG_BNA_OP_DENSE;
        d->k = (uint32_t)T.kernel[rnd(r, 0, T.n_kernel - 1)];
        d->in_h = (uint32_t)rnd(r, 1, u->fmap_h < 5 ? u->fmap_h : 5);
        d->in_w = (uint32_t)rnd(r, 1, u->fmap_w < 5 ? u->fmap_w : 5);
        d->in_c = (uint32_t)rnd(r, 1, u->channels);
        d->out_c = (uint32_t)random_cout(r, 2 * u->neurons + 7);
        if (kind == TWIN_DENSE_DOTS) {
            d->flags = ERG_BNA_L_FLAGS_OUT_DOTS;
            d->dst = (uint32_t)rnd(r, 0, 3); /* no map written: DST is not checked */
        }
    }
}

/* Random weights for the layer's rows in every bank (bits past cin and in bits 17.. of the
 * threshold words included: the unit must ignore them), with thresholds spread over the dot
 * range so outputs are mixed. */
static void load_random_weights(erg_rng *r, const erg_drv_layer *d) {
    const erg_drv_bna_info *u = &T.info;
    int bn_sign = !(d->flags & ERG_BNA_L_FLAGS_OUT_DOTS);
    int64_t wpf = erg_drv_words_per_filter(u, d, bn_sign);
    int64_t rows = erg_drv_layer_rows(u, d, bn_sign), wbytes = u->word_bits / 8;
    for (int b = 0; b < u->banks; b++)
        twin_random_bytes(r, ERG_BNA_WSRAM + (uint64_t)(b * T.bank_bytes + d->wbase * wbytes),
                          (size_t)(rows * wbytes));
    if (!bn_sign) return;
    int c = (d->flags & ERG_BNA_L_FLAGS_THERM) ? therm_planes(d) : (int)d->in_c;
    int64_t n =
        d->op == ERG_BNA_OP_CONV ? (int64_t)d->k * d->k * c : (int64_t)d->in_h * d->in_w * c;
    for (uint32_t o = 0; o < d->out_c; o++) {
        int64_t tau = erg_rng_range(r, -n - 2, n + 2);
        tau = tau < -32768 ? -32768 : tau > 32767 ? 32767 : tau;
        uint32_t word = (uint16_t)(int16_t)tau | (uint32_t)rnd(r, 0, 1) << 16 |
                        (uint32_t)(erg_rng_u64(r) & 0xFFFE0000u);
        int64_t row = d->wbase + (int64_t)(o / (uint32_t)u->banks) * wpf;
        twin_write32(ERG_BNA_WSRAM +
                         (uint64_t)((o % (uint32_t)u->banks) * T.bank_bytes + row * wbytes),
                     word);
    }
}

/* Draws a layer of `kind`, fills its input, weights and the output region with random data on
 * both backends, runs it and compares everything. */
static void twin_random_layer(erg_rng *r, int kind, int index) {
    if (kind == TWIN_ANY) kind = rnd(r, TWIN_CONV, TWIN_DENSE_DOTS);
    erg_drv_layer d;
    random_descriptor(r, kind, &d);
    int bn_sign = !(d.flags & ERG_BNA_L_FLAGS_OUT_DOTS);
    int64_t rows = d.op == ERG_BNA_OP_MAXPOOL ? 0 : erg_drv_layer_rows(&T.info, &d, bn_sign);
    d.wbase = (uint32_t)erg_rng_range(r, 0, T.info.bank_rows - rows);
    char what[160];
    snprintf(what, sizeof what, "%s layer %d (%ux%ux%u -> %u, K %u, %s%s)", KIND_NAME[kind], index,
             d.in_h, d.in_w, d.in_c, d.out_c, d.k, d.src ? "B" : "A",
             kind == TWIN_DENSE_DOTS ? " -> OUT"
             : d.dst                 ? " -> B"
                                     : " -> A");
    int64_t in_w, out_w;
    layer_words(&d, &in_w, &out_w);
    twin_random_bytes(r, buf_off((int)d.src), (size_t)in_w * 8);
    if (out_w > 0) {
        int64_t n = out_w + 16 < T.info.fmap_words ? out_w + 16 : T.info.fmap_words;
        twin_random_bytes(r, buf_off((int)d.dst), (size_t)n * 8);
    }
    if (d.op != ERG_BNA_OP_MAXPOOL) load_random_weights(r, &d);
    cr_assert_eq(twin_run(&d, what), 0, "%s was refused", what);
    twin_expect_same_outputs(&d, what);
}

/* ---- refused descriptors ---- */

static int twin_bad_descriptors(erg_drv_layer *cases) {
    const erg_drv_bna_info *u = &T.info;
    int n = 0;
    erg_drv_layer good = {.op = ERG_BNA_OP_CONV,
                          .in_h = 5,
                          .in_w = 5,
                          .in_c = 8,
                          .out_c = 8,
                          .k = (uint32_t)T.kernel[0],
                          .src = 0,
                          .dst = 1};
#define CASE(field, value)                                                                         \
    do {                                                                                           \
        cases[n] = good;                                                                           \
        cases[n++].field = (value);                                                                \
    } while (0)
    CASE(op, 3);
    CASE(flags, ERG_BNA_L_FLAGS_OUT_DOTS);
    CASE(in_h, 0);
    CASE(in_w, (uint32_t)u->fmap_w + 1);
    CASE(in_h, (uint32_t)u->fmap_h + 1);
    CASE(in_c, 0);
    CASE(in_c, (uint32_t)u->channels + 1);
    CASE(out_c, (uint32_t)u->channels + 1);
    CASE(out_c, 0);
    CASE(k, 0);
    CASE(k, 8);
    CASE(src, 1);
    CASE(src, 2);
    CASE(dst, 2);
    CASE(wbase, (uint32_t)u->bank_rows);
    CASE(wbase, 0xFFFFFFF0u);
    CASE(in_h, 1u); /* window taller than the input (if K > 1) */
    cases[n] = good, cases[n].op = ERG_BNA_OP_MAXPOOL, cases[n++].k = (uint32_t)T.kmax + 1;
    cases[n] = good, cases[n].op = ERG_BNA_OP_MAXPOOL, cases[n++].flags = ERG_BNA_L_FLAGS_THERM;
    cases[n] = good, cases[n].flags = ERG_BNA_L_FLAGS_THERM, cases[n++].in_c = 9;
    cases[n] = good, cases[n].flags = ERG_BNA_L_FLAGS_THERM, cases[n].in_c = 2; /* no planes */
    memset(cases[n].levels, 0, 8), cases[n].levels[3] = 200, n++;
    cases[n] = good, cases[n].flags = ERG_BNA_L_FLAGS_THERM, cases[n].in_c = 8; /* > C planes */
    memset(cases[n].levels, 255, 8), n++;
    cases[n] = good, cases[n].op = ERG_BNA_OP_DENSE, cases[n].in_h = (uint32_t)u->fmap_h;
    cases[n].in_w = (uint32_t)u->fmap_w, cases[n++].in_c = (uint32_t)u->channels; /* weights */
    cases[n] = good, cases[n].op = ERG_BNA_OP_DENSE, cases[n].flags = ERG_BNA_L_FLAGS_OUT_DOTS;
    cases[n].dst = 0, cases[n++].src = 2; /* SRC is checked even without an output map */
    /* the largest map that fits a buffer, one row too many */
    int64_t words = u->fmap_words, w = u->fmap_w;
    int64_t c64 = u->channels >= 64 ? 64 : u->channels;
    int64_t h = words / w + 1;
    if (h <= u->fmap_h) {
        cases[n] = good, cases[n].in_h = (uint32_t)h, cases[n].in_w = (uint32_t)w;
        cases[n++].in_c = (uint32_t)c64;
    }
#undef CASE
    return n;
}

/* A descriptor from small ranges around every limit (most are refused). */
static void twin_wild_descriptor(erg_rng *r, erg_drv_layer *d) {
    const erg_drv_bna_info *u = &T.info;
    memset(d, 0, sizeof *d);
    d->op = (uint32_t)rnd(r, 0, 3);
    d->in_h = (uint32_t)rnd(r, 0, u->fmap_h + 1);
    d->in_w = (uint32_t)rnd(r, 0, u->fmap_w + 1);
    d->in_c = (uint32_t)(rnd(r, 0, 3) ? rnd(r, 0, 9) : rnd(r, 0, u->channels + 1));
    d->out_c = (uint32_t)rnd(r, 0, u->channels + 1);
    d->k = (uint32_t)rnd(r, 0, 8);
    d->src = (uint32_t)rnd(r, 0, 2);
    d->dst = (uint32_t)rnd(r, 0, 2);
    d->wbase = (uint32_t)(rnd(r, 0, 1) ? rnd(r, 0, 64) : rnd(r, 0, (int)u->bank_rows + 4));
    d->flags = (uint32_t)rnd(r, 0, 3) | (rnd(r, 0, 7) ? 0u : 0xF0u);
    for (int i = 0; i < 8; i++) d->levels[i] = (uint8_t)rnd(r, 0, rnd(r, 0, 1) ? 40 : 255);
}

static void twin_expect_same_start(const erg_drv_layer *d, const char *what) {
    char msg[200];
    snprintf(msg, sizeof msg,
             "%s (op %u, %ux%ux%u -> %u, K %u, src %u, dst %u, wbase %u, flags 0x%x)", what, d->op,
             d->in_h, d->in_w, d->in_c, d->out_c, d->k, d->src, d->dst, d->wbase, d->flags);
    if (twin_run(d, msg) == 0) twin_expect_same_outputs(d, msg);
}

/* ---- random networks, layer by layer ---- */

static int write_random_net(uint64_t seed, erg_net *net, erg_weights *wt) {
    char path[] = "/tmp/erg_rtl_randnet_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    erg_randnet_write(f, seed, &T.chip.units[0]);
    fclose(f);
    erg_error err = {{0}};
    int rc = erg_net_load(net, path, &err);
    cr_assert_eq(rc, 0, "seed %llu: %s", (unsigned long long)seed, err.msg);
    cr_assert_eq(erg_weights_load(wt, net, &err), 0, "%s", err.msg);
    remove(path);
    return 0;
}

/* Maps the net, loads its weights into both (the rows in use), and runs `frames` random
 * images through both, comparing every layer's counters and output. */
static void twin_run_net(const erg_net *net, const erg_weights *wt, int frames, uint64_t seed) {
    erg_error err = {{0}};
    erg_mapping map;
    cr_assert_eq(erg_map_net(&map, net, &T.chip, &err), 0, "%s: %s", net->name, err.msg);
    erg_drv_wimage im;
    cr_assert_eq(erg_drv_wimage_alloc(&im, &T.info, &err), 0);
    for (int i = 0; i < net->n_layers; i++) {
        const erg_map_layer *ml = &map.l[i];
        if (ml->unit < 0 || ml->d.op == ERG_BNA_OP_MAXPOOL) continue;
        erg_drv_wimage_put(&im, &T.info, &ml->d, wt->l[i].w, ml->bn_sign ? wt->l[i].thr : NULL,
                           ml->bn_sign ? wt->l[i].flip : NULL);
    }
    size_t used = (size_t)(map.rows_used * (T.info.word_bits / 8));
    for (int b = 0; b < T.info.banks; b++)
        twin_burst_write(ERG_BNA_WSRAM + (uint64_t)(b * T.bank_bytes),
                         im.bytes + (size_t)b * (size_t)T.bank_bytes, used);
    erg_drv_wimage_free(&im);
    size_t n = (size_t)erg_shape_count(net->input);
    uint8_t *img = malloc(n);
    cr_assert(img);
    erg_rng r;
    erg_rng_seed(&r, seed);
    for (int f = 0; f < frames; f++) {
        for (size_t i = 0; i < n; i++) img[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        erg_drv_write_image(&T.cm->bus, &T.info, 0, img, net->input.h, net->input.w, net->input.c);
        erg_drv_write_image(&T.rtl->bus, &T.info, 0, img, net->input.h, net->input.w, net->input.c);
        for (int i = 0; i < net->n_layers; i++) {
            const erg_map_layer *ml = &map.l[i];
            if (ml->unit < 0) continue;
            char what[160];
            snprintf(what, sizeof what, "%s frame %d layer '%s'", net->name, f,
                     net->layers[i].name);
            cr_assert_eq(twin_run(&ml->d, what), 0, "%s was refused", what);
            twin_expect_same_outputs(&ml->d, what);
        }
    }
    free(img);
    erg_mapping_free(&map);
}

static void twin_random_net(uint64_t seed, int frames) {
    erg_net net;
    erg_weights wt;
    write_random_net(seed, &net, &wt);
    twin_run_net(&net, &wt, frames, seed);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* ---- the chip runner with the backend by name (erg_backend_create) ---- */

static void twin_chip_runner_same(uint64_t seed, const char *backend) {
    erg_error err = {{0}};
    erg_backend *probe = erg_backend_create(backend, &T.chip, NULL, &err);
    if (!probe) cr_skip_test("backend '%s' is not wired into erg_backend_create yet", backend);
    erg_backend_destroy(probe);
    erg_net net;
    erg_weights wt;
    write_random_net(seed, &net, &wt);
    erg_chip_runner c, r;
    cr_assert_eq(erg_chip_runner_init(&c, &net, &wt, &T.chip, "cmodel", NULL, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(erg_chip_runner_init(&r, &net, &wt, &T.chip, backend, NULL, &err), 0, "%s",
                 err.msg);
    size_t n = (size_t)erg_shape_count(net.input);
    uint8_t *img = malloc(n);
    for (size_t i = 0; i < n; i++) img[i] = (uint8_t)(i * 37 + seed);
    int cc = erg_chip_runner_run(&c, img, &err);
    int rc = erg_chip_runner_run(&r, img, &err);
    cr_expect_eq(rc, cc, "class: %s %d, cmodel %d", backend, rc, cc);
    for (int k = 0; k < c.n_scores; k++) cr_expect_eq(r.scores[k], c.scores[k]);
    for (int i = 0; i < net.n_layers; i++)
        expect_same_counters(&c.cnt[i], &r.cnt[i], net.layers[i].name);
    free(img);
    erg_chip_runner_free(&c);
    erg_chip_runner_free(&r);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

#ifndef TEST_BNA_RTL_HELPERS_ONLY

Test(bna_rtl, reads_the_same_id_parameters_and_reset_state, .init = twin_open_fast,
     .fini = twin_close) {
    /* every register and counter of the map, plus unaligned and unmapped offsets */
    static const uint32_t offs[] = {ERG_BNA_ID,
                                    ERG_BNA_VERSION,
                                    ERG_BNA_STATUS,
                                    ERG_BNA_IRQ_EN,
                                    ERG_BNA_IRQ_STATUS,
                                    ERG_BNA_ERROR,
                                    ERG_BNA_P_NEURONS,
                                    ERG_BNA_P_KERNELS,
                                    ERG_BNA_P_CHANNELS,
                                    ERG_BNA_P_FMAP_H,
                                    ERG_BNA_P_FMAP_W,
                                    ERG_BNA_P_BANKS,
                                    ERG_BNA_P_WORD_BITS,
                                    ERG_BNA_P_BANK_ROWS,
                                    ERG_BNA_P_FMAP_WORDS,
                                    ERG_BNA_ID + 2,
                                    0x7F0,
                                    ERG_BNA_UNIT_SIZE - 4,
                                    ERG_BNA_OUT_BASE,
                                    ERG_BNA_FMAP_A,
                                    ERG_BNA_WSRAM};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) twin_expect_same_reg(offs[i]);
    for (uint32_t off = ERG_BNA_L_OP; off <= ERG_BNA_L_THERM1; off += 4) twin_expect_same_reg(off);
    twin_expect_same_counters("after reset");
}

Test(bna_rtl, host_accesses_count_weight_writes_only_and_read_back_the_same, .init = twin_open_fast,
     .fini = twin_close) {
    uint8_t buf[64];
    for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(i * 29 + 7);
    twin_write32(ERG_BNA_WSRAM + 8, 0xDEADBEEF);
    twin_burst_write(ERG_BNA_WSRAM + 64, buf, sizeof buf);
    twin_burst_write(ERG_BNA_FMAP_A, buf, sizeof buf);
    twin_write32(ERG_BNA_FMAP_B + 4, 0x11223344);
    /* past the SRAM behind the WSRAM window, unaligned, an RO register, L_* registers */
    twin_write32(ERG_BNA_WSRAM + (uint64_t)T.info.banks * T.bank_bytes, 5);
    twin_write32(ERG_BNA_WSRAM + 2, 0xFFFFFFFF);
    twin_write32(ERG_BNA_P_NEURONS, 7);
    twin_write32(ERG_BNA_L_WBASE, 0x1234);
    twin_write32(ERG_BNA_L_THERM1, 0x01020304);
    twin_expect_same_region(ERG_BNA_WSRAM, 128, "weight SRAM");
    twin_expect_same_region(ERG_BNA_WSRAM + (uint64_t)T.info.banks * T.bank_bytes - 8, 16,
                            "weight SRAM end");
    twin_expect_same_region(ERG_BNA_FMAP_A, 64, "buffer A");
    twin_expect_same_region(ERG_BNA_FMAP_B, 16, "buffer B");
    twin_expect_same_reg(ERG_BNA_P_NEURONS);
    twin_expect_same_reg(ERG_BNA_L_WBASE);
    twin_expect_same_reg(ERG_BNA_L_THERM1);
    twin_expect_same_counters("host accesses");
    twin_write32(ERG_BNA_CTRL, ERG_BNA_CTRL_CLEAR);
    twin_expect_same_counters("CLEAR");
}

Test(bna_rtl, refused_descriptors_give_the_same_error_and_change_nothing, .init = twin_open_fast,
     .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 5);
    /* the documented cases, then random descriptors around the limits (most are refused;
     * accepted ones run and are compared like any layer) */
    erg_drv_layer cases[64];
    int n = twin_bad_descriptors(cases);
    for (int i = 0; i < n; i++) twin_expect_same_start(&cases[i], "documented case");
    for (int i = 0; i < 120; i++) {
        erg_drv_layer d;
        twin_wild_descriptor(&r, &d);
        twin_expect_same_start(&d, "random descriptor");
    }
}

Test(bna_rtl, random_conv_layers_match_the_c_model, .init = twin_open_fast, .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 11);
    for (int i = 0; i < 40; i++) twin_random_layer(&r, TWIN_CONV, i);
}

Test(bna_rtl, random_thermometer_conv_layers_match_the_c_model, .init = twin_open_fast,
     .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 12);
    for (int i = 0; i < 20; i++) twin_random_layer(&r, TWIN_THERM, i);
}

Test(bna_rtl, random_maxpool_layers_match_the_c_model, .init = twin_open_fast, .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 13);
    for (int i = 0; i < 24; i++) twin_random_layer(&r, TWIN_POOL, i);
}

Test(bna_rtl, random_dense_layers_match_the_c_model, .init = twin_open_fast, .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 14);
    for (int i = 0; i < 24; i++) twin_random_layer(&r, i % 2 ? TWIN_DENSE : TWIN_DENSE_DOTS, i);
}

Test(bna_rtl, verification_build_with_random_initial_values_matches_too, .init = twin_open_verify,
     .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 15);
    twin_expect_same_counters("after reset");
    for (int i = 0; i < 20; i++) twin_random_layer(&r, TWIN_ANY, i);
}

Test(bna_rtl, random_networks_match_the_c_model_layer_by_layer, .init = twin_open_fast,
     .fini = twin_close) {
    for (uint64_t s = 1; s <= 10; s++) twin_random_net(s, 1);
}

/* The RTL takes host SRAM accesses only between layers (the sequencer owns the ports while
 * BUSY): a read of the output map right after START waits for the layer and then reads what
 * the C model, which finishes within the START write, reads at once. */
Test(bna_rtl, host_sram_accesses_during_a_layer_wait_for_it, .init = twin_open_fast,
     .fini = twin_close) {
    erg_rng r;
    erg_rng_seed(&r, 21);
    erg_drv_layer d = {.op = ERG_BNA_OP_CONV,
                       .in_h = 6,
                       .in_w = 6,
                       .in_c = 40,
                       .out_c = (uint32_t)T.info.neurons + 3,
                       .k = (uint32_t)T.kernel[T.n_kernel - 1],
                       .src = 0,
                       .dst = 1};
    int64_t in_w, out_w;
    layer_words(&d, &in_w, &out_w);
    twin_random_bytes(&r, ERG_BNA_FMAP_A, (size_t)in_w * 8);
    twin_random_bytes(&r, ERG_BNA_FMAP_B, (size_t)out_w * 8);
    load_random_weights(&r, &d);
    const uint32_t regs[][2] = {{ERG_BNA_L_OP, d.op},
                                {ERG_BNA_L_IN_H, d.in_h},
                                {ERG_BNA_L_IN_W, d.in_w},
                                {ERG_BNA_L_IN_C, d.in_c},
                                {ERG_BNA_L_OUT_C, d.out_c},
                                {ERG_BNA_L_K, d.k},
                                {ERG_BNA_L_SRC, d.src},
                                {ERG_BNA_L_DST, d.dst},
                                {ERG_BNA_L_WBASE, 0},
                                {ERG_BNA_L_FLAGS, 0},
                                {ERG_BNA_CTRL, ERG_BNA_CTRL_CLEAR | ERG_BNA_CTRL_START}};
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) twin_write32(regs[i][0], regs[i][1]);
    uint32_t st = erg_bus_read32(&T.rtl->bus, T.base + ERG_BNA_STATUS);
    cr_expect_eq(st, ERG_BNA_STATUS_BUSY, "the RTL's STATUS right after START: 0x%x", st);
    twin_expect_same_region(ERG_BNA_FMAP_B, (size_t)out_w * 8, "output read during the layer");
    cr_expect_eq(erg_bus_read32(&T.rtl->bus, T.base + ERG_BNA_STATUS), ERG_BNA_STATUS_DONE);
    twin_expect_same_counters("after the layer");
    cr_expect_eq(erg_backend_rtl_layer_cycles(T.rtl, 0),
                 erg_bus_read32(&T.rtl->bus, T.base + ERG_BNA_CNT_BASE));
}

Test(bna_rtl, refuses_a_chip_other_than_the_one_it_was_built_for, .init = twin_open_fast,
     .fini = twin_close) {
    erg_chip other = T.chip;
    other.units[0].neurons *= 2;
    erg_error err = {{0}};
    erg_backend *b = erg_backend_rtl(&other, NULL, 0, &err);
    cr_expect_null(b);
    cr_expect(strstr(err.msg, "neurons") != NULL, "message '%s' lacks 'neurons'", err.msg);
    erg_backend_destroy(b);
    b = erg_backend_rtl(&T.chip, "/tmp/erg_rtl_trace.vcd", 0, &err);
    cr_expect_null(b, "a .vcd trace was accepted");
    cr_expect(strstr(err.msg, "FST") != NULL, "message '%s' lacks 'FST'", err.msg);
    erg_backend_destroy(b);
}

Test(bna_rtl, writes_an_fst_waveform_when_asked, .init = twin_open_fast, .fini = twin_close) {
    char dir[] = "/tmp/erg_rtl_trace_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bna.fst", dir);
    erg_error err = {{0}};
    erg_backend *b = erg_backend_rtl(&T.chip, path, 0, &err);
    cr_assert_not_null(b, "%s", err.msg);
    erg_drv_layer d = {.op = ERG_BNA_OP_MAXPOOL, .in_h = 4, .in_w = 4, .in_c = 8, .k = 1, .dst = 1};
    erg_counters c;
    cr_expect_eq(erg_drv_run_layer(&b->bus, &T.info, &d, 1000, &c, &err), 0, "%s", err.msg);
    cr_expect_eq(c.v[ERG_CNT_cycles], 17); /* Ho Wo S + 1 = 16 + 1 */
    cr_expect_eq(b->now(b), erg_backend_rtl_ticks(b));
    erg_backend_destroy(b); /* closes the file */
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    remove(path);
    rmdir(dir);
    cr_expect_gt(size, 1000, "the FST file has %ld bytes", size);
}

Test(bna_rtl, runs_under_the_chip_runner_when_the_rtl_backend_is_wired, .init = twin_open_fast,
     .fini = twin_close) {
    twin_chip_runner_same(3, "rtl");
}

Test(bna_rtl, the_reset_value_check_reads_every_register_and_catches_a_missing_reset,
     .init = twin_open_fast, .fini = twin_close) {
    /* readable registers of erg_regs.def: ID VERSION STATUS IRQ_EN IRQ_STATUS ERROR (6), L_OP ..
     * L_THERM1 (12), P_* (9) = 27; the counters' 2 x 20 words; OUT[0 .. C-1] */
    cr_expect_eq(erg_drv_read_all_regs(&T.cm->bus, &T.info),
                 27 + 2 * ERG_CNT_COUNT + T.info.channels);
    /* fault 4 (the OUT registers lose their reset) is caught before any layer runs; the
     * unbroken fault build (fault 0) passes on the same net */
    erg_net net;
    erg_weights wt;
    write_random_net(1, &net, &wt);
    size_t n = (size_t)erg_shape_count(net.input);
    uint8_t *img = calloc(n, 1);
    erg_verify_result res;
    erg_error err = {{0}};
    cr_assert_eq(
        erg_verify_net(&T.chip, &net, &wt, img, 1, "cosim:rtl-fault4", NULL, -1, &res, &err), 0,
        "%s", err.msg);
    cr_expect_eq(res.mismatch, 1);
    cr_expect_eq(res.layer, -1);
    cr_expect_not_null(strstr(res.msg, "after reset"), "%s", res.msg);
    cr_expect_not_null(strstr(res.msg, "OUT[0]"), "%s", res.msg);
    cr_assert_eq(
        erg_verify_net(&T.chip, &net, &wt, img, 1, "cosim:rtl-fault0", NULL, -1, &res, &err), 0,
        "%s", err.msg);
    cr_expect_eq(res.mismatch, 0, "%s", res.msg);
    free(img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(bna_rtl, the_mismatch_waveform_is_a_window_around_the_failing_layer, .init = twin_open_fast,
     .fini = twin_close) {
    /* fault 1 (pooling off by one) on random net 1 fails in a pool layer; the re-run traces
     * only that layer: from the end of the previous layer's read-back to the differing read */
    erg_net net;
    erg_weights wt;
    write_random_net(1, &net, &wt);
    size_t n = (size_t)erg_shape_count(net.input);
    uint8_t *img = malloc(n);
    for (size_t i = 0; i < n; i++) img[i] = (uint8_t)(i * 37 + 1);
    erg_verify_result first, res;
    erg_error err = {{0}};
    cr_assert_eq(
        erg_verify_net(&T.chip, &net, &wt, img, 1, "cosim:rtl-fault1", NULL, -1, &first, &err), 0,
        "%s", err.msg);
    cr_assert_eq(first.mismatch, 1);
    cr_assert_geq(first.layer, 1, "the first layer of a random net is a conv");
    cr_expect_eq(net.layers[first.layer].type, ERG_L_MAXPOOL, "%s", first.msg);
    cr_expect_eq(first.trace_to, 0, "no trace asked, no window");
    char dir[] = "/tmp/erg_rtl_window_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/w.fst", dir);
    cr_assert_eq(erg_verify_net(&T.chip, &net, &wt, img, 1, "cosim:rtl-fault1", path, first.layer,
                                &res, &err),
                 0, "%s", err.msg);
    /* the same mismatch at the same cycle (the re-run is the same frame from reset) */
    cr_expect_str_eq(res.msg, first.msg);
    cr_expect_eq(res.cycle, first.cycle);
    /* the window: after reset and weight load, ends at the layer's check, contains the read */
    cr_expect_gt(res.trace_from, 1000, "window from %llu", (unsigned long long)res.trace_from);
    cr_expect_lt(res.trace_from, res.cycle);
    cr_expect_geq(res.trace_to, res.cycle);
    cr_expect_lt(res.trace_to - res.trace_from, res.trace_to / 4,
                 "the window is one layer, not the frame");
    FILE *f = fopen(path, "rb");
    cr_expect_not_null(f);
    if (f) fclose(f);
    remove(path);
    rmdir(dir);
    free(img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

#endif /* TEST_BNA_RTL_HELPERS_ONLY */

#else

Test(bna_rtl, is_not_built_without_verilator) {
    cr_log_info("this build has no Verilator: the rtl backend and its tests are left out");
}

#endif
