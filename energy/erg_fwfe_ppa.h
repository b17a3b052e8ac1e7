/* erg_fwfe_ppa.h — the DeepFreeze-style analytic PPA estimate of a fixed-weight layer
 * (docs/fwfe.md, "PPA"), with the public constants of REFERENCES.md (16 nm class, 810 MHz):
 *
 *   fixed multiplier, per (non-zero weight x activation bit x weight bit):
 *                                        2.05e-7 mm^2, 5.79e-8 W at 810 MHz
 *   SRAM / register, per bit:            1.62e-6 mm^2, 4.0e-7 W at 810 MHz
 *
 * Per layer, with N the non-zero weights, a = w = 8 bits and B the storage bits (line buffers
 * + window registers + the adder trees' pipeline registers):
 *
 *   area   = N a w 2.05e-7 + B 1.62e-6                                  [mm^2]
 *   power  = N a w 5.79e-8 + B 4.0e-7                                   [W at 810 MHz]
 *   energy = (N a w 5.79e-8 outputs + B 4.0e-7 beats) / 810 MHz         [J per frame]
 *
 * (the watt figures are power at 810 MHz, so an action costs P / f: a multiplier acts once per
 * output pixel, the storage once per input beat). ops = 2 x the dense MACs of the layer (zero
 * weights included, the usual TOPS convention), so TOPS/W = ops / energy. */
#ifndef ERG_FWFE_PPA_H
#define ERG_FWFE_PPA_H

#include <stdint.h>

#define ERG_FWFE_DF_MUL_MM2                                                                        \
    2.05e-7                       /* REFERENCES.md, DeepFreeze: per weight x act bit x weight bit */
#define ERG_FWFE_DF_MUL_W 5.79e-8 /* the same, W at 810 MHz */
#define ERG_FWFE_DF_BIT_MM2 1.62e-6 /* REFERENCES.md, DeepFreeze: SRAM / register per bit */
#define ERG_FWFE_DF_BIT_W 4.0e-7    /* the same, W at 810 MHz */
#define ERG_FWFE_DF_FREQ_HZ 810e6   /* REFERENCES.md, DeepFreeze's clock */

typedef struct erg_fwfe_ppa {
    uint64_t mul_bits;     /* N a w */
    uint64_t storage_bits; /* B */
    double area_mm2, power_w, energy_j;
    double ops;        /* 2 x dense MACs of one frame */
    double tops_per_w; /* ops / energy / 1e12 */
} erg_fwfe_ppa;

/* What the estimate needs of a layer (the FWFE model's counters and geometry, filled by
 * erg_fwfe_ppa_chain in sim/fwfe_net.h). */
typedef struct erg_fwfe_ppa_in {
    uint64_t nonzero_weights;
    uint64_t storage_bits; /* line buffers + window registers + tree pipeline registers */
    uint64_t outputs;      /* output pixels of one frame */
    uint64_t beats;        /* input beats of one frame (padding included) */
    double macs;           /* dense MACs of one frame (zero weights included) */
} erg_fwfe_ppa_in;

void erg_fwfe_ppa_layer(const erg_fwfe_ppa_in *in, erg_fwfe_ppa *out);
/* Adds layer l into *total (mul and storage bits, area, power, energy, ops; TOPS/W of the sum). */
void erg_fwfe_ppa_add(erg_fwfe_ppa *total, const erg_fwfe_ppa *l);

#endif
