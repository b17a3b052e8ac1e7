/* test_chip_cmodel.c — the whole stack on the C model: mapper, host driver, erg_bus, BNA model
 * versus the golden kernels, on seeded random networks, the BinarEye F = 64 net and weight
 * reconfiguration between frames; plus the mapper's rejections. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_run.h"
#include "erg_rng.h"
#include "golden_run.h"
#include "randnet.h"

static erg_chip chip;

static void load_chip(void) {
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, ERG_SRC_DIR "/configs/chips/binareye.cfg", &err), 0, "%s",
                 err.msg);
}

/* Runs `frames` random images through golden and the cmodel chip; asserts equal scores. */
static void same_as_golden(const erg_net *net, const erg_weights *wt, int frames, uint64_t seed) {
    erg_error err;
    erg_golden_runner g;
    erg_chip_runner c;
    cr_assert_eq(erg_golden_runner_init(&g, net, wt, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_chip_runner_init(&c, net, wt, &chip, "cmodel", NULL, &err), 0, "%s: %s",
                 net->name, err.msg);
    size_t n = (size_t)erg_shape_count(net->input);
    uint8_t *img = malloc(n);
    erg_rng r;
    erg_rng_seed(&r, seed);
    for (int f = 0; f < frames; f++) {
        for (size_t i = 0; i < n; i++) img[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        int gc = erg_golden_runner_run(&g, img);
        int cc = erg_chip_runner_run(&c, img, &err);
        cr_assert_geq(cc, 0, "%s", err.msg);
        cr_assert_eq(cc, gc, "%s frame %d: class %d vs golden %d", net->name, f, cc, gc);
        for (int k = 0; k < g.n_scores; k++)
            cr_assert_eq(c.scores[k], g.scores[k], "%s frame %d score %d: %lld vs golden %lld",
                         net->name, f, k, (long long)c.scores[k], (long long)g.scores[k]);
    }
    free(img);
    erg_chip_runner_free(&c);
    erg_golden_runner_free(&g);
}

Test(chip_cmodel, random_networks_match_golden_bit_exactly, .init = load_chip) {
    /* 200 seeded random networks that fit the chip, 2 frames each */
    for (uint64_t s = 1; s <= 200; s++) {
        char path[] = "/tmp/erg_randnet_XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");
        erg_randnet_write(f, s, &chip.units[0]);
        fclose(f);
        erg_net net;
        erg_weights wt;
        erg_error err;
        cr_assert_eq(erg_net_load(&net, path, &err), 0, "seed %llu: %s", (unsigned long long)s,
                     err.msg);
        cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
        same_as_golden(&net, &wt, 2, s);
        erg_weights_free(&wt);
        erg_net_free(&net);
        remove(path);
    }
}

Test(chip_cmodel, binareye_f64_matches_golden, .init = load_chip) {
    erg_net net;
    erg_weights wt;
    erg_error err;
    cr_assert_eq(erg_net_load(&net, ERG_SRC_DIR "/configs/nets/binareye_cifar10_f64.cfg", &err), 0);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0);
    same_as_golden(&net, &wt, 3, 99);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(chip_cmodel, weights_reload_between_frames_without_rebuild, .init = load_chip) {
    erg_net net;
    erg_weights a, b;
    erg_error err;
    cr_assert_eq(erg_net_load(&net, ERG_SRC_DIR "/configs/nets/binareye_cifar10_f64.cfg", &err), 0);
    cr_assert_eq(erg_weights_random(&a, &net, 1, &err), 0);
    cr_assert_eq(erg_weights_random(&b, &net, 2, &err), 0);
    erg_chip_runner c;
    erg_golden_runner ga, gb;
    cr_assert_eq(erg_chip_runner_init(&c, &net, &a, &chip, "cmodel", NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_golden_runner_init(&ga, &net, &a, &err), 0);
    cr_assert_eq(erg_golden_runner_init(&gb, &net, &b, &err), 0);
    uint8_t img[32 * 32 * 3];
    for (size_t i = 0; i < sizeof img; i++) img[i] = (uint8_t)(i * 37 + 11);
    erg_chip_runner_run(&c, img, &err);
    erg_golden_runner_run(&ga, img);
    cr_assert_eq(memcmp(c.scores, ga.scores, 10 * sizeof *ga.scores), 0);
    cr_assert_eq(erg_chip_runner_load_weights(&c, &b, &err), 0); /* reconfigure, same chip */
    erg_chip_runner_run(&c, img, &err);
    erg_golden_runner_run(&gb, img);
    cr_assert_eq(memcmp(c.scores, gb.scores, 10 * sizeof *gb.scores), 0);
    cr_assert_neq(memcmp(ga.scores, gb.scores, 10 * sizeof *gb.scores), 0);
    erg_golden_runner_free(&ga);
    erg_golden_runner_free(&gb);
    erg_chip_runner_free(&c);
    erg_weights_free(&a);
    erg_weights_free(&b);
    erg_net_free(&net);
}
