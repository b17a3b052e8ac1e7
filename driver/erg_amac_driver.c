/* erg_amac_driver.c — host driver of the AMAC unit over erg_bus: probe, local-memory transfers,
 * layer descriptors, start/wait and counters (docs/amac-unit.md, driver/erg_amac_regs.def). */
#include "erg_amac_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_geom.h"

#define ERG_ACC_RO 1
#define ERG_ACC_RW 1
#define ERG_ACC_W1C 1
#define ERG_ACC_WO 0

/* Every register of the map: offset, name, readable. */
static const struct {
    uint32_t off;
    const char *name;
    int readable;
} regs[] = {
#define ERG_REG(name, off, acc, desc) {off, #name, ERG_ACC_##acc},
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
};

static const char *const cnt_names[] = {
#define ERG_AMAC_CNT_NAME(name, desc) #name,
    ERG_AMAC_CNT_LIST(ERG_AMAC_CNT_NAME)
#undef ERG_AMAC_CNT_NAME
};
static const char *const cnt_descs[] = {
#define ERG_AMAC_CNT_DESC(name, desc) desc,
    ERG_AMAC_CNT_LIST(ERG_AMAC_CNT_DESC)
#undef ERG_AMAC_CNT_DESC
};

static uint32_t rd(const erg_bus *b, const erg_drv_amac_info *u, uint32_t off) {
    return erg_bus_read32(b, u->base + off);
}

static void wr(const erg_bus *b, const erg_drv_amac_info *u, uint32_t off, uint32_t v) {
    erg_bus_write32(b, u->base + off, v);
}

int erg_drv_amac_probe(const erg_bus *bus, uint64_t base, erg_drv_amac_info *info, erg_error *err) {
    memset(info, 0, sizeof *info);
    info->base = base;
    uint32_t id = rd(bus, info, ERG_AMAC_ID);
    if (id != ERG_AMAC_ID_VALUE)
        return erg_fail(err, "no AMAC unit at 0x%llx: ID reads 0x%08x, expected 0x%08x",
                        (unsigned long long)base, id, ERG_AMAC_ID_VALUE);
    uint32_t ver = rd(bus, info, ERG_AMAC_VERSION);
    if (ver != ERG_AMAC_VERSION_VALUE)
        return erg_fail(err, "AMAC unit at 0x%llx has register map version %u, driver knows %u",
                        (unsigned long long)base, ver, ERG_AMAC_VERSION_VALUE);
    info->rows = (int)rd(bus, info, ERG_AMAC_P_ROWS);
    info->cols = (int)rd(bus, info, ERG_AMAC_P_COLS);
    info->dataflow = rd(bus, info, ERG_AMAC_P_DATAFLOW);
    info->timing = rd(bus, info, ERG_AMAC_P_TIMING);
    info->ifmap_sram = rd(bus, info, ERG_AMAC_P_IFMAP_SRAM);
    info->filter_sram = rd(bus, info, ERG_AMAC_P_FILTER_SRAM);
    info->ofmap_sram = rd(bus, info, ERG_AMAC_P_OFMAP_SRAM);
    info->dram_bpc_q16 = rd(bus, info, ERG_AMAC_P_DRAM_BPC);
    info->dram_bytes_per_cycle = info->dram_bpc_q16 / 65536.0;
    info->lmem_bytes = rd(bus, info, ERG_AMAC_P_LMEM_BYTES);
    uint32_t n_mul = rd(bus, info, ERG_AMAC_P_NMUL);
    if (info->rows < 1 || info->cols < 1 || info->dataflow > ERG_AMAC_DATAFLOW_IS ||
        info->timing > ERG_AMAC_TIMING_SCALESIM || info->lmem_bytes < 1 ||
        info->lmem_bytes > ERG_AMAC_LMEM_SIZE || n_mul < 1 || n_mul > ERG_AMAC_MUL_MAX)
        return erg_fail(err,
                        "AMAC unit at 0x%llx reports nonsense parameters (rows %d, cols %d, "
                        "dataflow %u, timing %u, local memory %u bytes, %u multipliers)",
                        (unsigned long long)base, info->rows, info->cols, info->dataflow,
                        info->timing, info->lmem_bytes, n_mul);
    info->n_mul = (int)n_mul;
    for (int i = 0; i < info->n_mul; i++)
        info->mul_ids[i] = (int)rd(bus, info, ERG_AMAC_MUL_ID_BASE + 4u * (uint32_t)i);
    return 0;
}

int erg_drv_amac_mul_index(const erg_drv_amac_info *u, int amul_id) {
    for (int i = 0; i < u->n_mul; i++)
        if (u->mul_ids[i] == amul_id) return i;
    return -1;
}

/* ---- local memory ---- */

static int lmem_range(const erg_drv_amac_info *u, uint32_t addr, size_t bytes, const char *what,
                      erg_error *err) {
    if ((uint64_t)addr + bytes > u->lmem_bytes)
        return erg_fail(err,
                        "AMAC %s of %zu bytes at local-memory address 0x%x runs past the end of "
                        "the %u-byte local memory",
                        what, bytes, addr, u->lmem_bytes);
    return 0;
}

static uint64_t lmem_addr(const erg_drv_amac_info *u, uint64_t a) {
    return u->base + ERG_AMAC_LMEM + a;
}

/* Writes n (1..3) bytes inside the word at a & ~3 by read-modify-write. */
static void rmw(const erg_bus *bus, const erg_drv_amac_info *u, uint64_t a, const uint8_t *d,
                size_t n) {
    uint64_t w = a & ~(uint64_t)3;
    uint32_t v = erg_bus_read32(bus, lmem_addr(u, w));
    for (size_t i = 0; i < n; i++) {
        unsigned sh = 8u * (unsigned)(a - w + i);
        v = (v & ~(0xFFu << sh)) | (uint32_t)d[i] << sh;
    }
    erg_bus_write32(bus, lmem_addr(u, w), v);
}

/* Reads n bytes inside the word at a & ~3. */
static void rd_part(const erg_bus *bus, const erg_drv_amac_info *u, uint64_t a, uint8_t *d,
                    size_t n) {
    uint64_t w = a & ~(uint64_t)3;
    uint32_t v = erg_bus_read32(bus, lmem_addr(u, w));
    for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(v >> (8u * (unsigned)(a - w + i)));
}

int erg_drv_amac_write(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr,
                       const void *data, size_t bytes, erg_error *err) {
    if (lmem_range(u, addr, bytes, "write", err)) return -1;
    const uint8_t *d = data;
    uint64_t a = addr;
    if (bytes && a % 4) { /* partial first word */
        size_t n = 4 - (size_t)(a % 4);
        if (n > bytes) n = bytes;
        rmw(bus, u, a, d, n);
        a += n, d += n, bytes -= n;
    }
    size_t body = bytes & ~(size_t)3;
    if (body) bus->burst_write(bus->ctx, lmem_addr(u, a), d, body);
    if (bytes > body) rmw(bus, u, a + body, d + body, bytes - body);
    return 0;
}

int erg_drv_amac_read(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr, void *data,
                      size_t bytes, erg_error *err) {
    if (lmem_range(u, addr, bytes, "read", err)) return -1;
    uint8_t *d = data;
    uint64_t a = addr;
    if (bytes && a % 4) {
        size_t n = 4 - (size_t)(a % 4);
        if (n > bytes) n = bytes;
        rd_part(bus, u, a, d, n);
        a += n, d += n, bytes -= n;
    }
    size_t body = bytes & ~(size_t)3;
    if (body) bus->burst_read(bus->ctx, lmem_addr(u, a), d, body);
    if (bytes > body) rd_part(bus, u, a + body, d + body, bytes - body);
    return 0;
}

int erg_drv_amac_write_i32(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr,
                           const int32_t *v, size_t n, erg_error *err) {
    if (lmem_range(u, addr, 4 * n, "write", err)) return -1;
    uint8_t *b = malloc(4 * n + 1);
    if (!b) return erg_fail(err, "out of memory for %zu int32 values", n);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) b[4 * i + k] = (uint8_t)((uint32_t)v[i] >> (8 * k));
    int rc = erg_drv_amac_write(bus, u, addr, b, 4 * n, err);
    free(b);
    return rc;
}

int erg_drv_amac_read_i32(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr, int32_t *v,
                          size_t n, erg_error *err) {
    if (lmem_range(u, addr, 4 * n, "read", err)) return -1;
    uint8_t *b = malloc(4 * n + 1);
    if (!b) return erg_fail(err, "out of memory for %zu int32 values", n);
    int rc = erg_drv_amac_read(bus, u, addr, b, 4 * n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        uint32_t w = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                     (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
        v[i] = w <= (uint32_t)INT32_MAX ? (int32_t)w : (int32_t)(w - 0x80000000u) + INT32_MIN;
    }
    free(b);
    return rc;
}

/* ---- layers ---- */

int erg_drv_amac_layer_sizes(const erg_drv_amac_layer *l, erg_drv_amac_sizes *s, erg_error *err) {
    memset(s, 0, sizeof *s);
    if (l->kind > ERG_AMAC_KIND_DENSE)
        return erg_fail(err, "AMAC layer kind %u is not conv (0), depthwise (1) or dense (2)",
                        l->kind);
    int conv_like = l->kind != ERG_AMAC_KIND_DENSE;
    if (conv_like && l->pad > ERG_AMAC_PAD_SAME)
        return erg_fail(err, "AMAC layer padding %u is not valid (0) or same (1)", l->pad);
    const uint32_t v[7] = {l->in_h, l->in_w, l->in_c, l->out_c, l->k_h, l->k_w, l->stride};
    static const char *const names[7] = {"in_h", "in_w", "in_c", "out_c", "k_h", "k_w", "stride"};
    for (int i = 0; i < (conv_like ? 7 : 4); i++)
        if (v[i] < 1 || v[i] > ERG_AMAC_SIZE_MAX)
            return erg_fail(err, "AMAC layer %s = %u, must be 1 ... %u", names[i], v[i],
                            (unsigned)ERG_AMAC_SIZE_MAX);
    s->in = (uint64_t)l->in_h * l->in_w * l->in_c;
    if (s->in > INT32_MAX)
        return erg_fail(err, "AMAC layer input %ux%ux%u is larger than 2^31 - 1 values", l->in_h,
                        l->in_w, l->in_c);
    if (l->kind == ERG_AMAC_KIND_DEPTHWISE && l->out_c != l->in_c)
        return erg_fail(err, "AMAC depthwise layer with in_c = %u but out_c = %u", l->in_c,
                        l->out_c);
    s->out_h = s->out_w = 1;
    if (conv_like) {
        erg_conv_geom g;
        if (erg_conv_geom_init(&g, (int)l->in_h, (int)l->in_w, (int)l->in_c, (int)l->k_h,
                               (int)l->k_w, (int)l->stride, l->pad == ERG_AMAC_PAD_SAME,
                               (int)l->out_c, err) != 0)
            return erg_error_prefix(err, "AMAC layer");
        s->out_h = (uint32_t)g.out_h;
        s->out_w = (uint32_t)g.out_w;
        s->w = (uint64_t)l->k_h * l->k_w * (l->kind == ERG_AMAC_KIND_CONV ? l->in_c : 1) * l->out_c;
    } else {
        s->w = s->in * l->out_c;
    }
    int requant = (l->flags & ERG_AMAC_L_FLAGS_REQUANT) != 0;
    if (l->flags & ERG_AMAC_L_FLAGS_BIAS) s->bias = 4 * (uint64_t)l->out_c;
    if (requant) s->m0 = s->shift = 4 * (uint64_t)l->out_c;
    s->out = (uint64_t)s->out_h * s->out_w * l->out_c * (requant ? 1 : 4);
    return 0;
}

void erg_drv_amac_program(const erg_bus *bus, const erg_drv_amac_info *u,
                          const erg_drv_amac_layer *l) {
    wr(bus, u, ERG_AMAC_L_KIND, l->kind);
    wr(bus, u, ERG_AMAC_L_IN_H, l->in_h);
    wr(bus, u, ERG_AMAC_L_IN_W, l->in_w);
    wr(bus, u, ERG_AMAC_L_IN_C, l->in_c);
    wr(bus, u, ERG_AMAC_L_OUT_C, l->out_c);
    wr(bus, u, ERG_AMAC_L_K_H, l->k_h);
    wr(bus, u, ERG_AMAC_L_K_W, l->k_w);
    wr(bus, u, ERG_AMAC_L_STRIDE, l->stride);
    wr(bus, u, ERG_AMAC_L_PAD, l->pad);
    wr(bus, u, ERG_AMAC_L_FLAGS, l->flags);
    wr(bus, u, ERG_AMAC_L_IN_ADDR, l->in_addr);
    wr(bus, u, ERG_AMAC_L_W_ADDR, l->w_addr);
    wr(bus, u, ERG_AMAC_L_BIAS_ADDR, l->bias_addr);
    wr(bus, u, ERG_AMAC_L_M0_ADDR, l->m0_addr);
    wr(bus, u, ERG_AMAC_L_SHIFT_ADDR, l->shift_addr);
    wr(bus, u, ERG_AMAC_L_OUT_ADDR, l->out_addr);
    wr(bus, u, ERG_AMAC_L_ZP, (uint32_t)l->zp);
    wr(bus, u, ERG_AMAC_L_MUL, l->mul);
}

void erg_drv_amac_start(const erg_bus *bus, const erg_drv_amac_info *u, int clear) {
    wr(bus, u, ERG_AMAC_IRQ_EN, ERG_AMAC_IRQ_EN_DONE);
    wr(bus, u, ERG_AMAC_IRQ_STATUS, ERG_AMAC_IRQ_STATUS_DONE);
    wr(bus, u, ERG_AMAC_CTRL, ERG_AMAC_CTRL_START | (clear ? ERG_AMAC_CTRL_CLEAR : 0));
}

const char *erg_drv_amac_error_name(uint32_t code) {
    switch (code) {
    case ERG_AMAC_ERR_NONE:
        return "NONE";
    case ERG_AMAC_ERR_KIND:
        return "KIND";
    case ERG_AMAC_ERR_SHAPE:
        return "SHAPE";
    case ERG_AMAC_ERR_MUL:
        return "MUL";
    case ERG_AMAC_ERR_ALIGN:
        return "ALIGN";
    case ERG_AMAC_ERR_ADDR:
        return "ADDR";
    case ERG_AMAC_ERR_OVERLAP:
        return "OVERLAP";
    case ERG_AMAC_ERR_TILING:
        return "TILING";
    case ERG_AMAC_ERR_SHIFT:
        return "SHIFT";
    default:
        return "?";
    }
}

static const char *reg_name(uint32_t off) {
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (regs[i].off == off) return regs[i].name;
    return "?";
}

static const char *tensor_name(uint32_t t) {
    static const char *const names[] = {"?", "input", "weights", "bias", "m0", "shift", "output"};
    return t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* ERR_ARG in words, for the ERROR code it belongs to. */
static void describe_arg(uint32_t code, uint32_t arg, char *buf, size_t n) {
    switch (code) {
    case ERG_AMAC_ERR_KIND:
    case ERG_AMAC_ERR_SHAPE:
    case ERG_AMAC_ERR_MUL:
        snprintf(buf, n, "register %s", reg_name(arg));
        break;
    case ERG_AMAC_ERR_ALIGN:
    case ERG_AMAC_ERR_ADDR:
    case ERG_AMAC_ERR_OVERLAP:
        snprintf(buf, n, "tensor %s", tensor_name(arg));
        break;
    case ERG_AMAC_ERR_SHIFT:
        snprintf(buf, n, "channel %u", arg);
        break;
    default:
        snprintf(buf, n, "%u", arg);
        break;
    }
}

int erg_drv_amac_wait(const erg_bus *bus, const erg_drv_amac_info *u, uint64_t max_cycles,
                      erg_error *err) {
    if (bus->wait_irq(bus->ctx, max_cycles) != 0)
        return erg_fail(err, "the AMAC unit at 0x%llx did not finish within %llu cycles",
                        (unsigned long long)u->base, (unsigned long long)max_cycles);
    uint32_t st = rd(bus, u, ERG_AMAC_STATUS);
    wr(bus, u, ERG_AMAC_IRQ_STATUS, ERG_AMAC_IRQ_STATUS_DONE);
    if (st & ERG_AMAC_STATUS_ERROR) {
        uint32_t code = rd(bus, u, ERG_AMAC_ERROR), arg = rd(bus, u, ERG_AMAC_ERR_ARG);
        char what[64];
        describe_arg(code, arg, what, sizeof what);
        return erg_fail(err,
                        "the AMAC unit at 0x%llx refused the layer descriptor: ERROR = %u (%s), "
                        "ERR_ARG = %u (%s)",
                        (unsigned long long)u->base, code, erg_drv_amac_error_name(code), arg,
                        what);
    }
    if (!(st & ERG_AMAC_STATUS_DONE))
        return erg_fail(err, "the AMAC unit at 0x%llx raised an interrupt but is not done",
                        (unsigned long long)u->base);
    return 0;
}

const char *erg_drv_amac_counter_name(int i) {
    return i >= 0 && i < ERG_AMAC_CNT_COUNT ? cnt_names[i] : NULL;
}

const char *erg_drv_amac_counter_desc(int i) {
    return i >= 0 && i < ERG_AMAC_CNT_COUNT ? cnt_descs[i] : NULL;
}

void erg_drv_amac_read_counters(const erg_bus *bus, const erg_drv_amac_info *u,
                                erg_drv_amac_counters *cnt) {
    for (int i = 0; i < ERG_AMAC_CNT_COUNT; i++) {
        uint64_t lo = rd(bus, u, ERG_AMAC_CNT_BASE + 8u * (uint32_t)i);
        uint64_t hi = rd(bus, u, ERG_AMAC_CNT_BASE + 8u * (uint32_t)i + 4u);
        cnt->v[i] = lo | hi << 32;
    }
}

int erg_drv_amac_run_layer(const erg_bus *bus, const erg_drv_amac_info *u,
                           const erg_drv_amac_layer *l, uint64_t max_cycles,
                           erg_drv_amac_counters *cnt, erg_error *err) {
    erg_drv_amac_program(bus, u, l);
    erg_drv_amac_start(bus, u, 1);
    if (erg_drv_amac_wait(bus, u, max_cycles, err) != 0) return -1;
    if (cnt) erg_drv_amac_read_counters(bus, u, cnt);
    return 0;
}

int erg_drv_amac_read_all_regs(const erg_bus *bus, const erg_drv_amac_info *u) {
    int n = 0;
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (regs[i].readable) {
            (void)rd(bus, u, regs[i].off);
            n++;
        }
    for (uint32_t i = 0; i < ERG_AMAC_MUL_MAX; i++, n++)
        (void)rd(bus, u, ERG_AMAC_MUL_ID_BASE + 4u * i);
    for (uint32_t i = 0; i < 2u * ERG_AMAC_CNT_COUNT; i++, n++)
        (void)rd(bus, u, ERG_AMAC_CNT_BASE + 4u * i);
    return n;
}
