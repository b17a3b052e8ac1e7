/* erg_quant.h — the gemmlowp/TFLite requantization arithmetic of docs/numerics.md, the one
 * shared implementation: the golden kernels (erg_golden_srdhm / _rdpot / _requant) and the unit
 * models call these, so every backend rounds and clamps identically. */
#ifndef ERG_QUANT_H
#define ERG_QUANT_H

#include <stddef.h>
#include <stdint.h>

/* gemmlowp SaturatingRoundingDoublingHighMul: a = b = INT32_MIN gives INT32_MAX; otherwise
 * (a*b + nudge) / 2^31 in int64 with C's truncating division, nudge = ab >= 0 ? 2^30 : 1 - 2^30
 * (ties up for ab >= 0, toward zero for ab < 0). */
int32_t erg_quant_srdhm(int32_t a, int32_t b);

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero; exponent 0..31
 * (0..62 accepted; asserted in debug builds). */
int32_t erg_quant_rdpot(int32_t x, int exponent);

/* One output: clamp(zp + rdpot(srdhm(acc, m0), shift), 0, 255); zp is added in int64. */
uint8_t erg_quant_requant1(int32_t acc, int32_t m0, int shift, int32_t zp);

/* Per-channel requantization of an [n_pix][c] map: channel ch uses m0[ch], shift[ch]. */
void erg_quant_requant(size_t n_pix, int c, const int32_t *acc, const int32_t *m0,
                       const int32_t *shift, int32_t zp, uint8_t *out);

#endif
