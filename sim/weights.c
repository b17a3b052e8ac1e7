/* weights.c — reading a network's .npy parameter files with shape/dtype/range checks, and
 * drawing seeded random parameters of the same layout. */
#include "weights.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_array.h"
#include "erg_rng.h"

static int has_weights(const erg_layer *l) {
    return l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE;
}

/* Expected shape of <layer>.w.npy. */
static int weight_shape(const erg_layer *l, int64_t *shape) {
    const erg_conv_geom *g = &l->conv;
    if (l->type == ERG_L_DENSE) {
        shape[0] = l->out.c;
        shape[1] = l->in.c;
        return 2;
    }
    shape[0] = g->out_c;
    shape[1] = g->k_h;
    shape[2] = g->k_w;
    shape[3] = l->type == ERG_L_DEPTHWISE ? 1 : g->in_c;
    return 4;
}

static int alloc_layer(erg_layer_weights *lw, const erg_layer *l, erg_error *err) {
    int64_t shape[4];
    int nd = weight_shape(l, shape);
    size_t n = 1;
    for (int d = 0; d < nd; d++) n *= (size_t)shape[d];
    size_t c = (size_t)l->out.c;
    lw->n_w = n;
    lw->w = calloc(n, 1);
    int ok = lw->w != NULL;
    if (l->act == ERG_ACT_BN_SIGN) {
        ok &= (lw->thr = calloc(c, sizeof *lw->thr)) != NULL;
        ok &= (lw->flip = calloc(c, 1)) != NULL;
    } else if (l->act == ERG_ACT_BN) {
        ok &= (lw->s = calloc(c, sizeof *lw->s)) != NULL;
        ok &= (lw->o = calloc(c, sizeof *lw->o)) != NULL;
    } else {
        ok &= (lw->b = calloc(c, sizeof *lw->b)) != NULL;
        if (l->act == ERG_ACT_RELU) {
            ok &= (lw->m0 = calloc(c, sizeof *lw->m0)) != NULL;
            ok &= (lw->shift = calloc(c, sizeof *lw->shift)) != NULL;
        }
    }
    return ok ? 0 : erg_fail(err, "out of memory for the weights of layer '%s'", l->name);
}

void erg_weights_free(erg_weights *wt) {
    for (int i = 0; i < wt->n; i++) {
        erg_layer_weights *lw = &wt->l[i];
        free(lw->w);
        free(lw->thr);
        free(lw->flip);
        free(lw->s);
        free(lw->o);
        free(lw->b);
        free(lw->m0);
        free(lw->shift);
    }
    free(wt->l);
    wt->l = NULL;
    wt->n = 0;
}

/* ---- from .npy files ---- */

/* Reads DIR/<layer>.<suffix>.npy, checks dtype and shape, copies it into dst. */
static int read_param(const erg_net *net, const erg_layer *l, const char *suffix, erg_dtype want,
                      int nd, const int64_t *shape, void *dst, erg_error *err) {
    char path[8192];
    snprintf(path, sizeof path, "%s%s%s.%s.npy", net->weights_dir,
             net->weights_dir[strlen(net->weights_dir) - 1] == '/' ? "" : "/", l->name, suffix);
    erg_array a;
    erg_error e;
    if (erg_npy_read(path, &a, &e)) return erg_fail(err, "layer '%s': %s", l->name, e.msg);
    char got[128], exp[128] = "[";
    for (int d = 0; d < nd; d++) {
        size_t len = strlen(exp);
        snprintf(exp + len, sizeof exp - len, "%s%lld", d ? ", " : "", (long long)shape[d]);
    }
    strcat(exp, "]");
    int same = a.ndim == nd;
    for (int d = 0; same && d < nd; d++) same = a.shape[d] == shape[d];
    /* flip flags may come as int8 or uint8 (NumPy bool is rejected by the reader) */
    int dtype_ok = a.dtype == want || (want == ERG_U8 && a.dtype == ERG_I8);
    int rc = 0;
    if (!dtype_ok)
        rc = erg_fail(err, "layer '%s': %s: expected dtype %s, found %s", l->name, path,
                      erg_dtype_name(want), erg_dtype_name(a.dtype));
    else if (!same)
        rc = erg_fail(err, "layer '%s': %s: expected shape %s, found %s", l->name, path, exp,
                      erg_array_shape_str(&a, got, sizeof got));
    else
        memcpy(dst, a.data, a.count * erg_dtype_size(a.dtype));
    erg_array_free(&a);
    return rc;
}

static int check_range(const erg_layer *l, const char *what, const int32_t *v, int n, int64_t lo,
                       int64_t hi, erg_error *err) {
    for (int i = 0; i < n; i++)
        if (v[i] < lo || v[i] > hi)
            return erg_fail(err, "layer '%s': %s[%d] = %d is outside %lld..%lld", l->name, what, i,
                            v[i], (long long)lo, (long long)hi);
    return 0;
}

static int load_layer(const erg_net *net, const erg_layer *l, erg_layer_weights *lw,
                      erg_error *err) {
    int64_t shape[4], c = l->out.c;
    int nd = weight_shape(l, shape);
    if (read_param(net, l, "w", ERG_I8, nd, shape, lw->w, err)) return -1;
    int binary = l->weight_bits == 1;
    for (size_t i = 0; i < lw->n_w; i++) {
        int v = lw->w[i];
        if (binary ? (v != 1 && v != -1) : v == -128)
            return erg_fail(err, "layer '%s': %s.w.npy element %zu is %d; %s", l->name, l->name, i,
                            v,
                            binary ? "binary weights must be +1 or -1"
                                   : "int8 weights are symmetric, -127..127");
    }
    switch (l->act) {
    case ERG_ACT_BN_SIGN:
        if (read_param(net, l, "thr", ERG_I32, 1, &c, lw->thr, err) ||
            read_param(net, l, "flip", ERG_U8, 1, &c, lw->flip, err))
            return -1;
        for (int64_t i = 0; i < c; i++)
            if (lw->flip[i] > 1)
                return erg_fail(err, "layer '%s': flip[%lld] = %d; flip flags are 0 or 1", l->name,
                                (long long)i, lw->flip[i]);
        return 0;
    case ERG_ACT_BN:
        return read_param(net, l, "s", ERG_I32, 1, &c, lw->s, err) ||
                       read_param(net, l, "o", ERG_I32, 1, &c, lw->o, err)
                   ? -1
                   : 0;
    case ERG_ACT_RELU:
        if (read_param(net, l, "b", ERG_I32, 1, &c, lw->b, err) ||
            read_param(net, l, "m0", ERG_I32, 1, &c, lw->m0, err) ||
            read_param(net, l, "shift", ERG_I32, 1, &c, lw->shift, err))
            return -1;
        if (check_range(l, "m0", lw->m0, (int)c, 0, INT32_MAX, err) ||
            check_range(l, "shift", lw->shift, (int)c, 0, 31, err))
            return -1;
        return 0;
    case ERG_ACT_NONE:
        return read_param(net, l, "b", ERG_I32, 1, &c, lw->b, err);
    }
    return 0;
}

static int alloc_all(erg_weights *wt, const erg_net *net, erg_error *err) {
    wt->n = net->n_layers;
    wt->l = calloc((size_t)net->n_layers, sizeof *wt->l);
    if (!wt->l) return erg_fail(err, "out of memory");
    for (int i = 0; i < net->n_layers; i++)
        if (has_weights(&net->layers[i]) && alloc_layer(&wt->l[i], &net->layers[i], err)) return -1;
    return 0;
}

int erg_weights_load(erg_weights *wt, const erg_net *net, erg_error *err) {
    if (net->random_weights) return erg_weights_random(wt, net, net->seed, err);
    memset(wt, 0, sizeof *wt);
    if (alloc_all(wt, net, err)) goto fail;
    for (int i = 0; i < net->n_layers; i++)
        if (has_weights(&net->layers[i]) && load_layer(net, &net->layers[i], &wt->l[i], err))
            goto fail;
    return 0;
fail:
    erg_error_prefix(err, "%s", net->path);
    erg_weights_free(wt);
    return -1;
}

/* ---- random ---- */

/* Q31 multiplier and right shift for a real multiplier 0 < m < 1 (docs/numerics.md). */
static void quantize_multiplier(double m, int32_t *m0, int32_t *shift) {
    int e;
    double f = frexp(m, &e); /* m = f * 2^e, 0.5 <= f < 1 */
    int64_t q = llround(f * 2147483648.0);
    if (q == 2147483648LL) {
        q /= 2;
        e++;
    }
    if (e > 0) e = 0; /* keep shift >= 0: saturate the multiplier just below 1 */
    if (-e > 31) {
        q = 0;
        e = -31;
    }
    *m0 = (int32_t)q;
    *shift = -e;
}

int erg_weights_random(erg_weights *wt, const erg_net *net, uint64_t seed, erg_error *err) {
    memset(wt, 0, sizeof *wt);
    if (alloc_all(wt, net, err)) {
        erg_weights_free(wt);
        return -1;
    }
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        erg_layer_weights *lw = &wt->l[i];
        if (!has_weights(l)) continue;
        erg_rng r;
        erg_rng_seed(&r, erg_rng_derive(seed, (uint64_t)i));
        int c = l->out.c;
        int64_t fan_in = (int64_t)lw->n_w / c;
        if (l->weight_bits == 1) {
            for (size_t k = 0; k < lw->n_w; k++) lw->w[k] = erg_rng_range(&r, 0, 1) ? 1 : -1;
            /* dot of random +-1 vectors has std sqrt(fan_in): thresholds within one std keep
             * both output values common; one channel in eight has a negative BN scale. */
            int64_t sd = (int64_t)ceil(sqrt((double)fan_in));
            for (int k = 0; l->act == ERG_ACT_BN_SIGN && k < c; k++) {
                lw->thr[k] = (int32_t)erg_rng_range(&r, -sd, sd);
                lw->flip[k] = erg_rng_range(&r, 0, 7) == 0;
            }
            for (int k = 0; l->act == ERG_ACT_BN && k < c; k++) {
                lw->s[k] = (int32_t)erg_rng_range(&r, -1000, 1000);
                lw->o[k] = (int32_t)erg_rng_range(&r, -100000, 100000);
            }
        } else {
            for (size_t k = 0; k < lw->n_w; k++) lw->w[k] = (int8_t)erg_rng_range(&r, -127, 127);
            for (int k = 0; k < c; k++) lw->b[k] = (int32_t)erg_rng_range(&r, -2000, 2000);
            /* acc has std about sqrt(fan_in) * 73 (uniform weights) * 147 (rms of uniform
             * uint8): scale it to a std of about 48 around the zero point. */
            double m = 48.0 / (sqrt((double)fan_in) * 73.0 * 147.0);
            for (int k = 0; l->act == ERG_ACT_RELU && k < c; k++) {
                double jitter = 0.75 + 0.5 * erg_rng_double(&r);
                quantize_multiplier(m * jitter, &lw->m0[k], &lw->shift[k]);
            }
        }
    }
    return 0;
}
