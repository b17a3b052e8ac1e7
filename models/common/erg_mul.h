/* erg_mul.h — the pluggable unsigned 8x8 multiplier M(a, b) of docs/numerics.md:
 * A = activation (uint8), B = |weight| (0..127 for int8 weights, up to 255 in general).
 * Integer kernels call it for every product so approximate multipliers drop in unchanged. */
#ifndef ERG_MUL_H
#define ERG_MUL_H

#include <stdint.h>

typedef struct erg_mul8u {
    /* Returns the (possibly approximate) 16-bit product of a and b. */
    uint16_t (*fn)(const void *ctx, uint8_t a, uint8_t b);
    const void *ctx; /* e.g. a 256x256 product table */
    const char *name;
} erg_mul8u;

/* The exact multiplier: M(a, b) = a * b. */
extern const erg_mul8u erg_mul8u_exact;

/* Signed product in sign-magnitude form: sign(w) * M(a, |w|). A NULL mul means exact. */
static inline int32_t erg_mul_signed(const erg_mul8u *mul, uint8_t a, int8_t w) {
    uint8_t mag = (uint8_t)(w < 0 ? -(int)w : (int)w);
    int32_t p = mul ? (int32_t)mul->fn(mul->ctx, a, mag) : (int32_t)a * (int32_t)mag;
    return w < 0 ? -p : p;
}

#endif
