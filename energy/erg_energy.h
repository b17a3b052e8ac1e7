/* erg_energy.h — energy accounting: a layer's activity counters × energy per action at the
 * operating point, plus leakage × time (docs/energy.md). Never looks inside a model. */
#ifndef ERG_ENERGY_H
#define ERG_ENERGY_H

#include <stdint.h>

#include "erg_counters.h"
#include "erg_error.h"
#include "erg_tech.h"

/* What the binary neuron array's per-action energies depend on (filled from the chip's unit
 * parameters; energy/ does not include models/bna). */
typedef struct erg_bna_energy_geom {
    int neurons;             /* N */
    int nrn_clk_bits;        /* flip-flops per neuron clocked in every active cycle */
    int window_bits;         /* array-level input window register, clocked every active cycle */
    int ctrl_bits;           /* control flip-flops clocked in every cycle of a layer */
    int out_word_bits;       /* one output (score) register */
    double wsram_bank_bytes; /* one weight SRAM bank: the macro a weight read touches */
    double fmap_bank_bytes;  /* one feature-map row bank: the macro a pixel read touches */
} erg_bna_energy_geom;

/* Per-neuron datapath flip-flops besides the weights: threshold (16) + flip (1) + the D = 2
 * popcount pipeline stages (2 × 11 bits for up to 1024 inputs) + a 24-bit dense accumulator
 * = 63, rounded to 64. An estimate from docs/bna.md, not a netlist count. */
#define ERG_BNA_NRN_DATAPATH_BITS 64
/* Control flip-flops clocked every cycle (sequencer state, loop counters, SRAM address
 * registers, the layer registers): 8 × 32 bits. An estimate, stated as such. */
#define ERG_BNA_CTRL_BITS 256
/* Output (score) registers are the 32-bit OUT registers of the register map. */
#define ERG_BNA_OUT_WORD_BITS 32

/* Fills g for a BNA with `neurons` neurons, largest kernel kmax, `channels` = C, the weight
 * SRAM split over `weight_banks` banks and the feature-map SRAM split into two ping-pong
 * buffers of kmax row banks each (docs/bna.md). Neuron clocked bits = kmax²·C weight
 * flip-flops + ERG_BNA_NRN_DATAPATH_BITS; window = kmax²·C bits. */
int erg_bna_energy_geom_init(erg_bna_energy_geom *g, int neurons, int kmax, int channels,
                             int weight_banks, int64_t weight_sram_bytes, int64_t fmap_sram_bytes,
                             erg_error *err);

/* X(name, description): the components of a layer's energy, in report order. */
#define ERG_ENERGY_COMPONENT_LIST(X)                                                               \
    X(compute, "binary MACs, threshold compares, pooling ORs, thermometer compares")               \
    X(regs, "weight flip-flop loads and output-register writes")                                   \
    X(sram, "weight SRAM and feature-map SRAM reads and writes")                                   \
    X(dram, "off-chip DRAM traffic (none on the BNA: all memory is on chip)")                      \
    X(clock, "clock of the flip-flops that are clocked, per cycle")                                \
    X(leak, "leakage power x layer time")

enum erg_energy_component_id {
#define ERG_EC_ENUM(name, desc) ERG_EC_##name,
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_ENUM)
#undef ERG_EC_ENUM
        ERG_EC_COUNT
};

/* A layer's (or a sum of layers') energy, J. total = the sum of the components. */
typedef struct erg_energy_breakdown {
#define ERG_EC_FIELD(name, desc) double name;
    ERG_ENERGY_COMPONENT_LIST(ERG_EC_FIELD)
#undef ERG_EC_FIELD
    double total;
    struct {
        double bmac, thr, pool, therm; /* compute (BNA) */
        double wff, out;               /* regs (BNA) */
        double wsram, fmap;            /* sram (BNA) */
        /* MAC array (erg_mac_energy.h): compute = mult + acc + add + requant, sram = ifmap +
         * filter + ofmap */
        double mult, acc, add, requant;
        double ifmap, filter, ofmap;
    } part;
    double seconds; /* cycles / f */
} erg_energy_breakdown;

const char *erg_energy_component_name(int i);
const char *erg_energy_component_desc(int i);
double erg_energy_component(const erg_energy_breakdown *b, int i);
/* sum += b, component by component (totals over layers). */
void erg_energy_add(erg_energy_breakdown *sum, const erg_energy_breakdown *b);

/* Energies per action at one operating point, J (before the chip-level scale). */
typedef struct erg_energy_ctx {
    erg_bna_energy_geom g;
    char tech[64];
    double vnom, volt, freq_hz, area_mm2, scale;
    double e_bmac, e_thr, e_or2, e_cmp8, e_ff_write, e_ff_clk, e_out_write;
    double e_wsram_rd_bit, e_wsram_wr_bit, e_fmap_rd_bit, e_fmap_wr_bit;
    double p_leak_w; /* leakage power at volt, W */
} erg_energy_ctx;

/* Prices the tech table at supply `volt` (dynamic × (V/vdd)², leakage density × area ×
 * V/vdd) for a chip of `area_mm2` (0 = unknown: no leakage) running at `freq_hz`, with the
 * chip-level calibration factor `scale` (> 0; applies to every dynamic component, not to
 * leakage — docs/energy.md). The caller checks freq_hz against the chip's operating points
 * (erg_op_freq). */
int erg_energy_init(erg_energy_ctx *e, const erg_tech *t, const erg_bna_energy_geom *g, double volt,
                    double freq_hz, double area_mm2, double scale, erg_error *err);

/* The energy of one layer from its counters (docs/energy.md, "Equations"). */
void erg_energy_layer(const erg_energy_ctx *e, const erg_counters *c, erg_energy_breakdown *out);

/* ops = 2 × binary MACs (1b-ops); TOPS/W = ops / J / 1e12; fps = f / cycles per frame;
 * power = energy per frame × fps. Degenerate inputs (0 J, 0 cycles) give 0. */
uint64_t erg_energy_ops(const erg_counters *c);
double erg_energy_tops_per_w(double ops, double joules);
double erg_energy_fps(double freq_hz, uint64_t cycles);
double erg_energy_uj_per_frame(double joules_per_frame);
double erg_energy_power_w(double joules_per_frame, double fps);

/* Maximum clock at `volt` from a chip's operating points (voltages rising): linear
 * interpolation between the two neighbouring points. Returns -1 when volt lies outside
 * [v[0], v[n-1]] (or n < 1). */
double erg_op_freq(const double *v, const double *f, int n, double volt);
/* The same with a message naming the voltage and the table's range. */
int erg_op_freq_check(const double *v, const double *f, int n, double volt, double *freq_hz,
                      erg_error *err);

/* Index of the operating point (run at its maximum clock) where the layer `c` has the highest
 * TOPS/W, or -1 with err set. */
int erg_energy_best_op(const erg_tech *t, const erg_bna_energy_geom *g, const erg_counters *c,
                       const double *v, const double *f, int n, double area_mm2, double scale,
                       erg_error *err);

/* The chip-level scale that makes layer `c` reach `target_tops_per_w` at e's operating point:
 * solves ops / (scale·E_dyn + E_leak) = target·1e12 with E_dyn, E_leak priced by e (whose own
 * scale is ignored). Fails when leakage alone already exceeds the target's energy. */
int erg_energy_calibrate(double *scale, const erg_energy_ctx *e, const erg_counters *c,
                         double target_tops_per_w, erg_error *err);

#endif
