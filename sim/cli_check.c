/* cli_check.c — `erg check`: validates net, chip and tech configs (and a net's weights). */
#include <stdio.h>

#include "chip.h"
#include "mapper.h"
#include "cli.h"
#include "net.h"
#include "tech.h"
#include "weights.h"

/* ---- erg check ---- */

static const char CHECK_HELP[] =
    "usage: erg check [--net NET.cfg] [--chip CHIP.cfg] [--tech TECH.cfg]\n"
    "\n"
    "Validates config files (schema, value ranges, layer shapes, weight files) and prints\n"
    "\"ok\" for each, or the first problem with its file, line and key. With both --net and\n"
    "--chip it also maps the net onto the chip and says what does not fit.\n"
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
    if (o.net && o.chip) {
        erg_net net;
        erg_chip chip;
        erg_mapping m;
        if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
        if (erg_chip_load(&chip, o.chip, &e) || erg_map_net(&m, &net, &chip, &e)) {
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
    if (o.tech) {
        erg_tech t;
        if (erg_tech_load(&t, o.tech, &e)) return bad_input(&e);
        if (!o.quiet) printf("%s: ok (tech '%s', %d nm, %g V)\n", o.tech, t.name, t.node_nm, t.vdd);
    }
    return 0;
}
