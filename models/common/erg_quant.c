/* erg_quant.c — gemmlowp SRDHM, RDPOT and per-channel requantization (erg_quant.h). */
#include "erg_quant.h"

#include <assert.h>

/* floor(x / 2^e) for 0 <= e <= 62, without relying on >> of a negative value. */
static int64_t floor_div_pow2(int64_t x, int e) {
    int64_t d = (int64_t)1 << e;
    int64_t q = x / d; /* truncates toward zero */
    return (x % d != 0 && x < 0) ? q - 1 : q;
}

int32_t erg_quant_srdhm(int32_t a, int32_t b) {
    /* The only overflow is INT32_MIN^2. */
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t)a * b;
    int64_t nudge = ab >= 0 ? (1 << 30) : 1 - (1 << 30);
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31)); /* C division truncates toward 0 */
}

int32_t erg_quant_rdpot(int32_t x, int exponent) {
    /* Done in int64 so that exponent 31 needs no 1 << 31 in int; floor_div_pow2 is gemmlowp's
     * x >> exponent. */
    assert(exponent >= 0 && exponent <= 62);
    int64_t mask = ((int64_t)1 << exponent) - 1;
    int64_t remainder = (int64_t)x & mask;
    int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (int32_t)(floor_div_pow2(x, exponent) + (remainder > threshold ? 1 : 0));
}

uint8_t erg_quant_requant1(int32_t acc, int32_t m0, int shift, int32_t zp) {
    int32_t scaled = erg_quant_rdpot(erg_quant_srdhm(acc, m0), shift);
    int64_t v = (int64_t)zp + scaled; /* int64: zp + scaled cannot overflow */
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

void erg_quant_requant(size_t n_pix, int c, const int32_t *acc, const int32_t *m0,
                       const int32_t *shift, int32_t zp, uint8_t *out) {
    for (size_t p = 0; p < n_pix; p++)
        for (int ch = 0; ch < c; ch++)
            out[p * (size_t)c + ch] =
                erg_quant_requant1(acc[p * (size_t)c + ch], m0[ch], (int)shift[ch], zp);
}
