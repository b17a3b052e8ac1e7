/* outfile.h — result files written to a temporary name and renamed into place, so a failed
 * or interrupted run never leaves a half-written file behind. */
#ifndef ERG_OUTFILE_H
#define ERG_OUTFILE_H

#include <stdio.h>

#include "erg_error.h"

typedef struct erg_outfile {
    FILE *f;
    char path[4096];
    char tmp[4200];
} erg_outfile;

/* Opens `path` for writing through a temporary file in the same folder; a NULL path or "-"
 * writes to stdout. */
int erg_outfile_open(erg_outfile *o, const char *path, erg_error *err);
/* Flushes, closes and renames the temporary file over `path`. */
int erg_outfile_commit(erg_outfile *o, erg_error *err);
/* Closes and deletes the temporary file (on any error). */
void erg_outfile_abort(erg_outfile *o);

/* Writes s as a JSON string literal (quotes, escapes). */
void erg_json_str(FILE *f, const char *s);

#endif
