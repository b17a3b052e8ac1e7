/* erg_fwfe_energy.h — energy of a fixed-weight feature extractor layer (models/fwfe) from its
 * counters and erg's technology table, the same table and voltage rule the MAC array and the
 * binary neuron array are priced with (docs/fwfe.md, "Hybrid system"; docs/energy.md). Unlike the
 * DeepFreeze estimate (erg_fwfe_ppa.h, fixed 16 nm constants), this one follows the chip's node
 * and operating point, so a FWFE front-end and a programmable back-end are compared on one table.
 *
 * Per frame of one layer, at supply V (k = (V / vdd)^2, s the chip's calibration factor):
 *
 *   adders   = adder_bits x outputs x fa_bit                   (every tree evaluates once
 *                                                                per output pixel; a w-bit adder
 *                                                                = w full-adder bits)
 *   requant  = requant_ops x (mul32 + 2 add32)                  (as the MAC array's: SRDHM's
 *                                                                product, two rounding adds)
 *   regs     = reg_bits_written x ff_write
 *   sram     = lb_bits_read x e_rd(lb_bytes) + lb_bits_written x e_wr(lb_bytes)
 *                                                               (the line buffers, priced as an
 *                                                                SRAM macro of their size)
 *   clock    = ff_bits x cycles x ff_clk                        (window, tree and requant
 *                                                                registers, clocked every cycle)
 *   leak     = leak_w_per_mm2 x area x V/vdd x cycles / f
 *
 * every dynamic term x k x s. Plain numbers come in (energy/ never sees a model's internals): the
 * glue that fills them from the FWFE's counters is in sim/fixynn.c. */
#ifndef ERG_FWFE_ENERGY_H
#define ERG_FWFE_ENERGY_H

#include "erg_energy.h"
#include "erg_error.h"
#include "erg_tech.h"

typedef struct erg_fwfe_energy_in {
    double adder_bits;       /* sum of the widths of every adder in the layer's trees */
    double outputs;          /* output pixels of one frame */
    double requant_ops;      /* out_c x outputs */
    double reg_bits_written; /* window, tree-level and requant register bits written */
    double ff_bits;          /* flip-flops clocked every cycle (window + tree + requant) */
    double lb_bits_read, lb_bits_written;
    double lb_bytes; /* line-buffer storage (0: no line buffer, a 1-row kernel) */
    double cycles;   /* cycles the layer is clocked in the frame */
} erg_fwfe_energy_in;

/* Prices one layer at supply volt, clock freq_hz, calibration scale (> 0) and silicon area
 * area_mm2 (leakage); fills compute (part.add = adders, part.requant), regs, sram, clock, leak,
 * total and seconds. Returns 0, or -1 with a message (bad table, supply, clock, scale, area). */
int erg_fwfe_energy_layer(const erg_tech *t, double volt, double freq_hz, double scale,
                          double area_mm2, const erg_fwfe_energy_in *in, erg_energy_breakdown *out,
                          erg_error *err);

#endif
