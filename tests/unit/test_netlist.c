/* test_netlist.c — the yosys JSON reader and the zero-delay gate evaluator (sim/json.c,
 * sim/netlist.c): function and transistor count of a synthesized 8x8 multiplier, toggle
 * counts derived by hand on a one-gate netlist (across the 64-lane word boundary), and
 * malformed netlists rejected with the file (and line) named.
 *
 * tests/data/netlist/mul8_exact.json is yosys 0.23's netlist of `assign O = A * B` (8x8):
 * read_verilog; synth -flatten; abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX; opt_clean;
 * write_json, with attributes and cell names shortened (same cells and connections). yosys'
 * `stat -tech cmos` of that netlist reports 2340 transistors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "netlist.h"

static void to_src(void) {
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
}

Test(netlist, synthesized_8x8_multiplier_computes_a_times_b, .init = to_src) {
    erg_netlist nl;
    erg_error err = {{0}};
    cr_assert_eq(
        erg_netlist_load(&nl, "tests/data/netlist/mul8_exact.json", NULL, "A", "B", "O", &err), 0,
        "%s", err.msg);
    cr_expect_str_eq(nl.module, "mul");
    cr_expect_eq(nl.a_bits, 8);
    cr_expect_eq(nl.b_bits, 8);
    cr_expect_eq(nl.o_bits, 16);
    cr_expect_eq(nl.transistors, 2340, "yosys stat -tech cmos says 2340");
    uint32_t *a = malloc(65536 * 4), *b = malloc(65536 * 4), *o = malloc(65536 * 4);
    for (uint32_t i = 0; i < 65536; i++) {
        a[i] = i >> 8;
        b[i] = i & 255;
    }
    double t;
    cr_assert_eq(erg_netlist_run(&nl, a, b, 65536, o, &t, &err), 0);
    for (uint32_t i = 0; i < 65536; i++)
        if (o[i] != a[i] * b[i]) cr_assert_fail("%u x %u: netlist %u", a[i], b[i], o[i]);
    cr_expect_gt(t, 0);
    /* the same sequence again toggles the same amount (deterministic, from the zero state) */
    double t2;
    cr_assert_eq(erg_netlist_run(&nl, a, b, 65536, NULL, &t2, &err), 0);
    cr_expect_eq(t, t2);
    /* a constant operand pair after the first vector toggles nothing more than the first
     * vector did: (0,0) repeated never leaves the all-zero settled state */
    memset(a, 0, 100 * 4);
    memset(b, 0, 100 * 4);
    cr_assert_eq(erg_netlist_run(&nl, a, b, 100, NULL, &t, &err), 0);
    cr_expect_eq(t, 0);
    free(a);
    free(b);
    free(o);
    erg_netlist_free(&nl);
}

Test(netlist, toggles_of_one_xor_gate_by_hand, .init = to_src) {
    erg_netlist nl;
    erg_error err = {{0}};
    cr_assert_eq(erg_netlist_load(&nl, "tests/data/netlist/xor1.json", NULL, "A", "B", "O", &err),
                 0, "%s", err.msg);
    cr_expect_eq(nl.transistors, 12); /* one $_XOR_ */
    /* from the settled zero state: (1,0) -> 1 (toggle), (1,1) -> 0 (toggle), (0,1) -> 1
     * (toggle), (0,1) -> 1 (none): 3 toggles x 12 transistors = 36 */
    uint32_t a[4] = {1, 1, 0, 0}, b[4] = {0, 1, 1, 1}, o[4];
    double t;
    cr_assert_eq(erg_netlist_run(&nl, a, b, 4, o, &t, &err), 0);
    cr_expect_eq(o[0], 1);
    cr_expect_eq(o[1], 0);
    cr_expect_eq(o[2], 1);
    cr_expect_eq(o[3], 1);
    cr_expect_float_eq(t, 36.0, 1e-9);
    /* 150 vectors a = 1, 0, 1, 0, ... with b = 0: the output follows a and toggles on every
     * vector (the first from the zero state), across the 64-lane words: 150 x 12 = 1800 */
    uint32_t aa[150], bb[150];
    for (int i = 0; i < 150; i++) {
        aa[i] = (i + 1) % 2;
        bb[i] = 0;
    }
    cr_assert_eq(erg_netlist_run(&nl, aa, bb, 150, NULL, &t, &err), 0);
    cr_expect_float_eq(t, 1800.0, 1e-9);
    /* a = 1 for 63 vectors, then 0 for 70: toggles at vector 0 and vector 63 only (the
     * second exactly at the word boundary): 2 x 12 = 24 */
    for (int i = 0; i < 133; i++) {
        aa[i] = i < 63 ? 1 : 0;
        bb[i] = 0;
    }
    cr_assert_eq(erg_netlist_run(&nl, aa, bb, 133, NULL, &t, &err), 0);
    cr_expect_float_eq(t, 24.0, 1e-9);
    erg_netlist_free(&nl);
}

Test(netlist, bad_netlists_are_refused_with_the_file_named, .init = to_src) {
    static const struct {
        const char *file, *pa, *expect;
    } cases[] = {
        {"tests/data/netlist/dff.json", "A",
         "dff.json:4: cell 'ff' of type $_DFF_P_ is not a combinational yosys gate"},
        {"tests/data/netlist/loop.json", "A", "loop.json: the netlist has a combinational loop"},
        {"tests/data/netlist/bad_syntax.json", "A",
         "bad_syntax.json:2: invalid JSON: expected ',' or '}'"},
        {"tests/data/netlist/xor1.json", "X", "xor1.json: the netlist has no port 'X'"},
        {"tests/data/netlist/xor1.json", "O",
         "xor1.json: port 'O' is an output, expected an input"},
        {"tests/data/netlist/missing.json", "A", "missing.json: cannot open"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        erg_netlist nl;
        erg_error err = {{0}};
        cr_expect_eq(erg_netlist_load(&nl, cases[i].file, NULL, cases[i].pa, "B", "O", &err), -1,
                     "%s", cases[i].file);
        cr_expect_not_null(strstr(err.msg, cases[i].expect), "%s: got '%s'", cases[i].file,
                           err.msg);
    }
}

Test(netlist, json_reader_decodes_values_and_reports_lines) {
    const char *text = "{\"a\": [1, -2.5e1, true, null],\n \"s\": \"x\\n\\u00e9\\\"\"}";
    erg_json j;
    erg_error err = {{0}};
    cr_assert_eq(erg_json_parse(&j, text, strlen(text), "t.json", &err), 0, "%s", err.msg);
    const erg_json *a = erg_json_get(&j, "a");
    cr_assert_not_null(a);
    cr_expect_eq(a->n, 4);
    cr_expect_float_eq(a->item[1].num, -25.0, 1e-12);
    cr_expect_eq(a->item[2].kind, ERG_J_BOOL);
    cr_expect_eq(a->item[3].kind, ERG_J_NULL);
    const erg_json *s = erg_json_get(&j, "s");
    cr_expect_str_eq(s->str, "x\n\xc3\xa9\"");
    cr_expect_eq(s->line, 2);
    erg_json_free(&j);
    const char *bad = "{\"a\": 1,\n\n \"b\": tru}";
    cr_expect_eq(erg_json_parse(&j, bad, strlen(bad), "t.json", &err), -1);
    cr_expect_str_eq(err.msg, "t.json:3: invalid JSON: unexpected character");
    const char *trail = "[1] 2";
    cr_expect_eq(erg_json_parse(&j, trail, strlen(trail), "t.json", &err), -1);
    cr_expect_str_eq(err.msg, "t.json:1: invalid JSON: text after the document");
}
