/* erg_amul_char.h — error characterization of an 8x8 unsigned multiplier from its product
 * table, in the EvoApprox conventions (docs/amac.md "Characterization metrics";
 * REFERENCES.md "Approximate multipliers"): e = approx - exact over operand pairs, either all
 * 65,536 pairs equally weighted or weighted by an operand-pair histogram. */
#ifndef ERG_AMUL_CHAR_H
#define ERG_AMUL_CHAR_H

#include <stdint.h>

#include "erg_error.h"

typedef struct erg_amul_metrics {
    uint64_t pairs;         /* operand pairs counted: 65,536, or the sum of the histogram */
    uint64_t pairs_nonzero; /* of them with exact product != 0 (MRE/WCRE range): 65,025 */
    double mae;             /* mean |e| */
    double mae_pct;         /* MAE / 2^16 * 100 */
    uint32_t wce;           /* max |e| over the counted pairs */
    double wce_pct;         /* WCE / 2^16 * 100 */
    double ep_pct;          /* share of pairs with e != 0, % */
    double mre_pct;         /* mean |e| / exact over pairs with exact != 0, % (0 if none) */
    double wcre_pct;        /* max |e| / exact over the same pairs, % */
    double mse;             /* mean e^2 */
    double bias;            /* mean e */
    double std;             /* population standard deviation of e */
    int32_t e_min, e_max;   /* most negative and most positive e over the counted pairs */
} erg_amul_metrics;

/* All metrics of the multiplier whose products are table[a * 256 + b] (65,536 entries).
 * hist: NULL for uniform weighting of all 65,536 pairs, or 65,536 counts hist[a * 256 + b]
 * weighting every metric (maxima over the pairs with a non-zero count). -1 with err if the
 * histogram is empty or its total exceeds 2^64 - 1. */
int erg_amul_characterize(const uint16_t *table, const uint64_t *hist, erg_amul_metrics *m,
                          erg_error *err);

/* The same for built-in instance `id` (erg_amul.h). */
int erg_amul_characterize_id(int id, const uint64_t *hist, erg_amul_metrics *m, erg_error *err);

#endif
