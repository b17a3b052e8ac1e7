/* erg_golden.h — golden reference kernels: plain, obviously-correct C that computes exactly
 * the numeric contract of docs/numerics.md. No speed tricks: every model and backend is
 * checked against these, so they must be easy to read and trust.
 *
 * Conventions: activations NHWC (one image, so [H][W][C]); binary values are int8 +1/-1;
 * integer activations uint8; weights int8 in the layouts of docs/numerics.md. */
#ifndef ERG_GOLDEN_H
#define ERG_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "erg_geom.h"
#include "erg_mul.h"

/* ---- binary layers (values +1/-1) ---- */

/* dot[oh][ow][oc] = sum over the window of in * w; padded positions (same padding) take
 * pad_value (+1 or -1) and count in the sum. w is [out_c][k_h][k_w][in_c]. */
void erg_golden_bconv2d(const erg_conv_geom *g, const int8_t *in, const int8_t *w, int pad_value,
                        int32_t *dot);
/* dot[o] = sum_i in[i] * w[o][i]; w is [n_out][n_in]. */
void erg_golden_bdense(int n_in, int n_out, const int8_t *in, const int8_t *w, int32_t *dot);
/* Folded batch-norm + sign per channel: out = +1 if (flip ? dot <= thr : dot >= thr), else -1.
 * dot and out are [n_pix][c]. */
void erg_golden_bn_sign(size_t n_pix, int c, const int32_t *dot, const int32_t *thr,
                        const uint8_t *flip, int8_t *out);
/* Binary classifier scores: score[k] = (int64)s[k] * dot[k] + o[k]. */
void erg_golden_bn_affine(int c, const int32_t *dot, const int32_t *s, const int32_t *o,
                          int64_t *score);
/* Folds batch-norm y = gamma * (x - mean) / sqrt(var + eps) + beta followed by sign (sign(0) =
 * +1) into an integer threshold and flip flag that give the same +1/-1 as the double-precision
 * formula for every dot value reachable with n bits (x = n - 2k, k = 0..n). A constant result
 * (zero scale, or every reachable x on one side) is thr = INT32_MIN (always +1) or INT32_MAX
 * (always -1), both with flip 0; otherwise thr is a reachable x and flip = (scale < 0).
 * Returns -1 if no threshold reproduces the formula (it then is not monotonic). */
int erg_golden_fold_bn_sign(double gamma, double beta, double mean, double var, double eps, int n,
                            int32_t *thr, uint8_t *flip);
/* The double-precision reference the fold must match: +1 or -1. */
int erg_golden_bn_sign_ref(double gamma, double beta, double mean, double var, double eps,
                           int32_t x);
/* Thermometer coding: channel ch of pixel p becomes levels[ch] planes; plane j is +1 iff
 * in >= floor((j + 1) * 256 / (levels[ch] + 1)). Output channels are grouped by input channel:
 * output channel (sum of levels[0..ch-1]) + j. out is [n_pix][sum(levels)]. */
void erg_golden_thermometer(size_t n_pix, int c, const uint8_t *in, const int *levels, int8_t *out);

/* ---- integer layers (int8 weights x uint8 activations, sign-magnitude products) ---- */

/* acc[oh][ow][oc] = bias[oc] + sum over the window of sign(w) * M(a, |w|); padded positions are
 * activation 0 (and still go through M). w is [out_c][k_h][k_w][in_c]; bias may be NULL (zero);
 * mul NULL = exact. */
void erg_golden_conv2d(const erg_conv_geom *g, const uint8_t *in, const int8_t *w,
                       const int32_t *bias, const erg_mul8u *mul, int32_t *acc);
/* Depthwise: channel c convolved with its own kernel w[c][k_h][k_w][1]; g->out_c == g->in_c. */
void erg_golden_depthwise(const erg_conv_geom *g, const uint8_t *in, const int8_t *w,
                          const int32_t *bias, const erg_mul8u *mul, int32_t *acc);
/* acc[o] = bias[o] + sum_i sign(w[o][i]) * M(in[i], |w[o][i]|); w is [n_out][n_in]. */
void erg_golden_dense(int n_in, int n_out, const uint8_t *in, const int8_t *w, const int32_t *bias,
                      const erg_mul8u *mul, int32_t *acc);
/* gemmlowp SaturatingRoundingDoublingHighMul and RoundingDivideByPOT (exponent 0..31). */
int32_t erg_golden_srdhm(int32_t a, int32_t b);
int32_t erg_golden_rdpot(int32_t x, int exponent);
/* out = clamp(zp + rdpot(srdhm(acc, m0[c]), shift[c]), 0, 255) per channel; [n_pix][c]. */
void erg_golden_requant(size_t n_pix, int c, const int32_t *acc, const int32_t *m0,
                        const int32_t *shift, int32_t zp, uint8_t *out);

/* ---- pooling, flatten, argmax ---- */

void erg_golden_maxpool_u8(const erg_pool_geom *g, const uint8_t *in, uint8_t *out);
/* Binary max-pool: +1 if any value in the window is +1 (OR of the bits). */
void erg_golden_maxpool_b(const erg_pool_geom *g, const int8_t *in, int8_t *out);
/* Sum of the window divided by size*size, rounded half away from zero. */
void erg_golden_avgpool_u8(const erg_pool_geom *g, const uint8_t *in, uint8_t *out);
/* Flatten of an NHWC map is the identity on its C-order buffer: [H][W][C] -> [H*W*C]. */
void erg_golden_flatten(size_t n, size_t elem_size, const void *in, void *out);
/* Index of the largest score; ties go to the lowest index. */
int erg_golden_argmax_i64(const int64_t *score, int n);

#endif
