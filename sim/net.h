/* net.h — a network as erg sees it: the layers of a configs/nets/NAME.cfg file, validated, with
 * every layer's input and output shape, value kind, MACs and parameters worked out. */
#ifndef ERG_NET_H
#define ERG_NET_H

#include <stdint.h>

#include "erg_error.h"
#include "erg_geom.h"
#include "erg_mul.h"

typedef enum erg_layer_type {
    ERG_L_CONV2D,
    ERG_L_DEPTHWISE,
    ERG_L_DENSE,
    ERG_L_MAXPOOL,
    ERG_L_AVGPOOL,
    ERG_L_FLATTEN,
} erg_layer_type;

typedef enum erg_act {
    ERG_ACT_NONE,    /* integer: raw int32 accumulators (+ bias) are the scores; last layer only */
    ERG_ACT_RELU,    /* integer: gemmlowp requantization, clamp to 0..255 (uint8) */
    ERG_ACT_BN_SIGN, /* binary: folded batch-norm + sign (threshold, flip) */
    ERG_ACT_BN,      /* binary: batch-norm affine scores s*dot + o (int64); last layer only */
} erg_act;

/* What a tensor between layers holds. */
typedef enum erg_vkind {
    ERG_V_BIN, /* +1/-1 values (bit-packed in the models) */
    ERG_V_U8,  /* uint8 activations */
    ERG_V_I32, /* int32 scores of an integer classifier */
    ERG_V_I64, /* int64 scores of a binary classifier */
} erg_vkind;

typedef struct erg_shape {
    int h, w, c; /* a flat vector of n values is 1 x 1 x n */
} erg_shape;

#define ERG_NAME_MAX 64

typedef struct erg_layer {
    char name[ERG_NAME_MAX];
    erg_layer_type type;
    unsigned line; /* line of the layer in its config file, for messages */
    erg_shape in, out;
    erg_vkind in_kind, out_kind;
    /* conv2d / depthwise / dense */
    int weight_bits, act_bits;
    erg_act act;
    int pad_value;      /* binary same padding: +1 or -1 */
    int zero_point;     /* integer requantization output zero point */
    erg_conv_geom conv; /* conv2d, depthwise (dense: a 1x1 conv over a 1x1 map) */
    /* pooling */
    erg_pool_geom pool;
    char unit[ERG_NAME_MAX]; /* explicit unit assignment, "" = by precision */
    int mul;                 /* int8 conv2d / depthwise / dense: its own multiplier (key
                              * `multiplier`, an index into erg_net.muls); -1 for the others */
    int64_t macs;            /* multiply-accumulates per frame (binary: binary MACs) */
    int64_t params;          /* weights + per-channel constants */
} erg_layer;

typedef enum erg_encode { ERG_ENC_NONE, ERG_ENC_THERMOMETER } erg_encode;

/* A multiplier the net's int8 layers use (docs/amac.md, "QoS operating points"): a built-in
 * instance of models/amac/erg_amul.def, or a 256 x 256 product table [a, b] read from .npy. */
typedef struct erg_net_mul {
    char *spec;      /* as written in the config: "drum4", or "tables/m.npy" */
    int builtin;     /* erg_amul instance id (0 = exact), or -1 for a product table */
    int exact;       /* its products are all exact (the built-in exact, or such a table) */
    uint16_t *table; /* product table: the net's copy, table[a * 256 + b] (else NULL) */
    erg_mul8u mul;   /* what the kernels call (a built-in's is a copy of erg_amul_mul8u(id)) */
} erg_net_mul;

/* An operating point: a multiplier for every int8 layer, selected at run time (QoS-Nets). */
typedef struct erg_net_op {
    char name[ERG_NAME_MAX];
    unsigned line; /* of the point in the config; 0 for the implicit point "default" */
    int *mul;      /* per layer: an index into erg_net.muls; -1 for layers without products
                    * (binary, pooling, flatten) */
} erg_net_op;

typedef struct erg_net {
    char name[128];
    char path[4096];        /* the config file */
    char weights_dir[4096]; /* "" when weights are random */
    int random_weights;
    int any_bits; /* loaded by erg_net_load_any_bits: layers of other widths, for estimation */
    uint64_t seed;
    erg_shape input; /* raw uint8 input image */
    erg_encode encode;
    int *levels;     /* thermometer levels per input channel (input.c entries) */
    erg_shape first; /* what the first layer sees (after encoding) */
    int n_layers;
    erg_layer *layers;
    int64_t macs, params;
    int n_muls;
    erg_net_mul *muls; /* the distinct multipliers the config names; muls[0] is exact */
    int has_op_points; /* the config lists op_points */
    int n_ops;         /* >= 1: without op_points, one point "default" = the layers' own
                        * multipliers; with op_points, those points in order */
    erg_net_op *ops;
} erg_net;

/* Loads and validates a network config: schema, then shapes and value kinds layer by layer.
 * Errors name file and line, key path and, for shape problems, the layer. */
int erg_net_load(erg_net *net, const char *path, erg_error *err);
/* The same for the analytic estimator (erg estimate, docs/estimate.md): layers may also have
 * other weight and activation widths (1 ... 16 bits each, e.g. 4-bit weights on 4-bit
 * activations); such a net can be estimated but not run. */
int erg_net_load_any_bits(erg_net *net, const char *path, erg_error *err);
void erg_net_free(erg_net *net);

/* Index of the operating point named `name`, or -1 with err naming the nearest point. */
int erg_net_op_find(const erg_net *net, const char *name, erg_error *err);
/* The product function layer `layer` uses at operating point `op`; NULL = the built-in exact
 * multiplier (also for layers without products and for an op or layer out of range). */
const erg_mul8u *erg_net_layer_mul(const erg_net *net, int op, int layer);
/* The multiplier's name as written in the config ("exact" by default); NULL for layers
 * without products. */
const char *erg_net_layer_mul_name(const erg_net *net, int op, int layer);
/* Share (0..1) of the net's int8 multiplications that op point `op` does with an approximate
 * multiplier (anything but the built-in exact one); 0 for a net without int8 layers. */
double erg_net_op_approx_share(const erg_net *net, int op);
/* 1 if any operating point gives any layer an approximate multiplier. */
int erg_net_has_approx(const erg_net *net);
/* 1 when a layer of the net takes or makes binary values (it runs on a bna unit), else 0. */
int erg_net_is_binary(const erg_net *net);

const char *erg_layer_type_name(erg_layer_type t);
const char *erg_act_name(erg_act a);
const char *erg_vkind_name(erg_vkind k);
/* "28x28x1", or "1024" for a flat vector. */
const char *erg_shape_str(erg_shape s, char *buf, int len);
/* Number of values in a tensor of that shape. */
static inline int64_t erg_shape_count(erg_shape s) {
    return (int64_t)s.h * s.w * s.c;
}

#endif
