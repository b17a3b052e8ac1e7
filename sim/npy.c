/* npy.c — NumPy .npy reader and writer: format 1.0 and 2.0, dtypes |i1 |u1 <i2 <u2 <i4 <f4, C
 * order. The writer lays the header out exactly as NumPy 1.24 does, so files are byte-identical. */
#include "erg_array.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
/* NumPy aligns the start of the data to 64 bytes (numpy.lib.format.ARRAY_ALIGN). */
#define NPY_ALIGN 64
/* NumPy leaves room for the first dimension to grow to 21 digits (GROWTH_AXIS_MAX_DIGITS). */
#define NPY_GROWTH_DIGITS 21
/* NumPy's own reader refuses headers over 10000 bytes; erg's headers are under 300. */
#define NPY_MAX_HEADER (1u << 20)
#define NPY_SUPPORTED "erg reads int8, uint8, int16, uint16, int32, float32"

/* ---- header dict parsing ------------------------------------------------------------------ */

typedef struct cursor {
    const char *p, *end;
    const char *path;
    erg_error *err;
} cursor;

/* Quotes up to 24 bytes at the cursor for "found ..." in messages, escaping non-printables. */
static const char *found(const cursor *c, char *buf, size_t len) {
    size_t o = 0;
    if (c->p >= c->end) {
        snprintf(buf, len, "end of header");
        return buf;
    }
    buf[o++] = '\'';
    for (const char *q = c->p; q < c->end && q < c->p + 24 && o + 6 < len; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch >= 0x20 && ch < 0x7f)
            buf[o++] = (char)ch;
        else
            o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
    }
    if (c->p + 24 < c->end && o + 4 < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int at(const cursor *c, char ch) {
    return c->p < c->end && *c->p == ch;
}

static int fail_at(cursor *c, const char *what) {
    char f[128];
    return erg_fail(c->err, "%s: bad .npy header: expected %s, found %s", c->path, what,
                    found(c, f, sizeof f));
}

/* A Python string literal in single or double quotes, without escapes. */
static int parse_string(cursor *c, char *out, size_t cap, const char *what) {
    if (!at(c, '\'') && !at(c, '"')) return fail_at(c, what);
    char q = *c->p;
    const char *s = ++c->p;
    while (c->p < c->end && *c->p != q && *c->p != '\\' && *c->p != '\n') c->p++;
    if (!at(c, q)) {
        c->p = s - 1;
        return fail_at(c, what);
    }
    size_t n = (size_t)(c->p - s);
    c->p++;
    if (n >= cap) n = cap - 1; /* longer than any descr erg knows; rejected by the caller */
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int match_word(cursor *c, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0) return 0;
    const char *after = c->p + n;
    if (after < c->end && (*after == '_' || (*after >= 'a' && *after <= 'z') ||
                           (*after >= 'A' && *after <= 'Z') || (*after >= '0' && *after <= '9')))
        return 0;
    c->p = after;
    return 1;
}

/* A tuple of non-negative integers: (), (5,), (2, 3), (2, 3,); Python 2's 3L is accepted. */
static int parse_shape(cursor *c, int *ndim, int64_t *shape) {
    if (!at(c, '(')) return fail_at(c, "'shape' to be a tuple such as (2, 3)");
    c->p++;
    int n = 0, trailing_comma = 0;
    for (;;) {
        skip_ws(c);
        if (at(c, ')')) break;
        const char *start = c->p;
        int neg = 0;
        if (at(c, '-') || at(c, '+')) neg = *c->p++ == '-';
        if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
            c->p = start;
            return fail_at(c, "an integer in 'shape'");
        }
        uint64_t v = 0;
        int too_big = 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
            unsigned dgt = (unsigned)(*c->p++ - '0');
            if (v > (UINT64_MAX - dgt) / 10) too_big = 1;
            if (!too_big) v = v * 10 + dgt;
        }
        if (at(c, 'L') || at(c, 'l')) c->p++;
        int len = (int)(c->p - start);
        if (too_big || v > (uint64_t)INT64_MAX)
            return erg_fail(c->err, "%s: dimension %.*s in 'shape' is out of range", c->path, len,
                            start);
        if (neg && v != 0)
            return erg_fail(c->err, "%s: negative dimension %.*s in 'shape'", c->path, len, start);
        if (n == ERG_ARRAY_MAXDIM)
            return erg_fail(c->err,
                            "%s: 'shape' has more than %d dimensions; erg supports at most %d",
                            c->path, ERG_ARRAY_MAXDIM, ERG_ARRAY_MAXDIM);
        shape[n++] = (int64_t)v;
        skip_ws(c);
        trailing_comma = 0;
        if (at(c, ',')) {
            c->p++;
            trailing_comma = 1;
        } else if (!at(c, ')')) {
            return fail_at(c, "',' or ')' in 'shape'");
        }
    }
    c->p++;
    if (n == 1 && !trailing_comma)
        return erg_fail(c->err,
                        "%s: 'shape' (%lld) is an integer, not a tuple; a 1-d shape is (%lld,)",
                        c->path, (long long)shape[0], (long long)shape[0]);
    *ndim = n;
    return 0;
}

typedef struct npy_header {
    char descr[32];
    int fortran_order;
    int ndim;
    int64_t shape[ERG_ARRAY_MAXDIM];
} npy_header;

static int parse_header(const char *path, const char *text, size_t len, npy_header *h,
                        erg_error *err) {
    cursor c = {text, text + len, path, err};
    int have_descr = 0, have_fortran = 0, have_shape = 0;
    skip_ws(&c);
    if (!at(&c, '{')) {
        char f[128];
        return erg_fail(err,
                        "%s: bad .npy header: not a Python dict literal: found %s, expected '{'",
                        path, found(&c, f, sizeof f));
    }
    c.p++;
    for (;;) {
        skip_ws(&c);
        if (at(&c, '}')) break;
        char key[32];
        if (parse_string(&c, key, sizeof key, "a quoted key ('descr', 'fortran_order', 'shape')"))
            return -1;
        skip_ws(&c);
        if (!at(&c, ':')) return fail_at(&c, "':' after a key");
        c.p++;
        skip_ws(&c);
        int *seen;
        if (strcmp(key, "descr") == 0) {
            seen = &have_descr;
            if (at(&c, '['))
                return erg_fail(err, "%s: structured dtype (a list of fields) is not supported; %s",
                                path, NPY_SUPPORTED);
            if (parse_string(&c, h->descr, sizeof h->descr, "'descr' to be a string such as '<i4'"))
                return -1;
        } else if (strcmp(key, "fortran_order") == 0) {
            seen = &have_fortran;
            if (match_word(&c, "True"))
                h->fortran_order = 1;
            else if (match_word(&c, "False"))
                h->fortran_order = 0;
            else
                return fail_at(&c, "'fortran_order' to be True or False");
        } else if (strcmp(key, "shape") == 0) {
            seen = &have_shape;
            if (parse_shape(&c, &h->ndim, h->shape)) return -1;
        } else {
            return erg_fail(err,
                            "%s: bad .npy header: unexpected key '%s' (expected 'descr', "
                            "'fortran_order', 'shape')",
                            path, key);
        }
        if (*seen) return erg_fail(err, "%s: bad .npy header: key '%s' appears twice", path, key);
        *seen = 1;
        skip_ws(&c);
        if (at(&c, ','))
            c.p++;
        else if (!at(&c, '}'))
            return fail_at(&c, "',' or '}' in the header dict");
    }
    c.p++;
    skip_ws(&c);
    if (c.p != c.end) return fail_at(&c, "only spaces after the header dict");
    const char *missing = !have_descr ? "descr" : !have_fortran ? "fortran_order" : "shape";
    if (!have_descr || !have_fortran || !have_shape)
        return erg_fail(err,
                        "%s: bad .npy header: no '%s' key (expected 'descr', 'fortran_order' "
                        "and 'shape')",
                        path, missing);
    return 0;
}

/* NumPy's name for a type string's kind and size, for messages ("float64"); NULL if unknown. */
static const char *numpy_name(char kind, long size) {
    static const struct {
        char kind;
        long size;
        const char *name;
    } names[] = {
        {'b', 1, "bool"},      {'i', 1, "int8"},      {'i', 2, "int16"},       {'i', 4, "int32"},
        {'i', 8, "int64"},     {'u', 1, "uint8"},     {'u', 2, "uint16"},      {'u', 4, "uint32"},
        {'u', 8, "uint64"},    {'f', 2, "float16"},   {'f', 4, "float32"},     {'f', 8, "float64"},
        {'f', 16, "float128"}, {'c', 8, "complex64"}, {'c', 16, "complex128"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].kind == kind && names[i].size == size) return names[i].name;
    return NULL;
}

static int descr_to_dtype(const char *path, const char *d, erg_dtype *t, erg_error *err) {
    char order = 0;
    const char *p = d;
    if (*p == '<' || *p == '>' || *p == '|' || *p == '=') order = *p++;
    char kind = *p ? *p++ : 0;
    long size = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 6) {
        size = size * 10 + (*p++ - '0');
        digits++;
    }
    int plain = *p == '\0' && digits > 0;
    if (kind == 'O')
        return erg_fail(err,
                        "%s: dtype '%s': object arrays (pickled Python objects) are not "
                        "supported; %s",
                        path, d, NPY_SUPPORTED);
    const char *name = plain ? numpy_name(kind, size) : NULL;
    if (plain && size == 1 && (kind == 'i' || kind == 'u')) {
        /* One byte: byte order is irrelevant; NumPy writes '|' but '<' and '>' also occur. */
        *t = kind == 'i' ? ERG_I8 : ERG_U8;
        return 0;
    }
    erg_dtype want;
    if (plain && kind == 'i' && size == 2)
        want = ERG_I16;
    else if (plain && kind == 'u' && size == 2)
        want = ERG_U16;
    else if (plain && kind == 'i' && size == 4)
        want = ERG_I32;
    else if (plain && kind == 'f' && size == 4)
        want = ERG_F32;
    else if (name)
        return erg_fail(err, "%s: dtype '%s': %s is not supported; %s", path, d, name,
                        NPY_SUPPORTED);
    else
        return erg_fail(err, "%s: unsupported dtype '%s'; %s (|i1 |u1 <i2 <u2 <i4 <f4)", path, d,
                        NPY_SUPPORTED);
    if (order == '>')
        return erg_fail(err,
                        "%s: dtype '%s' is big-endian; erg reads little-endian data "
                        "(save a.astype('<%c%ld'))",
                        path, d, kind, size);
    if (order != '<')
        return erg_fail(err, "%s: dtype '%s' has no little-endian byte order; erg reads '<%c%ld'",
                        path, d, kind, size);
    *t = want;
    return 0;
}

/* ---- reader -------------------------------------------------------------------------------- */

/* Element and byte counts of a shape; fails when either overflows size_t. */
static int shape_bytes(const char *path, erg_dtype t, int ndim, const int64_t *shape,
                       size_t *count_out, size_t *bytes_out, erg_error *err) {
    erg_array tmp = {.ndim = ndim};
    memcpy(tmp.shape, shape, (size_t)ndim * sizeof *shape);
    char s[256];
    erg_array_shape_str(&tmp, s, sizeof s);
    size_t count = 1;
    for (int i = 0; i < ndim; i++) {
        if ((uint64_t)shape[i] > SIZE_MAX || (shape[i] != 0 && count > SIZE_MAX / (size_t)shape[i]))
            return erg_fail(err, "%s: shape %s is too large: the element count overflows size_t",
                            path, s);
        count *= (size_t)shape[i];
    }
    size_t es = erg_dtype_size(t);
    if (count > SIZE_MAX / es)
        return erg_fail(err, "%s: shape %s of %s is too large: the byte count overflows size_t",
                        path, s, erg_dtype_name(t));
    *count_out = count;
    *bytes_out = count * es;
    return 0;
}

static int read_fail(FILE *f, char *hdr, erg_array *out, int rc) {
    if (f) fclose(f);
    free(hdr);
    erg_array_free(out);
    return rc;
}

int erg_npy_read(const char *path, erg_array *out, erg_error *err) {
    if (!out) return erg_fail(err, "%s: no output array given", path ? path : "(null)");
    memset(out, 0, sizeof *out);
    if (!path) return erg_fail(err, "erg_npy_read: no path given");
    FILE *f = fopen(path, "rb");
    if (!f) return erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
    char *hdr = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return read_fail(f, hdr, out, erg_fail(err, "%s: cannot stat: %s", path, strerror(errno)));
    if (S_ISDIR(st.st_mode))
        return read_fail(f, hdr, out, erg_fail(err, "%s: is a directory, not a .npy file", path));
    int sized = S_ISREG(st.st_mode);
    long long fsize = (long long)st.st_size;

    unsigned char pre[12];
    size_t got = fread(pre, 1, 8, f);
    if (got == 0 && !ferror(f))
        return read_fail(f, hdr, out,
                         erg_fail(err, "%s: empty file (0 bytes), not a .npy file", path));
    size_t cmp = got < NPY_MAGIC_LEN ? got : NPY_MAGIC_LEN;
    if (memcmp(pre, NPY_MAGIC, cmp) != 0) {
        const char *hint = got >= 4 && memcmp(pre, "PK\x03\x04", 4) == 0
                               ? " (this is a zip archive: an .npz holds several .npy files)"
                               : "";
        char hex[32] = "";
        for (size_t i = 0; i < cmp; i++) snprintf(hex + 3 * i, 4, "%02x ", pre[i]);
        if (cmp) hex[3 * cmp - 1] = '\0';
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: not a .npy file: bad magic (expected 93 4e 55 4d 50 59 "
                                  "\"\\x93NUMPY\", found %s)%s",
                                  path, hex, hint));
    }
    if (got < 8)
        return read_fail(
            f, hdr, out,
            erg_fail(err, "%s: truncated header: file ends after %zu bytes", path, got));
    int major = pre[6], minor = pre[7];
    size_t lenbytes;
    if (major == 1 && minor == 0)
        lenbytes = 2;
    else if (major == 2 && minor == 0)
        lenbytes = 4;
    else
        return read_fail(
            f, hdr, out,
            erg_fail(err, "%s: unsupported .npy version %d.%d%s; erg reads 1.0 and 2.0", path,
                     major, minor, major == 3 && minor == 0 ? " (UTF-8 header)" : ""));
    got = fread(pre + 8, 1, lenbytes, f);
    if (got < lenbytes)
        return read_fail(
            f, hdr, out,
            erg_fail(err, "%s: truncated header: file ends after %zu bytes", path, 8 + got));
    uint32_t hlen = (uint32_t)pre[8] | (uint32_t)pre[9] << 8;
    if (lenbytes == 4) hlen |= (uint32_t)pre[10] << 16 | (uint32_t)pre[11] << 24;
    long long preamble = 8 + (long long)lenbytes;
    if (sized && preamble + hlen > fsize)
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: truncated header: header length field says %u bytes, "
                                  "file has %lld after the %lld-byte preamble",
                                  path, hlen, fsize - preamble, preamble));
    if (hlen > NPY_MAX_HEADER)
        return read_fail(f, hdr, out,
                         erg_fail(err, "%s: implausible header length %u (limit %u)", path, hlen,
                                  NPY_MAX_HEADER));
    hdr = malloc(hlen ? hlen : 1);
    if (!hdr)
        return read_fail(f, hdr, out,
                         erg_fail(err, "%s: out of memory reading a %u-byte header", path, hlen));
    got = fread(hdr, 1, hlen, f);
    if (got < hlen)
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: truncated header: header length field says %u bytes, "
                                  "file has %zu after the %lld-byte preamble",
                                  path, hlen, got, preamble));
    npy_header h = {.ndim = 0};
    if (parse_header(path, hdr, hlen, &h, err)) return read_fail(f, hdr, out, -1);
    free(hdr);
    hdr = NULL;
    erg_dtype t = ERG_U8; /* set by descr_to_dtype */
    if (descr_to_dtype(path, h.descr, &t, err)) return read_fail(f, hdr, out, -1);
    if (h.fortran_order)
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: fortran_order is True (column-major data); erg reads "
                                  "C-order arrays only: save np.ascontiguousarray(a)",
                                  path));
    size_t count, bytes;
    if (shape_bytes(path, t, h.ndim, h.shape, &count, &bytes, err))
        return read_fail(f, hdr, out, -1);
    long long data_off = preamble + hlen;
    if (sized) {
        /* Checked before allocating, so a lying header cannot make erg allocate terabytes. */
        unsigned long long avail = (unsigned long long)(fsize - data_off);
        if (avail < bytes)
            return read_fail(f, hdr, out,
                             erg_fail(err,
                                      "%s: truncated: header promises %zu bytes of data, file "
                                      "has %llu",
                                      path, bytes, avail));
        if (avail > bytes)
            return read_fail(f, hdr, out,
                             erg_fail(err,
                                      "%s: %llu unexpected bytes after the %zu bytes of data "
                                      "(erg reads one array per file)",
                                      path, avail - bytes, bytes));
    }
    erg_error aerr;
    if (erg_array_alloc(out, t, h.ndim, h.shape, &aerr))
        return read_fail(f, hdr, out, erg_fail(err, "%s: %s", path, aerr.msg));
    got = fread(out->data, 1, bytes, f);
    if (got < bytes) {
        if (ferror(f))
            return read_fail(f, hdr, out,
                             erg_fail(err, "%s: read error: %s", path, strerror(errno)));
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: truncated: header promises %zu bytes of data, file has %zu",
                                  path, bytes, got));
    }
    if (!sized && fgetc(f) != EOF)
        return read_fail(f, hdr, out,
                         erg_fail(err,
                                  "%s: unexpected bytes after the %zu bytes of data (erg reads "
                                  "one array per file)",
                                  path, bytes));
    fclose(f);
    if (!erg_host_is_little_endian()) erg_swap_bytes(out->data, out->count, erg_dtype_size(t));
    return 0;
}

/* ---- writer -------------------------------------------------------------------------------- */

static const char *dtype_descr(erg_dtype t) {
    switch (t) {
    case ERG_I8:
        return "|i1";
    case ERG_U8:
        return "|u1";
    case ERG_I16:
        return "<i2";
    case ERG_U16:
        return "<u2";
    case ERG_I32:
        return "<i4";
    case ERG_F32:
        return "<f4";
    }
    return NULL;
}

/* The process umask, read without changing it (umask() would race with other threads). */
static mode_t current_umask(void) {
    mode_t m = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return m;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned v;
        if (sscanf(line, "Umask: %o", &v) == 1) {
            m = (mode_t)v;
            break;
        }
    }
    fclose(f);
    return m;
}

static int write_data(FILE *f, const erg_array *a, size_t es) {
    size_t bytes = a->count * es;
    if (bytes == 0) return 0;
    if (erg_host_is_little_endian() || es == 1)
        return fwrite(a->data, 1, bytes, f) == bytes ? 0 : -1;
    unsigned char buf[4096];
    const unsigned char *p = a->data;
    for (size_t off = 0; off < bytes;) {
        size_t n = bytes - off < sizeof buf ? bytes - off : sizeof buf;
        memcpy(buf, p + off, n);
        erg_swap_bytes(buf, n / es, es);
        if (fwrite(buf, 1, n, f) != n) return -1;
        off += n;
    }
    return 0;
}

int erg_npy_write(const char *path, const erg_array *a, erg_error *err) {
    if (!path) return erg_fail(err, "erg_npy_write: no path given");
    if (!a) return erg_fail(err, "%s: no array given", path);
    const char *descr = dtype_descr(a->dtype);
    if (!descr) return erg_fail(err, "%s: cannot write unknown dtype %d", path, (int)a->dtype);
    if (a->ndim < 0 || a->ndim > ERG_ARRAY_MAXDIM)
        return erg_fail(err, "%s: cannot write an array of %d dimensions (0 to %d)", path, a->ndim,
                        ERG_ARRAY_MAXDIM);
    size_t count, bytes;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] < 0)
            return erg_fail(err, "%s: negative dimension %lld in shape", path,
                            (long long)a->shape[i]);
    if (shape_bytes(path, a->dtype, a->ndim, a->shape, &count, &bytes, err)) return -1;
    if (count != a->count)
        return erg_fail(err, "%s: array count %zu does not match its shape (%zu elements)", path,
                        a->count, count);
    if (count > 0 && !a->data) return erg_fail(err, "%s: array has no data", path);

    /* Header exactly as numpy.lib.format._write_array_header: sorted keys, repr(shape), spare
     * spaces for the first axis to grow, then spaces and '\n' up to a multiple of 64 (NumPy
     * always adds at least one space, and a whole 64 when already aligned). */
    char hdr[1024];
    int n = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int i = 0; i < a->ndim; i++)
        n += snprintf(hdr + n, sizeof hdr - (size_t)n, "%s%lld", i ? ", " : "",
                      (long long)a->shape[i]);
    n += snprintf(hdr + n, sizeof hdr - (size_t)n, "%s), }", a->ndim == 1 ? "," : "");
    if (a->ndim > 0) {
        int digits = snprintf(NULL, 0, "%lld", (long long)a->shape[0]);
        for (int i = digits; i < NPY_GROWTH_DIGITS; i++) hdr[n++] = ' ';
    }
    size_t hlen = (size_t)n + 1; /* + '\n' */
    size_t preamble = NPY_MAGIC_LEN + 2 + 2;
    size_t pad = NPY_ALIGN - (preamble + hlen) % NPY_ALIGN;
    int major = 1;
    if (hlen + pad > 0xffff) { /* cannot happen with 8 dimensions; kept for the format's sake */
        major = 2;
        preamble = NPY_MAGIC_LEN + 2 + 4;
        pad = NPY_ALIGN - (preamble + hlen) % NPY_ALIGN;
    }
    memset(hdr + n, ' ', pad);
    hdr[n + pad] = '\n';
    size_t total = hlen + pad;
    unsigned char pre[12];
    memcpy(pre, NPY_MAGIC, NPY_MAGIC_LEN);
    pre[6] = (unsigned char)major;
    pre[7] = 0;
    for (size_t i = 0; i < preamble - 8; i++) pre[8 + i] = (unsigned char)(total >> (8 * i));

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp) return erg_fail(err, "%s: out of memory", path);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", 8);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return erg_fail(err, "%s: cannot create a temporary file next to it: %s", path,
                        strerror(e));
    }
    FILE *f = fdopen(fd, "wb");
    int rc = 0, e = 0;
    if (!f) {
        e = errno;
        close(fd);
        rc = erg_fail(err, "%s: cannot open temporary file %s: %s", path, tmp, strerror(e));
    } else {
        /* mkstemp makes the file 0600; give it the mode a plain fopen would have. */
        if (fchmod(fd, 0666 & ~current_umask()) != 0 || fwrite(pre, 1, preamble, f) != preamble ||
            fwrite(hdr, 1, total, f) != total || write_data(f, a, erg_dtype_size(a->dtype)) != 0 ||
            fflush(f) != 0) {
            e = errno;
            rc = -1;
        }
        if (fclose(f) != 0 && rc == 0) {
            e = errno;
            rc = -1;
        }
        if (rc)
            rc = erg_fail(err, "%s: cannot write temporary file %s: %s", path, tmp, strerror(e));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        e = errno;
        rc = erg_fail(err, "%s: cannot rename %s over it: %s", path, tmp, strerror(e));
    }
    if (rc) unlink(tmp);
    free(tmp);
    return rc;
}
