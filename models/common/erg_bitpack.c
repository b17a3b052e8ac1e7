/* erg_bitpack.c — packing, unpacking and the XNOR-popcount dot of binary tensors
 * (docs/bitpacking.md). */
#include "erg_bitpack.h"

void erg_bitpack(size_t n_pix, int c, const int8_t *in, uint64_t *out) {
    int words = erg_bitpack_words(c);
    for (size_t p = 0; p < n_pix; p++) {
        const int8_t *px = in + p * (size_t)c;
        uint64_t *wp = out + p * (size_t)words;
        for (int k = 0; k < words; k++) wp[k] = 0;
        for (int i = 0; i < c; i++)
            if (px[i] >= 0) wp[i / 64] |= (uint64_t)1 << (i % 64);
    }
}

void erg_bitunpack(size_t n_pix, int c, const uint64_t *in, int8_t *out) {
    int words = erg_bitpack_words(c);
    for (size_t p = 0; p < n_pix; p++) {
        const uint64_t *wp = in + p * (size_t)words;
        int8_t *px = out + p * (size_t)c;
        for (int i = 0; i < c; i++) px[i] = ((wp[i / 64] >> (i % 64)) & 1u) ? 1 : -1;
    }
}

int32_t erg_bitpack_dot(const uint64_t *a, const uint64_t *w, int c) {
    /* Equal bits multiply to +1, different bits to -1: dot = (c - d) - d with d mismatches. */
    int words = erg_bitpack_words(c);
    int32_t mismatches = 0;
    for (int k = 0; k < words; k++)
        mismatches += __builtin_popcountll((a[k] ^ w[k]) & erg_bitpack_mask(c, k));
    return c - 2 * mismatches;
}
