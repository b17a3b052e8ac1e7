/* plot.h — PNG plots through gnuplot: a temporary folder for the data and the script, gnuplot
 * run on it, the PNG written under a temporary name and renamed into place (nothing half-written
 * is left behind), the folder removed afterwards (kept with ERG_KEEP_PLOT set, for debugging). */
#ifndef ERG_PLOT_H
#define ERG_PLOT_H

#include <stdio.h>

#include "erg_error.h"

typedef struct erg_plot {
    const char *png;    /* the result */
    char dir[64];       /* the temporary folder */
    char tmp_png[4200]; /* what gnuplot writes: png + ".tmp.png" */
    char files[8][96];  /* what erg_plot_file opened (removed by erg_plot_end) */
    int n_files;
} erg_plot;

int erg_plot_begin(erg_plot *pl, const char *png, erg_error *err);
/* Opens dir/NAME for writing; its path in pl->files[...] (returned in *path). NULL on failure. */
FILE *erg_plot_file(erg_plot *pl, const char *name, const char **path);
/* Runs gnuplot on the script at `gp` (one of the files); renames the PNG into place. */
int erg_plot_run(erg_plot *pl, const char *gp, erg_error *err);
void erg_plot_end(erg_plot *pl);

#endif
