/* erg_fwfe_csd.c — canonical-signed-digit (non-adjacent form) decomposition of int8 weights and
 * the range-to-width rule of the adder trees. */
#include "erg_fwfe_int.h"

#include <string.h>

int erg_fwfe_csd(int v, int8_t d[ERG_FWFE_CSD_DIGITS]) {
    /* Reitwiesner's recoding: an odd remainder becomes the digit +1 (v = 1 mod 4) or -1 (v = 3
     * mod 4), which makes the next remainder even, so no two neighbours are non-zero. The NAF is
     * unique and has the fewest non-zero digits of all signed-digit forms. */
    memset(d, 0, ERG_FWFE_CSD_DIGITS);
    int n = 0;
    for (int i = 0; v != 0 && i < ERG_FWFE_CSD_DIGITS; i++) {
        if (v & 1) {
            int m4 = ((v % 4) + 4) % 4;
            d[i] = (int8_t)(m4 == 1 ? 1 : -1);
            v -= d[i];
            n++;
        }
        v /= 2; /* v is even here: exact for negative values too */
    }
    return n;
}

int erg_fwfe_csd_count(int v) {
    int8_t d[ERG_FWFE_CSD_DIGITS];
    return erg_fwfe_csd(v, d);
}

int erg_fwfe_range_width(int64_t lo, int64_t hi) {
    int n = 1;
    while (n < 63 && (lo < -((int64_t)1 << (n - 1)) || hi > ((int64_t)1 << (n - 1)) - 1)) n++;
    return n;
}
