/* backend.h — the backends that implement erg_bus for a whole chip: `cmodel` (the C models of
 * its units; RTL, cosim and SystemC backends join later). */
#ifndef ERG_BACKEND_H
#define ERG_BACKEND_H

#include <stdint.h>

#include "chip.h"
#include "erg_bus.h"
#include "erg_error.h"

typedef struct erg_backend erg_backend;
struct erg_backend {
    erg_bus bus;
    const char *name;
    void (*destroy)(erg_backend *b);
    /* Clock cycles since reset (the simulated chip's time); may be NULL. */
    uint64_t (*now)(erg_backend *b);
    /* Starts (on = 1) or pauses (0) the waveform of a backend opened with a trace path; NULL
     * when the backend writes none. erg verify uses it to trace only the failing layer. */
    void (*trace_on)(erg_backend *b, int on);
};

/* The first difference a lockstep co-simulation saw between the reference (C model) and the
 * device under test (RTL): the bus address whose value differed, both values, and the DUT's
 * cycle. */
typedef struct erg_mismatch {
    uint64_t addr;
    uint32_t expected, found;
    uint64_t cycle;
} erg_mismatch;

/* The chip's units as C models, each at its base address. */
erg_backend *erg_backend_cmodel(const erg_chip *chip, erg_error *err);
/* Lockstep: every transaction goes to the C model and the RTL; every value read is compared.
 * trace_path (NULL = none) gets an FST waveform of the RTL. */
erg_backend *erg_backend_cosim(const erg_chip *chip, const char *trace_path, erg_error *err);
/* The same with the device under test named: a backend name for erg_backend_create, e.g.
 * "rtl-fault2" (erg verify --backend cosim:rtl-fault2; docs/verification.md). */
erg_backend *erg_backend_cosim_dut(const erg_chip *chip, const char *dut_name,
                                   const char *trace_path, erg_error *err);
/* 1 and *m filled when b is a cosim backend that has seen a difference, else 0. */
int erg_backend_mismatch(const erg_backend *b, erg_mismatch *m);

/* The SystemC platform (sim/systemc, docs/systemc.md) lives in its own C++ library, linked
 * only into the erg binary and the SystemC tests (libsystemc brings a main() that would
 * silence a Criterion test): that library registers its factory here, for the backend names
 * "systemc" and "systemc-ideal". */
typedef erg_backend *(*erg_backend_factory)(const char *name, const erg_chip *chip,
                                            const char *trace_path, erg_error *err);
void erg_backend_register_systemc(erg_backend_factory f);

/* Creates the backend named `name` (cmodel, rtl, rtl-verify, cosim, systemc, systemc-ideal);
 * the message lists the available ones. trace_path: FST waveform of the RTL (rtl, cosim), NULL for
 * none. */
erg_backend *erg_backend_create(const char *name, const erg_chip *chip, const char *trace_path,
                                erg_error *err);
void erg_backend_destroy(erg_backend *b);
/* b->trace_on if it has one. */
void erg_backend_trace_on(erg_backend *b, int on);

#endif
