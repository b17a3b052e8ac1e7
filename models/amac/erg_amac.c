/* erg_amac.c — the AMAC unit's C model (docs/amac-unit.md): parameter checks, reset state,
 * register decode (driver/erg_amac_regs.def), the local-memory window, layer-descriptor
 * validation and START/CLEAR around erg_mac_array_run. */
#include "erg_amac.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amul.h"
#include "erg_geom.h"
#include "erg_regs_amac.h"

/* The register map and the array model must agree: counters (same names, same order), the
 * kind, dataflow and timing codes, and the size of the multiplier set. */
_Static_assert(ERG_AMAC_CNT_COUNT == ERG_MAC_STATS_COUNT,
               "erg_amac_regs.def lists a different number of counters than erg_mac_stats");
_Static_assert(ERG_AMAC_CNT_COUNT <= ERG_AMAC_CNT_MAX, "more counters than CNT_MAX slots");
#define ERG_AMAC_CHECK_COUNTER(name, desc)                                                         \
    _Static_assert(ERG_AMAC_CNT_##name == ERG_MAC_STAT_##name,                                     \
                   "counter " #name                                                                \
                   " has another index in erg_amac_regs.def than in erg_mac_stats");
ERG_MAC_STATS_LIST(ERG_AMAC_CHECK_COUNTER)
#undef ERG_AMAC_CHECK_COUNTER
_Static_assert(ERG_AMAC_KIND_CONV == ERG_MAC_CONV && ERG_AMAC_KIND_DEPTHWISE == ERG_MAC_DEPTHWISE &&
                   ERG_AMAC_KIND_DENSE == ERG_MAC_DENSE,
               "KIND_* codes differ from erg_mac_kind");
_Static_assert(ERG_AMAC_DATAFLOW_OS == ERG_MAC_OS && ERG_AMAC_DATAFLOW_WS == ERG_MAC_WS &&
                   ERG_AMAC_DATAFLOW_IS == ERG_MAC_IS,
               "DATAFLOW_* codes differ from erg_mac_dataflow");
_Static_assert(ERG_AMAC_TIMING_ERG == ERG_MAC_TIMING_ERG &&
                   ERG_AMAC_TIMING_SCALESIM == ERG_MAC_TIMING_SCALESIM,
               "TIMING_* codes differ from erg_mac_timing_mode");
_Static_assert(ERG_AMAC_MAX_MULS == ERG_AMAC_MUL_MAX, "ERG_AMAC_MAX_MULS != MUL_MAX");
_Static_assert(ERG_AMAC_USER_ID0 == ERG_AMAC_MUL_ID_USER, "ERG_AMAC_USER_ID0 != MUL_ID_USER");
_Static_assert(ERG_AMUL_COUNT <= ERG_AMAC_USER_ID0, "built-in ids run into MUL_ID_USER");

/* L_* registers: L_KIND .. L_MUL, 4 bytes apart. */
#define NLREG ((ERG_AMAC_L_MUL - ERG_AMAC_L_KIND) / 4 + 1)
#define LREG(u, name) ((u)->lreg[(ERG_AMAC_##name - ERG_AMAC_L_KIND) / 4])
#define Q16 65536.0

struct erg_amac {
    erg_amac_params p;
    erg_mac_array_cfg cfg;
    uint32_t bpc_q16;                             /* P_DRAM_BPC */
    const erg_mul8u *mul[ERG_AMAC_MAX_MULS];      /* NULL = exact (the fast path of the array) */
    uint16_t *user_table[ERG_AMAC_MAX_USER_MULS]; /* the unit's copies of p.user_tables */
    erg_mul8u user_mul[ERG_AMAC_MAX_USER_MULS];
    uint8_t *lmem; /* p.lmem_bytes */
    uint32_t lreg[NLREG];
    uint32_t status, irq_en, irq_status, error, err_arg;
    erg_mac_stats cnt;
    uint64_t now;
    erg_error msg; /* why the last START was refused */
};

/* ---- parameters ---- */

static int check_params(const erg_amac_params *p, erg_error *err) {
    if (!p) return erg_fail(err, "amac: no parameters");
    const struct {
        const char *name;
        uint64_t v;
    } bufs[3] = {{"ifmap_sram_bytes", p->ifmap_sram_bytes},
                 {"filter_sram_bytes", p->filter_sram_bytes},
                 {"ofmap_sram_bytes", p->ofmap_sram_bytes}};
    for (int i = 0; i < 3; i++)
        if (bufs[i].v < 1 || bufs[i].v > UINT32_MAX)
            return erg_fail(err, "amac: %s = %llu, must be 1 ... %u", bufs[i].name,
                            (unsigned long long)bufs[i].v, (unsigned)UINT32_MAX);
    /* rounded to Q16.16 it must stay >= 0.01 (656 / 65536) and fit 32 bits; NaN fails too */
    double b = p->dram_bytes_per_cycle, q = b * Q16 + 0.5;
    if (!(q >= 656.0 && q < 4294967296.0))
        return erg_fail(err,
                        "amac: dram_bytes_per_cycle = %g, must be 0.01 ... 65535.99 (the unit "
                        "holds it as Q16.16)",
                        b);
    if (p->lmem_bytes < 1 || p->lmem_bytes > ERG_AMAC_LMEM_SIZE)
        return erg_fail(err, "amac: lmem_bytes = %llu, must be 1 ... %u (the LMEM window)",
                        (unsigned long long)p->lmem_bytes, (unsigned)ERG_AMAC_LMEM_SIZE);
    if (p->n_mul < 1 || p->n_mul > ERG_AMAC_MAX_MULS)
        return erg_fail(err, "amac: n_mul = %d, must be 1 ... %d", p->n_mul, ERG_AMAC_MAX_MULS);
    for (int i = 0; i < p->n_mul; i++) {
        int id = p->mul_ids[i], k = id - ERG_AMAC_USER_ID0;
        if (k >= 0 && k < ERG_AMAC_MAX_USER_MULS) {
            if (!p->user_tables[k])
                return erg_fail(err,
                                "amac: mul_ids[%d] = 0x%x names user multiplier %d, which has "
                                "no product table",
                                i, (unsigned)id, k);
        } else if (id < 0 || id >= ERG_AMUL_COUNT) {
            return erg_fail(err,
                            "amac: mul_ids[%d] = %d is not a built-in multiplier id (0 ... %d, "
                            "erg_amul.def order) nor a user one (0x%x + 0 ... %d)",
                            i, id, ERG_AMUL_COUNT - 1, (unsigned)ERG_AMAC_USER_ID0,
                            ERG_AMAC_MAX_USER_MULS - 1);
        }
    }
    return 0;
}

/* A user multiplier: its product table [a * 256 + b]. */
static uint16_t table_product(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[(unsigned)a * 256u + b];
}

erg_amac *erg_amac_create(const erg_amac_params *p, erg_error *err) {
    if (check_params(p, err) != 0) return NULL;
    erg_mac_array_cfg cfg = {.rows = p->rows,
                             .cols = p->cols,
                             .dataflow = p->dataflow,
                             .timing = p->timing,
                             .ifmap_sram_bytes = p->ifmap_sram_bytes,
                             .filter_sram_bytes = p->filter_sram_bytes,
                             .ofmap_sram_bytes = p->ofmap_sram_bytes};
    uint32_t q = (uint32_t)(p->dram_bytes_per_cycle * Q16 + 0.5);
    cfg.dram_bytes_per_cycle = q / Q16; /* exact: q < 2^32 */
    if (erg_mac_array_cfg_check(&cfg, err) != 0) {
        erg_error_prefix(err, "amac");
        return NULL;
    }
    erg_amac *u = calloc(1, sizeof *u);
    if (u) u->lmem = calloc((size_t)p->lmem_bytes, 1);
    if (!u || !u->lmem) {
        erg_amac_free(u);
        erg_fail(err, "amac: out of memory for a %llu-byte local memory",
                 (unsigned long long)p->lmem_bytes);
        return NULL;
    }
    u->p = *p;
    u->cfg = cfg;
    u->bpc_q16 = q;
    for (int k = 0; k < ERG_AMAC_MAX_USER_MULS; k++) {
        u->p.user_tables[k] = NULL; /* borrowed: not kept */
        if (!p->user_tables[k]) continue;
        u->user_table[k] = malloc(65536 * sizeof *u->user_table[k]);
        if (!u->user_table[k]) {
            erg_amac_free(u);
            erg_fail(err, "amac: out of memory for a product table");
            return NULL;
        }
        memcpy(u->user_table[k], p->user_tables[k], 65536 * sizeof *u->user_table[k]);
        u->user_mul[k] =
            (erg_mul8u){.fn = table_product, .ctx = u->user_table[k], .name = "user product table"};
    }
    for (int i = 0; i < p->n_mul; i++) {
        int id = p->mul_ids[i];
        if (id >= ERG_AMAC_USER_ID0)
            u->mul[i] = &u->user_mul[id - ERG_AMAC_USER_ID0];
        else
            u->mul[i] = id == ERG_AMUL_ID_exact ? NULL : erg_amul_mul8u(id);
    }
    return u;
}

void erg_amac_free(erg_amac *u) {
    if (!u) return;
    for (int k = 0; k < ERG_AMAC_MAX_USER_MULS; k++) free(u->user_table[k]);
    free(u->lmem);
    free(u);
}

/* ---- the layer descriptor ---- */

/* Little-endian words in local memory, whatever the host's byte order. */
static int32_t ld32(const uint8_t *m) {
    uint32_t v = (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
    return v <= (uint32_t)INT32_MAX ? (int32_t)v : (int32_t)(v - 0x80000000u) + INT32_MIN;
}
static void st32(uint8_t *m, int32_t s) {
    uint32_t v = (uint32_t)s;
    for (int i = 0; i < 4; i++) m[i] = (uint8_t)(v >> (8 * i));
}

enum { T_IN, T_W, T_BIAS, T_M0, T_SHIFT, T_OUT, T_COUNT };
static const uint32_t tensor_code[T_COUNT] = {ERG_AMAC_TENSOR_IN,    ERG_AMAC_TENSOR_W,
                                              ERG_AMAC_TENSOR_BIAS,  ERG_AMAC_TENSOR_M0,
                                              ERG_AMAC_TENSOR_SHIFT, ERG_AMAC_TENSOR_OUT};
static const char *const tensor_name[T_COUNT] = {"input", "weights", "bias",
                                                 "m0",    "shift",   "output"};

/* A decoded descriptor: the array layer (pointers set at run time) and its tensors. */
typedef struct amac_layer {
    erg_mac_layer ml;
    int requant, bias;
    uint64_t n_out; /* output values */
    uint32_t addr[T_COUNT];
    uint64_t bytes[T_COUNT]; /* 0 = the layer has no such tensor */
    int mul;
} amac_layer;

/* Records a refusal: ERROR, ERR_ARG and the message; returns the code. */
static uint32_t refuse(erg_amac *u, uint32_t code, uint32_t arg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static uint32_t refuse(erg_amac *u, uint32_t code, uint32_t arg, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg.msg, sizeof u->msg.msg, fmt, ap);
    va_end(ap);
    u->err_arg = arg;
    return code;
}

static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn) {
    return a < b + bn && b < a + an;
}

/* Decodes and checks the L_* registers. Checks run in this order and the first failure is the
 * ERROR code: KIND, SHAPE, MUL, ALIGN, ADDR, OVERLAP, TILING, SHIFT (docs/amac-unit.md). */
static uint32_t decode_layer(erg_amac *u, amac_layer *l) {
    memset(l, 0, sizeof *l);
    uint32_t kind = LREG(u, L_KIND), pad = LREG(u, L_PAD), flags = LREG(u, L_FLAGS);
    if (kind > ERG_AMAC_KIND_DENSE)
        return refuse(u, ERG_AMAC_ERR_KIND, ERG_AMAC_L_KIND,
                      "L_KIND = %u is not conv (0), depthwise (1) or dense (2)", kind);
    int conv_like = kind != ERG_AMAC_KIND_DENSE;
    if (conv_like && pad > ERG_AMAC_PAD_SAME)
        return refuse(u, ERG_AMAC_ERR_KIND, ERG_AMAC_L_PAD,
                      "L_PAD = %u is not valid (0) or same (1)", pad);

    /* SHAPE: every size used by the kind in 1 ... SIZE_MAX */
    static const struct {
        uint32_t off;
        const char *name;
        int conv_only;
    } sizes[] = {{ERG_AMAC_L_IN_H, "L_IN_H", 0},    {ERG_AMAC_L_IN_W, "L_IN_W", 0},
                 {ERG_AMAC_L_IN_C, "L_IN_C", 0},    {ERG_AMAC_L_OUT_C, "L_OUT_C", 0},
                 {ERG_AMAC_L_K_H, "L_K_H", 1},      {ERG_AMAC_L_K_W, "L_K_W", 1},
                 {ERG_AMAC_L_STRIDE, "L_STRIDE", 1}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint32_t v = u->lreg[(sizes[i].off - ERG_AMAC_L_KIND) / 4];
        if ((conv_like || !sizes[i].conv_only) && (v < 1 || v > ERG_AMAC_SIZE_MAX))
            return refuse(u, ERG_AMAC_ERR_SHAPE, sizes[i].off, "%s = %u, must be 1 ... %u",
                          sizes[i].name, v, (unsigned)ERG_AMAC_SIZE_MAX);
    }
    int in_h = (int)LREG(u, L_IN_H), in_w = (int)LREG(u, L_IN_W), in_c = (int)LREG(u, L_IN_C);
    int out_c = (int)LREG(u, L_OUT_C);
    uint64_t in_bytes = (uint64_t)in_h * (uint64_t)in_w * (uint64_t)in_c;
    if (in_bytes > INT32_MAX)
        return refuse(u, ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_IN_C,
                      "input map %dx%dx%d has %llu values, more than 2^31 - 1", in_h, in_w, in_c,
                      (unsigned long long)in_bytes);
    if (kind == ERG_AMAC_KIND_DEPTHWISE && out_c != in_c)
        return refuse(u, ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_OUT_C,
                      "depthwise layer with L_IN_C = %d but L_OUT_C = %d (must be equal)", in_c,
                      out_c);
    erg_mac_layer *ml = &l->ml;
    ml->kind = (erg_mac_kind)kind;
    uint64_t out_pix = 1, w_bytes;
    if (conv_like) {
        int kh = (int)LREG(u, L_K_H), kw = (int)LREG(u, L_K_W), s = (int)LREG(u, L_STRIDE);
        erg_error e;
        if (erg_conv_geom_init(&ml->geom, in_h, in_w, in_c, kh, kw, s, pad == ERG_AMAC_PAD_SAME,
                               out_c, &e) != 0)
            return refuse(u, ERG_AMAC_ERR_SHAPE, kh > in_h ? ERG_AMAC_L_K_H : ERG_AMAC_L_K_W,
                          "%dx%d window does not fit the %dx%d input with valid padding", kh, kw,
                          in_h, in_w);
        out_pix = (uint64_t)ml->geom.out_h * (uint64_t)ml->geom.out_w;
        w_bytes = (uint64_t)kh * (uint64_t)kw * (kind == ERG_AMAC_KIND_CONV ? (uint64_t)in_c : 1) *
                  (uint64_t)out_c;
    } else {
        ml->n_in = (int)in_bytes;
        ml->n_out = out_c;
        w_bytes = in_bytes * (uint64_t)out_c;
    }

    l->mul = (int)LREG(u, L_MUL);
    if (LREG(u, L_MUL) >= (uint32_t)u->p.n_mul)
        return refuse(u, ERG_AMAC_ERR_MUL, ERG_AMAC_L_MUL,
                      "L_MUL = %u, the unit has %d multipliers (0 ... %d)", LREG(u, L_MUL),
                      u->p.n_mul, u->p.n_mul - 1);

    l->bias = (flags & ERG_AMAC_L_FLAGS_BIAS) != 0;
    l->requant = (flags & ERG_AMAC_L_FLAGS_REQUANT) != 0;
    l->n_out = out_pix * (uint64_t)out_c;
    static const uint32_t addr_off[T_COUNT] = {ERG_AMAC_L_IN_ADDR,    ERG_AMAC_L_W_ADDR,
                                               ERG_AMAC_L_BIAS_ADDR,  ERG_AMAC_L_M0_ADDR,
                                               ERG_AMAC_L_SHIFT_ADDR, ERG_AMAC_L_OUT_ADDR};
    for (int t = 0; t < T_COUNT; t++) l->addr[t] = u->lreg[(addr_off[t] - ERG_AMAC_L_KIND) / 4];
    l->bytes[T_IN] = in_bytes;
    l->bytes[T_W] = w_bytes;
    l->bytes[T_BIAS] = l->bias ? 4 * (uint64_t)out_c : 0;
    l->bytes[T_M0] = l->bytes[T_SHIFT] = l->requant ? 4 * (uint64_t)out_c : 0;
    l->bytes[T_OUT] = l->n_out * (l->requant ? 1 : 4);

    /* ALIGN: the int32 tensors the layer uses */
    for (int t = T_BIAS; t <= T_OUT; t++)
        if (l->bytes[t] && (t != T_OUT || !l->requant) && l->addr[t] % 4 != 0)
            return refuse(u, ERG_AMAC_ERR_ALIGN, tensor_code[t],
                          "int32 %s at local-memory address 0x%x is not 4-byte aligned",
                          tensor_name[t], l->addr[t]);
    /* ADDR: every tensor inside the local memory */
    uint64_t lm = u->p.lmem_bytes;
    for (int t = 0; t < T_COUNT; t++)
        if (l->bytes[t] && (l->bytes[t] > lm || l->addr[t] > lm - l->bytes[t]))
            return refuse(u, ERG_AMAC_ERR_ADDR, tensor_code[t],
                          "%s at 0x%x, %llu bytes, runs past the end of the %llu-byte local "
                          "memory",
                          tensor_name[t], l->addr[t], (unsigned long long)l->bytes[t],
                          (unsigned long long)lm);
    /* OVERLAP: the output must not overwrite what the layer reads */
    for (int t = 0; t < T_OUT; t++)
        if (l->bytes[t] && overlaps(l->addr[T_OUT], l->bytes[T_OUT], l->addr[t], l->bytes[t]))
            return refuse(u, ERG_AMAC_ERR_OVERLAP, tensor_code[t],
                          "output at 0x%x (%llu bytes) overlaps the %s at 0x%x (%llu bytes)",
                          l->addr[T_OUT], (unsigned long long)l->bytes[T_OUT], tensor_name[t],
                          l->addr[t], (unsigned long long)l->bytes[t]);
    /* TILING: the array model's own refusal (buffers, counter range); bias and m0 only say
     * whether the layer has them */
    static const int32_t marker = 0;
    ml->bias = l->bias ? &marker : NULL;
    ml->m0 = ml->shift = l->requant ? &marker : NULL;
    ml->zp = (int32_t)LREG(u, L_ZP);
    erg_error e;
    if (erg_mac_array_timing(&u->cfg, ml, NULL, &e) != 0)
        return refuse(u, ERG_AMAC_ERR_TILING, 0, "%s", e.msg);
    /* SHIFT: every requantization shift in 0 ... 31 */
    if (l->requant)
        for (int c = 0; c < out_c; c++) {
            int32_t s = ld32(u->lmem + l->addr[T_SHIFT] + 4 * (uint64_t)c);
            if (s < 0 || s > 31)
                return refuse(u, ERG_AMAC_ERR_SHIFT, (uint32_t)c,
                              "requantization shift[%d] = %d (at 0x%llx), must be 0 ... 31", c,
                              (int)s, (unsigned long long)(l->addr[T_SHIFT] + 4 * (uint64_t)c));
        }
    u->err_arg = 0;
    u->msg.msg[0] = '\0';
    return ERG_AMAC_ERR_NONE;
}

/* Reads an int32 array [n] from local memory into a new buffer (NULL when n is 0 or on OOM). */
static int32_t *load_i32(const erg_amac *u, uint32_t addr, uint64_t bytes) {
    if (!bytes) return NULL;
    int32_t *v = malloc((size_t)bytes);
    if (v)
        for (uint64_t i = 0; i < bytes / 4; i++) v[i] = ld32(u->lmem + addr + 4 * i);
    return v;
}

/* Runs a validated layer on the tensors in local memory; 0 or -1 (host out of memory). */
static int run_layer(erg_amac *u, amac_layer *l, erg_mac_stats *st) {
    erg_mac_layer *ml = &l->ml;
    int32_t *bias = load_i32(u, l->addr[T_BIAS], l->bytes[T_BIAS]);
    int32_t *m0 = load_i32(u, l->addr[T_M0], l->bytes[T_M0]);
    int32_t *shift = load_i32(u, l->addr[T_SHIFT], l->bytes[T_SHIFT]);
    int32_t *acc = l->requant ? NULL : malloc((size_t)l->bytes[T_OUT]);
    int rc = -1;
    if ((l->bias && !bias) || (l->requant && (!m0 || !shift)) || (!l->requant && !acc)) {
        snprintf(u->msg.msg, sizeof u->msg.msg, "amac: the host ran out of memory");
        goto done;
    }
    ml->w = (const int8_t *)(u->lmem + l->addr[T_W]);
    ml->bias = bias;
    ml->m0 = m0;
    ml->shift = shift;
    ml->mul = u->mul[l->mul];
    uint8_t *out = l->requant ? u->lmem + l->addr[T_OUT] : NULL;
    if (erg_mac_array_run(&u->cfg, ml, u->lmem + l->addr[T_IN], acc, out, st, &u->msg) != 0)
        goto done;
    if (acc)
        for (uint64_t i = 0; i < l->n_out; i++) st32(u->lmem + l->addr[T_OUT] + 4 * i, acc[i]);
    rc = 0;
done:
    free(bias);
    free(m0);
    free(shift);
    free(acc);
    return rc;
}

static void start(erg_amac *u) {
    amac_layer l;
    erg_mac_stats st;
    uint32_t code = decode_layer(u, &l);
    if (code == ERG_AMAC_ERR_NONE && run_layer(u, &l, &st) != 0) {
        /* only the simulator's own failure (no host memory) gets here: refused like a layer
         * the unit cannot run, with the message saying why */
        code = ERG_AMAC_ERR_TILING;
        u->err_arg = 0;
    }
    u->error = code;
    u->irq_status |= ERG_AMAC_IRQ_STATUS_DONE;
    if (code != ERG_AMAC_ERR_NONE) {
        /* refused: nothing runs, no cycles, no counters; the layer "finishes" at once with
         * ERROR set, so a driver waiting for the interrupt learns of it */
        u->status = ERG_AMAC_STATUS_DONE | ERG_AMAC_STATUS_ERROR;
        return;
    }
    erg_mac_stats_add(&u->cnt, &st);
    u->now += st.cycles;
    u->status = ERG_AMAC_STATUS_DONE;
}

/* ---- registers and the local-memory window ---- */

static int in_lmem_window(uint64_t off) {
    return off >= ERG_AMAC_LMEM && off - ERG_AMAC_LMEM < (uint64_t)ERG_AMAC_LMEM_SIZE;
}

static uint32_t read_param(const erg_amac *u, uint64_t off) {
    switch (off) {
    case ERG_AMAC_P_ROWS:
        return (uint32_t)u->p.rows;
    case ERG_AMAC_P_COLS:
        return (uint32_t)u->p.cols;
    case ERG_AMAC_P_DATAFLOW:
        return (uint32_t)u->p.dataflow;
    case ERG_AMAC_P_TIMING:
        return (uint32_t)u->p.timing;
    case ERG_AMAC_P_IFMAP_SRAM:
        return (uint32_t)u->p.ifmap_sram_bytes;
    case ERG_AMAC_P_FILTER_SRAM:
        return (uint32_t)u->p.filter_sram_bytes;
    case ERG_AMAC_P_OFMAP_SRAM:
        return (uint32_t)u->p.ofmap_sram_bytes;
    case ERG_AMAC_P_DRAM_BPC:
        return u->bpc_q16;
    case ERG_AMAC_P_LMEM_BYTES:
        return (uint32_t)u->p.lmem_bytes;
    case ERG_AMAC_P_NMUL:
        return (uint32_t)u->p.n_mul;
    default:
        return 0;
    }
}

uint32_t erg_amac_read32(erg_amac *u, uint64_t off) {
    if (off % 4 != 0) return 0;
    if (in_lmem_window(off)) {
        uint64_t a = off - ERG_AMAC_LMEM;
        uint32_t v = 0;
        for (uint64_t i = 0; i < 4 && a + i < u->p.lmem_bytes; i++)
            v |= (uint32_t)u->lmem[a + i] << (8 * i);
        return v;
    }
    if (off >= ERG_AMAC_L_KIND && off < ERG_AMAC_L_KIND + 4 * (uint64_t)NLREG)
        return u->lreg[(off - ERG_AMAC_L_KIND) / 4];
    if (off >= ERG_AMAC_MUL_ID_BASE &&
        off < ERG_AMAC_MUL_ID_BASE + 4 * (uint64_t)ERG_AMAC_MUL_MAX) {
        uint64_t i = (off - ERG_AMAC_MUL_ID_BASE) / 4;
        return i < (uint64_t)u->p.n_mul ? (uint32_t)u->p.mul_ids[i] : 0;
    }
    if (off >= ERG_AMAC_CNT_BASE && off < ERG_AMAC_CNT_BASE + 8 * (uint64_t)ERG_AMAC_CNT_COUNT) {
        uint64_t v = erg_mac_stats_get(&u->cnt, (int)((off - ERG_AMAC_CNT_BASE) / 8));
        return (uint32_t)((off - ERG_AMAC_CNT_BASE) % 8 ? v >> 32 : v);
    }
    switch (off) {
    case ERG_AMAC_ID:
        return ERG_AMAC_ID_VALUE;
    case ERG_AMAC_VERSION:
        return ERG_AMAC_VERSION_VALUE;
    case ERG_AMAC_STATUS:
        return u->status;
    case ERG_AMAC_IRQ_EN:
        return u->irq_en;
    case ERG_AMAC_IRQ_STATUS:
        return u->irq_status;
    case ERG_AMAC_ERROR:
        return u->error;
    case ERG_AMAC_ERR_ARG:
        return u->err_arg;
    default:
        return read_param(u, off);
    }
}

void erg_amac_write32(erg_amac *u, uint64_t off, uint32_t v) {
    if (off % 4 != 0) return;
    if (in_lmem_window(off)) {
        uint64_t a = off - ERG_AMAC_LMEM;
        for (uint64_t i = 0; i < 4 && a + i < u->p.lmem_bytes; i++)
            u->lmem[a + i] = (uint8_t)(v >> (8 * i));
        return;
    }
    if (off >= ERG_AMAC_L_KIND && off < ERG_AMAC_L_KIND + 4 * (uint64_t)NLREG) {
        u->lreg[(off - ERG_AMAC_L_KIND) / 4] = v;
        return;
    }
    switch (off) {
    case ERG_AMAC_CTRL:
        /* CLEAR first, so that CLEAR | START leaves only the new layer's counts */
        if (v & ERG_AMAC_CTRL_CLEAR) memset(&u->cnt, 0, sizeof u->cnt);
        if (v & ERG_AMAC_CTRL_START) start(u);
        break;
    case ERG_AMAC_IRQ_EN:
        u->irq_en = v & ERG_AMAC_IRQ_EN_DONE;
        break;
    case ERG_AMAC_IRQ_STATUS:
        u->irq_status &= ~(v & ERG_AMAC_IRQ_STATUS_DONE);
        break;
    default:
        break;
    }
}

/* The local-memory bytes [off, off + bytes) of the window that are backed: *n of them. */
static uint8_t *lmem_span(erg_amac *u, uint64_t off, size_t bytes, size_t *n) {
    uint64_t a = off - ERG_AMAC_LMEM;
    *n = 0;
    if (a >= u->p.lmem_bytes) return NULL;
    *n = (size_t)(u->p.lmem_bytes - a < bytes ? u->p.lmem_bytes - a : bytes);
    return u->lmem + a;
}

void erg_amac_burst_write(erg_amac *u, uint64_t off, const void *data, size_t bytes) {
    const uint8_t *d = data;
    if (bytes == 0) return;
    if (in_lmem_window(off) && in_lmem_window(off + bytes - 1)) {
        size_t n;
        uint8_t *m = lmem_span(u, off, bytes, &n);
        if (n) memcpy(m, d, n);
        return;
    }
    for (size_t i = 0; i + 4 <= bytes; i += 4)
        erg_amac_write32(u, off + i,
                         (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                             (uint32_t)d[i + 3] << 24);
}

void erg_amac_burst_read(erg_amac *u, uint64_t off, void *data, size_t bytes) {
    uint8_t *d = data;
    if (bytes == 0) return;
    memset(d, 0, bytes);
    if (in_lmem_window(off) && in_lmem_window(off + bytes - 1)) {
        size_t n;
        const uint8_t *m = lmem_span(u, off, bytes, &n);
        if (n) memcpy(d, m, n);
        return;
    }
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        uint32_t v = erg_amac_read32(u, off + i);
        for (int j = 0; j < 4; j++) d[i + j] = (uint8_t)(v >> (8 * j));
    }
}

int erg_amac_irq(const erg_amac *u) {
    return (u->irq_status & u->irq_en & ERG_AMAC_IRQ_STATUS_DONE) != 0;
}

const erg_mac_stats *erg_amac_counters(const erg_amac *u) {
    return &u->cnt;
}

uint64_t erg_amac_now(const erg_amac *u) {
    return u->now;
}

const erg_mac_array_cfg *erg_amac_array_cfg(const erg_amac *u) {
    return &u->cfg;
}

const char *erg_amac_error_message(const erg_amac *u) {
    return u->msg.msg;
}
