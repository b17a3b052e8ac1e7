/* characterize.h — `erg characterize`: error metrics (uniform and under a real layer's operand
 * distribution), C-vs-Verilog equivalence, yosys cost and zero-delay switching energy of
 * multipliers: the built-in library (models/amac/erg_amul.def) and multipliers users bring
 * as a Verilog module or a 256 x 256 product table (docs/amac.md). */
#ifndef ERG_CHARACTERIZE_H
#define ERG_CHARACTERIZE_H

#include <stdint.h>

#include "erg_amul_char.h"
#include "erg_error.h"
#include "operands.h"

/* One multiplier to characterize. */
typedef struct erg_mul_src {
    char name[64];
    int builtin;                 /* built-in instance id, or -1 */
    char verilog[4096];          /* a user's Verilog file ("" if none) */
    char top[128];               /* its module ("" = the file's top) */
    char pa[32], pb[32], po[32]; /* its ports (default A, B, O) */
    char npy[4096];              /* a user's 256 x 256 product table ("" if none) */
} erg_mul_src;

typedef struct erg_char_row {
    erg_mul_src src;
    char family[32];       /* "TRUNC", or "verilog" / "table" */
    uint16_t table[65536]; /* table[a * 256 + b] */
    erg_amul_metrics uni;  /* over all 65,536 pairs */
    int has_layer;
    erg_amul_metrics layer; /* under the layer's operand histogram */
    /* AGN (additive Gaussian noise) model of the layer's output error, with a layer: predicted
     * from the signed product error e_s = sign(w) e over the operands, i.i.d. over the fan-in
     * K: mean K mean(e_s), std sqrt(K) std(e_s); measured over the same images by running the
     * layer with this multiplier and with the exact one (error of every output value) */
    double agn_pred_mean, agn_pred_std, agn_meas_mean, agn_meas_std;
    int has_synth;
    int cells;
    int64_t transistors; /* yosys stat -tech cmos */
    double toggles;      /* zero-delay output toggles x transistors over the operand sequence */
    double rel_energy;   /* toggles / the exact multiplier's toggles (same sequence) */
    int rtl;             /* built-ins: 1 = Verilator model equals C on all pairs, 0 = differs,
                          * -1 = not checked (no RTL in this build) */
    int rtl_a, rtl_b;    /* the first differing pair when rtl == 0 */
} erg_char_row;

typedef struct erg_char_opts {
    const char *work_dir;    /* yosys scripts, logs and netlists; NULL: no synthesis */
    const char *rtl_dir;     /* the built-in Verilog (rtl/amac) */
    const erg_operands *ops; /* a layer's operands, or NULL (uniform; random sequence) */
    int jobs;                /* parallel yosys runs */
    int quiet;
} erg_char_opts;

/* Resolves a built-in name, or a user's multiplier: "verilog:FILE.v[:TOP]" or "FILE.v", or
 * "FILE.npy". Errors suggest the nearest built-in name. */
int erg_mul_src_parse(erg_mul_src *s, const char *spec, erg_error *err);

/* Characterizes rows[0 .. n-1] (src filled): product tables (built-in, table file, or the
 * synthesized netlist of a Verilog file), metrics, the RTL check of built-ins, and with a work
 * dir the synthesis (parallel yosys), cost and switching; rel_energy is relative to the row
 * named "exact" (added by the caller; 0 if absent). */
int erg_characterize(erg_char_row *rows, int n, const erg_char_opts *o, erg_error *err);

/* Loads a 256 x 256 product table from .npy (integer dtype, values 0 .. 65535). */
int erg_product_table_load(uint16_t *table, const char *path, erg_error *err);

/* Indices of the Pareto-optimal rows (no other row has both lower error and lower energy);
 * err_of(row) picks the error (NULL: the uniform MRE%). Returns their count, sorted by energy. */
int erg_char_pareto(const erg_char_row *rows, int n, double (*err_of)(const erg_char_row *),
                    int *idx);

#endif
