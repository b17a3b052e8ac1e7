/* golden_run.h — runs a whole network with the golden kernels: the reference every backend
 * is compared with, and the `golden` backend of `erg run`. */
#ifndef ERG_GOLDEN_RUN_H
#define ERG_GOLDEN_RUN_H

#include <stdint.h>

#include "erg_mul.h"
#include "net.h"
#include "weights.h"

typedef struct erg_golden_runner {
    const erg_net *net;
    const erg_weights *wt;
    int op;          /* the net's operating point: each int8 layer multiplies with
                      * erg_net_layer_mul(net, op, layer); 0 unless set */
    void *buf[2];    /* ping-pong activations */
    int32_t *acc;    /* dot products / accumulators of one layer */
    int64_t *scores; /* the last layer's output as int64 */
    int n_scores;
    void **layer_out; /* with erg_golden_runner_keep: a copy of every layer's output */
} erg_golden_runner;

int erg_golden_runner_init(erg_golden_runner *r, const erg_net *net, const erg_weights *wt,
                           erg_error *err);
/* Selects the operating point (0 .. net->n_ops - 1, e.g. from erg_net_op_find) the next runs
 * use; -1 if out of range. */
int erg_golden_runner_set_op(erg_golden_runner *r, int op, erg_error *err);
/* Runs one image (uint8 [H][W][C] of the net's input shape); returns the predicted class
 * (argmax of the last layer's output, ties to the lowest index); scores stay in r->scores. */
int erg_golden_runner_run(erg_golden_runner *r, const uint8_t *image);
void erg_golden_runner_free(erg_golden_runner *r);
/* Keeps a copy of every layer's output (layer_out[i], in the layer's value kind: int8 +-1,
 * uint8, int32 or int64), for per-layer comparisons. */
int erg_golden_runner_keep(erg_golden_runner *r, erg_error *err);
/* Size in bytes of one value of kind k. */
size_t erg_vkind_size(erg_vkind k);

#endif
