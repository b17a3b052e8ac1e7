/* erg_array.h — an n-dimensional array as read from or written to .npy and IDX files:
 * C order, little-endian in memory (host order on the x86-64/arm64 machines erg targets). */
#ifndef ERG_ARRAY_H
#define ERG_ARRAY_H

#include <stddef.h>
#include <stdint.h>

#include "erg_error.h"

typedef enum erg_dtype { ERG_I8, ERG_U8, ERG_I16, ERG_I32, ERG_F32, ERG_U16 } erg_dtype;

#define ERG_ARRAY_MAXDIM 8

typedef struct erg_array {
    erg_dtype dtype;
    int ndim;
    int64_t shape[ERG_ARRAY_MAXDIM];
    size_t count; /* product of shape (1 for ndim == 0) */
    void *data;   /* count elements of dtype, malloc'ed; freed by erg_array_free */
} erg_array;

/* Size in bytes of one element and the NumPy name ("int8", "uint8", "int16", "int32",
 * "float32"). */
size_t erg_dtype_size(erg_dtype t);
const char *erg_dtype_name(erg_dtype t);

/* Allocates a zeroed array of the given shape; returns -1 on a bad shape or out of memory. */
int erg_array_alloc(erg_array *a, erg_dtype t, int ndim, const int64_t *shape, erg_error *err);
void erg_array_free(erg_array *a);
/* Formats the shape as "[2, 3, 4]" into buf. */
const char *erg_array_shape_str(const erg_array *a, char *buf, size_t len);

/* 1 on a little-endian host. */
int erg_host_is_little_endian(void);
/* Reverses the bytes of each of `count` elements of `esize` bytes (endianness conversion). */
void erg_swap_bytes(void *data, size_t count, size_t esize);

/* .npy (NumPy format 1.0 and 2.0; dtypes |i1 |u1 <i2 <i4 <f4; C order only).
 * Errors name the file and say what was wrong (e.g. "x.npy: truncated: header promises 400
 * bytes of data, file has 120"). */
int erg_npy_read(const char *path, erg_array *out, erg_error *err);
/* Writes format 1.0 (2.0 only when the header would not fit 1.0) to a temporary file in the
 * same folder, then renames it over `path`: a failed write leaves nothing behind. */
int erg_npy_write(const char *path, const erg_array *a, erg_error *err);

/* IDX files of MNIST-style data sets (big-endian on disk; plain or gzip-compressed, recognized
 * by the gzip magic, not the file name). Element types 0x08 (uint8), 0x09 (int8),
 * 0x0B (int16), 0x0C (int32), 0x0D (float32); 0x0E (float64) is rejected. */
int erg_idx_read(const char *path, erg_array *out, erg_error *err);

#endif
