/* zero_tests_probe.c — a Criterion binary with no tests: run_criterion.sh must report it as a
 * failure (CTest inverts that with WILL_FAIL), so a binary whose tests vanish cannot pass. */
#include <criterion/criterion.h>
