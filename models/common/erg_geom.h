/* erg_geom.h — layer geometry shared by golden kernels, models and the config loader:
 * convolution windows with valid/same padding and pooling windows (docs/numerics.md). */
#ifndef ERG_GEOM_H
#define ERG_GEOM_H

#include "erg_error.h"

/* A 2-D convolution (or depthwise convolution) over an NHWC feature map. */
typedef struct erg_conv_geom {
    int in_h, in_w, in_c;
    int k_h, k_w;
    int stride;
    int pad_top, pad_bottom, pad_left, pad_right;
    int out_h, out_w, out_c;
} erg_conv_geom;

/* Fills g. `same` selects TensorFlow-style SAME padding: out = ceil(in / stride),
 * pad_total = max((out - 1) * stride + k - in, 0), pad_top = pad_total / 2 (the smaller half),
 * pad_bottom = the rest (likewise left/right). Valid padding: out = (in - k) / stride + 1.
 * Returns -1 with a message if the window does not fit or a size is not positive. */
int erg_conv_geom_init(erg_conv_geom *g, int in_h, int in_w, int in_c, int k_h, int k_w, int stride,
                       int same, int out_c, erg_error *err);

/* A pooling window (valid, no padding): out = (in - size) / stride + 1. */
typedef struct erg_pool_geom {
    int in_h, in_w, c;
    int size, stride;
    int out_h, out_w;
} erg_pool_geom;

int erg_pool_geom_init(erg_pool_geom *g, int in_h, int in_w, int c, int size, int stride,
                       erg_error *err);

#endif
