/* randnet.h — seeded random networks that fit a unit: binary ones for a BNA unit: shapes, channel
 * counts, thermometer input, pooling, depth and the classifier vary; weights are random by seed.
 * Used by the equivalence tests and (later) `erg verify --random`. */
#ifndef ERG_RANDNET_H
#define ERG_RANDNET_H

#include <stdint.h>
#include <stdio.h>

#include "chip.h"

/* Writes a net config (libconfig text) drawn from `seed` that unit `u` can run. */
void erg_randnet_write(FILE *f, uint64_t seed, const erg_unit_cfg *u);

/* The same for an amac unit: a random int8 network (uint8 input of 3..16 x 3..16 x 1..4;
 * 1..3 conv2d or depthwise layers with kernel 1..3, stride 1..2, valid or same padding and
 * ReLU requantization, some followed by a 2x2 max-pool; then either a dense classifier with
 * int32 scores or nothing more), each layer's multiplier drawn from the unit's set, and two op
 * points (the layers' own multipliers, and all exact). Random weights from the seed. */
void erg_randnet_int8_write(FILE *f, uint64_t seed, const erg_unit_cfg *u);

#endif
