/* backend_rtl.h — the `rtl` backend: erg_bus over the Verilator models of the BNA RTL
 * (rtl/bna, docs/rtl.md) and the AMAC RTL (rtl/amac, docs/rtl-amac.md), one model per unit.
 * C-callable; the shim itself is C++ (sim/backend_rtl.cpp). Only in builds with Verilator
 * (ERG_HAVE_RTL is then defined). */
#ifndef ERG_BACKEND_RTL_H
#define ERG_BACKEND_RTL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* backend.h and the headers it pulls in are C */
#endif

#include "backend.h"
#include "erg_amul.h"

/* The chip's units as RTL. Fails (with a message naming the unit and the value) when a unit
 * differs from the parameters the RTL was built with (CMake: ERG_RTL_CHIP, ERG_RTL_AMAC_CHIP).
 * trace_path (NULL: none) names an FST waveform file of unit 0. verify_build = 0 uses the fast
 * build; n > 0 the verification build (--x-initial unique) with random initial values from seed n
 * (+verilator+rand+reset+2), so a register that misses its reset shows up as a mismatch. */
erg_backend *erg_backend_rtl(const erg_chip *chip, const char *trace_path, int verify_build,
                             erg_error *err);

/* TEST ONLY: the verification build with deliberate fault number `fault` (1 .. ERG_RTL_FAULTS)
 * switched on (rtl/bna, ERG_BNA_FAULTS; docs/verification.md), to check that `erg verify`
 * catches it: 1 = pooling window off by one, 2 = one popcount bit dropped, 3 = stall_cycles
 * misses the weight loads. Random initial values as the verification build (seed 1). */
#define ERG_RTL_FAULTS 4
erg_backend *erg_backend_rtl_fault(const erg_chip *chip, int fault, const char *trace_path,
                                   erg_error *err);

/* 1 if b was made by erg_backend_rtl or erg_backend_rtl_fault. */
int erg_backend_is_rtl(const erg_backend *b);
/* Clock cycles simulated so far: layers and bus accesses (for cycles/s measurements). */
uint64_t erg_backend_rtl_ticks(const erg_backend *b);
/* The RTL's own count of the last layer of unit `unit`: cycles with STATUS.BUSY, counted by
 * the shim from the busy line (the `cycles` counter register must agree). */
uint64_t erg_backend_rtl_layer_cycles(const erg_backend *b, int unit);
/* The parameters the RTL was built with, e.g. "NEURONS=64 KERNELS=4 ... (chip.cfg)". */
const char *erg_backend_rtl_params(void);
/* 0 when unit u of chip has the parameters the RTL was built with, else -1 and a message
 * naming the unit and the value (the check erg_backend_rtl makes of every unit). */
int erg_backend_rtl_check_unit(const erg_chip *chip, const erg_unit_cfg *u, erg_error *err);
/* The chip config the RTL's parameters were taken from (a chip the backend accepts). */
const char *erg_backend_rtl_chip(void);
/* The AMAC RTL's parameters and multiplier set, e.g. "ROWS=8 COLS=8 ... (amac8.cfg)". */
const char *erg_backend_rtl_amac_params(void);
/* The chip config the AMAC RTL's parameters were taken from. */
const char *erg_backend_rtl_amac_chip(void);

#ifdef __cplusplus
}
#endif

#endif
