/* randnet.h — seeded random binary networks that fit a BNA unit: shapes, channel counts,
 * thermometer input, pooling, depth and the classifier vary; weights are random by seed.
 * Used by the equivalence tests and (later) `erg verify --random`. */
#ifndef ERG_RANDNET_H
#define ERG_RANDNET_H

#include <stdint.h>
#include <stdio.h>

#include "chip.h"

/* Writes a net config (libconfig text) drawn from `seed` that unit `u` can run. */
void erg_randnet_write(FILE *f, uint64_t seed, const erg_unit_cfg *u);

#endif
