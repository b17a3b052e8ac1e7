/* erg_mac_energy.h — energy of the AMAC systolic MAC array: a layer's erg_mac_stats counters ×
 * energy per action at the operating point, plus leakage × time (docs/energy.md, "MAC array
 * (AMAC) energy"). Includes only models/common (the counters), never the model. */
#ifndef ERG_MAC_ENERGY_H
#define ERG_MAC_ENERGY_H

#include <stdint.h>

#include "erg_energy.h"
#include "erg_error.h"
#include "erg_mac_counters.h"
#include "erg_tech.h"

/* What the array's per-action energies depend on (filled from the chip's amac unit). */
typedef struct erg_mac_energy_geom {
    int rows, cols; /* R x C processing elements */
    /* the three on-chip buffers, bytes: each is taken as one macro (its size sets the energy
     * per bit, erg_sram_bit_read_pj) */
    double ifmap_sram_bytes, filter_sram_bytes, ofmap_sram_bytes;
    /* the unit's local memory (the tensor store its dram_* counters move data to and from):
     * 0 = off-chip DRAM (dram64 per 64 bits, read or write), > 0 = an on-chip SRAM macro of
     * this many bytes (erg_sram_bit_read_pj / _write_pj at that size, voltage-scaled) */
    double lmem_sram_bytes;
} erg_mac_energy_geom;

/* Flip-flops of one PE clocked in every cycle it is used: the 8-bit moving-operand register,
 * the 8-bit weight (stationary) register and the 32-bit accumulator / partial-sum register =
 * 48. PEs outside a fold's r x c block are clock-gated (docs/amac-array.md, used_pe_cycles). */
#define ERG_MAC_PE_CLK_BITS 48
/* Control flip-flops clocked in every cycle of a layer (sequencer state, fold and loop
 * counters, the three buffers' address generators, the layer descriptor): 8 x 32 bits. An
 * estimate, stated as such (the same figure as ERG_BNA_CTRL_BITS), not a netlist count. */
#define ERG_MAC_CTRL_BITS 256

/* Energies per action at one operating point, J (before the chip-level scale). */
typedef struct erg_mac_energy_ctx {
    erg_mac_energy_geom g;
    char tech[64];
    double vnom, volt, freq_hz, area_mm2, scale;
    double e_mul8;    /* exact 8-bit multiply (mul8); an approximate one × its rel. energy */
    double e_acc;     /* the accumulate of a MAC: a 32-bit add (add32) */
    double e_add32;   /* partial-sum merge and bias add (add32) */
    double e_requant; /* SRDHM + RDPOT + zero point: mul32 + 2 × add32 (docs/energy.md) */
    double e_ifmap_rd_bit, e_ifmap_wr_bit;
    double e_filter_rd_bit, e_filter_wr_bit;
    double e_ofmap_rd_bit, e_ofmap_wr_bit;
    /* local-memory byte read / written: dram64 / 8, not voltage-scaled (the DRAM's own
     * supply), or 8 SRAM bits of the lmem macro (geom lmem_sram_bytes > 0) */
    double e_dram_rd_byte, e_dram_wr_byte;
    double e_ff_write, e_ff_clk;
    double p_leak_w; /* leakage power at volt, W */
} erg_mac_energy_ctx;

/* Prices the tech table at supply `volt` (dynamic × (V/vdd)² except DRAM, leakage density ×
 * area × V/vdd) for a chip of `area_mm2` (0 = unknown: no leakage) running at `freq_hz`, with
 * the chip-level calibration factor `scale` (> 0; multiplies every dynamic component, DRAM
 * included, not leakage). Returns 0, or -1 with a message (bad table, supply, clock, area,
 * scale or geometry). The caller checks freq_hz against the chip's operating points. */
int erg_mac_energy_init(erg_mac_energy_ctx *e, const erg_tech *t, const erg_mac_energy_geom *g,
                        double volt, double freq_hz, double area_mm2, double scale, erg_error *err);

/* The energy of one layer from its counters (docs/energy.md, "MAC array (AMAC) energy").
 * mul_rel_energy (>= 0) is the multiplier's characterized energy relative to the exact 8-bit
 * multiplier (1.0 = exact); it scales the multiplications only. Multiplications with a padding
 * zero (pad_mults) cost no multiplier energy. Fills every component, total, seconds and
 * part.mult / acc / add / requant / ifmap / filter / ofmap (the other parts are 0). */
void erg_mac_energy_layer(const erg_mac_energy_ctx *e, const erg_mac_stats *c,
                          double mul_rel_energy, erg_energy_breakdown *out);

/* ops = 2 × macs (int8 ops: a multiply and an add each). */
uint64_t erg_mac_energy_ops(const erg_mac_stats *c);

#endif
