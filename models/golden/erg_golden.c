/* erg_golden.c — the golden reference kernels of erg_golden.h: plain nested loops computing
 * exactly docs/numerics.md (binary layers, integer layers with gemmlowp requantization, pooling).
 */
#include "erg_golden.h"
#include "erg_quant.h"

#include <math.h>
#include <string.h>

/* ---- helpers ---- */

/* Sets (ih, iw) to the input pixel window tap (kh, kw) of output (oh, ow) reads; returns 0 when
 * that pixel lies in the padding. */
static int tap_in_image(const erg_conv_geom *g, int oh, int ow, int kh, int kw, int *ih, int *iw) {
    *ih = oh * g->stride + kh - g->pad_top;
    *iw = ow * g->stride + kw - g->pad_left;
    return *ih >= 0 && *ih < g->in_h && *iw >= 0 && *iw < g->in_w;
}

/* The int32 accumulator of docs/numerics.md wraps modulo 2^32 (two's complement) like the
 * hardware's; summing in int64 and wrapping once gives the same value without signed-overflow
 * UB. Real layers never come near: it takes about 66,000 taps of 255 * 127. */
static int32_t wrap_i32(int64_t v) {
    uint32_t u = (uint32_t)(uint64_t)v;
    return u <= (uint32_t)INT32_MAX ? (int32_t)u : (int32_t)(int64_t)(u - 0x80000000u) + INT32_MIN;
}

/* ---- binary layers ---- */

void erg_golden_bconv2d(const erg_conv_geom *g, const int8_t *in, const int8_t *w, int pad_value,
                        int32_t *dot) {
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int oc = 0; oc < g->out_c; oc++) {
                int32_t sum = 0;
                for (int kh = 0; kh < g->k_h; kh++)
                    for (int kw = 0; kw < g->k_w; kw++) {
                        int ih, iw;
                        int inside = tap_in_image(g, oh, ow, kh, kw, &ih, &iw);
                        const int8_t *px = inside ? in + ((size_t)ih * g->in_w + iw) * g->in_c : 0;
                        const int8_t *wk = w + (((size_t)oc * g->k_h + kh) * g->k_w + kw) * g->in_c;
                        for (int ic = 0; ic < g->in_c; ic++)
                            sum += (inside ? px[ic] : pad_value) * wk[ic];
                    }
                dot[((size_t)oh * g->out_w + ow) * g->out_c + oc] = sum;
            }
}

void erg_golden_bdense(int n_in, int n_out, const int8_t *in, const int8_t *w, int32_t *dot) {
    for (int o = 0; o < n_out; o++) {
        int32_t sum = 0;
        for (int i = 0; i < n_in; i++) sum += in[i] * w[(size_t)o * n_in + i];
        dot[o] = sum;
    }
}

void erg_golden_bn_sign(size_t n_pix, int c, const int32_t *dot, const int32_t *thr,
                        const uint8_t *flip, int8_t *out) {
    for (size_t p = 0; p < n_pix; p++)
        for (int ch = 0; ch < c; ch++) {
            int32_t d = dot[p * (size_t)c + ch];
            int pos = flip[ch] ? d <= thr[ch] : d >= thr[ch];
            out[p * (size_t)c + ch] = pos ? 1 : -1;
        }
}

void erg_golden_bn_affine(int c, const int32_t *dot, const int32_t *s, const int32_t *o,
                          int64_t *score) {
    for (int k = 0; k < c; k++) score[k] = (int64_t)s[k] * dot[k] + o[k];
}

int erg_golden_bn_sign_ref(double gamma, double beta, double mean, double var, double eps,
                           int32_t x) {
    /* Evaluated in exactly this order, in double; the exporter must use the same order. */
    double y = gamma * ((double)x - mean) / sqrt(var + eps) + beta;
    return y >= 0.0 ? 1 : -1; /* sign(0) = +1; NaN gives -1 */
}

int erg_golden_fold_bn_sign(double gamma, double beta, double mean, double var, double eps, int n,
                            int32_t *thr, uint8_t *flip) {
    if (n < 0) return -1;
    /* Scan the reachable dots x = n - 2k and note the smallest and largest x giving +1. */
    int32_t lo_pos = INT32_MAX, hi_pos = INT32_MIN;
    int n_pos = 0;
    for (int64_t k = 0; k <= n; k++) {
        int32_t x = (int32_t)(n - 2 * k);
        if (erg_golden_bn_sign_ref(gamma, beta, mean, var, eps, x) > 0) {
            n_pos++;
            if (x < lo_pos) lo_pos = x;
            if (x > hi_pos) hi_pos = x;
        }
    }
    if (n_pos == n + 1) { /* constant +1 (any scale): dot >= INT32_MIN always holds */
        *thr = INT32_MIN;
        *flip = 0;
    } else if (n_pos == 0) { /* constant -1 (any scale): dot >= INT32_MAX never holds */
        *thr = INT32_MAX;
        *flip = 0;
    } else if (hi_pos == n) { /* +1 at the top: increasing, positive scale */
        *thr = lo_pos;
        *flip = 0;
    } else { /* decreasing, negative scale */
        *thr = hi_pos;
        *flip = 1;
    }
    /* Verify every reachable dot; fails only if the formula is not monotonic in x. */
    for (int64_t k = 0; k <= n; k++) {
        int32_t x = (int32_t)(n - 2 * k);
        int folded = (*flip ? x <= *thr : x >= *thr) ? 1 : -1;
        if (folded != erg_golden_bn_sign_ref(gamma, beta, mean, var, eps, x)) return -1;
    }
    return 0;
}

void erg_golden_thermometer(size_t n_pix, int c, const uint8_t *in, const int *levels,
                            int8_t *out) {
    int total = 0;
    for (int ch = 0; ch < c; ch++) total += levels[ch];
    for (size_t p = 0; p < n_pix; p++) {
        int8_t *o = out + p * (size_t)total;
        for (int ch = 0; ch < c; ch++) {
            int x = in[p * (size_t)c + ch];
            int l = levels[ch];
            for (int j = 0; j < l; j++) *o++ = x >= (j + 1) * 256 / (l + 1) ? 1 : -1;
        }
    }
}

/* ---- integer layers ---- */

void erg_golden_conv2d(const erg_conv_geom *g, const uint8_t *in, const int8_t *w,
                       const int32_t *bias, const erg_mul8u *mul, int32_t *acc) {
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int oc = 0; oc < g->out_c; oc++) {
                int64_t sum = bias ? bias[oc] : 0;
                for (int kh = 0; kh < g->k_h; kh++)
                    for (int kw = 0; kw < g->k_w; kw++) {
                        int ih, iw;
                        int inside = tap_in_image(g, oh, ow, kh, kw, &ih, &iw);
                        const uint8_t *px = inside ? in + ((size_t)ih * g->in_w + iw) * g->in_c : 0;
                        const int8_t *wk = w + (((size_t)oc * g->k_h + kh) * g->k_w + kw) * g->in_c;
                        /* A padded tap is activation 0 and still goes through M: an approximate
                         * multiplier may give M(0, b) != 0. */
                        for (int ic = 0; ic < g->in_c; ic++)
                            sum += erg_mul_signed(mul, inside ? px[ic] : 0, wk[ic]);
                    }
                acc[((size_t)oh * g->out_w + ow) * g->out_c + oc] = wrap_i32(sum);
            }
}

void erg_golden_depthwise(const erg_conv_geom *g, const uint8_t *in, const int8_t *w,
                          const int32_t *bias, const erg_mul8u *mul, int32_t *acc) {
    int c = g->in_c;
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int ch = 0; ch < c; ch++) {
                int64_t sum = bias ? bias[ch] : 0;
                for (int kh = 0; kh < g->k_h; kh++)
                    for (int kw = 0; kw < g->k_w; kw++) {
                        int ih, iw;
                        int inside = tap_in_image(g, oh, ow, kh, kw, &ih, &iw);
                        uint8_t a = inside ? in[((size_t)ih * g->in_w + iw) * c + ch] : 0;
                        int8_t wv = w[((size_t)ch * g->k_h + kh) * g->k_w + kw];
                        sum += erg_mul_signed(mul, a, wv);
                    }
                acc[((size_t)oh * g->out_w + ow) * c + ch] = wrap_i32(sum);
            }
}

void erg_golden_dense(int n_in, int n_out, const uint8_t *in, const int8_t *w, const int32_t *bias,
                      const erg_mul8u *mul, int32_t *acc) {
    for (int o = 0; o < n_out; o++) {
        int64_t sum = bias ? bias[o] : 0;
        for (int i = 0; i < n_in; i++) sum += erg_mul_signed(mul, in[i], w[(size_t)o * n_in + i]);
        acc[o] = wrap_i32(sum);
    }
}

/* The gemmlowp arithmetic has one implementation, shared with the unit models: erg_quant.c. */
int32_t erg_golden_srdhm(int32_t a, int32_t b) {
    return erg_quant_srdhm(a, b);
}

int32_t erg_golden_rdpot(int32_t x, int exponent) {
    return erg_quant_rdpot(x, exponent);
}

void erg_golden_requant(size_t n_pix, int c, const int32_t *acc, const int32_t *m0,
                        const int32_t *shift, int32_t zp, uint8_t *out) {
    erg_quant_requant(n_pix, c, acc, m0, shift, zp, out);
}

/* ---- pooling, flatten, argmax ---- */

void erg_golden_maxpool_u8(const erg_pool_geom *g, const uint8_t *in, uint8_t *out) {
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int ch = 0; ch < g->c; ch++) {
                uint8_t m = 0;
                for (int i = 0; i < g->size; i++)
                    for (int j = 0; j < g->size; j++) {
                        size_t ih = (size_t)oh * g->stride + i, iw = (size_t)ow * g->stride + j;
                        uint8_t v = in[(ih * g->in_w + iw) * g->c + ch];
                        if (v > m) m = v;
                    }
                out[((size_t)oh * g->out_w + ow) * g->c + ch] = m;
            }
}

void erg_golden_maxpool_b(const erg_pool_geom *g, const int8_t *in, int8_t *out) {
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int ch = 0; ch < g->c; ch++) {
                int any = 0;
                for (int i = 0; i < g->size; i++)
                    for (int j = 0; j < g->size; j++) {
                        size_t ih = (size_t)oh * g->stride + i, iw = (size_t)ow * g->stride + j;
                        if (in[(ih * g->in_w + iw) * g->c + ch] > 0) any = 1;
                    }
                out[((size_t)oh * g->out_w + ow) * g->c + ch] = any ? 1 : -1;
            }
}

void erg_golden_avgpool_u8(const erg_pool_geom *g, const uint8_t *in, uint8_t *out) {
    int32_t n = g->size * g->size;
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int ch = 0; ch < g->c; ch++) {
                int32_t sum = 0;
                for (int i = 0; i < g->size; i++)
                    for (int j = 0; j < g->size; j++) {
                        size_t ih = (size_t)oh * g->stride + i, iw = (size_t)ow * g->stride + j;
                        sum += in[(ih * g->in_w + iw) * g->c + ch];
                    }
                /* sum >= 0, so half away from zero is half up: floor(sum / n + 1/2), which is
                 * (2 * sum + n) / (2 * n) in integers. */
                out[((size_t)oh * g->out_w + ow) * g->c + ch] = (uint8_t)((2 * sum + n) / (2 * n));
            }
}

void erg_golden_flatten(size_t n, size_t elem_size, const void *in, void *out) {
    if (n > 0 && in != out) memmove(out, in, n * elem_size);
}

int erg_golden_argmax_i64(const int64_t *score, int n) {
    if (n <= 0) return -1;
    int best = 0;
    for (int k = 1; k < n; k++)
        if (score[k] > score[best]) best = k; /* strict: ties keep the lowest index */
    return best;
}
