/* erg_estimate.c — the analytic energy estimator of erg_estimate.h; every equation is written
 * out in docs/estimate.md with the same names. */
#include "erg_estimate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const KIND_NAMES[] = {"reg", "sram", "dram"};

/* ---- platform ---- */

int erg_est_platform_init(erg_est_platform *p, erg_error *err) {
    if (erg_tech_check(&p->tech, err)) return -1;
    if (p->rows < 1 || p->cols < 1)
        return erg_fail(err, "platform '%s': array %d x %d is empty", p->name, p->rows, p->cols);
    if (p->vector < 1) p->vector = 1;
    if (!(p->volt > 0) || !(p->freq_hz > 0) || !(p->scale > 0) || p->area_mm2 < 0)
        return erg_fail(err, "platform '%s': voltage, clock and scale must be positive", p->name);
    if (p->n_levels < 1 || p->n_levels > ERG_EST_MAX_LEVELS)
        return erg_fail(err, "platform '%s': %d memory levels, must be 1 ... %d", p->name,
                        p->n_levels, ERG_EST_MAX_LEVELS);
    p->reg_level = -1;
    p->local = -1;
    int rank = 0; /* reg 0, sram 1, dram 2: levels must not go back inwards */
    for (int i = 0; i < p->n_levels; i++) {
        erg_est_level *l = &p->levels[i];
        int r = l->kind == ERG_EST_REG ? 0 : l->kind == ERG_EST_SRAM ? 1 : 2;
        if (r < rank || (r != 1 && r == rank && i > 0))
            return erg_fail(err,
                            "platform '%s': level '%s' (%s) out of order: registers first (at "
                            "most one), then SRAM levels, then at most one DRAM, innermost first",
                            p->name, l->name, KIND_NAMES[l->kind]);
        rank = r;
        if (l->kind == ERG_EST_REG) p->reg_level = i;
        if (l->kind == ERG_EST_SRAM && p->local < 0) p->local = i;
        if (l->kind != ERG_EST_REG && l->word_bits < 1)
            return erg_fail(err, "platform '%s': level '%s' has words of %d bits", p->name, l->name,
                            l->word_bits);
        if (l->kind == ERG_EST_SRAM && !(l->bytes > 0))
            return erg_fail(err, "platform '%s': SRAM level '%s' has no size", p->name, l->name);
    }
    if (p->local < 0)
        return erg_fail(err,
                        "platform '%s': no SRAM level: the PE array needs a buffer level (kind "
                        "\"sram\") between its registers and the rest",
                        p->name);
    erg_est_level *b = &p->levels[p->local];
    if (b->ifmap_bytes <= 0 && b->filter_bytes <= 0 && b->ofmap_bytes <= 0)
        b->ifmap_bytes = b->filter_bytes = b->ofmap_bytes = b->bytes / 3;
    double vs = erg_vscale_dynamic(p->volt, p->tech.vdd), pj = 1e-12 * vs * p->scale;
    for (int i = 0; i < p->n_levels; i++) {
        erg_est_level *l = &p->levels[i];
        switch (l->kind) {
        case ERG_EST_REG: /* a register read is a wire; a write flips the bit's flip-flop */
            l->word_bits = 1;
            l->rd_pj = 0;
            l->wr_pj = p->tech.ff_write * vs * p->scale;
            break;
        case ERG_EST_SRAM:
            if (!(l->bank_bytes > 0)) l->bank_bytes = l->bytes;
            l->rd_pj =
                (l->pj_word > 0 ? l->pj_word
                                : erg_sram_bit_read_pj(&p->tech, l->bank_bytes) * l->word_bits) *
                vs * p->scale;
            l->wr_pj = l->rd_pj * p->tech.sram_write_factor;
            break;
        case ERG_EST_DRAM: /* the DRAM's own supply: not scaled with the platform's */
            l->rd_pj =
                (l->pj_word > 0 ? l->pj_word : p->tech.dram64 / 64.0 * l->word_bits) * p->scale;
            l->wr_pj = l->rd_pj;
            break;
        }
    }
    p->e_bmac = p->tech.bmac * pj;
    p->e_mul8 = p->tech.mul8 * pj;
    p->e_add32 = p->tech.add32 * pj;
    p->e_mul32 = p->tech.mul32 * pj;
    p->e_thr = p->tech.thr16 * pj;
    p->e_cmp8 = p->tech.cmp8 * pj;
    p->e_ff_write = p->tech.ff_write * pj;
    p->e_ff_clk = p->tech.ff_clk * pj;
    p->p_leak_w = p->tech.leak_w_per_mm2 * p->area_mm2 * erg_vscale_leak(p->volt, p->tech.vdd);
    return 0;
}

int erg_est_homes(const erg_est_platform *p, double weight_bytes, double act_bytes, int *w_home,
                  int *a_home, erg_error *err) {
    *w_home = *a_home = -1;
    for (int i = 0; i < p->n_levels; i++) {
        const erg_est_level *l = &p->levels[i];
        if (l->kind == ERG_EST_REG) continue;
        int unlimited = l->kind == ERG_EST_DRAM && l->bytes <= 0;
        /* the buffer level holds weights in its filter part, maps in its ifmap part */
        double wcap = i == p->local ? l->filter_bytes : l->bytes;
        double acap = i == p->local ? l->ifmap_bytes + l->ofmap_bytes : l->bytes;
        if (*w_home < 0 && (unlimited || weight_bytes <= wcap)) *w_home = i;
        if (*a_home < 0 && (unlimited || act_bytes <= acap)) *a_home = i;
    }
    if (*w_home < 0)
        return erg_fail(err,
                        "platform '%s': no memory level holds the net's %.0f bytes of weights "
                        "(add a DRAM level or a larger SRAM)",
                        p->name, weight_bytes);
    if (*a_home < 0)
        return erg_fail(err,
                        "platform '%s': no memory level holds a layer's %.0f bytes of input and "
                        "output maps (add a DRAM level or a larger SRAM)",
                        p->name, act_bytes);
    return 0;
}

/* ---- one layer ---- */

double erg_est_mult_rel(int bw, int ba) {
    const double c2 = 0.0029948, c1 = 0.0010417; /* Horowitz 45 nm fit, pJ (REFERENCES.md) */
    return (c2 * bw * ba + c1 * (bw + ba) / 2.0) / (c2 * 64 + c1 * 8);
}

static int priced_bits(int b) {
    return b == 1 || b == 2 || b == 4 || b == 8 || b == 16;
}

static double ceil_div(double a, double b) {
    return ceil(a / b);
}

/* Sum over the folds of one axis of the fold's extent squared: (n - 1) P^2 + last^2. */
static double sum_sq(double S, double P, double n) {
    double last = S - (n - 1) * P;
    return (n - 1) * P * P + last * last;
}

/* n vectors of vb bits each; packed: stored back to back, else each in whole words */
typedef struct est_vecs {
    double n, vb;
    int packed;
} est_vecs;

/* The bits the vectors take at level i (words rounded up; registers per bit). */
static double vec_bits(const erg_est_platform *p, int i, est_vecs v) {
    if (i < 0 || v.n <= 0 || v.vb <= 0) return 0;
    const erg_est_level *l = &p->levels[i];
    if (v.packed || l->kind == ERG_EST_REG) return v.n * v.vb;
    return v.n * ceil(v.vb / l->word_bits) * l->word_bits;
}

/* Adds `bits` read (rd) or written at level i. */
static void move(const erg_est_platform *p, erg_est_result *r, int i, double bits, int write) {
    if (i < 0 || bits <= 0) return;
    const erg_est_level *l = &p->levels[i];
    r->level_bits[i] += bits;
    r->level[i] += bits / l->word_bits * (write ? l->wr_pj : l->rd_pj) * 1e-12;
}

static void add_total(const erg_est_platform *p, erg_est_result *r) {
    r->total = r->arith + r->clock + r->leak;
    for (int i = 0; i < p->n_levels; i++) r->total += r->level[i];
}

/* Pooling: a compare (max) or add (average) per window element, the map read and the result
 * written at the maps' home level, the array's PEs working in parallel. */
static int pool_energy(const erg_est_platform *p, const erg_est_layer *l, int a_home,
                       double in_bits, double out_bits, erg_est_result *r, erg_error *err) {
    int ba = l->act_bits;
    if (!priced_bits(ba))
        return erg_fail(err,
                        "layer '%s': %d-bit activations: the estimator prices 1, 2, 4, 8 and 16 "
                        "bits",
                        l->name, ba);
    double ops = (double)l->out_h * l->out_w * l->out_c * l->k_h * l->k_w;
    r->arith = ops * p->e_cmp8 * ba / 8.0;
    move(p, r, a_home, in_bits, 0);
    move(p, r, a_home, out_bits, 1);
    r->cycles = ceil_div(ops, (double)p->rows * p->cols);
    r->clock = r->cycles * p->ctrl_bits * p->e_ff_clk;
    r->leak = p->p_leak_w * r->cycles / p->freq_hz;
    add_total(p, r);
    return 0;
}

int erg_est_layer_energy(const erg_est_platform *p, const erg_est_layer *l, int w_home, int a_home,
                         erg_est_result *r, erg_error *err) {
    memset(r, 0, sizeof *r);
    if (l->kind == ERG_EST_OTHER) return 0;
    if (l->in_h < 1 || l->in_w < 1 || l->in_c < 1 || l->out_h < 1 || l->out_w < 1 || l->out_c < 1)
        return erg_fail(err, "layer '%s': empty shape", l->name);
    int bw = l->weight_bits, ba = l->act_bits, bo = l->out_bits;
    const int local = p->local;
    double in_bits = (double)l->in_h * l->in_w * l->in_c * ba;
    double out_bits = (double)l->out_h * l->out_w * l->out_c * bo; /* (pooling) */
    if (l->kind == ERG_EST_POOL) return pool_energy(p, l, a_home, in_bits, out_bits, r, err);
    if (!priced_bits(bw) || !priced_bits(ba))
        return erg_fail(err,
                        "layer '%s': %d-bit weights, %d-bit activations: the estimator prices "
                        "1, 2, 4, 8 and 16 bits",
                        l->name, bw, ba);
    /* the layer as `count` GEMMs of M x N x K (docs/amac-array.md's mapping) */
    double M, N, K, count = 1;
    if (l->kind == ERG_EST_DENSE) {
        M = 1, N = l->out_c, K = (double)l->in_h * l->in_w * l->in_c;
    } else if (l->kind == ERG_EST_DEPTHWISE) {
        M = (double)l->out_h * l->out_w, N = 1, K = (double)l->k_h * l->k_w, count = l->in_c;
    } else {
        M = (double)l->out_h * l->out_w, N = l->out_c, K = (double)l->k_h * l->k_w * l->in_c;
    }
    int binary = bw == 1 && ba == 1;
    double macs = M * N * K * count, outs = M * N * count;
    r->macs = macs;
    /* accumulator: the product's bits plus log2 of the fan-in, at most 32 */
    double b_acc = binary ? ceil(log2(K + 1)) + 1 : bw + ba + ceil(log2(K));
    if (b_acc > 32) b_acc = 32;

    /* arithmetic: per MAC a multiply and an accumulate (binary: XNOR + popcount share); per
     * output its post-op: a threshold compare (binary), a requantization to < 32 bits
     * (mul32 + 2 add32), else a bias add */
    double e_mac =
        binary ? p->e_bmac : p->e_mul8 * erg_est_mult_rel(bw, ba) + p->e_add32 * b_acc / 32.0;
    double e_out = binary ? p->e_thr : bo < 32 ? p->e_mul32 + 2 * p->e_add32 : p->e_add32;
    r->arith = macs * e_mac + outs * e_out;

    /* folds of the dataflow (docs/estimate.md, "Array"): the K axis in steps of `vector` */
    double R = p->rows, C = p->cols, Kv = ceil_div(K, p->vector), Sr, Sc, T;
    switch (p->dataflow) {
    case ERG_EST_OS:
        Sr = M, Sc = N, T = Kv;
        break;
    case ERG_EST_WS:
        Sr = Kv, Sc = N, T = M;
        break;
    default:
        Sr = Kv, Sc = M, T = N;
        break;
    }
    double nr = ceil_div(Sr, R), nc = ceil_div(Sc, C), folds = nr * nc;
    r->cycles = count * (folds * T + Sr * nc + Sc * nr);
    double used_pe = count * (T * Sr * Sc + Sc * sum_sq(Sr, R, nr) + Sr * sum_sq(Sc, C, nc));

    /* registers: binary PEs are XNOR-popcount trees (combinational): their stationary operand
     * is loaded into flip-flops, the popcount is written once per output; integer PEs latch
     * the moving operands and the accumulator at every MAC */
    double st_bits = p->dataflow == ERG_EST_WS   ? N * K * bw
                     : p->dataflow == ERG_EST_IS ? M * K * ba
                                                 : 0;
    double reg_bits = count * st_bits;
    if (binary)
        reg_bits += outs * b_acc;
    else
        reg_bits += macs * ((p->dataflow == ERG_EST_OS   ? bw + ba
                             : p->dataflow == ERG_EST_WS ? ba
                                                         : bw) +
                            b_acc);
    move(p, r, p->reg_level, reg_bits, 1);

    /* tensors as vectors: a map is its pixels' channel vectors, conv weights their filters'
     * taps' channel vectors, dense weights one vector per filter; each vector occupies whole
     * words of the level it is in (depthwise data: packed, a channel per GEMM) */
    int dw = l->kind == ERG_EST_DEPTHWISE, dense = l->kind == ERG_EST_DENSE;
    est_vecs in_v = {dense ? 1 : (double)l->in_h * l->in_w, dense ? K * ba : (double)l->in_c * ba,
                     0};
    est_vecs out_v = {(double)l->out_h * l->out_w, (double)l->out_c * bo, 0};
    est_vecs w_v = dw      ? (est_vecs){1, count * K * bw, 1}
                   : dense ? (est_vecs){N, K * bw, 0}
                           : (est_vecs){N * l->k_h * l->k_w, (double)l->in_c * bw, 0};

    /* the buffer level: the array's reads (an im2col vector per tap, or with a line buffer
     * k_h input rows per output row), the partial sums of the K split (WS, IS), the outputs
     * in and out */
    double taps = p->line_buffer && !dense ? (double)l->out_h * l->in_w * l->k_h
                  : dense                  ? 1
                                           : M * l->k_h * l->k_w;
    est_vecs if_v = dw ? (est_vecs){count * taps, ba, 1} : (est_vecs){taps, in_v.vb, 0};
    double if_passes = p->dataflow == ERG_EST_IS ? 1 : nc;
    double f_passes = p->dataflow == ERG_EST_OS ? nr : p->dataflow == ERG_EST_WS ? 1 : nc;
    double psum = p->dataflow != ERG_EST_OS ? count * (nr - 1) * M * N * b_acc : 0;
    move(p, r, local,
         if_passes * vec_bits(p, local, if_v) + f_passes * vec_bits(p, local, w_v) + psum, 0);
    move(p, r, local, psum + vec_bits(p, local, out_v), 1);

    /* fills: maps and weights from their homes into the buffer, re-streaming the one that
     * does not fit (the cheaper order), per-channel constants once; outputs to the maps' home */
    double w_bits = count * N * K * bw;
    double cap_i = p->levels[local].ifmap_bytes * 8, cap_w = p->levels[local].filter_bytes * 8;
    double t_i = 1, t_w = 1; /* times the input map / the weights are streamed */
    int fill_i = a_home != local, fill_w = w_home != local;
    if ((fill_i || fill_w) && (in_bits > cap_i || w_bits > cap_w) && !dw) {
        double bands = ceil_div(in_bits, cap_i), groups = ceil_div(w_bits, cap_w);
        double groups_outer = fill_i * groups * in_bits + fill_w * w_bits;
        double bands_outer = fill_i * in_bits + fill_w * bands * w_bits;
        if (groups_outer <= bands_outer)
            t_i = groups;
        else
            t_w = bands;
    }
    if (fill_i) {
        move(p, r, a_home, t_i * vec_bits(p, a_home, in_v), 0);
        move(p, r, local, t_i * vec_bits(p, local, in_v), 1);
    }
    if (fill_w) {
        move(p, r, w_home, t_w * vec_bits(p, w_home, w_v), 0);
        move(p, r, local, t_w * vec_bits(p, local, w_v), 1);
    }
    move(p, r, w_home, (double)l->out_c * l->per_channel_bits, 0);
    if (a_home != local) {
        move(p, r, local, vec_bits(p, local, out_v), 0);
        move(p, r, a_home, vec_bits(p, a_home, out_v), 1);
    }
    /* bandwidth: the layer takes at least each limited level's bytes / bytes per cycle (the
     * transfers overlap the computation) */
    for (int i = 0; i < p->n_levels; i++)
        if (p->levels[i].bytes_per_cycle > 0 && i != local) {
            double c = r->level_bits[i] / 8 / p->levels[i].bytes_per_cycle;
            if (c > r->cycles) r->cycles = c;
        }
    /* clock: the mapped PEs' flip-flops and the control, leakage over the layer's time */
    r->clock = (used_pe * p->pe_clk_bits + r->cycles * p->ctrl_bits) * p->e_ff_clk;
    r->leak = p->p_leak_w * r->cycles / p->freq_hz;
    add_total(p, r);
    return 0;
}

void erg_est_add(erg_est_result *sum, const erg_est_result *r) {
    sum->macs += r->macs;
    sum->cycles += r->cycles;
    sum->arith += r->arith;
    for (int i = 0; i < ERG_EST_MAX_LEVELS; i++) {
        sum->level[i] += r->level[i];
        sum->level_bits[i] += r->level_bits[i];
    }
    sum->clock += r->clock;
    sum->leak += r->leak;
    sum->total += r->total;
}
