/* erg_array.c — the n-dimensional array shared by the .npy and IDX readers: element types,
 * allocation with overflow-checked sizes, and shape formatting. */
#include "erg_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t erg_dtype_size(erg_dtype t) {
    switch (t) {
    case ERG_I8:
    case ERG_U8:
        return 1;
    case ERG_I16:
    case ERG_U16:
        return 2;
    case ERG_I32:
    case ERG_F32:
        return 4;
    }
    return 0;
}

const char *erg_dtype_name(erg_dtype t) {
    switch (t) {
    case ERG_I8:
        return "int8";
    case ERG_U8:
        return "uint8";
    case ERG_I16:
        return "int16";
    case ERG_U16:
        return "uint16";
    case ERG_I32:
        return "int32";
    case ERG_F32:
        return "float32";
    }
    return "unknown";
}

int erg_array_alloc(erg_array *a, erg_dtype t, int ndim, const int64_t *shape, erg_error *err) {
    if (!a) return erg_fail(err, "erg_array_alloc: no array given");
    memset(a, 0, sizeof *a);
    size_t esize = erg_dtype_size(t);
    if (esize == 0) return erg_fail(err, "erg_array_alloc: unknown dtype %d", (int)t);
    if (ndim < 0 || ndim > ERG_ARRAY_MAXDIM)
        return erg_fail(err, "erg_array_alloc: %d dimensions; erg supports 0 to %d", ndim,
                        ERG_ARRAY_MAXDIM);
    if (ndim > 0 && !shape) return erg_fail(err, "erg_array_alloc: no shape given");
    size_t count = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return erg_fail(err, "erg_array_alloc: negative dimension %lld in shape",
                            (long long)shape[i]);
        if ((uint64_t)shape[i] > SIZE_MAX)
            return erg_fail(err, "erg_array_alloc: dimension %lld overflows size_t",
                            (long long)shape[i]);
        size_t d = (size_t)shape[i];
        if (d != 0 && count > SIZE_MAX / d)
            return erg_fail(err, "erg_array_alloc: element count overflows size_t");
        count *= d;
    }
    if (count > SIZE_MAX / esize)
        return erg_fail(err, "erg_array_alloc: byte count overflows size_t");
    size_t bytes = count * esize;
    /* One byte for empty arrays so data is never NULL on success. */
    void *data = calloc(bytes ? bytes : 1, 1);
    if (!data) return erg_fail(err, "erg_array_alloc: out of memory allocating %zu bytes", bytes);
    a->dtype = t;
    a->ndim = ndim;
    for (int i = 0; i < ndim; i++) a->shape[i] = shape[i];
    a->count = count;
    a->data = data;
    return 0;
}

void erg_array_free(erg_array *a) {
    if (!a) return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

const char *erg_array_shape_str(const erg_array *a, char *buf, size_t len) {
    if (!buf || len == 0) return buf;
    size_t pos = 0;
    buf[0] = '\0';
    int n = a ? a->ndim : 0;
    if (n < 0) n = 0;
    if (n > ERG_ARRAY_MAXDIM) n = ERG_ARRAY_MAXDIM;
    for (int i = -1; i <= n; i++) {
        char piece[32];
        if (i < 0)
            snprintf(piece, sizeof piece, "[");
        else if (i == n)
            snprintf(piece, sizeof piece, "]");
        else
            snprintf(piece, sizeof piece, "%s%lld", i ? ", " : "", (long long)a->shape[i]);
        size_t pl = strlen(piece);
        if (pos + pl >= len) {
            /* Out of room: keep what fits, still NUL-terminated. */
            size_t fit = len - 1 - pos;
            memcpy(buf + pos, piece, fit);
            buf[len - 1] = '\0';
            return buf;
        }
        memcpy(buf + pos, piece, pl + 1);
        pos += pl;
    }
    return buf;
}

int erg_host_is_little_endian(void) {
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

void erg_swap_bytes(void *data, size_t count, size_t esize) {
    unsigned char *p = data;
    for (size_t i = 0; i < count; i++, p += esize)
        for (size_t j = 0; j < esize / 2; j++) {
            unsigned char t = p[j];
            p[j] = p[esize - 1 - j];
            p[esize - 1 - j] = t;
        }
}
