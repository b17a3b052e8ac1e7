/* cli_check.c — `erg check`: validates net, chip and tech configs (and a net's weights). */
#include <stdio.h>

#include "chip.h"
#include "cli.h"
#include "net.h"
#include "tech.h"
#include "weights.h"

/* ---- erg check ---- */

static const char CHECK_HELP[] =
    "usage: erg check [--net NET.cfg] [--chip CHIP.cfg] [--tech TECH.cfg]\n"
    "\n"
    "Validates config files (schema, value ranges, layer shapes, weight files) and prints\n"
    "\"ok\" for each, or the first problem with its file, line and key.\n"
    "\n"
    "example:\n"
    "  erg check --net configs/nets/fmnist_bnn.cfg --chip configs/chips/binareye.cfg\n";

int cmd_check(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(CHECK_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("check", argc, argv, 2, "--net --chip --tech --quiet --help ", &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("check", "name each file with --net, --chip or --tech");
    if (!o.net && !o.chip && !o.tech) return usage_error("check", "nothing to check");
    erg_error e;
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
            printf("%s: ok (chip '%s', %d unit%s, %d operating points)\n", o.chip, chip.name,
                   chip.n_units, chip.n_units == 1 ? "" : "s", chip.n_ops);
    }
    if (o.tech) {
        erg_tech t;
        if (erg_tech_load(&t, o.tech, &e)) return bad_input(&e);
        if (!o.quiet) printf("%s: ok (tech '%s', %d nm, %g V)\n", o.tech, t.name, t.node_nm, t.vdd);
    }
    return 0;
}
