/* cli_verify.c — `erg verify`: the chip's RTL against its C model (lockstep: outputs, cycles,
 * counters) and both against the golden kernels, layer by layer, on a network or on seeded
 * random networks. Exit 0 when everything matches, 1 on the first mismatch, 2 on bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chip.h"
#include "amac_run.h"
#include "cli.h"
#include "erg_regs_amac.h"
#include "erg_array.h"
#include "erg_counters.h"
#include "erg_rng.h"
#include "net.h"
#include "randnet.h"
#include "verify.h"
#include "weights.h"

static const char VERIFY_HELP[] =
    "usage: erg verify --chip CHIP.cfg --net NET.cfg [--input X.npy | --input random |\n"
    "                  --dataset IMAGES LABELS] [--limit N] [--seed N] [--backend B]\n"
    "                  [--trace FILE.fst] [--quiet]\n"
    "       erg verify --chip CHIP.cfg --random N [--seed S] [--backend B] [--quiet]\n"
    "\n"
    "Runs the network on the chip with --backend cosim (default): the host driver's bus\n"
    "transactions go to the C model and to the RTL (the Verilator verification build, state\n"
    "randomized at start) in lockstep, and every value read back — layer outputs, cycle\n"
    "counts, every activity counter — must be identical; each layer's output must also equal\n"
    "the golden kernels'. --random N draws N seeded random networks that fit the chip\n"
    "(shapes, channel counts, thresholds, pooling, depth) and runs one random frame of each.\n"
    "On the first mismatch it prints the layer, the coordinate or counter, the expected and\n"
    "found values and the RTL cycle, writes an FST waveform of a window around it (the failing\n"
    "layer of the failing frame), and exits 1.\n"
    "With --backend cmodel (or rtl) it checks one backend against golden only;\n"
    "--backend cosim:rtl-faultN runs lockstep against a deliberately broken RTL variant\n"
    "(N = 1..4, docs/verification.md), which must be reported as a mismatch.\n"
    "\n"
    "examples:\n"
    "  erg verify --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f64.cfg\n"
    "  erg verify --chip configs/chips/binareye.cfg --random 50 --seed 1\n";

/* Re-runs a failing frame with a waveform of the failing layer (a window around the
 * mismatch: the layer's descriptor, weight load, run and read-back up to the differing read),
 * so the mismatch can be looked at. */
static void waveform(const erg_chip *chip, const erg_net *net, const erg_weights *wt,
                     const uint8_t *img, const char *backend, const char *path, int layer,
                     int quiet) {
    if (strcmp(backend, "cmodel") == 0) return;
    erg_verify_result res;
    erg_error e;
    if (erg_verify_net(chip, net, wt, img, 1, backend, path, layer, &res, &e) || quiet) return;
    if (layer >= 0 && res.trace_to)
        fprintf(stderr, "erg: waveform of layer '%s' (RTL cycles %llu .. %llu): %s\n",
                net->layers[layer].name, (unsigned long long)res.trace_from,
                (unsigned long long)res.trace_to, path);
    else
        fprintf(stderr, "erg: waveform from reset to the differing read (RTL): %s\n", path);
}

static void report_mismatch(const erg_verify_result *res) {
    fprintf(stderr, "erg verify: MISMATCH: %s\n", res->msg);
}

static int verify_random(const opts *o, const erg_chip *chip, const char *backend) {
    uint64_t seed0 = o->have_seed ? (uint64_t)o->seed : 1;
    long long layers = 0, values = 0;
    for (long long k = 0; k < o->random; k++) {
        uint64_t seed = seed0 + (uint64_t)k;
        char path[] = "/tmp/erg_verify_net_XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0) {
            perror("erg verify: temporary net file");
            return EXIT_BAD_INPUT;
        }
        FILE *f = fdopen(fd, "w");
        if (chip->units[0].kind == ERG_UNIT_AMAC)
            erg_randnet_int8_write(f, seed, &chip->units[0]);
        else
            erg_randnet_write(f, seed, &chip->units[0]);
        fclose(f);
        erg_net net;
        erg_weights wt;
        erg_error e;
        int rc = EXIT_BAD_INPUT;
        if (erg_net_load(&net, path, &e)) {
            remove(path);
            return bad_input(&e);
        }
        if (erg_weights_load(&wt, &net, &e)) {
            erg_net_free(&net);
            remove(path);
            return bad_input(&e);
        }
        size_t n = (size_t)erg_shape_count(net.input);
        uint8_t *img = malloc(n);
        erg_rng r;
        erg_rng_seed(&r, seed);
        for (size_t i = 0; img && i < n; i++) img[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        erg_verify_result res;
        if (!img) {
            fprintf(stderr, "erg: out of memory\n");
        } else if (erg_verify_net(chip, &net, &wt, img, 1, backend, NULL, -1, &res, &e)) {
            fprintf(stderr, "erg: random net %llu: %s\n", (unsigned long long)seed, e.msg);
        } else if (res.mismatch) {
            report_mismatch(&res);
            fprintf(stderr,
                    "erg verify: random net seed %llu (%d layers); reproduce with: erg verify "
                    "--chip %s --random 1 --seed %llu --backend %s\n",
                    (unsigned long long)seed, net.n_layers, o->chip, (unsigned long long)seed,
                    backend);
            waveform(chip, &net, &wt, img, backend, o->trace ? o->trace : "erg-verify.fst",
                     res.layer, o->quiet);
            rc = EXIT_MISMATCH;
        } else {
            layers += res.layers_checked;
            values += res.values_checked;
            rc = 0;
            if (!o->quiet && isatty(2))
                fprintf(stderr, "\r  %lld/%lld random networks match", k + 1, o->random);
        }
        free(img);
        erg_weights_free(&wt);
        erg_net_free(&net);
        remove(path);
        if (rc) return rc;
    }
    if (!o->quiet && isatty(2)) fputc('\n', stderr);
    printf("erg verify: %lld random networks (seeds %llu..%llu) on chip '%s', backend %s: all "
           "match golden (%lld layers, %lld output values)",
           o->random, (unsigned long long)seed0, (unsigned long long)(seed0 + o->random - 1),
           chip->name, backend, layers, values);
    if (strncmp(backend, "cosim", 5) == 0)
        printf("; RTL and C model agree on outputs, cycles and all %d counters of every layer",
               chip->units[0].kind == ERG_UNIT_AMAC ? ERG_AMAC_CNT_COUNT : ERG_CNT_COUNT);
    printf("\n");
    return 0;
}

int cmd_verify(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(VERIFY_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("verify", argc, argv, 2,
                        "--chip --net --input --dataset --limit --seed --random --backend --trace "
                        "--quiet --help ",
                        &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("verify", "unexpected argument '%s'", o.positional[0]);
    if (!o.chip) return usage_error("verify", "--chip CHIP.cfg is required");
    if (!o.net && o.random < 0) return usage_error("verify", "give --net NET.cfg or --random N");
    if (o.net && o.random >= 0) return usage_error("verify", "give --net or --random, not both");
    const char *backend = o.backend ? o.backend : "cosim";
    if (strcmp(backend, "golden") == 0)
        return usage_error("verify", "golden is the reference; verify a chip backend (cosim, "
                                     "rtl, cmodel)");
    erg_error e;
    erg_chip chip;
    if (erg_chip_load(&chip, o.chip, &e)) return bad_input(&e);
    if (o.random >= 0) return verify_random(&o, &chip, backend);

    erg_net net;
    erg_weights wt;
    erg_array img = {0}, lab = {0};
    long long n;
    if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
    rc = EXIT_BAD_INPUT;
    int have_wt = 0;
    if (erg_weights_load(&wt, &net, &e)) goto out;
    have_wt = 1;
    if (load_images(&o, &net, &img, &lab, &n, &e)) goto out;
    erg_verify_result res;
    if (erg_verify_net(&chip, &net, &wt, img.data, n, backend, o.trace, -1, &res, &e)) goto out;
    if (res.mismatch) {
        report_mismatch(&res);
        size_t bytes = (size_t)erg_shape_count(net.input);
        if (!o.trace)
            waveform(&chip, &net, &wt, (const uint8_t *)img.data + (size_t)res.frame * bytes,
                     backend, "erg-verify.fst", res.layer, o.quiet);
        rc = EXIT_MISMATCH;
    } else {
        char ops[64] = "";
        if (erg_chip_has_amac(&chip) && net.n_ops > 1)
            snprintf(ops, sizeof ops, " (%lld at each of %d op points)", n, net.n_ops);
        printf("erg verify: net '%s' on chip '%s', backend %s: %lld frame%s%s, %lld layers, %lld "
               "output values: all match golden%s\n",
               net.name, chip.name, backend, res.frames, res.frames == 1 ? "" : "s", ops,
               res.layers_checked, res.values_checked,
               strncmp(backend, "cosim", 5) == 0
                   ? "; RTL and C model agree on outputs, cycles and every counter"
                   : "");
        rc = 0;
    }
out:
    if (rc == EXIT_BAD_INPUT) fprintf(stderr, "erg: %s\n", e.msg);
    if (have_wt) erg_weights_free(&wt);
    erg_array_free(&img);
    erg_array_free(&lab);
    erg_net_free(&net);
    return rc;
}
