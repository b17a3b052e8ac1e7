/* test_area.c — chip area from a synthesized area table (sim/area.c, erg run --area): the
 * committed copy of scripts/synth.sh's BinarEye table converted with the 28 nm tech's area
 * figures, and each malformed table in tests/data/area/ rejected with file and line. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "area.h"
#include "chip.h"
#include "tech.h"

static erg_tech T28;

static void load_tech(void) {
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0); /* the messages name the relative paths */
    cr_assert_eq(erg_tech_load(&T28, "configs/tech/28nm.cfg", &err), 0, "%s", err.msg);
}

Test(area, binareye_synthesized_table_gives_1_566_mm2, .init = load_tech) {
    erg_area a;
    erg_error err = {{0}};
    cr_assert_eq(erg_area_from_synth(&a, "tests/data/synth_area.csv", &T28, &err), 0, "%s",
                 err.msg);
    /* total row: 3,194,880 SRAM bits, 26,615,968 transistors of which 6 per SRAM bit:
     * logic = 26,615,968 - 19,169,280 = 7,446,688 transistors */
    cr_expect_eq(a.sram_bits, 3194880);
    cr_expect_eq(a.logic_transistors, 7446688);
    /* logic: 7,446,688 / 14.1e6 per mm^2 / 0.7 utilization = 0.754477 mm^2;
     * SRAM: 3,194,880 x 0.127 um^2 / 0.5 efficiency = 0.811500 mm^2; total 1.565977 mm^2 */
    cr_expect_float_eq(a.logic_mm2, 0.754477, 1e-6);
    cr_expect_float_eq(a.sram_mm2, 0.8115, 1e-6);
    cr_expect_float_eq(a.total_mm2, 1.565977, 1e-6);
}

Test(area, a_tech_without_area_figures_is_refused) {
    erg_tech t;
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    cr_assert_eq(erg_tech_load(&t, "configs/tech/45nm.cfg", &err), 0, "%s", err.msg);
    erg_area a;
    cr_expect_eq(erg_area_from_synth(&a, "tests/data/synth_area.csv", &t, &err), -1);
    cr_expect_not_null(strstr(err.msg, "has no area figures"), "%s", err.msg);
    cr_expect_not_null(strstr(err.msg, "45nm"), "%s", err.msg);
}

struct bad_case {
    const char *file, *expect;
};

Test(area, malformed_tables_are_rejected_with_file_and_line, .init = load_tech) {
    static const struct bad_case cases[] = {
        {"tests/data/area/bad_header.csv", "bad_header.csv:1: not a synth.sh area table"},
        {"tests/data/area/no_total.csv", "no_total.csv:8: no `total` row"},
        {"tests/data/area/bad_number.csv", "bad_number.csv:16: the total row needs 7 columns"},
        {"tests/data/area/short_row.csv", "short_row.csv:16: the total row needs 7 columns"},
        {"tests/data/area/too_few_transistors.csv",
         "too_few_transistors.csv:16: 1000 transistors cannot hold 3194880 SRAM bits"},
        {"tests/data/area/empty.csv", "empty.csv: empty file"},
        {"tests/data/area/does_not_exist.csv", "does_not_exist.csv: cannot open"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        erg_area a;
        erg_error err = {{0}};
        cr_expect_eq(erg_area_from_synth(&a, cases[i].file, &T28, &err), -1, "%s", cases[i].file);
        cr_expect_not_null(strstr(err.msg, cases[i].expect), "%s: got '%s', want '%s'",
                           cases[i].file, err.msg, cases[i].expect);
    }
}
