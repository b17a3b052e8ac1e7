/* fixynn.h — a FixyNN-style hybrid chip (docs/fwfe.md, "Hybrid system"): the chip's fwfe unit
 * hard-wires the net's front layers (models/fwfe, the C model of the generated pipeline) and
 * streams their output map through a FIFO into the chip's amac unit, which runs the remaining
 * layers through the host driver (amac_run.h, erg_amac_runner_init_back). Both stages work at
 * once on successive frames: the frame-level schedule below gives the run's cycles, each
 * stage's busy time and the throughput, set by the slower stage.
 *
 * ---- Schedule (frame k = 0, 1, ...; one clock for both stages) ----
 * T_f = the FWFE's cycles of a frame, its latency (erg_fwfe.h: warm-up + pixels + fill), P_f =
 * its input period with frames back to back (erg_fwfe_period: the first grid's beats for one
 * layer), C_b = the back-end unit's cycles of the frame (sum over its layers; the host's pooling
 * and register traffic take no time, as in every amac run), D = FIFO slots = floor(fifo bytes /
 * output-map bytes) >= 1 (the back-end runs layer by layer, so it needs a whole map before it
 * starts; it copies the map out of the FIFO into its local memory when it starts, which frees
 * the slot):
 *
 *     s_k = max(s_{k-1} + P_f, b_{k-D})    the FWFE takes frame k: its input is free, a slot is
 *     f_k = s_k + T_f                      its map is complete in the FIFO
 *     b_k = max(f_k, d_{k-1})              the back-end starts when the map and the unit are ready
 *     d_k = b_k + C_b
 *
 * (s_0 = 0; terms with a negative index are 0). Run cycles = d_{F-1}; with D >= 1 the
 * steady-state period is max(P_f, C_b). */

#ifndef ERG_FIXYNN_H
#define ERG_FIXYNN_H

#include <stdint.h>

#include "amac_run.h"
#include "chip.h"
#include "erg_fwfe.h"
#include "erg_fwfe_energy.h"
#include "net.h"
#include "weights.h"

typedef struct erg_fixynn_sched {
    int slots;
    uint64_t frames;
    uint64_t front_free;  /* s_{k-1} + P_f: when the FWFE's input can take the next frame */
    uint64_t back_done;   /* d_{k-1} */
    uint64_t *back_start; /* ring of the last `slots` b_k */
    uint64_t front_busy, back_busy; /* P_f and C_b per frame */
    uint64_t front_stall;           /* cycles the FWFE waited for a FIFO slot */
    uint64_t back_wait; /* cycles the back-end waited for a map (the pipeline fill included) */
    uint64_t end;       /* d of the last frame: the run's cycles */
} erg_fixynn_sched;

int erg_fixynn_sched_init(erg_fixynn_sched *s, int slots, erg_error *err);
/* Adds one frame with these stage times: the FWFE's latency t_front and input period p_front
 * (p_front <= t_front; = t_front: frames do not overlap in the FWFE), the back-end's c_back. */
void erg_fixynn_sched_frame(erg_fixynn_sched *s, uint64_t t_front, uint64_t p_front,
                            uint64_t c_back);
void erg_fixynn_sched_free(erg_fixynn_sched *s);

typedef struct erg_fixynn {
    const erg_net *net;
    const erg_chip *chip;
    int first, last; /* the fixed layers (first = 0) */
    erg_fwfe *fwfe;
    erg_fwfe_stats *fst;   /* per fixed layer: structure and one frame's activity */
    uint64_t front_cycles; /* T_f */
    uint64_t front_period; /* P_f */
    uint64_t map_bytes;    /* the FWFE's output map of one frame */
    int slots;             /* D */
    uint8_t *map;
    erg_amac_runner back; /* layers last + 1 ... on the amac unit */
    uint64_t back_cycles; /* C_b of the last frame */
    erg_fixynn_sched sched;
} erg_fixynn;

/* Checks the chip's fwfe unit against the net (the net it hard-wires, its layer range starting
 * at the first layer and leaving layers for the back-end, fixable layers, exact products of
 * those layers at op point `op`, a FIFO that holds one output map), compiles the front-end and
 * maps the rest onto the amac unit on `backend` (cmodel, rtl, cosim). Messages name the chip
 * file and line of the unit, or the layer. */
int erg_fixynn_init(erg_fixynn *h, const erg_net *net, const erg_weights *wt, const erg_chip *chip,
                    const char *backend, int op, erg_error *err);
/* One frame (the net's input image) through both stages; the predicted class, or -1. */
int erg_fixynn_run(erg_fixynn *h, const uint8_t *image, erg_error *err);
void erg_fixynn_free(erg_fixynn *h);

/* The energy inputs of fixed layer i (0 ... last - first) for one frame. */
void erg_fixynn_energy_in(const erg_fixynn *h, int i, erg_fwfe_energy_in *in);

/* The all-programmable chip of the same silicon area: the hybrid chip without its fwfe unit,
 * its amac unit reshaped to R' x C' PEs within the budget P = R C + floor(A_fwfe / pe_area_mm2):
 * of every maximal shape (for each R' the most columns floor(P / R'), for each C' the most
 * rows) the one that runs the whole net (op point op) in the fewest unit cycles, then the one
 * with fewer PEs, then the squarer one. *budget = P. Fails, naming the key, when the amac unit
 * has no pe_area_mm2. */
int erg_fixynn_iso_chip(const erg_chip *hybrid, const erg_net *net, const erg_weights *wt, int op,
                        erg_chip *iso, int *budget, erg_error *err);

#endif
