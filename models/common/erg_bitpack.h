/* erg_bitpack.h — bit packing of binary (+1/-1) tensors into 64-bit words, channel-minor, and
 * the XNOR-popcount dot product on packed words. The layout is documented in docs/bitpacking.md.
 */
#ifndef ERG_BITPACK_H
#define ERG_BITPACK_H

#include <stddef.h>
#include <stdint.h>

/* Words per pixel for c channels: channel i of a pixel is bit i % 64 of word i / 64. */
static inline int erg_bitpack_words(int c) {
    return (c + 63) / 64;
}

/* The valid bits of word `word` of a c-channel pixel: all ones for a full word, the low
 * c % 64 bits for a partial last word, 0 for a word past the end. */
static inline uint64_t erg_bitpack_mask(int c, int word) {
    int full = c / 64;
    if (word < full) return ~(uint64_t)0;
    if (word == full && c % 64 != 0) return ((uint64_t)1 << (c % 64)) - 1u;
    return 0;
}

/* Packs n_pix pixels of c values each ([n_pix][c], +1/-1; a 0 packs as +1 since sign(0) = +1)
 * into out [n_pix][erg_bitpack_words(c)]; bit 1 = +1, bit 0 = -1, unused bits are 0. */
void erg_bitpack(size_t n_pix, int c, const int8_t *in, uint64_t *out);
/* The inverse: writes +1/-1 to out [n_pix][c]; unused bits of in are ignored. */
void erg_bitunpack(size_t n_pix, int c, const uint64_t *in, int8_t *out);
/* dot(a, w) over c bits = c - 2 * popcount((a XOR w) & mask); bits past c are ignored. */
int32_t erg_bitpack_dot(const uint64_t *a, const uint64_t *w, int c);

#endif
