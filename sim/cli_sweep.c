/* cli_sweep.c — `erg sweep`: runs a design-space sweep (sweep.h, docs/sweep.md) into a JSON-lines
 * file, one shard or all of it, resumable; prints and plots the Pareto front once every point is
 * in the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "plot.h"
#include "sweep.h"

static const char SWEEP_HELP[] =
    "usage: erg sweep SWEEP.cfg --out RESULTS.jsonl [--shard I/N] [--plot FRONT.png]\n"
    "                 [--objectives A,B] [--format table|csv|json] [--quiet]\n"
    "\n"
    "Evaluates every point of a design-space sweep (the product of its parameters' values x its\n"
    "networks) with the analytic estimator (evaluator = \"estimate\": a platform) or the C model\n"
    "(\"cmodel\": a chip with an amac unit), appending one JSON line per point to RESULTS.jsonl\n"
    "as it finishes. Run again, it resumes: a partial last line is dropped, finished points are\n"
    "skipped. --shard I/N (0 <= I < N) takes the I-th of N contiguous slices of the points, so N\n"
    "machines (GNU parallel, a SLURM array) split a sweep and `cat` of their files in shard order\n"
    "is the unsharded file. Once the file holds every point, prints the Pareto front of the two\n"
    "objectives (the sweep's, or --objectives A,B among energy_j, cycles, fps, tops_per_w and\n"
    "area_mm2; default energy_j,cycles) and plots it (--plot).\n"
    "\n"
    "examples:\n"
    "  erg sweep configs/sweeps/generic28_arrays.cfg --out arrays.jsonl --plot front.png\n"
    "  for i in 0 1 2; do erg sweep configs/sweeps/generic28_arrays.cfg --shard $i/3 --out "
    "s$i.jsonl; done\n"
    "  cat s0.jsonl s1.jsonl s2.jsonl > all.jsonl && erg sweep configs/sweeps/generic28_arrays.cfg "
    "--out all.jsonl\n";

static int parse_shard(const char *v, int *i, int *n) {
    char *end;
    long a = strtol(v, &end, 10);
    if (end == v || *end != '/') return -1;
    char *e2;
    long b = strtol(end + 1, &e2, 10);
    if (e2 == end + 1 || *e2 || b < 1 || b > 1000000 || a < 0 || a >= b) return -1;
    *i = (int)a, *n = (int)b;
    return 0;
}

/* The finished points of the file: done[index] and their results. A partial last line (no
 * newline: the run was killed mid-write) is cut off the file. Lines that are not sweep results
 * are an error naming the line. */
static int read_results(const char *path, const erg_sweep *s, unsigned char *done,
                        erg_sweep_result *res, uint64_t *n_done, erg_error *err) {
    *n_done = 0;
    FILE *f = fopen(path, "r+");
    if (!f)
        return errno == ENOENT ? 0 : erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long good_end = 0, lineno = 0;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[len - 1] != '\n') break; /* the partial last line */
        uint64_t idx;
        erg_sweep_result r;
        if (erg_sweep_parse_line(line, &idx, &r)) {
            rc = erg_fail(err, "%s:%ld: not a line of erg sweep's results", path, lineno);
            break;
        }
        if (idx >= s->n_points) {
            rc = erg_fail(err,
                          "%s:%ld: point %llu, but the sweep has %llu points (another sweep's "
                          "results?)",
                          path, lineno, (unsigned long long)idx, (unsigned long long)s->n_points);
            break;
        }
        if (!done[idx]) {
            done[idx] = 1;
            res[idx] = r;
            (*n_done)++;
        }
        good_end = ftell(f);
    }
    free(line);
    if (!rc && len > 0 && ftruncate(fileno(f), good_end) != 0)
        rc = erg_fail(err, "%s: cannot drop its partial last line: %s", path, strerror(errno));
    fclose(f);
    return rc;
}

static void progress(int quiet, uint64_t k, uint64_t n) {
    if (quiet || !isatty(2)) return;
    int w = 40, fill = n ? (int)((double)k / (double)n * w) : w;
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu points", fill,
            "########################################", w - fill, "", (unsigned long long)k,
            (unsigned long long)n);
    if (k == n) fputc('\n', stderr);
}

static void print_front(FILE *f, const char *fmt, const erg_sweep *s, const uint64_t *idx,
                        const erg_sweep_result *r, const int *front, int m) {
    const char *o0 = erg_sweep_obj_name(s->obj[0]), *o1 = erg_sweep_obj_name(s->obj[1]);
    if (fmt && !strcmp(fmt, "json")) {
        fprintf(f, "{\"schema_version\": 1, \"kind\": \"sweep_front\", \"sweep\": ");
        erg_json_str(f, s->name);
        fprintf(f, ", \"points\": %llu, \"objectives\": [\"%s\", \"%s\"], \"front\": [",
                (unsigned long long)s->n_points, o0, o1);
        for (int i = 0; i < m; i++) {
            fprintf(f, "%s\n  ", i ? "," : "");
            erg_sweep_json_obj(f, s, idx[front[i]], &r[front[i]]);
        }
        fprintf(f, "]}\n");
        return;
    }
    if (fmt && !strcmp(fmt, "csv")) {
        fprintf(f, "index,net");
        for (int p = 0; p < s->n_params; p++) fprintf(f, ",%s", s->p[p].key);
        fprintf(f, ",energy_j,cycles,uj_per_frame,fps,tops_per_w,area_mm2\n");
    } else {
        fprintf(f, "sweep %s: %llu points; Pareto front of %s and %s: %d points\n\n", s->name,
                (unsigned long long)s->n_points, o0, o1, m);
        fprintf(f, "%6s  %-34s", "index", "net");
        for (int p = 0; p < s->n_params; p++) fprintf(f, " %14s", s->p[p].key);
        fprintf(f, " %12s %12s %10s %8s\n", "uJ/frame", "cycles", "TOPS/W", "mm^2");
    }
    for (int i = 0; i < m; i++) {
        int net, vals[ERG_SWEEP_MAX_PARAMS];
        erg_sweep_point(s, idx[front[i]], &net, vals);
        const erg_sweep_result *x = &r[front[i]];
        const char *lb = s->net_label[net], *nn = strrchr(lb, '/') ? strrchr(lb, '/') + 1 : lb;
        int csvf = fmt && !strcmp(fmt, "csv");
        if (csvf)
            fprintf(f, "%llu,%s", (unsigned long long)idx[front[i]], lb);
        else
            fprintf(f, "%6llu  %-34s", (unsigned long long)idx[front[i]], nn);
        for (int p = 0; p < s->n_params; p++) {
            const erg_sweep_value *v = &s->p[p].v[vals[p]];
            if (csvf)
                v->is_str ? fprintf(f, ",%s", v->str) : fprintf(f, ",%.10g", v->num);
            else
                v->is_str ? fprintf(f, " %14s", v->str) : fprintf(f, " %14.6g", v->num);
        }
        if (csvf)
            fprintf(f, ",%.9e,%.0f,%.9g,%.9g,%.9g,%.9g\n", x->energy_j, x->cycles, x->uj_per_frame,
                    x->fps, x->tops_per_w, x->area_mm2);
        else
            fprintf(f, " %12.4g %12.0f %10.4g %8.4g\n", x->uj_per_frame, x->cycles, x->tops_per_w,
                    x->area_mm2);
    }
}

static int plot_front(const char *png, const erg_sweep *s, const erg_sweep_result *r, int n_all,
                      const int *front, int m, erg_error *err) {
    erg_plot pl;
    if (erg_plot_begin(&pl, png, err)) return -1;
    const char *all, *fr, *gp;
    FILE *a = erg_plot_file(&pl, "all.dat", &all), *b = erg_plot_file(&pl, "front.dat", &fr),
         *g = erg_plot_file(&pl, "plot.gp", &gp);
    int rc = 0;
    /* plotted as the quantities themselves (maximized ones positive) */
    double sg0 =
        erg_sweep_objective(s->obj[0], &(erg_sweep_result){1, 1, 1, 1, 1, 1, 1}) < 0 ? -1 : 1;
    double sg1 =
        erg_sweep_objective(s->obj[1], &(erg_sweep_result){1, 1, 1, 1, 1, 1, 1}) < 0 ? -1 : 1;
    if (!a || !b || !g) {
        rc = erg_fail(err, "cannot write the plot's temporary files");
    } else {
        for (int i = 0; i < n_all; i++)
            fprintf(a, "%g %g\n", sg0 * erg_sweep_objective(s->obj[0], &r[i]),
                    sg1 * erg_sweep_objective(s->obj[1], &r[i]));
        for (int i = 0; i < m; i++)
            fprintf(b, "%g %g\n", sg0 * erg_sweep_objective(s->obj[0], &r[front[i]]),
                    sg1 * erg_sweep_objective(s->obj[1], &r[front[i]]));
        fprintf(g,
                "set terminal pngcairo size 1100,750 noenhanced\nset output '%s'\n"
                "set title 'erg sweep %s: %d points, Pareto front'\nset xlabel '%s'\n"
                "set ylabel '%s'\nset logscale xy\nset grid\nset key top right\n"
                "plot '%s' using 1:2 with points pt 7 ps 0.8 title 'points', '%s' using 1:2 with "
                "linespoints lw 2 pt 7 title 'Pareto front'\n",
                pl.tmp_png, s->name, n_all, erg_sweep_obj_name(s->obj[0]),
                erg_sweep_obj_name(s->obj[1]), all, fr);
    }
    if (a) fclose(a);
    if (b) fclose(b);
    if (g) fclose(g);
    if (!rc) rc = erg_plot_run(&pl, gp, err);
    erg_plot_end(&pl);
    return rc;
}

int cmd_sweep(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(SWEEP_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("sweep", argc, argv, 2,
                        "--out --shard --objectives --plot --format --quiet --help ", &o);
    if (rc) return rc;
    if (o.n_positional != 1)
        return usage_error("sweep", "expected one sweep config: erg sweep SWEEP.cfg");
    if (!o.out)
        return usage_error("sweep", "expected --out RESULTS.jsonl (the points are appended to it)");
    int si = 0, sn = 1;
    if (o.shard && parse_shard(o.shard, &si, &sn))
        return usage_error("sweep", "--shard expects I/N with 0 <= I < N, found '%s'", o.shard);
    erg_error e;
    static erg_sweep s; /* large: not on the stack */
    if (erg_sweep_load(&s, o.positional[0], &e)) return bad_input(&e);
    if (o.objectives) {
        char a[64] = "", *b;
        snprintf(a, sizeof a, "%s", o.objectives);
        b = strchr(a, ',');
        if (!b) return usage_error("sweep", "--objectives expects A,B, found '%s'", o.objectives);
        *b++ = 0;
        if (erg_sweep_objectives(&s, a, b, &e)) {
            erg_error_prefix(&e, "--objectives");
            return bad_input(&e);
        }
    }
    if (s.n_points > 1000000) {
        erg_fail(&e, "%s: %llu points; a sweep takes at most 1,000,000 (split it)", s.path,
                 (unsigned long long)s.n_points);
        return bad_input(&e);
    }
    unsigned char *done = calloc((size_t)s.n_points, 1);
    erg_sweep_result *res = calloc((size_t)s.n_points, sizeof *res);
    if (!done || !res) {
        free(done);
        free(res);
        erg_fail(&e, "out of memory");
        return bad_input(&e);
    }
    uint64_t n_done, lo = s.n_points * (uint64_t)si / (uint64_t)sn,
                     hi = s.n_points * (uint64_t)(si + 1) / (uint64_t)sn;
    rc = EXIT_BAD_INPUT;
    if (read_results(o.out, &s, done, res, &n_done, &e)) goto fail;
    FILE *f = fopen(o.out, "a");
    if (!f) {
        erg_fail(&e, "%s: cannot write: %s", o.out, strerror(errno));
        goto fail;
    }
    uint64_t todo = 0, k = 0;
    for (uint64_t i = lo; i < hi; i++) todo += !done[i];
    for (uint64_t i = lo; i < hi; i++) {
        if (done[i]) continue;
        if (erg_sweep_eval_point(&s, i, &res[i], &e)) {
            fclose(f);
            erg_error_prefix(&e, s.path);
            goto fail;
        }
        erg_sweep_json_line(f, &s, i, &res[i]);
        fflush(f); /* appended as it finishes: a killed run keeps every finished point */
        done[i] = 1;
        n_done++;
        progress(o.quiet, ++k, todo);
    }
    if (fclose(f)) {
        erg_fail(&e, "%s: cannot write: %s", o.out, strerror(errno));
        goto fail;
    }
    if (n_done < s.n_points) {
        if (!o.quiet)
            printf("sweep %s: shard %d/%d (points %llu .. %llu): %llu evaluated, %llu already in "
                   "%s; %llu of %llu points in the file\n",
                   s.name, si, sn, (unsigned long long)lo, (unsigned long long)hi - 1,
                   (unsigned long long)k, (unsigned long long)(hi - lo - k), o.out,
                   (unsigned long long)n_done, (unsigned long long)s.n_points);
        rc = 0;
        goto done_ok;
    }
    /* every point: the Pareto front */
    uint64_t *idx = malloc((size_t)s.n_points * sizeof *idx);
    int *front = malloc((size_t)s.n_points * sizeof *front), m;
    if (!idx || !front) {
        free(idx);
        free(front);
        erg_fail(&e, "out of memory");
        goto fail;
    }
    for (uint64_t i = 0; i < s.n_points; i++) idx[i] = i;
    erg_sweep_pareto(&s, idx, res, (int)s.n_points, front, &m);
    if (!o.quiet || o.format) print_front(stdout, o.format, &s, idx, res, front, m);
    rc = o.plot && plot_front(o.plot, &s, res, (int)s.n_points, front, m, &e) ? EXIT_BAD_INPUT : 0;
    free(idx);
    free(front);
    if (rc) goto fail;
done_ok:
    free(done);
    free(res);
    return 0;
fail:
    free(done);
    free(res);
    return bad_input(&e);
}
