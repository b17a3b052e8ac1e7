/* erg_mac_array.h — cycle-level model of the AMAC unit's R x C systolic MAC array
 * (approximate-multiplier MAC array), as a library API; docs/amac-array.md is its page.
 *
 * A layer (int8 conv2d, depthwise or dense; docs/numerics.md "Integer layers") is mapped to a
 * GEMM of M output pixels x N filters x K taps and run on the array in one of three dataflows
 * (output-, weight- or input-stationary). The outputs are computed with fast loops (bit-exact
 * with the golden kernels for the same multiplier); the cycles and activity counters come from
 * closed-form equations (docs/amac-array.md), never from simulating each PE per cycle.
 *
 * Nothing here keeps state between calls: a layer in, its outputs and counters out. */
#ifndef ERG_MAC_ARRAY_H
#define ERG_MAC_ARRAY_H

#include <stdint.h>

#include "erg_error.h"
#include "erg_geom.h"
#include "erg_mac_counters.h"
#include "erg_mul.h"

/* ---- the array ---- */

typedef enum erg_mac_dataflow {
    ERG_MAC_OS, /* output-stationary: Sr = M, Sc = N, T = K */
    ERG_MAC_WS, /* weight-stationary: Sr = K, Sc = N, T = M */
    ERG_MAC_IS, /* input-stationary:  Sr = K, Sc = M, T = N */
    ERG_MAC_DATAFLOW_COUNT
} erg_mac_dataflow;

typedef enum erg_mac_timing_mode {
    ERG_MAC_TIMING_ERG,      /* erg's own per-fold equation + DRAM stalls (default) */
    ERG_MAC_TIMING_SCALESIM, /* SCALE-Sim v2: folds * (T + overhead) - 1, no stalls */
    ERG_MAC_TIMING_COUNT
} erg_mac_timing_mode;

typedef struct erg_mac_array_cfg {
    int rows, cols; /* R x C processing elements, each 1 ... 65536 */
    erg_mac_dataflow dataflow;
    erg_mac_timing_mode timing;
    /* On-chip buffers in bytes, each > 0: the ifmap buffer holds uint8 activations, the filter
     * buffer int8 weights, the ofmap buffer int32 partial sums and the outputs on their way out. */
    uint64_t ifmap_sram_bytes, filter_sram_bytes, ofmap_sram_bytes;
    double dram_bytes_per_cycle; /* DRAM bandwidth per array cycle, 0.01 ... 1e9 (may be
                                  * fractional: GB/s divided by the clock in GHz) */
} erg_mac_array_cfg;

/* "os"/"ws"/"is" and "erg"/"scalesim" (lower case); "?" for a bad value. */
const char *erg_mac_dataflow_name(erg_mac_dataflow d);
const char *erg_mac_timing_name(erg_mac_timing_mode t);
/* The value named `name` (case-insensitive; the dataflow also accepts "output-stationary",
 * "weight-stationary", "input-stationary"), or -1 with a message listing the valid names. */
int erg_mac_dataflow_from_name(const char *name, erg_error *err);
int erg_mac_timing_from_name(const char *name, erg_error *err);

/* Checks a configuration; -1 with a message naming the field and its value. */
int erg_mac_array_cfg_check(const erg_mac_array_cfg *cfg, erg_error *err);

/* ---- layers ---- */

typedef enum erg_mac_kind {
    ERG_MAC_CONV,      /* geom; w [out_c][k_h][k_w][in_c] */
    ERG_MAC_DEPTHWISE, /* geom with out_c == in_c; w [c][k_h][k_w][1] */
    ERG_MAC_DENSE,     /* n_in, n_out; w [n_out][n_in] */
    ERG_MAC_KIND_COUNT
} erg_mac_kind;

typedef struct erg_mac_layer {
    erg_mac_kind kind;
    erg_conv_geom geom;   /* CONV and DEPTHWISE: as filled by erg_conv_geom_init (valid / same) */
    int n_in, n_out;      /* DENSE only */
    const int8_t *w;      /* weights (may be NULL for erg_mac_array_timing) */
    const int32_t *bias;  /* int32 per output channel, or NULL (no bias, no bias reads) */
    const erg_mul8u *mul; /* NULL = exact; products are sign(w) * M(a, |w|) */
    /* Requantization (per output channel): when m0 is not NULL the layer's output is uint8,
     * out = clamp(zp + RDPOT(SRDHM(acc, m0[c]), shift[c]), 0, 255), shift[c] in 0 ... 31;
     * when NULL the output is the int32 accumulators (4 bytes each in the traffic counts). */
    const int32_t *m0, *shift;
    int32_t zp;
} erg_mac_layer;

/* The GEMM(s) a layer maps to (docs/amac-array.md "Mapping"): `count` identical GEMMs of
 * m x n x k (conv: 1 of (out_h*out_w) x out_c x (k_h*k_w*in_c); depthwise: c of
 * (out_h*out_w) x 1 x (k_h*k_w); dense: 1 of 1 x n_out x n_in). `valid` is the number of
 * im2col elements (m x k) of one GEMM that lie inside the image: the rest are padding zeros. */
typedef struct erg_mac_gemm {
    uint64_t m, n, k, count, valid;
    /* M by SCALE-Sim's output-size convention, ceil((H - k + s) / s) per axis over the padded
     * input H: one more row (column) than m's floor((H - k) / s) + 1 when a strided window
     * leaves a remainder; the scalesim timing mode uses it (docs/amac-array.md) */
    uint64_t m_scalesim;
} erg_mac_gemm;

/* Checks the layer's kind and shape (not its pointers) and fills g; -1 with a message. */
int erg_mac_layer_gemm(const erg_mac_layer *layer, erg_mac_gemm *g, erg_error *err);

/* ---- counters (erg_mac_stats: erg_mac_counters.h) ---- */

/* active_pe_cycles / (rows * cols * cycles); 0 when cycles is 0. */
double erg_mac_utilization(const erg_mac_array_cfg *cfg, const erg_mac_stats *st);

/* ---- running a layer ---- */

/* Runs one layer on the array: in is the NHWC input ([in_h][in_w][in_c]; dense: [n_in]).
 * acc (may be NULL) receives the int32 accumulators incl. bias, [out_h][out_w][out_c]
 * (dense: [n_out]); out (may be NULL; needs m0 and shift) the requantized uint8 outputs, same
 * layout. At least one of them must be given. Both equal the golden kernels bit for bit
 * (erg_golden_conv2d / _depthwise / _dense, erg_golden_requant) for the same multiplier.
 * st (may be NULL) is overwritten with the layer's counters, the same as erg_mac_array_timing
 * gives. Returns 0, or -1 with a message (bad config or layer, missing pointer, shift out of
 * 0 ... 31, a layer the buffers cannot tile, out of memory); nothing is written then. */
int erg_mac_array_run(const erg_mac_array_cfg *cfg, const erg_mac_layer *layer, const uint8_t *in,
                      int32_t *acc, uint8_t *out, erg_mac_stats *st, erg_error *err);

/* The counters of a layer without computing it (for sweeps): layer->w, in and the multiplier
 * are not used; bias != NULL and m0 != NULL only select whether bias and requantization
 * happen. Returns 0, or -1 with a message. */
int erg_mac_array_timing(const erg_mac_array_cfg *cfg, const erg_mac_layer *layer,
                         erg_mac_stats *st, erg_error *err);

#endif
