/* erg_fwfe_ppa.c — the DeepFreeze-style analytic PPA estimate (erg_fwfe_ppa.h). */
#include "erg_fwfe_ppa.h"

#include <string.h>

void erg_fwfe_ppa_layer(const erg_fwfe_ppa_in *in, erg_fwfe_ppa *o) {
    memset(o, 0, sizeof *o);
    o->mul_bits = in->nonzero_weights * 8u * 8u; /* int8 activations x int8 weights */
    o->storage_bits = in->storage_bits;
    double mb = (double)o->mul_bits, sb = (double)o->storage_bits;
    o->area_mm2 = mb * ERG_FWFE_DF_MUL_MM2 + sb * ERG_FWFE_DF_BIT_MM2;
    o->power_w = mb * ERG_FWFE_DF_MUL_W + sb * ERG_FWFE_DF_BIT_W;
    o->energy_j = (mb * ERG_FWFE_DF_MUL_W * (double)in->outputs +
                   sb * ERG_FWFE_DF_BIT_W * (double)in->beats) /
                  ERG_FWFE_DF_FREQ_HZ;
    o->ops = 2 * in->macs;
    o->tops_per_w = o->energy_j > 0 ? o->ops / o->energy_j / 1e12 : 0;
}

void erg_fwfe_ppa_add(erg_fwfe_ppa *t, const erg_fwfe_ppa *l) {
    t->mul_bits += l->mul_bits;
    t->storage_bits += l->storage_bits;
    t->area_mm2 += l->area_mm2;
    t->power_w += l->power_w;
    t->energy_j += l->energy_j;
    t->ops += l->ops;
    t->tops_per_w = t->energy_j > 0 ? t->ops / t->energy_j / 1e12 : 0;
}
