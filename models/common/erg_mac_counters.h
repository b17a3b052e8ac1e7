/* erg_mac_counters.h — the per-layer activity counters of the AMAC systolic MAC array
 * (erg_mac_stats): physical event counts the model produces and energy/ prices. */
#ifndef ERG_MAC_COUNTERS_H
#define ERG_MAC_COUNTERS_H

#include <stdint.h>

/* X(name, description): the per-layer counters, all physical event counts (no energies).
 * docs/amac-array.md "Counters" gives each one's equation. */
#define ERG_MAC_STATS_LIST(X)                                                                      \
    X(cycles, "cycles of the layer: compute_cycles + stall_cycles")                                \
    X(compute_cycles, "cycles the array works (folds incl. fill, drain and stationary loads)")     \
    X(stall_cycles, "cycles the array waits for DRAM (erg mode)")                                  \
    X(dram_cycles, "cycles the DRAM transfers take at the configured bandwidth")                   \
    X(gemms, "GEMMs the layer maps to (depthwise: one per channel)")                               \
    X(folds, "folds (array passes) over all GEMMs")                                                \
    X(macs, "multiply-accumulates, M*N*K per GEMM (padded taps included)")                         \
    X(mults, "multiplier evaluations M(a,|w|), one per MAC")                                       \
    X(pad_mults, "multiplications whose activation is a padding zero")                             \
    X(active_pe_cycles, "PE-cycles doing a MAC (= macs)")                                          \
    X(used_pe_cycles, "PE-cycles of PEs mapped in a fold, over the fold's length")                 \
    X(ifmap_sram_rd_bytes, "bytes read from the ifmap buffer into the array")                      \
    X(ifmap_sram_wr_bytes, "bytes written into the ifmap buffer from DRAM")                        \
    X(pad_injects, "padding zeros fed to the array instead of ifmap buffer reads")                 \
    X(filter_sram_rd_bytes, "bytes read from the filter buffer into the array")                    \
    X(filter_sram_wr_bytes, "bytes written into the filter buffer from DRAM")                      \
    X(ofmap_sram_rd_bytes, "bytes read from the ofmap buffer (partial sums + outputs to DRAM)")    \
    X(ofmap_sram_wr_bytes, "bytes written to the ofmap buffer (partial sums + outputs)")           \
    X(psum_rd_bytes, "of ofmap_sram_rd_bytes: int32 partial sums read back (K split)")             \
    X(psum_wr_bytes, "of ofmap_sram_wr_bytes: int32 partial sums written (K split)")               \
    X(psum_adds, "32-bit additions merging partial sums of K folds")                               \
    X(dram_rd_bytes, "bytes read from DRAM")                                                       \
    X(dram_wr_bytes, "bytes written to DRAM")                                                      \
    X(dram_ifmap_rd_bytes, "of dram_rd_bytes: activations (halo rows and re-reads included)")      \
    X(dram_filter_rd_bytes, "of dram_rd_bytes: weights (re-reads included)")                       \
    X(dram_param_rd_bytes, "of dram_rd_bytes: bias, m0 and shift words")                           \
    X(dram_psum_rd_bytes, "of dram_rd_bytes: spilled partial sums read back")                      \
    X(dram_psum_wr_bytes, "of dram_wr_bytes: partial sums spilled")                                \
    X(dram_ofmap_wr_bytes, "of dram_wr_bytes: the layer's outputs")                                \
    X(pe_operand_reg_writes, "8-bit writes of operand registers passing data through the array")   \
    X(pe_stationary_reg_writes, "8-bit writes of stationary registers (loading, shifting in)")     \
    X(pe_acc_reg_writes, "32-bit writes of accumulator / partial-sum registers (incl. drain)")     \
    X(bias_adds, "32-bit bias additions")                                                          \
    X(requant_ops, "requantizations (SRDHM + RDPOT + clamp) to uint8")                             \
    X(outputs, "output values produced")

typedef struct erg_mac_stats {
#define ERG_MAC_STATS_FIELD(name, desc) uint64_t name;
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_FIELD)
#undef ERG_MAC_STATS_FIELD
} erg_mac_stats;

enum {
#define ERG_MAC_STATS_ENUM(name, desc) ERG_MAC_STAT_##name,
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_ENUM)
#undef ERG_MAC_STATS_ENUM
        ERG_MAC_STATS_COUNT
};

/* Name / description / value of counter i (0 ... ERG_MAC_STATS_COUNT-1); NULL / 0 past the end. */
const char *erg_mac_stats_name(int i);
const char *erg_mac_stats_desc(int i);
uint64_t erg_mac_stats_get(const erg_mac_stats *st, int i);
/* dst += src, field by field (a network's total). */
void erg_mac_stats_add(erg_mac_stats *dst, const erg_mac_stats *src);

#endif
