/* tech.h — a technology table (configs/tech/NAME.cfg): energy per action at a nominal voltage,
 * leakage per area, and where each number comes from. */
#ifndef ERG_TECH_H
#define ERG_TECH_H

#include "erg_error.h"

typedef struct erg_tech {
    char name[64];
    char path[4096];
    int node_nm;
    double vdd; /* nominal supply the energies are given at, V */
    /* energy per action, pJ (Horowitz ISSCC 2014 names) */
    double add8, add32, mul8, mul32;
    double fadd16, fmul16, fadd32, fmul32;
    double sram64_8kb, sram64_32kb, sram64_1mb; /* 64-bit SRAM read */
    double dram64;                              /* 64-bit DRAM access */
    double leak_w_per_mm2;                      /* at vdd */
} erg_tech;

int erg_tech_load(erg_tech *t, const char *path, erg_error *err);

#endif
