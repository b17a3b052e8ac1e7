/* outfile.c — temp-file-and-rename output. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int erg_outfile_open(erg_outfile *o, const char *path, erg_error *err) {
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) return erg_fail(err, "%s: cannot create: %s", path, strerror(errno));
    o->f = fdopen(fd, "w");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        return erg_fail(err, "%s: cannot write: %s", path, strerror(errno));
    }
    return 0;
}

int erg_outfile_commit(erg_outfile *o, erg_error *err) {
    if (o->f == stdout) return fflush(stdout) == 0 ? 0 : erg_fail(err, "cannot write stdout");
    int bad = ferror(o->f);
    bad |= fclose(o->f) != 0;
    o->f = NULL;
    if (bad || rename(o->tmp, o->path) != 0) {
        int e = errno;
        unlink(o->tmp);
        return erg_fail(err, "%s: cannot write: %s", o->path, strerror(e));
    }
    return 0;
}

void erg_outfile_abort(erg_outfile *o) {
    if (o->f && o->f != stdout) {
        fclose(o->f);
        unlink(o->tmp);
    }
    o->f = NULL;
}

void erg_json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}
