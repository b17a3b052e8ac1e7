/* plot.c — gnuplot runs of plot.h. */
#include "plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int erg_plot_begin(erg_plot *pl, const char *png, erg_error *err) {
    memset(pl, 0, sizeof *pl);
    pl->png = png;
    snprintf(pl->dir, sizeof pl->dir, "/tmp/erg_plot_XXXXXX");
    if (!mkdtemp(pl->dir)) return erg_fail(err, "cannot create a temporary folder for the plot");
    snprintf(pl->tmp_png, sizeof pl->tmp_png, "%s.tmp.png", png);
    return 0;
}

FILE *erg_plot_file(erg_plot *pl, const char *name, const char **path) {
    if (pl->n_files == 8) return NULL;
    char *p = pl->files[pl->n_files];
    snprintf(p, sizeof pl->files[0], "%s/%s", pl->dir, name);
    FILE *f = fopen(p, "w");
    if (f) pl->n_files++;
    if (path) *path = p;
    return f;
}

int erg_plot_run(erg_plot *pl, const char *gp, erg_error *err) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>'%s/gnuplot.log'", gp, pl->dir);
    int st = system(cmd);
    int rc = 0;
    if (st != 0)
        rc = erg_fail(err,
                      "gnuplot failed (exit %d; is it installed? ./scripts/bootstrap.sh installs "
                      "gnuplot-nox)",
                      st);
    else if (rename(pl->tmp_png, pl->png))
        rc = erg_fail(err, "%s: cannot write: %s", pl->png, strerror(errno));
    if (rc) remove(pl->tmp_png);
    return rc;
}

void erg_plot_end(erg_plot *pl) {
    if (getenv("ERG_KEEP_PLOT")) return;
    for (int i = 0; i < pl->n_files; i++) remove(pl->files[i]);
    char log[96];
    snprintf(log, sizeof log, "%s/gnuplot.log", pl->dir);
    remove(log);
    rmdir(pl->dir);
}
