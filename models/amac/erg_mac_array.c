/* erg_mac_array.c — the R x C systolic MAC array model of erg_mac_array.h: closed-form cycle and
 * counter equations (docs/amac-array.md) and the fast, golden-exact integer data path. */
#include "erg_mac_array.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "erg_quant.h"

#define MAX_DIM 65536
/* Taps summed in one int32 chunk: 32768 * 65535 < 2^31, so no approximate (16-bit) product sum
 * of a chunk can overflow; the chunks are then added modulo 2^32 in uint32. */
#define CHUNK 32768

/* ---- names ---- */

static const char *const dataflow_names[] = {"os", "ws", "is"};
static const char *const dataflow_long[] = {"output-stationary", "weight-stationary",
                                            "input-stationary"};
static const char *const timing_names[] = {"erg", "scalesim"};
static const char *const kind_names[] = {"conv", "depthwise", "dense"};

const char *erg_mac_dataflow_name(erg_mac_dataflow d) {
    return (unsigned)d < ERG_MAC_DATAFLOW_COUNT ? dataflow_names[d] : "?";
}

const char *erg_mac_timing_name(erg_mac_timing_mode t) {
    return (unsigned)t < ERG_MAC_TIMING_COUNT ? timing_names[t] : "?";
}

int erg_mac_dataflow_from_name(const char *name, erg_error *err) {
    for (int i = 0; name && i < ERG_MAC_DATAFLOW_COUNT; i++)
        if (!strcasecmp(name, dataflow_names[i]) || !strcasecmp(name, dataflow_long[i])) return i;
    return erg_fail(err, "unknown dataflow '%s' (valid: os, ws, is)", name ? name : "(null)");
}

int erg_mac_timing_from_name(const char *name, erg_error *err) {
    for (int i = 0; name && i < ERG_MAC_TIMING_COUNT; i++)
        if (!strcasecmp(name, timing_names[i])) return i;
    return erg_fail(err, "unknown timing mode '%s' (valid: erg, scalesim)", name ? name : "(null)");
}

double erg_mac_utilization(const erg_mac_array_cfg *cfg, const erg_mac_stats *st) {
    if (!st->cycles) return 0.0;
    return (double)st->active_pe_cycles / ((double)cfg->rows * cfg->cols * (double)st->cycles);
}

/* ---- checks ---- */

int erg_mac_array_cfg_check(const erg_mac_array_cfg *cfg, erg_error *err) {
    if (!cfg) return erg_fail(err, "mac array: no configuration");
    if (cfg->rows < 1 || cfg->rows > MAX_DIM)
        return erg_fail(err, "mac array: rows = %d, must be 1 ... %d", cfg->rows, MAX_DIM);
    if (cfg->cols < 1 || cfg->cols > MAX_DIM)
        return erg_fail(err, "mac array: cols = %d, must be 1 ... %d", cfg->cols, MAX_DIM);
    if ((unsigned)cfg->dataflow >= ERG_MAC_DATAFLOW_COUNT)
        return erg_fail(err, "mac array: dataflow %d is not os (0), ws (1) or is (2)",
                        (int)cfg->dataflow);
    if ((unsigned)cfg->timing >= ERG_MAC_TIMING_COUNT)
        return erg_fail(err, "mac array: timing mode %d is not erg (0) or scalesim (1)",
                        (int)cfg->timing);
    if (cfg->ifmap_sram_bytes == 0) return erg_fail(err, "mac array: ifmap SRAM of 0 bytes");
    if (cfg->filter_sram_bytes == 0) return erg_fail(err, "mac array: filter SRAM of 0 bytes");
    if (cfg->ofmap_sram_bytes == 0) return erg_fail(err, "mac array: ofmap SRAM of 0 bytes");
    /* written so that NaN fails too */
    if (!(cfg->dram_bytes_per_cycle >= 0.01 && cfg->dram_bytes_per_cycle <= 1e9))
        return erg_fail(err, "mac array: DRAM bandwidth of %g bytes/cycle (must be 0.01 ... 1e9)",
                        cfg->dram_bytes_per_cycle);
    return 0;
}

/* The layer as a convolution: dense becomes a 1x1 conv over a 1x1 map of n_in channels (its
 * weights [n_out][n_in] are then [n_out][1][1][n_in], the same bytes). */
static int layer_geom(const erg_mac_layer *l, erg_conv_geom *g, erg_error *err) {
    if (!l) return erg_fail(err, "mac array: no layer");
    if ((unsigned)l->kind >= ERG_MAC_KIND_COUNT)
        return erg_fail(err, "mac array: layer kind %d is not conv (0), depthwise (1) or dense (2)",
                        (int)l->kind);
    const char *kn = kind_names[l->kind];
    if (l->kind == ERG_MAC_DENSE) {
        if (l->n_in < 1 || l->n_out < 1)
            return erg_fail(err, "mac array: dense layer %d -> %d is empty", l->n_in, l->n_out);
        memset(g, 0, sizeof *g);
        g->in_h = g->in_w = g->k_h = g->k_w = g->stride = g->out_h = g->out_w = 1;
        g->in_c = l->n_in;
        g->out_c = l->n_out;
        return 0;
    }
    *g = l->geom;
    if (g->in_h < 1 || g->in_w < 1 || g->in_c < 1)
        return erg_fail(err, "mac array: %s input %dx%dx%d is empty", kn, g->in_h, g->in_w,
                        g->in_c);
    if (g->k_h < 1 || g->k_w < 1)
        return erg_fail(err, "mac array: %s kernel %dx%d is empty", kn, g->k_h, g->k_w);
    if (g->stride < 1) return erg_fail(err, "mac array: %s stride %d", kn, g->stride);
    if (g->out_c < 1) return erg_fail(err, "mac array: %s with %d output channels", kn, g->out_c);
    if (g->pad_top < 0 || g->pad_bottom < 0 || g->pad_left < 0 || g->pad_right < 0)
        return erg_fail(err, "mac array: %s with negative padding", kn);
    int64_t span_h = (int64_t)g->in_h + g->pad_top + g->pad_bottom - g->k_h;
    int64_t span_w = (int64_t)g->in_w + g->pad_left + g->pad_right - g->k_w;
    if (span_h < 0 || span_w < 0 || g->out_h != span_h / g->stride + 1 ||
        g->out_w != span_w / g->stride + 1)
        return erg_fail(err,
                        "mac array: %s geometry is inconsistent (output %dx%d for input %dx%d, "
                        "kernel %dx%d, stride %d, padding %d/%d/%d/%d); use erg_conv_geom_init",
                        kn, g->out_h, g->out_w, g->in_h, g->in_w, g->k_h, g->k_w, g->stride,
                        g->pad_top, g->pad_bottom, g->pad_left, g->pad_right);
    if (l->kind == ERG_MAC_DEPTHWISE && g->out_c != g->in_c)
        return erg_fail(err, "mac array: depthwise layer with %d input but %d output channels",
                        g->in_c, g->out_c);
    return 0;
}

/* Taps (o, k) along one axis whose input index o*s + k - pad lies inside 0 ... in-1. */
static uint64_t inside_taps(int out, int k, int s, int pad, int in) {
    uint64_t n = 0;
    for (int o = 0; o < out; o++) {
        int64_t lo = (int64_t)o * s - pad, hi = lo + k - 1;
        if (lo < 0) lo = 0;
        if (hi > in - 1) hi = in - 1;
        if (hi >= lo) n += (uint64_t)(hi - lo + 1);
    }
    return n;
}

static int gemm_of(const erg_mac_layer *l, const erg_conv_geom *g, erg_mac_gemm *gm,
                   erg_error *err) {
    uint64_t m = (uint64_t)g->out_h * (uint64_t)g->out_w;
    uint64_t taps = (uint64_t)g->k_h * (uint64_t)g->k_w;
    uint64_t vh = inside_taps(g->out_h, g->k_h, g->stride, g->pad_top, g->in_h);
    uint64_t vw = inside_taps(g->out_w, g->k_w, g->stride, g->pad_left, g->in_w);
    if (l->kind == ERG_MAC_DEPTHWISE) {
        gm->n = 1;
        gm->k = taps;
        gm->count = (uint64_t)g->in_c;
        gm->valid = vh * vw;
    } else {
        gm->n = (uint64_t)g->out_c;
        gm->k = taps * (uint64_t)g->in_c;
        gm->count = 1;
        gm->valid = vh * vw * (uint64_t)g->in_c;
    }
    gm->m = m;
    uint64_t ph = (uint64_t)g->in_h + (uint64_t)g->pad_top + (uint64_t)g->pad_bottom;
    uint64_t pw = (uint64_t)g->in_w + (uint64_t)g->pad_left + (uint64_t)g->pad_right;
    uint64_t s = (uint64_t)g->stride;
    gm->m_scalesim =
        ((ph - (uint64_t)g->k_h + s + s - 1) / s) * ((pw - (uint64_t)g->k_w + s + s - 1) / s);
    /* Keep every product of the equations far from 2^64 (checked in double: no overflow). */
    double all = (double)m * (double)gm->k * (double)gm->n * (double)gm->count;
    double ifmap = (double)g->in_h * (double)g->in_w * (double)g->in_c;
    if (all > 0x1p52 || ifmap > 0x1p48)
        return erg_fail(err, "mac array: %s layer too large (M=%llu N=%llu K=%llu x %llu)",
                        kind_names[l->kind], (unsigned long long)m, (unsigned long long)gm->n,
                        (unsigned long long)gm->k, (unsigned long long)gm->count);
    return 0;
}

int erg_mac_layer_gemm(const erg_mac_layer *layer, erg_mac_gemm *g, erg_error *err) {
    erg_conv_geom geo;
    if (layer_geom(layer, &geo, err)) return -1;
    return gemm_of(layer, &geo, g, err);
}

/* ---- timing and counters (docs/amac-array.md) ---- */

static uint64_t ceil_div(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

/* Counters of one GEMM on the array (everything that does not depend on DRAM). */
static void gemm_stats(const erg_mac_array_cfg *cfg, const erg_mac_gemm *gm, int bias, int rq,
                       erg_mac_stats *s) {
    uint64_t R = (uint64_t)cfg->rows, C = (uint64_t)cfg->cols;
    uint64_t M = gm->m, N = gm->n, K = gm->k;
    /* SCALE-Sim counts its output pixels by its own convention (the events below stay the
     * layer's real ones) */
    uint64_t Mt = cfg->timing == ERG_MAC_TIMING_SCALESIM ? gm->m_scalesim : M;
    uint64_t Sr, Sc, T, ovh;
    switch (cfg->dataflow) {
    case ERG_MAC_OS:
        Sr = Mt, Sc = N, T = K, ovh = R + C - 2;
        break;
    case ERG_MAC_WS:
        Sr = K, Sc = N, T = Mt, ovh = 2 * R + C - 2;
        break;
    default: /* ERG_MAC_IS */
        Sr = K, Sc = Mt, T = N, ovh = 2 * R + C - 2;
        break;
    }
    uint64_t nr = ceil_div(Sr, R), nc = ceil_div(Sc, C), folds = nr * nc;
    uint64_t lr = Sr - (nr - 1) * R, lc = Sc - (nc - 1) * C; /* last (partial) fold */
    uint64_t sum_r2 = (nr - 1) * R * R + lr * lr, sum_c2 = (nc - 1) * C * C + lc * lc;
    uint64_t macs = M * N * K;

    memset(s, 0, sizeof *s);
    s->gemms = 1;
    s->folds = folds;
    if (cfg->timing == ERG_MAC_TIMING_SCALESIM) {
        s->compute_cycles = folds * (T + ovh) - 1;
        s->used_pe_cycles = Sr * Sc * (T + ovh);
    } else {
        /* sum over folds of T + 2r + c - 2 (each term >= T + 1, so no underflow) */
        s->compute_cycles = folds * T + 2 * Sr * nc + Sc * nr - 2 * folds;
        /* sum over folds of r*c*(T + 2r + c - 2) */
        s->used_pe_cycles = T * Sr * Sc + 2 * Sc * sum_r2 + Sr * sum_c2 - 2 * Sr * Sc;
    }
    s->macs = s->mults = s->active_pe_cycles = macs;
    uint64_t pad = M * K - gm->valid;
    s->pad_mults = pad * N;
    /* ifmap: OS and WS stream the im2col matrix once per column fold, IS loads it once. */
    uint64_t if_passes = cfg->dataflow == ERG_MAC_IS ? 1 : nc;
    s->ifmap_sram_rd_bytes = if_passes * gm->valid;
    s->pad_injects = if_passes * pad;
    /* filters: OS streams them once per row fold, WS loads them once, IS streams them once per
     * column fold. */
    uint64_t f_passes = cfg->dataflow == ERG_MAC_OS ? nr : cfg->dataflow == ERG_MAC_WS ? 1 : nc;
    s->filter_sram_rd_bytes = f_passes * N * K;
    uint64_t outs = M * N, ob = rq ? 1 : 4;
    s->outputs = outs;
    if (cfg->dataflow != ERG_MAC_OS && nr > 1) {
        s->psum_wr_bytes = s->psum_rd_bytes = (nr - 1) * outs * 4;
        s->psum_adds = (nr - 1) * outs;
    }
    s->ofmap_sram_wr_bytes = s->psum_wr_bytes + outs * ob;
    s->ofmap_sram_rd_bytes = s->psum_rd_bytes + outs * ob;
    if (cfg->dataflow == ERG_MAC_OS) {
        s->pe_operand_reg_writes = 2 * macs;                  /* ifmap right, weights down */
        s->pe_acc_reg_writes = macs + Sc * (sum_r2 - Sr) / 2; /* + drain down the columns */
    } else {
        s->pe_stationary_reg_writes = Sc * (sum_r2 + Sr) / 2; /* shifted in down the columns */
        s->pe_operand_reg_writes = macs;
        s->pe_acc_reg_writes = macs;
    }
    s->bias_adds = bias ? outs : 0;
    s->requant_ops = rq ? outs : 0;
}

/* Multiplies every counter of s by n (identical GEMMs). */
static void stats_scale(erg_mac_stats *s, uint64_t n) {
#define ERG_MAC_STATS_MUL(name, desc) s->name *= n;
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_MUL)
#undef ERG_MAC_STATS_MUL
}

/* DRAM traffic of the layer (docs/amac-array.md "DRAM and tiling") and the cycle totals. */
static int dram_stats(const erg_mac_array_cfg *cfg, const erg_mac_layer *l, const erg_conv_geom *g,
                      const erg_mac_gemm *gm, erg_mac_stats *s, erg_error *err) {
    const char *kn = kind_names[l->kind];
    int dw = l->kind == ERG_MAC_DEPTHWISE;
    uint64_t ifmap = (uint64_t)g->in_h * g->in_w * g->in_c;
    uint64_t nch = (uint64_t)g->out_c;
    uint64_t per_filter = dw ? (uint64_t)g->k_h * g->k_w : gm->k;
    uint64_t filters = nch * per_filter;

    /* ifmap: resident if it fits, else bands of output rows with their input rows (halo). */
    uint64_t if_pass = ifmap, bands = 1;
    if (ifmap > cfg->ifmap_sram_bytes) {
        uint64_t row = (uint64_t)g->in_w * g->in_c;
        uint64_t rows_fit = cfg->ifmap_sram_bytes / row;
        if (rows_fit < (uint64_t)g->k_h)
            return erg_fail(err,
                            "mac array: %s input of %llu bytes does not fit the %llu-byte ifmap "
                            "SRAM, which holds %llu rows of %llu bytes; a band needs k_h = %d",
                            kn, (unsigned long long)ifmap,
                            (unsigned long long)cfg->ifmap_sram_bytes, (unsigned long long)rows_fit,
                            (unsigned long long)row, g->k_h);
        uint64_t b = (rows_fit - (uint64_t)g->k_h) / (uint64_t)g->stride + 1;
        bands = ceil_div((uint64_t)g->out_h, b);
        if_pass = 0;
        for (uint64_t t = 0; t < bands; t++) {
            int64_t oh0 = (int64_t)(t * b), oh1 = (int64_t)((t + 1) * b) - 1;
            if (oh1 > g->out_h - 1) oh1 = g->out_h - 1;
            int64_t r0 = oh0 * g->stride - g->pad_top,
                    r1 = oh1 * g->stride - g->pad_top + g->k_h - 1;
            if (r0 < 0) r0 = 0;
            if (r1 > g->in_h - 1) r1 = g->in_h - 1;
            if (r1 >= r0) if_pass += (uint64_t)(r1 - r0 + 1) * row;
        }
    }
    /* filters: resident if they fit, else groups of whole filters. */
    uint64_t groups = 1;
    if (filters > cfg->filter_sram_bytes) {
        uint64_t per_group = cfg->filter_sram_bytes / per_filter;
        if (per_group < 1)
            return erg_fail(err,
                            "mac array: one %s filter of %llu bytes does not fit the %llu-byte "
                            "filter SRAM",
                            kn, (unsigned long long)per_filter,
                            (unsigned long long)cfg->filter_sram_bytes);
        groups = ceil_div(nch, per_group);
    }
    uint64_t if_rd, f_rd;
    if (dw) { /* channels are independent: each band and filter is read once */
        if_rd = if_pass;
        f_rd = filters;
    } else {
        uint64_t a = groups * if_pass + filters; /* filter groups outer, ifmap re-streamed */
        uint64_t b = if_pass + bands * filters;  /* ifmap bands outer, filters re-streamed */
        if (a <= b)
            if_rd = groups * if_pass, f_rd = filters;
        else
            if_rd = if_pass, f_rd = bands * filters;
    }
    s->dram_ifmap_rd_bytes = if_rd;
    s->dram_filter_rd_bytes = f_rd;
    s->dram_param_rd_bytes = nch * ((l->bias ? 4 : 0) + (l->m0 ? 8 : 0));
    s->ifmap_sram_wr_bytes = if_rd;
    s->filter_sram_wr_bytes = f_rd;
    /* partial sums spill when one column fold's working set exceeds the ofmap SRAM */
    if (s->psum_wr_bytes) {
        uint64_t C = (uint64_t)cfg->cols;
        uint64_t ws = cfg->dataflow == ERG_MAC_WS ? gm->m * (gm->n < C ? gm->n : C) * 4
                                                  : (gm->m < C ? gm->m : C) * gm->n * 4;
        if (ws > cfg->ofmap_sram_bytes) {
            s->dram_psum_wr_bytes = s->psum_wr_bytes;
            s->dram_psum_rd_bytes = s->psum_rd_bytes;
        }
    }
    s->dram_ofmap_wr_bytes = s->outputs * (l->m0 ? 1 : 4);
    s->dram_rd_bytes = s->dram_ifmap_rd_bytes + s->dram_filter_rd_bytes + s->dram_param_rd_bytes +
                       s->dram_psum_rd_bytes;
    s->dram_wr_bytes = s->dram_ofmap_wr_bytes + s->dram_psum_wr_bytes;
    /* ceil(bytes / bandwidth); bytes < 2^62 and bandwidth >= 0.01 keep it below 2^64 */
    double q = (double)(s->dram_rd_bytes + s->dram_wr_bytes) / cfg->dram_bytes_per_cycle;
    s->dram_cycles = (uint64_t)q;
    if ((double)s->dram_cycles < q) s->dram_cycles++;
    if (cfg->timing == ERG_MAC_TIMING_ERG && s->dram_cycles > s->compute_cycles)
        s->stall_cycles = s->dram_cycles - s->compute_cycles;
    s->cycles = s->compute_cycles + s->stall_cycles;
    return 0;
}

static int timing(const erg_mac_array_cfg *cfg, const erg_mac_layer *l, erg_conv_geom *g,
                  erg_mac_stats *s, erg_error *err) {
    if (erg_mac_array_cfg_check(cfg, err) || layer_geom(l, g, err)) return -1;
    erg_mac_gemm gm;
    if (gemm_of(l, g, &gm, err)) return -1;
    /* used_pe_cycles and the drain writes grow as macs * (1 + 2R + C) */
    if ((double)gm.m * gm.n * gm.k * gm.count * (1.0 + 2.0 * cfg->rows + cfg->cols) > 0x1p62)
        return erg_fail(err, "mac array: %s layer too large for the counters of a %dx%d array",
                        kind_names[l->kind], cfg->rows, cfg->cols);
    gemm_stats(cfg, &gm, l->bias != NULL, l->m0 != NULL, s);
    stats_scale(s, gm.count);
    return dram_stats(cfg, l, g, &gm, s, err);
}

int erg_mac_array_timing(const erg_mac_array_cfg *cfg, const erg_mac_layer *layer,
                         erg_mac_stats *st, erg_error *err) {
    erg_conv_geom g;
    erg_mac_stats s;
    if (timing(cfg, layer, &g, &s, err)) return -1;
    if (st) *st = s;
    return 0;
}

/* ---- the data path ---- */

/* uint32 (an accumulator summed modulo 2^32) -> int32, two's complement, without relying on
 * implementation-defined conversion. */
static int32_t wrap_u32(uint32_t u) {
    return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}

static int is_exact(const erg_mul8u *mul) {
    return !mul || mul->fn == erg_mul8u_exact.fn;
}

/* The b-major product table T[b*256 + a] = M(a, b): the row of a weight magnitude b is 256
 * contiguous entries, so a MAC is one gather from its weight's row. */
static uint16_t *product_table(const erg_mul8u *mul) {
    uint16_t *t = malloc(65536 * sizeof *t);
    if (!t) return NULL;
    for (int b = 0; b < 256; b++)
        for (int a = 0; a < 256; a++) t[b * 256 + a] = mul->fn(mul->ctx, (uint8_t)a, (uint8_t)b);
    return t;
}

/* Writes pixel p's n accumulators (uint32 sums) as int32 and/or requantized uint8. */
static void emit(const erg_mac_layer *l, size_t p, int n, const uint32_t *sum, int32_t *acc,
                 uint8_t *out) {
    for (int c = 0; c < n; c++) {
        int32_t v = wrap_u32(sum[c]);
        if (acc) acc[p * (size_t)n + c] = v;
        if (out) out[p * (size_t)n + c] = erg_quant_requant1(v, l->m0[c], (int)l->shift[c], l->zp);
    }
}

static int32_t dot_exact(const int16_t *a, const int16_t *w, size_t n) {
    int32_t s = 0;
    for (size_t k = 0; k < n; k++) s += (int32_t)a[k] * w[k];
    return s;
}

/* PB pixels at a time share each weight's row of the product table: one weight load, PB
 * gathers. a is the PB pixels' im2col rows interleaved, a[k*PB + j] = pixel j's tap k.
 * wneg = -1 negates a product ((p ^ -1) + 1 = -p), 0 keeps it. */
#define PB 8
static void dot_table_pb(const uint16_t *tab, const uint8_t *a, const int32_t *wofs,
                         const int32_t *wneg, size_t n, int32_t *s) {
    int32_t t[PB] = {0};
    for (size_t k = 0; k < n; k++) {
        const uint16_t *row = tab + wofs[k];
        const uint8_t *ak = a + k * PB;
        int32_t m = wneg[k];
        for (int j = 0; j < PB; j++) t[j] += (row[ak[j]] ^ m) - m;
    }
    for (int j = 0; j < PB; j++) s[j] = t[j];
}

/* The im2col row of output pixel p, in (kh, kw, c) order like a weight row; padding is 0. */
static void im2col_u8(const erg_conv_geom *g, const uint8_t *in, size_t p, uint8_t *row) {
    int oh = (int)(p / (size_t)g->out_w), ow = (int)(p % (size_t)g->out_w);
    size_t len = (size_t)g->in_c, k = 0;
    for (int kh = 0; kh < g->k_h; kh++)
        for (int kw = 0; kw < g->k_w; kw++, k += len) {
            int ih = oh * g->stride + kh - g->pad_top;
            int iw = ow * g->stride + kw - g->pad_left;
            if (ih >= 0 && ih < g->in_h && iw >= 0 && iw < g->in_w)
                memcpy(row + k, in + ((size_t)ih * g->in_w + iw) * len, len);
            else
                memset(row + k, 0, len);
        }
}

/* Conv (and dense as a 1x1 conv). Exact: per output pixel, its im2col row widened to int16 and
 * one vectorizable int16 x int16 -> int32 dot product per filter. Approximate: PB pixels' im2col
 * rows at a time against each filter through the product table. Dot products run in chunks of
 * CHUNK taps (no int32 overflow inside a chunk) added modulo 2^32. */
static int run_conv(const erg_mac_layer *l, const erg_conv_geom *g, const uint8_t *in, int32_t *acc,
                    uint8_t *out, erg_error *err) {
    size_t K = (size_t)g->k_h * g->k_w * g->in_c, N = (size_t)g->out_c;
    size_t npix = (size_t)g->out_h * g->out_w;
    int exact = is_exact(l->mul);
    int16_t *w16 = NULL, *a16 = NULL;
    int32_t *wofs = NULL, *wneg = NULL;
    uint16_t *tab = NULL;
    uint8_t *a8 = malloc(PB * K), *row = malloc(K);
    uint32_t *sum = malloc(PB * N * sizeof *sum);
    int rc = -1;
    if (!a8 || !row || !sum) goto oom;
    if (exact) {
        w16 = malloc(N * K * sizeof *w16);
        a16 = malloc(K * sizeof *a16);
        if (!w16 || !a16) goto oom;
        for (size_t i = 0; i < N * K; i++) w16[i] = l->w[i];
        for (size_t p = 0; p < npix; p++) {
            im2col_u8(g, in, p, row);
            for (size_t k = 0; k < K; k++) a16[k] = row[k];
            for (size_t oc = 0; oc < N; oc++) {
                uint32_t s = l->bias ? (uint32_t)l->bias[oc] : 0;
                for (size_t k0 = 0; k0 < K; k0 += CHUNK) {
                    size_t n = K - k0 < CHUNK ? K - k0 : CHUNK;
                    s += (uint32_t)dot_exact(a16 + k0, w16 + oc * K + k0, n);
                }
                sum[oc] = s;
            }
            emit(l, p, (int)N, sum, acc, out);
        }
    } else {
        tab = product_table(l->mul);
        wofs = malloc(N * K * sizeof *wofs);
        wneg = malloc(N * K * sizeof *wneg);
        if (!tab || !wofs || !wneg) goto oom;
        for (size_t i = 0; i < N * K; i++) {
            int w = l->w[i];
            wofs[i] = (w < 0 ? -w : w) * 256;
            wneg[i] = w < 0 ? -1 : 0;
        }
        for (size_t p0 = 0; p0 < npix; p0 += PB) {
            size_t nb = npix - p0 < PB ? npix - p0 : PB;
            /* a short last block repeats its last pixel; the extra results are dropped */
            for (size_t j = 0; j < PB; j++) {
                im2col_u8(g, in, p0 + (j < nb ? j : nb - 1), row);
                for (size_t k = 0; k < K; k++) a8[k * PB + j] = row[k];
            }
            for (size_t oc = 0; oc < N; oc++) {
                uint32_t s[PB];
                for (size_t j = 0; j < PB; j++) s[j] = l->bias ? (uint32_t)l->bias[oc] : 0;
                for (size_t k0 = 0; k0 < K; k0 += CHUNK) {
                    size_t n = K - k0 < CHUNK ? K - k0 : CHUNK;
                    int32_t part[PB];
                    dot_table_pb(tab, a8 + k0 * PB, wofs + oc * K + k0, wneg + oc * K + k0, n,
                                 part);
                    for (size_t j = 0; j < PB; j++) s[j] += (uint32_t)part[j];
                }
                for (size_t j = 0; j < PB; j++) sum[j * N + oc] = s[j];
            }
            for (size_t j = 0; j < nb; j++) emit(l, p0 + j, (int)N, sum + j * N, acc, out);
        }
    }
    rc = 0;
    goto done;
oom:
    rc = erg_fail(err, "mac array: out of memory for a %zu x %zu conv", N, K);
done:
    free(w16);
    free(a16);
    free(wofs);
    free(wneg);
    free(a8);
    free(row);
    free(tab);
    free(sum);
    return rc;
}

/* Depthwise: per output pixel and tap, all channels at once (the channel loop vectorizes). The
 * lanes sum in uint32: modulo 2^32, exactly the int32 wrap-around of the contract. */
static int run_depthwise(const erg_mac_layer *l, const erg_conv_geom *g, const uint8_t *in,
                         int32_t *acc, uint8_t *out, erg_error *err) {
    size_t C = (size_t)g->in_c, taps = (size_t)g->k_h * g->k_w;
    int exact = is_exact(l->mul);
    int32_t *wt = malloc(taps * C * sizeof *wt); /* [tap][c]: weight (exact) or |w|*256 */
    int32_t *wneg = exact ? NULL : malloc(taps * C * sizeof *wneg);
    uint16_t *tab = exact ? NULL : product_table(l->mul);
    uint32_t *sum = malloc(C * sizeof *sum);
    int rc = 0;
    if (!wt || !sum || (!exact && (!wneg || !tab))) {
        rc = erg_fail(err, "mac array: out of memory for a depthwise layer of %zu channels", C);
        goto done;
    }
    for (size_t c = 0; c < C; c++)
        for (size_t t = 0; t < taps; t++) {
            int w = l->w[c * taps + t];
            if (exact) {
                wt[t * C + c] = w;
            } else {
                wt[t * C + c] = (w < 0 ? -w : w) * 256;
                wneg[t * C + c] = w < 0 ? -1 : 0;
            }
        }
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++) {
            for (size_t c = 0; c < C; c++) sum[c] = l->bias ? (uint32_t)l->bias[c] : 0;
            for (int kh = 0; kh < g->k_h; kh++)
                for (int kw = 0; kw < g->k_w; kw++) {
                    int ih = oh * g->stride + kh - g->pad_top;
                    int iw = ow * g->stride + kw - g->pad_left;
                    int inside = ih >= 0 && ih < g->in_h && iw >= 0 && iw < g->in_w;
                    const int32_t *wr = wt + ((size_t)kh * g->k_w + kw) * C;
                    if (exact) {
                        if (!inside) continue; /* a * w = 0 for the padding zero */
                        const uint8_t *px = in + ((size_t)ih * g->in_w + iw) * C;
                        for (size_t c = 0; c < C; c++) sum[c] += (uint32_t)((int32_t)px[c] * wr[c]);
                    } else {
                        const int32_t *ng = wneg + ((size_t)kh * g->k_w + kw) * C;
                        if (inside) {
                            const uint8_t *px = in + ((size_t)ih * g->in_w + iw) * C;
                            for (size_t c = 0; c < C; c++) {
                                int32_t p = tab[wr[c] + px[c]];
                                sum[c] += (uint32_t)((p ^ ng[c]) - ng[c]);
                            }
                        } else { /* the padding zero still goes through M: M(0, |w|) */
                            for (size_t c = 0; c < C; c++) {
                                int32_t p = tab[wr[c]];
                                sum[c] += (uint32_t)((p ^ ng[c]) - ng[c]);
                            }
                        }
                    }
                }
            emit(l, (size_t)oh * g->out_w + ow, (int)C, sum, acc, out);
        }
done:
    free(wt);
    free(wneg);
    free(tab);
    free(sum);
    return rc;
}

int erg_mac_array_run(const erg_mac_array_cfg *cfg, const erg_mac_layer *layer, const uint8_t *in,
                      int32_t *acc, uint8_t *out, erg_mac_stats *st, erg_error *err) {
    erg_conv_geom g;
    erg_mac_stats s;
    if (timing(cfg, layer, &g, &s, err)) return -1;
    const char *kn = kind_names[layer->kind];
    if (!in) return erg_fail(err, "mac array: %s layer without an input", kn);
    if (!layer->w) return erg_fail(err, "mac array: %s layer without weights", kn);
    if (!acc && !out)
        return erg_fail(err,
                        "mac array: %s layer with neither an accumulator nor an output "
                        "buffer (use erg_mac_array_timing for counters only)",
                        kn);
    if (out && (!layer->m0 || !layer->shift))
        return erg_fail(err, "mac array: uint8 output of a %s layer needs m0 and shift", kn);
    if (layer->mul && !layer->mul->fn)
        return erg_fail(err, "mac array: multiplier '%s' has no function",
                        layer->mul->name ? layer->mul->name : "?");
    if (out)
        for (int c = 0; c < g.out_c; c++)
            if (layer->shift[c] < 0 || layer->shift[c] > 31)
                return erg_fail(err,
                                "mac array: %s requantization shift[%d] = %d, must be 0 ... 31", kn,
                                c, (int)layer->shift[c]);
    int rc = layer->kind == ERG_MAC_DEPTHWISE ? run_depthwise(layer, &g, in, acc, out, err)
                                              : run_conv(layer, &g, in, acc, out, err);
    if (rc) return -1;
    if (st) *st = s;
    return 0;
}
