/* bench_amac.c — speed of the AMAC MAC-array C model against the practical limit, measured side
 * by side in one process: erg_mac_array_run (outputs computed, weight-stationary array) on an
 * int8 conv layer, versus a plain direct-convolution kernel written here and compiled with the
 * same flags — once with exact products, once with an approximate multiplier (against the same
 * plain exact kernel, and for reference a naive per-MAC table-lookup kernel). The outputs are
 * checked before anything is timed. Also times the characterization of the whole built-in
 * multiplier library without synthesis (tables + uniform metrics). Prints MAC/s and ratios
 * (docs/bench.md; scripts/bench.sh runs it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "erg_amul.h"
#include "erg_amul_char.h"
#include "erg_golden.h"
#include "erg_mac_array.h"
#include "erg_rng.h"

typedef struct opts {
    bench_opts run;    /* --quick, --reps, --min-time, --seed */
    int h, w, c, f, k; /* the conv layer: h x w x c -> f filters, k x k, stride 1, same */
    int rows, cols;    /* the array */
    const char *mul;   /* the approximate multiplier */
    int layer_given;
} opts;

typedef struct bench {
    erg_conv_geom g;
    erg_mac_array_cfg cfg;
    erg_mac_layer exact, approx; /* the same layer, exact and approximate products */
    int mul_id;
    uint8_t *x;          /* input [h][w][c] */
    int8_t *wt;          /* weights [f][k][k][c] */
    uint16_t *tab;       /* the approximate multiplier's products, tab[a * 256 + b] */
    uint16_t *char_tab;  /* scratch for the characterization */
    uint8_t *zeros;      /* c zero activations: the padding for the lookup kernel */
    int32_t *y_model;    /* the C model's accumulators [out_h][out_w][f] */
    int32_t *y_plain;    /* the plain kernels' */
    int64_t macs;        /* out_h * out_w * f * k * k * c (padded taps included) */
    erg_mac_stats stats; /* the array's counters for the layer */
    double char_sink;    /* keeps the characterization's results alive */
    erg_error err;
} bench;

/* ---- the plain kernels ---- */

/* The plain exact kernel: the obvious direct convolution, no im2col. For every output pixel and
 * filter, sum (int32)a * w over the window's rows of c contiguous channels; padded taps (same
 * padding) are skipped since a * w = 0 there. uint8 activations, int8 weights, int32 sums. */
static void plain_conv(const bench *b, int32_t *y) {
    const erg_conv_geom *g = &b->g;
    const int C = g->in_c, K = g->k_h;
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int o = 0; o < g->out_c; o++) {
                int32_t acc = 0;
                for (int kh = 0; kh < K; kh++) {
                    int ih = oh + kh - g->pad_top;
                    if (ih < 0 || ih >= g->in_h) continue;
                    for (int kw = 0; kw < K; kw++) {
                        int iw = ow + kw - g->pad_left;
                        if (iw < 0 || iw >= g->in_w) continue;
                        const uint8_t *a = b->x + ((size_t)ih * g->in_w + iw) * C;
                        const int8_t *w = b->wt + (((size_t)o * K + kh) * K + kw) * C;
                        for (int c = 0; c < C; c++) acc += (int32_t)a[c] * w[c];
                    }
                }
                y[((size_t)oh * g->out_w + ow) * g->out_c + o] = acc;
            }
}

/* The naive lookup kernel: the same loops, each product looked up in the 256 x 256 table,
 * p = tab[a * 256 + |w|], and added with the weight's sign. Padded taps use activation 0 and
 * still go through the table (M(0, |w|) need not be 0 for an approximate multiplier). */
static void lookup_conv(const bench *b, int32_t *y) {
    const erg_conv_geom *g = &b->g;
    const int C = g->in_c, K = g->k_h;
    const uint16_t *tab = b->tab;
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int o = 0; o < g->out_c; o++) {
                int32_t acc = 0;
                for (int kh = 0; kh < K; kh++) {
                    int ih = oh + kh - g->pad_top;
                    for (int kw = 0; kw < K; kw++) {
                        int iw = ow + kw - g->pad_left;
                        const uint8_t *a = ih < 0 || ih >= g->in_h || iw < 0 || iw >= g->in_w
                                               ? b->zeros
                                               : b->x + ((size_t)ih * g->in_w + iw) * C;
                        const int8_t *w = b->wt + (((size_t)o * K + kh) * K + kw) * C;
                        for (int c = 0; c < C; c++) {
                            int wv = w[c];
                            int32_t p = tab[a[c] * 256 + (wv < 0 ? -wv : wv)];
                            acc += wv < 0 ? -p : p;
                        }
                    }
                }
                y[((size_t)oh * g->out_w + ow) * g->out_c + o] = acc;
            }
}

/* ---- the timed work ---- */

enum { MODEL_EXACT, PLAIN, MODEL_APPROX, LOOKUP, CHARACTERIZE, N_MEAS };

static int work_model_exact(void *ctx) {
    bench *b = ctx;
    return erg_mac_array_run(&b->cfg, &b->exact, b->x, b->y_model, NULL, &b->stats, &b->err);
}

static int work_model_approx(void *ctx) {
    bench *b = ctx;
    return erg_mac_array_run(&b->cfg, &b->approx, b->x, b->y_model, NULL, &b->stats, &b->err);
}

static int work_plain(void *ctx) {
    bench *b = ctx;
    plain_conv(b, b->y_plain);
    return 0;
}

static int work_lookup(void *ctx) {
    bench *b = ctx;
    lookup_conv(b, b->y_plain);
    return 0;
}

/* The whole built-in library without synthesis: each multiplier's product table and its
 * uniform metrics (what `erg characterize` computes before yosys). */
static int work_characterize(void *ctx) {
    bench *b = ctx;
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        erg_amul_metrics m;
        erg_amul_table(id, b->char_tab);
        if (erg_amul_characterize(b->char_tab, NULL, &m, &b->err)) return -1;
        b->char_sink += m.mae + m.mre_pct;
    }
    return 0;
}

/* ---- main ---- */

static void usage(FILE *f) {
    fprintf(f,
            "usage: bench_amac [--quick] [--reps N] [--min-time S] [--layer H,W,C,F,K]\n"
            "                  [--array RxC] [--mul NAME] [--seed N]\n"
            "Times the AMAC MAC-array C model (erg_mac_array_run, weight-stationary) on an int8\n"
            "conv layer, exact and with an approximate multiplier, against a plain direct-conv\n"
            "kernel, and the characterization of the built-in multiplier library; prints MAC/s\n"
            "and ratios.\n"
            "  --quick         a tiny layer, one short repetition (a smoke test; figures are not\n"
            "                  meaningful)\n"
            "  --reps N        repetitions, the median is reported (default 5)\n"
            "  --min-time S    seconds per measurement and repetition (default 0.5)\n"
            "  --layer H,W,C,F,K  conv H x W x C -> F filters, K x K, stride 1, same padding\n"
            "                  (default 56,56,64,64,3)\n"
            "  --array RxC     the array (default 32x32)\n"
            "  --mul NAME      the approximate multiplier (default drum4)\n"
            "  --seed N        seed of the random input and weights (default 1)\n");
}

/* bench_amac's own options (bench_opt_fn). */
static int amac_opt(void *ctx, const char *a, const char *v) {
    opts *o = ctx;
    if (!strcmp(a, "--layer")) {
        if (sscanf(v, "%d,%d,%d,%d,%d", &o->h, &o->w, &o->c, &o->f, &o->k) != 5) {
            fprintf(stderr, "bench_amac: --layer wants H,W,C,F,K, got '%s'\n", v);
            return -1;
        }
        o->layer_given = 1;
    } else if (!strcmp(a, "--array")) {
        if (sscanf(v, "%dx%d", &o->rows, &o->cols) != 2) {
            fprintf(stderr, "bench_amac: --array wants RxC, got '%s'\n", v);
            return -1;
        }
    } else if (!strcmp(a, "--mul")) {
        o->mul = v;
    } else {
        return 1;
    }
    return 0;
}

static int parse(int argc, char **argv, opts *o) {
    *o = (opts){{5, 0.5, 0, 1}, 56, 56, 64, 64, 3, 32, 32, "drum4", 0};
    if (bench_parse(argc, argv, "bench_amac", &o->run, usage, amac_opt, o)) return -1;
    if (o->run.quick && !o->layer_given) o->h = o->w = 8, o->c = o->f = 16;
    if (o->h < 1 || o->w < 1 || o->c < 1 || o->f < 1 || o->k < 1 || o->h > 4096 || o->w > 4096 ||
        o->c > 4096 || o->f > 4096 || o->k > 15) {
        fprintf(stderr, "bench_amac: --layer sizes must be 1..4096 (K 1..15)\n");
        return -1;
    }
    return 0;
}

static int setup(bench *b, const opts *o) {
    if (erg_conv_geom_init(&b->g, o->h, o->w, o->c, o->k, o->k, 1, 1, o->f, &b->err)) return -1;
    if ((b->mul_id = erg_amul_find(o->mul, &b->err)) < 0) return -1;
    /* SRAMs large enough for the whole layer: no tiling, no DRAM stalls worth the name (they
     * only change the counters, never the speed of the output computation). */
    b->cfg = (erg_mac_array_cfg){.rows = o->rows,
                                 .cols = o->cols,
                                 .dataflow = ERG_MAC_WS,
                                 .timing = ERG_MAC_TIMING_ERG,
                                 .ifmap_sram_bytes = 64u << 20,
                                 .filter_sram_bytes = 64u << 20,
                                 .ofmap_sram_bytes = 64u << 20,
                                 .dram_bytes_per_cycle = 64.0};
    const erg_conv_geom *g = &b->g;
    size_t nx = (size_t)g->in_h * g->in_w * g->in_c;
    size_t nw = (size_t)g->out_c * g->k_h * g->k_w * g->in_c;
    size_t ny = (size_t)g->out_h * g->out_w * g->out_c;
    b->macs = (int64_t)ny * g->k_h * g->k_w * g->in_c;
    b->x = malloc(nx);
    b->wt = malloc(nw);
    b->tab = malloc(65536 * sizeof *b->tab);
    b->char_tab = malloc(65536 * sizeof *b->char_tab);
    b->zeros = calloc((size_t)g->in_c, 1);
    b->y_model = malloc(ny * sizeof *b->y_model);
    b->y_plain = malloc(ny * sizeof *b->y_plain);
    if (!b->x || !b->wt || !b->tab || !b->char_tab || !b->zeros || !b->y_model || !b->y_plain)
        return erg_fail(&b->err, "out of memory");
    erg_rng rng;
    erg_rng_seed(&rng, o->run.seed);
    for (size_t i = 0; i < nx; i++) b->x[i] = (uint8_t)erg_rng_range(&rng, 0, 255);
    for (size_t i = 0; i < nw; i++) b->wt[i] = (int8_t)erg_rng_range(&rng, -127, 127);
    erg_amul_table(b->mul_id, b->tab);
    b->exact = (erg_mac_layer){.kind = ERG_MAC_CONV, .geom = *g, .w = b->wt, .mul = NULL};
    b->approx = b->exact;
    b->approx.mul = erg_amul_mul8u(b->mul_id);
    if (!b->approx.mul) return erg_fail(&b->err, "no erg_mul8u for multiplier '%s'", o->mul);
    return 0;
}

static void teardown(bench *b) {
    free(b->x);
    free(b->wt);
    free(b->tab);
    free(b->char_tab);
    free(b->zeros);
    free(b->y_model);
    free(b->y_plain);
}

static size_t n_out(const bench *b) {
    return (size_t)b->g.out_h * b->g.out_w * b->g.out_c;
}

/* Honesty first: the model's accumulators against the plain kernel's (exact), the naive
 * lookup kernel's (approximate) and the golden kernel's (approximate, independent of both). */
static int check(bench *b, int *same_exact, int *same_approx, int *same_golden) {
    size_t n = n_out(b), bytes = n * sizeof(int32_t);
    int32_t *gold = malloc(bytes);
    if (!gold) return erg_fail(&b->err, "out of memory");
    if (work_model_exact(b)) goto fail;
    plain_conv(b, b->y_plain);
    *same_exact = memcmp(b->y_model, b->y_plain, bytes) == 0;
    if (work_model_approx(b)) goto fail;
    lookup_conv(b, b->y_plain);
    *same_approx = memcmp(b->y_model, b->y_plain, bytes) == 0;
    erg_golden_conv2d(&b->g, b->x, b->wt, NULL, b->approx.mul, gold);
    *same_golden = memcmp(b->y_model, gold, bytes) == 0;
    free(gold);
    return 0;
fail:
    free(gold);
    return -1;
}

int main(int argc, char **argv) {
    opts o;
    if (parse(argc, argv, &o)) return 2;
    static bench b;
    double *t[N_MEAS] = {0}, *ratio[3] = {0};
    int rc = 1;
    if (setup(&b, &o)) goto fail;

    int same_exact = 0, same_approx = 0, same_golden = 0;
    if (check(&b, &same_exact, &same_approx, &same_golden)) goto fail;
    const erg_conv_geom *g = &b.g;
    const char *mname = erg_amul_info_of(b.mul_id)->name;
    int has_avx2 = 0;
#ifdef __AVX2__
    has_avx2 = 1;
#endif
    printf("bench_amac: AMAC MAC-array C model (erg_mac_array_run, %dx%d %s) vs a plain int8 "
           "direct-conv kernel\n",
           b.cfg.rows, b.cfg.cols, erg_mac_dataflow_name(b.cfg.dataflow));
    printf("compiler: %s; flags: %s\n", ERG_BENCH_CC, ERG_BENCH_FLAGS);
    printf("compiled for: AVX2 %s\n", bench_yes_no(has_avx2));
    printf("layer: conv %dx%dx%d -> %dx%dx%d, %dx%d same, stride 1: %lld MACs; %llu array "
           "cycles (utilization %.2f)\n",
           g->in_h, g->in_w, g->in_c, g->out_h, g->out_w, g->out_c, g->k_h, g->k_w,
           (long long)b.macs, (unsigned long long)b.stats.cycles,
           erg_mac_utilization(&b.cfg, &b.stats));
    printf("outputs identical: %s (exact: C model vs plain kernel %s; %s: C model vs naive lookup "
           "kernel %s, vs golden kernel %s)\n",
           bench_yes_no(same_exact && same_approx && same_golden),
           same_exact ? "identical" : "DIFFERENT", mname, same_approx ? "identical" : "DIFFERENT",
           same_golden ? "identical" : "DIFFERENT");
    if (!same_exact || !same_approx || !same_golden) goto fail_quiet;

    /* Side by side: each repetition times all five in turn, so load changes hit them alike. */
    for (int m = 0; m < N_MEAS; m++)
        if (!(t[m] = calloc((size_t)o.run.reps, sizeof(double)))) goto oom;
    for (int r = 0; r < 3; r++)
        if (!(ratio[r] = calloc((size_t)o.run.reps, sizeof(double)))) goto oom;
    static const bench_work_fn fns[N_MEAS] = {work_model_exact, work_plain, work_model_approx,
                                              work_lookup, work_characterize};
    for (int rep = 0; rep < o.run.reps; rep++) {
        for (int m = 0; m < N_MEAS; m++)
            if ((t[m][rep] = bench_time_per_call(fns[m], &b, o.run.min_time)) < 0) goto fail;
        /* paired ratios of rates = inverse ratios of times */
        ratio[0][rep] = t[PLAIN][rep] / t[MODEL_EXACT][rep];
        ratio[1][rep] = t[PLAIN][rep] / t[MODEL_APPROX][rep];
        ratio[2][rep] = t[PLAIN][rep] / t[LOOKUP][rep];
    }
    bench_stat3 s[N_MEAS], sr[3];
    for (int m = 0; m < N_MEAS; m++) s[m] = bench_stats(t[m], o.run.reps);
    for (int r = 0; r < 3; r++) sr[r] = bench_stats(ratio[r], o.run.reps);
    double macs = (double)b.macs, rate[N_MEAS];
    for (int m = 0; m < CHARACTERIZE; m++) rate[m] = macs / s[m].med;

    printf("measured: %d repetition(s) of >= %.3g s per figure, interleaved; median (min..max)%s\n",
           o.run.reps, o.run.min_time, o.run.quick ? " [--quick: not meaningful]" : "");
    static const char *const label[CHARACTERIZE] = {
        "C model, exact:", "plain kernel, exact:", "C model, approximate:", "naive lookup kernel:"};
    for (int m = 0; m < CHARACTERIZE; m++)
        printf("%-22s %9.3f ms/layer (%.3f..%.3f)  %.3g MAC/s\n", label[m], 1e3 * s[m].med,
               1e3 * s[m].min, 1e3 * s[m].max, rate[m]);
    printf("ratio C model (exact) / plain kernel: %.2f (per repetition %.2f..%.2f; goal >= 0.5)\n",
           rate[MODEL_EXACT] / rate[PLAIN], sr[0].min, sr[0].max);
    printf("ratio C model (%s) / plain kernel: %.3f (per repetition %.3f..%.3f; goal >= 0.1)\n",
           mname, rate[MODEL_APPROX] / rate[PLAIN], sr[1].min, sr[1].max);
    printf("ratio naive lookup (%s) / plain kernel: %.3f (per repetition %.3f..%.3f)\n", mname,
           rate[LOOKUP] / rate[PLAIN], sr[2].min, sr[2].max);
    printf("ratio C model (%s) / naive lookup: %.2f\n", mname, rate[MODEL_APPROX] / rate[LOOKUP]);
    printf("characterize the built-in library without synthesis (%d multipliers: product tables "
           "+ uniform metrics): %.1f ms (%.1f..%.1f), %.2f ms per multiplier\n",
           (int)ERG_AMUL_COUNT, 1e3 * s[CHARACTERIZE].med, 1e3 * s[CHARACTERIZE].min,
           1e3 * s[CHARACTERIZE].max, 1e3 * s[CHARACTERIZE].med / ERG_AMUL_COUNT);
    rc = 0;
    goto done;
oom:
    erg_fail(&b.err, "out of memory");
fail:
    fprintf(stderr, "bench_amac: %s\n", b.err.msg);
fail_quiet:
    rc = 1;
done:
    for (int m = 0; m < N_MEAS; m++) free(t[m]);
    for (int r = 0; r < 3; r++) free(ratio[r]);
    teardown(&b);
    return rc;
}
