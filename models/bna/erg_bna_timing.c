/* erg_bna_timing.c — the BNA's cycle and activity-counter equations (docs/bna.md, "What happens
 * in each cycle" and "Activity counters"), summed in closed form over the filter groups. */
#include "erg_bna_int.h"

#include "erg_regs.h"

static int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

/* Neurons of an n_g-neuron group that load from bank b: neuron i uses bank i mod B. */
static int64_t neurons_of_bank(int64_t n_g, int b, int banks) {
    return n_g > b ? ceil_div(n_g - b, banks) : 0;
}

/* Weight-load counters of one group: every neuron of the group loads wpf words. */
static void count_weight_load(const erg_bna_params *p, int64_t n_g, int64_t wpf, erg_counters *c) {
    c->v[ERG_CNT_wff_bits] += (uint64_t)(p->word_bits * n_g * wpf);
    for (int b = 0; b < p->banks; b++)
        c->v[ERG_CNT_wsram0_rd_bits + b] +=
            (uint64_t)(p->word_bits * wpf * neurons_of_bank(n_g, b, p->banks));
}

static uint64_t count_conv(const erg_bna_params *p, const erg_bna_layer *l, erg_counters *c) {
    const int64_t n = p->neurons, k = l->k, d = ERG_BNA_DEPTH;
    const int rd = l->src ? ERG_CNT_fmap_b_rd_bits : ERG_CNT_fmap_a_rd_bits;
    const int wr = l->dst ? ERG_CNT_fmap_b_wr_bits : ERG_CNT_fmap_a_wr_bits;
    /* A row of output windows takes W = Wo + K - 1 column reads. */
    const int64_t compute = (int64_t)l->ho * l->w;
    const int64_t read_words = l->p_in; /* per pixel read (raw: 1) */
    uint64_t cycles = 0;
    for (int64_t g0 = 0; g0 < l->cout; g0 += n) {
        int64_t n_g = l->cout - g0 < n ? l->cout - g0 : n;
        int64_t load = ceil_div(n_g, p->banks) * l->wpf; /* L = ceil(n_g/B)(1 + K^2 ceil(cin/Wb)) */
        cycles += (uint64_t)(load + compute + d);
        c->v[ERG_CNT_stall_cycles] += (uint64_t)load;
        c->v[ERG_CNT_active_cycles] += (uint64_t)(compute + d);
        c->v[ERG_CNT_gated_neuron_cycles] += (uint64_t)((n - n_g) * (compute + d));
        count_weight_load(p, n_g, l->wpf, c);
        c->v[rd] += (uint64_t)(64 * read_words * k * compute);
        c->v[wr] += (uint64_t)(n_g * l->ho * l->wo);
        if (l->therm) c->v[ERG_CNT_therm_ops] += (uint64_t)(k * l->c * compute);
    }
    uint64_t pixels = (uint64_t)l->ho * (uint64_t)l->wo;
    c->v[ERG_CNT_bmac] += pixels * (uint64_t)l->cout * (uint64_t)(k * k) * (uint64_t)l->c;
    c->v[ERG_CNT_thr_ops] += pixels * (uint64_t)l->cout;
    return cycles;
}

static uint64_t count_pool(const erg_bna_layer *l, erg_counters *c) {
    const uint64_t s = (uint64_t)l->k, pixels = (uint64_t)l->ho * (uint64_t)l->wo;
    uint64_t cycles = pixels * s + 1; /* S column reads per output pixel, + 1 */
    c->v[ERG_CNT_gated_cycles] += cycles;
    c->v[l->src ? ERG_CNT_fmap_b_rd_bits : ERG_CNT_fmap_a_rd_bits] +=
        64 * (uint64_t)l->p_in * s * s * pixels;
    c->v[l->dst ? ERG_CNT_fmap_b_wr_bits : ERG_CNT_fmap_a_wr_bits] += (uint64_t)l->c * pixels;
    c->v[ERG_CNT_pool_ops] += pixels * (uint64_t)l->c * (s * s - 1);
    return cycles;
}

static uint64_t count_dense(const erg_bna_params *p, const erg_bna_layer *l, erg_counters *c) {
    const int64_t n = p->neurons, k = l->k, d = ERG_BNA_DEPTH;
    const int64_t bn_sign = !l->out_dots;
    const int64_t tiles = ceil_div(l->h, k) * ceil_div(l->w, k);
    const int64_t pixels = (int64_t)l->h * l->w; /* = sum over tiles of v_t */
    uint64_t cycles = 0;
    for (int64_t g0 = 0; g0 < l->cout; g0 += n) {
        int64_t n_g = l->cout - g0 < n ? l->cout - g0 : n;
        int64_t per_bank = ceil_div(n_g, p->banks);
        /* threshold words, then sum_t ceil(n_g/B) v_t ceil(c/Wb) */
        int64_t load = per_bank * bn_sign + per_bank * pixels * l->slot_words;
        int64_t compute = tiles * k; /* K column cycles per tile */
        cycles += (uint64_t)(load + compute + d);
        c->v[ERG_CNT_stall_cycles] += (uint64_t)load;
        c->v[ERG_CNT_active_cycles] += (uint64_t)(compute + d);
        c->v[ERG_CNT_gated_neuron_cycles] += (uint64_t)((n - n_g) * (compute + d));
        count_weight_load(p, n_g, l->wpf, c);
        c->v[l->src ? ERG_CNT_fmap_b_rd_bits : ERG_CNT_fmap_a_rd_bits] +=
            (uint64_t)(64 * l->p_in * pixels);
        if (bn_sign)
            c->v[l->dst ? ERG_CNT_fmap_b_wr_bits : ERG_CNT_fmap_a_wr_bits] += (uint64_t)n_g;
    }
    c->v[ERG_CNT_bmac] += (uint64_t)pixels * (uint64_t)l->c * (uint64_t)l->cout;
    c->v[bn_sign ? ERG_CNT_thr_ops : ERG_CNT_out_writes] += (uint64_t)l->cout;
    return cycles;
}

uint64_t erg_bna_count_layer(const erg_bna_params *p, const erg_bna_layer *l, erg_counters *c) {
    uint64_t cycles = l->op == ERG_BNA_OP_CONV      ? count_conv(p, l, c)
                      : l->op == ERG_BNA_OP_MAXPOOL ? count_pool(l, c)
                                                    : count_dense(p, l, c);
    c->v[ERG_CNT_cycles] += cycles;
    return cycles;
}
