/* tech.c — the schema of configs/tech/NAME.cfg. */
#include "tech.h"

#include <stdio.h>
#include <string.h>

#include "cfg.h"

#define PJ(n)                                                                                      \
    { .name = n, .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.0, .fmax = 1e6 }

static const erg_key ENERGY_KEYS[] = {
    PJ("add8"),       PJ("add32"),  PJ("mul8"),   PJ("mul32"),      PJ("fadd16"),
    PJ("fmul16"),     PJ("fadd32"), PJ("fmul32"), PJ("sram64_8kb"), PJ("sram64_32kb"),
    PJ("sram64_1mb"), PJ("dram64"), {0}};

static const erg_key TECH_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "node_nm", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 1000},
    {.name = "vdd", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.1, .fmax = 5.0},
    {.name = "energy_pj", .kind = ERG_K_GROUP, .required = 1, .children = ENERGY_KEYS},
    {.name = "leakage_w_per_mm2", .kind = ERG_K_FLOAT, .required = 1, .fmin = 0.0, .fmax = 100.0},
    {0}};

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
    t->leak_w_per_mm2 = erg_cfg_float(root, "leakage_w_per_mm2", 0);
    t->add8 = erg_cfg_float(e, "add8", 0);
    t->add32 = erg_cfg_float(e, "add32", 0);
    t->mul8 = erg_cfg_float(e, "mul8", 0);
    t->mul32 = erg_cfg_float(e, "mul32", 0);
    t->fadd16 = erg_cfg_float(e, "fadd16", 0);
    t->fmul16 = erg_cfg_float(e, "fmul16", 0);
    t->fadd32 = erg_cfg_float(e, "fadd32", 0);
    t->fmul32 = erg_cfg_float(e, "fmul32", 0);
    t->sram64_8kb = erg_cfg_float(e, "sram64_8kb", 0);
    t->sram64_32kb = erg_cfg_float(e, "sram64_32kb", 0);
    t->sram64_1mb = erg_cfg_float(e, "sram64_1mb", 0);
    t->dram64 = erg_cfg_float(e, "dram64", 0);
    erg_cfg_free(&cfg);
    return 0;
}
