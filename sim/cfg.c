/* cfg.c — loading libconfig files and checking them against erg_key schemas, with messages
 * that say file:line, key path, expected and found, and suggest the nearest valid key. */
#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int erg_cfg_fail(erg_error *err, const config_setting_t *s, const char *path, const char *fmt,
                 ...) {
    char msg[ERG_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = s ? config_setting_source_file(s) : NULL;
    unsigned line = s ? config_setting_source_line(s) : 0;
    if (!file) file = "?";
    char where[4200]; /* the root group has no line of its own */
    if (line)
        snprintf(where, sizeof where, "%s:%u", file, line);
    else
        snprintf(where, sizeof where, "%s", file);
    if (path && *path) return erg_fail(err, "%s: %s: %s", where, path, msg);
    return erg_fail(err, "%s: %s", where, msg);
}

/* ---- edit distance and suggestions ---- */

int erg_edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best) best = d[i - 1][j - 1] + cost;
            /* a transposition of two neighbours counts as one edit */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *erg_nearest(const char *word, const char *const *candidates, int n) {
    const char *best = NULL;
    int best_d = 1 << 30;
    for (int i = 0; i < n; i++) {
        int dist = erg_edit_distance(word, candidates[i]);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    /* Suggest only when the typo is small relative to the word: a third of its length, at
     * least 1, at most 3 edits; or when one is a prefix of the other ("filter"/"filters"). */
    size_t len = strlen(word);
    int limit = (int)(len / 3);
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    if (best && best_d <= limit) return best;
    for (int i = 0; i < n; i++) {
        size_t lc = strlen(candidates[i]);
        size_t m = len < lc ? len : lc;
        if (m >= 3 && strncmp(word, candidates[i], m) == 0) return candidates[i];
    }
    return NULL;
}

/* ---- sizes ---- */

int64_t erg_parse_size(const char *s) {
    static const struct {
        const char *unit;
        int64_t mult;
    } units[] = {{"B", 1},           {"KiB", 1024}, {"MiB", 1024 * 1024},
                 {"GiB", 1 << 30},   {"kB", 1000},  {"MB", 1000000},
                 {"GB", 1000000000}, {"bytes", 1},  {"byte", 1}};
    while (isspace((unsigned char)*s)) s++;
    if (!isdigit((unsigned char)*s)) return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || v > (1ull << 50)) return -1;
    while (isspace((unsigned char)*end)) end++;
    if (*end == 0) return (int64_t)v;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].unit) == 0) return (int64_t)v * units[i].mult;
    }
    return -1;
}

/* ---- describing what was found ---- */

static const char *describe(const config_setting_t *s, char *buf, size_t len) {
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(buf, len, "%lld", (long long)config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        snprintf(buf, len, "%g", config_setting_get_float(s));
        break;
    case CONFIG_TYPE_STRING:
        snprintf(buf, len, "\"%s\"", config_setting_get_string(s));
        break;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, len, "%s", config_setting_get_bool(s) ? "true" : "false");
        break;
    case CONFIG_TYPE_GROUP:
        snprintf(buf, len, "a group { ... }");
        break;
    case CONFIG_TYPE_ARRAY:
        snprintf(buf, len, "an array [ ... ]");
        break;
    case CONFIG_TYPE_LIST:
        snprintf(buf, len, "a list ( ... )");
        break;
    default:
        snprintf(buf, len, "nothing");
        break;
    }
    return buf;
}

static int is_int(const config_setting_t *s) {
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static int is_number(const config_setting_t *s) {
    return is_int(s) || config_setting_type(s) == CONFIG_TYPE_FLOAT;
}

static double number_of(const config_setting_t *s) {
    return is_int(s) ? (double)config_setting_get_int64(s) : config_setting_get_float(s);
}

static int check_int(const config_setting_t *s, const char *path, const erg_key *k,
                     erg_error *err) {
    char found[256];
    if (!is_int(s))
        return erg_cfg_fail(err, s, path,
                            "expected an integer in %" PRId64 "..%" PRId64 ", found %s", k->imin,
                            k->imax, describe(s, found, sizeof found));
    int64_t v = config_setting_get_int64(s);
    if (v < k->imin || v > k->imax)
        return erg_cfg_fail(err, s, path,
                            "expected an integer in %" PRId64 "..%" PRId64 ", found %" PRId64,
                            k->imin, k->imax, v);
    return 0;
}

static int check_float(const config_setting_t *s, const char *path, const erg_key *k,
                       erg_error *err) {
    char found[256];
    if (!is_number(s))
        return erg_cfg_fail(err, s, path, "expected a number in %g..%g, found %s", k->fmin, k->fmax,
                            describe(s, found, sizeof found));
    double v = number_of(s);
    if (!(v >= k->fmin && v <= k->fmax))
        return erg_cfg_fail(err, s, path, "expected a number in %g..%g, found %g", k->fmin, k->fmax,
                            v);
    return 0;
}

static int check_array(const config_setting_t *s, const char *path, const erg_key *k, int ints,
                       erg_error *err) {
    char found[256];
    int t = config_setting_type(s);
    const char *what = ints ? "integers" : "numbers";
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return erg_cfg_fail(err, s, path, "expected an array of %s [a, b, ...], found %s", what,
                            describe(s, found, sizeof found));
    int n = config_setting_length(s);
    if ((k->nmin && n < k->nmin) || (k->nmax && n > k->nmax)) {
        if (k->nmin == k->nmax)
            return erg_cfg_fail(err, s, path, "expected %d %s, found %d", k->nmin, what, n);
        return erg_cfg_fail(err, s, path, "expected %d..%d %s, found %d", k->nmin,
                            k->nmax ? k->nmax : 1 << 30, what, n);
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char epath[512];
        snprintf(epath, sizeof epath, "%s[%d]", path, i);
        int rc = ints ? check_int(e, epath, k, err) : check_float(e, epath, k, err);
        if (rc) return rc;
    }
    return 0;
}

static int check_enum(const config_setting_t *s, const char *path, const erg_key *k,
                      erg_error *err) {
    char found[256], list[512] = "";
    int n = 0;
    for (const char *const *e = k->enums; *e; e++, n++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s\"%s\"", n ? ", " : "", *e);
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return erg_cfg_fail(err, s, path, "expected one of %s, found %s", list,
                            describe(s, found, sizeof found));
    const char *v = config_setting_get_string(s);
    for (int i = 0; i < n; i++)
        if (strcmp(v, k->enums[i]) == 0) return 0;
    const char *near = erg_nearest(v, k->enums, n);
    if (near)
        return erg_cfg_fail(err, s, path, "expected one of %s, found \"%s\" (did you mean \"%s\"?)",
                            list, v, near);
    return erg_cfg_fail(err, s, path, "expected one of %s, found \"%s\"", list, v);
}

static int check_groups(const erg_cfg *cfg, const config_setting_t *s, const char *path,
                        const erg_key *k, erg_error *err);

static int check_value(const erg_cfg *cfg, const config_setting_t *s, const char *path,
                       const erg_key *k, erg_error *err) {
    char found[256];
    switch (k->kind) {
    case ERG_K_INT:
        return check_int(s, path, k, err);
    case ERG_K_FLOAT:
        return check_float(s, path, k, err);
    case ERG_K_STRING:
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return erg_cfg_fail(err, s, path, "expected a string \"...\", found %s",
                                describe(s, found, sizeof found));
        if (!*config_setting_get_string(s))
            return erg_cfg_fail(err, s, path, "expected a non-empty string, found \"\"");
        return 0;
    case ERG_K_ENUM:
        return check_enum(s, path, k, err);
    case ERG_K_BOOL:
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return erg_cfg_fail(err, s, path, "expected true or false, found %s",
                                describe(s, found, sizeof found));
        return 0;
    case ERG_K_GROUP:
        if (config_setting_type(s) != CONFIG_TYPE_GROUP)
            return erg_cfg_fail(err, s, path, "expected a group { ... }, found %s",
                                describe(s, found, sizeof found));
        return erg_cfg_validate(cfg, s, path, k->children, err);
    case ERG_K_GROUPS:
        return check_groups(cfg, s, path, k, err);
    case ERG_K_ANY:
        return 0;
    case ERG_K_INTS:
        return check_array(s, path, k, 1, err);
    case ERG_K_FLOATS:
        return check_array(s, path, k, 0, err);
    case ERG_K_INT_OR_INTS: {
        int t = config_setting_type(s);
        if (is_int(s)) return check_int(s, path, k, err);
        if (t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST) return check_array(s, path, k, 1, err);
        return erg_cfg_fail(err, s, path,
                            "expected an integer in %" PRId64 "..%" PRId64 " or an array [h, w], "
                            "found %s",
                            k->imin, k->imax, describe(s, found, sizeof found));
    }
    case ERG_K_SIZE: {
        int64_t v;
        if (is_int(s)) {
            v = config_setting_get_int64(s);
        } else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
            v = erg_parse_size(config_setting_get_string(s));
            if (v < 0)
                return erg_cfg_fail(err, s, path,
                                    "expected a size such as 4096, \"64 KiB\" or \"2 MiB\" "
                                    "(units B, KiB, MiB, GiB, kB, MB, GB), found \"%s\"",
                                    config_setting_get_string(s));
        } else {
            return erg_cfg_fail(err, s, path,
                                "expected a size such as 4096 or \"64 KiB\", found %s",
                                describe(s, found, sizeof found));
        }
        if (v < k->imin || v > k->imax)
            return erg_cfg_fail(err, s, path,
                                "expected a size of %" PRId64 "..%" PRId64 " bytes, found %" PRId64,
                                k->imin, k->imax, v);
        return 0;
    }
    case ERG_K_STRINGS: {
        int t = config_setting_type(s);
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
            return erg_cfg_fail(err, s, path, "expected an array of strings [\"a\", ...], found %s",
                                describe(s, found, sizeof found));
        int n = config_setting_length(s);
        if ((k->nmin && n < k->nmin) || (k->nmax && n > k->nmax))
            return erg_cfg_fail(err, s, path, "expected %d..%d strings, found %d", k->nmin,
                                k->nmax ? k->nmax : 1 << 30, n);
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            char epath[512];
            snprintf(epath, sizeof epath, "%s[%d]", path, i);
            if (config_setting_type(e) != CONFIG_TYPE_STRING || !*config_setting_get_string(e))
                return erg_cfg_fail(err, e, epath, "expected a non-empty string \"...\", found %s",
                                    describe(e, found, sizeof found));
        }
        return 0;
    }
    case ERG_K_END:
        break;
    }
    return 0;
}

static int check_groups(const erg_cfg *cfg, const config_setting_t *s, const char *path,
                        const erg_key *k, erg_error *err) {
    char found[256];
    if (config_setting_type(s) != CONFIG_TYPE_LIST)
        return erg_cfg_fail(err, s, path, "expected a list of groups ( { ... }, ... ), found %s",
                            describe(s, found, sizeof found));
    int n = config_setting_length(s);
    if (k->nmin && n < k->nmin)
        return erg_cfg_fail(err, s, path, "expected at least %d %s%s, found %d", k->nmin,
                            k->item ? k->item : "entrie", k->nmin == 1 ? "" : "s", n);
    if (k->nmax && n > k->nmax)
        return erg_cfg_fail(err, s, path, "expected at most %d %ss, found %d", k->nmax,
                            k->item ? k->item : "entrie", n);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char epath[512];
        snprintf(epath, sizeof epath, "%s[%d]", path, i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return erg_cfg_fail(err, e, epath, "expected a group { ... }, found %s",
                                describe(e, found, sizeof found));
        const erg_key *keys = k->children;
        if (k->variants) {
            const config_setting_t *t = config_setting_get_member(e, k->tag);
            const char *values[32];
            int nv = 0;
            for (const erg_variant *v = k->variants; v->value && nv < 32; v++)
                values[nv++] = v->value;
            char list[512] = "";
            for (int j = 0; j < nv; j++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s\"%s\"", j ? ", " : "", values[j]);
            }
            if (!t)
                return erg_cfg_fail(err, e, epath, "missing required key '%s' (one of %s)", k->tag,
                                    list);
            char tpath[560];
            snprintf(tpath, sizeof tpath, "%s.%s", epath, k->tag);
            if (config_setting_type(t) != CONFIG_TYPE_STRING)
                return erg_cfg_fail(err, t, tpath, "expected one of %s, found %s", list,
                                    describe(t, found, sizeof found));
            const char *tv = config_setting_get_string(t);
            keys = NULL;
            for (const erg_variant *v = k->variants; v->value; v++)
                if (strcmp(v->value, tv) == 0) keys = v->keys;
            if (!keys) {
                const char *near = erg_nearest(tv, values, nv);
                if (near)
                    return erg_cfg_fail(err, t, tpath,
                                        "expected one of %s, found \"%s\" (did you mean \"%s\"?)",
                                        list, tv, near);
                return erg_cfg_fail(err, t, tpath, "expected one of %s, found \"%s\"", list, tv);
            }
        }
        if (erg_cfg_validate(cfg, e, epath, keys, err)) {
            const char *name = NULL;
            if (k->item && config_setting_lookup_string(e, "name", &name) == CONFIG_TRUE) {
                size_t l = strlen(err->msg);
                snprintf(err->msg + l, sizeof err->msg - l, " (%s '%s')", k->item, name);
            }
            return -1;
        }
    }
    return 0;
}

int erg_cfg_validate(const erg_cfg *cfg, const config_setting_t *s, const char *path,
                     const erg_key *keys, erg_error *err) {
    int nkeys = 0;
    while (keys[nkeys].name) nkeys++;
    const char *names[128];
    for (int i = 0; i < nkeys && i < 128; i++) names[i] = keys[i].name;

    /* Every key present must be known. */
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(c);
        if (!name) continue;
        int known = 0;
        for (int j = 0; j < nkeys; j++) known |= strcmp(name, keys[j].name) == 0;
        if (known) continue;
        char cpath[512];
        snprintf(cpath, sizeof cpath, "%s%s%s", path, *path ? "." : "", name);
        const char *near = erg_nearest(name, names, nkeys);
        if (near)
            return erg_cfg_fail(err, c, cpath, "unknown key '%s' (did you mean '%s'?)", name, near);
        char list[1024] = "";
        for (int j = 0; j < nkeys; j++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", j ? ", " : "", names[j]);
        }
        return erg_cfg_fail(err, c, cpath, "unknown key '%s' (valid keys here: %s)", name, list);
    }
    /* Every key must be well-formed, and the required ones present. */
    for (int j = 0; j < nkeys; j++) {
        const config_setting_t *c = config_setting_get_member(s, keys[j].name);
        char cpath[512];
        snprintf(cpath, sizeof cpath, "%s%s%s", path, *path ? "." : "", keys[j].name);
        if (!c) {
            if (keys[j].required)
                return erg_cfg_fail(err, s, path, "missing required key '%s'", keys[j].name);
            continue;
        }
        if (check_value(cfg, c, cpath, &keys[j], err)) return -1;
    }
    return 0;
}

/* ---- loading ---- */

/* libconfig 1.5 parses integer literals beyond 32 bits without the L suffix by silently
 * wrapping them (5000000000 becomes 705032704). Scan the text first and refuse them. */
static int check_wide_ints(const char *path, const char *text, erg_error *err) {
    unsigned line = 1;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '\n')
                    line++;
            }
            if (*p) p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p == '\n') line++;
            if (*p) p += 2;
        } else if (isdigit((unsigned char)*p) && (p == text || !(isalnum((unsigned char)p[-1]) ||
                                                                 p[-1] == '_' || p[-1] == '.'))) {
            const char *start = p;
            int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
            if (hex) p += 2;
            while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)) p++;
            if (!hex && (*p == '.' || *p == 'e' || *p == 'E')) { /* a float */
                while (isalnum((unsigned char)*p) || *p == '.' || *p == '+' || *p == '-') p++;
                continue;
            }
            if (*p == 'L') {
                p++;
                if (*p == 'L') p++;
                continue;
            }
            errno = 0;
            unsigned long long v = strtoull(start, NULL, hex ? 16 : 10);
            int neg = start > text && start[-1] == '-';
            unsigned long long lim = hex ? 0x7fffffffull : (neg ? 2147483648ull : 2147483647ull);
            if (errno || v > lim)
                return erg_fail(err,
                                "%s:%u: integer %s%.*s does not fit 32 bits: write it as %s%.*sL "
                                "(libconfig silently wraps wider integers without the L suffix)",
                                path, line, neg ? "-" : "", (int)(p - start), start, neg ? "-" : "",
                                (int)(p - start), start);
        } else {
            p++;
        }
    }
    return 0;
}

static char *slurp(const char *path, erg_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        erg_fail(err, "%s: cannot read", path);
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

int erg_cfg_load(erg_cfg *cfg, const char *path, const erg_key *root, erg_error *err) {
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    snprintf(cfg->dir, sizeof cfg->dir, "%s", path);
    char *slash = strrchr(cfg->dir, '/');
    if (slash)
        slash[1] = 0;
    else
        snprintf(cfg->dir, sizeof cfg->dir, "./");

    char *text = slurp(path, err);
    if (!text) return -1;
    int rc = check_wide_ints(path, text, err);
    free(text);
    if (rc) return -1;

    config_init(&cfg->lc);
    config_set_include_dir(&cfg->lc, cfg->dir);
    if (config_read_file(&cfg->lc, path) != CONFIG_TRUE) {
        const char *file = config_error_file(&cfg->lc);
        erg_fail(err, "%s:%d: cannot parse: %s", file ? file : path, config_error_line(&cfg->lc),
                 config_error_text(&cfg->lc));
        config_destroy(&cfg->lc);
        return -1;
    }
    if (erg_cfg_validate(cfg, config_root_setting(&cfg->lc), "", root, err)) {
        config_destroy(&cfg->lc);
        return -1;
    }
    return 0;
}

void erg_cfg_free(erg_cfg *cfg) {
    config_destroy(&cfg->lc);
}

/* ---- getters ---- */

int64_t erg_cfg_int(const config_setting_t *g, const char *key, int64_t def) {
    const config_setting_t *s = config_setting_get_member(g, key);
    return s && is_int(s) ? config_setting_get_int64(s) : def;
}

double erg_cfg_float(const config_setting_t *g, const char *key, double def) {
    const config_setting_t *s = config_setting_get_member(g, key);
    return s && is_number(s) ? number_of(s) : def;
}

const char *erg_cfg_str(const config_setting_t *g, const char *key, const char *def) {
    const config_setting_t *s = config_setting_get_member(g, key);
    return s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : def;
}

int erg_cfg_bool(const config_setting_t *g, const char *key, int def) {
    const config_setting_t *s = config_setting_get_member(g, key);
    return s && config_setting_type(s) == CONFIG_TYPE_BOOL ? config_setting_get_bool(s) : def;
}

int erg_cfg_enum(const config_setting_t *g, const char *key, const char *const *enums, int def) {
    const char *v = erg_cfg_str(g, key, NULL);
    if (!v) return def;
    for (int i = 0; enums[i]; i++)
        if (strcmp(v, enums[i]) == 0) return i;
    return def;
}

int64_t erg_cfg_size(const config_setting_t *g, const char *key, int64_t def) {
    const config_setting_t *s = config_setting_get_member(g, key);
    if (!s) return def;
    if (is_int(s)) return config_setting_get_int64(s);
    if (config_setting_type(s) == CONFIG_TYPE_STRING)
        return erg_parse_size(config_setting_get_string(s));
    return def;
}
