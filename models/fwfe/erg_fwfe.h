/* erg_fwfe.h — the fixed-weight feature extractor (FWFE, FixyNN / DeepFreeze class) as a library:
 * canonical-signed-digit (CSD) weights, a C model of the fully pipelined fixed-weight pipeline
 * (outputs, exact cycles, counters) and a Verilog generator of the same pipeline; docs/fwfe.md.
 *
 * A chain of int8 conv2d / depthwise layers (docs/numerics.md "Integer layers", exact products,
 * gemmlowp requantization to uint8) is "compiled" once (erg_fwfe_build): every weight becomes a
 * constant, every non-zero CSD digit of it one shifted copy of its activation, and each output
 * channel one pipelined adder tree over those terms and the bias: a balanced binary tree of
 * two-input carry-propagate adders (the default) or a carry-save tree of 3:2 compressors
 * ("Adder trees" below).
 *
 * ---- The stream ----
 * Every layer sees its input as a stream of *beats* in raster order over its padded input grid
 * Hp x Wp (Hp = pad_top + in_h + pad_bottom, Wp = pad_left + in_w + pad_right): padding
 * positions are beats carrying a zero pixel, so a layer itself is a plain `valid` convolution
 * over Hp x Wp. The chain input is the first layer's padded grid, one beat per cycle from cycle 0
 * (the source inserts the border). Layer k's output formatter inserts the zero beats of layer
 * k+1's padding into its own output stream: in every cycle without a real output it emits the
 * next padding beat of layer k+1's grid, if the next position in raster order is padding (greedy,
 * from cycle 0). A real output that arrives while padding beats before it are still owed cannot
 * be delayed (no FIFO, no ready): erg_fwfe_build rejects such a chain. The last layer emits its
 * out_h x out_w real outputs only.
 *
 * ---- One layer ----
 * Beat (r, c) of the grid is a *trigger* iff r >= k_h - 1, c >= k_w - 1, (r - k_h + 1) and
 * (c - k_w + 1) are multiples of the stride and their quotients are < out_h, out_w: the window
 * of output ((r - k_h + 1) / s, (c - k_w + 1) / s) is then complete. A beat presented in cycle t
 * is written into the k_h - 1 line buffers (Wp entries each) and shifts the k_h x k_w window
 * registers; a trigger's window is in the window registers in cycle t + 1, goes through the L
 * registered levels of the adder tree (L = max over output channels of the levels of the
 * channel's tree, below), the 64-bit product register of SRDHM and the output register (RDPOT,
 * zero point, clamp): its output is valid in cycle t + D with the latency
 *
 *     D = 1 (window) + L (adder-tree levels) + 2 (requantization stages).
 *
 * ---- Adder trees ----
 * Every level of a tree is registered; a channel with fewer levels than its layer's L copies its
 * root upwards (pass-through registers). With n leaves (terms + a non-zero bias; a channel
 * without any has one constant-0 leaf):
 *
 *   binary (ERG_FWFE_TREE_BINARY, the default): node i of a level adds nodes 2i and 2i + 1 of the
 *     level below (an odd last node is copied), each adder as wide as its own sum's range:
 *     levels(n) = ceil(log2 n); n - 1 adders.
 *   carry-save (ERG_FWFE_TREE_CSA): every leaf is sign-extended (or cut) to the root's width W
 *     (that of the sum's range [sum lo, sum hi]; all arithmetic is modulo 2^W, exact because the
 *     sum fits W bits). A level applies a 3:2 compressor to each group of three vectors (sum =
 *     a ^ b ^ c, carry = maj(a, b, c) << 1, both W bits) and copies the n mod 3 left over, so n
 *     vectors become 2 floor(n/3) + n mod 3, until two remain; one more level adds those two
 *     with a W-bit carry-propagate adder:
 *       levels(n) = k + (1 if n >= 2), k = the 3:2 levels from n to <= 2 vectors;
 *       n = 1: 0, 2: 1, 3: 2 (3 -> 2), 4: 3 (4 -> 3 -> 2), 5, 6: 4, 7 ... 9: 5, 10 ... 13: 6,
 *       14 ... 19: 7, 20 ... 28: 8 (about log_1.5(n / 2) + 1: more, but shallower, levels than
 *       binary, each one full-adder cell deep instead of a W-bit carry chain).
 *     Adders: every compressor and the final adder, each W bits (W full-adder cells).
 * The counters (erg_fwfe_stats) count either kind the same way: adders, their summed widths and
 * a histogram, tree_reg_bits = the bits of every registered vector of every level. acc_bits
 * bounds every adder's width: binary trees' partial sums, carry-save trees' W.
 *
 * ---- Cycle equation ----
 * Cycles of a frame = (the cycle of the last output of the last layer) + 1, counted from the
 * first input beat (cycle 0). With p_last = ((out_h - 1) s + k_h - 1) Wp + (out_w - 1) s + k_w - 1
 * the grid position of a layer's last trigger and p_real = (pad_top + in_h - 1) Wp + pad_left +
 * in_w - 1 that of its last real (non-padding) pixel, q = p_last - p_real:
 *
 *     layer 1:   T_1 = p_last,1 + D_1
 *     layer k:   T_k = T_{k-1} + q_k + D_k          (when q_k >= 0)
 *     cycles   = T_N + 1
 *              = [out_h out_w]_1 + [p_last,1 + 1 - out_h out_w]_1 + D_1 + sum_{k>=2} (q_k + D_k)
 *                 pixels           line-buffer warm-up              pipeline fill
 *
 * (for `same` padding q = pad_bottom Wp + pad_right and p_last + 1 = Hp Wp). q_k >= 0 holds for
 * `same` padding and for `valid` layers whose windows reach the last row and column; otherwise
 * (a valid stride leaving a remainder) the last trigger is a real pixel that arrived earlier
 * and the model takes its arrival time from the per-pixel schedule it keeps anyway.
 *
 * ---- Back-to-back frames ----
 * Frames may follow each other without a gap or a reset: frame k's first input beat in cycle
 * k P. Every layer is a plain pipeline over a stream of grids (its beat counters wrap at the end
 * of the grid), so a frame's outputs follow from the same trigger rule; between layers the
 * greedy formatter emits a frame's leading padding right after the previous frame's trailing
 * padding. P must be at least the first grid's Hp Wp beats (one beat per cycle), and no padding
 * beat may still be owed when a real output (of this frame or the next) arrives.
 * erg_fwfe_stream gives every output cycle of such a stream; erg_fwfe_period the shortest P at
 * which the stream has no conflict and repeats every P from frame 1 on (found at build time; for
 * one layer it is Hp Wp). The throughput of the chain is then one frame per P cycles, its latency
 * still the frame cycles above.
 *
 * Nothing here keeps global state: a chain is built, run any number of times, and freed. */
#ifndef ERG_FWFE_H
#define ERG_FWFE_H

#include <stdint.h>
#include <stdio.h>

#include "erg_error.h"
#include "erg_geom.h"

/* ---- canonical signed digits ---- */

/* Digits of an int8 value in non-adjacent form (NAF): positions 0 ... 8 (|v| <= 128 needs at
 * most 9 digits). */
#define ERG_FWFE_CSD_DIGITS 9

/* Writes the NAF digits of v (-128 ... 127) into d[0 ... 8] (each -1, 0 or +1, d[i] weighs 2^i):
 * v = sum d[i] 2^i, no two adjacent digits non-zero, and the number of non-zero digits is the
 * minimum over all signed-digit representations. Returns that number (0 for v = 0). */
int erg_fwfe_csd(int v, int8_t d[ERG_FWFE_CSD_DIGITS]);
/* Only the number of non-zero digits of v. */
int erg_fwfe_csd_count(int v);

/* ---- layers and chains ---- */

/* Widest adder (and accumulator) the pipeline has: the int32 accumulator of docs/numerics.md. */
#define ERG_FWFE_MAX_ACC_BITS 32
/* Adder widths are 1 ... ERG_FWFE_WIDTH_MAX - 1 bits (the histogram below). */
#define ERG_FWFE_WIDTH_MAX 64

typedef struct erg_fwfe_layer {
    const char *name; /* named in every message about the layer */
    const char *type; /* "conv2d" or "depthwise" (the net config's type); others are rejected */
    erg_conv_geom
        geom;        /* as filled by erg_conv_geom_init (valid / same); depthwise: out_c = in_c */
    const int8_t *w; /* conv [out_c][k_h][k_w][in_c], depthwise [c][k_h][k_w][1]; required */
    const int32_t *bias;       /* int32 [out_c] or NULL (zero) */
    const int32_t *m0, *shift; /* requantization per output channel, required; shift 0 ... 31 */
    int32_t zp;
    /* Widest adder allowed in this layer's trees, 2 ... 32 bits (0 = 32): a tree whose root
     * range [min, max] over all uint8 inputs needs more bits is rejected. */
    int acc_bits;
    /* The adder trees' style ("Adder trees" above): ERG_FWFE_TREE_BINARY (0, the default) or
     * ERG_FWFE_TREE_CSA. */
    int tree;
} erg_fwfe_layer;

/* Adder-tree styles of erg_fwfe_layer.tree. */
enum { ERG_FWFE_TREE_BINARY = 0, ERG_FWFE_TREE_CSA = 1, ERG_FWFE_TREE_STYLES = 2 };
/* "binary" or "csa" (NULL for another value); erg_fwfe_tree_parse is its inverse (-1 for an
 * unknown name). */
const char *erg_fwfe_tree_name(int tree);
int erg_fwfe_tree_parse(const char *name);
/* The levels of one channel's tree with n >= 1 leaves in the given style ("Adder trees"). */
int erg_fwfe_tree_levels(int tree, int n);

/* The counters of one layer for one frame. The structural ones (adders, widths, digits) are
 * properties of the generated circuit; the activity ones are events of the frame. */
typedef struct erg_fwfe_stats {
    /* structure */
    uint64_t nonzero_weights; /* weights != 0 (the ones that cost adders) */
    uint64_t csd_digits;      /* non-zero CSD digits over all weights: the shifted terms */
    uint64_t terms;           /* adder-tree leaves: csd_digits + channels with a non-zero bias */
    uint64_t adders;          /* adders in all trees: binary, sum over channels (leaves - 1)
                                 two-input adders; carry-save, the 3:2 compressors and one final
                                 two-input adder per channel with two or more leaves */
    uint64_t adder_bits;      /* sum of their widths (full-adder cells of a carry-save tree) */
    uint64_t adders_by_width[ERG_FWFE_WIDTH_MAX]; /* adders of each width in bits */
    uint64_t tree_reg_bits;    /* pipeline-register bits of all tree levels (pass-throughs too) */
    uint64_t window_bits;      /* k_h k_w in_c 8: the window registers */
    uint64_t line_buffer_bits; /* (k_h - 1) Wp in_c 8: line-buffer storage */
    int tree_depth;            /* L */
    int latency;               /* D = L + 3 */
    int grid_h, grid_w;        /* Hp, Wp */
    /* activity of one frame */
    uint64_t beats_in;         /* Hp Wp: input beats incl. padding zeros */
    uint64_t outputs;          /* out_h out_w output pixels */
    uint64_t pad_beats_out;    /* zero beats the formatter inserted for the next layer */
    uint64_t add_ops;          /* adders x outputs (each tree evaluates once per output pixel) */
    uint64_t reg_bits_written; /* window per beat + tree levels and requant registers per output */
    uint64_t lb_bits_read;     /* (k_h - 1) in_c 8 per beat */
    uint64_t lb_bits_written;  /* (k_h - 1) in_c 8 per beat */
    uint64_t requant_ops;      /* out_c per output */
    uint64_t first_out_cycle;  /* cycle of the layer's first output (frame cycle 0 = first beat) */
    uint64_t last_out_cycle;   /* cycle of its last output: T_k */
} erg_fwfe_stats;

typedef struct erg_fwfe erg_fwfe;

/* Checks and compiles a chain of n >= 1 layers: CSD terms, trees, widths, the latency of each
 * layer and the padding insertion between layers (the header comment). Layer k + 1's input shape
 * must equal layer k's output. Returns the chain, or NULL with a message naming the layer: an
 * unsupported type, missing weights or requantization, a shift outside 0 ... 31, m0 = INT32_MIN,
 * an inconsistent geometry, a tree range needing more than acc_bits bits, a shape mismatch, or
 * a chain whose padding beats do not fit into the previous layer's idle output cycles. The chain
 * keeps its own copies of weights and parameters. */
erg_fwfe *erg_fwfe_build(const erg_fwfe_layer *layers, int n, erg_error *err);
void erg_fwfe_free(erg_fwfe *f);

int erg_fwfe_layer_count(const erg_fwfe *f);
/* Layer i's geometry and name (0 ... n - 1). */
const erg_conv_geom *erg_fwfe_layer_geom(const erg_fwfe *f, int i);
const char *erg_fwfe_layer_name(const erg_fwfe *f, int i);
/* 1 when layer i is depthwise (else a conv2d). */
int erg_fwfe_layer_depthwise(const erg_fwfe *f, int i);
/* Layer i's adder-tree style (ERG_FWFE_TREE_*). */
int erg_fwfe_layer_tree(const erg_fwfe *f, int i);

/* Runs one frame: in is the first layer's unpadded NHWC input [in_h][in_w][in_c] (uint8), out
 * (may be NULL) receives the last layer's [out_h][out_w][out_c], bit-exact with the golden
 * kernels (erg_golden_conv2d / _depthwise + erg_golden_requant, layer after layer). st (may be
 * NULL) is an array of n stats, overwritten. Returns the frame's cycles (the equation above);
 * they do not depend on the data (erg_fwfe_timing gives them alone). Returns 0 on a NULL input
 * or when out of memory. */
uint64_t erg_fwfe_run(const erg_fwfe *f, const uint8_t *in, uint8_t *out, erg_fwfe_stats *st);
/* The cycles and counters of a frame without computing outputs (they do not depend on data). */
uint64_t erg_fwfe_timing(const erg_fwfe *f, erg_fwfe_stats *st);
/* The cycle in which each output pixel of layer i (0 ... n-1) is valid, [out_h * out_w] in raster
 * order (frame cycle 0 = the first input beat); the generated RTL raises out_valid in exactly
 * these cycles. NULL for i out of range. Owned by the chain. */
const uint64_t *erg_fwfe_out_cycles(const erg_fwfe *f, int i);

/* The shortest input period of back-to-back frames ("Back-to-back frames" above). */
uint64_t erg_fwfe_period(const erg_fwfe *f);
/* The last layer's output cycles of `frames` frames entering every `period` cycles (frame k's
 * first beat in cycle k period): out[k * out_h * out_w + pixel], absolute cycles (may be NULL:
 * only the check). Returns 0, or -1 with a message (a period shorter than the first grid, a
 * padding beat still owed when a real output arrives, out of memory). */
int erg_fwfe_stream(const erg_fwfe *f, int frames, uint64_t period, uint64_t *out, erg_error *err);

/* ---- Verilog ---- */

/* Writes the chain as synthesizable Verilog-2005 into dir (which must exist): one file
 * <prefix>_l<i>.v per layer (module <prefix>_l<i>) and <prefix>_top.v (module <prefix>_top) with
 * ports clk, rst (synchronous, active high), in_valid, in_pixel[in_c*8-1:0] (channel c in bits
 * 8c+7 ... 8c) and out_valid, out_pixel[out_c*8-1:0]. Same chain -> byte-identical files.
 * Returns 0, or -1 with a message (a file that cannot be written). */
int erg_fwfe_write_verilog(const erg_fwfe *f, const char *dir, const char *prefix, erg_error *err);
/* The same text, one module at a time, into a stream: layer i (0 ... n-1) or the top (i = n). */
int erg_fwfe_emit_module(const erg_fwfe *f, int i, const char *prefix, FILE *out, erg_error *err);

#endif
