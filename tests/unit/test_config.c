/* test_config.c — config loading and validation: every malformed fixture in tests/data/bad/
 * fails with the message its "# expect:" line documents; good configs load with the shapes,
 * MACs and parameters derived by hand; sizes, suggestions and wide integers. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "chip.h"
#include "mapper.h"
#include "net.h"
#include "platform.h"
#include "sweep.h"
#include "tech.h"
#include "weights.h"

#define MAX_FIXTURES 128

/* Reads the "# <key>: value" header line of a fixture. */
static int header(const char *path, const char *key, char *out, size_t len) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[2048], prefix[64];
    snprintf(prefix, sizeof prefix, "# %s: ", key);
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            line[strcspn(line, "\n")] = 0;
            snprintf(out, len, "%s", line + strlen(prefix));
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(a, b);
}

Test(config_fixtures, every_bad_fixture_fails_with_its_documented_message) {
    /* Paths are relative to the source tree, as users write them and messages show them. */
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    DIR *d = opendir("tests/data/bad");
    cr_assert_not_null(d);
    static char names[MAX_FIXTURES][256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_FIXTURES) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".cfg") == 0)
            snprintf(names[n++], sizeof names[0], "tests/data/bad/%s", e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    cr_assert_geq(n, 25, "the issue asks for at least 25 malformed fixtures, found %d", n);
    for (int i = 0; i < n; i++) {
        char kind[32], expect[1024];
        cr_assert_eq(header(names[i], "check", kind, sizeof kind), 0, "%s: no '# check:'",
                     names[i]);
        cr_assert_eq(header(names[i], "expect", expect, sizeof expect), 0, "%s: no '# expect:'",
                     names[i]);
        erg_error err = {{0}};
        int rc;
        if (strcmp(kind, "net") == 0) {
            erg_net net;
            rc = erg_net_load(&net, names[i], &err);
            if (rc == 0) {
                erg_weights wt;
                rc = erg_weights_load(&wt, &net, &err);
                if (rc == 0) erg_weights_free(&wt);
                erg_net_free(&net);
            }
        } else if (strcmp(kind, "map") == 0) {
            /* a valid net the BinarEye chip cannot run: the mapper rejects it */
            erg_net net;
            erg_chip chip;
            erg_mapping m;
            cr_assert_eq(erg_chip_load(&chip, "configs/chips/binareye.cfg", &err), 0, "%s",
                         err.msg);
            rc = erg_net_load(&net, names[i], &err);
            cr_assert_eq(rc, 0, "%s: the net itself should be valid: %s", names[i], err.msg);
            rc = erg_map_net(&m, &net, &chip, &err);
            if (rc == 0) erg_mapping_free(&m);
            erg_net_free(&net);
        } else if (strcmp(kind, "chip") == 0) {
            erg_chip chip;
            rc = erg_chip_load(&chip, names[i], &err);
        } else if (strcmp(kind, "platform") == 0) {
            erg_est_platform p;
            rc = erg_platform_load(&p, names[i], &err);
        } else if (strcmp(kind, "sweep") == 0) {
            static erg_sweep sw; /* large: not on the stack */
            rc = erg_sweep_load(&sw, names[i], &err);
        } else {
            erg_tech tech;
            rc = erg_tech_load(&tech, names[i], &err);
        }
        cr_expect_eq(rc, -1, "%s loaded without error", names[i]);
        cr_expect(strstr(err.msg, expect) != NULL, "%s:\n  expected: %s\n  got:      %s", names[i],
                  expect, err.msg);
        cr_expect(strstr(err.msg, names[i]) != NULL, "%s: message does not name the file: %s",
                  names[i], err.msg);
    }
}

Test(config_load, missing_file_is_named_with_the_reason) {
    erg_net net;
    erg_error err;
    cr_assert_eq(erg_net_load(&net, "/no/such/net.cfg", &err), -1);
    cr_assert_str_eq(err.msg, "/no/such/net.cfg: cannot open: No such file or directory");
}

Test(config_load, binareye_f256_shapes_macs_and_params_are_as_derived) {
    erg_net net;
    erg_error err;
    cr_assert_eq(erg_net_load(&net, ERG_SRC_DIR "/configs/nets/binareye_cifar10_f256.cfg", &err), 0,
                 "%s", err.msg);
    cr_assert_eq(net.n_layers, 12);
    /* 3 channels x floor(256/3) = 85 levels = 255 binary planes */
    cr_assert_eq(net.first.c, 255);
    /* feature maps 32 -> 31 -> 30 -> 29 -> 28 -> 14 -> 13 -> 12 -> 6 -> 5 -> 4 */
    const int hw[] = {31, 30, 29, 28, 14, 13, 12, 6, 5, 4};
    for (int i = 0; i < 10; i++) cr_assert_eq(net.layers[i].out.h, hw[i], "layer %d", i);
    cr_assert_eq(net.layers[10].out.c, 4 * 4 * 256);
    /* conv1: 31*31 pixels * 256 filters * (2*2*255) = 250,936,320 binary MACs */
    cr_assert_eq(net.layers[0].macs, 250936320);
    /* conv2: 30*30*256*(2*2*256) = 235,929,600 */
    cr_assert_eq(net.layers[1].macs, 235929600);
    /* fc: 4096*10 = 40,960 */
    cr_assert_eq(net.layers[11].macs, 40960);
    cr_assert_eq(net.macs, 1005689856);
    /* conv1 params: 256*2*2*255 weights + 2*256 (threshold, flip) = 261,632 */
    cr_assert_eq(net.layers[0].params, 261632);
    cr_assert_eq(net.layers[11].out_kind, ERG_V_I64);
    erg_net_free(&net);
}

Test(config_load, chip_and_tech_configs_load_with_their_values) {
    erg_chip chip;
    erg_tech tech;
    erg_error err;
    cr_assert_eq(erg_chip_load(&chip, ERG_SRC_DIR "/configs/chips/binareye.cfg", &err), 0, "%s",
                 err.msg);
    cr_assert_eq(chip.n_units, 1);
    cr_assert_eq(chip.units[0].neurons, 64);
    cr_assert_eq(chip.units[0].base, 0x40000000u);
    cr_assert_eq(chip.units[0].weight_sram_bytes, 326 * 1024);
    cr_assert_eq(chip.units[0].weight_word_bits, 256);
    cr_assert_eq(erg_tech_load(&tech, chip.tech, &err), 0, "%s", err.msg);
    cr_assert_eq(tech.node_nm, 28); /* BinarEye is a 28 nm chip */
    erg_tech t45;
    cr_assert_eq(erg_tech_load(&t45, ERG_SRC_DIR "/configs/tech/45nm.cfg", &err), 0, "%s", err.msg);
    cr_assert_float_eq(t45.mul8, 0.2, 1e-12);         /* Horowitz ISSCC 2014 */
    cr_assert_float_eq(t45.sram64_1mb, 100.0, 1e-12); /* Horowitz ISSCC 2014 */
}

Test(config_sizes, units_are_parsed_to_bytes) {
    cr_assert_eq(erg_parse_size("4096"), 4096);
    cr_assert_eq(erg_parse_size("64 KiB"), 65536);
    cr_assert_eq(erg_parse_size("2MiB"), 2 * 1024 * 1024);
    cr_assert_eq(erg_parse_size("1 GiB"), 1LL << 30);
    cr_assert_eq(erg_parse_size("16 kB"), 16000);
    cr_assert_eq(erg_parse_size("3 MB"), 3000000);
    cr_assert_eq(erg_parse_size("12 KB"), -1); /* ambiguous: neither kB nor KiB */
    cr_assert_eq(erg_parse_size("-4"), -1);
    cr_assert_eq(erg_parse_size("lots"), -1);
}

Test(config_suggest, nearest_key_is_suggested_only_when_close) {
    const char *keys[] = {"filters", "kernel", "stride", "padding", "activation"};
    cr_assert_str_eq(erg_nearest("filter", keys, 5), "filters");
    cr_assert_str_eq(erg_nearest("kernal", keys, 5), "kernel");
    cr_assert_str_eq(erg_nearest("stirde", keys, 5), "stride");    /* transposition = 1 edit */
    cr_assert_str_eq(erg_nearest("activ", keys, 5), "activation"); /* prefix */
    cr_assert_null(erg_nearest("colour", keys, 5));
    cr_assert_eq(erg_edit_distance("kitten", "sitting"), 3);
    cr_assert_eq(erg_edit_distance("", "abc"), 3);
}

Test(config_wide_ints, l_suffix_and_hex_and_floats_are_accepted) {
    char path[] = "/tmp/erg_cfg_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    /* 64-bit with L, hex within 31 bits, floats with exponents, digits inside names and strings */
    fputs("a = 5000000000L;\nb = 0x7fffffff;\nc = 1.5e10;\nconv12345678901 = 1;\n"
          "s = \"99999999999\";\n# 99999999999 in a comment\n",
          f);
    fclose(f);
    static const erg_key keys[] = {
        {.name = "a", .kind = ERG_K_INT, .imin = 0, .imax = INT64_MAX},
        {.name = "b", .kind = ERG_K_INT, .imin = 0, .imax = INT64_MAX},
        {.name = "c", .kind = ERG_K_FLOAT, .fmin = 0, .fmax = 1e20},
        {.name = "conv12345678901", .kind = ERG_K_INT, .imin = 0, .imax = 9},
        {.name = "s", .kind = ERG_K_STRING},
        {0}};
    erg_cfg cfg;
    erg_error err;
    cr_assert_eq(erg_cfg_load(&cfg, path, keys, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_cfg_int(config_root_setting(&cfg.lc), "a", 0), 5000000000LL);
    erg_cfg_free(&cfg);
    remove(path);
}

Test(config_wide_ints, hex_beyond_31_bits_needs_the_l_suffix) {
    char path[] = "/tmp/erg_cfg_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("# base address\nbase = 0x80000000;\n", f);
    fclose(f);
    static const erg_key keys[] = {{.name = "base", .kind = ERG_K_INT, .imax = INT64_MAX}, {0}};
    erg_cfg cfg;
    erg_error err;
    cr_assert_eq(erg_cfg_load(&cfg, path, keys, &err), -1);
    cr_assert(strstr(err.msg, ":2: integer 0x80000000 does not fit 32 bits: write it as "
                              "0x80000000L") != NULL,
              "%s", err.msg);
    remove(path);
}

Test(weights_random, same_seed_same_weights_other_seed_other_weights) {
    erg_net net;
    erg_error err;
    cr_assert_eq(erg_net_load(&net, ERG_SRC_DIR "/configs/nets/binareye_cifar10_f64.cfg", &err), 0);
    erg_weights a, b, c;
    cr_assert_eq(erg_weights_random(&a, &net, 1, &err), 0);
    cr_assert_eq(erg_weights_random(&b, &net, 1, &err), 0);
    cr_assert_eq(erg_weights_random(&c, &net, 2, &err), 0);
    cr_assert_eq(memcmp(a.l[0].w, b.l[0].w, a.l[0].n_w), 0);
    cr_assert_neq(memcmp(a.l[0].w, c.l[0].w, a.l[0].n_w), 0);
    /* every binary weight is +1 or -1, and both occur */
    int plus = 0;
    for (size_t k = 0; k < a.l[0].n_w; k++) {
        cr_assert(a.l[0].w[k] == 1 || a.l[0].w[k] == -1);
        plus += a.l[0].w[k] == 1;
    }
    cr_assert(plus > 0 && (size_t)plus < a.l[0].n_w);
    erg_weights_free(&a);
    erg_weights_free(&b);
    erg_weights_free(&c);
    erg_net_free(&net);
}
