/* bench_fwfe.c — simulation speed of the fixed-weight feature extractor's C model (models/fwfe)
 * against the golden int8 kernels on the same layers (erg_golden_conv2d / _depthwise +
 * erg_golden_requant: plain direct convolutions, sim/fwfe_net.c's erg_fwfe_net_golden), on
 * fmnist_int8's conv1 and the 7-layer MobileNet-v1-0.25 front; and of a frame of the hybrid chip
 * (configs/chips/fixynn_fmnist.cfg: the FWFE C model + the amac unit's C model through the
 * driver) against the same frame on the programmable chip alone (configs/chips/amac8.cfg). All
 * measured side by side in one run, each repetition timing every piece in turn; outputs are
 * compared first (docs/bench.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amac_run.h"
#include "bench_common.h"
#include "erg_rng.h"
#include "fixynn.h"
#include "fwfe_net.h"

typedef struct front {
    const char *label;
    erg_net net;
    erg_weights wt;
    int last;
    erg_fwfe *f;
    uint8_t *in, *out_model, *out_golden;
    double macs;
} front;

typedef struct bench {
    front fr[2];
    erg_net fm;
    erg_weights fmw;
    erg_chip hyb, amac8;
    erg_fixynn h;
    erg_amac_runner plain;
    uint8_t *image;
} bench;

static void usage(FILE *f) {
    fprintf(f, "usage: bench_fwfe [--quick] [--reps N] [--min-time S] [--seed N]\n"
               "  the FWFE C model vs the golden kernels on the same layers, and a hybrid-chip\n"
               "  frame vs the same frame on the programmable chip alone (run from the source "
               "folder)\n");
}

static int load_front(front *fr, const char *label, const char *cfg, uint64_t seed) {
    erg_error e;
    memset(fr, 0, sizeof *fr);
    fr->label = label;
    if (erg_net_load(&fr->net, cfg, &e) || erg_weights_load(&fr->wt, &fr->net, &e)) {
        fprintf(stderr, "bench_fwfe: %s\n", e.msg);
        return -1;
    }
    /* the longest fixable prefix: conv1 of fmnist, the whole MobileNet front */
    fr->last = 0;
    while (fr->last + 1 < fr->net.n_layers &&
           (fr->net.layers[fr->last + 1].type == ERG_L_CONV2D ||
            fr->net.layers[fr->last + 1].type == ERG_L_DEPTHWISE))
        fr->last++;
    fr->f = erg_fwfe_net_build(&fr->net, &fr->wt, 0, fr->last, 0, ERG_FWFE_TREE_BINARY, &e);
    if (!fr->f) {
        fprintf(stderr, "bench_fwfe: %s\n", e.msg);
        return -1;
    }
    size_t ni = (size_t)erg_shape_count(fr->net.input);
    size_t no = (size_t)erg_shape_count(fr->net.layers[fr->last].out);
    fr->in = malloc(ni);
    fr->out_model = malloc(no);
    fr->out_golden = malloc(no);
    if (!fr->in || !fr->out_model || !fr->out_golden) return -1;
    erg_rng r;
    erg_rng_seed(&r, seed);
    for (size_t i = 0; i < ni; i++) fr->in[i] = (uint8_t)erg_rng_u64(&r);
    for (int i = 0; i <= fr->last; i++) fr->macs += erg_fwfe_layer_macs(fr->f, i);
    return 0;
}

static void free_front(front *fr) {
    erg_fwfe_free(fr->f);
    free(fr->in);
    free(fr->out_model);
    free(fr->out_golden);
    if (fr->net.n_layers) {
        erg_weights_free(&fr->wt);
        erg_net_free(&fr->net);
    }
}

static int work_model(void *ctx) {
    front *fr = ctx;
    return erg_fwfe_run(fr->f, fr->in, fr->out_model, NULL) ? 0 : -1;
}

static int work_golden(void *ctx) {
    front *fr = ctx;
    erg_error e;
    return erg_fwfe_net_golden(&fr->net, &fr->wt, 0, fr->last, fr->in, fr->out_golden, &e);
}

static int work_hybrid(void *ctx) {
    bench *b = ctx;
    erg_error e;
    return erg_fixynn_run(&b->h, b->image, &e) < 0 ? -1 : 0;
}

static int work_plain(void *ctx) {
    bench *b = ctx;
    erg_error e;
    return erg_amac_runner_run(&b->plain, b->image, &e) < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
    bench_opts o = {.reps = 5, .min_time = 0.3, .seed = 1};
    if (bench_parse(argc, argv, "bench_fwfe", &o, usage, NULL, NULL)) return 2;
    static bench b;
    erg_error e;
    int rc = 1;
    if (load_front(&b.fr[0], "fmnist_int8 conv1", "configs/nets/fmnist_int8.cfg", o.seed) ||
        load_front(&b.fr[1], "MobileNet front conv1..pw3", "configs/nets/mobilenet025_front.cfg",
                   o.seed + 1))
        goto out;
    if (erg_net_load(&b.fm, "configs/nets/fmnist_int8.cfg", &e) ||
        erg_weights_load(&b.fmw, &b.fm, &e) ||
        erg_chip_load(&b.hyb, "configs/chips/fixynn_fmnist.cfg", &e) ||
        erg_chip_load(&b.amac8, "configs/chips/amac8.cfg", &e) ||
        erg_fixynn_init(&b.h, &b.fm, &b.fmw, &b.hyb, "cmodel", 0, &e) ||
        erg_amac_runner_init(&b.plain, &b.fm, &b.fmw, &b.amac8, "cmodel", NULL, 0, &e)) {
        fprintf(stderr, "bench_fwfe: %s\n", e.msg);
        goto out;
    }
    b.image = b.fr[0].in; /* the same random 28x28 image */

    printf("bench_fwfe: FWFE C model vs the golden kernels, hybrid chip vs programmable chip\n");
    printf("compiler: %s; flags: %s\n", ERG_BENCH_CC, ERG_BENCH_FLAGS);
    /* honesty first: identical outputs */
    int same = 1;
    for (int k = 0; k < 2; k++) {
        front *fr = &b.fr[k];
        if (work_model(fr) || work_golden(fr)) goto out;
        size_t no = (size_t)erg_shape_count(fr->net.layers[fr->last].out);
        same &= memcmp(fr->out_model, fr->out_golden, no) == 0;
    }
    int ch = erg_fixynn_run(&b.h, b.image, &e), cp = erg_amac_runner_run(&b.plain, b.image, &e);
    same &=
        ch >= 0 && ch == cp &&
        memcmp(b.h.back.scores, b.plain.scores, (size_t)b.plain.n_scores * sizeof(int64_t)) == 0;
    printf("outputs identical: %s (FWFE vs golden on both fronts; hybrid vs programmable chip "
           "scores)\n",
           bench_yes_no(same));
    if (!same) goto out;

    enum { M_MODEL0, M_GOLD0, M_MODEL1, M_GOLD1, M_HYB, M_PLAIN, N_MEAS };
    double *t[N_MEAS] = {0};
    for (int m = 0; m < N_MEAS; m++)
        if (!(t[m] = calloc((size_t)o.reps, sizeof(double)))) goto out;
    for (int r = 0; r < o.reps; r++) {
        t[M_MODEL0][r] = bench_time_per_call(work_model, &b.fr[0], o.min_time);
        t[M_GOLD0][r] = bench_time_per_call(work_golden, &b.fr[0], o.min_time);
        t[M_MODEL1][r] = bench_time_per_call(work_model, &b.fr[1], o.min_time);
        t[M_GOLD1][r] = bench_time_per_call(work_golden, &b.fr[1], o.min_time);
        t[M_HYB][r] = bench_time_per_call(work_hybrid, &b, o.min_time);
        t[M_PLAIN][r] = bench_time_per_call(work_plain, &b, o.min_time);
    }
    bench_stat3 s[N_MEAS];
    for (int m = 0; m < N_MEAS; m++) {
        double c[1000];
        memcpy(c, t[m], (size_t)o.reps * sizeof(double));
        s[m] = bench_stats(c, o.reps);
        if (s[m].min < 0) goto out;
    }
    for (int k = 0; k < 2; k++) {
        const front *fr = &b.fr[k];
        double tm = s[2 * k].med, tg = s[2 * k + 1].med;
        printf("%s (%d layer%s, %.3g MMAC/frame): C model %.4g ms/frame (%.3g MMAC/s), golden "
               "%.4g ms/frame (%.3g MMAC/s)\n",
               fr->label, fr->last + 1, fr->last ? "s" : "", fr->macs / 1e6, tm * 1e3,
               fr->macs / tm / 1e6, tg * 1e3, fr->macs / tg / 1e6);
        printf("ratio C model / golden kernels (%s): %.3f (speed; median of %d)\n", fr->label,
               tg / tm, o.reps);
    }
    printf("hybrid frame %.4g ms, programmable-chip frame %.4g ms\n", s[M_HYB].med * 1e3,
           s[M_PLAIN].med * 1e3);
    printf("ratio hybrid / programmable chip: %.3f (simulation speed; median of %d)\n",
           s[M_PLAIN].med / s[M_HYB].med, o.reps);
    for (int m = 0; m < N_MEAS; m++) free(t[m]);
    rc = 0;
out:
    if (b.plain.l) erg_amac_runner_free(&b.plain);
    erg_fixynn_free(&b.h);
    if (b.fm.n_layers) {
        erg_weights_free(&b.fmw);
        erg_net_free(&b.fm);
    }
    free_front(&b.fr[0]);
    free_front(&b.fr[1]);
    return rc;
}
