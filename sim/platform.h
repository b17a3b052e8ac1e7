/* platform.h — loads a generic platform for the analytic estimator (configs/platforms/NAME.cfg,
 * docs/estimate.md "Platforms") into an erg_est_platform, and maps a net's layers onto the
 * estimator's layer description. */
#ifndef ERG_PLATFORM_H
#define ERG_PLATFORM_H

#include "erg_error.h"
#include "erg_estimate.h"
#include "net.h"

/* Reads, validates and prices the platform: every error names the file, line and key. */
int erg_platform_load(erg_est_platform *p, const char *path, erg_error *err);

/* The estimator's view of net layer i (shapes, bits, per-channel constants). */
void erg_platform_layer(const erg_net *net, int i, erg_est_layer *l);

/* Per-layer estimates of the net on the platform (r[0 .. n_layers - 1]) and their sum. */
int erg_platform_estimate(const erg_est_platform *p, const erg_net *net, erg_est_result *r,
                          erg_est_result *total, erg_error *err);

#endif
