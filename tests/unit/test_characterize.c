/* test_characterize.c — erg characterize's library (sim/characterize.c): a user's Verilog
 * multiplier and a user's product table through the same flow as the built-ins (yosys
 * synthesis, netlist function, metrics, switching energy), the AGN error model against its
 * measurement on a real layer, the Pareto front, and bad multipliers refused with the file
 * named. Needs yosys (installed by scripts/bootstrap.sh). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "characterize.h"
#include "erg_amul.h"
#include "erg_array.h"
#include "net.h"
#include "operands.h"
#include "weights.h"

static erg_char_opts opts(const char *work) {
    erg_char_opts o = {work, ERG_SRC_DIR "/rtl/amac", NULL, 2, 1};
    return o;
}

static char work_dir[64];
static void setup(void) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    snprintf(work_dir, sizeof work_dir, "/tmp/erg_char_test_XXXXXX");
    cr_assert_not_null(mkdtemp(work_dir));
}
static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", work_dir);
    cr_expect_eq(system(cmd), 0);
}

static void add(erg_char_row *r, const char *spec) {
    erg_error err = {{0}};
    cr_assert_eq(erg_mul_src_parse(&r->src, spec, &err), 0, "%s: %s", spec, err.msg);
}

Test(characterize, user_verilog_and_table_go_through_the_same_flow, .init = setup,
     .fini = teardown) {
    /* tests/data/amul/mask4.v and mask4.npy: O = (A * B) AND 0xFFF0, so e = -(ab mod 16).
     * a mod 16 and b mod 16 are uniform and independent over all 65,536 pairs (each residue
     * 16 times), so the uniform metrics are those of x y mod 16 over x, y = 0 .. 15 (below).
     * EP: ab mod 16 = 0 for the 31 pairs with a zero and the 17 with v2(x) + v2(y) >= 4
     * ((v2 1, 3): 4 x 1, (3, 1): 4, (2, 2): 2 x 2, (2, 3): 2, (3, 2): 2, (3, 3): 1), so EP =
     * 1 - 48 / 256 = 81.25 %. */
    static erg_char_row rows[3];
    memset(rows, 0, sizeof rows);
    add(&rows[0], "exact");
    add(&rows[1], "tests/data/amul/mask4.v");
    add(&rows[2], "tests/data/amul/mask4.npy");
    cr_expect_str_eq(rows[1].src.name, "mask4");
    cr_expect_str_eq(rows[2].src.name, "mask4");
    erg_char_opts o = opts(work_dir);
    erg_error err = {{0}};
    cr_assert_eq(erg_characterize(rows, 3, &o, &err), 0, "%s", err.msg);
    for (int k = 0; k < 65536; k++) {
        unsigned want = ((unsigned)(k >> 8) * (unsigned)(k & 255)) & 0xFFF0u;
        if (rows[1].table[k] != want || rows[2].table[k] != want)
            cr_assert_fail("%d x %d: verilog %u, table %u, want %u", k >> 8, k & 255,
                           rows[1].table[k], rows[2].table[k], want);
    }
    cr_expect_str_eq(rows[1].family, "verilog");
    cr_expect_str_eq(rows[2].family, "table");
    double s1 = 0, s2 = 0;
    for (int x = 0; x < 16; x++)
        for (int y = 0; y < 16; y++) {
            double e = -(double)((x * y) % 16);
            s1 += e;
            s2 += e * e;
        }
    double bias = s1 / 256, std = sqrt(s2 / 256 - bias * bias);
    for (int i = 1; i < 3; i++) {
        cr_expect_float_eq(rows[i].uni.ep_pct, 81.25, 1e-9);
        cr_expect_float_eq(rows[i].uni.bias, bias, 1e-9);
        cr_expect_float_eq(rows[i].uni.std, std, 1e-9);
        cr_expect_eq(rows[i].uni.wce, 15); /* ab mod 16 reaches 15 (e.g. 3 x 5) */
    }
    /* synthesis: the Verilog row has a netlist, the table row none; rel.E of exact is 1 */
    cr_expect(rows[0].has_synth && rows[1].has_synth && !rows[2].has_synth);
    cr_expect_float_eq(rows[0].rel_energy, 1.0, 1e-12);
    cr_expect_gt(rows[1].transistors, 1000);
    cr_expect_lt(rows[1].rel_energy, 1.0, "clearing 4 bits removes logic: %g", rows[1].rel_energy);
#ifdef ERG_HAVE_RTL
    cr_expect_eq(rows[0].rtl, 1, "the built-in's Verilator model equals the C library");
#endif
    cr_expect_eq(rows[1].rtl, -1, "a user's multiplier has no Verilator model");
}

Test(characterize, bad_multipliers_are_refused_with_the_file_named, .init = setup,
     .fini = teardown) {
    static const struct {
        const char *spec, *expect;
    } cases[] = {
        {"tests/data/amul/narrow.v", "narrow.v: ports A, B, O have 4, 4, 8 bits; an unsigned 8x8 "
                                     "multiplier has 8, 8 and up to 16"},
        {"tests/data/amul/syntax.v",
         "syntax.v: synthesis failed: tests/data/amul/syntax.v:3: ERROR: syntax error"},
        {"tests/data/amul/ports.v",
         "ports.v: the netlist has no port 'A' (name the ports with --ports"},
        {"tests/data/amul/small.npy",
         "small.npy: expected a 256 x 256 product table [a, b], found shape [16, 16]"},
        {"tests/data/amul/float.npy",
         "float.npy: expected an integer product table, found dtype float32"},
        {"tests/data/amul/out_of_range.npy",
         "out_of_range.npy: product [3, 5] = -1 is outside 0 .. 65535"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static erg_char_row row;
        memset(&row, 0, sizeof row);
        add(&row, cases[i].spec);
        erg_char_opts o = opts(work_dir);
        erg_error err = {{0}};
        cr_expect_eq(erg_characterize(&row, 1, &o, &err), -1, "%s", cases[i].spec);
        cr_expect_not_null(strstr(err.msg, cases[i].expect), "%s: got '%s'", cases[i].spec,
                           err.msg);
    }
    erg_mul_src s;
    erg_error err = {{0}};
    cr_expect_eq(erg_mul_src_parse(&s, "tests/data/amul/missing.v", &err), -1);
    cr_expect_not_null(strstr(err.msg, "missing.v: cannot open"), "%s", err.msg);
    cr_expect_eq(erg_mul_src_parse(&s, "trunk4", &err), -1);
    cr_expect_not_null(strstr(err.msg, "did you mean 'trunc4'"), "%s", err.msg);
    /* other port names */
    static erg_char_row row;
    memset(&row, 0, sizeof row);
    add(&row, "verilog:tests/data/amul/ports.v:ports_mul");
    cr_expect_str_eq(row.src.top, "ports_mul");
    snprintf(row.src.pa, sizeof row.src.pa, "X");
    snprintf(row.src.pb, sizeof row.src.pb, "Y");
    snprintf(row.src.po, sizeof row.src.po, "Z");
    erg_char_opts o = opts(work_dir);
    cr_assert_eq(erg_characterize(&row, 1, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(row.table[255 * 256 + 255], 65025);
    cr_expect_eq(row.uni.ep_pct, 0);
}

Test(characterize, agn_prediction_of_the_mean_is_exact_and_of_the_std_close, .init = setup,
     .fini = teardown) {
    /* Each output's error is the sum over its K MACs of sign(w) e(a, |w|), so its mean over
     * all outputs is exactly K x the mean signed product error over the layer's MACs (the
     * histogram counts each MAC once per output): the prediction of the mean must equal the
     * measurement. The std assumes independent errors; on conv2 of the trained CNN it comes
     * out within a factor 2 of the measured one (docs/amac.md has the table). */
    erg_net net;
    erg_weights wt;
    erg_array img;
    erg_error err = {{0}};
    cr_assert_eq(erg_net_load(&net, "configs/nets/fmnist_int8.cfg", &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_idx_read("tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz", &img, &err), 0);
    erg_operands *ops = erg_operands_new();
    cr_assert_eq(erg_operands_collect(ops, &net, &wt, 2, img.data, 3, ERG_SEQ_WS, 0, &err), 0, "%s",
                 err.msg);
    cr_expect_eq(ops->fan_in, 3 * 3 * 16);
    static erg_char_row rows[4];
    memset(rows, 0, sizeof rows);
    const char *names[4] = {"exact", "trunc4", "drum4", "loa8"};
    for (int i = 0; i < 4; i++) add(&rows[i], names[i]);
    erg_char_opts o = opts(NULL);
    o.ops = ops;
    cr_assert_eq(erg_characterize(rows, 4, &o, &err), 0, "%s", err.msg);
    cr_expect_eq(rows[0].agn_pred_std, 0);
    cr_expect_eq(rows[0].agn_meas_std, 0);
    for (int i = 1; i < 4; i++) {
        cr_expect(rows[i].has_layer);
        cr_expect(fabs(rows[i].agn_pred_mean - rows[i].agn_meas_mean) <=
                      1e-9 * (1 + fabs(rows[i].agn_meas_mean)),
                  "%s: predicted mean %g, measured %g", names[i], rows[i].agn_pred_mean,
                  rows[i].agn_meas_mean);
        cr_expect_gt(rows[i].agn_meas_std, 0.5 * rows[i].agn_pred_std, "%s", names[i]);
        cr_expect_lt(rows[i].agn_meas_std, 2.0 * rows[i].agn_pred_std, "%s", names[i]);
    }
    erg_operands_free(ops);
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

Test(characterize, pareto_front_by_hand) {
    /* (rel.E, MRE%): a (1, 0), b (0.5, 2), c (0.6, 1), d (0.7, 3) dominated by b and c,
     * e (0.2, 10), f (0.5, 2.5) dominated by b: front a, c, b, e sorted by energy: e b c a */
    static erg_char_row r[6];
    memset(r, 0, sizeof r);
    const double e[6] = {1, 0.5, 0.6, 0.7, 0.2, 0.5}, m[6] = {0, 2, 1, 3, 10, 2.5};
    for (int i = 0; i < 6; i++) {
        r[i].has_synth = 1;
        r[i].rel_energy = e[i];
        r[i].uni.mre_pct = m[i];
    }
    int idx[6];
    int n = erg_char_pareto(r, 6, NULL, idx);
    cr_assert_eq(n, 4);
    cr_expect_eq(idx[0], 4);
    cr_expect_eq(idx[1], 1);
    cr_expect_eq(idx[2], 2);
    cr_expect_eq(idx[3], 0);
}
