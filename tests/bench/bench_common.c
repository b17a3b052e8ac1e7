/* bench_common.c — the helpers the speed benchmarks share (bench_common.h). */
#include "bench_common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double bench_time_per_call(bench_work_fn fn, void *ctx, double min_time) {
    long calls = 0;
    double t0 = bench_now(), t;
    do {
        if (fn(ctx)) return -1;
        calls++;
        t = bench_now() - t0;
    } while (t < min_time);
    return t / (double)calls;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bench_stat3 bench_stats(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    bench_stat3 s = {n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]), v[0], v[n - 1]};
    return s;
}

int bench_parse(int argc, char **argv, const char *prog, bench_opts *o, void (*usage)(FILE *f),
                bench_opt_fn opt, void *ctx) {
    int reps_given = 0, min_time_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--quick")) {
            o->quick = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (!v) {
            usage(stderr);
            return -1;
        }
        i++;
        if (!strcmp(a, "--reps")) {
            o->reps = atoi(v);
            reps_given = 1;
        } else if (!strcmp(a, "--min-time")) {
            o->min_time = atof(v);
            min_time_given = 1;
        } else if (!strcmp(a, "--seed")) {
            o->seed = strtoull(v, NULL, 0);
        } else {
            int rc = opt ? opt(ctx, a, v) : 1;
            if (rc > 0) usage(stderr);
            if (rc) return -1;
        }
    }
    if (o->quick) {
        if (!reps_given) o->reps = 1;
        if (!min_time_given) o->min_time = 0.02;
    }
    if (o->reps < 1 || o->reps > 1000 || !(o->min_time > 0 && o->min_time < 600)) {
        fprintf(stderr, "%s: --reps must be 1..1000 and --min-time in (0, 600) s\n", prog);
        return -1;
    }
    return 0;
}
