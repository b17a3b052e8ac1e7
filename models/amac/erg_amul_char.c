/* erg_amul_char.c — EvoApprox-style error metrics of a product table (docs/amac.md
 * "Characterization metrics"). Sums of counts, |e|, e and e^2 are exact 128-bit integers; only
 * the final divisions, the relative errors and the standard deviation use long double. */
#include "erg_amul_char.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amul.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

int erg_amul_characterize(const uint16_t *table, const uint64_t *hist, erg_amul_metrics *m,
                          erg_error *err) {
    if (!table || !m) return erg_fail(err, "no product table or no result to characterize");
    u128 n = 0, n_nz = 0, n_err = 0, sum_abs = 0, sum_sq = 0;
    i128 sum_e = 0;
    long double sum_rel = 0;
    uint32_t wce = 0;
    int32_t e_min = 0, e_max = 0;
    long double wcre = 0;
    int any = 0;
    for (uint32_t a = 0; a < 256; a++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t idx = a * 256 + b;
            uint64_t w = hist ? hist[idx] : 1;
            if (w == 0) continue;
            int32_t exact = (int32_t)(a * b);
            int32_t e = (int32_t)table[idx] - exact;
            uint32_t ae = (uint32_t)(e < 0 ? -e : e);
            n += w;
            if (!any || e < e_min) e_min = e;
            if (!any || e > e_max) e_max = e;
            any = 1;
            if (ae > wce) wce = ae;
            if (ae) n_err += w;
            sum_abs += (u128)w * ae;
            sum_sq += (u128)w * ((uint64_t)ae * ae);
            sum_e += (i128)w * e;
            if (exact) {
                n_nz += w;
                long double rel = (long double)ae / exact;
                sum_rel += (long double)w * rel;
                if (rel > wcre) wcre = rel;
            }
        }
    }
    if (n == 0) return erg_fail(err, "the operand-pair histogram is empty");
    if (n > UINT64_MAX) return erg_fail(err, "the operand-pair histogram's total exceeds 2^64");
    long double N = (long double)n;
    long double bias = (long double)sum_e / N;
    /* Second pass for the variance around the mean (no cancellation of mse - bias^2). */
    long double var = 0;
    for (uint32_t idx = 0; idx < 65536; idx++) {
        uint64_t w = hist ? hist[idx] : 1;
        if (w == 0) continue;
        long double d = (long double)((int32_t)table[idx] - (int32_t)((idx >> 8) * (idx & 255)));
        d -= bias;
        var += (long double)w * d * d;
    }
    memset(m, 0, sizeof *m);
    m->pairs = (uint64_t)n;
    m->pairs_nonzero = (uint64_t)n_nz;
    m->mae = (double)((long double)sum_abs / N);
    m->mae_pct = (double)((long double)sum_abs / N / 65536.0L * 100.0L);
    m->wce = wce;
    m->wce_pct = (double)((long double)wce / 65536.0L * 100.0L);
    m->ep_pct = (double)((long double)n_err / N * 100.0L);
    m->mre_pct = n_nz ? (double)(sum_rel / (long double)n_nz * 100.0L) : 0.0;
    m->wcre_pct = (double)(wcre * 100.0L);
    m->mse = (double)((long double)sum_sq / N);
    m->bias = (double)bias;
    m->std = (double)sqrtl(var / N);
    m->e_min = e_min;
    m->e_max = e_max;
    return 0;
}

int erg_amul_characterize_id(int id, const uint64_t *hist, erg_amul_metrics *m, erg_error *err) {
    const erg_amul_info *in = erg_amul_info_of(id);
    if (!in) return erg_fail(err, "no built-in multiplier with id %d", id);
    uint16_t *table = malloc(65536 * sizeof *table);
    if (!table) return erg_fail(err, "out of memory for the product table of %s", in->name);
    erg_amul_table(id, table);
    int rc = erg_amul_characterize(table, hist, m, err);
    free(table);
    if (rc) erg_error_prefix(err, "%s", in->name);
    return rc;
}
