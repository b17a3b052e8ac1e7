/* tech.c — the schema of configs/tech/NAME.cfg, table-driven from ERG_TECH_ENERGY_LIST. */
#include "tech.h"

#include <stdio.h>
#include <string.h>

#include "cfg.h"

#define PJ(n) {.name = n, .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.0, .fmax = 1e6},

static const erg_key ENERGY_KEYS[] = {
#define ERG_TECH_KEY(name, desc) PJ(#name)
    ERG_TECH_ENERGY_LIST(ERG_TECH_KEY)
#undef ERG_TECH_KEY
        {0}};

static const erg_key AREA_KEYS[] = {
    {.name = "logic_mtr_per_mm2", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.01, .fmax = 1e4},
    {.name = "logic_utilization", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.01, .fmax = 1.0},
    {.name = "sram_bit_um2", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1e-4, .fmax = 100.0},
    {.name = "sram_array_efficiency",
     .kind = ERG_K_FLOAT,
     .required = 1,
     .fmin = 0.01,
     .fmax = 1.0},
    {0}};

static const erg_key TECH_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "node_nm", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 1000},
    {.name = "vdd", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.1, .fmax = 5.0},
    {.name = "energy_pj", .kind = ERG_K_GROUP, .required = 1, .children = ENERGY_KEYS},
    {.name = "sram_write_factor", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1.0, .fmax = 10.0},
    {.name = "leakage_w_per_mm2", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.0, .fmax = 100.0},
    {.name = "area", .kind = ERG_K_GROUP, .children = AREA_KEYS},
    {0}};

/* Checks beyond single values: the SRAM points are interpolated log-log, so they must be
 * positive and not fall with size. */
static int check_sram(const erg_tech *t, const config_setting_t *e, erg_error *err) {
    if (!(t->sram64_8kb > 0))
        return erg_cfg_fail(err, config_setting_get_member(e, "sram64_8kb"), "energy_pj.sram64_8kb",
                            "expected an energy > 0 pJ (SRAM sizes are interpolated log-log), "
                            "found %g",
                            t->sram64_8kb);
    if (t->sram64_32kb < t->sram64_8kb)
        return erg_cfg_fail(err, config_setting_get_member(e, "sram64_32kb"),
                            "energy_pj.sram64_32kb",
                            "expected at least sram64_8kb (%g pJ): a larger SRAM does not cost "
                            "less per read, found %g",
                            t->sram64_8kb, t->sram64_32kb);
    if (t->sram64_1mb < t->sram64_32kb)
        return erg_cfg_fail(err, config_setting_get_member(e, "sram64_1mb"), "energy_pj.sram64_1mb",
                            "expected at least sram64_32kb (%g pJ): a larger SRAM does not cost "
                            "less per read, found %g",
                            t->sram64_32kb, t->sram64_1mb);
    return 0;
}

int erg_tech_load(erg_tech *t, const char *path, erg_error *err) {
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    erg_cfg cfg;
    if (erg_cfg_load(&cfg, path, TECH_KEYS, err)) return -1;
    const config_setting_t *root = config_root_setting(&cfg.lc);
    const config_setting_t *e = config_setting_get_member(root, "energy_pj");
    snprintf(t->name, sizeof t->name, "%s", erg_cfg_str(root, "name", "?"));
    t->node_nm = (int)erg_cfg_int(root, "node_nm", 0);
    t->vdd = erg_cfg_float(root, "vdd", 0);
    t->sram_write_factor = erg_cfg_float(root, "sram_write_factor", 1.0);
    t->leak_w_per_mm2 = erg_cfg_float(root, "leakage_w_per_mm2", 0);
    const config_setting_t *area = config_setting_get_member(root, "area");
    if (area) {
        t->area_logic_mtr_per_mm2 = erg_cfg_float(area, "logic_mtr_per_mm2", 0);
        t->area_logic_utilization = erg_cfg_float(area, "logic_utilization", 0);
        t->area_sram_bit_um2 = erg_cfg_float(area, "sram_bit_um2", 0);
        t->area_sram_array_efficiency = erg_cfg_float(area, "sram_array_efficiency", 0);
    }
    for (int i = 0; i < ERG_TECH_E_COUNT; i++)
        *erg_tech_energy_ptr(t, i) = erg_cfg_float(e, erg_tech_energy_name(i), 0);
    int rc = check_sram(t, e, err);
    erg_cfg_free(&cfg);
    return rc;
}
