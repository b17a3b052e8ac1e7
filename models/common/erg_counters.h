/* erg_counters.h — the named activity counters every unit model (and its RTL) exposes: action
 * counts that energy/ prices. One list, used by the models, the register map and the report. */
#ifndef ERG_COUNTERS_H
#define ERG_COUNTERS_H

#include <stdint.h>

/* X(name, description). Order is the register order: counter i is at CNT_BASE + 8*i. Only ever
 * append, so register offsets stay stable. */
#define ERG_COUNTER_LIST(X)                                                                        \
    X(cycles, "clock cycles of the layer")                                                         \
    X(active_cycles, "cycles the neuron array computes (incl. warm-up and drain)")                 \
    X(stall_cycles, "cycles the array waits for weights to load")                                  \
    X(gated_cycles, "cycles the whole array is clock-gated")                                       \
    X(gated_neuron_cycles, "neuron-cycles of neurons gated in a partial group")                    \
    X(bmac, "binary multiply-accumulates (XNOR + popcount bit)")                                   \
    X(wff_bits, "weight flip-flop bits loaded")                                                    \
    X(wsram0_rd_bits, "bits read from weight SRAM bank 0")                                         \
    X(wsram1_rd_bits, "bits read from weight SRAM bank 1")                                         \
    X(wsram2_rd_bits, "bits read from weight SRAM bank 2")                                         \
    X(wsram3_rd_bits, "bits read from weight SRAM bank 3")                                         \
    X(wsram_wr_bits, "bits written into the weight SRAM by the host")                              \
    X(fmap_a_rd_bits, "bits read from feature-map buffer A")                                       \
    X(fmap_a_wr_bits, "bits written to feature-map buffer A")                                      \
    X(fmap_b_rd_bits, "bits read from feature-map buffer B")                                       \
    X(fmap_b_wr_bits, "bits written to feature-map buffer B")                                      \
    X(thr_ops, "threshold compares (batch-norm + sign)")                                           \
    X(pool_ops, "2-input OR operations of max-pooling")                                            \
    X(therm_ops, "8-bit compares of the thermometer encoder")                                      \
    X(out_writes, "writes to the output (score) registers")

enum erg_counter_id {
#define ERG_CNT_ENUM(name, desc) ERG_CNT_##name,
    ERG_COUNTER_LIST(ERG_CNT_ENUM)
#undef ERG_CNT_ENUM
        ERG_CNT_COUNT
};

typedef struct erg_counters {
    uint64_t v[ERG_CNT_COUNT];
} erg_counters;

/* Name and description of counter i ("cycles", ...). */
const char *erg_counter_name(int i);
const char *erg_counter_desc(int i);

#endif
