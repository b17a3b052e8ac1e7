/* erg_fwfe_int.h — the compiled form of an FWFE chain shared by the C model (erg_fwfe.c) and the
 * Verilog generator (erg_fwfe_gen.c): the CSD terms and adder trees (binary or carry-save) of
 * every output channel, the padded grids and the per-layer schedule. Not a public interface. */
#ifndef ERG_FWFE_INT_H
#define ERG_FWFE_INT_H

#include "erg_fwfe.h"

/* One leaf of an adder tree: sign * (x << shift) for the window tap (kh, kw) of input channel ic,
 * or the constant bias (is_const). [lo, hi] is its range over all uint8 x. */
typedef struct fwfe_leaf {
    int kh, kw, ic;
    int shift, neg, is_const;
    int64_t cval;
    int64_t lo, hi;
    int width;
} fwfe_leaf;

/* What a node computes from nodes a, b, c of the level below. */
enum {
    FWFE_NODE_ADD = 0,   /* a + b, or a copy of a (b = -1, a pipeline register only) */
    FWFE_NODE_SUM = 1,   /* carry-save: a ^ b ^ c */
    FWFE_NODE_CARRY = 2, /* carry-save: ((a & b) | (a & c) | (b & c)) << 1 */
};

/* A node of level l >= 1. Binary trees: [lo, hi] is the node's own range, width its bits.
 * Carry-save trees: every node (and operand) is the root's width, [lo, hi] the root's range;
 * a SUM node is always followed by the CARRY node of the same compressor (a, b, c equal). */
typedef struct fwfe_node {
    int kind;
    int a, b, c;
    int64_t lo, hi;
    int width;
} fwfe_node;

/* The tree of one output channel: levels 1 ... L of the layer (all trees of a layer have the
 * layer's L levels; a shallower tree copies its root upwards). */
typedef struct fwfe_tree {
    int n_leaves; /* >= 1: a channel without terms has one constant-0 leaf */
    fwfe_leaf *leaves;
    int *level_n;       /* level_n[l], l = 0 ... L (level 0 = the leaves) */
    fwfe_node **levels; /* levels[l][i], l = 1 ... L */
    int64_t lo, hi;     /* the root's range */
    int width;          /* the root's width (the accumulator fed to requantization) */
} fwfe_tree;

typedef struct fwfe_clayer {
    char *name;
    int dw;   /* depthwise */
    int tree; /* ERG_FWFE_TREE_* */
    erg_conv_geom g;
    int hp, wp; /* padded input grid */
    int8_t *w;
    int32_t *bias, *m0, *shift;
    int32_t zp;
    fwfe_tree *trees; /* [out_c] */
    int L, D;
    /* The next layer's padding, inserted by this layer's output formatter (has_next = 0 for the
     * last layer). */
    int has_next, n_pt, n_pl, n_h, n_w, n_hp, n_wp;
    erg_fwfe_stats st;   /* structure + the frame's activity (data-independent) */
    uint64_t *out_cycle; /* [out_h * out_w]: cycle each output is valid */
    /* The binary trees' sums in a faster form for the C model: channel oc's leaves of one
     * window tap merged, coefficient = the sum of their +-2^shift (the weight itself), taps
     * tap_start[oc] ... tap_start[oc + 1] - 1 at grid offset tap_off from the window's origin,
     * plus the constant leaves' sum tap_const[oc]. The same exact integer as the tree's. */
    int *tap_start;
    int32_t *tap_off, *tap_coef;
    int64_t *tap_const;
} fwfe_clayer;

struct erg_fwfe {
    int n;
    fwfe_clayer *l;
    uint64_t cycles;
    uint64_t period; /* the shortest input period of back-to-back frames (erg_fwfe_period) */
};

/* Bits of the smallest two's-complement word holding every value of [lo, hi] (>= 1). */
int erg_fwfe_range_width(int64_t lo, int64_t hi);

#endif
