/* fwfe_net.h — the front layers of a network as a fixed-weight feature extractor (models/fwfe,
 * docs/fwfe.md): a layer range of a net config and its weights turned into an FWFE chain, the
 * golden reference of the same range, and the test vectors `erg gen fwfe --vectors` writes. */
#ifndef ERG_FWFE_NET_H
#define ERG_FWFE_NET_H

#include <stdint.h>
#include <stdio.h>

#include "erg_error.h"
#include "erg_fwfe.h"
#include "erg_fwfe_ppa.h"
#include "net.h"
#include "weights.h"

/* Parses a layer range of the net: "FIRST..LAST" or a single "LAYER", each end a layer name or
 * a 1-based index (as `erg info` lists the layers). Sets *first, *last to 0-based indices,
 * first <= last. Returns 0, or -1 with a message naming the unknown layer (and the nearest
 * name). */
int erg_fwfe_net_range(const erg_net *net, const char *spec, int *first, int *last, erg_error *err);

/* Layers first ... last of the net as FWFE layers, ls[0 ... last - first]: int8 conv2d or
 * depthwise layers with requantization to uint8 (activation "relu"), exact products at the net's
 * default operating point, their weights, bias, m0, shift and zero point exactly as the golden
 * int8 kernels use them. acc_bits (0 = 32) and the adder-tree style tree (ERG_FWFE_TREE_*, 0 =
 * binary) go to every layer. ls points into net and wt, which
 * must outlive it. Returns 0, or -1 with a message naming the first layer that cannot be fixed
 * (its 1-based index, name, type and why). */
int erg_fwfe_net_layers(const erg_net *net, const erg_weights *wt, int first, int last,
                        int acc_bits, int tree, erg_fwfe_layer *ls, erg_error *err);

/* erg_fwfe_net_layers + erg_fwfe_build: the compiled chain, or NULL with a message naming the
 * layer (build rejections carry the net's layer name too). */
erg_fwfe *erg_fwfe_net_build(const erg_net *net, const erg_weights *wt, int first, int last,
                             int acc_bits, int tree, erg_error *err);

/* The golden int8 kernels (erg_golden_conv2d / _depthwise + erg_golden_requant, exact
 * products) over layers first ... last: in is layer first's input [h][w][c], out receives layer
 * last's output. Returns 0, or -1 (out of memory). */
int erg_fwfe_net_golden(const erg_net *net, const erg_weights *wt, int first, int last,
                        const uint8_t *in, uint8_t *out, erg_error *err);

/* Test vectors for an RTL testbench (tests/fwfe/tb_fwfe.cpp; the format is in docs/fwfe.md,
 * "Cosim"): `frames` seeded random inputs (frame k from erg_rng_derive(seed, k)), each as the
 * first layer's padded input grid, with the C model's output pixels and the cycle of every
 * output. Every frame's C-model output is first compared with the golden kernels. Returns 0;
 * 1 when the C model differs from golden (err names frame, pixel, channel, both values); -1 on
 * a write error or out of memory. */
int erg_fwfe_net_vectors(const erg_net *net, const erg_weights *wt, int first, int last,
                         const erg_fwfe *f, int frames, uint64_t seed, FILE *out, erg_error *err);

/* Dense MACs of chain layer i in one frame (zero weights included: ops = 2 x MACs). */
double erg_fwfe_layer_macs(const erg_fwfe *f, int i);

/* The DeepFreeze-style estimate (energy/erg_fwfe_ppa.h) of every layer of the chain into out[n]
 * and their sum into *total (may be NULL), from the model's counters and geometry. */
void erg_fwfe_ppa_chain(const erg_fwfe *f, erg_fwfe_ppa *out, erg_fwfe_ppa *total);

#endif
