/* test_op_points.c — QoS operating points (docs/amac.md, "QoS operating points"):
 *  - configs/nets/fmnist_int8.cfg resolves every op point's per-layer multipliers to the
 *    built-in instances it names, and layers without products have none;
 *  - golden with an op point equals, layer by layer, a direct erg_golden_conv2d / dense call
 *    with that layer's multiplier on the same input (and differs from exact products);
 *  - a net without op_points has one point "default" = the layers' own `multiplier`;
 *  - a product table from .npy (relative or absolute path) behaves as the built-in it holds;
 *  - erg_net_op_find suggests the nearest name; set_op refuses points out of range. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erg_amul.h"
#include "erg_array.h"
#include "erg_golden.h"
#include "golden_run.h"
#include "net.h"
#include "weights.h"

#define FMNIST "configs/nets/fmnist_int8.cfg"
#define SLICE "tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz"

static void load(erg_net *net, erg_weights *wt, const char *path) {
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    cr_assert_eq(erg_net_load(net, path, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(wt, net, &err), 0, "%s", err.msg);
}

static int find_layer(const erg_net *net, const char *name) {
    for (int i = 0; i < net->n_layers; i++)
        if (strcmp(net->layers[i].name, name) == 0) return i;
    cr_assert_fail("no layer %s", name);
    return -1;
}

/* Products of two multipliers (NULL = exact) agree on all 65,536 pairs. */
static int same_products(const erg_mul8u *x, const erg_mul8u *y) {
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            int px = x ? x->fn(x->ctx, (uint8_t)a, (uint8_t)b) : a * b;
            int py = y ? y->fn(y->ctx, (uint8_t)a, (uint8_t)b) : a * b;
            if (px != py) return 0;
        }
    return 1;
}

Test(op_points, fmnist_int8_resolves_each_points_multipliers) {
    erg_net net;
    erg_weights wt;
    load(&net, &wt, FMNIST);
    cr_assert(net.has_op_points);
    cr_assert_geq(net.n_ops, 4, "the issue asks for 4-6 op points, found %d", net.n_ops);
    cr_assert_leq(net.n_ops, 6);
    /* the first point (what runs by default) keeps every layer exact */
    cr_assert_str_eq(net.ops[0].name, "exact");
    cr_assert_float_eq(erg_net_op_approx_share(&net, 0), 0.0, 1e-12);
    int int8 = 0;
    double prev = 0;
    for (int k = 0; k < net.n_ops; k++) {
        erg_error err = {{0}};
        cr_assert_eq(erg_net_op_find(&net, net.ops[k].name, &err), k);
        double share = erg_net_op_approx_share(&net, k);
        /* listed from gentle to aggressive: the approximate share never falls */
        cr_assert_geq(share, prev - 1e-12, "op point %s", net.ops[k].name);
        prev = share;
        for (int i = 0; i < net.n_layers; i++) {
            const erg_layer *l = &net.layers[i];
            const char *name = erg_net_layer_mul_name(&net, k, i);
            const erg_mul8u *m = erg_net_layer_mul(&net, k, i);
            if (l->type == ERG_L_MAXPOOL || l->type == ERG_L_FLATTEN) {
                cr_assert_null(name, "layer %s", l->name);
                cr_assert_null(m);
                continue;
            }
            int8 += k == 0;
            cr_assert_not_null(name);
            int id = erg_amul_find(name, &err);
            cr_assert_geq(id, 0, "%s", err.msg);
            if (id == ERG_AMUL_ID_exact) {
                cr_assert_null(m, "exact is NULL (op %s, layer %s)", net.ops[k].name, l->name);
            } else {
                cr_assert_not_null(m);
                cr_assert_eq(m->ctx, erg_amul_mul8u(id)->ctx, "op %s layer %s: not %s's table",
                             net.ops[k].name, l->name, name);
                cr_assert_str_eq(m->name, name);
            }
        }
    }
    cr_assert_eq(int8, 3); /* conv1, conv2, fc */
    cr_assert_gt(prev, 0.5, "the most aggressive point approximates most multiplications");
    /* out of range: exact */
    cr_assert_null(erg_net_layer_mul(&net, net.n_ops, 0));
    cr_assert_null(erg_net_layer_mul(&net, -1, 0));
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* For op point k on one image: each int8 layer's output from golden equals the kernel called
 * directly with the built-in the config names on the layer's golden input. Returns the number
 * of layers whose output differs from the one with exact products. */
static int check_point(const erg_net *net, const erg_weights *wt, int k, const uint8_t *image) {
    erg_golden_runner g;
    erg_error err = {{0}};
    cr_assert_eq(erg_golden_runner_init(&g, net, wt, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_golden_runner_keep(&g, &err), 0);
    cr_assert_eq(erg_golden_runner_set_op(&g, k, &err), 0, "%s", err.msg);
    erg_golden_runner_run(&g, image);
    int differ = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        const char *name = erg_net_layer_mul_name(net, k, i);
        if (!name) continue;
        const erg_mul8u *direct = erg_amul_mul8u(erg_amul_find(name, &err));
        const uint8_t *in = i ? g.layer_out[i - 1] : image;
        size_t n = (size_t)erg_shape_count(l->out);
        int32_t *acc = malloc(n * sizeof *acc), *acc0 = malloc(n * sizeof *acc0);
        uint8_t *out = malloc(n), *out0 = malloc(n);
        const erg_layer_weights *lw = &wt->l[i];
        if (l->type == ERG_L_DENSE) {
            erg_golden_dense(l->in.c, l->out.c, in, lw->w, lw->b, direct, acc);
            erg_golden_dense(l->in.c, l->out.c, in, lw->w, lw->b, NULL, acc0);
        } else {
            erg_golden_conv2d(&l->conv, in, lw->w, lw->b, direct, acc);
            erg_golden_conv2d(&l->conv, in, lw->w, lw->b, NULL, acc0);
        }
        if (l->act == ERG_ACT_RELU) {
            size_t n_pix = (size_t)l->out.h * l->out.w;
            erg_golden_requant(n_pix, l->out.c, acc, lw->m0, lw->shift, l->zero_point, out);
            erg_golden_requant(n_pix, l->out.c, acc0, lw->m0, lw->shift, l->zero_point, out0);
            cr_assert_eq(memcmp(out, g.layer_out[i], n), 0, "op %s, layer %s: golden != direct %s",
                         net->ops[k].name, l->name, name);
            differ += memcmp(out0, g.layer_out[i], n) != 0;
        } else {
            cr_assert_eq(memcmp(acc, g.layer_out[i], n * sizeof *acc), 0,
                         "op %s, layer %s: golden scores != direct %s", net->ops[k].name, l->name,
                         name);
            differ += memcmp(acc0, g.layer_out[i], n * sizeof *acc) != 0;
        }
        free(acc);
        free(acc0);
        free(out);
        free(out0);
    }
    erg_golden_runner_free(&g);
    return differ;
}

Test(op_points, golden_with_a_point_equals_the_kernels_with_its_multipliers) {
    erg_net net;
    erg_weights wt;
    erg_array img;
    erg_error err = {{0}};
    load(&net, &wt, FMNIST);
    cr_assert_eq(erg_idx_read(SLICE, &img, &err), 0, "%s", err.msg);
    for (int k = 0; k < net.n_ops; k++) {
        int differ = check_point(&net, &wt, k, img.data);
        if (erg_net_op_approx_share(&net, k) > 0)
            cr_assert_gt(differ, 0, "op %s changes no layer's output", net.ops[k].name);
        else
            cr_assert_eq(differ, 0);
    }
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(op_points, op_find_suggests_and_set_op_checks_the_range) {
    erg_net net;
    erg_weights wt;
    erg_error err = {{0}};
    load(&net, &wt, FMNIST);
    char typo[ERG_NAME_MAX + 1];
    snprintf(typo, sizeof typo, "%sx", net.ops[1].name);
    cr_assert_eq(erg_net_op_find(&net, typo, &err), -1);
    char want[160];
    snprintf(want, sizeof want, "has no op point '%s' (did you mean '%s'?)", typo, net.ops[1].name);
    cr_assert(strstr(err.msg, want), "%s", err.msg);
    cr_assert(strstr(err.msg, FMNIST), "names the config: %s", err.msg);
    erg_golden_runner g;
    cr_assert_eq(erg_golden_runner_init(&g, &net, &wt, &err), 0);
    cr_assert_eq(g.op, 0);
    cr_assert_eq(erg_golden_runner_set_op(&g, net.n_ops, &err), -1);
    cr_assert_eq(erg_golden_runner_set_op(&g, -1, &err), -1);
    cr_assert_eq(g.op, 0);
    erg_golden_runner_free(&g);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* Writes a config for the trained fmnist_int8 weights into dir with the given layer lines'
 * extra keys and op points. */
static void write_cfg(const char *path, const char *conv2_extra, const char *op_points) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f,
            "name = \"qos-test\";\n"
            "input = { shape = [28, 28, 1]; };\n"
            "weights = \"%s/configs/nets/fmnist_int8\";\n"
            "layers = (\n"
            "  { name = \"conv1\"; type = \"conv2d\"; kernel = 3; filters = 16; padding = "
            "\"same\"; weight_bits = 8; act_bits = 8; activation = \"relu\"; },\n"
            "  { name = \"pool1\"; type = \"maxpool\"; size = 2; },\n"
            "  { name = \"conv2\"; type = \"conv2d\"; kernel = 3; filters = 32; padding = "
            "\"same\"; weight_bits = 8; act_bits = 8; activation = \"relu\"; %s },\n"
            "  { name = \"pool2\"; type = \"maxpool\"; size = 2; },\n"
            "  { name = \"flat\"; type = \"flatten\"; },\n"
            "  { name = \"fc\"; type = \"dense\"; units = 10; weight_bits = 8; act_bits = 8; "
            "activation = \"none\"; }\n"
            ");\n%s",
            ERG_SRC_DIR, conv2_extra, op_points);
    fclose(f);
}

static void write_table(const char *path, int id) {
    erg_array a;
    erg_error err = {{0}};
    int64_t shape[2] = {256, 256};
    cr_assert_eq(erg_array_alloc(&a, ERG_U16, 2, shape, &err), 0, "%s", err.msg);
    erg_amul_table(id, a.data);
    cr_assert_eq(erg_npy_write(path, &a, &err), 0, "%s", err.msg);
    erg_array_free(&a);
}

Test(op_points, layer_multipliers_without_op_points_and_npy_tables) {
    char dir[] = "/tmp/erg_op_points_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cfg[256], tab[256], exact_tab[256], ops[1024];
    snprintf(cfg, sizeof cfg, "%s/net.cfg", dir);
    snprintf(tab, sizeof tab, "%s/t4.npy", dir);
    snprintf(exact_tab, sizeof exact_tab, "%s/exact.npy", dir);
    write_table(tab, ERG_AMUL_ID_trunc4);
    write_table(exact_tab, ERG_AMUL_ID_exact);

    /* no op_points: one point "default" = the layers' own multipliers */
    erg_net net;
    erg_weights wt;
    erg_error err = {{0}};
    write_cfg(cfg, "multiplier = \"loa8\";", "");
    load(&net, &wt, cfg);
    cr_assert_eq(net.n_ops, 1);
    cr_assert_not(net.has_op_points);
    cr_assert_str_eq(net.ops[0].name, "default");
    int conv2 = find_layer(&net, "conv2"), fc = find_layer(&net, "fc");
    cr_assert(same_products(erg_net_layer_mul(&net, 0, conv2), erg_amul_mul8u(ERG_AMUL_ID_loa8)));
    cr_assert_null(erg_net_layer_mul(&net, 0, fc));
    cr_assert_str_eq(erg_net_layer_mul_name(&net, 0, fc), "exact");
    cr_assert_eq(erg_net_op_find(&net, "eco", &err), -1);
    cr_assert(strstr(err.msg, "lists no op_points"), "%s", err.msg);
    /* conv2 is 903168 of 1031744 int8 MACs */
    cr_assert_float_eq(erg_net_op_approx_share(&net, 0), 903168.0 / 1031744.0, 1e-12);
    cr_assert(erg_net_has_approx(&net));
    erg_weights_free(&wt);
    erg_net_free(&net);

    /* .npy tables, relative to the config's folder and absolute; unlisted layers keep theirs */
    snprintf(ops, sizeof ops,
             "op_points = (\n"
             "  { name = \"own\"; },\n"
             "  { name = \"tables\"; multipliers = ( { layer = \"fc\"; multiplier = \"t4.npy\"; "
             "}, { layer = \"conv1\"; multiplier = \"%s\"; } ); },\n"
             "  { name = \"builtin\"; multipliers = ( { layer = \"fc\"; multiplier = \"trunc4\"; "
             "}, { layer = \"conv1\"; multiplier = \"exact\"; } ); }\n"
             ");\n",
             exact_tab);
    write_cfg(cfg, "multiplier = \"t4.npy\";", ops);
    load(&net, &wt, cfg);
    cr_assert_eq(net.n_ops, 3);
    int conv1 = find_layer(&net, "conv1");
    const erg_mul8u *t4 = erg_amul_mul8u(ERG_AMUL_ID_trunc4);
    for (int k = 0; k < 3; k++)
        cr_assert(same_products(erg_net_layer_mul(&net, k, conv2), t4), "op %d keeps conv2's", k);
    cr_assert_null(erg_net_layer_mul(&net, 0, fc));
    cr_assert(same_products(erg_net_layer_mul(&net, 1, fc), t4));
    cr_assert_neq(erg_net_layer_mul(&net, 1, fc)->ctx, t4->ctx, "the net owns its table");
    /* a table with exact products is not approximate, but is still what the kernels call */
    cr_assert_not_null(erg_net_layer_mul(&net, 1, conv1));
    cr_assert(same_products(erg_net_layer_mul(&net, 1, conv1), NULL));
    cr_assert_float_eq(erg_net_op_approx_share(&net, 1), (903168.0 + 15680.0) / 1031744.0, 1e-12);
    cr_assert_float_eq(erg_net_op_approx_share(&net, 1), erg_net_op_approx_share(&net, 2), 1e-12);
    /* one table file named twice the same way is loaded once */
    cr_assert_eq(erg_net_layer_mul(&net, 0, conv2)->ctx, erg_net_layer_mul(&net, 1, fc)->ctx);

    /* the table point and the built-in point classify identically, with identical scores */
    erg_array img;
    cr_assert_eq(erg_idx_read(SLICE, &img, &err), 0, "%s", err.msg);
    erg_golden_runner ga, gb;
    cr_assert_eq(erg_golden_runner_init(&ga, &net, &wt, &err), 0);
    cr_assert_eq(erg_golden_runner_init(&gb, &net, &wt, &err), 0);
    cr_assert_eq(erg_golden_runner_set_op(&ga, 1, &err), 0);
    cr_assert_eq(erg_golden_runner_set_op(&gb, 2, &err), 0);
    for (int f = 0; f < 5; f++) {
        const uint8_t *image = (const uint8_t *)img.data + (size_t)f * 784;
        cr_assert_eq(erg_golden_runner_run(&ga, image), erg_golden_runner_run(&gb, image));
        cr_assert_eq(memcmp(ga.scores, gb.scores, 10 * sizeof *ga.scores), 0, "frame %d", f);
    }
    erg_golden_runner_free(&ga);
    erg_golden_runner_free(&gb);
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
    remove(cfg);
    remove(tab);
    remove(exact_tab);
    rmdir(dir);
}
