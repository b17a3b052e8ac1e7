/* cli_check.c — `erg check`: validates net, chip and tech configs (and a net's weights). */
#include <stdio.h>

#include "amac_run.h"
#include "chip.h"
#include "fixynn.h"
#include "mapper.h"
#include "cli.h"
#include "net.h"
#include "platform.h"
#include "sweep.h"
#include "tech.h"
#include "weights.h"

/* ---- erg check ---- */

static const char CHECK_HELP[] =
    "usage: erg check [--net NET.cfg] [--chip CHIP.cfg] [--tech TECH.cfg] [--platform P.cfg]\n"
    "                 [--sweep SWEEP.cfg]\n"
    "\n"
    "Validates config files (schema, value ranges, layer shapes, weight files) and prints\n"
    "\"ok\" for each, or the first problem with its file, line and key. With both --net and\n"
    "--chip it also maps the net onto the chip and says what does not fit.\n"
    "\n"
    "example:\n"
    "  erg check --net configs/nets/fmnist_bnn.cfg --chip configs/chips/binareye.cfg\n";

/* A net on a chip's amac unit: the mapping (on the C model, nothing runs) and every op point's
 * multipliers in the unit's set. */
static int check_amac(const opts *o, const erg_net *net, const erg_chip *chip, erg_error *e) {
    erg_weights wt;
    if (erg_weights_load(&wt, net, e)) return -1;
    erg_amac_runner ar;
    int rc = erg_amac_runner_init(&ar, net, &wt, chip, "cmodel", NULL, 0, e);
    for (int p = 1; !rc && p < net->n_ops; p++) rc = erg_amac_runner_set_op(&ar, p, e);
    if (!rc && !o->quiet) {
        int on_unit = 0, host = 0;
        for (int i = 0; i < net->n_layers; i++) {
            on_unit += ar.l[i].where == ERG_AMAC_ON_UNIT;
            host += ar.l[i].where == ERG_AMAC_ON_HOST;
        }
        printf("net '%s' fits chip '%s': %d layers on unit '%s', %d pooling on the host; local "
               "memory %u of %u bytes; %d op point%s, every multiplier in the unit's set\n",
               net->name, chip->name, on_unit, chip->units[ar.unit].name, host, ar.lmem_used,
               ar.info.lmem_bytes, net->n_ops, net->n_ops == 1 ? "" : "s");
    }
    if (!rc) erg_amac_runner_free(&ar);
    erg_weights_free(&wt);
    return rc;
}

/* A net on a hybrid chip (docs/fwfe.md): the fixed front-end compiled and the rest mapped onto
 * the amac unit, at the default op point and at every other point that keeps the fixed layers
 * exact (the others are named: the front-end's products are exact). */
static int check_fixynn(const opts *o, const erg_net *net, const erg_chip *chip, erg_error *e) {
    erg_weights wt;
    if (erg_weights_load(&wt, net, e)) return -1;
    erg_fixynn h;
    int rc = erg_fixynn_init(&h, net, &wt, chip, "cmodel", 0, e);
    if (rc) {
        erg_weights_free(&wt);
        return rc;
    }
    int first = h.first, last = h.last;
    if (!o->quiet) {
        uint64_t nz = 0;
        for (int i = 0; i <= last - first; i++) nz += h.fst[i].nonzero_weights;
        printf("net '%s' fits chip '%s': layers %s..%s fixed on unit '%s' (%llu non-zero "
               "weights, %llu cycles a frame, FIFO of %d map%s), the rest on unit '%s'; local "
               "memory %u of %u bytes\n",
               net->name, chip->name, net->layers[first].name, net->layers[last].name,
               chip->fwfe.name, (unsigned long long)nz, (unsigned long long)h.front_cycles, h.slots,
               h.slots == 1 ? "" : "s", chip->units[h.back.unit].name, h.back.lmem_used,
               h.back.info.lmem_bytes);
    }
    erg_fixynn_free(&h);
    char skipped[512] = "";
    size_t used = 0;
    for (int p = 1; !rc && p < net->n_ops; p++) {
        int approx = 0;
        for (int i = first; i <= last && net->ops[p].mul; i++)
            approx |= net->ops[p].mul[i] >= 0 && !net->muls[net->ops[p].mul[i]].exact;
        if (approx) {
            int w = snprintf(skipped + used, sizeof skipped - used, "%s%s", used ? ", " : "",
                             net->ops[p].name);
            if (w > 0 && (size_t)w < sizeof skipped - used) used += (size_t)w;
            continue;
        }
        rc = erg_fixynn_init(&h, net, &wt, chip, "cmodel", p, e);
        if (!rc) erg_fixynn_free(&h);
    }
    if (!rc && used && !o->quiet)
        printf("op points %s approximate the fixed layers and run on chips without the "
               "front-end only\n",
               skipped);
    erg_weights_free(&wt);
    return rc;
}

int cmd_check(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(CHECK_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("check", argc, argv, 2,
                        "--net --chip --tech --platform --sweep --quiet --help ", &o);
    if (rc) return rc;
    if (o.n_positional)
        return usage_error("check",
                           "name each file with --net, --chip, --tech, --platform or --sweep");
    if (!o.net && !o.chip && !o.tech && !o.platform && !o.sweep)
        return usage_error("check", "nothing to check");
    erg_error e;
    if (o.platform) {
        erg_est_platform p;
        if (erg_platform_load(&p, o.platform, &e)) return bad_input(&e);
        if (!o.quiet)
            printf("%s: ok (platform '%s', %d x %d array, %d memory levels)\n", o.platform, p.name,
                   p.rows, p.cols, p.n_levels);
    }
    if (o.sweep) {
        static erg_sweep sw; /* large: not on the stack */
        if (erg_sweep_load(&sw, o.sweep, &e)) return bad_input(&e);
        if (!o.quiet)
            printf("%s: ok (sweep '%s', %s evaluator, %d net%s x %d parameter%s = %llu points)\n",
                   o.sweep, sw.name, sw.eval == ERG_SWEEP_ESTIMATE ? "estimate" : "cmodel",
                   sw.n_nets, sw.n_nets == 1 ? "" : "s", sw.n_params, sw.n_params == 1 ? "" : "s",
                   (unsigned long long)sw.n_points);
    }
    if (o.net) {
        erg_net net;
        erg_weights wt;
        if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
        if (erg_weights_load(&wt, &net, &e)) {
            erg_net_free(&net);
            return bad_input(&e);
        }
        if (!o.quiet)
            printf("%s: ok (net '%s', %d layers, %s weights)\n", o.net, net.name, net.n_layers,
                   net.random_weights ? "random" : "trained");
        erg_weights_free(&wt);
        erg_net_free(&net);
    }
    if (o.chip) {
        erg_chip chip;
        if (erg_chip_load(&chip, o.chip, &e)) return bad_input(&e);
        if (!o.quiet)
            printf("%s: ok (chip '%s', %d unit%s%s, %d operating points)\n", o.chip, chip.name,
                   chip.n_units + chip.has_fwfe, chip.n_units + chip.has_fwfe == 1 ? "" : "s",
                   chip.has_fwfe ? " (one a fixed front-end)" : "", chip.n_ops);
    }
    if (o.net && o.chip) {
        erg_net net;
        erg_chip chip;
        erg_mapping m;
        if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
        if (erg_chip_load(&chip, o.chip, &e)) {
            erg_net_free(&net);
            return bad_input(&e);
        }
        if (erg_chip_has_amac(&chip)) {
            int rc2 =
                chip.has_fwfe ? check_fixynn(&o, &net, &chip, &e) : check_amac(&o, &net, &chip, &e);
            erg_net_free(&net);
            if (rc2) return bad_input(&e);
            goto tech;
        }
        if (erg_map_net(&m, &net, &chip, &e)) {
            erg_net_free(&net);
            return bad_input(&e);
        }
        if (!o.quiet)
            printf(
                "net '%s' fits chip '%s': all layers on unit '%s', weights take %lld of %lld "
                "rows per weight SRAM bank\n",
                net.name, chip.name, chip.units[m.unit].name, (long long)m.rows_used,
                (long long)(chip.units[m.unit].weight_sram_bytes / chip.units[m.unit].weight_banks /
                            (chip.units[m.unit].weight_word_bits / 8)));
        erg_mapping_free(&m);
        erg_net_free(&net);
    }
tech:
    if (o.tech) {
        erg_tech t;
        if (erg_tech_load(&t, o.tech, &e)) return bad_input(&e);
        if (!o.quiet) printf("%s: ok (tech '%s', %d nm, %g V)\n", o.tech, t.name, t.node_nm, t.vdd);
    }
    return 0;
}
