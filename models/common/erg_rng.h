/* erg_rng.h — seeded, reproducible random numbers (xoshiro256** seeded by splitmix64).
 * A generator is a plain struct: no global state, so simulations can run side by side. */
#ifndef ERG_RNG_H
#define ERG_RNG_H

#include <stdint.h>

typedef struct erg_rng {
    uint64_t s[4];
} erg_rng;

void erg_rng_seed(erg_rng *r, uint64_t seed);
/* A seed for a sub-stream (e.g. one layer of a network) derived from a base seed and an index,
 * so that adding a layer does not change the random values of the others. */
uint64_t erg_rng_derive(uint64_t seed, uint64_t index);
uint64_t erg_rng_u64(erg_rng *r);
/* Uniform integer in [lo, hi] (inclusive), unbiased. Requires lo <= hi. */
int64_t erg_rng_range(erg_rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double erg_rng_double(erg_rng *r);

#endif
