/* erg_bna.h — cycle-level C model of the binary neuron array (docs/bna.md): a register-mapped
 * unit with its weight and feature-map SRAMs, driven through 32-bit register accesses and
 * bursts exactly like the RTL. A START runs the programmed layer to completion at once (whole
 * tiles per step, bit-packed), with cycles and activity counters exactly those of a
 * cycle-by-cycle run. */
#ifndef ERG_BNA_H
#define ERG_BNA_H

#include <stddef.h>
#include <stdint.h>

#include "erg_counters.h"
#include "erg_error.h"

typedef struct erg_bna_params {
    int neurons;         /* N */
    unsigned kernels;    /* supported square kernel sizes: bit k set = k x k (k <= 7) */
    int channels;        /* C: max channels in and out */
    int fmap_h, fmap_w;  /* largest feature map */
    int banks;           /* B: weight SRAM banks, 1..4 */
    int word_bits;       /* Wb: weight SRAM word width, a multiple of 64 */
    int64_t wsram_bytes; /* whole weight SRAM, split evenly over the banks */
    int64_t fmap_bytes;  /* both feature-map buffers together */
} erg_bna_params;

typedef struct erg_bna erg_bna;

/* Checks the parameters (clear message on nonsense) and allocates the unit in its reset state. */
erg_bna *erg_bna_create(const erg_bna_params *p, erg_error *err);
void erg_bna_free(erg_bna *u);

/* Register and memory accesses at offsets from the unit's base (driver/erg_regs.def). A write
 * of CTRL.START runs the layer; STATUS, IRQ_STATUS and the counters then show the result.
 * Bursts address the FMAP_A/FMAP_B/WSRAM windows (bytes a multiple of 4). Accesses outside the
 * map read 0 and are ignored. */
uint32_t erg_bna_read32(erg_bna *u, uint64_t off);
void erg_bna_write32(erg_bna *u, uint64_t off, uint32_t v);
void erg_bna_burst_write(erg_bna *u, uint64_t off, const void *data, size_t bytes);
void erg_bna_burst_read(erg_bna *u, uint64_t off, void *data, size_t bytes);
/* 1 while an enabled interrupt is pending. */
int erg_bna_irq(const erg_bna *u);
/* The activity counters accumulated since the last CTRL.CLEAR (also readable as registers). */
const erg_counters *erg_bna_counters(const erg_bna *u);
/* Cycles since reset (all layers), for the bus backends' notion of time. */
uint64_t erg_bna_now(const erg_bna *u);

#endif
