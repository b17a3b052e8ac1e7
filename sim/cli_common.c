/* cli_common.c — option parsing and usage errors shared by the `erg` subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cli.h"

int usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "erg %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see: erg %s --help)\n", cmd);
    va_end(ap);
    return EXIT_BAD_INPUT;
}

int bad_input(const erg_error *e) {
    fprintf(stderr, "erg: %s\n", e->msg);
    return EXIT_BAD_INPUT;
}

/* ---- option parsing ---- */

static const char *const KNOWN_OPTS[] = {"--net",    "--chip",    "--tech",  "--backend",
                                         "--input",  "--dataset", "--limit", "--seed",
                                         "--format", "--out",     "--quiet", "--help"};

static int parse_ll(const char *cmd, const char *opt, const char *v, long long *out) {
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < 0)
        return usage_error(cmd, "%s expects a non-negative integer, found '%s'", opt, v);
    *out = x;
    return 0;
}

static int parse_volt(const char *cmd, const char *v, double *out) {
    char *end;
    double x = strtod(v, &end);
    if (end != v && (*end == 'V' || *end == 'v') && end[1] == 0) end++;
    if (end == v || *end || !(x > 0 && x < 10))
        return usage_error(cmd, "--volt expects a supply in volts such as 0.6, found '%s'", v);
    *out = x;
    return 0;
}

/* A clock: a bare number is MHz; units Hz, kHz, MHz, GHz may follow. */
static int parse_freq(const char *cmd, const char *v, double *out) {
    char *end;
    double x = strtod(v, &end), mult = 1e6;
    if (end != v && *end) {
        if (strcmp(end, "Hz") == 0)
            mult = 1;
        else if (strcmp(end, "kHz") == 0)
            mult = 1e3;
        else if (strcmp(end, "MHz") == 0)
            mult = 1e6;
        else if (strcmp(end, "GHz") == 0)
            mult = 1e9;
        else
            end = (char *)v;
    } else if (end != v) {
        end = (char *)v + strlen(v);
    }
    if (end == v || !(x > 0))
        return usage_error(cmd, "--freq expects a clock such as 25 (MHz) or 25MHz, found '%s'", v);
    *out = x * mult;
    return 0;
}

int parse_opts(const char *cmd, int argc, char **argv, int first, const char *allowed, opts *o) {
    memset(o, 0, sizeof *o);
    o->limit = -1;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->n_positional == 8) return usage_error(cmd, "too many arguments");
            o->positional[o->n_positional++] = a;
            continue;
        }
        char name[64];
        snprintf(name, sizeof name, "%s ", a);
        if (!strstr(allowed, name)) {
            int known = 0;
            for (size_t k = 0; k < sizeof KNOWN_OPTS / sizeof *KNOWN_OPTS; k++)
                known |= strcmp(a, KNOWN_OPTS[k]) == 0;
            if (known) return usage_error(cmd, "option %s does not apply to this command", a);
            char cands[16][32];
            const char *cp[16];
            int nc = 0;
            const char *p = allowed;
            while (*p && nc < 16) {
                const char *sp = strchr(p, ' ');
                snprintf(cands[nc], sizeof cands[nc], "%.*s", (int)(sp - p), p);
                cp[nc] = cands[nc];
                nc++;
                p = sp + 1;
            }
            const char *near = erg_nearest(a, cp, nc);
            if (near) return usage_error(cmd, "unknown option %s (did you mean %s?)", a, near);
            return usage_error(cmd, "unknown option %s", a);
        }
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        if (strcmp(a, "--peak") == 0) {
            o->peak = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0) continue;
        if (i + 1 >= argc) return usage_error(cmd, "%s needs a value", a);
        const char *v = argv[++i];
        if (strcmp(a, "--net") == 0)
            o->net = v;
        else if (strcmp(a, "--chip") == 0)
            o->chip = v;
        else if (strcmp(a, "--tech") == 0)
            o->tech = v;
        else if (strcmp(a, "--backend") == 0)
            o->backend = v;
        else if (strcmp(a, "--input") == 0)
            o->input = v;
        else if (strcmp(a, "--format") == 0)
            o->format = v;
        else if (strcmp(a, "--out") == 0)
            o->out = v;
        else if (strcmp(a, "--volt") == 0) {
            if (parse_volt(cmd, v, &o->volt)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--freq") == 0) {
            if (parse_freq(cmd, v, &o->freq_hz)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--limit") == 0) {
            if (parse_ll(cmd, a, v, &o->limit)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_ll(cmd, a, v, &o->seed)) return EXIT_BAD_INPUT;
            o->have_seed = 1;
        } else if (strcmp(a, "--dataset") == 0) {
            if (i + 1 >= argc)
                return usage_error(cmd, "--dataset needs two files: IMAGES LABELS (IDX)");
            o->images = v;
            o->labels = argv[++i];
        }
    }
    if (o->format && strcmp(o->format, "table") && strcmp(o->format, "csv") &&
        strcmp(o->format, "json"))
        return usage_error(cmd, "--format expects table, csv or json, found '%s'", o->format);
    return 0;
}

int wants_help(int argc, char **argv) {
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}
