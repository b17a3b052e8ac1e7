/* erg_main.c — the `erg` command line: parses options, calls the library, prints results and
 * chooses the exit status (0 ok, 1 mismatch or failed check, 2 bad input or usage). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip.h"
#include "erg_array.h"
#include "cfg.h"
#include "erg_rng.h"
#include "golden_run.h"
#include "net.h"
#include "outfile.h"
#include "tech.h"
#include "weights.h"

#define EXIT_MISMATCH 1
#define EXIT_BAD_INPUT 2

typedef struct opts {
    const char *net, *chip, *tech, *backend, *input, *images, *labels, *format, *out;
    long long limit, seed;
    int quiet, have_seed;
    const char *positional[8];
    int n_positional;
} opts;

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "erg %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see: erg %s --help)\n", cmd);
    va_end(ap);
    return EXIT_BAD_INPUT;
}

static int bad_input(const erg_error *e) {
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

/* Parses argv[first..] into o; `allowed` lists the options this command takes. */
static int parse_opts(const char *cmd, int argc, char **argv, int first, const char *allowed,
                      opts *o) {
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
        else if (strcmp(a, "--limit") == 0) {
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

static int wants_help(int argc, char **argv) {
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

/* ---- erg info ---- */

static const char INFO_HELP[] =
    "usage: erg info NET.cfg [--format table|csv|json] [--out FILE]\n"
    "\n"
    "Validates a network config and prints its layers: type, input and output shape, kernel,\n"
    "stride and padding, weight and activation bits, MACs and parameters, and the totals.\n"
    "\n"
    "example:\n"
    "  erg info configs/nets/binareye_cifar10_f64.cfg\n";

static void info_table(FILE *f, const erg_net *net) {
    char a[32], b[32];
    fprintf(f, "net %s (%s)\n", net->name, net->path);
    fprintf(f, "input %dx%dx%d uint8", net->input.h, net->input.w, net->input.c);
    if (net->encode == ERG_ENC_THERMOMETER)
        fprintf(f, ", thermometer-coded into %d binary planes", net->first.c);
    if (net->random_weights)
        fprintf(f, "; weights random (seed %llu)\n", (unsigned long long)net->seed);
    else
        fprintf(f, "; weights %s\n", net->weights_dir);
    fprintf(f, "\n%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14s %10s\n", "layer", "type",
            "input", "output", "kernel", "stride", "pad", "w/a", "act", "MACs", "params");
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        char k[16] = "-", s[8] = "-", p[8] = "-", wa[8] = "-", act[12] = "-";
        if (l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE) {
            snprintf(k, sizeof k, "%dx%d", l->conv.k_h, l->conv.k_w);
            snprintf(s, sizeof s, "%d", l->conv.stride);
            snprintf(p, sizeof p, "%s",
                     l->conv.pad_top + l->conv.pad_bottom + l->conv.pad_left + l->conv.pad_right
                         ? "same"
                         : "valid");
        } else if (l->type == ERG_L_MAXPOOL || l->type == ERG_L_AVGPOOL) {
            snprintf(k, sizeof k, "%dx%d", l->pool.size, l->pool.size);
            snprintf(s, sizeof s, "%d", l->pool.stride);
        }
        if (l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE) {
            snprintf(wa, sizeof wa, "%d/%d", l->weight_bits, l->act_bits);
            snprintf(act, sizeof act, "%s", erg_act_name(l->act));
        }
        fprintf(f, "%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14lld %10lld\n", l->name,
                erg_layer_type_name(l->type), erg_shape_str(l->in, a, sizeof a),
                erg_shape_str(l->out, b, sizeof b), k, s, p, wa, act, (long long)l->macs,
                (long long)l->params);
    }
    fprintf(f, "%-10s %-9s %-12s %-12s %-7s %-6s %-5s %-5s %-8s %14lld %10lld\n", "total", "", "",
            "", "", "", "", "", "", (long long)net->macs, (long long)net->params);
    fprintf(f, "\n%.4g G MAC/frame (%.4g G ops, ops = 2 x MACs), %.4g M parameters\n",
            (double)net->macs / 1e9, 2.0 * (double)net->macs / 1e9, (double)net->params / 1e6);
}

static void info_csv(FILE *f, const erg_net *net) {
    fprintf(f, "name,type,in_h,in_w,in_c,out_h,out_w,out_c,weight_bits,act_bits,activation,"
               "macs,params\n");
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        int has_w = l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE;
        fprintf(f, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%s,%lld,%lld\n", l->name,
                erg_layer_type_name(l->type), l->in.h, l->in.w, l->in.c, l->out.h, l->out.w,
                l->out.c, l->weight_bits, l->act_bits, has_w ? erg_act_name(l->act) : "",
                (long long)l->macs, (long long)l->params);
    }
    fprintf(f, "total,,,,,,,,,,,%lld,%lld\n", (long long)net->macs, (long long)net->params);
}

static void json_str(FILE *f, const char *s) {
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

static void info_json(FILE *f, const erg_net *net) {
    fprintf(f, "{\"schema_version\": 1, \"net\": ");
    json_str(f, net->name);
    fprintf(f, ", \"input\": [%d, %d, %d], \"layers\": [", net->input.h, net->input.w,
            net->input.c);
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        json_str(f, l->name);
        fprintf(f,
                ", \"type\": \"%s\", \"input\": [%d, %d, %d], \"output\": [%d, %d, %d], "
                "\"weight_bits\": %d, \"act_bits\": %d, \"macs\": %lld, \"params\": %lld}",
                erg_layer_type_name(l->type), l->in.h, l->in.w, l->in.c, l->out.h, l->out.w,
                l->out.c, l->weight_bits, l->act_bits, (long long)l->macs, (long long)l->params);
    }
    fprintf(f, "],\n \"total\": {\"macs\": %lld, \"ops\": %lld, \"params\": %lld}}\n",
            (long long)net->macs, 2 * (long long)net->macs, (long long)net->params);
}

static int cmd_info(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(INFO_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("info", argc, argv, 2, "--net --format --out --help ", &o);
    if (rc) return rc;
    const char *path = o.net;
    if (o.n_positional > 1 || (o.n_positional == 1 && o.net))
        return usage_error("info", "expected one network config");
    if (o.n_positional == 1) path = o.positional[0];
    if (!path) return usage_error("info", "expected a network config: erg info NET.cfg");
    erg_net net;
    erg_error e;
    if (erg_net_load(&net, path, &e)) return bad_input(&e);
    erg_outfile of;
    if (erg_outfile_open(&of, o.out, &e)) {
        erg_net_free(&net);
        return bad_input(&e);
    }
    if (o.format && strcmp(o.format, "csv") == 0)
        info_csv(of.f, &net);
    else if (o.format && strcmp(o.format, "json") == 0)
        info_json(of.f, &net);
    else
        info_table(of.f, &net);
    erg_net_free(&net);
    if (erg_outfile_commit(&of, &e)) return bad_input(&e);
    return 0;
}

/* ---- erg check ---- */

static const char CHECK_HELP[] =
    "usage: erg check [--net NET.cfg] [--chip CHIP.cfg] [--tech TECH.cfg]\n"
    "\n"
    "Validates config files (schema, value ranges, layer shapes, weight files) and prints\n"
    "\"ok\" for each, or the first problem with its file, line and key.\n"
    "\n"
    "example:\n"
    "  erg check --net configs/nets/fmnist_bnn.cfg --chip configs/chips/binareye.cfg\n";

static int cmd_check(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(CHECK_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("check", argc, argv, 2, "--net --chip --tech --quiet --help ", &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("check", "name each file with --net, --chip or --tech");
    if (!o.net && !o.chip && !o.tech) return usage_error("check", "nothing to check");
    erg_error e;
    if (o.net) {
        erg_net net;
        erg_weights wt;
        if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
        if (erg_weights_load(&wt, &net, &e)) {
            erg_net_free(&net);
            return bad_input(&e);
        }
        if (!o.quiet)
            printf("%s: ok (net '%s', %d layers, %s weights)\n", o.net, net.name, net.n_layers,
                   net.random_weights ? "random" : "trained");
        erg_weights_free(&wt);
        erg_net_free(&net);
    }
    if (o.chip) {
        erg_chip chip;
        if (erg_chip_load(&chip, o.chip, &e)) return bad_input(&e);
        if (!o.quiet)
            printf("%s: ok (chip '%s', %d unit%s, %d operating points)\n", o.chip, chip.name,
                   chip.n_units, chip.n_units == 1 ? "" : "s", chip.n_ops);
    }
    if (o.tech) {
        erg_tech t;
        if (erg_tech_load(&t, o.tech, &e)) return bad_input(&e);
        if (!o.quiet) printf("%s: ok (tech '%s', %d nm, %g V)\n", o.tech, t.name, t.node_nm, t.vdd);
    }
    return 0;
}

/* ---- erg run ---- */

static const char RUN_HELP[] =
    "usage: erg run --net NET.cfg [--backend golden]\n"
    "               [--input X.npy | --input random | --dataset IMAGES LABELS]\n"
    "               [--limit N] [--seed N] [--format table|csv|json] [--out FILE] [--quiet]\n"
    "\n"
    "Runs a network on one or more images and prints the predicted class, or with a labelled\n"
    "data set (IDX files, gzip or not) the accuracy.\n"
    "  --backend golden  the reference kernels of models/golden (the only backend so far)\n"
    "  --input X.npy     uint8 image(s): [H,W,C], [H,W] (one channel) or a batch [N,H,W(,C)]\n"
    "  --input random    one random image drawn from --seed (default 1)\n"
    "  --dataset I L     IDX images [N,H,W] or [N,H,W,C] and IDX labels [N]\n"
    "  --limit N         only the first N images\n"
    "\n"
    "examples:\n"
    "  erg run --net configs/nets/fmnist_bnn.cfg --dataset \\\n"
    "      /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \\\n"
    "      /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz\n"
    "  erg run --net configs/nets/binareye_cifar10_f64.cfg --input random --seed 7\n";

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

static void progress(int quiet, long long done, long long total, long long correct, int labelled) {
    if (quiet || !isatty(2) || total < 200) return;
    if (done % 100 && done != total) return;
    if (labelled)
        fprintf(stderr, "\r  %lld/%lld images, %.2f %% correct so far", done, total,
                100.0 * (double)correct / (double)(done ? done : 1));
    else
        fprintf(stderr, "\r  %lld/%lld images", done, total);
    if (done == total) fputc('\n', stderr);
}

static int cmd_run(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(RUN_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("run", argc, argv, 2,
                        "--net --backend --input --dataset --limit --seed --format --out --quiet "
                        "--help ",
                        &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("run", "unexpected argument '%s'", o.positional[0]);
    if (!o.net) return usage_error("run", "--net NET.cfg is required");
    const char *backend = o.backend ? o.backend : "golden";
    if (strcmp(backend, "golden") != 0) {
        static const char *const backends[] = {"golden"};
        const char *near = erg_nearest(backend, backends, 1);
        return usage_error("run", "unknown backend '%s'%s%s%s; this build has: golden", backend,
                           near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    if (o.input && o.images) return usage_error("run", "give --input or --dataset, not both");

    erg_error e;
    erg_net net;
    erg_weights wt;
    erg_golden_runner gr;
    erg_array img = {0}, lab = {0};
    if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
    rc = EXIT_BAD_INPUT;
    int have_wt = 0, have_gr = 0;
    if (erg_weights_load(&wt, &net, &e)) goto fail;
    have_wt = 1;
    long long n = 1;
    size_t img_bytes = (size_t)erg_shape_count(net.input);
    if (o.images) {
        if (erg_idx_read(o.images, &img, &e) || erg_idx_read(o.labels, &lab, &e)) goto fail;
        if ((n = count_images(&img, &net, o.images, &e)) < 0) goto fail;
        if (lab.ndim != 1 || (lab.dtype != ERG_U8 && lab.dtype != ERG_I8)) {
            char s[64];
            erg_fail(&e, "%s: expected labels as a uint8 vector [N], found %s %s", o.labels,
                     erg_dtype_name(lab.dtype), erg_array_shape_str(&lab, s, sizeof s));
            goto fail;
        }
        if ((long long)lab.count != n) {
            erg_fail(&e, "%s has %zu labels but %s has %lld images", o.labels, lab.count, o.images,
                     n);
            goto fail;
        }
    } else if (o.input && strcmp(o.input, "random") != 0) {
        if (erg_npy_read(o.input, &img, &e)) goto fail;
        if ((n = count_images(&img, &net, o.input, &e)) < 0) goto fail;
    } else {
        int64_t shape[3] = {net.input.h, net.input.w, net.input.c};
        if (erg_array_alloc(&img, ERG_U8, 3, shape, &e)) goto fail;
        erg_rng r;
        erg_rng_seed(&r, o.have_seed ? (uint64_t)o.seed : 1);
        for (size_t k = 0; k < img.count; k++)
            ((uint8_t *)img.data)[k] = (uint8_t)erg_rng_range(&r, 0, 255);
    }
    if (n == 0) {
        erg_fail(&e, "no images to run");
        goto fail;
    }
    if (o.limit >= 0 && o.limit < n) n = o.limit;
    if (erg_golden_runner_init(&gr, &net, &wt, &e)) goto fail;
    have_gr = 1;

    erg_outfile of;
    if (erg_outfile_open(&of, o.out, &e)) goto fail;
    const char *fmt = o.format ? o.format : "table";
    int labelled = lab.data != NULL;
    long long correct = 0;
    int first_class = -1;
    int64_t *first_scores = malloc((size_t)gr.n_scores * sizeof *first_scores);
    if (!first_scores) {
        erg_outfile_abort(&of);
        erg_fail(&e, "out of memory");
        goto fail;
    }
    if (!labelled && strcmp(fmt, "csv") == 0) fprintf(of.f, "frame,class\n");
    for (long long k = 0; k < n; k++) {
        int cls = erg_golden_runner_run(&gr, (const uint8_t *)img.data + (size_t)k * img_bytes);
        if (k == 0) {
            first_class = cls;
            memcpy(first_scores, gr.scores, (size_t)gr.n_scores * sizeof *first_scores);
        }
        if (labelled)
            correct += cls == ((const uint8_t *)lab.data)[k];
        else if (strcmp(fmt, "table") == 0)
            fprintf(of.f, "frame %lld: class %d\n", k, cls);
        else if (strcmp(fmt, "csv") == 0)
            fprintf(of.f, "%lld,%d\n", k, cls);
        progress(o.quiet, k + 1, n, correct, labelled);
    }
    if (strcmp(fmt, "json") == 0) {
        fprintf(of.f, "{\"schema_version\": 1, \"net\": ");
        json_str(of.f, net.name);
        fprintf(of.f,
                ", \"backend\": \"golden\", \"frames\": %lld,\n \"outputs\": {\"class\": %d, "
                "\"scores\": [",
                n, first_class);
        for (int c = 0; c < gr.n_scores; c++)
            fprintf(of.f, "%s%lld", c ? ", " : "", (long long)first_scores[c]);
        fprintf(of.f, "]}");
        if (labelled)
            fprintf(of.f, ",\n \"accuracy\": %.6f, \"correct\": %lld", (double)correct / (double)n,
                    correct);
        fprintf(of.f, "}\n");
    } else if (labelled && strcmp(fmt, "csv") == 0) {
        fprintf(of.f, "net,backend,frames,correct,accuracy\n%s,golden,%lld,%lld,%.6f\n", net.name,
                n, correct, (double)correct / (double)n);
    } else if (labelled) {
        fprintf(of.f, "net %s, backend golden: accuracy %.2f %% (%lld / %lld correct)\n", net.name,
                100.0 * (double)correct / (double)n, correct, n);
    } else if (strcmp(fmt, "table") == 0 && n == 1) {
        fprintf(of.f, "scores:");
        for (int c = 0; c < gr.n_scores; c++) fprintf(of.f, " %lld", (long long)first_scores[c]);
        fprintf(of.f, "\n");
    }
    free(first_scores);
    if (erg_outfile_commit(&of, &e)) goto fail;
    rc = 0;
fail:
    if (rc) fprintf(stderr, "erg: %s\n", e.msg);
    if (have_gr) erg_golden_runner_free(&gr);
    if (have_wt) erg_weights_free(&wt);
    erg_array_free(&img);
    erg_array_free(&lab);
    erg_net_free(&net);
    return rc;
}

/* ---- dispatch ---- */

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command COMMANDS[] = {
    {"info", cmd_info, "print a network's layers, shapes, MACs and parameters"},
    {"run", cmd_run, "run a network on images or a labelled data set"},
    {"check", cmd_check, "validate net, chip and tech configs"},
};
#define N_COMMANDS (int)(sizeof COMMANDS / sizeof COMMANDS[0])

static void main_help(FILE *f) {
    fprintf(f, "erg — accelerator co-design environment\n\nusage: erg <command> [options]\n\n"
               "commands:\n");
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\n`erg <command> --help` shows a command's options with an example.\n"
               "Exit status: 0 ok, 1 mismatch or failed check, 2 bad input or usage.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        main_help(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        main_help(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("erg 0.1.0\n");
        return 0;
    }
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0) return COMMANDS[i].fn(argc, argv);
    const char *names[N_COMMANDS];
    for (int i = 0; i < N_COMMANDS; i++) names[i] = COMMANDS[i].name;
    const char *near = erg_nearest(cmd, names, N_COMMANDS);
    fprintf(stderr, "erg: unknown command '%s'", cmd);
    if (near) fprintf(stderr, " (did you mean '%s'?)", near);
    fprintf(stderr, "\n");
    main_help(stderr);
    return EXIT_BAD_INPUT;
}
