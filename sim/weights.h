/* weights.h — the trained (or seeded random) parameters of a network, per layer, in the
 * layouts of docs/numerics.md: read from a folder of .npy files or drawn from a seed. */
#ifndef ERG_WEIGHTS_H
#define ERG_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "erg_error.h"
#include "net.h"

typedef struct erg_layer_weights {
    int8_t *w; /* conv [Cout][KH][KW][Cin], depthwise [C][KH][KW][1], dense [Cout][Cin] */
    size_t n_w;
    int32_t *thr;  /* bn_sign: threshold per output channel */
    uint8_t *flip; /* bn_sign: 1 = out is +1 when dot <= thr */
    int32_t *s;    /* bn: score = s * dot + o */
    int32_t *o;
    int32_t *b;     /* int8 layers: bias */
    int32_t *m0;    /* relu: Q31 multiplier */
    int32_t *shift; /* relu: right shift >= 0 */
} erg_layer_weights;

typedef struct erg_weights {
    int n;
    erg_layer_weights *l; /* one per layer (pooling/flatten layers hold nothing) */
} erg_weights;

/* Loads the weights the net config names: its .npy folder, or random from its seed. Every
 * file is checked for existence, dtype, shape and value range; messages name layer and file. */
int erg_weights_load(erg_weights *wt, const erg_net *net, erg_error *err);
/* Seeded random weights for energy-only studies and property tests: binary weights +-1 with
 * thresholds around zero; int8 weights in -127..127 with a requantization scale chosen so the
 * outputs spread over 0..255. Layer i draws from erg_rng_derive(seed, i). */
int erg_weights_random(erg_weights *wt, const erg_net *net, uint64_t seed, erg_error *err);
void erg_weights_free(erg_weights *wt);

#endif
