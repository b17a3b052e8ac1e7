/* erg_geom.c — output sizes and padding of convolution and pooling windows. */
#include "erg_geom.h"

int erg_conv_geom_init(erg_conv_geom *g, int in_h, int in_w, int in_c, int k_h, int k_w, int stride,
                       int same, int out_c, erg_error *err) {
    if (in_h <= 0 || in_w <= 0 || in_c <= 0)
        return erg_fail(err, "input %dx%dx%d is empty", in_h, in_w, in_c);
    if (k_h <= 0 || k_w <= 0) return erg_fail(err, "kernel %dx%d is empty", k_h, k_w);
    if (stride <= 0) return erg_fail(err, "stride %d is not positive", stride);
    if (out_c <= 0) return erg_fail(err, "%d output channels", out_c);
    g->in_h = in_h;
    g->in_w = in_w;
    g->in_c = in_c;
    g->k_h = k_h;
    g->k_w = k_w;
    g->stride = stride;
    g->out_c = out_c;
    if (same) {
        g->out_h = (in_h + stride - 1) / stride;
        g->out_w = (in_w + stride - 1) / stride;
        int ph = (g->out_h - 1) * stride + k_h - in_h;
        int pw = (g->out_w - 1) * stride + k_w - in_w;
        if (ph < 0) ph = 0;
        if (pw < 0) pw = 0;
        g->pad_top = ph / 2;
        g->pad_bottom = ph - ph / 2;
        g->pad_left = pw / 2;
        g->pad_right = pw - pw / 2;
    } else {
        if (k_h > in_h || k_w > in_w)
            return erg_fail(err, "%dx%d kernel does not fit the %dx%d input", k_h, k_w, in_h, in_w);
        g->out_h = (in_h - k_h) / stride + 1;
        g->out_w = (in_w - k_w) / stride + 1;
        g->pad_top = g->pad_bottom = g->pad_left = g->pad_right = 0;
    }
    return 0;
}

int erg_pool_geom_init(erg_pool_geom *g, int in_h, int in_w, int c, int size, int stride,
                       erg_error *err) {
    if (size <= 0) return erg_fail(err, "pool size %d is not positive", size);
    if (stride <= 0) return erg_fail(err, "stride %d is not positive", stride);
    if (size > in_h || size > in_w)
        return erg_fail(err, "%dx%d window does not fit the %dx%d input", size, size, in_h, in_w);
    g->in_h = in_h;
    g->in_w = in_w;
    g->c = c;
    g->size = size;
    g->stride = stride;
    g->out_h = (in_h - size) / stride + 1;
    g->out_w = (in_w - size) / stride + 1;
    return 0;
}
