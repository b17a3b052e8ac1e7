/* characterize.c — multiplier characterization (characterize.h): tables, metrics, the RTL
 * check, yosys synthesis in parallel, netlist cost and switching. */
#define _POSIX_C_SOURCE 200809L
#include "characterize.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "erg_amul.h"
#include "erg_array.h"
#include "erg_golden.h"
#include "erg_rng.h"
#include "netlist.h"
#ifdef ERG_HAVE_RTL
#include "amul_rtl.h"
#endif

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int erg_mul_src_parse(erg_mul_src *s, const char *spec, erg_error *err) {
    memset(s, 0, sizeof *s);
    s->builtin = -1;
    snprintf(s->pa, sizeof s->pa, "A");
    snprintf(s->pb, sizeof s->pb, "B");
    snprintf(s->po, sizeof s->po, "O");
    const char *body = strncmp(spec, "verilog:", 8) == 0 ? spec + 8 : spec;
    if (body != spec || ends_with(spec, ".v") || ends_with(spec, ".sv")) {
        /* FILE.v or verilog:FILE.v[:TOP] */
        snprintf(s->verilog, sizeof s->verilog, "%s", body);
        char *colon = strrchr(s->verilog, ':');
        if (colon && !ends_with(s->verilog, ".v")) {
            *colon = '\0';
            snprintf(s->top, sizeof s->top, "%s", colon + 1);
        }
        const char *base = strrchr(s->verilog, '/');
        base = base ? base + 1 : s->verilog;
        snprintf(s->name, sizeof s->name, "%s", s->top[0] ? s->top : base);
        char *dot = s->top[0] ? NULL : strrchr(s->name, '.');
        if (dot) *dot = '\0';
        if (access(s->verilog, R_OK))
            return erg_fail(err, "%s: cannot open: %s", s->verilog, strerror(errno));
        return 0;
    }
    if (ends_with(spec, ".npy")) {
        snprintf(s->npy, sizeof s->npy, "%s", spec);
        const char *base = strrchr(spec, '/');
        snprintf(s->name, sizeof s->name, "%s", base ? base + 1 : spec);
        s->name[strlen(s->name) - 4 < sizeof s->name ? strlen(s->name) - 4 : 0] = '\0';
        return 0;
    }
    int id = erg_amul_find(spec, err);
    if (id < 0) return -1;
    s->builtin = id;
    snprintf(s->name, sizeof s->name, "%s", spec);
    return 0;
}

int erg_product_table_load(uint16_t *table, const char *path, erg_error *err) {
    erg_array a;
    if (erg_npy_read(path, &a, err)) return -1;
    int rc = 0;
    char shape[64];
    if (a.dtype != ERG_U8 && a.dtype != ERG_I8 && a.dtype != ERG_U16 && a.dtype != ERG_I16 &&
        a.dtype != ERG_I32) {
        rc = erg_fail(err, "%s: expected an integer product table, found dtype %s", path,
                      erg_dtype_name(a.dtype));
    } else if (a.ndim != 2 || a.shape[0] != 256 || a.shape[1] != 256) {
        rc = erg_fail(err, "%s: expected a 256 x 256 product table [a, b], found shape %s", path,
                      erg_array_shape_str(&a, shape, sizeof shape));
    } else {
        for (size_t k = 0; k < 65536 && !rc; k++) {
            int64_t v = a.dtype == ERG_U8    ? ((const uint8_t *)a.data)[k]
                        : a.dtype == ERG_I8  ? ((const int8_t *)a.data)[k]
                        : a.dtype == ERG_U16 ? ((const uint16_t *)a.data)[k]
                        : a.dtype == ERG_I16 ? ((const int16_t *)a.data)[k]
                                             : ((const int32_t *)a.data)[k];
            if (v < 0 || v > 65535)
                rc = erg_fail(err,
                              "%s: product [%zu, %zu] = %lld is outside 0 .. 65535 (an unsigned "
                              "8x8 multiplier's 16-bit result)",
                              path, k / 256, k % 256, (long long)v);
            else
                table[k] = (uint16_t)v;
        }
    }
    erg_array_free(&a);
    return rc;
}

/* ---- synthesis ---- */

static int cmp_name(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

/* The yosys script for row r; returns the netlist path in json. */
static int write_script(const erg_char_row *r, int i, const erg_char_opts *o, char *json,
                        size_t jlen, char *log, size_t llen, char *ys, size_t ylen,
                        erg_error *err) {
    snprintf(json, jlen, "%s/%02d_%s.json", o->work_dir, i, r->src.name);
    snprintf(log, llen, "%s/%02d_%s.log", o->work_dir, i, r->src.name);
    snprintf(ys, ylen, "%s/%02d_%s.ys", o->work_dir, i, r->src.name);
    FILE *f = fopen(ys, "w");
    if (!f) return erg_fail(err, "%s: cannot write: %s", ys, strerror(errno));
    const char *top;
    if (r->src.builtin >= 0) {
        /* a wrapper instantiates the family module with the instance's parameters */
        const erg_amul_info *in = erg_amul_info_of(r->src.builtin);
        char fam[32];
        snprintf(fam, sizeof fam, "%s", erg_amul_family_name(in->family));
        for (char *p = fam; *p; p++) *p = (char)tolower((unsigned char)*p);
        char params[64] = "";
        int np = in->family == ERG_AMUL_EXACT ? 0 : in->family == ERG_AMUL_BAM ? 2 : 1;
        if (np == 1) snprintf(params, sizeof params, " #(%d)", in->p1);
        if (np == 2) snprintf(params, sizeof params, " #(%d, %d)", in->p1, in->p2);
        /* every family file: a family module may build on another's (e.g. shared arrays) */
        DIR *d = opendir(o->rtl_dir);
        if (!d) {
            fclose(f);
            return erg_fail(err, "%s: cannot read the multiplier RTL: %s", o->rtl_dir,
                            strerror(errno));
        }
        /* in name order: yosys/ABC results depend on the order designs are read */
        char names[64][128];
        int nn = 0;
        for (struct dirent *de; (de = readdir(d)) && nn < 64;)
            if (strncmp(de->d_name, "erg_amul_", 9) == 0 && ends_with(de->d_name, ".v"))
                snprintf(names[nn++], sizeof names[0], "%s", de->d_name);
        closedir(d);
        qsort(names, (size_t)nn, sizeof names[0], cmp_name);
        for (int k = 0; k < nn; k++) fprintf(f, "read_verilog %s/%s\n", o->rtl_dir, names[k]);
        fprintf(f,
                "read_verilog <<EOT\nmodule erg_char_top(input wire [7:0] A, input wire [7:0] B, "
                "output wire [15:0] O);\n  erg_amul_%s%s u(.A(A), .B(B), .O(O));\nendmodule\nEOT\n",
                fam, params);
        top = "erg_char_top";
    } else {
        fprintf(f, "read_verilog %s\n", r->src.verilog);
        top = r->src.top[0] ? r->src.top : NULL;
    }
    if (top)
        fprintf(f, "synth -flatten -top %s\n", top);
    else
        fprintf(f, "synth -flatten -auto-top\n");
    fprintf(f, "abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX\nopt_clean\nwrite_json %s\n",
            json);
    if (fclose(f)) return erg_fail(err, "%s: write error", ys);
    return 0;
}

/* The first "ERROR:" line of a yosys log, for the message. */
static void log_error(const char *log, char *buf, size_t len) {
    snprintf(buf, len, "see %s", log);
    FILE *f = fopen(log, "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (strstr(line, "ERROR:")) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(buf, len, "%s (log: %s)", line, log);
            break;
        }
    fclose(f);
}

static pid_t spawn_yosys(const char *ys, const char *log) {
    pid_t pid = fork();
    if (pid == 0) { /* everything goes to the log */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
        execlp("yosys", "yosys", "-q", "-l", log, "-s", ys, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Runs yosys for the rows that need it, o->jobs at a time. */
static int synthesize(erg_char_row *rows, int n, const erg_char_opts *o, erg_error *err) {
    if (mkdir(o->work_dir, 0777) && errno != EEXIST)
        return erg_fail(err, "%s: cannot create: %s", o->work_dir, strerror(errno));
    int jobs = o->jobs > 0 ? o->jobs : 1, running = 0, next = 0, rc = 0;
    pid_t *pid = calloc((size_t)n, sizeof *pid);
    if (!pid) return erg_fail(err, "out of memory");
    char json[4400], log[4400], ys[4400];
    while ((next < n && !rc) || running) {
        if (next < n && !rc && running < jobs && rows[next].src.npy[0]) {
            next++; /* a product table: nothing to synthesize */
            continue;
        }
        if (next < n && !rc && running < jobs) {
            if (write_script(&rows[next], next, o, json, sizeof json, log, sizeof log, ys,
                             sizeof ys, err)) {
                rc = -1;
                continue;
            }
            pid[next] = spawn_yosys(ys, log);
            if (pid[next] < 0)
                rc = erg_fail(err, "cannot start yosys: %s", strerror(errno));
            else
                running++;
            next++;
            continue;
        }
        int status;
        pid_t done = wait(&status);
        if (done < 0) break;
        running--;
        for (int i = 0; i < n; i++)
            if (pid[i] == done) {
                pid[i] = 0;
                if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !rc) {
                    rc = erg_fail(err, "yosys was not found (install it: ./scripts/bootstrap.sh)");
                } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !rc) {
                    snprintf(log, sizeof log, "%s/%02d_%s.log", o->work_dir, i, rows[i].src.name);
                    char why[1024];
                    log_error(log, why, sizeof why);
                    rc = erg_fail(err, "%s: synthesis failed: %s",
                                  rows[i].src.builtin >= 0 ? rows[i].src.name : rows[i].src.verilog,
                                  why);
                } else if (!o->quiet && isatty(2)) {
                    fprintf(stderr, "\r  synthesized %s            ", rows[i].src.name);
                }
            }
    }
    if (!o->quiet && isatty(2)) fputc('\n', stderr);
    free(pid);
    return rc;
}

/* The operand sequence for switching: the layer's PE streams, or 65,536 seeded random pairs. */
static int sequence(const erg_char_opts *o, uint32_t **a, uint32_t **b, size_t *n) {
    if (o->ops && o->ops->n_seq) {
        *a = o->ops->seq_a;
        *b = o->ops->seq_b;
        *n = o->ops->n_seq;
        return 0;
    }
    *n = 65536;
    *a = malloc(*n * sizeof **a);
    *b = malloc(*n * sizeof **b);
    if (!*a || !*b) return -1;
    erg_rng r;
    erg_rng_seed(&r, 1);
    for (size_t k = 0; k < *n; k++) {
        (*a)[k] = (uint32_t)erg_rng_range(&r, 0, 255);
        (*b)[k] = (uint32_t)erg_rng_range(&r, 0, 255);
    }
    return 0;
}

static int netlist_row(erg_char_row *r, int i, const erg_char_opts *o, const uint32_t *sa,
                       const uint32_t *sb, size_t ns, erg_error *err) {
    char json[4400];
    snprintf(json, sizeof json, "%s/%02d_%s.json", o->work_dir, i, r->src.name);
    erg_netlist nl;
    erg_error e;
    if (erg_netlist_load(&nl, json, NULL, r->src.pa, r->src.pb, r->src.po, &e)) {
        /* the message names the temporary netlist: name the user's file instead */
        const char *m = strncmp(e.msg, json, strlen(json)) == 0 ? e.msg + strlen(json) + 2 : e.msg;
        return erg_fail(err, "%s: %s%s", r->src.builtin >= 0 ? r->src.name : r->src.verilog, m,
                        strstr(m, "no port") ? " (name the ports with --ports A,B,O)" : "");
    }
    int rc = 0;
    if (nl.a_bits != 8 || nl.b_bits != 8 || nl.o_bits > 16) {
        rc = erg_fail(err,
                      "%s: ports %s, %s, %s have %d, %d, %d bits; an unsigned 8x8 multiplier has "
                      "8, 8 and up to 16",
                      r->src.builtin >= 0 ? r->src.name : r->src.verilog, r->src.pa, r->src.pb,
                      r->src.po, nl.a_bits, nl.b_bits, nl.o_bits);
        goto out;
    }
    r->has_synth = 1;
    r->cells = nl.n_cells;
    r->transistors = nl.transistors;
    if (erg_netlist_run(&nl, sa, sb, ns, NULL, &r->toggles, err)) {
        rc = -1;
        goto out;
    }
    if (r->src.verilog[0]) { /* a user's Verilog: its function is the netlist's */
        uint32_t *a = malloc(65536 * 4), *b = malloc(65536 * 4), *p = malloc(65536 * 4);
        if (a && b && p) {
            for (uint32_t k = 0; k < 65536; k++) a[k] = k >> 8, b[k] = k & 255;
            double t;
            rc = erg_netlist_run(&nl, a, b, 65536, p, &t, err);
            for (size_t k = 0; k < 65536 && !rc; k++) r->table[k] = (uint16_t)p[k];
        } else {
            rc = erg_fail(err, "out of memory");
        }
        free(a);
        free(b);
        free(p);
    } else if (r->src.builtin >= 0) { /* the netlist must compute the built-in's function */
        uint32_t a[256], b[256], p[256];
        for (int x = 0; x < 256 && !rc; x++) {
            for (int y = 0; y < 256; y++) a[y] = (uint32_t)x, b[y] = (uint32_t)y;
            double t;
            rc = erg_netlist_run(&nl, a, b, 256, p, &t, err);
            for (int y = 0; y < 256 && !rc; y++)
                if (p[y] != r->table[x * 256 + y])
                    rc = erg_fail(err,
                                  "%s: the synthesized netlist gives %u for %d x %d, the C "
                                  "library %u",
                                  r->src.name, p[y], x, y, r->table[x * 256 + y]);
        }
    }
out:
    erg_netlist_free(&nl);
    return rc;
}

/* A product table as an erg_mul8u. */
static uint16_t table_fn(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[a * 256 + b];
}

/* The layer's accumulators (no bias) for input map `in` with product function mul. */
static void run_layer(const erg_operands *op, const uint8_t *in, const erg_mul8u *mul,
                      int32_t *acc) {
    const erg_layer *l = op->layer;
    if (l->type == ERG_L_DENSE)
        erg_golden_dense((int)op->in_size, l->out.c, in, op->w, NULL, mul, acc);
    else if (l->type == ERG_L_DEPTHWISE)
        erg_golden_depthwise(&l->conv, in, op->w, NULL, mul, acc);
    else
        erg_golden_conv2d(&l->conv, in, op->w, NULL, mul, acc);
}

/* The AGN prediction and the measurement for every row (the exact outputs computed once). */
static int agn(erg_char_row *rows, int n, const erg_operands *op, erg_error *err) {
    size_t outs = (size_t)erg_shape_count(op->layer->out);
    int32_t *exact = malloc(outs * (size_t)op->n_inputs * sizeof *exact);
    int32_t *got = malloc(outs * sizeof *got);
    if (!exact || !got) {
        free(exact);
        free(got);
        return erg_fail(err, "out of memory");
    }
    for (long long f = 0; f < op->n_inputs; f++)
        run_layer(op, op->inputs + (size_t)f * op->in_size, NULL, exact + (size_t)f * outs);
    for (int i = 0; i < n; i++) {
        erg_char_row *r = &rows[i];
        /* signed product error e_s = sign(w) e: positive weights' pairs count +e, negative -e
         * (a zero weight has |w| = 0 and counts as positive: M(a, 0) is its whole error) */
        long double s1 = 0, s2 = 0, cnt = 0;
        for (int k = 0; k < 65536; k++) {
            uint64_t all = op->hist[k], neg = op->hist_neg[k];
            if (!all) continue;
            long double e = (long double)r->table[k] - (long double)((k >> 8) * (k & 255));
            s1 += e * (long double)(all - neg) - e * (long double)neg;
            s2 += e * e * (long double)all;
            cnt += (long double)all;
        }
        long double mean = s1 / cnt, var = s2 / cnt - mean * mean;
        r->agn_pred_mean = (double)(mean * (long double)op->fan_in);
        r->agn_pred_std = (double)sqrtl((var > 0 ? var : 0) * (long double)op->fan_in);
        /* measured: every output value of every image */
        erg_mul8u mul = {table_fn, r->table, r->src.name};
        long double m1 = 0, m2 = 0;
        for (long long f = 0; f < op->n_inputs; f++) {
            run_layer(op, op->inputs + (size_t)f * op->in_size, &mul, got);
            const int32_t *ex = exact + (size_t)f * outs;
            for (size_t k = 0; k < outs; k++) {
                long double d = (long double)got[k] - (long double)ex[k];
                m1 += d;
                m2 += d * d;
            }
        }
        long double nn = (long double)outs * (long double)op->n_inputs;
        long double mm = m1 / nn, mv = m2 / nn - mm * mm;
        r->agn_meas_mean = (double)mm;
        r->agn_meas_std = (double)sqrtl(mv > 0 ? mv : 0);
    }
    free(exact);
    free(got);
    return 0;
}

int erg_characterize(erg_char_row *rows, int n, const erg_char_opts *o, erg_error *err) {
    for (int i = 0; i < n; i++) {
        erg_char_row *r = &rows[i];
        r->rtl = -1;
        if (r->src.builtin >= 0) {
            snprintf(r->family, sizeof r->family, "%s",
                     erg_amul_family_name(erg_amul_info_of(r->src.builtin)->family));
            erg_amul_table(r->src.builtin, r->table);
#ifdef ERG_HAVE_RTL
            static uint16_t rt[65536];
            r->rtl = erg_amul_rtl_table(r->src.builtin, rt) == 0;
            for (int k = 0; k < 65536 && r->rtl == 1; k++)
                if (rt[k] != r->table[k]) {
                    r->rtl = 0;
                    r->rtl_a = k >> 8;
                    r->rtl_b = k & 255;
                }
#endif
        } else if (r->src.npy[0]) {
            snprintf(r->family, sizeof r->family, "table");
            if (erg_product_table_load(r->table, r->src.npy, err)) return -1;
        } else {
            snprintf(r->family, sizeof r->family, "verilog");
            if (!o->work_dir)
                return erg_fail(err, "%s: a Verilog multiplier needs synthesis (a work folder)",
                                r->src.verilog);
        }
    }
    if (o->work_dir) {
        int need = 0;
        for (int i = 0; i < n; i++) need += rows[i].src.npy[0] == 0;
        if (need && synthesize(rows, n, o, err)) return -1;
        uint32_t *sa, *sb;
        size_t ns;
        if (sequence(o, &sa, &sb, &ns)) return erg_fail(err, "out of memory");
        int rc = 0;
        for (int i = 0; i < n && !rc; i++)
            if (!rows[i].src.npy[0]) rc = netlist_row(&rows[i], i, o, sa, sb, ns, err);
        if (!(o->ops && o->ops->n_seq)) {
            free(sa);
            free(sb);
        }
        if (rc) return -1;
        double exact = 0;
        for (int i = 0; i < n; i++)
            if (rows[i].src.builtin == ERG_AMUL_ID_exact) exact = rows[i].toggles;
        for (int i = 0; i < n; i++)
            rows[i].rel_energy = exact > 0 && rows[i].has_synth ? rows[i].toggles / exact : 0;
    }
    for (int i = 0; i < n; i++) {
        erg_char_row *r = &rows[i];
        if (erg_amul_characterize(r->table, NULL, &r->uni, err)) return -1;
        if (o->ops) {
            if (erg_amul_characterize(r->table, o->ops->hist, &r->layer, err)) return -1;
            r->has_layer = 1;
        }
    }
    if (o->ops && o->ops->n_inputs > 0 && agn(rows, n, o->ops, err)) return -1;
    return 0;
}

int erg_char_pareto(const erg_char_row *rows, int n, double (*err_of)(const erg_char_row *),
                    int *idx) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!rows[i].has_synth) continue;
        int dominated = 0;
        for (int j = 0; j < n && !dominated; j++) {
            if (j == i || !rows[j].has_synth) continue;
            double ei = err_of ? err_of(&rows[i]) : rows[i].uni.mre_pct;
            double ej = err_of ? err_of(&rows[j]) : rows[j].uni.mre_pct;
            double gi = rows[i].rel_energy, gj = rows[j].rel_energy;
            dominated = ej <= ei && gj <= gi && (ej < ei || gj < gi);
        }
        if (!dominated) idx[m++] = i;
    }
    for (int i = 1; i < m; i++) /* by energy */
        for (int j = i; j > 0 && rows[idx[j]].rel_energy < rows[idx[j - 1]].rel_energy; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return m;
}
