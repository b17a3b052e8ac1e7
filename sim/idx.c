/* idx.c — reader for the IDX files of MNIST-style data sets: big-endian on disk, plain or gzip
 * (recognized by the magic bytes 1f 8b, not the name); data converted to host order. */
#include "erg_array.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_SUPPORTED "erg reads int8, uint8, int16, int32, float32"
/* Unsized input (gzip, pipes) is read in pieces of this size, the buffer growing as data
 * arrives, so a header that promises more than the stream holds cannot make erg allocate it
 * all up front. */
#define IDX_GZ_CHUNK (1u << 20)

/* A plain or gzip-compressed input. */
typedef struct src {
    const char *path;
    FILE *f;
    gzFile gz;
} src;

enum { SRC_OK, SRC_EOF, SRC_GZ_TRUNCATED, SRC_ERROR };

/* Reads up to n bytes into buf, *got of them; SRC_EOF when the input ended cleanly first,
 * SRC_GZ_TRUNCATED when a gzip stream ended early, SRC_ERROR (message set) otherwise. */
static int src_read(src *s, void *buf, size_t n, size_t *got, erg_error *err) {
    *got = 0;
    if (s->f) {
        *got = fread(buf, 1, n, s->f);
        if (*got == n) return SRC_OK;
        if (ferror(s->f)) {
            erg_fail(err, "%s: read error: %s", s->path, strerror(errno));
            return SRC_ERROR;
        }
        return SRC_EOF;
    }
    while (*got < n) {
        size_t want = n - *got;
        if (want > INT_MAX / 2) want = INT_MAX / 2;
        int r = gzread(s->gz, (char *)buf + *got, (unsigned)want);
        if (r > 0) {
            *got += (size_t)r;
            continue;
        }
        int zerr;
        const char *zmsg = gzerror(s->gz, &zerr);
        /* zlib prefixes its message with the name given to gzdopen, "<fd:3>: " */
        if (strncmp(zmsg, "<fd:", 4) == 0 && strstr(zmsg, ": ")) zmsg = strstr(zmsg, ": ") + 2;
        if (zerr == Z_OK && r == 0) return SRC_EOF;
        if (zerr == Z_BUF_ERROR) return SRC_GZ_TRUNCATED; /* "unexpected end of file" */
        if (zerr == Z_ERRNO)
            erg_fail(err, "%s: read error: %s", s->path, strerror(errno));
        else if (zerr == Z_MEM_ERROR)
            erg_fail(err, "%s: out of memory decompressing the gzip stream", s->path);
        else
            erg_fail(err, "%s: corrupt gzip stream: %s", s->path, zmsg);
        return SRC_ERROR;
    }
    return SRC_OK;
}

static void src_close(src *s) {
    if (s->f) fclose(s->f);
    if (s->gz) gzclose(s->gz);
    s->f = NULL;
    s->gz = NULL;
}

static int idx_fail(src *s, void *buf, erg_array *out, int rc) {
    src_close(s);
    free(buf);
    erg_array_free(out);
    return rc;
}

/* Fills the message for a read that stopped early at `where` ("IDX header", "data"). */
static int short_read(const src *s, int st, const char *what, size_t want, size_t got,
                      erg_error *err) {
    if (st == SRC_GZ_TRUNCATED)
        return erg_fail(err,
                        "%s: truncated gzip stream: %s needs %zu bytes, stream ended after %zu",
                        s->path, what, want, got);
    return erg_fail(err, "%s: truncated %s: %zu bytes needed, file has %zu", s->path, what, want,
                    got);
}

int erg_idx_read(const char *path, erg_array *out, erg_error *err) {
    if (!out) return erg_fail(err, "%s: no output array given", path ? path : "(null)");
    memset(out, 0, sizeof *out);
    if (!path) return erg_fail(err, "erg_idx_read: no path given");
    src s = {path, NULL, NULL};
    unsigned char *buf = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return erg_fail(err, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return erg_fail(err, "%s: is a directory, not an IDX file", path);
    }
    unsigned char m[2] = {0, 0};
    ssize_t mn;
    do {
        mn = read(fd, m, 2);
    } while (mn < 0 && errno == EINTR);
    int gz = mn == 2 && m[0] == 0x1f && m[1] == 0x8b;
    if (mn < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        int e = errno;
        close(fd);
        return erg_fail(err, "%s: cannot read from the start: %s", path, strerror(e));
    }
    if (gz) {
        s.gz = gzdopen(fd, "rb");
        if (!s.gz) {
            close(fd);
            return erg_fail(err, "%s: out of memory opening the gzip stream", path);
        }
        gzbuffer(s.gz, 128 * 1024);
    } else {
        s.f = fdopen(fd, "rb");
        if (!s.f) {
            int e = errno;
            close(fd);
            return erg_fail(err, "%s: cannot open: %s", path, strerror(e));
        }
    }
    const char *kind = gz ? "decompressed stream" : "file";

    unsigned char hdr[4 + 4 * 255];
    size_t got;
    int rs = src_read(&s, hdr, 4, &got, err);
    if (rs == SRC_ERROR) return idx_fail(&s, buf, out, -1);
    if (rs == SRC_EOF && got == 0)
        return idx_fail(&s, buf, out,
                        erg_fail(err, "%s: empty %s (0 bytes), not an IDX file", path, kind));
    if (got >= 2 && (hdr[0] != 0 || hdr[1] != 0)) {
        char hex[16] = "";
        for (size_t i = 0; i < got && i < 4; i++) snprintf(hex + 3 * i, 4, "%02x ", hdr[i]);
        hex[3 * (got < 4 ? got : 4) - 1] = '\0';
        return idx_fail(&s, buf, out,
                        erg_fail(err,
                                 "%s: not an IDX file: bad magic (expected 00 00 <type> <ndim>, "
                                 "found %s)",
                                 path, hex));
    }
    if (rs != SRC_OK) return idx_fail(&s, buf, out, short_read(&s, rs, "IDX header", 4, got, err));
    erg_dtype t;
    switch (hdr[2]) {
    case 0x08:
        t = ERG_U8;
        break;
    case 0x09:
        t = ERG_I8;
        break;
    case 0x0B:
        t = ERG_I16;
        break;
    case 0x0C:
        t = ERG_I32;
        break;
    case 0x0D:
        t = ERG_F32;
        break;
    case 0x0E:
        return idx_fail(&s, buf, out,
                        erg_fail(err, "%s: IDX element type 0x0E: float64 is not supported; %s",
                                 path, IDX_SUPPORTED));
    default:
        return idx_fail(&s, buf, out,
                        erg_fail(err,
                                 "%s: unknown IDX element type 0x%02X (expected 0x08 uint8, "
                                 "0x09 int8, 0x0B int16, 0x0C int32 or 0x0D float32)",
                                 path, hdr[2]));
    }
    int ndim = hdr[3];
    if (ndim < 1 || ndim > ERG_ARRAY_MAXDIM)
        return idx_fail(&s, buf, out,
                        erg_fail(err, "%s: IDX dimension count %d; erg reads 1 to %d dimensions",
                                 path, ndim, ERG_ARRAY_MAXDIM));
    size_t dlen = 4 * (size_t)ndim;
    rs = src_read(&s, hdr + 4, dlen, &got, err);
    if (rs == SRC_ERROR) return idx_fail(&s, buf, out, -1);
    if (rs != SRC_OK)
        return idx_fail(&s, buf, out, short_read(&s, rs, "IDX header", 4 + dlen, 4 + got, err));
    int64_t shape[ERG_ARRAY_MAXDIM];
    size_t count = 1;
    int overflow = 0;
    for (int i = 0; i < ndim; i++) {
        const unsigned char *d = hdr + 4 + 4 * i;
        uint32_t v = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
        shape[i] = v;
        if (v != 0 && count > SIZE_MAX / v) overflow = 1;
        if (!overflow) count *= v;
    }
    size_t es = erg_dtype_size(t);
    if (overflow || count > SIZE_MAX / es) {
        erg_array tmp = {.ndim = ndim};
        memcpy(tmp.shape, shape, sizeof shape);
        char sh[256];
        return idx_fail(&s, buf, out,
                        erg_fail(err,
                                 "%s: shape %s of %s is too large: the byte count overflows "
                                 "size_t",
                                 path, erg_array_shape_str(&tmp, sh, sizeof sh),
                                 erg_dtype_name(t)));
    }
    size_t bytes = count * es;
    size_t hbytes = 4 + dlen;

    int sized = !gz && S_ISREG(st.st_mode);
    if (sized) {
        /* Checked before allocating, so a lying header cannot make erg allocate terabytes. */
        unsigned long long fsize = (unsigned long long)st.st_size;
        unsigned long long avail = fsize > hbytes ? fsize - hbytes : 0;
        if (avail < bytes)
            return idx_fail(&s, buf, out,
                            erg_fail(err,
                                     "%s: truncated: header promises %zu bytes of data, file "
                                     "has %llu",
                                     path, bytes, avail));
        if (avail > bytes)
            return idx_fail(&s, buf, out,
                            erg_fail(err, "%s: %llu unexpected bytes after the %zu bytes of data",
                                     path, avail - bytes, bytes));
    }

    /* Read the data, growing the buffer as it arrives unless the file size was checked above
     * (a gzip stream's length is unknown until it ends). */
    size_t cap = sized || bytes < IDX_GZ_CHUNK ? bytes : IDX_GZ_CHUNK, have = 0;
    buf = malloc(cap ? cap : 1);
    if (!buf)
        return idx_fail(&s, buf, out,
                        erg_fail(err, "%s: out of memory allocating %zu bytes", path, cap));
    for (;;) {
        rs = src_read(&s, buf + have, cap - have, &got, err);
        have += got;
        if (rs == SRC_ERROR) return idx_fail(&s, buf, out, -1);
        if (rs == SRC_GZ_TRUNCATED)
            return idx_fail(&s, buf, out,
                            erg_fail(err,
                                     "%s: truncated gzip stream: header promises %zu bytes of "
                                     "data, stream ended after %zu",
                                     path, bytes, have));
        if (rs == SRC_EOF)
            return idx_fail(&s, buf, out,
                            erg_fail(err,
                                     "%s: truncated: header promises %zu bytes of data, %s has "
                                     "%zu",
                                     path, bytes, kind, have));
        if (have == bytes) break;
        size_t ncap = cap > bytes / 2 ? bytes : 2 * cap;
        unsigned char *nb = realloc(buf, ncap);
        if (!nb)
            return idx_fail(&s, buf, out,
                            erg_fail(err, "%s: out of memory allocating %zu bytes", path, ncap));
        buf = nb;
        cap = ncap;
    }
    /* Nothing may follow the data; for gzip this also reads the CRC trailer and checks it. */
    unsigned char extra;
    rs = src_read(&s, &extra, 1, &got, err);
    if (rs == SRC_ERROR) return idx_fail(&s, buf, out, -1);
    if (rs == SRC_GZ_TRUNCATED)
        return idx_fail(&s, buf, out,
                        erg_fail(err,
                                 "%s: truncated gzip stream: all %zu bytes of data arrived but "
                                 "the stream ended before its trailer",
                                 path, bytes));
    if (rs == SRC_OK)
        return idx_fail(
            &s, buf, out,
            erg_fail(err, "%s: unexpected bytes after the %zu bytes of data", path, bytes));
    src_close(&s);

    if (erg_host_is_little_endian()) erg_swap_bytes(buf, count, es);
    out->dtype = t;
    out->ndim = ndim;
    memcpy(out->shape, shape, (size_t)ndim * sizeof shape[0]);
    out->count = count;
    out->data = buf;
    return 0;
}
