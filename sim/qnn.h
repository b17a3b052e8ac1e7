/* qnn.h — the quantized-network family of the minimum-energy QNN study (REFERENCES.md, Moons
 * et al.; docs/estimate.md "The QNN family"): 3 blocks of `nl` 3x3 'same' convolutions with `nf`
 * filters each, a 2x2 max-pool after each block, then a dense classifier, every layer at `bits`
 * weights and activations (the first layer takes the 8-bit image). */
#ifndef ERG_QNN_H
#define ERG_QNN_H

#include <stdio.h>

#include "erg_error.h"
#include "net.h"

typedef struct erg_qnn_spec {
    int bits;             /* 1 (binary), 2, 4, 8, 16 */
    int nl[3], nf[3];     /* per block: convolutions and their filters */
    int in_h, in_w, in_c; /* the image (Fashion-MNIST: 28 x 28 x 1) */
    int classes;          /* 10 */
} erg_qnn_spec;

/* "bits=4,nl=2,nf=16:32:64" (nl and nf: one value for every block, or three separated by ':');
 * the image and classes default to Fashion-MNIST's. -1 with a message on a bad spec. */
int erg_qnn_parse(const char *text, erg_qnn_spec *q, erg_error *err);
/* "qnn-b4-nl2x2x2-nf16x32x64" */
void erg_qnn_name(const erg_qnn_spec *q, char *buf, size_t n);
/* The net config (libconfig text, weights = "random") of the family member. */
void erg_qnn_write(FILE *f, const erg_qnn_spec *q);
/* The family member as a net (erg_net_load_any_bits of the text above). */
int erg_qnn_load(erg_net *net, const erg_qnn_spec *q, erg_error *err);

#endif
