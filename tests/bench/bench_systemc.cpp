/* bench_systemc.cpp — the SystemC platform's overhead (docs/bench.md, docs/systemc.md): a
 * network's frames on the bare C model and on the SystemC platform with C-model units, through
 * the same driver, in one process: simulated cycles (the units' cycles of a frame) per
 * wall-clock second of each, and their ratio. Also checks both give the same scores. Its own
 * sc_main (libsystemc's main calls it); one platform per process, so each network or memory
 * system is its own run:
 *   bench_systemc [--quick] [--min-time S] CHIP NET [systemc|systemc-ideal] */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include "amac_run.h"
#include "bench_common.h"
#include "chip.h"
#include "chip_run.h"
#include "erg_rng.h"
#include "net.h"
#include "weights.h"
}
#include "sc_platform.h"

namespace {

struct Run {
    bool amac;
    erg_amac_runner a;
    erg_chip_runner c;
    const erg_net *net;
    std::vector<uint8_t> img;
    uint64_t cycles = 0;
    int cls = -1;
    erg_error e;
};

int frame(void *ctx) {
    Run *r = static_cast<Run *>(ctx);
    r->cls = r->amac ? erg_amac_runner_run(&r->a, r->img.data(), &r->e)
                     : erg_chip_runner_run(&r->c, r->img.data(), &r->e);
    return r->cls < 0 ? -1 : 0;
}

uint64_t frame_cycles(Run &r) {
    uint64_t t = 0;
    for (int i = 0; i < r.net->n_layers; i++)
        t += r.amac ? r.a.cnt[i].v[ERG_AMAC_CNT_cycles] : r.c.cnt[i].v[ERG_CNT_cycles];
    return t;
}

const int64_t *scores(Run &r, int *n) {
    *n = r.amac ? r.a.n_scores : r.c.n_scores;
    return r.amac ? r.a.scores : r.c.scores;
}

void usage(FILE *f) {
    fprintf(f, "usage: bench_systemc [--quick] [--reps N] [--min-time S] CHIP NET "
               "[systemc|systemc-ideal]\n");
}

} // namespace

extern "C" int sc_main(int argc, char **argv) {
    erg_systemc_install();
    bench_opts o = {5, 1.0, 0, 1};
    std::vector<char *> pos;
    std::vector<char *> rest{argv[0]};
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-') {
            pos.push_back(argv[i]);
        } else {
            rest.push_back(argv[i]);
            if (strcmp(argv[i], "--quick") && i + 1 < argc) rest.push_back(argv[++i]);
        }
    }
    if (bench_parse((int)rest.size(), rest.data(), "bench_systemc", &o, usage, nullptr, nullptr))
        return 2;
    if (pos.size() < 2) {
        usage(stderr);
        return 2;
    }
    const char *backend = pos.size() > 2 ? pos[2] : "systemc-ideal";
    erg_error e;
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    if (erg_chip_load(&chip, pos[0], &e) || erg_net_load(&net, pos[1], &e) ||
        erg_weights_load(&wt, &net, &e)) {
        fprintf(stderr, "bench_systemc: %s\n", e.msg);
        return 2;
    }
    Run r[2];
    const char *names[2] = {"cmodel", backend};
    for (int k = 0; k < 2; k++) {
        r[k].amac = erg_chip_has_amac(&chip);
        r[k].net = &net;
        r[k].img.resize((size_t)erg_shape_count(net.input));
        erg_rng g;
        erg_rng_seed(&g, o.seed);
        for (auto &b : r[k].img) b = (uint8_t)erg_rng_range(&g, 0, 255);
        int rc = r[k].amac
                     ? erg_amac_runner_init(&r[k].a, &net, &wt, &chip, names[k], nullptr, 0, &e)
                     : erg_chip_runner_init(&r[k].c, &net, &wt, &chip, names[k], nullptr, &e);
        if (rc || frame(&r[k])) {
            fprintf(stderr, "bench_systemc: %s: %s\n", names[k], rc ? e.msg : r[k].e.msg);
            return 2;
        }
        r[k].cycles = frame_cycles(r[k]);
    }
    std::vector<double> rate[2], ratio;
    for (int rep = 0; rep < o.reps; rep++) {
        double t[2];
        for (int k = 0; k < 2; k++) {
            t[k] = bench_time_per_call(frame, &r[k], o.min_time);
            if (t[k] < 0) {
                fprintf(stderr, "bench_systemc: %s\n", r[k].e.msg);
                return 2;
            }
            rate[k].push_back((double)r[k].cycles / t[k]);
        }
        ratio.push_back(t[1] / t[0]);
    }
    int n0, n1;
    const int64_t *s0 = scores(r[0], &n0), *s1 = scores(r[1], &n1);
    bool same = n0 == n1 && !memcmp(s0, s1, sizeof *s0 * (size_t)n0) && r[0].cycles == r[1].cycles;
    bench_stat3 a = bench_stats(rate[0].data(), o.reps), b = bench_stats(rate[1].data(), o.reps),
                q = bench_stats(ratio.data(), o.reps);
    const erg_sc_stats *st = erg_systemc_stats(r[1].amac ? r[1].a.be : r[1].c.be);
    printf("network %s on chip %s: %llu unit cycles per frame; platform: %s memory system, "
           "%llu platform cycles over the run\n",
           net.name, chip.name, (unsigned long long)r[0].cycles,
           st && st->ideal ? "an ideal" : "the chip's", st ? (unsigned long long)st->now : 0ull);
    printf("flags: %s (%s); %d repetitions of >= %.2f s, median [min, max]\n", ERG_BENCH_FLAGS,
           ERG_BENCH_CC, o.reps, o.min_time);
    printf("C model:          %.4g cycles/s [%.4g, %.4g]\n", a.med, a.min, a.max);
    printf("SystemC platform: %.4g cycles/s [%.4g, %.4g]\n", b.med, b.min, b.max);
    printf("outputs identical: %s\n", bench_yes_no(same));
    printf("ratio platform / C model (overhead, wall time per frame): %.3g [%.3g, %.3g] "
           "(goal <= 3)\n",
           q.med, q.min, q.max);
    return same ? 0 : 1;
}
