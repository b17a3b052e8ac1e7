/* erg_amac_driver.h — the C host driver of the AMAC unit (docs/amac-unit.md): probes the unit,
 * moves tensors into and out of its local memory by bursts, programs a layer descriptor, starts
 * it, waits for the interrupt and reads the status and counters — only through erg_bus, so the
 * same code drives the C model, the RTL and the SystemC platform. Register names are those of
 * the generated erg_regs_amac.h (from driver/erg_amac_regs.def). */
#ifndef ERG_AMAC_DRIVER_H
#define ERG_AMAC_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "erg_bus.h"
#include "erg_error.h"
#include "erg_regs_amac.h"

/* What the driver knows of an AMAC unit (its ID, VERSION, P_* and MUL_ID registers). */
typedef struct erg_drv_amac_info {
    uint64_t base;
    int rows, cols;
    uint32_t dataflow, timing;                    /* ERG_AMAC_DATAFLOW_*, ERG_AMAC_TIMING_* */
    uint32_t ifmap_sram, filter_sram, ofmap_sram; /* bytes */
    uint32_t dram_bpc_q16;                        /* P_DRAM_BPC */
    double dram_bytes_per_cycle;                  /* dram_bpc_q16 / 65536, exact */
    uint32_t lmem_bytes;
    int n_mul;
    int mul_ids[ERG_AMAC_MUL_MAX]; /* built-in multiplier id (erg_amul.def order) per index */
} erg_drv_amac_info;

/* Checks ID and VERSION and reads the unit's parameters; -1 with a message when the unit is
 * missing, of another version or reports nonsense. */
int erg_drv_amac_probe(const erg_bus *bus, uint64_t base, erg_drv_amac_info *info, erg_error *err);

/* The index (the L_MUL value) of built-in multiplier `amul_id` in the unit's set; -1 when the
 * unit has no such multiplier. The lowest index when it appears twice. */
int erg_drv_amac_mul_index(const erg_drv_amac_info *u, int amul_id);

/* ---- local memory (addresses are byte offsets in it, as in the L_*_ADDR registers) ---- */

/* Copies bytes into / out of local memory at any address and length: 4-byte aligned words go
 * by burst, a partial first or last word by 32-bit read-modify-write. -1 with a message when
 * [addr, addr + bytes) is not inside the local memory. */
int erg_drv_amac_write(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr,
                       const void *data, size_t bytes, erg_error *err);
int erg_drv_amac_read(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr, void *data,
                      size_t bytes, erg_error *err);
/* n int32 values as little-endian words (bias, m0, shift arrays; int32 outputs). */
int erg_drv_amac_write_i32(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr,
                           const int32_t *v, size_t n, erg_error *err);
int erg_drv_amac_read_i32(const erg_bus *bus, const erg_drv_amac_info *u, uint32_t addr, int32_t *v,
                          size_t n, erg_error *err);

/* ---- layers ---- */

/* One layer as the unit runs it (the L_* registers). */
typedef struct erg_drv_amac_layer {
    uint32_t kind;                  /* ERG_AMAC_KIND_CONV / _DEPTHWISE / _DENSE */
    uint32_t in_h, in_w, in_c;      /* input map (dense: flattened, n_in = in_h in_w in_c) */
    uint32_t out_c;                 /* output channels (dense: outputs) */
    uint32_t k_h, k_w, stride, pad; /* conv, depthwise; pad ERG_AMAC_PAD_VALID / _SAME */
    uint32_t flags;                 /* ERG_AMAC_L_FLAGS_BIAS | ERG_AMAC_L_FLAGS_REQUANT */
    uint32_t in_addr, w_addr, bias_addr, m0_addr, shift_addr, out_addr; /* local memory */
    int32_t zp;   /* output zero point (REQUANT) */
    uint32_t mul; /* index into the unit's multiplier set */
} erg_drv_amac_layer;

/* The layer's output shape and the bytes of each of its tensors in local memory (0 for a
 * tensor the layer does not use), by the unit's rules; -1 with a message for a layer the unit
 * would refuse for its kind, padding or shape (ERR_KIND, ERR_SHAPE). */
typedef struct erg_drv_amac_sizes {
    uint32_t out_h, out_w; /* dense: 1 x 1 */
    uint64_t in, w, bias, m0, shift, out;
} erg_drv_amac_sizes;
int erg_drv_amac_layer_sizes(const erg_drv_amac_layer *l, erg_drv_amac_sizes *s, erg_error *err);

/* Writes the L_* registers. */
void erg_drv_amac_program(const erg_bus *bus, const erg_drv_amac_info *u,
                          const erg_drv_amac_layer *l);
/* Enables the DONE interrupt, clears a pending one and writes CTRL.START (with CLEAR when
 * `clear`: the counters then hold just this layer). */
void erg_drv_amac_start(const erg_bus *bus, const erg_drv_amac_info *u, int clear);
/* Waits for the interrupt (at most max_cycles), then reads STATUS and clears the interrupt.
 * 0 when the layer ran; -1 with a message naming ERROR and ERR_ARG when the unit refused it,
 * or when it did not finish in time. STATUS is read only after the interrupt: earlier, the
 * answer would depend on the backend's timing. */
int erg_drv_amac_wait(const erg_bus *bus, const erg_drv_amac_info *u, uint64_t max_cycles,
                      erg_error *err);

/* The counters, in register order (ERG_AMAC_CNT_<name> is the index of counter <name>). */
typedef struct erg_drv_amac_counters {
    uint64_t v[ERG_AMAC_CNT_COUNT];
} erg_drv_amac_counters;
/* Name and description of counter i; NULL past the end. */
const char *erg_drv_amac_counter_name(int i);
const char *erg_drv_amac_counter_desc(int i);
/* Reads every counter (low and high word). */
void erg_drv_amac_read_counters(const erg_bus *bus, const erg_drv_amac_info *u,
                                erg_drv_amac_counters *cnt);

/* Programs the layer, starts it with CLEAR, waits and reads the counters (cnt may be NULL):
 * erg_drv_amac_program + _start + _wait + _read_counters. */
int erg_drv_amac_run_layer(const erg_bus *bus, const erg_drv_amac_info *u,
                           const erg_drv_amac_layer *l, uint64_t max_cycles,
                           erg_drv_amac_counters *cnt, erg_error *err);

/* "NONE", "KIND", "SHAPE", ... for an ERROR code; "?" for an unknown one. */
const char *erg_drv_amac_error_name(uint32_t code);

/* Reads every readable register once (the RO/RW/W1C ones of erg_amac_regs.def, all MUL_ID
 * slots and all counter words) and returns how many words it read. It changes nothing, so a
 * lockstep run right after reset shows a register that misses its reset value. */
int erg_drv_amac_read_all_regs(const erg_bus *bus, const erg_drv_amac_info *u);

#endif
