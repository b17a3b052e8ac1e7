/* cli_characterize.c — `erg characterize`: the multiplier library (or a user's multipliers)
 * measured: error metrics over all operand pairs and under a real layer's operands, the RTL
 * check, yosys cost and zero-delay switching energy relative to the exact multiplier, as a
 * table / CSV / JSON and an error-vs-energy Pareto plot (docs/amac.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "characterize.h"
#include "cli.h"
#include "erg_amul.h"
#include "erg_array.h"
#include "net.h"
#include "operands.h"
#include "outfile.h"
#include "plot.h"
#include "weights.h"

#ifndef ERG_RTL_AMAC_DIR
#define ERG_RTL_AMAC_DIR "rtl/amac"
#endif

static const char HELP[] =
    "usage: erg characterize [--mul NAME,...] [--net NET.cfg --layer NAME [--dataset I L |\n"
    "                        --input X.npy] [--limit N] [--dataflow os|ws|is]] [--no-synth]\n"
    "                        [--work DIR] [--jobs N] [--format table|csv|json] [--out FILE]\n"
    "                        [--plot FILE.png] [--quiet]\n"
    "\n"
    "Characterizes 8x8 unsigned multipliers M(A, B) (A = activation, B = |weight|): the\n"
    "EvoApprox error metrics over all 65,536 operand pairs (MAE%, WCE%, EP%, MRE%, WCRE%, MSE,\n"
    "bias, std); with --net and --layer the same under that layer's real operand distribution;\n"
    "for built-ins the exhaustive check of the Verilog (Verilator) against the C library; and,\n"
    "unless --no-synth, yosys synthesis (cells, transistors) and the zero-delay switching energy\n"
    "relative to the exact multiplier, from the gate-level netlist driven by the operand\n"
    "sequence of the layer's processing elements under --dataflow (default ws) or by random\n"
    "pairs (glitches are not modelled).\n"
    "  --mul LIST   built-in names (default: all 42), FILE.v or verilog:FILE.v:TOP (ports A, B,\n"
    "               O), or a 256x256 product table FILE.npy\n"
    "  --ports A,B,O  the port names of Verilog multipliers (default A,B,O)\n"
    "  --save-tables DIR  writes each multiplier's 256x256 product table as DIR/NAME.npy "
    "(uint16),\n"
    "               usable as `multiplier = \"DIR/NAME.npy\"` in a net config\n"
    "  --work DIR   keep the yosys scripts, logs and netlists there (default: a temporary\n"
    "               folder, removed)\n"
    "  --plot F.png error vs relative energy with the Pareto front (gnuplot)\n"
    "\n"
    "examples:\n"
    "  erg characterize --mul exact,trunc4,drum4 --no-synth\n"
    "  erg characterize --mul my_mul.v --ports X,Y,Z --save-tables tables/\n"
    "  erg characterize --net configs/nets/fmnist_int8.cfg --layer conv2 --dataset \\\n"
    "      tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz "
    "tests/data/fmnist/t10k-1000-labels-idx1-ubyte.gz \\\n"
    "      --limit 20 --plot pareto.png\n";

static double err_uniform(const erg_char_row *r) {
    return r->uni.mre_pct;
}
static double err_layer(const erg_char_row *r) {
    return r->layer.mre_pct;
}

static void print_table(FILE *f, const erg_char_row *r, int n, const char *layer) {
    fprintf(f, "%-12s %-8s %8s %8s %6s %8s %8s %9s %8s", "multiplier", "family", "MAE%", "WCE%",
            "EP%", "MRE%", "WCRE%", "bias", "std");
    if (r[0].has_layer)
        fprintf(f, " | %8s %9s %8s | %9s %9s", "L.MRE%", "L.bias", "L.std", "AGN pred", "meas.");
    int synth = 0;
    for (int i = 0; i < n; i++) synth |= r[i].has_synth;
    if (synth) fprintf(f, " | %6s %7s %6s", "cells", "trans.", "rel.E");
    fprintf(f, " | rtl\n");
    for (int i = 0; i < n; i++) {
        const erg_amul_metrics *u = &r[i].uni;
        fprintf(f, "%-12s %-8s %8.4f %8.4f %6.2f %8.4f %8.2f %9.2f %8.2f", r[i].src.name,
                r[i].family, u->mae_pct, u->wce_pct, u->ep_pct, u->mre_pct, u->wcre_pct, u->bias,
                u->std);
        if (r[i].has_layer)
            fprintf(f, " | %8.4f %9.2f %8.2f | %9.1f %9.1f", r[i].layer.mre_pct, r[i].layer.bias,
                    r[i].layer.std, r[i].agn_pred_std, r[i].agn_meas_std);
        if (synth) {
            if (r[i].has_synth)
                fprintf(f, " | %6d %7lld %6.3f", r[i].cells, (long long)r[i].transistors,
                        r[i].rel_energy);
            else
                fprintf(f, " | %6s %7s %6s", "-", "-", "-");
        }
        fprintf(f, " | %s\n", r[i].rtl == 1 ? "equal" : r[i].rtl == 0 ? "DIFFERS" : "-");
    }
    if (layer)
        fprintf(f,
                "\nL.*: under the operands of layer %s; MRE%% over pairs with a non-zero product\n",
                layer);
    if (synth)
        fprintf(f, "rel.E: zero-delay switching energy relative to exact (gate output toggles x "
                   "transistors), no glitches\n");
}

static void print_csv(FILE *f, const erg_char_row *r, int n) {
    fprintf(f, "multiplier,family,mae_pct,wce_pct,ep_pct,mre_pct,wcre_pct,mse,bias,std,"
               "layer_mae_pct,layer_mre_pct,layer_bias,layer_std,agn_pred_mean,agn_pred_std,"
               "agn_meas_mean,agn_meas_std,cells,transistors,rel_energy,rtl\n");
    for (int i = 0; i < n; i++) {
        const erg_amul_metrics *u = &r[i].uni, *l = &r[i].layer;
        fprintf(f, "%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,", r[i].src.name, r[i].family,
                u->mae_pct, u->wce_pct, u->ep_pct, u->mre_pct, u->wcre_pct, u->mse, u->bias,
                u->std);
        if (r[i].has_layer)
            fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,", l->mae_pct, l->mre_pct, l->bias,
                    l->std, r[i].agn_pred_mean, r[i].agn_pred_std, r[i].agn_meas_mean,
                    r[i].agn_meas_std);
        else
            fprintf(f, ",,,,,,,,");
        if (r[i].has_synth)
            fprintf(f, "%d,%lld,%.6g,", r[i].cells, (long long)r[i].transistors, r[i].rel_energy);
        else
            fprintf(f, ",,,");
        fprintf(f, "%s\n", r[i].rtl == 1 ? "equal" : r[i].rtl == 0 ? "differs" : "");
    }
}

static void json_metrics(FILE *f, const erg_amul_metrics *m) {
    fprintf(f,
            "{\"pairs\": %llu, \"mae\": %.9g, \"mae_pct\": %.9g, \"wce\": %u, \"wce_pct\": %.9g, "
            "\"ep_pct\": %.9g, \"mre_pct\": %.9g, \"wcre_pct\": %.9g, \"mse\": %.9g, \"bias\": "
            "%.9g, \"std\": %.9g}",
            (unsigned long long)m->pairs, m->mae, m->mae_pct, m->wce, m->wce_pct, m->ep_pct,
            m->mre_pct, m->wcre_pct, m->mse, m->bias, m->std);
}

static void print_json(FILE *f, const erg_char_row *r, int n, const char *layer) {
    fprintf(f, "{\"layer\": ");
    if (layer)
        erg_json_str(f, layer);
    else
        fprintf(f, "null");
    fprintf(f, ", \"multipliers\": [");
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        erg_json_str(f, r[i].src.name);
        fprintf(f, ", \"family\": ");
        erg_json_str(f, r[i].family);
        fprintf(f, ", \"uniform\": ");
        json_metrics(f, &r[i].uni);
        if (r[i].has_layer) {
            fprintf(f, ", \"layer\": ");
            json_metrics(f, &r[i].layer);
            fprintf(f,
                    ", \"agn\": {\"predicted_mean\": %.9g, \"predicted_std\": %.9g, "
                    "\"measured_mean\": %.9g, \"measured_std\": %.9g}",
                    r[i].agn_pred_mean, r[i].agn_pred_std, r[i].agn_meas_mean, r[i].agn_meas_std);
        }
        if (r[i].has_synth)
            fprintf(f, ", \"cells\": %d, \"transistors\": %lld, \"rel_energy\": %.9g", r[i].cells,
                    (long long)r[i].transistors, r[i].rel_energy);
        if (r[i].rtl >= 0) fprintf(f, ", \"rtl_equal\": %s", r[i].rtl ? "true" : "false");
        fprintf(f, "}");
    }
    fprintf(f, "\n]}\n");
}

/* gnuplot: error vs relative energy, every point labelled, the Pareto front as a line. */
static int plot(const char *png, const erg_char_row *r, int n, const char *layer, erg_error *err) {
    erg_plot pl;
    if (erg_plot_begin(&pl, png, err)) return -1;
    const char *dat, *front, *gp;
    double (*eo)(const erg_char_row *) = r[0].has_layer ? err_layer : err_uniform;
    int *idx = malloc((size_t)n * sizeof *idx);
    FILE *a = erg_plot_file(&pl, "all.dat", &dat), *b = erg_plot_file(&pl, "front.dat", &front),
         *g = erg_plot_file(&pl, "plot.gp", &gp);
    int rc = 0;
    if (!idx || !a || !b || !g) {
        rc = erg_fail(err, "cannot write the plot's temporary files");
    } else {
        for (int i = 0; i < n; i++)
            if (r[i].has_synth) fprintf(a, "%g %g %s\n", r[i].rel_energy, eo(&r[i]), r[i].src.name);
        int m = erg_char_pareto(r, n, eo, idx);
        for (int i = 0; i < m; i++) fprintf(b, "%g %g\n", r[idx[i]].rel_energy, eo(&r[idx[i]]));
        fprintf(g,
                "set terminal pngcairo size 1200,800 noenhanced\nset output '%s'\n"
                "set title 'erg characterize: error vs switching energy%s%s'\n"
                "set xlabel 'switching energy relative to exact (zero-delay)'\n"
                "set ylabel 'MRE %% (%s)'\nset logscale y\nset grid\nset key top right\n"
                "plot '%s' using 1:($2 > 0 ? $2 : 1e-4) with points pt 7 title 'multipliers', "
                "'' using 1:($2 > 0 ? $2 : 1e-4):3 with labels offset 0.8,0.5 font ',8' notitle, "
                "'%s' using 1:($2 > 0 ? $2 : 1e-4) with linespoints lw 2 title 'Pareto front'\n",
                pl.tmp_png, layer ? ", layer " : "", layer ? layer : "",
                layer ? "under the layer operands" : "all operand pairs", dat, front);
    }
    if (a) fclose(a);
    if (b) fclose(b);
    if (g) fclose(g);
    free(idx);
    if (!rc) rc = erg_plot_run(&pl, gp, err);
    erg_plot_end(&pl);
    return rc;
}

/* DIR/NAME.npy: each row's product table as uint16 [256, 256] (written atomically). */
static int save_tables(const char *dir, const erg_char_row *r, int n, erg_error *err) {
    if (mkdir(dir, 0777) && errno != EEXIST)
        return erg_fail(err, "%s: cannot create: %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s.npy", dir, r[i].src.name);
        erg_array a;
        int64_t shape[2] = {256, 256};
        if (erg_array_alloc(&a, ERG_U16, 2, shape, err)) return -1;
        memcpy(a.data, r[i].table, sizeof r[i].table);
        int rc = erg_npy_write(path, &a, err);
        erg_array_free(&a);
        if (rc) return -1;
    }
    return 0;
}

static int rm_tree(const char *dir) {
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

int cmd_characterize(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("characterize", argc, argv, 2,
                        "--mul --net --layer --input --dataset --limit --seed --dataflow "
                        "--no-synth --work --jobs --format --out --plot --ports --save-tables "
                        "--quiet --help ",
                        &o);
    if (rc) return rc;
    if (o.n_positional)
        return usage_error("characterize", "unexpected argument '%s'", o.positional[0]);
    if (!!o.net != !!o.layer) return usage_error("characterize", "--net and --layer go together");
    int df = o.dataflow ? erg_seq_df_parse(o.dataflow) : ERG_SEQ_WS;
    if (df < 0)
        return usage_error("characterize", "--dataflow expects os, ws or is, found '%s'",
                           o.dataflow);
    if (o.plot && o.no_synth)
        return usage_error("characterize", "--plot needs the switching energy: drop --no-synth");
    erg_error e;
    /* the multipliers */
    int cap = ERG_AMUL_COUNT + 64, n = 0;
    erg_char_row *rows = calloc((size_t)cap, sizeof *rows);
    if (!rows) return bad_input(&(erg_error){"out of memory"});
    rc = EXIT_BAD_INPUT;
    erg_operands *ops = NULL;
    erg_net net;
    erg_weights wt;
    erg_array img = {0}, lab = {0};
    int have_net = 0, have_wt = 0;
    char work[4096] = "";
    int tmp_work = 0;
    if (!o.mul) {
        for (int i = 0; i < ERG_AMUL_COUNT; i++)
            if (erg_mul_src_parse(&rows[n++].src, erg_amul_info_of(i)->name, &e)) goto fail;
    } else {
        char *list = strdup(o.mul);
        for (char *s = strtok(list, ","); s && n < cap - 1; s = strtok(NULL, ","))
            if (erg_mul_src_parse(&rows[n++].src, s, &e)) {
                free(list);
                goto fail;
            }
        free(list);
    }
    if (o.ports) {
        char pa[32], pb[32], po[32];
        if (sscanf(o.ports, "%31[^,],%31[^,],%31s", pa, pb, po) != 3) {
            free(rows);
            return usage_error("characterize", "--ports expects three names A,B,O, found '%s'",
                               o.ports);
        }
        for (int i = 0; i < n; i++) {
            snprintf(rows[i].src.pa, sizeof rows[i].src.pa, "%s", pa);
            snprintf(rows[i].src.pb, sizeof rows[i].src.pb, "%s", pb);
            snprintf(rows[i].src.po, sizeof rows[i].src.po, "%s", po);
        }
    }
    if (!o.no_synth) { /* the exact multiplier is the energy reference */
        int has_exact = 0;
        for (int i = 0; i < n; i++) has_exact |= rows[i].src.builtin == ERG_AMUL_ID_exact;
        if (!has_exact) {
            memmove(&rows[1], &rows[0], (size_t)n * sizeof *rows);
            memset(&rows[0], 0, sizeof *rows);
            if (erg_mul_src_parse(&rows[0].src, "exact", &e)) goto fail;
            n++;
        }
    }
    /* the layer */
    if (o.net) {
        if (erg_net_load(&net, o.net, &e)) goto fail;
        have_net = 1;
        if (erg_weights_load(&wt, &net, &e)) goto fail;
        have_wt = 1;
        int li = -1;
        for (int i = 0; i < net.n_layers; i++)
            if (strcmp(net.layers[i].name, o.layer) == 0) li = i;
        if (li < 0) {
            const char *names[256];
            int nn = net.n_layers < 256 ? net.n_layers : 256;
            for (int i = 0; i < nn; i++) names[i] = net.layers[i].name;
            const char *near = erg_nearest(o.layer, names, nn);
            erg_fail(&e, "%s: no layer '%s'%s%s%s", o.net, o.layer, near ? " (did you mean '" : "",
                     near ? near : "", near ? "'?)" : "");
            goto fail;
        }
        long long ni;
        if (load_images(&o, &net, &img, &lab, &ni, &e)) goto fail;
        ops = erg_operands_new();
        if (!ops ||
            erg_operands_collect(ops, &net, &wt, li, img.data, ni, (erg_seq_df)df, 1u << 20, &e))
            goto fail;
    }
    if (!o.no_synth) {
        if (o.work) {
            snprintf(work, sizeof work, "%s", o.work);
        } else {
            char t[] = "/tmp/erg_characterize_XXXXXX";
            if (!mkdtemp(t)) {
                erg_fail(&e, "cannot create a temporary folder");
                goto fail;
            }
            snprintf(work, sizeof work, "%s", t);
            tmp_work = 1;
        }
    }
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    erg_char_opts co = {work[0] ? work : NULL, ERG_RTL_AMAC_DIR, ops,
                        o.jobs > 0 ? (int)o.jobs : (int)(nproc > 0 ? nproc : 1), o.quiet};
    if (erg_characterize(rows, n, &co, &e)) goto fail;
    erg_outfile of;
    if (erg_outfile_open(&of, o.out, &e)) goto fail;
    if (!o.format || strcmp(o.format, "table") == 0)
        print_table(of.f, rows, n, o.layer);
    else if (strcmp(o.format, "csv") == 0)
        print_csv(of.f, rows, n);
    else
        print_json(of.f, rows, n, o.layer);
    if (erg_outfile_commit(&of, &e)) goto fail;
    if (o.plot && plot(o.plot, rows, n, o.layer, &e)) goto fail;
    if (o.save_tables && save_tables(o.save_tables, rows, n, &e)) goto fail;
    rc = 0;
    for (int i = 0; i < n; i++)
        if (rows[i].rtl == 0) {
            fprintf(stderr, "erg characterize: %s: RTL and C differ at %d x %d\n", rows[i].src.name,
                    rows[i].rtl_a, rows[i].rtl_b);
            rc = EXIT_MISMATCH;
        }
    goto out;
fail:
    bad_input(&e);
    if (tmp_work && strstr(e.msg, "(log: ")) { /* keep the logs the message points to */
        fprintf(stderr, "erg: the yosys scripts and logs are kept in %s\n", work);
        tmp_work = 0;
    }
out:
    if (tmp_work) rm_tree(work);
    erg_operands_free(ops);
    erg_array_free(&img);
    erg_array_free(&lab);
    if (have_wt) erg_weights_free(&wt);
    if (have_net) erg_net_free(&net);
    free(rows);
    return rc;
}
