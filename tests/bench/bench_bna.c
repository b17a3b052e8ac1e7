/* bench_bna.c — speed of the BNA C model against the practical limit, measured side by side in
 * one process: a whole frame of a binary network through the host driver and the C model
 * (`cmodel` backend), versus a plain bit-packed XNOR-popcount convolution written here and
 * compiled with the same flags, on the same conv layers and the same data. The plain kernel's
 * outputs are checked bit for bit against the C model's before anything is timed. Prints
 * binary MAC/s, their ratio and frames per second (docs/bench.md; scripts/bench.sh runs it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "chip_run.h"
#include "erg_bitpack.h"
#include "erg_golden.h"
#include "erg_regs.h"
#include "erg_rng.h"

typedef struct opts {
    bench_opts run; /* --quick, --reps, --min-time, --seed (the random image) */
    const char *chip, *net, *layer;
} opts;

/* One conv layer of the net, prepared for the plain kernel with the data the C model saw. */
typedef struct plain_conv {
    int li; /* net layer index */
    const char *name;
    int h, w, c, k, ho, wo, cout;
    int p, po;     /* 64-bit words per input / output pixel */
    uint64_t *x;   /* packed input [h][w][p] */
    uint64_t *wgt; /* packed weights [cout][k][k][p] */
    int32_t *sgn;  /* +1, or -1 where the batch-norm flips the comparison */
    int64_t *thr;  /* the threshold in the sign-corrected domain: sgn * dot >= thr */
    uint64_t *y;   /* the plain kernel's output [ho][wo][po] */
    uint64_t *ref; /* the C model's output, packed the same way */
    int8_t *x8;    /* +1/-1 input, kept for the golden check of the timed layer */
    int64_t bmac;  /* ho * wo * cout * k * k * c */
} plain_conv;

typedef struct bench {
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    erg_chip_runner r;
    uint8_t *img;
    plain_conv *conv;
    int n_conv;
    int sel;        /* index into conv of the layer timed alone */
    int64_t bmac;   /* binary MACs of a frame (the C model's counters) */
    int64_t cycles; /* chip cycles of a frame */
    erg_error err;
} bench;

/* The plain kernel: for every output pixel and every filter, XOR the K x K window's packed
 * words with the filter's words, popcount them with __builtin_popcountll, dot = n - 2 pop, one
 * threshold compare, and set the output bit. Unused bits are 0 in inputs and weights alike
 * (erg_bitpack), so no masks are needed. Stride 1, valid padding. */
static void plain_conv2d(const plain_conv *L, uint64_t *y) {
    const int p = L->p, kp = L->k * p, row = L->w * p;
    const int32_t n = L->k * L->k * L->c;
    for (int oh = 0; oh < L->ho; oh++)
        for (int ow = 0; ow < L->wo; ow++) {
            const uint64_t *x = L->x + (size_t)oh * row + (size_t)ow * p;
            uint64_t *out = y + ((size_t)oh * L->wo + ow) * L->po;
            uint64_t word = 0;
            for (int o = 0; o < L->cout; o++) {
                const uint64_t *f = L->wgt + (size_t)o * L->k * kp;
                int32_t pop = 0;
                for (int kh = 0; kh < L->k; kh++)
                    for (int j = 0; j < kp; j++)
                        pop += __builtin_popcountll(x[(size_t)kh * row + j] ^ f[kh * kp + j]);
                int32_t dot = n - 2 * pop;
                word |= (uint64_t)((int64_t)L->sgn[o] * dot >= L->thr[o]) << (o % 64);
                if (o % 64 == 63 || o == L->cout - 1) {
                    out[o / 64] = word;
                    word = 0;
                }
            }
        }
}

static void free_conv(plain_conv *L) {
    free(L->x);
    free(L->wgt);
    free(L->sgn);
    free(L->thr);
    free(L->y);
    free(L->ref);
    free(L->x8);
}

/* Packs the weights and thresholds of net layer li for the plain kernel. */
static int prepare_conv(bench *b, int li, plain_conv *L) {
    const erg_layer *l = &b->net.layers[li];
    const erg_layer_weights *lw = &b->wt.l[li];
    memset(L, 0, sizeof *L);
    if (l->conv.stride != 1 || l->conv.k_h != l->conv.k_w || l->conv.pad_top || l->conv.pad_left ||
        l->conv.pad_bottom || l->conv.pad_right || l->act != ERG_ACT_BN_SIGN)
        return erg_fail(&b->err,
                        "layer '%s': the plain kernel needs a square binary conv with "
                        "stride 1, valid padding and bn_sign",
                        l->name);
    L->li = li;
    L->name = l->name;
    L->h = l->in.h, L->w = l->in.w, L->c = l->in.c, L->k = l->conv.k_h;
    L->ho = l->out.h, L->wo = l->out.w, L->cout = l->out.c;
    L->p = erg_bitpack_words(L->c), L->po = erg_bitpack_words(L->cout);
    L->bmac = (int64_t)L->ho * L->wo * L->cout * L->k * L->k * L->c;
    size_t nx = (size_t)L->h * L->w, ny = (size_t)L->ho * L->wo * L->po;
    L->x = malloc(nx * L->p * sizeof *L->x);
    L->x8 = malloc(nx * L->c);
    L->wgt = malloc((size_t)L->cout * L->k * L->k * L->p * sizeof *L->wgt);
    L->sgn = malloc((size_t)L->cout * sizeof *L->sgn);
    L->thr = malloc((size_t)L->cout * sizeof *L->thr);
    L->y = calloc(ny, sizeof *L->y);
    L->ref = calloc(ny, sizeof *L->ref);
    if (!L->x || !L->x8 || !L->wgt || !L->sgn || !L->thr || !L->y || !L->ref)
        return erg_fail(&b->err, "out of memory");
    erg_bitpack((size_t)L->cout * L->k * L->k, L->c, lw->w, L->wgt);
    for (int o = 0; o < L->cout; o++) {
        /* flip: out = +1 iff dot <= thr, i.e. -dot >= -thr */
        L->sgn[o] = lw->flip[o] ? -1 : 1;
        L->thr[o] = lw->flip[o] ? -(int64_t)lw->thr[o] : (int64_t)lw->thr[o];
    }
    return 0;
}

/* Runs one frame layer by layer through the driver (as erg_chip_runner_run does) and keeps
 * every conv layer's input and output as the C model saw and wrote them. */
static int capture(bench *b) {
    const erg_net *net = &b->net;
    erg_chip_runner *r = &b->r;
    const erg_bus *bus = &r->be->bus;
    erg_drv_write_image(bus, &r->info, 0, b->img, net->input.h, net->input.w, net->input.c);
    for (int i = 0; i < net->n_layers; i++) {
        const erg_map_layer *ml = &r->map.l[i];
        if (ml->unit < 0) continue;
        plain_conv *L = NULL;
        if (net->layers[i].type == ERG_L_CONV2D) {
            L = &b->conv[b->n_conv++];
            if (prepare_conv(b, i, L)) return -1;
            size_t npix = (size_t)L->h * L->w;
            if (ml->d.flags & ERG_BNA_L_FLAGS_THERM)
                erg_golden_thermometer(npix, net->input.c, b->img, net->levels, L->x8);
            else
                erg_drv_read_map(bus, &r->info, (int)ml->d.src, L->h, L->w, L->c, L->x8);
            erg_bitpack(npix, L->c, L->x8, L->x);
        }
        erg_counters cnt;
        if (erg_drv_run_layer(bus, &r->info, &ml->d, 1ull << 40, &cnt, &b->err))
            return erg_error_prefix(&b->err, "layer '%s'", net->layers[i].name);
        if (L) {
            size_t n = (size_t)L->ho * L->wo;
            int8_t *y8 = malloc(n * L->cout);
            if (!y8) return erg_fail(&b->err, "out of memory");
            erg_drv_read_map(bus, &r->info, (int)ml->d.dst, L->ho, L->wo, L->cout, y8);
            erg_bitpack(n, L->cout, y8, L->ref);
            free(y8);
        }
    }
    return 0;
}

/* The plain kernel's output of the timed layer against the golden kernels (int8 +1/-1 conv,
 * then batch-norm + sign): an independent check of the comparison itself. */
static int same_as_golden(bench *b, const plain_conv *L) {
    const erg_layer *l = &b->net.layers[L->li];
    const erg_layer_weights *lw = &b->wt.l[L->li];
    size_t n = (size_t)L->ho * L->wo, nout = n * L->cout;
    int32_t *dot = malloc(nout * sizeof *dot);
    int8_t *y8 = malloc(nout);
    uint64_t *y = malloc(n * L->po * sizeof *y);
    int same = 0;
    if (dot && y8 && y) {
        erg_golden_bconv2d(&l->conv, L->x8, lw->w, l->pad_value, dot);
        erg_golden_bn_sign(n, L->cout, dot, lw->thr, lw->flip, y8);
        erg_bitpack(n, L->cout, y8, y);
        same = memcmp(y, L->y, n * L->po * sizeof *y) == 0;
    }
    free(dot);
    free(y8);
    free(y);
    return same;
}

/* ---- the timed work ---- */

/* The four figures of a repetition. */
enum { FRAME, PLAIN_ALL, CM_LAYER, PLAIN_LAYER, N_MEAS };

static int work_frame(void *ctx) {
    bench *b = ctx;
    return erg_chip_runner_run(&b->r, b->img, &b->err) < 0 ? -1 : 0;
}

static int work_plain_all(void *ctx) {
    bench *b = ctx;
    for (int i = 0; i < b->n_conv; i++) plain_conv2d(&b->conv[i], b->conv[i].y);
    return 0;
}

static int work_cmodel_layer(void *ctx) {
    bench *b = ctx;
    const erg_chip_runner *r = &b->r;
    erg_counters cnt;
    return erg_drv_run_layer(&r->be->bus, &r->info, &r->map.l[b->conv[b->sel].li].d, 1ull << 40,
                             &cnt, &b->err);
}

static int work_plain_layer(void *ctx) {
    bench *b = ctx;
    plain_conv2d(&b->conv[b->sel], b->conv[b->sel].y);
    return 0;
}

/* Puts the timed layer's input into its source buffer: the frame's layers before it. */
static int setup_layer(bench *b) {
    const erg_chip_runner *r = &b->r;
    const erg_net *net = &b->net;
    erg_drv_write_image(&r->be->bus, &r->info, 0, b->img, net->input.h, net->input.w, net->input.c);
    for (int i = 0; i < b->conv[b->sel].li; i++) {
        erg_counters cnt;
        if (r->map.l[i].unit < 0) continue;
        if (erg_drv_run_layer(&r->be->bus, &r->info, &r->map.l[i].d, 1ull << 40, &cnt, &b->err))
            return -1;
    }
    return 0;
}

/* ---- main ---- */

static void usage(FILE *f) {
    fprintf(f,
            "usage: bench_bna [--quick] [--reps N] [--min-time S] [--chip CFG] [--net CFG]\n"
            "                 [--layer NAME] [--seed N]\n"
            "Times a whole frame of NET on CHIP's C model and a plain bit-packed XNOR-popcount\n"
            "kernel on the same conv layers, and prints binary MAC/s, their ratio and frames/s.\n"
            "  --quick       one short repetition (a smoke test; figures are not meaningful)\n"
            "  --reps N      repetitions, the median is reported (default 5)\n"
            "  --min-time S  seconds per measurement and repetition (default 1)\n"
            "  --chip CFG    default configs/chips/binareye.cfg\n"
            "  --net CFG     default configs/nets/binareye_cifar10_f256.cfg\n"
            "  --layer NAME  the conv layer also timed alone (default conv2)\n"
            "  --seed N      seed of the random image (default 1)\n");
}

/* bench_bna's own options (bench_opt_fn). */
static int bna_opt(void *ctx, const char *a, const char *v) {
    opts *o = ctx;
    if (!strcmp(a, "--chip"))
        o->chip = v;
    else if (!strcmp(a, "--net"))
        o->net = v;
    else if (!strcmp(a, "--layer"))
        o->layer = v;
    else
        return 1;
    return 0;
}

static int parse(int argc, char **argv, opts *o) {
    *o = (opts){{5, 1.0, 0, 1},
                "configs/chips/binareye.cfg",
                "configs/nets/binareye_cifar10_f256.cfg",
                "conv2"};
    return bench_parse(argc, argv, "bench_bna", &o->run, usage, bna_opt, o);
}

static int setup(bench *b, const opts *o) {
    if (erg_chip_load(&b->chip, o->chip, &b->err) || erg_net_load(&b->net, o->net, &b->err) ||
        erg_weights_load(&b->wt, &b->net, &b->err) ||
        erg_chip_runner_init(&b->r, &b->net, &b->wt, &b->chip, "cmodel", NULL, &b->err))
        return -1;
    size_t n = (size_t)erg_shape_count(b->net.input);
    b->img = malloc(n);
    b->conv = calloc((size_t)b->net.n_layers, sizeof *b->conv);
    if (!b->img || !b->conv) return erg_fail(&b->err, "out of memory");
    erg_rng rng;
    erg_rng_seed(&rng, o->run.seed);
    for (size_t i = 0; i < n; i++) b->img[i] = (uint8_t)erg_rng_range(&rng, 0, 255);
    /* one frame for the counters (and to warm up) */
    if (work_frame(b)) return -1;
    for (int i = 0; i < b->net.n_layers; i++) {
        b->bmac += (int64_t)b->r.cnt[i].v[ERG_CNT_bmac];
        b->cycles += (int64_t)b->r.cnt[i].v[ERG_CNT_cycles];
    }
    if (capture(b)) return -1;
    b->sel = -1;
    for (int i = 0; i < b->n_conv; i++)
        if (!strcmp(b->conv[i].name, o->layer)) b->sel = i;
    if (b->sel < 0) return erg_fail(&b->err, "net has no conv layer '%s' (--layer)", o->layer);
    return 0;
}

static void teardown(bench *b) {
    for (int i = 0; i < b->n_conv; i++) free_conv(&b->conv[i]);
    free(b->conv);
    free(b->img);
    erg_chip_runner_free(&b->r);
    erg_weights_free(&b->wt);
    erg_net_free(&b->net);
}

int main(int argc, char **argv) {
    opts o;
    if (parse(argc, argv, &o)) return 2;
    static bench b;
    double *t[N_MEAS] = {0}, *ratio = NULL;
    int rc = 1;
    if (setup(&b, &o)) goto fail;

    /* Honesty first: the plain kernel must compute exactly what the C model computed. */
    int identical = 1;
    int64_t conv_bmac = 0;
    for (int i = 0; i < b.n_conv; i++) {
        plain_conv *L = &b.conv[i];
        plain_conv2d(L, L->y);
        size_t words = (size_t)L->ho * L->wo * L->po;
        if (memcmp(L->y, L->ref, words * sizeof *L->y)) {
            fprintf(stderr, "bench_bna: layer '%s': plain kernel and C model outputs differ\n",
                    L->name);
            identical = 0;
        }
        conv_bmac += L->bmac;
    }
    const plain_conv *S = &b.conv[b.sel];
    int golden = o.run.quick ? -1 : same_as_golden(&b, S);

    int has_popcnt = 0, has_avx2 = 0, has_vpopcntdq = 0;
#ifdef __POPCNT__
    has_popcnt = 1;
#endif
#ifdef __AVX2__
    has_avx2 = 1;
#endif
#ifdef __AVX512VPOPCNTDQ__
    has_vpopcntdq = 1;
#endif
    printf("bench_bna: net %s on chip %s, C model (cmodel backend) vs a plain XNOR-popcount "
           "kernel\n",
           b.net.name, b.chip.name);
    printf("compiler: %s; flags: %s\n", ERG_BENCH_CC, ERG_BENCH_FLAGS);
    printf("compiled for: popcnt %s, AVX2 %s, AVX-512 VPOPCNTDQ %s\n", bench_yes_no(has_popcnt),
           bench_yes_no(has_avx2), bench_yes_no(has_vpopcntdq));
    printf("frame: %lld binary MACs (%d convs %lld, other layers %lld), %lld chip cycles\n",
           (long long)b.bmac, b.n_conv, (long long)conv_bmac, (long long)(b.bmac - conv_bmac),
           (long long)b.cycles);
    printf("outputs identical: %s (plain kernel vs C model on all %d conv layers",
           bench_yes_no(identical), b.n_conv);
    if (golden >= 0)
        printf("; %s vs golden kernels: %s", S->name, golden ? "identical" : "DIFFERENT");
    printf(")\n");
    if (!identical || golden == 0) goto fail_quiet;

    /* Side by side: each repetition times all four in turn, so load changes hit them alike. */
    for (int m = 0; m < N_MEAS; m++) t[m] = calloc((size_t)o.run.reps, sizeof(double));
    ratio = calloc((size_t)o.run.reps, sizeof(double));
    if (!t[0] || !t[1] || !t[2] || !t[3] || !ratio) {
        erg_fail(&b.err, "out of memory");
        goto fail;
    }
    for (int rep = 0; rep < o.run.reps; rep++) {
        if ((t[FRAME][rep] = bench_time_per_call(work_frame, &b, o.run.min_time)) < 0) goto fail;
        t[PLAIN_ALL][rep] = bench_time_per_call(work_plain_all, &b, o.run.min_time);
        if (setup_layer(&b) ||
            (t[CM_LAYER][rep] = bench_time_per_call(work_cmodel_layer, &b, o.run.min_time)) < 0)
            goto fail;
        t[PLAIN_LAYER][rep] = bench_time_per_call(work_plain_layer, &b, o.run.min_time);
        ratio[rep] = ((double)b.bmac / t[FRAME][rep]) / ((double)conv_bmac / t[PLAIN_ALL][rep]);
    }
    bench_stat3 s[N_MEAS];
    for (int m = 0; m < N_MEAS; m++) s[m] = bench_stats(t[m], o.run.reps);
    bench_stat3 sr = bench_stats(ratio, o.run.reps);
    double cm_rate = (double)b.bmac / s[FRAME].med, pl_rate = (double)conv_bmac / s[PLAIN_ALL].med;
    double cm_l = (double)S->bmac / s[CM_LAYER].med, pl_l = (double)S->bmac / s[PLAIN_LAYER].med;

    printf("measured: %d repetition(s) of >= %.3g s per figure, interleaved; median (min..max)%s\n",
           o.run.reps, o.run.min_time, o.run.quick ? " [--quick: not meaningful]" : "");
    printf("C model, whole frame:      %8.3f ms/frame (%.3f..%.3f)  %.3g binary MAC/s\n",
           1e3 * s[FRAME].med, 1e3 * s[FRAME].min, 1e3 * s[FRAME].max, cm_rate);
    printf("plain kernel, %d convs:     %8.3f ms/frame (%.3f..%.3f)  %.3g binary MAC/s\n", b.n_conv,
           1e3 * s[PLAIN_ALL].med, 1e3 * s[PLAIN_ALL].min, 1e3 * s[PLAIN_ALL].max, pl_rate);
    printf("ratio C model / plain kernel: %.2f (per repetition %.2f..%.2f; goal >= 0.5)\n",
           cm_rate / pl_rate, sr.min, sr.max);
    printf("%s alone (%dx%dx%d -> %dx%dx%d, %.4g binary MACs): C model %.3g, plain %.3g binary "
           "MAC/s, ratio %.2f\n",
           S->name, S->h, S->w, S->c, S->ho, S->wo, S->cout, (double)S->bmac, cm_l, pl_l,
           cm_l / pl_l);
    double sim_fps = 1.0 / s[FRAME].med;
    printf("simulated frames/s (C model, wall clock): %.1f\n", sim_fps);
    double fmax = 0;
    for (int i = 0; i < b.chip.n_ops; i++)
        if (b.chip.ops[i].freq_hz > fmax) fmax = b.chip.ops[i].freq_hz;
    if (fmax > 0 && b.cycles > 0) {
        double chip_fps = fmax / (double)b.cycles;
        printf("chip frames/s at %.4g MHz (%lld cycles/frame): %.0f; the C model runs at %.3gx the "
               "chip's real time\n",
               fmax / 1e6, (long long)b.cycles, chip_fps, sim_fps / chip_fps);
    }
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "bench_bna: %s\n", b.err.msg);
fail_quiet:
    rc = 1;
done:
    for (int m = 0; m < N_MEAS; m++) free(t[m]);
    free(ratio);
    teardown(&b);
    return rc;
}
