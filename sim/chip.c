/* chip.c — the schema of configs/chips/NAME.cfg: units, the address map, operating points. */
#include "chip.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "characterize.h"
#include "erg_amul.h"
#include "erg_regs.h"
#include "erg_regs_amac.h"

static const char *const KIND_NAMES[] = {"bna", "amac", "fwfe", NULL};
/* What the SystemC platform runs the unit as (docs/systemc.md). */
static const char *const SC_MODEL_NAMES[] = {"cmodel", "rtl", NULL};
static const char *const DATAFLOW_NAMES[] = {"os", "ws", "is", NULL};
static const char *const TIMING_NAMES[] = {"erg", "scalesim", NULL};
/* The FWFE's adder trees, in the order of ERG_FWFE_TREE_* (models/fwfe/erg_fwfe.h). */
static const char *const TREE_NAMES[] = {"binary", "csa", NULL};

static const erg_key BNA_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "kind", .kind = ERG_K_ENUM, .required = 1, .enums = KIND_NAMES},
    {.name = "base", .kind = ERG_K_INT, .required = 1, .imin = 0, .imax = INT64_MAX},
    {.name = "size", .kind = ERG_K_SIZE, .imin = 4096, .imax = INT64_C(1) << 40},
    {.name = "systemc_model", .kind = ERG_K_ENUM, .enums = SC_MODEL_NAMES},
    {.name = "neurons", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 4096},
    {.name = "kernels",
     .kind = ERG_K_INTS,
     .required = 1,
     .imin = 1,
     .imax = 7,
     .nmin = 1,
     .nmax = 4},
    {.name = "max_channels", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 4096},
    {.name = "max_fmap",
     .kind = ERG_K_INTS,
     .required = 1,
     .imin = 1,
     .imax = 4096,
     .nmin = 2,
     .nmax = 2},
    {.name = "weight_sram", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = INT64_C(1) << 34},
    {.name = "weight_banks", .kind = ERG_K_INT, .imin = 1, .imax = 4},
    {.name = "weight_word_bits", .kind = ERG_K_INT, .imin = 64, .imax = 4096},
    {.name = "fmap_sram", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = INT64_C(1) << 34},
    {.name = "pool", .kind = ERG_K_BOOL},
    {.name = "dense", .kind = ERG_K_BOOL},
    {.name = "thermometer", .kind = ERG_K_BOOL},
    {0}};

static const erg_key AMAC_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "kind", .kind = ERG_K_ENUM, .required = 1, .enums = KIND_NAMES},
    {.name = "base", .kind = ERG_K_INT, .required = 1, .imin = 0, .imax = INT64_MAX},
    {.name = "size", .kind = ERG_K_SIZE, .imin = 4096, .imax = INT64_C(1) << 40},
    {.name = "rows", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 65536},
    {.name = "cols", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 65536},
    {.name = "dataflow", .kind = ERG_K_ENUM, .enums = DATAFLOW_NAMES},
    {.name = "timing", .kind = ERG_K_ENUM, .enums = TIMING_NAMES},
    {.name = "ifmap_sram", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = UINT32_MAX},
    {.name = "filter_sram", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = UINT32_MAX},
    {.name = "ofmap_sram", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = UINT32_MAX},
    {.name = "dram_bytes_per_cycle",
     .kind = ERG_K_FLOAT,
     .required = 1,
     .fmin = 0.01,
     .fmax = 65535.99},
    {.name = "lmem", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = ERG_AMAC_LMEM_SIZE},
    {.name = "lmem_on_chip", .kind = ERG_K_BOOL},
    {.name = "pe_area_mm2", .kind = ERG_K_FLOAT, .fmin = 1e-9, .fmax = 1e3},
    {.name = "systemc_model", .kind = ERG_K_ENUM, .enums = SC_MODEL_NAMES},
    {.name = "multipliers",
     .kind = ERG_K_STRINGS,
     .required = 1,
     .nmin = 1,
     .nmax = ERG_AMAC_MAX_MULS},
    {.name = "mul_rel_energy",
     .kind = ERG_K_FLOATS,
     .fmin = 0.0,
     .fmax = 100.0,
     .nmin = 1,
     .nmax = ERG_AMAC_MAX_MULS},
    {0}};

/* The fixed-weight front-end of a hybrid chip (docs/fwfe.md, "Hybrid system"): no base, no
 * register map; it streams into the chip's amac unit. */
static const erg_key FWFE_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "kind", .kind = ERG_K_ENUM, .required = 1, .enums = KIND_NAMES},
    {.name = "net", .kind = ERG_K_STRING, .required = 1},
    {.name = "layers", .kind = ERG_K_STRING, .required = 1},
    {.name = "fifo", .kind = ERG_K_SIZE, .required = 1, .imin = 1, .imax = INT64_C(1) << 32},
    {.name = "acc_bits", .kind = ERG_K_INT, .imin = 2, .imax = 32},
    {.name = "tree", .kind = ERG_K_ENUM, .enums = TREE_NAMES},
    {.name = "area_mm2", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1e-9, .fmax = 1e4},
    {0}};

static const erg_variant UNIT_VARIANTS[] = {
    {"bna", BNA_KEYS}, {"amac", AMAC_KEYS}, {"fwfe", FWFE_KEYS}, {NULL, NULL}};

static const erg_key OP_KEYS[] = {
    {.name = "voltage", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.1, .fmax = 5.0},
    {.name = "freq_mhz", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1e-3, .fmax = 1e5},
    {0}};

/* The SystemC platform around the units (docs/systemc.md); absent = an ideal memory system. */
static const erg_key PLATFORM_KEYS[] = {
    {.name = "bus_bytes_per_cycle", .kind = ERG_K_FLOAT, .fmin = 0.0, .fmax = 1e6},
    {.name = "bus_latency", .kind = ERG_K_INT, .imin = 0, .imax = 1000000},
    {.name = "dram_bytes_per_cycle", .kind = ERG_K_FLOAT, .fmin = 0.0, .fmax = 1e6},
    {.name = "dram_latency", .kind = ERG_K_INT, .imin = 0, .imax = 1000000},
    {.name = "burst_bytes", .kind = ERG_K_SIZE, .imin = 4, .imax = 1 << 24},
    {0}};

static const erg_key CHIP_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "tech", .kind = ERG_K_STRING, .required = 1},
    {.name = "energy_scale", .kind = ERG_K_FLOAT, .fmin = 1e-3, .fmax = 1e3},
    {.name = "area_mm2", .kind = ERG_K_FLOAT, .fmin = 0.0, .fmax = 1e4},
    {.name = "platform", .kind = ERG_K_GROUP, .children = PLATFORM_KEYS},
    {.name = "units",
     .kind = ERG_K_GROUPS,
     .required = 1,
     .variants = UNIT_VARIANTS,
     .tag = "kind",
     .nmin = 1,
     .nmax = ERG_CHIP_MAX_UNITS,
     .item = "unit"},
    {.name = "operating_points",
     .kind = ERG_K_GROUPS,
     .required = 1,
     .children = OP_KEYS,
     .nmin = 1,
     .nmax = ERG_CHIP_MAX_OPS,
     .item = "operating point"},
    {0}};

/* The amac unit's keys (schema-checked already) into u->amac, multiplier names resolved, and the
 * parameters checked as the unit checks them (erg_amac_create). */
static int ends_with_npy(const char *s) {
    size_t n = strlen(s);
    return n >= 4 && strcmp(s + n - 4, ".npy") == 0;
}

int erg_chip_amac_user_table(const erg_unit_cfg *u, int k, uint16_t *table, erg_error *err) {
    if (k < 0 || k >= u->n_user_muls)
        return erg_fail(err, "unit '%s' has no user multiplier %d", u->name, k);
    return erg_product_table_load(table, u->user_mul_path[k], err);
}

erg_amac *erg_chip_amac_create(const erg_unit_cfg *u, erg_error *err) {
    erg_amac_params p = u->amac;
    uint16_t *tables[ERG_AMAC_MAX_USER_MULS] = {0};
    erg_amac *a = NULL;
    for (int k = 0; k < u->n_user_muls; k++) {
        tables[k] = malloc(65536 * sizeof *tables[k]);
        if (!tables[k]) {
            erg_fail(err, "out of memory");
            goto out;
        }
        if (erg_chip_amac_user_table(u, k, tables[k], err)) goto out;
        p.user_tables[k] = tables[k];
    }
    a = erg_amac_create(&p, err);
out:
    for (int k = 0; k < u->n_user_muls; k++) free(tables[k]);
    return a;
}

const char *erg_chip_amac_mul_name(const erg_unit_cfg *u, int i, char *buf, size_t n) {
    int id = i >= 0 && i < u->amac.n_mul ? u->amac.mul_ids[i] : -1;
    int k = id - ERG_AMAC_USER_ID0;
    if (k >= 0 && k < u->n_user_muls) {
        const char *path = u->user_mul_path[k], *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        size_t len = strlen(base) - 4; /* without .npy */
        snprintf(buf, n, "%.*s", (int)len, base);
    } else {
        const erg_amul_info *info = id >= 0 ? erg_amul_info_of(id) : NULL;
        snprintf(buf, n, "%s", info ? info->name : "?");
    }
    return buf;
}

static int read_amac(erg_unit_cfg *u, const config_setting_t *g, int i, const char *dir,
                     erg_error *err) {
    char path[64];
    erg_amac_params *p = &u->amac;
    p->rows = (int)erg_cfg_int(g, "rows", 0);
    p->cols = (int)erg_cfg_int(g, "cols", 0);
    p->dataflow = (erg_mac_dataflow)erg_cfg_enum(g, "dataflow", DATAFLOW_NAMES, 0);
    p->timing = (erg_mac_timing_mode)erg_cfg_enum(g, "timing", TIMING_NAMES, 0);
    p->ifmap_sram_bytes = (uint64_t)erg_cfg_size(g, "ifmap_sram", 0);
    p->filter_sram_bytes = (uint64_t)erg_cfg_size(g, "filter_sram", 0);
    p->ofmap_sram_bytes = (uint64_t)erg_cfg_size(g, "ofmap_sram", 0);
    p->dram_bytes_per_cycle = erg_cfg_float(g, "dram_bytes_per_cycle", 0);
    p->lmem_bytes = (uint64_t)erg_cfg_size(g, "lmem", 0);
    u->lmem_on_chip = erg_cfg_bool(g, "lmem_on_chip", 0);
    u->pe_area_mm2 = erg_cfg_float(g, "pe_area_mm2", 0.0);
    const config_setting_t *m = config_setting_get_member(g, "multipliers");
    p->n_mul = config_setting_length(m);
    int user_exact[ERG_AMAC_MAX_USER_MULS] = {0};
    for (int j = 0; j < p->n_mul; j++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)j);
        const char *spec = config_setting_get_string(e);
        erg_error e2 = {0};
        snprintf(path, sizeof path, "units[%d].multipliers[%d]", i, j);
        if (ends_with_npy(spec)) {
            /* a product table (erg characterize --save-tables), relative to the chip file */
            int k = u->n_user_muls;
            if (k == ERG_AMAC_MAX_USER_MULS)
                return erg_cfg_fail(err, e, path,
                                    "more than %d product tables in the set (unit '%s')",
                                    ERG_AMAC_MAX_USER_MULS, u->name);
            int w = snprintf(u->user_mul_path[k], sizeof u->user_mul_path[k], "%s%s",
                             spec[0] == '/' ? "" : dir, spec);
            if (w < 0 || (size_t)w >= sizeof u->user_mul_path[k])
                return erg_cfg_fail(err, e, path, "path too long (unit '%s')", u->name);
            uint16_t *t = malloc(65536 * sizeof *t);
            if (!t) return erg_fail(err, "out of memory");
            int bad = erg_product_table_load(t, u->user_mul_path[k], &e2);
            user_exact[k] = 1;
            for (unsigned x = 0; !bad && x < 65536 && user_exact[k]; x++)
                user_exact[k] = t[x] == (x >> 8) * (x & 255);
            free(t);
            if (bad) return erg_cfg_fail(err, e, path, "%s (unit '%s')", e2.msg, u->name);
            u->n_user_muls++;
            p->mul_ids[j] = ERG_AMAC_USER_ID0 + k;
            continue;
        }
        p->mul_ids[j] = erg_amul_find(spec, &e2);
        if (p->mul_ids[j] < 0) return erg_cfg_fail(err, e, path, "%s (unit '%s')", e2.msg, u->name);
    }
    const config_setting_t *re = config_setting_get_member(g, "mul_rel_energy");
    if (re && config_setting_length(re) != p->n_mul) {
        snprintf(path, sizeof path, "units[%d].mul_rel_energy", i);
        return erg_cfg_fail(err, re, path,
                            "expected one relative energy per multiplier (%d), found %d "
                            "(unit '%s')",
                            p->n_mul, config_setting_length(re), u->name);
    }
    for (int j = 0; j < p->n_mul; j++) {
        if (re) {
            u->mul_rel_energy[j] = config_setting_get_float_elem(re, j);
            if (config_setting_type(config_setting_get_elem(re, (unsigned)j)) != CONFIG_TYPE_FLOAT)
                u->mul_rel_energy[j] = (double)config_setting_get_int_elem(re, j);
        } else if (p->mul_ids[j] == ERG_AMUL_ID_exact ||
                   (p->mul_ids[j] >= ERG_AMAC_USER_ID0 &&
                    user_exact[p->mul_ids[j] - ERG_AMAC_USER_ID0])) {
            u->mul_rel_energy[j] = 1.0;
        } else {
            char name[256];
            snprintf(path, sizeof path, "units[%d]", i);
            return erg_cfg_fail(err, g, path,
                                "multiplier '%s' needs its energy: give mul_rel_energy = [...], "
                                "one value per multiplier relative to the exact one, from "
                                "`erg characterize --mul NAMES` (column rel_energy) (unit '%s')",
                                erg_chip_amac_mul_name(u, j, name, sizeof name), u->name);
        }
    }
    erg_error e2 = {0};
    erg_amac *probe = erg_chip_amac_create(u, &e2);
    if (!probe) {
        snprintf(path, sizeof path, "units[%d]", i);
        return erg_cfg_fail(err, g, path, "%s (unit '%s')", e2.msg, u->name);
    }
    erg_amac_free(probe);
    return 0;
}

/* A name already taken by a unit read before (the bus units and the fwfe unit): -1 with err. */
static int name_taken(const erg_chip *chip, const config_setting_t *g, const char *name, int n,
                      erg_error *err) {
    for (int j = 0; j < n; j++)
        if (strcmp(chip->units[j].name, name) == 0)
            return erg_cfg_fail(err, g, "", "unit name '%s' is already used at line %u", name,
                                chip->units[j].line);
    if (chip->has_fwfe && strcmp(chip->fwfe.name, name) == 0)
        return erg_cfg_fail(err, g, "", "unit name '%s' is already used at line %u", name,
                            chip->fwfe.line);
    return 0;
}

static int read_fwfe(erg_chip *chip, const config_setting_t *g, int i, erg_error *err) {
    erg_fwfe_unit_cfg *f = &chip->fwfe;
    const char *name = erg_cfg_str(g, "name", "?");
    if (chip->has_fwfe) {
        char path[64];
        snprintf(path, sizeof path, "units[%d]", i);
        return erg_cfg_fail(err, g, path,
                            "unit '%s': a second fwfe unit (the chip has '%s' at line %u); one "
                            "fixed front-end feeds the amac unit",
                            name, f->name, f->line);
    }
    if (name_taken(chip, g, name, chip->n_units, err)) return -1;
    snprintf(f->name, sizeof f->name, "%s", name);
    f->line = config_setting_source_line(g);
    snprintf(f->net, sizeof f->net, "%s", erg_cfg_str(g, "net", ""));
    snprintf(f->layers, sizeof f->layers, "%s", erg_cfg_str(g, "layers", ""));
    f->fifo_bytes = (uint64_t)erg_cfg_size(g, "fifo", 0);
    f->acc_bits = (int)erg_cfg_int(g, "acc_bits", 0);
    f->tree = erg_cfg_enum(g, "tree", TREE_NAMES, 0);
    f->area_mm2 = erg_cfg_float(g, "area_mm2", 0.0);
    chip->has_fwfe = 1;
    return 0;
}

static int read_unit(erg_chip *chip, const config_setting_t *g, int i, const char *dir,
                     erg_error *err) {
    if (erg_cfg_enum(g, "kind", KIND_NAMES, 0) == ERG_UNIT_FWFE) return read_fwfe(chip, g, i, err);
    erg_unit_cfg *u = &chip->units[chip->n_units];
    snprintf(u->name, sizeof u->name, "%s", erg_cfg_str(g, "name", "?"));
    u->line = config_setting_source_line(g);
    u->kind = (erg_unit_kind)erg_cfg_enum(g, "kind", KIND_NAMES, 0);
    u->base = (uint64_t)erg_cfg_int(g, "base", 0);
    u->sc_rtl = erg_cfg_enum(g, "systemc_model", SC_MODEL_NAMES, 0) == 1;
    uint64_t need = u->kind == ERG_UNIT_AMAC ? ERG_AMAC_UNIT_SIZE : ERG_BNA_UNIT_SIZE;
    u->size = (uint64_t)erg_cfg_size(g, "size", (int64_t)need);
    char path[64];
    if (u->size < need) {
        snprintf(path, sizeof path, "units[%d].size", i);
        return erg_cfg_fail(err, config_setting_get_member(g, "size"), path,
                            "expected at least %" PRIu64 " bytes (the %s register map's window), "
                            "found %" PRIu64 " (unit '%s')",
                            need, u->kind == ERG_UNIT_AMAC ? "AMAC" : "BNA", u->size, u->name);
    }
    snprintf(path, sizeof path, "units[%d].base", i);
    if (u->base % 4096)
        return erg_cfg_fail(err, config_setting_get_member(g, "base"), path,
                            "expected a base address aligned to 4 KiB, found 0x%" PRIx64
                            " (unit '%s')",
                            u->base, u->name);
    if (name_taken(chip, g, u->name, chip->n_units, err)) return -1;
    for (int j = 0; j < chip->n_units; j++) {
        const erg_unit_cfg *o = &chip->units[j];
        if (u->base < o->base + o->size && o->base < u->base + u->size)
            return erg_cfg_fail(err, config_setting_get_member(g, "base"), path,
                                "unit '%s' at 0x%" PRIx64 "..0x%" PRIx64
                                " overlaps unit '%s' at 0x%" PRIx64 "..0x%" PRIx64,
                                u->name, u->base, u->base + u->size - 1, o->name, o->base,
                                o->base + o->size - 1);
    }
    chip->n_units++;
    if (u->kind == ERG_UNIT_AMAC) return read_amac(u, g, i, dir, err);
    u->neurons = (int)erg_cfg_int(g, "neurons", 0);
    const config_setting_t *k = config_setting_get_member(g, "kernels");
    u->n_kernels = config_setting_length(k);
    for (int j = 0; j < u->n_kernels; j++) u->kernels[j] = config_setting_get_int_elem(k, j);
    u->max_channels = (int)erg_cfg_int(g, "max_channels", 0);
    const config_setting_t *f = config_setting_get_member(g, "max_fmap");
    u->max_fmap_h = config_setting_get_int_elem(f, 0);
    u->max_fmap_w = config_setting_get_int_elem(f, 1);
    u->weight_sram_bytes = erg_cfg_size(g, "weight_sram", 0);
    u->fmap_sram_bytes = erg_cfg_size(g, "fmap_sram", 0);
    u->weight_banks = (int)erg_cfg_int(g, "weight_banks", 1);
    u->weight_word_bits = (int)erg_cfg_int(g, "weight_word_bits", 256);
    u->has_pool = erg_cfg_bool(g, "pool", 1);
    u->has_dense = erg_cfg_bool(g, "dense", 1);
    u->has_thermometer = erg_cfg_bool(g, "thermometer", 1);
    return 0;
}

int erg_chip_load(erg_chip *chip, const char *path, erg_error *err) {
    memset(chip, 0, sizeof *chip);
    snprintf(chip->path, sizeof chip->path, "%s", path);
    erg_cfg cfg;
    if (erg_cfg_load(&cfg, path, CHIP_KEYS, err)) return -1;
    int rc = -1;
    const config_setting_t *root = config_root_setting(&cfg.lc);
    snprintf(chip->name, sizeof chip->name, "%s", erg_cfg_str(root, "name", "?"));
    const char *tech = erg_cfg_str(root, "tech", "");
    if (tech[0] == '/')
        snprintf(chip->tech, sizeof chip->tech, "%s", tech);
    else
        snprintf(chip->tech, sizeof chip->tech, "%s%s", cfg.dir, tech);
    chip->energy_scale = erg_cfg_float(root, "energy_scale", 1.0);
    chip->area_mm2 = erg_cfg_float(root, "area_mm2", 0.0);
    snprintf(chip->area_source, sizeof chip->area_source, "chip config");
    const config_setting_t *pl = config_setting_get_member(root, "platform");
    chip->platform.bus_bytes_per_cycle = pl ? erg_cfg_float(pl, "bus_bytes_per_cycle", 0) : 0;
    chip->platform.bus_latency = pl ? (int)erg_cfg_int(pl, "bus_latency", 0) : 0;
    chip->platform.dram_bytes_per_cycle = pl ? erg_cfg_float(pl, "dram_bytes_per_cycle", 0) : 0;
    chip->platform.dram_latency = pl ? (int)erg_cfg_int(pl, "dram_latency", 0) : 0;
    chip->platform.burst_bytes = pl ? (uint32_t)erg_cfg_size(pl, "burst_bytes", 4096) : 4096;
    if (chip->platform.burst_bytes % 4) {
        erg_cfg_fail(err, config_setting_get_member(pl, "burst_bytes"), "platform.burst_bytes",
                     "%u is not a multiple of 4 bytes", chip->platform.burst_bytes);
        goto out;
    }

    const config_setting_t *units = config_lookup(&cfg.lc, "units");
    int n_cfg_units = config_setting_length(units);
    for (int i = 0; i < n_cfg_units; i++)
        if (read_unit(chip, config_setting_get_elem(units, (unsigned)i), i, cfg.dir, err)) goto out;
    if (chip->has_fwfe && erg_chip_unit_of_kind(chip, ERG_UNIT_AMAC) < 0) {
        erg_cfg_fail(err, config_setting_get_elem(units, 0), "units",
                     "fwfe unit '%s' (line %u) streams into an amac unit, and chip '%s' has "
                     "none: add a unit of kind \"amac\" for the layers after '%s'",
                     chip->fwfe.name, chip->fwfe.line, chip->name, chip->fwfe.layers);
        goto out;
    }
    if (chip->n_units == 0) {
        erg_cfg_fail(err, units, "units", "chip '%s' has no unit with a register map (bna, amac)",
                     chip->name);
        goto out;
    }

    const config_setting_t *ops = config_lookup(&cfg.lc, "operating_points");
    chip->n_ops = config_setting_length(ops);
    for (int i = 0; i < chip->n_ops; i++) {
        const config_setting_t *g = config_setting_get_elem(ops, (unsigned)i);
        chip->ops[i].voltage = erg_cfg_float(g, "voltage", 0);
        chip->ops[i].freq_hz = erg_cfg_float(g, "freq_mhz", 0) * 1e6;
        if (i && !(chip->ops[i].voltage > chip->ops[i - 1].voltage &&
                   chip->ops[i].freq_hz >= chip->ops[i - 1].freq_hz)) {
            char p[64];
            snprintf(p, sizeof p, "operating_points[%d]", i);
            erg_cfg_fail(err, g, p,
                         "expected voltages rising and frequencies not falling, found %g V / "
                         "%g MHz after %g V / %g MHz",
                         chip->ops[i].voltage, chip->ops[i].freq_hz / 1e6, chip->ops[i - 1].voltage,
                         chip->ops[i - 1].freq_hz / 1e6);
            goto out;
        }
    }
    rc = 0;
out:
    erg_cfg_free(&cfg);
    return rc;
}

int erg_chip_unit_of_kind(const erg_chip *chip, erg_unit_kind kind) {
    for (int i = 0; i < chip->n_units; i++)
        if (chip->units[i].kind == kind) return i;
    return -1;
}
