/* erg_energy.c — counters × energy per action + leakage × time; operating points; calibration. */
#include "erg_energy.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PJ 1e-12

int erg_bna_energy_geom_init(erg_bna_energy_geom *g, int neurons, int kmax, int channels,
                             int weight_banks, int64_t weight_sram_bytes, int64_t fmap_sram_bytes,
                             erg_error *err) {
    memset(g, 0, sizeof *g);
    if (neurons < 1 || kmax < 1 || channels < 1 || weight_banks < 1 || weight_sram_bytes < 1 ||
        fmap_sram_bytes < 1)
        return erg_fail(err,
                        "energy geometry: expected positive neurons, kmax, channels, banks and "
                        "SRAM sizes, found %d, %d, %d, %d, %lld, %lld",
                        neurons, kmax, channels, weight_banks, (long long)weight_sram_bytes,
                        (long long)fmap_sram_bytes);
    g->neurons = neurons;
    g->nrn_clk_bits = kmax * kmax * channels + ERG_BNA_NRN_DATAPATH_BITS;
    g->window_bits = kmax * kmax * channels;
    g->ctrl_bits = ERG_BNA_CTRL_BITS;
    g->out_word_bits = ERG_BNA_OUT_WORD_BITS;
    g->wsram_bank_bytes = (double)weight_sram_bytes / weight_banks;
    g->fmap_bank_bytes = (double)fmap_sram_bytes / 2.0 / kmax; /* two buffers, kmax row banks */
    return 0;
}

static const char *const EC_NAMES[] = {
#define ERG_EC_NAME(name, desc) #name,
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_NAME)
#undef ERG_EC_NAME
};
static const char *const EC_DESCS[] = {
#define ERG_EC_DESC(name, desc) desc,
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_DESC)
#undef ERG_EC_DESC
};
static const size_t EC_OFFSETS[] = {
#define ERG_EC_OFF(name, desc) offsetof(erg_energy_breakdown, name),
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_OFF)
#undef ERG_EC_OFF
};

const char *erg_energy_component_name(int i) {
    return i >= 0 && i < ERG_EC_COUNT ? EC_NAMES[i] : "?";
}
const char *erg_energy_component_desc(int i) {
    return i >= 0 && i < ERG_EC_COUNT ? EC_DESCS[i] : "?";
}
double erg_energy_component(const erg_energy_breakdown *b, int i) {
    if (i < 0 || i >= ERG_EC_COUNT) return 0;
    return *(const double *)(const void *)((const char *)b + EC_OFFSETS[i]);
}

void erg_energy_add(erg_energy_breakdown *sum, const erg_energy_breakdown *b) {
#define ERG_EC_ADD(name, desc) sum->name += b->name;
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_ADD)
#undef ERG_EC_ADD
    sum->total += b->total;
    sum->part.bmac += b->part.bmac;
    sum->part.thr += b->part.thr;
    sum->part.pool += b->part.pool;
    sum->part.therm += b->part.therm;
    sum->part.wff += b->part.wff;
    sum->part.out += b->part.out;
    sum->part.wsram += b->part.wsram;
    sum->part.fmap += b->part.fmap;
    sum->part.mult += b->part.mult;
    sum->part.acc += b->part.acc;
    sum->part.add += b->part.add;
    sum->part.requant += b->part.requant;
    sum->part.ifmap += b->part.ifmap;
    sum->part.filter += b->part.filter;
    sum->part.ofmap += b->part.ofmap;
    sum->seconds += b->seconds;
}

int erg_energy_init(erg_energy_ctx *e, const erg_tech *t, const erg_bna_energy_geom *g, double volt,
                    double freq_hz, double area_mm2, double scale, erg_error *err) {
    memset(e, 0, sizeof *e);
    if (erg_tech_check(t, err)) return -1;
    if (!(volt > 0 && volt <= 5))
        return erg_fail(err, "energy: expected a supply in (0, 5] V, found %g", volt);
    if (!(freq_hz > 0)) return erg_fail(err, "energy: expected a clock > 0 Hz, found %g", freq_hz);
    if (!(area_mm2 >= 0))
        return erg_fail(err, "energy: expected an area >= 0 mm^2, found %g", area_mm2);
    if (!(scale > 0))
        return erg_fail(err, "energy: expected a calibration scale > 0, found %g", scale);
    if (g->neurons < 1 || g->nrn_clk_bits < 0 || g->window_bits < 0 || g->ctrl_bits < 0 ||
        g->out_word_bits < 0 || !(g->wsram_bank_bytes > 0) || !(g->fmap_bank_bytes > 0))
        return erg_fail(err, "energy: incomplete BNA geometry (neurons %d, banks %g / %g bytes)",
                        g->neurons, g->wsram_bank_bytes, g->fmap_bank_bytes);
    e->g = *g;
    snprintf(e->tech, sizeof e->tech, "%s", t->name);
    e->vnom = t->vdd;
    e->volt = volt;
    e->freq_hz = freq_hz;
    e->area_mm2 = area_mm2;
    e->scale = scale;
    /* The one voltage rule: every dynamic energy × (V/vdd)², leakage × V/vdd. */
    const double kv = erg_vscale_dynamic(volt, t->vdd) * PJ;
    e->e_bmac = t->bmac * kv;
    e->e_thr = t->thr16 * kv;
    e->e_or2 = t->or2 * kv;
    e->e_cmp8 = t->cmp8 * kv;
    e->e_ff_write = t->ff_write * kv;
    e->e_ff_clk = t->ff_clk * kv;
    e->e_out_write = g->out_word_bits * t->ff_write * kv;
    e->e_wsram_rd_bit = erg_sram_bit_read_pj(t, g->wsram_bank_bytes) * kv;
    e->e_wsram_wr_bit = erg_sram_bit_write_pj(t, g->wsram_bank_bytes) * kv;
    e->e_fmap_rd_bit = erg_sram_bit_read_pj(t, g->fmap_bank_bytes) * kv;
    e->e_fmap_wr_bit = erg_sram_bit_write_pj(t, g->fmap_bank_bytes) * kv;
    e->p_leak_w = t->leak_w_per_mm2 * area_mm2 * erg_vscale_leak(volt, t->vdd);
    return 0;
}

void erg_energy_layer(const erg_energy_ctx *e, const erg_counters *c, erg_energy_breakdown *out) {
    const uint64_t *v = c->v;
    const double s = e->scale;
    memset(out, 0, sizeof *out);

    out->part.bmac = s * (double)v[ERG_CNT_bmac] * e->e_bmac;
    out->part.thr = s * (double)v[ERG_CNT_thr_ops] * e->e_thr;
    out->part.pool = s * (double)v[ERG_CNT_pool_ops] * e->e_or2;
    out->part.therm = s * (double)v[ERG_CNT_therm_ops] * e->e_cmp8;
    out->compute = out->part.bmac + out->part.thr + out->part.pool + out->part.therm;

    out->part.wff = s * (double)v[ERG_CNT_wff_bits] * e->e_ff_write;
    out->part.out = s * (double)v[ERG_CNT_out_writes] * e->e_out_write;
    out->regs = out->part.wff + out->part.out;

    double wrd = (double)(v[ERG_CNT_wsram0_rd_bits] + v[ERG_CNT_wsram1_rd_bits] +
                          v[ERG_CNT_wsram2_rd_bits] + v[ERG_CNT_wsram3_rd_bits]);
    out->part.wsram =
        s * (wrd * e->e_wsram_rd_bit + (double)v[ERG_CNT_wsram_wr_bits] * e->e_wsram_wr_bit);
    out->part.fmap =
        s * ((double)(v[ERG_CNT_fmap_a_rd_bits] + v[ERG_CNT_fmap_b_rd_bits]) * e->e_fmap_rd_bit +
             (double)(v[ERG_CNT_fmap_a_wr_bits] + v[ERG_CNT_fmap_b_wr_bits]) * e->e_fmap_wr_bit);
    out->sram = out->part.wsram + out->part.fmap;

    out->dram = 0; /* the BNA has no off-chip traffic; no counter exists for it */

    /* Clock: clocked neurons (all N in every active cycle, minus the gated neuron-cycles of
     * partial groups) × their flip-flops, the array's window register in every active cycle,
     * and the control flip-flops in every cycle of the layer. */
    double nrn_cycles = (double)e->g.neurons * (double)v[ERG_CNT_active_cycles];
    nrn_cycles -= (double)v[ERG_CNT_gated_neuron_cycles];
    if (nrn_cycles < 0) nrn_cycles = 0;
    double clk_bits = nrn_cycles * e->g.nrn_clk_bits +
                      (double)v[ERG_CNT_active_cycles] * e->g.window_bits +
                      (double)v[ERG_CNT_cycles] * e->g.ctrl_bits;
    out->clock = s * clk_bits * e->e_ff_clk;

    out->seconds = (double)v[ERG_CNT_cycles] / e->freq_hz;
    out->leak = e->p_leak_w * out->seconds; /* not scaled: docs/energy.md, "Calibration" */

    out->total = out->compute + out->regs + out->sram + out->dram + out->clock + out->leak;
}

uint64_t erg_energy_ops(const erg_counters *c) {
    return 2 * c->v[ERG_CNT_bmac];
}

double erg_energy_tops_per_w(double ops, double joules) {
    return joules > 0 ? ops / joules / 1e12 : 0;
}

double erg_energy_fps(double freq_hz, uint64_t cycles) {
    return cycles ? freq_hz / (double)cycles : 0;
}

double erg_energy_uj_per_frame(double joules_per_frame) {
    return joules_per_frame * 1e6;
}

double erg_energy_power_w(double joules_per_frame, double fps) {
    return joules_per_frame * fps;
}

double erg_op_freq(const double *v, const double *f, int n, double volt) {
    const double tol = 1e-9; /* accept the end points despite rounding of the caller's V */
    if (n < 1 || !(volt >= v[0] - tol) || !(volt <= v[n - 1] + tol)) return -1;
    if (volt <= v[0]) return f[0];
    for (int i = 1; i < n; i++)
        if (volt <= v[i])
            return f[i - 1] + (f[i] - f[i - 1]) * (volt - v[i - 1]) / (v[i] - v[i - 1]);
    return f[n - 1];
}

int erg_op_freq_check(const double *v, const double *f, int n, double volt, double *freq_hz,
                      erg_error *err) {
    double x = erg_op_freq(v, f, n, volt);
    if (n < 1) return erg_fail(err, "no operating points to take a clock from");
    if (x < 0)
        return erg_fail(err, "voltage %g V is outside the chip's operating points (%g..%g V)", volt,
                        v[0], v[n - 1]);
    *freq_hz = x;
    return 0;
}

int erg_energy_best_op(const erg_tech *t, const erg_bna_energy_geom *g, const erg_counters *c,
                       const double *v, const double *f, int n, double area_mm2, double scale,
                       erg_error *err) {
    int best = -1;
    double best_eff = -1;
    const double ops = (double)erg_energy_ops(c);
    for (int i = 0; i < n; i++) {
        erg_energy_ctx e;
        erg_energy_breakdown b;
        if (erg_energy_init(&e, t, g, v[i], f[i], area_mm2, scale, err)) return -1;
        erg_energy_layer(&e, c, &b);
        double eff = erg_energy_tops_per_w(ops, b.total);
        if (eff > best_eff) best_eff = eff, best = i;
    }
    if (best < 0) return erg_fail(err, "no operating points to choose from");
    return best;
}

int erg_energy_calibrate(double *scale, const erg_energy_ctx *e, const erg_counters *c,
                         double target_tops_per_w, erg_error *err) {
    if (!(target_tops_per_w > 0))
        return erg_fail(err, "calibration: expected a target > 0 TOPS/W, found %g",
                        target_tops_per_w);
    erg_energy_ctx unit = *e;
    unit.scale = 1.0;
    erg_energy_breakdown b;
    erg_energy_layer(&unit, c, &b);
    const double ops = (double)erg_energy_ops(c);
    const double dyn = b.total - b.leak;
    const double want = ops / (target_tops_per_w * 1e12); /* J the layer may take */
    if (!(dyn > 0) || !(want > b.leak))
        return erg_fail(err,
                        "calibration: cannot reach %g TOPS/W: the layer needs %g J, leakage alone "
                        "takes %g J and dynamic energy is %g J",
                        target_tops_per_w, want, b.leak, dyn);
    *scale = (want - b.leak) / dyn;
    return 0;
}
