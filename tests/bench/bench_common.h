/* bench_common.h — what the speed benchmarks of tests/bench/ share: the monotonic clock, timing
 * one piece of work for at least a given time, median/min/max over repetitions, and the parsing
 * of the options every benchmark has (--quick, --reps, --min-time, --seed, --help); each
 * benchmark parses its own options through a callback (docs/bench.md). */
#ifndef ERG_BENCH_COMMON_H
#define ERG_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>

#ifndef ERG_BENCH_FLAGS
#define ERG_BENCH_FLAGS "(unknown)"
#endif
#ifndef ERG_BENCH_CC
#define ERG_BENCH_CC "(unknown)"
#endif

/* Seconds of CLOCK_MONOTONIC. */
double bench_now(void);

/* One piece of timed work on ctx: 0, or -1 on an error. */
typedef int (*bench_work_fn)(void *ctx);

/* Calls fn(ctx) until at least min_time seconds have passed; the seconds per call, or -1 when
 * a call fails. */
double bench_time_per_call(bench_work_fn fn, void *ctx, double min_time);

/* Median, min and max of n >= 1 values (sorts v). */
typedef struct bench_stat3 {
    double med, min, max;
} bench_stat3;

bench_stat3 bench_stats(double *v, int n);

static inline const char *bench_yes_no(int v) {
    return v ? "yes" : "no";
}

/* The options every benchmark has. */
typedef struct bench_opts {
    int reps;        /* repetitions; the median is reported */
    double min_time; /* seconds per measurement and repetition */
    int quick;       /* --quick: a smoke test; figures are not meaningful */
    uint64_t seed;   /* the random data */
} bench_opts;

/* A benchmark's own option NAME with its VALUE: 0 when taken, 1 when NAME is not one of its
 * options, -1 when VALUE is wrong (the callback has said why on stderr). */
typedef int (*bench_opt_fn)(void *ctx, const char *name, const char *value);

/* Parses argv into o (which holds the defaults on entry) and, through opt(ctx, ...), the
 * benchmark's own options (all of which take a value). --quick means one repetition of 0.02 s
 * unless --reps or --min-time say otherwise; --help and -h print usage to stdout and exit 0.
 * An unknown option or a missing value prints usage to stderr. Checks --reps (1..1000) and
 * --min-time (0 .. 600 s). 0, or -1 on an error (said on stderr, prefixed with prog). */
int bench_parse(int argc, char **argv, const char *prog, bench_opts *o, void (*usage)(FILE *f),
                bench_opt_fn opt, void *ctx);

#endif
