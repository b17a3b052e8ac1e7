/* operands.h — the operand pairs the multipliers of an int8 layer really see: every MAC's
 * (a = activation, b = |weight|) of a network layer over a set of images (the golden
 * kernels give the layer's input), as a 256 x 256 histogram, plus the operand sequence that
 * processing elements of a systolic array see under a dataflow (for switching activity).
 * Padded positions count as activation 0, as in the golden kernels. docs/amac.md. */
#ifndef ERG_OPERANDS_H
#define ERG_OPERANDS_H

#include <stddef.h>
#include <stdint.h>

#include "erg_error.h"
#include "net.h"
#include "weights.h"

/* How a PE's operands change over time (docs/amac.md, "Operand sequences"):
 * OS: a PE owns output (m, n) and sees (in[m, k], w[n, k]) for k = 0 .. K-1;
 * WS: a PE holds weight w[n, k] and sees in[m, k] for m = 0 .. M-1;
 * IS: a PE holds activation in[m, k] and sees w[n, k] for n = 0 .. N-1. */
typedef enum erg_seq_df { ERG_SEQ_OS, ERG_SEQ_WS, ERG_SEQ_IS } erg_seq_df;

typedef struct erg_operands {
    uint64_t hist[65536];     /* hist[a * 256 + b]: MACs with activation a and |weight| b */
    uint64_t macs;            /* sum of hist */
    uint64_t macs_neg;        /* of them with a negative weight (the product's sign flips) */
    uint64_t hist_neg[65536]; /* the same histogram, negative weights only */
    uint32_t *seq_a, *seq_b;  /* the sampled PEs' operand streams, one after another */
    size_t n_seq;
    /* the layer and its inputs, for re-running it with other multipliers */
    const erg_layer *layer;
    const int8_t *w;
    int64_t fan_in;  /* MACs per output value (K) */
    uint8_t *inputs; /* n_inputs input maps of in_size bytes, back to back */
    size_t in_size;
    long long n_inputs;
} erg_operands;

/* Collects layer `layer` (conv2d, depthwise or dense with int8 weights) of `net` over n
 * images (uint8, the net's input shape, back to back), with a PE operand sequence of at most
 * max_seq pairs under dataflow df (from the first image; PEs sampled evenly). op is
 * heap-sized: allocate it with erg_operands_new. */
int erg_operands_collect(erg_operands *op, const erg_net *net, const erg_weights *wt, int layer,
                         const uint8_t *images, long long n, erg_seq_df df, size_t max_seq,
                         erg_error *err);
erg_operands *erg_operands_new(void);
void erg_operands_free(erg_operands *op);
/* "os", "ws", "is" -> df; -1 for anything else. */
int erg_seq_df_parse(const char *s);

#endif
