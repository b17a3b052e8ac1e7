/* erg_amul.c — the multiplier library (erg_amul.def, docs/amac.md "Multiplier library"): every
 * family's product written directly from its bit-level definition, product tables, and ready
 * table-driven erg_mul8u instances. */
#include "erg_amul.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const erg_amul_info infos[ERG_AMUL_COUNT] = {
#define ERG_AMUL(name, fam, p1, p2, desc) {#name, ERG_AMUL_##fam, p1, p2, desc},
#include "erg_amul.def"
#undef ERG_AMUL
};

static const char *const family_names[ERG_AMUL_FAMILY_COUNT] = {
    "EXACT", "TRUNC", "PERF", "BAM", "LOA", "DRUM", "DSM", "MITCHELL", "CMP", "KUL"};

const erg_amul_info *erg_amul_info_of(int id) {
    return id >= 0 && id < ERG_AMUL_COUNT ? &infos[id] : NULL;
}

const char *erg_amul_family_name(erg_amul_family f) {
    return (int)f >= 0 && f < ERG_AMUL_FAMILY_COUNT ? family_names[f] : "?";
}

/* ---- names ---- */

/* Edit distance (insert, delete, substitute, swap of neighbours; case-insensitive). models/amac
 * may not include sim/cfg.h, hence this small copy of erg_edit_distance. */
static int edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31) return 99;
    int d[32][32];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* The number a name ends in ("trunc10" -> 10), -1 if none; breaks ties between names equally
 * far from a typo so that "trunc5" suggests trunc4 rather than trunc2. */
static int trailing_number(const char *s) {
    size_t n = strlen(s), i = n;
    while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') i--;
    if (i == n || n - i > 6) return -1;
    int v = 0;
    for (; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

/* The instance name nearest to `word` if close enough to suggest (a third of its length in
 * edits, at least 1, at most 3; or a common prefix of 3+ characters), else NULL. */
static const char *nearest_name(const char *word) {
    int num = trailing_number(word);
    const char *best = NULL;
    int best_d = 1 << 30, best_tie = 1 << 30;
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        int d = edit_distance(word, infos[id].name);
        int tn = trailing_number(infos[id].name);
        int tie = num >= 0 && tn >= 0 ? (num > tn ? num - tn : tn - num) : 0;
        if (d < best_d || (d == best_d && tie < best_tie)) {
            best_d = d;
            best_tie = tie;
            best = infos[id].name;
        }
    }
    size_t len = strlen(word);
    int limit = (int)(len / 3);
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    if (best && best_d <= limit) return best;
    for (int id = 0; id < ERG_AMUL_COUNT; id++) {
        size_t lc = strlen(infos[id].name);
        size_t m = len < lc ? len : lc;
        if (m >= 3 && strncmp(word, infos[id].name, m) == 0) return infos[id].name;
    }
    return NULL;
}

int erg_amul_find(const char *name, erg_error *err) {
    if (!name || !*name) return erg_fail(err, "no multiplier name given");
    for (int id = 0; id < ERG_AMUL_COUNT; id++)
        if (strcmp(name, infos[id].name) == 0) return id;
    const char *near = nearest_name(name);
    if (near) return erg_fail(err, "unknown multiplier '%s' (did you mean '%s'?)", name, near);
    char list[ERG_ERR_MAX / 2];
    size_t used = 0;
    list[0] = '\0';
    for (int id = 0; id < ERG_AMUL_COUNT && used < sizeof list; id++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", id ? ", " : "",
                                 infos[id].name);
    return erg_fail(err, "unknown multiplier '%s' (built-in: %s)", name, list);
}

/* ---- the families (erg_amul.def) ---- */

static int msb(unsigned x) {
    int k = -1;
    while (x) {
        x >>= 1;
        k++;
    }
    return k;
}

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* Sum of pp(i,j) 2^(i+j) over j >= h and i + j >= v: TRUNC(k) = (0, k), PERF(m) = (m, 0). */
static unsigned pp_sum(unsigned a, unsigned b, int h, int v) {
    unsigned o = 0;
    for (int j = h < 0 ? 0 : h; j < 8; j++) {
        if (!((b >> j) & 1)) continue;
        for (int i = 0; i < 8; i++)
            if (((a >> i) & 1) && i + j >= v) o += 1u << (i + j);
    }
    return o;
}

static unsigned loa(unsigned a, unsigned b, int l) {
    unsigned o = 0;
    for (int c = 0; c <= 14; c++) {
        unsigned ones = 0;
        for (int i = 0; i < 8; i++) {
            int j = c - i;
            if (j >= 0 && j < 8) ones += ((a >> i) & (b >> j)) & 1;
        }
        if (c < l && ones) ones = 1; /* OR of the column's bits, no carry out */
        o += ones << c;
    }
    return o;
}

/* DRUM (force = 1) and DSM (force = 0) segment of x with k kept bits. */
static unsigned segment(unsigned x, int k, int force) {
    if (x < (1u << k)) return x;
    int t = msb(x) - k + 1;
    return ((x >> t) | (unsigned)force) << t;
}

static unsigned mitchell(unsigned a, unsigned b, int w) {
    if (a == 0 || b == 0) return 0;
    int ka = msb(a), kb = msb(b);
    unsigned keep = ~((1u << (7 - w)) - 1);
    unsigned fa = ((a - (1u << ka)) << (7 - ka)) & keep;
    unsigned fb = ((b - (1u << kb)) << (7 - kb)) & keep;
    unsigned s = fa + fb;
    if (s < 128) return ((128 + s) << (ka + kb)) >> 7;
    return (s << (ka + kb + 1)) >> 7;
}

/* Columns 0 .. c-1 reduced by approximate 4:2 compressors in ascending order; the carries of a
 * column are appended to the next column's list (after its pp bits) in the order made. */
#define CMP_COLS 18
#define CMP_BITS 32
static unsigned cmp(unsigned a, unsigned b, int c) {
    unsigned char bits[CMP_COLS][CMP_BITS];
    int n[CMP_COLS] = {0};
    for (int col = 0; col <= 14; col++)
        for (int i = 0; i < 8; i++) {
            int j = col - i;
            if (j >= 0 && j < 8) bits[col][n[col]++] = ((a >> i) & (b >> j)) & 1;
        }
    unsigned o = 0;
    for (int col = 0; col < CMP_COLS; col++) {
        unsigned ones = 0;
        int k = 0;
        if (col < c)
            for (; k + 4 <= n[col]; k += 4) {
                unsigned x1 = bits[col][k], x2 = bits[col][k + 1];
                unsigned x3 = bits[col][k + 2], x4 = bits[col][k + 3];
                ones += (x1 ^ x2) | (x3 ^ x4);
                /* at most 8 pp bits + 2 carries per column: no overflow of the lists */
                if (col + 1 < CMP_COLS && n[col + 1] < CMP_BITS)
                    bits[col + 1][n[col + 1]++] = (unsigned char)((x1 & x2) | (x3 & x4));
            }
        for (; k < n[col]; k++) ones += bits[col][k];
        o += ones << col;
    }
    return o;
}

static unsigned kul(unsigned a, unsigned b, int l) {
    unsigned o = 0;
    for (int p = 0; p < 4; p++)
        for (int q = 0; q < 4; q++) {
            unsigned x = (a >> (2 * p)) & 3, y = (b >> (2 * q)) & 3;
            unsigned m = x * y;
            if (m == 9 && 2 * p + 2 * q < l) m = 7;
            o += m << (2 * p + 2 * q);
        }
    return o;
}

/* Parameters outside a family's meaningful range are clamped to it (DRUM/DSM k and MITCHELL w
 * to 1 .. 8 and 0 .. 7) so that every result stays a 16-bit product. */
uint16_t erg_amul_family_eval(erg_amul_family f, int p1, int p2, uint8_t a, uint8_t b) {
    unsigned o;
    switch (f) {
    case ERG_AMUL_TRUNC:
        o = pp_sum(a, b, 0, p1);
        break;
    case ERG_AMUL_PERF:
        o = pp_sum(a, b, p1, 0);
        break;
    case ERG_AMUL_BAM:
        o = pp_sum(a, b, p1, p2);
        break;
    case ERG_AMUL_LOA:
        o = loa(a, b, p1);
        break;
    case ERG_AMUL_DRUM: {
        int k = clampi(p1, 1, 8);
        o = segment(a, k, 1) * segment(b, k, 1);
        break;
    }
    case ERG_AMUL_DSM: {
        int k = clampi(p1, 1, 8);
        o = segment(a, k, 0) * segment(b, k, 0);
        break;
    }
    case ERG_AMUL_MITCHELL:
        o = mitchell(a, b, clampi(p1, 0, 7));
        break;
    case ERG_AMUL_CMP:
        o = cmp(a, b, p1);
        break;
    case ERG_AMUL_KUL:
        o = kul(a, b, p1);
        break;
    case ERG_AMUL_EXACT:
    default:
        o = (unsigned)a * b;
        break;
    }
    return (uint16_t)o;
}

/* A bad id gives 0. */
uint16_t erg_amul_eval(int id, uint8_t a, uint8_t b) {
    const erg_amul_info *in = erg_amul_info_of(id);
    return in ? erg_amul_family_eval(in->family, in->p1, in->p2, a, b) : 0;
}

void erg_amul_table(int id, uint16_t *table) {
    const erg_amul_info *in = erg_amul_info_of(id);
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            table[a * 256 + b] =
                in ? erg_amul_family_eval(in->family, in->p1, in->p2, (uint8_t)a, (uint8_t)b) : 0;
}

/* ---- table-driven erg_mul8u instances ---- */

static uint16_t table_fn(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[(unsigned)a * 256 + b];
}

static uint16_t tables[ERG_AMUL_COUNT][65536];
static erg_mul8u muls[ERG_AMUL_COUNT];
static unsigned char built[ERG_AMUL_COUNT];

const erg_mul8u *erg_amul_mul8u(int id) {
    if (id < 0 || id >= ERG_AMUL_COUNT) return NULL;
    if (!built[id]) {
        erg_amul_table(id, tables[id]);
        muls[id].fn = table_fn;
        muls[id].ctx = tables[id];
        muls[id].name = infos[id].name;
        built[id] = 1;
    }
    return &muls[id];
}
