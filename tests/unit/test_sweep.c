/* test_sweep.c — design-space sweeps (sim/sweep.c, docs/sweep.md): the order of the points (what
 * sharding relies on), a point priced by the estimator directly, the area model by hand, the
 * JSON line round trip, and the Pareto front against a brute-force one. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_estimate.h"
#include "platform.h"
#include "qnn.h"
#include "sweep.h"

static erg_sweep sw; /* large: not on the stack */

static void load_tiny(void) {
    char path[512];
    erg_error err = {{0}};
    snprintf(path, sizeof path, "%s/tests/data/sweeps/tiny.cfg", ERG_SRC_DIR);
    cr_assert_eq(erg_sweep_load(&sw, path, &err), 0, "%s", err.msg);
}

/* 2 nets x 3 rows x 2 buffer sizes x 2 bit widths = 24 points; nets outermost, the last
 * parameter fastest: index = ((net * 3 + rows) * 2 + buffer) * 2 + bits. */
Test(sweep, point_order) {
    load_tiny();
    cr_assert_eq(sw.n_points, 24);
    cr_assert_eq(sw.n_params, 3);
    for (uint64_t i = 0; i < sw.n_points; i++) {
        int net, v[ERG_SWEEP_MAX_PARAMS];
        erg_sweep_point(&sw, i, &net, v);
        cr_assert_eq((uint64_t)(((net * 3 + v[0]) * 2 + v[1]) * 2 + v[2]), i);
        cr_assert(net >= 0 && net < 2 && v[0] < 3 && v[1] < 2 && v[2] < 2);
    }
    int net, v[ERG_SWEEP_MAX_PARAMS];
    erg_sweep_point(&sw, 15, &net, v); /* 15 = ((1 * 3 + 0) * 2 + 1) * 2 + 1 */
    cr_assert(net == 1 && v[0] == 0 && v[1] == 1 && v[2] == 1);
    cr_assert_float_eq(sw.p[1].v[1].num, 32768, 0, "\"32 KiB\" is 32768 bytes");
}

/* Point 15: net 1 (nf 16/32/64) at 8 bits, 4 rows, a 32 KiB buffer. The same platform edited by
 * hand and estimated directly gives the same energy and cycles, bit for bit. The area model:
 * 4 x 16 PEs x 4900 transistors / 14.1e6 per mm^2 / 0.7 + (32 KiB + 256 KiB) x 8 bits x
 * 0.127 um^2 / 0.5 + 0.05 mm^2 (28nm.cfg's area figures). */
Test(sweep, point_equals_direct_estimate) {
    load_tiny();
    erg_sweep_result r;
    erg_error err = {{0}};
    cr_assert_eq(erg_sweep_eval_point(&sw, 15, &r, &err), 0, "%s", err.msg);

    double area = 64 * 4900.0 / 14.1e6 / 0.7 + (32768.0 + 262144.0) * 8 * 0.127e-6 / 0.5 + 0.05;
    cr_assert_float_eq(r.area_mm2, area, 1e-12 * area, "area %.9g, by hand %.9g", r.area_mm2, area);

    erg_est_platform p;
    cr_assert_eq(erg_platform_load(&p, sw.base, &err), 0, "%s", err.msg);
    p.rows = 4;
    double k = 32768 / p.levels[p.local].bytes; /* the buffer's split kept in proportion */
    p.levels[p.local].bytes = 32768;
    p.levels[p.local].ifmap_bytes *= k, p.levels[p.local].filter_bytes *= k;
    p.levels[p.local].ofmap_bytes *= k, p.levels[p.local].bank_bytes *= k;
    p.area_mm2 = area;
    cr_assert_eq(erg_est_platform_init(&p, &err), 0, "%s", err.msg);
    erg_qnn_spec q;
    cr_assert_eq(erg_qnn_parse("bits=8,nl=1,nf=16:32:64", &q, &err), 0, "%s", err.msg);
    erg_net n;
    cr_assert_eq(erg_qnn_load(&n, &q, &err), 0, "%s", err.msg);
    erg_est_result lr[32], t;
    cr_assert(n.n_layers <= 32);
    cr_assert_eq(erg_platform_estimate(&p, &n, lr, &t, &err), 0, "%s", err.msg);
    cr_assert_eq(r.energy_j, t.total, "sweep %.12g J, direct %.12g J", r.energy_j, t.total);
    cr_assert_eq(r.cycles, t.cycles);
    cr_assert_eq(r.macs, t.macs);
    erg_net_free(&n);
}

/* What erg_sweep_json_line writes, erg_sweep_parse_line reads back (to the printed digits);
 * a line cut short (no newline, or no closing brace) is refused. */
Test(sweep, json_line_round_trip) {
    load_tiny();
    erg_sweep_result r = {1.234567891e-7, 4825, 1924992, 0.1234567891, 40680.1, 8.47, 0.6915};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    erg_sweep_json_line(f, &sw, 7, &r);
    fclose(f);
    uint64_t idx;
    erg_sweep_result b;
    cr_assert_eq(erg_sweep_parse_line(buf, &idx, &b), 0, "%s", buf);
    cr_assert_eq(idx, 7);
    cr_assert_float_eq(b.energy_j, r.energy_j, 1e-9 * r.energy_j);
    cr_assert_eq(b.cycles, 4825);
    cr_assert_float_eq(b.area_mm2, r.area_mm2, 1e-9);
    cr_assert(strstr(buf, "\"net\": \"bits=4,nl=1,nf=8:16:32\""), "%s", buf);
    cr_assert(strstr(buf, "\"params\": {\"array.rows\": 8, \"levels.buffers.bytes\": 32768, "
                          "\"bits\": 8}"),
              "%s", buf); /* 7 = ((0 * 3 + 1) * 2 + 1) * 2 + 1 */
    buf[len - 1] = 0;     /* no newline: a partial line */
    cr_assert_eq(erg_sweep_parse_line(buf, &idx, &b), -1);
    buf[len - 2] = '\n'; /* no closing brace */
    buf[len - 1] = 0;
    cr_assert_eq(erg_sweep_parse_line(buf, &idx, &b), -1);
    cr_assert_eq(erg_sweep_parse_line("{\"index\": 3}\n", &idx, &b), -1);
    free(buf);
}

/* The front of a hand-made set (both objectives minimized):
 *   i : area energy
 *   0 : 1    9     on (least area)
 *   1 : 2    5     on
 *   2 : 2    6     off (1 has the same area and less energy)
 *   3 : 3    5     off (1 dominates: less area, same energy)
 *   4 : 4    2     on
 *   5 : 4    2     off (equal to 4: the lower index stays)
 *   6 : 5    3     off (4)
 *   7 : 6    1     on
 * sorted by area: 0, 1, 4, 7. */
Test(sweep, pareto_by_hand) {
    load_tiny(); /* objectives: area_mm2, energy_j */
    double a[8] = {1, 2, 2, 3, 4, 4, 5, 6}, e[8] = {9, 5, 6, 5, 2, 2, 3, 1};
    erg_sweep_result r[8];
    uint64_t idx[8];
    /* given out of order, to check the sort */
    int perm[8] = {6, 2, 7, 0, 5, 3, 1, 4};
    for (int i = 0; i < 8; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].area_mm2 = a[perm[i]], r[i].energy_j = e[perm[i]];
        idx[i] = (uint64_t)perm[i];
    }
    int front[8], m;
    erg_sweep_pareto(&sw, idx, r, 8, front, &m);
    cr_assert_eq(m, 4);
    uint64_t want[4] = {0, 1, 4, 7};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(idx[front[i]], want[i], "front[%d] = point %llu, expected %llu", i,
                     (unsigned long long)idx[front[i]], (unsigned long long)want[i]);
}

/* On 500 seeded random points (values on a coarse grid, so ties occur), the front equals the
 * brute-force definition: not dominated by any point, and of equal points the lowest index. */
Test(sweep, pareto_matches_brute_force) {
    load_tiny();
    enum { N = 500 };
    static erg_sweep_result r[N];
    static uint64_t idx[N];
    static int front[N], on[N];
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        memset(&r[i], 0, sizeof r[i]);
        s = s * 1103515245u + 12345u;
        r[i].area_mm2 = (double)((s >> 16) % 40);
        s = s * 1103515245u + 12345u;
        r[i].energy_j = (double)((s >> 16) % 40);
        idx[i] = (uint64_t)(N - 1 - i);
    }
    int m;
    erg_sweep_pareto(&sw, idx, r, N, front, &m);
    memset(on, 0, sizeof on);
    for (int i = 0; i < m; i++) on[front[i]] = 1;
    int want = 0;
    for (int i = 0; i < N; i++) {
        int dom = 0;
        for (int j = 0; j < N && !dom; j++) {
            if (j == i) continue;
            int le = r[j].area_mm2 <= r[i].area_mm2 && r[j].energy_j <= r[i].energy_j;
            int lt = r[j].area_mm2 < r[i].area_mm2 || r[j].energy_j < r[i].energy_j;
            dom = le && (lt || idx[j] < idx[i]);
        }
        want += !dom;
        cr_assert_eq(on[i], !dom, "point %llu (%g, %g): front %d, brute force %d",
                     (unsigned long long)idx[i], r[i].area_mm2, r[i].energy_j, on[i], !dom);
    }
    cr_assert_eq(m, want);
    for (int i = 1; i < m; i++)
        cr_assert(r[front[i - 1]].area_mm2 < r[front[i]].area_mm2, "sorted by the first");
}
