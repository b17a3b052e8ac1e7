/* area.h — chip area from synthesis: the per-module table scripts/synth.sh writes
 * (build/synth/area.csv) turned into mm² with the tech table's area figures (logic transistor
 * density and placement utilization, SRAM bit-cell area and array efficiency; docs/synth.md).
 * `erg run --area FILE.csv` prices leakage with it instead of the chip config's area_mm2. */
#ifndef ERG_AREA_H
#define ERG_AREA_H

#include <stdint.h>

#include "erg_error.h"
#include "erg_tech.h"

typedef struct erg_area {
    int64_t logic_transistors; /* stat -tech cmos of the logic (SRAM bit cells excluded) */
    int64_t sram_bits;
    double logic_mm2, sram_mm2, total_mm2;
} erg_area;

/* Reads the `total` row of a synth.sh area.csv and converts it with t's area figures:
 * logic_mm2 = logic transistors / (logic_mtr_per_mm2 · 1e6) / logic_utilization,
 * sram_mm2 = SRAM bits · sram_bit_um2 · 1e-6 / sram_array_efficiency. Errors name the file and
 * line (a wrong header, no total row, a malformed number) or the tech without area figures. */
int erg_area_from_synth(erg_area *a, const char *csv_path, const erg_tech *t, erg_error *err);

#endif
