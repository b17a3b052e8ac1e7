/* sweep.h — design-space sweeps (configs/sweeps/NAME.cfg, docs/sweep.md): the cartesian product
 * of parameter values (array size, SRAM sizes, voltage, bit widths, multipliers by operating
 * point) x networks, each point evaluated by the analytic estimator (a platform) or the C model
 * (a chip with an amac unit). Points have a fixed index order, so a sweep splits into shards of
 * contiguous index ranges whose JSON-lines outputs `cat` back into the unsharded file. */
#ifndef ERG_SWEEP_H
#define ERG_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "erg_error.h"

#define ERG_SWEEP_MAX_PARAMS 8
#define ERG_SWEEP_MAX_VALUES 64
#define ERG_SWEEP_MAX_NETS 32

typedef enum erg_sweep_eval { ERG_SWEEP_ESTIMATE, ERG_SWEEP_CMODEL } erg_sweep_eval;

typedef struct erg_sweep_value {
    int is_str;
    double num;
    char str[64];
} erg_sweep_value;

typedef struct erg_sweep_param {
    char key[64];
    unsigned line;
    int n;
    erg_sweep_value v[ERG_SWEEP_MAX_VALUES];
} erg_sweep_param;

/* Objectives of the Pareto front: the result fields, each minimized or maximized. */
typedef enum erg_sweep_obj {
    ERG_OBJ_ENERGY, /* energy_j per frame, min */
    ERG_OBJ_CYCLES, /* cycles per frame, min */
    ERG_OBJ_TOPS_W, /* tops_per_w, max */
    ERG_OBJ_FPS,    /* fps, max */
    ERG_OBJ_AREA,   /* area_mm2, min (the estimator with an area = {...} group) */
    ERG_OBJ_COUNT
} erg_sweep_obj;

typedef struct erg_sweep {
    char name[128];
    char path[4096];
    erg_sweep_eval eval;
    char base[4096]; /* the platform (estimate) or chip (cmodel) config, resolved */
    int n_nets;
    char nets[ERG_SWEEP_MAX_NETS][512];      /* net config paths (resolved) or QNN specs */
    char net_label[ERG_SWEEP_MAX_NETS][512]; /* as the sweep file writes them: the results do
                                              * not depend on the folder erg runs in */
    int net_is_qnn[ERG_SWEEP_MAX_NETS];
    int n_params;
    erg_sweep_param p[ERG_SWEEP_MAX_PARAMS];
    erg_sweep_obj obj[2];
    /* the silicon area of each point (area = { pe_transistors; other_mm2; }), which also sets
     * its leakage; pe_transistors 0 = the platform's or chip's area_mm2 for every point */
    double pe_transistors, other_mm2;
    double mtr_per_mm2, logic_util, sram_bit_um2, sram_eff; /* the tech table's area figures */
    uint64_t n_points; /* nets x the product of the value counts */
} erg_sweep;

/* Reads and checks the sweep: keys, non-empty value lists, parameter keys the evaluator knows
 * (with the nearest one suggested), values it accepts (bit widths it can price, level names of
 * the platform), and that the base config loads. Errors name the file and line. */
int erg_sweep_load(erg_sweep *s, const char *path, erg_error *err);

/* Sets the two objectives of the Pareto front by name ("energy_j", "cycles", "tops_per_w",
 * "fps", "area_mm2"); -1 with the nearest name suggested. */
int erg_sweep_objectives(erg_sweep *s, const char *first, const char *second, erg_error *err);

/* The net (index into nets) and the value index of every parameter of point `index`: the nets
 * outermost, the last parameter fastest. */
void erg_sweep_point(const erg_sweep *s, uint64_t index, int *net, int *vals);

typedef struct erg_sweep_result {
    double energy_j, cycles, macs, uj_per_frame, fps, tops_per_w, area_mm2;
} erg_sweep_result;

/* The area of a point with `pes` PEs and `sram_bytes` of on-chip SRAM: PEs x pe_transistors at
 * the tech table's logic density and utilization, the SRAM bits at its bit-cell area over the
 * array efficiency, plus other_mm2 (docs/sweep.md, "Area"). */
double erg_sweep_area_mm2(const erg_sweep *s, double pes, double sram_bytes);

/* Evaluates point `index`. A point the platform or chip cannot take (a net whose weights fit no
 * level, a layer a smaller array cannot tile) fails with a message naming the point. */
int erg_sweep_eval_point(const erg_sweep *s, uint64_t index, erg_sweep_result *r, erg_error *err);

/* One JSON line (with its newline): index, net, every parameter's value, the results. The same
 * point always gives the same bytes. */
void erg_sweep_json_line(FILE *f, const erg_sweep *s, uint64_t index, const erg_sweep_result *r);
/* The same object without the newline. */
void erg_sweep_json_obj(FILE *f, const erg_sweep *s, uint64_t index, const erg_sweep_result *r);

/* The index and results of a line written by erg_sweep_json_line; -1 if it is not one. */
int erg_sweep_parse_line(const char *line, uint64_t *index, erg_sweep_result *r);

/* Indices of the points on the Pareto front of the two objectives among n results (idx, r),
 * sorted by the first objective: *m of them into front. */
void erg_sweep_pareto(const erg_sweep *s, const uint64_t *idx, const erg_sweep_result *r, int n,
                      int *front, int *m);
double erg_sweep_objective(erg_sweep_obj o, const erg_sweep_result *r);
const char *erg_sweep_obj_name(erg_sweep_obj o);

#endif
