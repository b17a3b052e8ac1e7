/* erg_rng.c — xoshiro256** (Blackman & Vigna) with splitmix64 seeding. */
#include "erg_rng.h"

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void erg_rng_seed(erg_rng *r, uint64_t seed) {
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

uint64_t erg_rng_derive(uint64_t seed, uint64_t index) {
    uint64_t x = seed ^ (index * 0xd1342543de82ef95ull);
    splitmix64(&x);
    return splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t erg_rng_u64(erg_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

int64_t erg_rng_range(erg_rng *r, int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1u;
    if (span == 0) return (int64_t)erg_rng_u64(r); /* full 64-bit range */
    /* Rejection sampling: discard the top partial bucket so every value is equally likely. */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
    uint64_t x;
    do x = erg_rng_u64(r);
    while (x >= limit);
    return (int64_t)((uint64_t)lo + x % span);
}

double erg_rng_double(erg_rng *r) {
    return (double)(erg_rng_u64(r) >> 11) * 0x1.0p-53;
}
