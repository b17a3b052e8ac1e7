/* erg_fwfe_ppa.c — the DeepFreeze-style analytic PPA estimate (erg_fwfe_ppa.h). */
#include "erg_fwfe_ppa.h"

#include <string.h>

#include "erg_fwfe_int.h"

void erg_fwfe_ppa_layer(const erg_fwfe_stats *st, const erg_conv_geom *g, int depthwise,
                        erg_fwfe_ppa *o) {
    memset(o, 0, sizeof *o);
    o->mul_bits = st->nonzero_weights * 8u * 8u; /* int8 activations x int8 weights */
    o->storage_bits = st->line_buffer_bits + st->window_bits + st->tree_reg_bits;
    double mb = (double)o->mul_bits, sb = (double)o->storage_bits;
    o->area_mm2 = mb * ERG_FWFE_DF_MUL_MM2 + sb * ERG_FWFE_DF_BIT_MM2;
    o->power_w = mb * ERG_FWFE_DF_MUL_W + sb * ERG_FWFE_DF_BIT_W;
    o->energy_j = (mb * ERG_FWFE_DF_MUL_W * (double)st->outputs +
                   sb * ERG_FWFE_DF_BIT_W * (double)st->beats_in) /
                  ERG_FWFE_DF_FREQ_HZ;
    double macs = (double)g->out_h * g->out_w * g->out_c * g->k_h * g->k_w *
                  (depthwise ? 1.0 : (double)g->in_c);
    o->ops = 2 * macs;
    o->tops_per_w = o->energy_j > 0 ? o->ops / o->energy_j / 1e12 : 0;
}

void erg_fwfe_ppa_chain(const erg_fwfe *f, erg_fwfe_ppa *out, erg_fwfe_ppa *total) {
    erg_fwfe_ppa t;
    memset(&t, 0, sizeof t);
    for (int i = 0; i < f->n; i++) {
        erg_fwfe_ppa_layer(&f->l[i].st, &f->l[i].g, f->l[i].dw, &out[i]);
        t.mul_bits += out[i].mul_bits;
        t.storage_bits += out[i].storage_bits;
        t.area_mm2 += out[i].area_mm2;
        t.power_w += out[i].power_w;
        t.energy_j += out[i].energy_j;
        t.ops += out[i].ops;
    }
    t.tops_per_w = t.energy_j > 0 ? t.ops / t.energy_j / 1e12 : 0;
    if (total) *total = t;
}
