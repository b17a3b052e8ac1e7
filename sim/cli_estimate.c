/* cli_estimate.c — `erg estimate`: the analytic energy of a network on a generic platform
 * (configs/platforms/NAME.cfg, docs/estimate.md), per layer and in total, split into arithmetic,
 * every memory level, clock and leakage; no cycle simulation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "net.h"
#include "outfile.h"
#include "platform.h"
#include "plot.h"
#include "qnn.h"
#include "report.h"

static const char ESTIMATE_HELP[] =
    "usage: erg estimate --net NET.cfg --platform PLATFORM.cfg [--volt V] [--format "
    "table|csv|json]\n"
    "                    [--out FILE] [--quiet]\n"
    "       erg estimate --qnn SPEC --platform PLATFORM.cfg [--net-out NET.cfg] [...]\n"
    "       erg estimate --sweep ACCURACY.csv --platform PLATFORM.cfg [--targets A,B,...]\n"
    "                    [--plot FILE.png] [--format table|csv|json] [--out FILE]\n"
    "\n"
    "Estimates the energy of one inference of the network on a generic platform without\n"
    "simulating it: arithmetic energy from the weight and activation bits of every layer, and\n"
    "for each level of the platform's memory hierarchy (registers, SRAM levels, DRAM) the bits\n"
    "the layer moves through it with the reuse the platform's array and dataflow achieve, times\n"
    "the level's energy per access from the tech table; plus clock and leakage over the\n"
    "estimated cycles. Any bit width 1, 2, 4, 8 or 16 (nets with weights = \"random\").\n"
    "The equations are in docs/estimate.md.\n"
    "\n"
    "--qnn SPEC estimates a member of the QNN family (3 blocks of nl 3x3 convs with nf filters\n"
    "and a max-pool, then a dense classifier, all at `bits`), e.g. bits=4,nl=2,nf=16:32:64;\n"
    "--net-out writes its net config. --sweep reads trained accuracies (a CSV with columns\n"
    "bits, nl, nf1, nf2, nf3, accuracy: scripts/train_qnn_fmnist.py), estimates every network,\n"
    "names the minimum-energy one per bit width and overall for each accuracy target\n"
    "(--targets, default 0.85,0.88,0.90) and plots energy vs accuracy per bit width (--plot).\n"
    "\n"
    "examples:\n"
    "  erg estimate --net configs/nets/fmnist_int8.cfg --platform configs/platforms/amac8.cfg\n"
    "  erg estimate --net configs/nets/binareye_cifar10_f256.cfg --platform "
    "configs/platforms/binareye.cfg --format json\n"
    "  erg estimate --qnn bits=2,nl=2,nf=32:64:128 --platform configs/platforms/generic28.cfg\n"
    "  erg estimate --sweep configs/qnn/fmnist_qnn.csv --platform configs/platforms/generic28.cfg "
    "--plot qnn.png\n";

/* energy in engineering units, as the run report prints it */
static void eng(FILE *f, double j) {
    char b[32];
    fprintf(f, " %10s", erg_report_si(j, "J", b, sizeof b));
}

static void table(FILE *f, const erg_est_platform *p, const erg_net *net, const erg_est_result *r,
                  const erg_est_result *t) {
    fprintf(f, "net %s on platform %s (estimate, no simulation): %s, %.3g V, %.4g MHz\n\n",
            net->name, p->name, p->tech.name, p->volt, p->freq_hz / 1e6);
    fprintf(f, "%-10s %14s %12s %10s %10s", "layer", "MACs", "cycles", "energy", "arith");
    for (int i = 0; i < p->n_levels; i++) fprintf(f, " %10s", p->levels[i].name);
    fprintf(f, " %10s %10s\n", "clock", "leak");
    for (int k = 0; k <= net->n_layers; k++) {
        const erg_est_result *x = k < net->n_layers ? &r[k] : t;
        if (k < net->n_layers && net->layers[k].type == ERG_L_FLATTEN) continue;
        fprintf(f, "%-10s %14.0f %12.0f", k < net->n_layers ? net->layers[k].name : "total",
                x->macs, x->cycles);
        eng(f, x->total);
        eng(f, x->arith);
        for (int i = 0; i < p->n_levels; i++) eng(f, x->level[i]);
        eng(f, x->clock);
        eng(f, x->leak);
        fputc('\n', f);
    }
    double ops = 2 * t->macs, secs = t->cycles / p->freq_hz;
    fprintf(f, "\n%.4g uJ/frame, %.4g frames/s, %.4g TOPS/W (ops = 2 x MACs)\n", t->total * 1e6,
            secs > 0 ? 1 / secs : 0, t->total > 0 ? ops / t->total / 1e12 : 0);
}

static void csv(FILE *f, const erg_est_platform *p, const erg_net *net, const erg_est_result *r,
                const erg_est_result *t) {
    fprintf(f, "name,macs,cycles,energy_j,arith_j");
    for (int i = 0; i < p->n_levels; i++) fprintf(f, ",%s_j", p->levels[i].name);
    fprintf(f, ",clock_j,leak_j\n");
    for (int k = 0; k <= net->n_layers; k++) {
        const erg_est_result *x = k < net->n_layers ? &r[k] : t;
        fprintf(f, "%s,%.0f,%.0f,%.6e,%.6e", k < net->n_layers ? net->layers[k].name : "total",
                x->macs, x->cycles, x->total, x->arith);
        for (int i = 0; i < p->n_levels; i++) fprintf(f, ",%.6e", x->level[i]);
        fprintf(f, ",%.6e,%.6e\n", x->clock, x->leak);
    }
}

static void json_layer(FILE *f, const erg_est_platform *p, const char *name,
                       const erg_est_result *x) {
    fprintf(f, "{\"name\": ");
    erg_json_str(f, name);
    fprintf(f,
            ", \"macs\": %.0f, \"cycles\": %.0f, \"energy_j\": %.6e, \"energy\": {\"arith\": %.6e",
            x->macs, x->cycles, x->total, x->arith);
    for (int i = 0; i < p->n_levels; i++) {
        fprintf(f, ", ");
        erg_json_str(f, p->levels[i].name);
        fprintf(f, ": %.6e", x->level[i]);
    }
    fprintf(f, ", \"clock\": %.6e, \"leak\": %.6e}}", x->clock, x->leak);
}

static void json(FILE *f, const erg_est_platform *p, const erg_net *net, const erg_est_result *r,
                 const erg_est_result *t) {
    fprintf(f, "{\"schema_version\": 1, \"kind\": \"estimate\", \"net\": ");
    erg_json_str(f, net->name);
    fprintf(f, ", \"platform\": ");
    erg_json_str(f, p->name);
    fprintf(f, ", \"tech\": ");
    erg_json_str(f, p->tech.name);
    fprintf(f, ", \"voltage_v\": %g, \"freq_hz\": %g,\n \"layers\": [", p->volt, p->freq_hz);
    for (int k = 0; k < net->n_layers; k++) {
        fprintf(f, "%s\n  ", k ? "," : "");
        json_layer(f, p, net->layers[k].name, &r[k]);
    }
    double secs = t->cycles / p->freq_hz;
    fprintf(f, "],\n \"total\": ");
    json_layer(f, p, "total", t);
    fprintf(f, ",\n \"uj_per_frame\": %.6g, \"fps\": %.6g, \"tops_per_w\": %.6g}\n", t->total * 1e6,
            secs > 0 ? 1 / secs : 0, t->total > 0 ? 2 * t->macs / t->total / 1e12 : 0);
}

/* ---- --sweep: trained accuracies x estimated energy ---- */

typedef struct sweep_row {
    erg_qnn_spec q;
    double accuracy, energy_j, macs;
    char name[96];
} sweep_row;

#define SWEEP_MAX 512

/* Reads the CSV: a header naming the columns (bits, nl or nl1..nl3, nf1..nf3, accuracy; other
 * columns are ignored), then one network per line. */
static int read_sweep(const char *path, sweep_row *rows, int *n, erg_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) return erg_fail(err, "%s: cannot open: No such file or directory", path);
    char line[1024];
    int col_bits = -1, col_acc = -1, col_nl[3] = {-1, -1, -1}, col_nf[3] = {-1, -1, -1};
    int lineno = 0, rc = 0;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *fields[32];
        int nf = 0;
        for (char *t = strtok(line, ",\r\n"); t && nf < 32; t = strtok(NULL, ",\r\n"))
            fields[nf++] = t;
        if (col_bits < 0) { /* the header */
            for (int i = 0; i < nf; i++) {
                const char *h = fields[i];
                if (!strcmp(h, "bits")) col_bits = i;
                if (!strcmp(h, "accuracy")) col_acc = i;
                if (!strcmp(h, "nl")) col_nl[0] = col_nl[1] = col_nl[2] = i;
                for (int b = 0; b < 3; b++) {
                    char k[8];
                    snprintf(k, sizeof k, "nl%d", b + 1);
                    if (!strcmp(h, k)) col_nl[b] = i;
                    snprintf(k, sizeof k, "nf%d", b + 1);
                    if (!strcmp(h, k)) col_nf[b] = i;
                }
            }
            if (col_bits < 0 || col_acc < 0 || col_nl[0] < 0 || col_nl[1] < 0 || col_nl[2] < 0 ||
                col_nf[0] < 0 || col_nf[1] < 0 || col_nf[2] < 0) {
                rc = erg_fail(err,
                              "%s:%d: the header must name the columns bits, nl (or nl1, nl2, "
                              "nl3), nf1, nf2, nf3 and accuracy",
                              path, lineno);
                break;
            }
            continue;
        }
        if (*n == SWEEP_MAX) {
            rc = erg_fail(err, "%s:%d: more than %d networks", path, lineno, SWEEP_MAX);
            break;
        }
        int need = col_bits;
        for (int b = 0; b < 3; b++) {
            if (col_nl[b] > need) need = col_nl[b];
            if (col_nf[b] > need) need = col_nf[b];
        }
        if (col_acc > need) need = col_acc;
        if (nf <= need) {
            rc = erg_fail(err, "%s:%d: %d fields, the header has more", path, lineno, nf);
            break;
        }
        char spec[256];
        snprintf(spec, sizeof spec, "bits=%s,nl=%s:%s:%s,nf=%s:%s:%s", fields[col_bits],
                 fields[col_nl[0]], fields[col_nl[1]], fields[col_nl[2]], fields[col_nf[0]],
                 fields[col_nf[1]], fields[col_nf[2]]);
        sweep_row *r = &rows[*n];
        erg_error e;
        if (erg_qnn_parse(spec, &r->q, &e)) {
            rc = erg_fail(err, "%s:%d: %s", path, lineno, e.msg);
            break;
        }
        char *end;
        r->accuracy = strtod(fields[col_acc], &end);
        if (end == fields[col_acc] || r->accuracy < 0 || r->accuracy > 1) {
            rc = erg_fail(err, "%s:%d: accuracy '%s': expected a fraction 0 ... 1", path, lineno,
                          fields[col_acc]);
            break;
        }
        erg_qnn_name(&r->q, r->name, sizeof r->name);
        (*n)++;
    }
    fclose(f);
    if (!rc && col_bits < 0) rc = erg_fail(err, "%s: empty (no header)", path);
    if (!rc && *n == 0) rc = erg_fail(err, "%s: no networks after the header", path);
    return rc;
}

static int estimate_spec(const erg_est_platform *p, sweep_row *r, erg_error *err) {
    erg_net net;
    if (erg_qnn_load(&net, &r->q, err)) return -1;
    erg_est_result *lr = calloc((size_t)net.n_layers, sizeof *lr), t;
    int rc = lr ? erg_platform_estimate(p, &net, lr, &t, err) : erg_fail(err, "out of memory");
    if (!rc) r->energy_j = t.total, r->macs = t.macs;
    free(lr);
    erg_net_free(&net);
    return rc;
}

/* The cheapest row reaching `target` among the rows of `bits` (0 = any); -1 if none does. */
static int cheapest(const sweep_row *r, int n, double target, int bits) {
    int best = -1;
    for (int i = 0; i < n; i++)
        if (r[i].accuracy >= target && (!bits || r[i].q.bits == bits) &&
            (best < 0 || r[i].energy_j < r[best].energy_j))
            best = i;
    return best;
}

static const int BITS[] = {1, 2, 4, 8, 16};

static void sweep_report(FILE *f, const char *fmt, const erg_est_platform *p, const sweep_row *r,
                         int n, const double *tg, int nt) {
    int json = fmt && !strcmp(fmt, "json"), csvf = fmt && !strcmp(fmt, "csv");
    if (csvf) {
        fprintf(f, "name,bits,nl1,nl2,nl3,nf1,nf2,nf3,accuracy,macs,energy_j\n");
        for (int i = 0; i < n; i++)
            fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%d,%.4f,%.0f,%.6e\n", r[i].name, r[i].q.bits,
                    r[i].q.nl[0], r[i].q.nl[1], r[i].q.nl[2], r[i].q.nf[0], r[i].q.nf[1],
                    r[i].q.nf[2], r[i].accuracy, r[i].macs, r[i].energy_j);
        return;
    }
    if (json) {
        fprintf(f, "{\"schema_version\": 1, \"kind\": \"estimate_sweep\", \"platform\": ");
        erg_json_str(f, p->name);
        fprintf(f, ",\n \"networks\": [");
        for (int i = 0; i < n; i++)
            fprintf(f,
                    "%s\n  {\"name\": \"%s\", \"bits\": %d, \"accuracy\": %.4f, \"macs\": %.0f, "
                    "\"energy_j\": %.6e}",
                    i ? "," : "", r[i].name, r[i].q.bits, r[i].accuracy, r[i].macs, r[i].energy_j);
        fprintf(f, "],\n \"targets\": [");
        for (int t = 0; t < nt; t++) {
            fprintf(f, "%s\n  {\"accuracy\": %.4f", t ? "," : "", tg[t]);
            for (int b = 0; b <= 5; b++) {
                int k = cheapest(r, n, tg[t], b < 5 ? BITS[b] : 0);
                if (b < 5)
                    fprintf(f, ", \"b%d\": ", BITS[b]);
                else
                    fprintf(f, ", \"best\": ");
                if (k < 0)
                    fprintf(f, "null");
                else
                    fprintf(f, "{\"name\": \"%s\", \"energy_j\": %.6e}", r[k].name, r[k].energy_j);
            }
            fprintf(f, "}");
        }
        fprintf(f, "]}\n");
        return;
    }
    fprintf(f, "QNN family on platform %s (estimate): %d networks\n\n", p->name, n);
    fprintf(f, "%-30s %5s %9s %14s %12s\n", "network", "bits", "accuracy", "MACs", "uJ/frame");
    for (int i = 0; i < n; i++)
        fprintf(f, "%-30s %5d %8.2f%% %14.0f %12.4g\n", r[i].name, r[i].q.bits, 100 * r[i].accuracy,
                r[i].macs, r[i].energy_j * 1e6);
    fprintf(f, "\nminimum energy per bit width at each accuracy target (uJ/frame; x = vs the "
               "best int8):\n");
    fprintf(f, "%-8s", "target");
    for (int b = 0; b < 5; b++) fprintf(f, " %16d-bit", BITS[b]);
    fprintf(f, "   minimum-energy network\n");
    for (int t = 0; t < nt; t++) {
        fprintf(f, "%6.2f%% ", 100 * tg[t]);
        int k8 = cheapest(r, n, tg[t], 8);
        for (int b = 0; b < 5; b++) {
            int k = cheapest(r, n, tg[t], BITS[b]);
            if (k < 0)
                fprintf(f, " %20s", "-");
            else if (k8 >= 0)
                fprintf(f, " %11.4g (%5.2fx)", r[k].energy_j * 1e6, r[k8].energy_j / r[k].energy_j);
            else
                fprintf(f, " %20.4g", r[k].energy_j * 1e6);
        }
        int kb = cheapest(r, n, tg[t], 0);
        fprintf(f, "   %s\n", kb < 0 ? "(no network reaches it)" : r[kb].name);
    }
}

/* Energy (log) vs accuracy, one series per bit width, each network a point. */
static int sweep_plot(const char *png, const erg_est_platform *p, const sweep_row *r, int n,
                      erg_error *err) {
    erg_plot pl;
    if (erg_plot_begin(&pl, png, err)) return -1;
    const char *dat[5], *gp;
    FILE *d[5];
    int rc = 0, any[5] = {0};
    for (int b = 0; b < 5; b++) {
        char nm[16];
        snprintf(nm, sizeof nm, "b%d.dat", BITS[b]);
        d[b] = erg_plot_file(&pl, nm, &dat[b]);
        if (!d[b]) rc = erg_fail(err, "cannot write the plot's temporary files");
    }
    FILE *g = erg_plot_file(&pl, "plot.gp", &gp);
    if (!g) rc = erg_fail(err, "cannot write the plot's temporary files");
    if (!rc) {
        for (int i = 0; i < n; i++)
            for (int b = 0; b < 5; b++)
                if (r[i].q.bits == BITS[b]) {
                    fprintf(d[b], "%g %g\n", 100 * r[i].accuracy, r[i].energy_j * 1e6);
                    any[b] = 1;
                }
        fprintf(g,
                "set terminal pngcairo size 1100,750 noenhanced\nset output '%s'\n"
                "set title 'QNN family: estimated energy vs accuracy per bit width (%s)'\n"
                "set xlabel 'test accuracy (%%)'\nset ylabel 'energy per frame (uJ)'\n"
                "set logscale y\nset grid\nset key top left\nplot ",
                pl.tmp_png, p->name);
        int first = 1;
        for (int b = 0; b < 5; b++)
            if (any[b]) {
                fprintf(g, "%s'%s' using 1:2 with points pt 7 ps 1.5 title '%d-bit'",
                        first ? "" : ", ", dat[b], BITS[b]);
                first = 0;
            }
        fprintf(g, "\n");
    }
    for (int b = 0; b < 5; b++)
        if (d[b]) fclose(d[b]);
    if (g) fclose(g);
    if (!rc) rc = erg_plot_run(&pl, gp, err);
    erg_plot_end(&pl);
    return rc;
}

static int parse_targets(const char *s, double *t, int *n, erg_error *err) {
    *n = 0;
    if (!s) {
        t[0] = 0.85, t[1] = 0.88, t[2] = 0.90;
        *n = 3;
        return 0;
    }
    const char *p = s;
    while (*p && *n < 16) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || v <= 0 || v > 1)
            return erg_fail(err, "--targets '%s': expected accuracies 0 ... 1 separated by commas",
                            s);
        t[(*n)++] = v;
        p = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return erg_fail(err, "--targets '%s': expected accuracies 0 ... 1 separated by commas",
                            s);
    }
    return 0;
}

static int run_sweep(const opts *o, const erg_est_platform *p) {
    erg_error e;
    double tg[16];
    int nt;
    if (parse_targets(o->targets, tg, &nt, &e)) return bad_input(&e);
    sweep_row *rows = calloc(SWEEP_MAX, sizeof *rows);
    int n = 0;
    if (!rows) {
        erg_fail(&e, "out of memory");
        return bad_input(&e);
    }
    int rc = read_sweep(o->sweep, rows, &n, &e);
    for (int i = 0; !rc && i < n; i++)
        if (estimate_spec(p, &rows[i], &e)) {
            erg_error_prefix(&e, rows[i].name);
            rc = -1;
        }
    erg_outfile of;
    if (!rc) rc = erg_outfile_open(&of, o->out, &e);
    if (!rc) {
        sweep_report(of.f, o->format, p, rows, n, tg, nt);
        rc = erg_outfile_commit(&of, &e);
    }
    if (!rc && o->plot) rc = sweep_plot(o->plot, p, rows, n, &e);
    free(rows);
    return rc ? bad_input(&e) : 0;
}

int cmd_estimate(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(ESTIMATE_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("estimate", argc, argv, 2,
                        "--net --platform --qnn --net-out --sweep --targets --plot --volt "
                        "--format --out --quiet --help ",
                        &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("estimate", "unexpected argument '%s'", o.positional[0]);
    if (!!o.net + !!o.qnn + !!o.sweep != 1)
        return usage_error("estimate", "expected one of --net NET.cfg, --qnn SPEC or --sweep CSV");
    if (!o.platform) return usage_error("estimate", "expected --platform PLATFORM.cfg");
    erg_error e;
    erg_est_platform p;
    if (erg_platform_load(&p, o.platform, &e)) return bad_input(&e);
    if (o.volt > 0) {
        p.volt = o.volt;
        if (erg_est_platform_init(&p, &e)) return bad_input(&e);
    }
    if (o.sweep) return run_sweep(&o, &p);
    erg_net net;
    if (o.qnn) {
        erg_qnn_spec q;
        if (erg_qnn_parse(o.qnn, &q, &e) || erg_qnn_load(&net, &q, &e)) return bad_input(&e);
        if (o.net_out) {
            erg_outfile nf;
            if (erg_outfile_open(&nf, o.net_out, &e)) {
                erg_net_free(&net);
                return bad_input(&e);
            }
            erg_qnn_write(nf.f, &q);
            if (erg_outfile_commit(&nf, &e)) {
                erg_net_free(&net);
                return bad_input(&e);
            }
        }
    } else if (erg_net_load_any_bits(&net, o.net, &e)) {
        return bad_input(&e);
    }
    erg_est_result *r = calloc((size_t)net.n_layers, sizeof *r), t;
    if (!r) {
        erg_net_free(&net);
        erg_fail(&e, "out of memory");
        return bad_input(&e);
    }
    if (erg_platform_estimate(&p, &net, r, &t, &e)) {
        erg_error_prefix(&e, o.net ? o.net : o.qnn);
        free(r);
        erg_net_free(&net);
        return bad_input(&e);
    }
    erg_outfile of;
    if (erg_outfile_open(&of, o.out, &e)) {
        free(r);
        erg_net_free(&net);
        return bad_input(&e);
    }
    if (o.format && strcmp(o.format, "csv") == 0)
        csv(of.f, &p, &net, r, &t);
    else if (o.format && strcmp(o.format, "json") == 0)
        json(of.f, &p, &net, r, &t);
    else
        table(of.f, &p, &net, r, &t);
    free(r);
    erg_net_free(&net);
    if (erg_outfile_commit(&of, &e)) return bad_input(&e);
    return 0;
}
