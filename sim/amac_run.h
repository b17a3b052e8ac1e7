/* amac_run.h — an int8 network on a chip's AMAC unit (docs/amac-chip.md): the mapper places
 * every tensor in the unit's local memory (weights and per-channel constants once, two ping-pong
 * activation buffers), the host driver runs the conv2d / depthwise / dense layers on the unit
 * layer by layer and does the pooling between them; the operating point picks each layer's
 * multiplier, switched between frames by register writes only (L_MUL of each descriptor). */
#ifndef ERG_AMAC_RUN_H
#define ERG_AMAC_RUN_H

#include <stdint.h>

#include "backend.h"
#include "chip.h"
#include "erg_amac_driver.h"
#include "net.h"
#include "weights.h"

/* Where a net layer runs. */
typedef enum erg_amac_where {
    ERG_AMAC_ON_UNIT, /* conv2d, depthwise, dense: a descriptor on the unit */
    ERG_AMAC_ON_HOST, /* maxpool: the host reads the map, pools and writes it back */
    ERG_AMAC_VIEW,    /* flatten: no work (the dense layer reads the map in place) */
    ERG_AMAC_BEFORE,  /* before the runner's first layer: computed elsewhere (a fixed front-end) */
} erg_amac_where;

typedef struct erg_amac_map_layer {
    erg_amac_where where;
    erg_drv_amac_layer d; /* ERG_AMAC_ON_UNIT: the descriptor (d.mul set by the op point) */
    uint32_t in_addr, out_addr;
    int mul_index; /* ERG_AMAC_ON_UNIT: index into the unit's multiplier set at the op point */
    int next_mul;  /* scratch of erg_amac_runner_set_op */
} erg_amac_map_layer;

typedef struct erg_amac_runner {
    const erg_net *net;
    const erg_chip *chip;
    const erg_weights *wt;
    int unit;  /* the chip's amac unit */
    int first; /* the first net layer it runs (0; > 0 behind a fixed front-end) */
    erg_backend *be;
    erg_drv_amac_info info;
    int op; /* the operating point the descriptors are set for */
    erg_amac_map_layer *l;
    uint32_t lmem_used;         /* bytes of local memory the mapping takes */
    erg_drv_amac_counters *cnt; /* per net layer, for the last frame (zero off the unit) */
    int64_t *scores;
    int n_scores;
    uint8_t *pool_in, *pool_out; /* host pooling buffers */
    int32_t *i32;                /* the last layer's int32 outputs */
    /* Called after each net layer (on the unit, on the host or a view), e.g. to read back and
     * check its output; a non-zero return stops the frame with that error. */
    int (*after_layer)(void *ctx, struct erg_amac_runner *r, int layer, erg_error *err);
    void *after_ctx;
    char mul_names[ERG_AMAC_MAX_MULS][64]; /* the unit's set by name (erg_chip_amac_mul_name) */
} erg_amac_runner;

/* 1 when the chip has an amac unit (erg run puts an int8 net there, and a binary net too
 * when the chip has no bna unit). */
int erg_chip_has_amac(const erg_chip *chip);

/* Maps the net onto the chip's amac unit (rejecting layers it cannot run, naming the layer,
 * the limit and the value), creates the backend, probes the unit, loads weights and selects
 * operating point `op` (an index into net->ops). */
int erg_amac_runner_init(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                         const erg_chip *chip, const char *backend, const char *trace_path, int op,
                         erg_error *err);
/* The same on a backend made by the caller (e.g. one CPU's view of the SystemC platform);
 * the runner owns it from then on (erg_amac_runner_free destroys it, also on failure). */
int erg_amac_runner_init_on(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                            const erg_chip *chip, erg_backend *be, int op, erg_error *err);
/* The same for the back-end of a hybrid chip (docs/fwfe.md, "Hybrid system"): only layers
 * first ... n-1 run here; erg_amac_runner_run then takes layer first's input (the front-end's
 * output map) instead of the image. */
int erg_amac_runner_init_back(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                              const erg_chip *chip, const char *backend, int op, int first,
                              erg_error *err);
/* Switches to operating point `op`: only the multiplier index of each descriptor changes (the
 * L_MUL register written with the next frame's layers); fails, naming the layer, when the unit
 * lacks a multiplier the point needs. */
int erg_amac_runner_set_op(erg_amac_runner *r, int op, erg_error *err);
/* Runs one frame (uint8 image of the net's input shape, or of layer `first`'s input); returns
 * the predicted class or -1. */
int erg_amac_runner_run(erg_amac_runner *r, const uint8_t *image, erg_error *err);
/* The unit's cycles of the last frame: the sum over the layers it ran (first ... n-1). */
uint64_t erg_amac_runner_cycles(const erg_amac_runner *r);
/* The relative energy of layer i's multiplier at the current point (1 off the unit). */
double erg_amac_runner_mul_rel_energy(const erg_amac_runner *r, int layer);
/* The multiplier name of layer i at the current point ("" off the unit). */
const char *erg_amac_runner_mul_name(const erg_amac_runner *r, int layer);
void erg_amac_runner_free(erg_amac_runner *r);

#endif
