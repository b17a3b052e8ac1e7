/* chip_run.h — runs a network on a chip through a backend: maps it, lays out and loads its
 * weights with the host driver, then runs frames layer by layer and keeps each layer's
 * activity counters and the final scores. */
#ifndef ERG_CHIP_RUN_H
#define ERG_CHIP_RUN_H

#include "backend.h"
#include "chip.h"
#include "erg_counters.h"
#include "erg_driver.h"
#include "mapper.h"
#include "net.h"
#include "weights.h"

typedef struct erg_chip_runner {
    const erg_net *net;
    const erg_chip *chip;
    const erg_weights *wt;
    erg_mapping map;
    erg_backend *be;
    erg_drv_bna_info info;
    erg_counters *cnt; /* per net layer, for the last frame */
    int64_t *scores;   /* the last layer's output (classifier scores computed on the host) */
    int n_scores;
    int32_t *dots;
    int8_t *map_out;
    /* Called after each layer that ran on the chip (e.g. to read back and check its output);
     * a non-zero return stops the frame with that error. */
    int (*after_layer)(void *ctx, struct erg_chip_runner *r, int layer, erg_error *err);
    void *after_ctx;
} erg_chip_runner;

/* Maps the net (rejecting what the chip cannot run), creates the backend (trace_path: FST
 * waveform for RTL backends, or NULL) and loads weights. */
int erg_chip_runner_init(erg_chip_runner *r, const erg_net *net, const erg_weights *wt,
                         const erg_chip *chip, const char *backend, const char *trace_path,
                         erg_error *err);
/* The same on a backend made by the caller (e.g. one CPU's view of the SystemC platform);
 * the runner owns it from then on (erg_chip_runner_free destroys it, also on failure). */
int erg_chip_runner_init_on(erg_chip_runner *r, const erg_net *net, const erg_weights *wt,
                            const erg_chip *chip, erg_backend *be, erg_error *err);
/* Weight reconfiguration: lays out and loads a new set of weights for the same net. */
int erg_chip_runner_load_weights(erg_chip_runner *r, const erg_weights *wt, erg_error *err);
/* Runs one frame (uint8 image of the net's input shape); returns the predicted class or -1. */
int erg_chip_runner_run(erg_chip_runner *r, const uint8_t *image, erg_error *err);
void erg_chip_runner_free(erg_chip_runner *r);

#endif
