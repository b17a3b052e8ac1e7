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
#include "report.h"

static const char ESTIMATE_HELP[] =
    "usage: erg estimate --net NET.cfg --platform PLATFORM.cfg [--volt V] [--format "
    "table|csv|json]\n"
    "                    [--out FILE] [--quiet]\n"
    "\n"
    "Estimates the energy of one inference of the network on a generic platform without\n"
    "simulating it: arithmetic energy from the weight and activation bits of every layer, and\n"
    "for each level of the platform's memory hierarchy (registers, SRAM levels, DRAM) the bits\n"
    "the layer moves through it with the reuse the platform's array and dataflow achieve, times\n"
    "the level's energy per access from the tech table; plus clock and leakage over the\n"
    "estimated cycles. Any bit width 1, 2, 4, 8 or 16 (nets with weights = \"random\").\n"
    "The equations are in docs/estimate.md.\n"
    "\n"
    "examples:\n"
    "  erg estimate --net configs/nets/fmnist_int8.cfg --platform configs/platforms/amac8.cfg\n"
    "  erg estimate --net configs/nets/binareye_cifar10_f256.cfg --platform "
    "configs/platforms/binareye.cfg --format json\n";

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

int cmd_estimate(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(ESTIMATE_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("estimate", argc, argv, 2,
                        "--net --platform --volt --format --out --quiet --help ", &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("estimate", "unexpected argument '%s'", o.positional[0]);
    if (!o.net) return usage_error("estimate", "expected --net NET.cfg");
    if (!o.platform) return usage_error("estimate", "expected --platform PLATFORM.cfg");
    erg_error e;
    erg_est_platform p;
    if (erg_platform_load(&p, o.platform, &e)) return bad_input(&e);
    if (o.volt > 0) {
        p.volt = o.volt;
        if (erg_est_platform_init(&p, &e)) return bad_input(&e);
    }
    erg_net net;
    if (erg_net_load_any_bits(&net, o.net, &e)) return bad_input(&e);
    erg_est_result *r = calloc((size_t)net.n_layers, sizeof *r), t;
    if (!r) {
        erg_net_free(&net);
        erg_fail(&e, "out of memory");
        return bad_input(&e);
    }
    if (erg_platform_estimate(&p, &net, r, &t, &e)) {
        erg_error_prefix(&e, o.net);
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
