/* cli_common.c — option parsing and usage errors shared by the `erg` subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "area.h"
#include "cfg.h"
#include "chip.h"
#include "cli.h"
#include "erg_array.h"
#include "erg_rng.h"
#include "net.h"
#include "tech.h"

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
    o->random = -1;
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
        if (strcmp(a, "--no-synth") == 0) {
            o->no_synth = 1;
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
        else if (strcmp(a, "--trace") == 0)
            o->trace = v;
        else if (strcmp(a, "--area") == 0)
            o->area = v;
        else if (strcmp(a, "--mul") == 0)
            o->mul = v;
        else if (strcmp(a, "--layer") == 0)
            o->layer = v;
        else if (strcmp(a, "--dataflow") == 0)
            o->dataflow = v;
        else if (strcmp(a, "--work") == 0)
            o->work = v;
        else if (strcmp(a, "--plot") == 0)
            o->plot = v;
        else if (strcmp(a, "--platform") == 0)
            o->platform = v;
        else if (strcmp(a, "--sweep") == 0)
            o->sweep = v;
        else if (strcmp(a, "--qnn") == 0)
            o->qnn = v;
        else if (strcmp(a, "--net-out") == 0)
            o->net_out = v;
        else if (strcmp(a, "--targets") == 0)
            o->targets = v;
        else if (strcmp(a, "--shard") == 0)
            o->shard = v;
        else if (strcmp(a, "--objectives") == 0)
            o->objectives = v;
        else if (strcmp(a, "--op-point") == 0)
            o->op_point = v;
        else if (strcmp(a, "--concurrent") == 0)
            o->concurrent = v;
        else if (strcmp(a, "--ports") == 0)
            o->ports = v;
        else if (strcmp(a, "--save-tables") == 0)
            o->save_tables = v;
        else if (strcmp(a, "--jobs") == 0) {
            if (parse_ll(cmd, a, v, &o->jobs)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--volt") == 0) {
            if (parse_volt(cmd, v, &o->volt)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--freq") == 0) {
            if (parse_freq(cmd, v, &o->freq_hz)) return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--random") == 0) {
            if (parse_ll(cmd, a, v, &o->random)) return EXIT_BAD_INPUT;
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

/* Images of the net's input shape inside an array: returns how many, or -1 with a message. */
static long long count_images(const erg_array *a, const erg_net *net, const char *what,
                              erg_error *e) {
    char got[128];
    if (a->dtype != ERG_U8)
        return erg_fail(e, "%s: expected uint8 pixels, found %s", what, erg_dtype_name(a->dtype));
    int nd = a->ndim;
    const int64_t *s = a->shape;
    long long n = 1;
    if (nd >= 3 && s[nd - 3] == net->input.h && s[nd - 2] == net->input.w &&
        s[nd - 1] == net->input.c) {
        for (int d = 0; d < nd - 3; d++) n *= s[d];
        return n;
    }
    if (net->input.c == 1 && nd >= 2 && s[nd - 2] == net->input.h && s[nd - 1] == net->input.w) {
        for (int d = 0; d < nd - 2; d++) n *= s[d];
        return n;
    }
    return erg_fail(e, "%s: images of shape %s do not match the input %dx%dx%d of net '%s'", what,
                    erg_array_shape_str(a, got, sizeof got), net->input.h, net->input.w,
                    net->input.c, net->name);
}

/* The images to run: --dataset, --input FILE, or one random image. */
int load_images(const opts *o, const erg_net *net, erg_array *img, erg_array *lab, long long *n,
                erg_error *e) {
    *n = 1;
    if (o->images) {
        if (erg_idx_read(o->images, img, e) || erg_idx_read(o->labels, lab, e)) return -1;
        if ((*n = count_images(img, net, o->images, e)) < 0) return -1;
        if (lab->ndim != 1 || (lab->dtype != ERG_U8 && lab->dtype != ERG_I8)) {
            char s[64];
            return erg_fail(e, "%s: expected labels as a uint8 vector [N], found %s %s", o->labels,
                            erg_dtype_name(lab->dtype), erg_array_shape_str(lab, s, sizeof s));
        }
        if ((long long)lab->count != *n)
            return erg_fail(e, "%s has %zu labels but %s has %lld images", o->labels, lab->count,
                            o->images, *n);
    } else if (o->input && strcmp(o->input, "random") != 0) {
        if (erg_npy_read(o->input, img, e)) return -1;
        if ((*n = count_images(img, net, o->input, e)) < 0) return -1;
    } else {
        int64_t shape[3] = {net->input.h, net->input.w, net->input.c};
        if (erg_array_alloc(img, ERG_U8, 3, shape, e)) return -1;
        erg_rng r;
        erg_rng_seed(&r, o->have_seed ? (uint64_t)o->seed : 1);
        for (size_t k = 0; k < img->count; k++)
            ((uint8_t *)img->data)[k] = (uint8_t)erg_rng_range(&r, 0, 255);
    }
    if (*n == 0) return erg_fail(e, "no images to run");
    if (o->limit >= 0 && o->limit < *n) *n = o->limit;
    return 0;
}

int apply_area(const opts *o, erg_chip *chip, erg_error *e) {
    if (!o->area) return 0;
    char *end;
    double mm2 = strtod(o->area, &end);
    if (end != o->area && *end == '\0') {
        if (!(mm2 > 0) || mm2 > 1e4)
            return erg_fail(e,
                            "--area expects an area in mm^2 (0 .. 10000) or a synth.sh "
                            "area.csv, found '%s'",
                            o->area);
        chip->area_mm2 = mm2;
        snprintf(chip->area_source, sizeof chip->area_source, "--area");
        return 0;
    }
    erg_tech tech;
    erg_area a;
    if (erg_tech_load(&tech, o->tech ? o->tech : chip->tech, e) ||
        erg_area_from_synth(&a, o->area, &tech, e))
        return -1;
    chip->area_mm2 = a.total_mm2;
    snprintf(chip->area_source, sizeof chip->area_source,
             "synthesized: %s, logic %.3g + SRAM %.3g mm^2", o->area, a.logic_mm2, a.sram_mm2);
    return 0;
}

void erg_run_progress(int quiet, long long done, long long total, long long correct, int labelled) {
    if (quiet || !isatty(2) || total < 200) return;
    if (done % 100 && done != total) return;
    if (labelled)
        fprintf(stderr, "\r  %lld/%lld images, %.2f %% correct so far", done, total,
                100.0 * (double)correct / (double)(done ? done : 1));
    else
        fprintf(stderr, "\r  %lld/%lld images", done, total);
    if (done == total) fputc('\n', stderr);
}
