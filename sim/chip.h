/* chip.h — a chip as erg sees it: units of known kinds at base addresses in one address map,
 * operating points (voltage -> frequency) and the technology it is built in. */
#ifndef ERG_CHIP_H
#define ERG_CHIP_H

#include <stdint.h>

#include "erg_amac.h"
#include "erg_error.h"

#define ERG_CHIP_MAX_UNITS 16
#define ERG_CHIP_MAX_OPS 32

/* ERG_UNIT_FWFE never appears in erg_chip.units: the fixed-weight front-end has no register map
 * and sits on no bus (it streams into the back-end), so it is kept apart, in erg_chip.fwfe. */
typedef enum erg_unit_kind { ERG_UNIT_BNA, ERG_UNIT_AMAC, ERG_UNIT_FWFE } erg_unit_kind;

typedef struct erg_unit_cfg {
    char name[64];
    erg_unit_kind kind;
    uint64_t base, size; /* register/memory window in the chip's address map */
    unsigned line;
    /* bna: binary neuron array */
    int neurons;
    int kernels[4], n_kernels; /* supported square kernel sizes */
    int max_channels;
    int max_fmap_h, max_fmap_w;
    int64_t weight_sram_bytes, fmap_sram_bytes;
    int weight_banks;
    int weight_word_bits;
    int has_pool, has_dense, has_thermometer;
    /* amac: approximate-multiplier MAC array (docs/amac-unit.md); amac.mul_ids are built-in ids,
     * or ERG_AMAC_USER_ID0 + k for the product table user_mul_path[k] (its user_tables are NULL
     * here: erg_chip_amac_create loads them) */
    erg_amac_params amac;
    int n_user_muls;
    char user_mul_path[ERG_AMAC_MAX_USER_MULS][1024];
    /* energy of one multiplication of amac.mul_ids[i] relative to the tech table's mul8 */
    double mul_rel_energy[ERG_AMAC_MAX_MULS];
    int lmem_on_chip;   /* the local memory is an on-chip SRAM (priced as one), not DRAM */
    double pe_area_mm2; /* area of one PE with its multipliers (0 = not given): iso-area arrays */
    int sc_rtl; /* the SystemC platform runs the unit as its Verilated RTL (systemc_model) */
} erg_unit_cfg;

/* A fixed-weight feature extractor in front of the chip's amac unit (a FixyNN-style hybrid,
 * docs/fwfe.md "Hybrid system"): layers `layers` of net `net` hard-wired (models/fwfe), their
 * output streamed through a FIFO of fifo_bytes into the back-end, which runs the rest. */
typedef struct erg_fwfe_unit_cfg {
    char name[64];
    unsigned line;
    char net[128];    /* the name of the net whose trained weights it hard-wires */
    char layers[256]; /* FIRST..LAST of that net (erg gen fwfe --layers) */
    uint64_t fifo_bytes;
    int acc_bits;    /* widest adder, 0 = 32 */
    int tree;        /* adder trees: 0 binary, 1 carry-save (ERG_FWFE_TREE_*) */
    double area_mm2; /* its silicon area (yosys, scripts/fwfe_synth.sh) */
} erg_fwfe_unit_cfg;

typedef struct erg_op_point {
    double voltage; /* V */
    double freq_hz; /* maximum clock at that voltage */
} erg_op_point;

/* The SystemC platform around the units (docs/systemc.md): 0 = ideal (no limit, no latency). */
typedef struct erg_platform_cfg {
    double bus_bytes_per_cycle;  /* interconnect width */
    int bus_latency;             /* cycles per transaction through the interconnect */
    double dram_bytes_per_cycle; /* DRAM bandwidth shared by every initiator */
    int dram_latency;            /* cycles from a burst's request to its first data */
    uint32_t burst_bytes;        /* largest transaction of the DMA engine and the units */
} erg_platform_cfg;

typedef struct erg_chip {
    char name[128];
    char path[4096];
    char tech[4096]; /* path of the tech file, resolved against the chip file's folder */
    int n_units;
    erg_unit_cfg units[ERG_CHIP_MAX_UNITS];
    int n_ops;
    erg_op_point ops[ERG_CHIP_MAX_OPS];
    double energy_scale;    /* one documented chip-level calibration factor */
    double area_mm2;        /* chip area for leakage (0 = unknown) */
    char area_source[4200]; /* where area_mm2 comes from ("chip config", or erg run --area) */
    erg_platform_cfg platform;
    int has_fwfe;
    erg_fwfe_unit_cfg fwfe;
} erg_chip;

int erg_chip_load(erg_chip *chip, const char *path, erg_error *err);
/* The index of the chip's first unit of this kind, or -1 when it has none. */
int erg_chip_unit_of_kind(const erg_chip *chip, erg_unit_kind kind);

/* The C model of an amac unit: erg_amac_create with its user multipliers' tables loaded. */
erg_amac *erg_chip_amac_create(const erg_unit_cfg *u, erg_error *err);
/* Loads the product table [a * 256 + b] (65,536 entries) of the unit's user multiplier k. */
int erg_chip_amac_user_table(const erg_unit_cfg *u, int k, uint16_t *table, erg_error *err);
/* The name of multiplier i of the unit's set: a built-in's ("loa6"), or a user table's file
 * name without ".npy" ("mask4"), written into buf. */
const char *erg_chip_amac_mul_name(const erg_unit_cfg *u, int i, char *buf, size_t n);

#endif
