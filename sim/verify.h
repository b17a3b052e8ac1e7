/* verify.h — `erg verify`: a network (or seeded random networks) on a chip backend — usually
 * `cosim`, the C model and the RTL in lockstep — checked layer by layer against the golden
 * kernels, with cycles and counters compared between C model and RTL. The first mismatch is
 * reported with its layer, coordinate, expected and found values, and the cycle. */
#ifndef ERG_VERIFY_H
#define ERG_VERIFY_H

#include <stdint.h>

#include "chip.h"
#include "erg_error.h"
#include "net.h"
#include "weights.h"

typedef struct erg_verify_result {
    int mismatch; /* 1: a difference was found (msg says what) */
    char msg[ERG_ERR_MAX];
    int layer;                     /* net layer of the mismatch, -1 if none */
    long long frame;               /* frame of the mismatch */
    uint64_t cycle;                /* RTL cycle of the first differing read (cosim), else 0 */
    uint64_t trace_from, trace_to; /* the RTL cycles traced (trace_layer >= 0), else 0 */
    long long frames, layers_checked, values_checked;
} erg_verify_result;

/* Runs n images (uint8, the net's input shape, back to back) through `backend` and checks
 * every layer. Returns 0 when the run completed (res->mismatch says whether it matched), -1
 * with err set on bad input (the net does not fit the chip, no RTL in this build, ...).
 * trace_path (NULL: none) gets the RTL's FST waveform: of the whole run when trace_layer < 0,
 * else a window around a mismatch in net layer trace_layer of frame 0 — from the end of the
 * previous layer's read-back (its descriptor, weights, run, read-back) to the first
 * differing read. */
int erg_verify_net(const erg_chip *chip, const erg_net *net, const erg_weights *wt,
                   const uint8_t *images, long long n, const char *backend, const char *trace_path,
                   int trace_layer, erg_verify_result *res, erg_error *err);

/* The same on a chip with an amac unit (erg_verify_net calls it for such chips): the net runs
 * n images at every one of its operating points in turn (frames numbered across the points);
 * each layer's output is read back from the unit's local memory and compared with golden at
 * that point. */
int erg_verify_net_amac(const erg_chip *chip, const erg_net *net, const erg_weights *wt,
                        const uint8_t *images, long long n, const char *backend,
                        const char *trace_path, int trace_layer, erg_verify_result *res,
                        erg_error *err);
/* Names what a bus address of an amac unit at `base` holds ("counter 'macs' (low word)",
 * "register MUL_ID[3]", "local memory byte 0x1f0", "register L_MUL"). */
void erg_describe_amac_addr(uint64_t addr, uint64_t base, char *buf, size_t len);

/* Names what a bus address of unit `base` holds ("counter 'bmac' (low word)", "OUT[3]",
 * "buffer B word 17", "register STATUS"). */
void erg_describe_addr(uint64_t addr, uint64_t base, char *buf, size_t len);

#endif
