/* erg_amac.h — C model of the AMAC unit (docs/amac-unit.md): the register-mapped device around
 * the approximate-multiplier MAC array (erg_mac_array.h). The host fills the unit's local memory
 * (a DRAM-backed tensor store, the LMEM window) with inputs, weights and parameters by bursts,
 * programs a layer descriptor (driver/erg_amac_regs.def) and writes CTRL.START; the layer runs
 * to completion at once on erg_mac_array_run with the selected multiplier, its outputs land in
 * local memory, and cycles and counters are those of the array model. */
#ifndef ERG_AMAC_H
#define ERG_AMAC_H

#include <stddef.h>
#include <stdint.h>

#include "erg_error.h"
#include "erg_mac_array.h"

/* Largest multiplier set (ERG_AMAC_MUL_MAX of the register map: the 6-bit select). */
#define ERG_AMAC_MAX_MULS 64
/* Multipliers of a set that are not built-ins (product tables; Verilog modules in the RTL), and
 * the MUL_ID of the first (ERG_AMAC_MUL_ID_USER of the register map). */
#define ERG_AMAC_MAX_USER_MULS 8
#define ERG_AMAC_USER_ID0 0x100

typedef struct erg_amac_params {
    int rows, cols; /* R x C PEs, 1 ... 65536 each */
    erg_mac_dataflow dataflow;
    erg_mac_timing_mode timing;
    /* On-chip buffers in bytes, 1 ... 2^32 - 1 each (P_IFMAP_SRAM, ...). */
    uint64_t ifmap_sram_bytes, filter_sram_bytes, ofmap_sram_bytes;
    /* DRAM bandwidth between the local memory and the buffers, bytes per cycle. The unit holds
     * it as unsigned Q16.16 (P_DRAM_BPC): the value is rounded to the nearest 1/65536 and the
     * rounded value is what the timing uses; it must then lie in 0.01 ... 65535.99. */
    double dram_bytes_per_cycle;
    uint64_t lmem_bytes;            /* local memory, 1 ... ERG_AMAC_LMEM_SIZE (128 MiB) */
    int n_mul;                      /* multipliers in the set, 1 ... ERG_AMAC_MAX_MULS */
    int mul_ids[ERG_AMAC_MAX_MULS]; /* built-in ids (erg_amul.def order) of multipliers 0 .. n-1,
                                     * or ERG_AMAC_MUL_ID_USER + k for user multiplier k */
    /* The product tables [a * 256 + b] of user multipliers 0 .. ERG_AMAC_MAX_USER_MULS - 1 (the
     * ones the set names by ERG_AMAC_MUL_ID_USER + k): read by erg_amac_create, which keeps its
     * own copy; NULL where unused. */
    const uint16_t *user_tables[ERG_AMAC_MAX_USER_MULS];
} erg_amac_params;

typedef struct erg_amac erg_amac;

/* Checks the parameters (a message naming the field and value on nonsense) and allocates the
 * unit in its reset state: every register, counter and local-memory byte 0. */
erg_amac *erg_amac_create(const erg_amac_params *p, erg_error *err);
void erg_amac_free(erg_amac *u);

/* Register and memory accesses at offsets from the unit's base (driver/erg_amac_regs.def). A
 * write of CTRL.START validates and runs the programmed layer; STATUS, ERROR, ERR_ARG,
 * IRQ_STATUS and the counters then show the result. 32-bit accesses must be 4-byte aligned
 * (else read 0 / ignored); accesses outside the map read 0 and are ignored. A burst inside the
 * LMEM window is a byte copy (bytes past P_LMEM_BYTES read 0 and are dropped); elsewhere it is
 * a run of 32-bit accesses. */
uint32_t erg_amac_read32(erg_amac *u, uint64_t off);
void erg_amac_write32(erg_amac *u, uint64_t off, uint32_t v);
void erg_amac_burst_write(erg_amac *u, uint64_t off, const void *data, size_t bytes);
void erg_amac_burst_read(erg_amac *u, uint64_t off, void *data, size_t bytes);
/* 1 while an enabled interrupt is pending. */
int erg_amac_irq(const erg_amac *u);
/* The counters accumulated since reset or the last CTRL.CLEAR (also readable as registers). */
const erg_mac_stats *erg_amac_counters(const erg_amac *u);
/* Cycles since reset (the sum of the accepted layers' cycles), for the bus backends' time. */
uint64_t erg_amac_now(const erg_amac *u);
/* The array configuration the unit runs (its dram_bytes_per_cycle is the Q16.16 value). */
const erg_mac_array_cfg *erg_amac_array_cfg(const erg_amac *u);
/* Why the last START was refused, as a sentence naming the field and value ("" after an
 * accepted one): the C model's extra detail beyond the ERROR / ERR_ARG registers. */
const char *erg_amac_error_message(const erg_amac *u);

#endif
