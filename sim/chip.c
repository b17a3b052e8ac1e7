/* chip.c — the schema of configs/chips/NAME.cfg: units, the address map, operating points. */
#include "chip.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "erg_regs.h"

static const char *const KIND_NAMES[] = {"bna", NULL};

static const erg_key BNA_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "kind", .kind = ERG_K_ENUM, .required = 1, .enums = KIND_NAMES},
    {.name = "base", .kind = ERG_K_INT, .required = 1, .imin = 0, .imax = INT64_MAX},
    {.name = "size", .kind = ERG_K_SIZE, .imin = 4096, .imax = INT64_C(1) << 40},
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

static const erg_variant UNIT_VARIANTS[] = {{"bna", BNA_KEYS}, {NULL, NULL}};

static const erg_key OP_KEYS[] = {
    {.name = "voltage", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.1, .fmax = 5.0},
    {.name = "freq_mhz", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1e-3, .fmax = 1e5},
    {0}};

static const erg_key CHIP_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "tech", .kind = ERG_K_STRING, .required = 1},
    {.name = "energy_scale", .kind = ERG_K_FLOAT, .fmin = 1e-3, .fmax = 1e3},
    {.name = "area_mm2", .kind = ERG_K_FLOAT, .fmin = 0.0, .fmax = 1e4},
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

static int read_unit(erg_chip *chip, const config_setting_t *g, int i, erg_error *err) {
    erg_unit_cfg *u = &chip->units[i];
    snprintf(u->name, sizeof u->name, "%s", erg_cfg_str(g, "name", "?"));
    u->line = config_setting_source_line(g);
    u->kind = (erg_unit_kind)erg_cfg_enum(g, "kind", KIND_NAMES, 0);
    u->base = (uint64_t)erg_cfg_int(g, "base", 0);
    u->size = (uint64_t)erg_cfg_size(g, "size", ERG_BNA_UNIT_SIZE);
    char path[64];
    if (u->size < ERG_BNA_UNIT_SIZE) {
        snprintf(path, sizeof path, "units[%d].size", i);
        return erg_cfg_fail(err, config_setting_get_member(g, "size"), path,
                            "expected at least %u bytes (the BNA register map's window), found "
                            "%" PRIu64 " (unit '%s')",
                            ERG_BNA_UNIT_SIZE, u->size, u->name);
    }
    snprintf(path, sizeof path, "units[%d].base", i);
    if (u->base % 4096)
        return erg_cfg_fail(err, config_setting_get_member(g, "base"), path,
                            "expected a base address aligned to 4 KiB, found 0x%" PRIx64
                            " (unit '%s')",
                            u->base, u->name);
    for (int j = 0; j < i; j++) {
        const erg_unit_cfg *o = &chip->units[j];
        if (strcmp(o->name, u->name) == 0)
            return erg_cfg_fail(err, g, "", "unit name '%s' is already used at line %u", u->name,
                                o->line);
        if (u->base < o->base + o->size && o->base < u->base + u->size)
            return erg_cfg_fail(err, config_setting_get_member(g, "base"), path,
                                "unit '%s' at 0x%" PRIx64 "..0x%" PRIx64
                                " overlaps unit '%s' at 0x%" PRIx64 "..0x%" PRIx64,
                                u->name, u->base, u->base + u->size - 1, o->name, o->base,
                                o->base + o->size - 1);
    }
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

    const config_setting_t *units = config_lookup(&cfg.lc, "units");
    chip->n_units = config_setting_length(units);
    for (int i = 0; i < chip->n_units; i++)
        if (read_unit(chip, config_setting_get_elem(units, (unsigned)i), i, err)) goto out;

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
