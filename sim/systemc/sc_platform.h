/* sc_platform.h — the SystemC / TLM-2.0 system platform (docs/systemc.md): a host CPU issuing
 * the unchanged C driver's bus calls as TLM transactions, an interconnect, a DRAM with latency,
 * bandwidth and contention, a DMA engine, interrupts, and the chip's units as SystemC modules
 * wrapping their C models with exact cycle timing. C-callable; the platform is C++17. One
 * platform per process (SystemC has one global kernel). */
#ifndef ERG_SC_PLATFORM_H
#define ERG_SC_PLATFORM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* backend.h and the headers it pulls in are C */
#endif

#include "backend.h"

#define ERG_SC_HOSTS 4 /* host CPUs of the platform (erg_systemc_host) */

/* One START of a unit as the platform saw it (its layer). Cycles are chip clock cycles. */
typedef struct erg_sc_layer {
    int unit;              /* index into the chip's units */
    uint64_t start, end;   /* platform time of the START write and of the interrupt */
    uint64_t model_cycles; /* the C model's cycles of the layer (its own timing) */
    uint64_t stall_cycles; /* cycles the layer waited for the platform's DRAM beyond those */
    uint64_t dram_bytes;   /* the layer's DRAM traffic (reads + writes) through the platform */
} erg_sc_layer;

typedef struct erg_sc_stats {
    int n_layers;
    const erg_sc_layer *layers;
    uint64_t now; /* platform time, cycles */
    uint64_t bus_transactions, bus_bytes;
    uint64_t dram_bytes, dram_busy_cycles; /* every initiator's: units and DMA */
    uint64_t dma_bytes, dma_cycles;        /* host <-> unit transfers, and the time they took */
    uint64_t host_cycles;                  /* time the host spent in register accesses */
    uint64_t host_last[ERG_SC_HOSTS];      /* when each CPU's last request completed */
    double dram_pj_per_byte;               /* the tech table's dram64 / 8 (0 when unknown) */
    int ideal;                             /* 1: an ideal memory system (no latency, no limit) */
} erg_sc_stats;

/* The platform of `chip` as an erg backend: "systemc" (the chip's platform group, or ideal
 * when it has none) or "systemc-ideal". trace_path (NULL = none): a VCD of the bus, DRAM, DMA
 * and each unit's busy and interrupt lines. */
erg_backend *erg_backend_systemc(const char *name, const erg_chip *chip, const char *trace_path,
                                 erg_error *err);
/* The platform's statistics, or NULL when b is not a SystemC backend. */
const erg_sc_stats *erg_systemc_stats(erg_backend *b);
/* Concurrency (docs/systemc.md). The platform has ERG_SC_HOSTS host CPUs, each an initiator
 * of its own on the bus with its own DMA engine and buffers in DRAM. erg_systemc_host returns
 * CPU i's view of platform b: a backend whose bus calls are that CPU's and whose wait_irq
 * sees the interrupt of unit `unit` alone (-1: any unit's); destroying it does nothing.
 * erg_systemc_parallel runs fn(ctx, i, CPU i's view) for i < n, each in a SystemC process of its
 * own; the simulation advances only while every driver waits on the platform, so the run is
 * deterministic (and the same as one driver's when n = 1). Returns 0, or -1 when some fn
 * returned non-zero. */
erg_backend *erg_systemc_host(erg_backend *b, int i, int unit);
int erg_systemc_parallel(erg_backend *b, int n, int (*fn)(void *ctx, int i, erg_backend *host),
                         void *ctx);
/* Registers erg_backend_systemc with erg_backend_create (the erg binary calls it at start). */
void erg_systemc_install(void);

#ifdef __cplusplus
}
#endif

#endif
