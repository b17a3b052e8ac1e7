/* erg_tech.c — tech-table helpers and the voltage, node and SRAM-size scaling rules. */
#include "erg_tech.h"

#include <math.h>
#include <stddef.h>

static const char *const NAMES[] = {
#define ERG_TECH_E_NAME(name, desc) #name,
    ERG_TECH_ENERGY_LIST(ERG_TECH_E_NAME)
#undef ERG_TECH_E_NAME
};

static const char *const DESCS[] = {
#define ERG_TECH_E_DESC(name, desc) desc,
    ERG_TECH_ENERGY_LIST(ERG_TECH_E_DESC)
#undef ERG_TECH_E_DESC
};

static const size_t OFFSETS[] = {
#define ERG_TECH_E_OFF(name, desc) offsetof(erg_tech, name),
    ERG_TECH_ENERGY_LIST(ERG_TECH_E_OFF)
#undef ERG_TECH_E_OFF
};

const char *erg_tech_energy_name(int i) {
    return i >= 0 && i < ERG_TECH_E_COUNT ? NAMES[i] : "?";
}
const char *erg_tech_energy_desc(int i) {
    return i >= 0 && i < ERG_TECH_E_COUNT ? DESCS[i] : "?";
}
double *erg_tech_energy_ptr(erg_tech *t, int i) {
    return (double *)(void *)((char *)t + OFFSETS[i]);
}
double erg_tech_energy(const erg_tech *t, int i) {
    return *(const double *)(const void *)((const char *)t + OFFSETS[i]);
}

int erg_tech_check(const erg_tech *t, erg_error *err) {
    if (!(t->vdd > 0 && t->vdd <= 5))
        return erg_fail(err, "tech '%s': expected a supply in (0, 5] V, found %g", t->name, t->vdd);
    for (int i = 0; i < ERG_TECH_E_COUNT; i++)
        if (!(erg_tech_energy(t, i) >= 0))
            return erg_fail(err, "tech '%s': energy %s must be >= 0 pJ, found %g", t->name,
                            NAMES[i], erg_tech_energy(t, i));
    if (!(t->sram64_8kb > 0 && t->sram64_32kb >= t->sram64_8kb && t->sram64_1mb >= t->sram64_32kb))
        return erg_fail(err,
                        "tech '%s': SRAM energies must be positive and not fall with size, found "
                        "%g / %g / %g pJ for 8 KB / 32 KB / 1 MB",
                        t->name, t->sram64_8kb, t->sram64_32kb, t->sram64_1mb);
    if (!(t->sram_write_factor >= 1.0))
        return erg_fail(err, "tech '%s': SRAM write factor must be >= 1, found %g", t->name,
                        t->sram_write_factor);
    if (!(t->leak_w_per_mm2 >= 0))
        return erg_fail(err, "tech '%s': leakage must be >= 0 W/mm^2, found %g", t->name,
                        t->leak_w_per_mm2);
    return 0;
}

double erg_vscale_dynamic(double volt, double vnom) {
    return (volt / vnom) * (volt / vnom);
}

double erg_vscale_leak(double volt, double vnom) {
    return volt / vnom;
}

/* Stillmaker & Baas 2017, Table 5 (energy per operation, a2·V² + a1·V + a0): 180-65 nm bulk
 * (PTM), 45 nm and below the high-performance (HP) models. Horowitz's 45 nm table is a
 * general-purpose process, so erg scales it along the HP column. */
static const struct {
    int nm;
    double a2, a1, a0;
} STILLMAKER_HP[] = {
    {180, 0.0, 24.64, -17.98},       {130, 7.171, -6.709, 2.904},
    {90, 4.762, -4.781, 2.092},      {65, 3.755, -4.398, 1.975},
    {45, 1.018, -0.3107, 0.1539},    {32, 0.8367, -0.4341, 0.1701},
    {20, 0.373, -0.1582, 0.04104},   {16, 0.2958, -0.1241, 0.03024},
    {14, 0.2363, -0.09675, 0.02239}, {10, 0.2068, -0.09311, 0.02375},
    {7, 0.1776, -0.09097, 0.02447},
};
#define N_STILLMAKER ((int)(sizeof STILLMAKER_HP / sizeof STILLMAKER_HP[0]))

static double poly(int i, double v) {
    return STILLMAKER_HP[i].a2 * v * v + STILLMAKER_HP[i].a1 * v + STILLMAKER_HP[i].a0;
}

int erg_node_energy_poly(double *f, int node_nm, double volt, erg_error *err) {
    *f = 0;
    if (node_nm > STILLMAKER_HP[0].nm || node_nm < STILLMAKER_HP[N_STILLMAKER - 1].nm)
        return erg_fail(err, "node %d nm is outside the scaling table (7..180 nm)", node_nm);
    for (int i = 0; i < N_STILLMAKER; i++) {
        if (STILLMAKER_HP[i].nm == node_nm) {
            *f = poly(i, volt);
            break;
        }
        if (STILLMAKER_HP[i].nm > node_nm && STILLMAKER_HP[i + 1].nm < node_nm) {
            /* ln F linear in ln(node) between the larger node i and the smaller node i + 1 */
            double lo = poly(i + 1, volt), hi = poly(i, volt);
            if (!(lo > 0 && hi > 0)) {
                *f = 0;
                break;
            }
            double t = log((double)STILLMAKER_HP[i].nm / node_nm) /
                       log((double)STILLMAKER_HP[i].nm / STILLMAKER_HP[i + 1].nm);
            *f = exp(log(hi) + t * (log(lo) - log(hi)));
            break;
        }
    }
    if (!(*f > 0))
        return erg_fail(err, "node %d nm: the scaling polynomial is not positive at %g V", node_nm,
                        volt);
    return 0;
}

int erg_node_scale_factor(double *k, int from_nm, double from_v, int to_nm, double to_v,
                          erg_error *err) {
    double ff, ft;
    if (erg_node_energy_poly(&ff, from_nm, from_v, err)) return -1;
    if (erg_node_energy_poly(&ft, to_nm, to_v, err)) return -1;
    *k = ft / ff;
    return 0;
}

void erg_tech_scale_energies(erg_tech *t, double k) {
    for (int i = 0; i < ERG_TECH_E_COUNT; i++) *erg_tech_energy_ptr(t, i) *= k;
}

double erg_sram_bit_read_pj(const erg_tech *t, double bytes) {
    if (!(bytes > 0)) return 0;
    const double s8 = 8.0 * 1024, s32 = 32.0 * 1024, s1m = 1024.0 * 1024;
    double s0 = s8, e0 = t->sram64_8kb, s1 = s32, e1 = t->sram64_32kb;
    if (bytes > s32) {
        s0 = s32, e0 = t->sram64_32kb;
        s1 = s1m, e1 = t->sram64_1mb;
    }
    double p = log(e1 / e0) / log(s1 / s0); /* power-law exponent of the segment */
    return e0 * pow(bytes / s0, p) / 64.0;
}

double erg_sram_bit_write_pj(const erg_tech *t, double bytes) {
    return erg_sram_bit_read_pj(t, bytes) * t->sram_write_factor;
}
