/* erg_tech.h — a technology table (configs/tech/NAME.cfg: energy per action at a nominal supply,
 * leakage per area) and the one place where the voltage and node scaling rules live. */
#ifndef ERG_ENERGY_TECH_H
#define ERG_ENERGY_TECH_H

#include "erg_error.h"

/* X(name, description): the energies per action of a tech table, in pJ at the table's vdd.
 * The first twelve are Horowitz's ISSCC 2014 names; the rest are the gate-level actions the
 * binary neuron array needs (their derivations are in configs/tech/45nm.cfg and
 * docs/energy.md). Order is the order of the `energy_pj` group in the schema. */
#define ERG_TECH_ENERGY_LIST(X)                                                                    \
    X(add8, "8-bit integer add")                                                                   \
    X(add32, "32-bit integer add")                                                                 \
    X(mul8, "8-bit integer multiply")                                                              \
    X(mul32, "32-bit integer multiply")                                                            \
    X(fadd16, "fp16 add")                                                                          \
    X(fmul16, "fp16 multiply")                                                                     \
    X(fadd32, "fp32 add")                                                                          \
    X(fmul32, "fp32 multiply")                                                                     \
    X(sram64_8kb, "64-bit read of an 8 KB SRAM")                                                   \
    X(sram64_32kb, "64-bit read of a 32 KB SRAM")                                                  \
    X(sram64_1mb, "64-bit read of a 1 MB SRAM")                                                    \
    X(dram64, "64-bit DRAM access")                                                                \
    X(fa_bit, "one full-adder bit")                                                                \
    X(xnor2, "2-input XNOR gate")                                                                  \
    X(or2, "2-input OR gate")                                                                      \
    X(bmac, "binary MAC: XNOR + its share of the popcount adder tree")                             \
    X(cmp8, "8-bit magnitude compare")                                                             \
    X(thr16, "16-bit threshold compare")                                                           \
    X(ff_write, "flip-flop bit written")                                                           \
    X(ff_clk, "clock energy of one flip-flop per clocked cycle")

enum erg_tech_energy_id {
#define ERG_TECH_E_ENUM(name, desc) ERG_TECH_E_##name,
    ERG_TECH_ENERGY_LIST(ERG_TECH_E_ENUM)
#undef ERG_TECH_E_ENUM
        ERG_TECH_E_COUNT
};

typedef struct erg_tech {
    char name[64];
    char path[4096];
    int node_nm;
    double vdd; /* nominal supply the energies and the leakage are given at, V */
#define ERG_TECH_E_FIELD(name, desc) double name;
    ERG_TECH_ENERGY_LIST(ERG_TECH_E_FIELD)
#undef ERG_TECH_E_FIELD
    double sram_write_factor; /* SRAM bit write = bit read x this */
    double leak_w_per_mm2;    /* leakage power density at vdd */
    /* area figures (the optional `area` group; 0 = absent): for chip area from synthesis */
    double area_logic_mtr_per_mm2;     /* logic transistors per mm² at NAND2 density, millions */
    double area_logic_utilization;     /* placement utilization of the logic (0..1] */
    double area_sram_bit_um2;          /* SRAM bit-cell area, µm² */
    double area_sram_array_efficiency; /* bit cells / macro area (0..1] */
} erg_tech;

/* Name and description of energy i ("add8", ...), and its value in t (pJ at t->vdd). */
const char *erg_tech_energy_name(int i);
const char *erg_tech_energy_desc(int i);
double erg_tech_energy(const erg_tech *t, int i);
double *erg_tech_energy_ptr(erg_tech *t, int i);

/* Semantic checks on a filled table (positive supply, non-negative energies, SRAM energies
 * positive and not falling with size, write factor >= 1); the loader has already checked
 * ranges with file:line messages, this guards tables built in code. */
int erg_tech_check(const erg_tech *t, erg_error *err);

/* ---- The scaling rules (docs/energy.md, "Scaling"); nowhere else in erg. ---- */

/* Dynamic energy is C·V²: e(V) = e(vnom)·(V/vnom)². Returns the factor (V/vnom)². */
double erg_vscale_dynamic(double volt, double vnom);
/* Leakage power is I_leak·V with I_leak taken as constant: P(V) = P(vnom)·V/vnom. */
double erg_vscale_leak(double volt, double vnom);

/* Stillmaker & Baas (Integration 58, 2017, Table 5, high-performance models for 45 nm and
 * below): energy per operation of node n at supply V relative to their reference,
 * F_n(V) = a2·V² + a1·V + a0. Nodes between two tabulated ones (e.g. 28 nm between 32 and
 * 20 nm) are interpolated log-log: ln F is linear in ln(node). Fails outside 7..180 nm or
 * where the polynomial is not positive. */
int erg_node_energy_poly(double *f, int node_nm, double volt, erg_error *err);
/* The factor that moves a dynamic energy from (from_nm, from_v) to (to_nm, to_v):
 * F_to(to_v) / F_from(from_v). This is how configs/tech/28nm.cfg and 16nm.cfg were derived
 * from 45nm.cfg (tests re-derive them). */
int erg_node_scale_factor(double *k, int from_nm, double from_v, int to_nm, double to_v,
                          erg_error *err);
/* Multiplies every energy of t by k (node scaling of a whole table). */
void erg_tech_scale_energies(erg_tech *t, double k);

/* SRAM energy per bit at size `bytes`, pJ at t->vdd. Horowitz's three 64-bit reads (8 KB,
 * 32 KB, 1 MB) are interpolated piecewise log-log (a power law between neighbouring points;
 * ≈ √size, the bit-line/word-line length), extrapolated with the end segments; per bit =
 * per 64-bit read / 64. A write costs read × sram_write_factor. */
double erg_sram_bit_read_pj(const erg_tech *t, double bytes);
double erg_sram_bit_write_pj(const erg_tech *t, double bytes);

#endif
