/* tech.h — loads a technology table (configs/tech/NAME.cfg) into an erg_tech (energy/erg_tech.h:
 * energy per action at a nominal voltage, leakage per area, and the scaling rules). */
#ifndef ERG_TECH_H
#define ERG_TECH_H

#include "erg_error.h"
#include "erg_tech.h"

/* Reads and validates the file: every error names the file, line and key. */
int erg_tech_load(erg_tech *t, const char *path, erg_error *err);

#endif
