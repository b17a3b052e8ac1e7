/* report.h — the per-layer report of a chip run (DESIGN.md "Report"): cycles, MACs, ops,
 * energy by component, TOPS/W and utilization per layer, totals per frame, as an aligned table
 * with auto-scaled units, CSV (one row per layer plus `total`) or JSON (schema_version 1). */
#ifndef ERG_REPORT_H
#define ERG_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "amac_run.h"
#include "chip_run.h"
#include "erg_energy.h"
#include "erg_mac_energy.h"

typedef struct erg_report_layer {
    const char *name, *unit;
    const char *mul; /* amac layers: the multiplier at the run's op point; NULL otherwise */
    uint64_t cycles, stall_cycles, macs, ops;
    erg_energy_breakdown e;
    double tops_per_w, utilization;
} erg_report_layer;

/* One stage of a chip whose units run concurrently on successive frames (the JSON "stages"):
 * e.g. the fixed front-end and the programmable back-end of a hybrid chip (docs/fwfe.md). */
typedef struct erg_report_stage {
    const char *name;                 /* "front", "back" */
    const char *unit;                 /* the chip's unit */
    const char *first, *last;         /* the net layers it runs */
    uint64_t cycles_per_frame;        /* its time for one frame */
    uint64_t busy_cycles;             /* over the run */
    uint64_t stall_cycles;            /* waiting: for FIFO space (front) or a map (back) */
    double utilization;               /* busy / run cycles */
    double energy_j, ops, tops_per_w; /* one frame, its own leakage over its busy time */
} erg_report_stage;

typedef struct erg_report {
    const char *chip, *net, *backend, *tech;
    const char *op_point; /* the net's operating point (amac runs), or NULL */
    int int8;             /* ops are int8 (amac) rather than binary (bna) operations */
    uint64_t lmem_bytes;  /* amac: local memory the mapping uses */
    double volt, freq_hz;
    double area_mm2;         /* the area leakage was priced with */
    const char *area_source; /* where it comes from */
    int n;
    erg_report_layer *l;
    uint64_t cycles, macs, ops;
    erg_energy_breakdown e;
    double uj_per_frame, fps, power_w, tops_per_w;
    int cls, n_scores;
    const int64_t *scores;
    long long frames, correct;
    int labelled;
    /* stages that run concurrently (JSON "stages"; empty for one unit) and the run's cycles */
    int n_stages;
    const erg_report_stage *stages;
    uint64_t run_cycles;
    /* JSON only: more top-level keys (e.g. the SystemC platform's "platform"), written by this
     * callback as `,\n "key": value...` before the closing brace; NULL for none. */
    void (*extra_json)(FILE *f, const void *ctx);
    const void *extra_ctx;
} erg_report;

/* Prices the runner's last frame: counters of each layer x e. */
int erg_report_build(erg_report *r, const erg_chip_runner *run, const erg_energy_ctx *e,
                     const char *backend, erg_error *err);
void erg_report_free(erg_report *r);
/* "12.3 uJ": v scaled to an SI prefix between p and G, with `unit`, into buf. */
const char *erg_report_si(double v, const char *unit, char *buf, size_t len);
/* fmt: "table", "csv" or "json". */
void erg_report_print(FILE *f, const erg_report *r, const char *fmt);

/* The same for a run on a chip's amac unit: each layer's counters priced with its
 * multiplier's relative energy (the chip config's mul_rel_energy); pooling layers run on the
 * host (unit "host", no cycles, not priced). */
int erg_report_build_amac(erg_report *r, const erg_amac_runner *run, const erg_mac_energy_ctx *e,
                          const char *backend, erg_error *err);
/* Energy context of a chip's (first) amac unit at a supply (<= 0: the highest operating point)
 * and clock (<= 0: the maximum at that supply). */
int erg_chip_mac_energy(erg_mac_energy_ctx *e, erg_tech *tech, const erg_chip *chip,
                        const char *tech_path, double volt, double freq_hz, erg_error *err);

/* Energy context for a chip at a supply (<= 0: the highest operating point) and clock (<= 0:
 * the maximum at that supply); the tech file is the chip's unless tech_path is given. */
int erg_chip_energy(erg_energy_ctx *e, erg_tech *tech, const erg_chip *chip, const char *tech_path,
                    double volt, double freq_hz, erg_error *err);

/* The chip's peak efficiency: a fully utilized conv (Kmax x Kmax, C -> C channels on the largest
 * map whose output fits a buffer) run on the C model through the driver, priced at every
 * operating point; the best one. */
typedef struct erg_peak {
    double tops_per_w, volt, freq_hz;
    int k, channels, hw;
    erg_counters c;
    double utilization;
} erg_peak;

int erg_chip_peak(erg_peak *p, const erg_chip *chip, const char *tech_path, erg_error *err);

#endif
