/* erg_bus.h — the only way the host driver talks to a chip: 32-bit register reads and writes,
 * DMA bursts, and waiting for an interrupt. Every backend (cmodel, rtl, cosim, systemc)
 * implements it, so the driver runs unchanged on all of them. Addresses are chip addresses
 * (unit base + offset). */
#ifndef ERG_BUS_H
#define ERG_BUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct erg_bus {
    void *ctx;
    uint32_t (*read32)(void *ctx, uint64_t addr);
    void (*write32)(void *ctx, uint64_t addr, uint32_t value);
    /* DMA: bytes is a multiple of 4; addr is 4-byte aligned. */
    void (*burst_write)(void *ctx, uint64_t addr, const void *data, size_t bytes);
    void (*burst_read)(void *ctx, uint64_t addr, void *data, size_t bytes);
    /* Runs the chip until an enabled interrupt is raised or max_cycles pass; returns 0 on an
     * interrupt, -1 on timeout. */
    int (*wait_irq)(void *ctx, uint64_t max_cycles);
} erg_bus;

static inline uint32_t erg_bus_read32(const erg_bus *b, uint64_t a) {
    return b->read32(b->ctx, a);
}
static inline void erg_bus_write32(const erg_bus *b, uint64_t a, uint32_t v) {
    b->write32(b->ctx, a, v);
}

#endif
