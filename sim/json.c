/* json.c — recursive-descent JSON reader into an erg_json tree. */
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jp {
    const char *s, *end, *path;
    int line, depth;
    erg_error *err;
} jp;

#define MAX_DEPTH 256

static int fail(jp *p, const char *what) {
    return erg_fail(p->err, "%s:%d: invalid JSON: %s", p->path, p->line, what);
}

static void ws(jp *p) {
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) {
        if (*p->s == '\n') p->line++;
        p->s++;
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string at p->s (the opening quote): decoded into a new buffer (\uXXXX as UTF-8, no
 * surrogate pairing: yosys never writes them). */
static int parse_str(jp *p, char **out) {
    p->s++;
    const char *start = p->s;
    while (p->s < p->end && *p->s != '"') {
        if (*p->s == '\\') p->s++;
        if (p->s < p->end && *p->s == '\n') return fail(p, "newline inside a string");
        p->s++;
    }
    if (p->s >= p->end) return fail(p, "unterminated string");
    char *o = malloc((size_t)(p->s - start) + 1), *w = o;
    if (!o) return erg_fail(p->err, "out of memory");
    for (const char *r = start; r < p->s; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '/':
            *w++ = '/';
            break;
        case 'b':
            *w++ = '\b';
            break;
        case 'f':
            *w++ = '\f';
            break;
        case 'n':
            *w++ = '\n';
            break;
        case 'r':
            *w++ = '\r';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'u': {
            unsigned cp = 0;
            for (int i = 1; i <= 4; i++) {
                int h = r + i < p->s ? hexval(r[i]) : -1;
                if (h < 0) {
                    free(o);
                    return fail(p, "bad \\u escape");
                }
                cp = cp * 16 + (unsigned)h;
            }
            r += 4;
            if (cp < 0x80) {
                *w++ = (char)cp;
            } else if (cp < 0x800) {
                *w++ = (char)(0xC0 | cp >> 6);
                *w++ = (char)(0x80 | (cp & 0x3F));
            } else {
                *w++ = (char)(0xE0 | cp >> 12);
                *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                *w++ = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            free(o);
            return fail(p, "bad escape in a string");
        }
    }
    *w = '\0';
    p->s++;
    *out = o;
    return 0;
}

static int parse_value(jp *p, erg_json *v);

/* Appends a zeroed item (and key slot) to an array/object value. */
static erg_json *push(jp *p, erg_json *v, int *cap) {
    if (v->n == *cap) {
        int nc = *cap ? 2 * *cap : 4;
        erg_json *ni = realloc(v->item, (size_t)nc * sizeof *ni);
        if (!ni) return NULL;
        v->item = ni;
        if (v->kind == ERG_J_OBJ) {
            char **nk = realloc(v->key, (size_t)nc * sizeof *nk);
            if (!nk) return NULL;
            v->key = nk;
        }
        *cap = nc;
    }
    (void)p;
    erg_json *it = &v->item[v->n];
    memset(it, 0, sizeof *it);
    if (v->kind == ERG_J_OBJ) v->key[v->n] = NULL;
    v->n++;
    return it;
}

static int parse_container(jp *p, erg_json *v, char close) {
    if (++p->depth > MAX_DEPTH) return fail(p, "nested too deeply");
    p->s++;
    int cap = 0;
    ws(p);
    if (p->s < p->end && *p->s == close) {
        p->s++;
        p->depth--;
        return 0;
    }
    for (;;) {
        ws(p);
        erg_json *it = push(p, v, &cap);
        if (!it) return erg_fail(p->err, "out of memory");
        if (close == '}') {
            if (p->s >= p->end || *p->s != '"') return fail(p, "expected a key string");
            if (parse_str(p, &v->key[v->n - 1])) return -1;
            ws(p);
            if (p->s >= p->end || *p->s != ':') return fail(p, "expected ':' after a key");
            p->s++;
            ws(p);
        }
        if (parse_value(p, it)) return -1;
        ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == close) {
            p->s++;
            p->depth--;
            return 0;
        }
        return fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int parse_value(jp *p, erg_json *v) {
    ws(p);
    v->line = p->line;
    if (p->s >= p->end) return fail(p, "unexpected end of file");
    char c = *p->s;
    if (c == '{') {
        v->kind = ERG_J_OBJ;
        return parse_container(p, v, '}');
    }
    if (c == '[') {
        v->kind = ERG_J_ARR;
        return parse_container(p, v, ']');
    }
    if (c == '"') {
        v->kind = ERG_J_STR;
        return parse_str(p, &v->str);
    }
    static const struct {
        const char *word;
        erg_jkind kind;
        double num;
    } lits[] = {{"true", ERG_J_BOOL, 1}, {"false", ERG_J_BOOL, 0}, {"null", ERG_J_NULL, 0}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i].word);
        if ((size_t)(p->end - p->s) >= n && memcmp(p->s, lits[i].word, n) == 0) {
            v->kind = lits[i].kind;
            v->num = lits[i].num;
            p->s += n;
            return 0;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char buf[64];
        size_t n = 0;
        while (p->s + n < p->end && n < sizeof buf - 1 && strchr("+-0123456789.eE", p->s[n])) n++;
        memcpy(buf, p->s, n);
        buf[n] = '\0';
        char *e;
        errno = 0;
        v->num = strtod(buf, &e);
        if (e != buf + n || errno) return fail(p, "bad number");
        v->kind = ERG_J_NUM;
        p->s += n;
        return 0;
    }
    return fail(p, "unexpected character");
}

int erg_json_parse(erg_json *root, const char *text, size_t len, const char *path, erg_error *err) {
    memset(root, 0, sizeof *root);
    jp p = {text, text + len, path, 1, 0, err};
    if (parse_value(&p, root)) {
        erg_json_free(root);
        return -1;
    }
    ws(&p);
    if (p.s != p.end) {
        erg_json_free(root);
        return fail(&p, "text after the document");
    }
    return 0;
}

int erg_json_load(erg_json *root, const char *path, erg_error *err) {
    memset(root, 0, sizeof *root);
    FILE *f = fopen(path, "rb");
    if (!f) return erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return erg_fail(err, "out of memory");
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) free(buf);
        buf = nb;
    }
    int bad = ferror(f);
    fclose(f);
    int rc = bad ? erg_fail(err, "%s: read error", path) : erg_json_parse(root, buf, n, path, err);
    free(buf);
    return rc;
}

void erg_json_free(erg_json *v) {
    if (!v) return;
    for (int i = 0; i < v->n; i++) {
        erg_json_free(&v->item[i]);
        if (v->key) free(v->key[i]);
    }
    free(v->item);
    free(v->key);
    free(v->str);
    memset(v, 0, sizeof *v);
}

const erg_json *erg_json_get(const erg_json *v, const char *key) {
    if (!v || v->kind != ERG_J_OBJ) return NULL;
    for (int i = 0; i < v->n; i++)
        if (v->key[i] && strcmp(v->key[i], key) == 0) return &v->item[i];
    return NULL;
}
