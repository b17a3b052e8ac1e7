/* erg_estimate.h — the analytic energy estimator (docs/estimate.md): the energy of one inference
 * on a generic platform — a PE array with a dataflow and a memory hierarchy of registers, SRAM
 * levels and DRAM — from the layers' shapes and bit widths alone, no cycle simulation. Energy is
 * arithmetic (a function of weight and activation bits) plus, per memory level, the bits moved
 * through it times its energy per access, plus clock and leakage over the estimated cycles.
 * Includes only models/common and energy/ (DESIGN.md dependency rules). */
#ifndef ERG_ESTIMATE_H
#define ERG_ESTIMATE_H

#include <stdint.h>

#include "erg_error.h"
#include "erg_tech.h"

#define ERG_EST_MAX_LEVELS 6

typedef enum erg_est_level_kind { ERG_EST_REG, ERG_EST_SRAM, ERG_EST_DRAM } erg_est_level_kind;

/* One level of the memory hierarchy, innermost first: an optional register level (the PEs'
 * operand and accumulator registers), one or more SRAM levels (the first is the array's
 * buffer), an optional DRAM. */
typedef struct erg_est_level {
    char name[32];
    erg_est_level_kind kind;
    double bytes;      /* capacity (DRAM: 0 = unlimited); registers: ignored */
    int word_bits;     /* access width (registers: 1, priced per bit) */
    double rd_pj;      /* energy of one word read at the platform's supply, pJ (filled by init) */
    double wr_pj;      /* ... written */
    double pj_word;    /* the config's override for a read (0 = from the tech table) */
    double bank_bytes; /* SRAM: the macro size its energy per bit is taken at (0 = bytes) */
    double bytes_per_cycle; /* bandwidth to the level inside it (0 = never limits) */
    /* the first SRAM level only: its split between the three operands (bytes; the array's
     * ifmap, filter and ofmap buffers); 0 = a third of `bytes` each */
    double ifmap_bytes, filter_bytes, ofmap_bytes;
} erg_est_level;

typedef enum erg_est_dataflow { ERG_EST_OS, ERG_EST_WS, ERG_EST_IS } erg_est_dataflow;

typedef struct erg_est_platform {
    char name[128];
    char path[4096];
    erg_tech tech;
    double volt, freq_hz, area_mm2;
    double scale; /* one chip-level calibration factor on every dynamic energy (1 = none) */
    int rows, cols;
    int vector;      /* K elements each PE takes per cycle (1: a scalar MAC; a BinarEye neuron: its
                      * whole 2x2x256 window) */
    int line_buffer; /* the buffer feeds windows through a column shift register: an input pixel
                      * is read k_h times per pass, not k_h * k_w (sliding windows) */
    erg_est_dataflow dataflow;
    double pe_clk_bits; /* flip-flops clocked per mapped PE per cycle */
    int ctrl_bits;      /* control flip-flops clocked every cycle */
    int n_levels;
    erg_est_level levels[ERG_EST_MAX_LEVELS];
    /* derived by erg_est_platform_init */
    int reg_level; /* index of the register level, -1 if none */
    int local;     /* index of the first SRAM level (the array's buffers) */
    double e_bmac, e_mul8, e_add32, e_mul32, e_thr, e_cmp8, e_ff_write, e_ff_clk; /* J */
    double p_leak_w;
} erg_est_platform;

/* Checks the platform (levels in order, a buffer level, positive sizes; the tech table) and
 * prices every level and action at its supply: SRAM words from the tech table's per-bit energy
 * of a macro of the level's size, DRAM from dram64 (not voltage-scaled), registers ff_write.
 * 0, or -1 with a message naming the level or field. */
int erg_est_platform_init(erg_est_platform *p, erg_error *err);

typedef enum erg_est_kind {
    ERG_EST_CONV,
    ERG_EST_DEPTHWISE,
    ERG_EST_DENSE,
    ERG_EST_POOL,  /* max or average pooling: a compare / add per window element */
    ERG_EST_OTHER, /* a view (flatten): no work, no traffic */
} erg_est_kind;

typedef struct erg_est_layer {
    char name[64];
    erg_est_kind kind;
    int in_h, in_w, in_c, out_h, out_w, out_c;
    int k_h, k_w;         /* conv, depthwise; pool: the window */
    int weight_bits;      /* 1, 2, 4, 8, 16 */
    int act_bits;         /* bits of the input activations */
    int out_bits;         /* bits of the outputs as stored (the next layer's input, or scores) */
    int per_channel_bits; /* per output channel constants (bias, requantization, thresholds) */
} erg_est_layer;

/* Where the net's tensors live: the innermost SRAM level (or DRAM) that holds all weights, and
 * the one that holds the largest input + output map pair of a layer (in the buffer level: its
 * filter part, and its ifmap + ofmap parts). -1 with a message naming
 * the bytes when no level can. */
int erg_est_homes(const erg_est_platform *p, double weight_bytes, double act_bytes, int *w_home,
                  int *a_home, erg_error *err);

typedef struct erg_est_result {
    double macs, cycles;
    double arith;                          /* J: multiplies, accumulates, per-output ops */
    double level[ERG_EST_MAX_LEVELS];      /* J per memory level (reads + writes) */
    double level_bits[ERG_EST_MAX_LEVELS]; /* bits moved through each level */
    double clock, leak, total;             /* J */
} erg_est_result;

/* The estimate of one layer whose weights live in level w_home and activations in a_home
 * (erg_est_homes). Fails on a bit width the model cannot price or a nonsense shape. */
int erg_est_layer_energy(const erg_est_platform *p, const erg_est_layer *l, int w_home, int a_home,
                         erg_est_result *r, erg_error *err);
/* sum += r */
void erg_est_add(erg_est_result *sum, const erg_est_result *r);

/* Energy of one multiply of a bw-bit by a ba-bit operand relative to an 8 x 8 one: Horowitz's
 * 45 nm fit mult(b) = 0.0029948 b^2 + 0.0010417 b pJ generalized to c2 bw ba + c1 (bw + ba)/2. */
double erg_est_mult_rel(int bw, int ba);

#endif
