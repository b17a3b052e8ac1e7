/* test_bna_rtl_full.c — the long RTL-versus-C-model runs (label full): hundreds of random
 * layers and descriptors, the verification build under several random-reset seeds, hundreds
 * of random networks, the shipped BinarEye networks layer by layer, and the RTL's simulation speed
 * on a BinarEye conv layer. The helpers are those of test_bna_rtl.c. */
#define TEST_BNA_RTL_HELPERS_ONLY
#include "test_bna_rtl.c"

#ifdef ERG_HAVE_RTL

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

Test(bna_rtl_full, three_thousand_random_layers_match_the_c_model, .init = twin_open_fast,
     .fini = twin_close, .timeout = 1800) {
    erg_rng r;
    erg_rng_seed(&r, 101);
    for (int i = 0; i < 3000; i++) twin_random_layer(&r, TWIN_ANY, i);
}

Test(bna_rtl_full, five_thousand_random_descriptors_give_the_same_result, .init = twin_open_fast,
     .fini = twin_close, .timeout = 1800) {
    erg_rng r;
    erg_rng_seed(&r, 102);
    erg_drv_layer cases[64];
    int n = twin_bad_descriptors(cases);
    for (int i = 0; i < n; i++) twin_expect_same_start(&cases[i], "documented case");
    for (int i = 0; i < 5000; i++) {
        erg_drv_layer d;
        twin_wild_descriptor(&r, &d);
        twin_expect_same_start(&d, "random descriptor");
    }
}

/* Random initial values from several seeds: no register may depend on its power-up value. */
static void verify_seeds(int seed) {
    twin_close();
    twin_open(seed);
    erg_rng r;
    erg_rng_seed(&r, (uint64_t)seed);
    twin_expect_same_counters("after reset");
    for (int i = 0; i < 40; i++) twin_random_layer(&r, TWIN_ANY, i);
    twin_random_net((uint64_t)seed, 1);
}

Test(bna_rtl_full, verification_build_matches_under_ten_reset_seeds, .init = twin_open_verify,
     .fini = twin_close, .timeout = 1800) {
    for (int seed = 1; seed <= 10; seed++) verify_seeds(seed);
}

Test(bna_rtl_full, three_hundred_random_networks_match_the_c_model, .init = twin_open_fast,
     .fini = twin_close, .timeout = 1800) {
    for (uint64_t s = 100; s < 400; s++) twin_random_net(s, 2);
}

/* A shipped network, layer by layer (skipped when the RTL was built for another chip). */
static void shipped_net(const char *path, int frames) {
    erg_net net;
    erg_weights wt;
    erg_error err = {{0}};
    erg_mapping map;
    cr_assert_eq(erg_net_load(&net, path, &err), 0, "%s", err.msg);
    if (erg_map_net(&map, &net, &T.chip, &err) != 0) {
        erg_net_free(&net);
        cr_skip_test("%s does not fit the chip the RTL was built for: %s", path, err.msg);
    }
    erg_mapping_free(&map);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    twin_run_net(&net, &wt, frames, 7);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(bna_rtl_full, binareye_f64_matches_layer_by_layer, .init = twin_open_fast, .fini = twin_close,
     .timeout = 1800) {
    shipped_net(ERG_SRC_DIR "/configs/nets/binareye_cifar10_f64.cfg", 2);
}

Test(bna_rtl_full, binareye_f256_matches_layer_by_layer, .init = twin_open_fast, .fini = twin_close,
     .timeout = 1800) {
    shipped_net(ERG_SRC_DIR "/configs/nets/binareye_cifar10_f256.cfg", 2);
}

Test(bna_rtl_full, chip_runner_gives_the_same_scores_and_counters, .init = twin_open_fast,
     .fini = twin_close, .timeout = 1800) {
    for (uint64_t s = 1; s <= 10; s++) twin_chip_runner_same(s, "rtl");
}

/* RTL simulation speed on BinarEye's peak layer shape: conv 2x2, 30x30x256 -> 29x29x256
 * (4 groups of 64 neurons; docs/bna.md: 4 x (160 + 29 x 30 + 2) = 4128 cycles). */
Test(bna_rtl_full, reports_rtl_cycles_per_second_on_a_binareye_conv_layer, .init = twin_open_fast,
     .fini = twin_close, .timeout = 1800) {
    erg_drv_layer d = {.op = ERG_BNA_OP_CONV,
                       .in_h = 30,
                       .in_w = 30,
                       .in_c = 256,
                       .out_c = 256,
                       .k = 2,
                       .src = 0,
                       .dst = 1};
    if (T.info.channels < 256 || T.info.fmap_h < 30 || T.info.fmap_w < 30 ||
        !(T.info.kernels & 4u) || T.info.fmap_words < 30 * 30 * 4)
        cr_skip_test("the RTL was not built for a BinarEye-sized unit");
    erg_rng r;
    erg_rng_seed(&r, 3);
    twin_random_bytes(&r, ERG_BNA_FMAP_A, 30 * 30 * 4 * 8);
    load_random_weights(&r, &d);
    const int reps = 20;
    erg_counters c;
    erg_error err = {{0}};
    double t0 = seconds();
    uint64_t k0 = erg_backend_rtl_ticks(T.rtl);
    for (int i = 0; i < reps; i++)
        cr_assert_eq(erg_drv_run_layer(&T.rtl->bus, &T.info, &d, TWIN_MAX_CYCLES, &c, &err), 0,
                     "%s", err.msg);
    double t_rtl = seconds() - t0;
    uint64_t ticks = erg_backend_rtl_ticks(T.rtl) - k0;
    t0 = seconds();
    for (int i = 0; i < reps; i++)
        cr_assert_eq(erg_drv_run_layer(&T.cm->bus, &T.info, &d, TWIN_MAX_CYCLES, &c, &err), 0, "%s",
                     err.msg);
    double t_cm = seconds() - t0;
    uint64_t cycles = c.v[ERG_CNT_cycles];
    cr_expect_eq(cycles, 4128);
    printf("rtl speed: conv 2x2 30x30x256 -> 29x29x256, %llu cycles per layer: RTL %.0f layer "
           "cycles/s (%.0f clock cycles/s incl. %llu bus cycles per layer), C model %.0f "
           "cycles/s, ratio C model / RTL = %.0f\n",
           (unsigned long long)cycles, (double)(cycles * reps) / t_rtl, (double)ticks / t_rtl,
           (unsigned long long)(ticks / reps - cycles), (double)(cycles * reps) / t_cm,
           t_rtl / t_cm);
}

#endif
