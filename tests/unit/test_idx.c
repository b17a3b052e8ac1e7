/* test_idx.c — the IDX reader: element types and byte order, gzip detection, the Debian
 * Fashion-MNIST files, and one test per malformed fixture in tests/data/bad/idx. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "erg_array.h"

#define BAD(name) ERG_SRC_DIR "/tests/data/bad/idx/" name
#define FASHION "/usr/share/datasets/fashion-mnist/"

/* ---- helpers ------------------------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void) {
    strcpy(tmpdir, "/tmp/erg-idx-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
    DIR *d = opendir(tmpdir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            remove(p);
        }
    closedir(d);
    rmdir(tmpdir);
}

static const char *tmp_path(const char *name) {
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* Writes an IDX file: header for `type` and `dims`, then `len` bytes of big-endian data;
 * gzip-compressed when `gz`. */
static void spill_idx(const char *path, int gz, int type, int ndim, const uint32_t *dims,
                      const void *data, size_t len) {
    size_t n = 4 + 4 * (size_t)ndim + len;
    unsigned char *b = malloc(n);
    cr_assert_not_null(b);
    b[0] = b[1] = 0;
    b[2] = (unsigned char)type;
    b[3] = (unsigned char)ndim;
    for (int i = 0; i < ndim; i++)
        for (int k = 0; k < 4; k++) b[4 + 4 * i + k] = (unsigned char)(dims[i] >> (24 - 8 * k));
    if (len) memcpy(b + 4 + 4 * ndim, data, len);
    if (gz) {
        gzFile g = gzopen(path, "wb9");
        cr_assert_not_null(g);
        cr_assert_eq(gzwrite(g, b, (unsigned)n), (int)n);
        cr_assert_eq(gzclose(g), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        cr_assert_not_null(f);
        cr_assert_eq(fwrite(b, 1, n, f), n);
        cr_assert_eq(fclose(f), 0);
    }
    free(b);
}

/* Asserts that reading `path` fails with a message naming the file and containing `phrase`,
 * and that the output array is left empty. */
static void expect_read_error(const char *path, const char *phrase) {
    erg_array a;
    erg_error e = {""};
    memset(&a, 0xAB, sizeof a);
    cr_assert_eq(erg_idx_read(path, &a, &e), -1, "%s was accepted", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    cr_assert_not_null(strstr(e.msg, base), "message does not name the file: %s", e.msg);
    cr_assert_not_null(strstr(e.msg, phrase), "message lacks \"%s\": %s", phrase, e.msg);
    cr_assert_null(a.data);
    cr_assert_eq(a.count, 0);
}

/* ---- element types and byte order --------------------------------------------------------- */

Test(idx, reads_every_element_type_converting_big_endian_to_host_order, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    erg_array a;
    erg_error e;
    const char *p = tmp_path("t.idx");

    const unsigned char u8[3] = {0x00, 0x7f, 0xff};
    spill_idx(p, 0, 0x08, 1, (uint32_t[]){3}, u8, 3);
    cr_assert_eq(erg_idx_read(p, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_U8);
    cr_assert_arr_eq(a.data, u8, 3);
    erg_array_free(&a);

    const unsigned char i8[4] = {0x80, 0xff, 0x00, 0x7f};
    spill_idx(p, 0, 0x09, 2, (uint32_t[]){2, 2}, i8, 4);
    cr_assert_eq(erg_idx_read(p, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_I8);
    cr_assert_eq(a.ndim, 2);
    const int8_t i8_want[4] = {-128, -1, 0, 127};
    cr_assert_arr_eq(a.data, i8_want, 4);
    erg_array_free(&a);

    /* 0x8000 = -32768, 0xfffe = -2, 0x1234 = 4660 */
    const unsigned char i16[6] = {0x80, 0x00, 0xff, 0xfe, 0x12, 0x34};
    spill_idx(p, 0, 0x0B, 1, (uint32_t[]){3}, i16, 6);
    cr_assert_eq(erg_idx_read(p, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_I16);
    const int16_t i16_want[3] = {-32768, -2, 4660};
    cr_assert_arr_eq(a.data, i16_want, sizeof i16_want);
    erg_array_free(&a);

    /* 0x80000000 = INT32_MIN, 0x01020304 = 16909060 */
    const unsigned char i32[8] = {0x80, 0, 0, 0, 0x01, 0x02, 0x03, 0x04};
    spill_idx(p, 0, 0x0C, 1, (uint32_t[]){2}, i32, 8);
    cr_assert_eq(erg_idx_read(p, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_I32);
    const int32_t i32_want[2] = {INT32_MIN, 16909060};
    cr_assert_arr_eq(a.data, i32_want, sizeof i32_want);
    erg_array_free(&a);

    /* 0x3fc00000 = 1.5f, 0xc1200000 = -10.0f */
    const unsigned char f32[8] = {0x3f, 0xc0, 0, 0, 0xc1, 0x20, 0, 0};
    spill_idx(p, 0, 0x0D, 1, (uint32_t[]){2}, f32, 8);
    cr_assert_eq(erg_idx_read(p, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_F32);
    cr_assert_eq(((float *)a.data)[0], 1.5f);
    cr_assert_eq(((float *)a.data)[1], -10.0f);
    erg_array_free(&a);
}

Test(idx, detects_gzip_by_its_magic_bytes_not_by_the_file_name, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    const unsigned char d[6] = {1, 2, 3, 4, 5, 6};
    const uint32_t dims[2] = {2, 3};
    spill_idx(tmp_path("compressed.idx"), 1, 0x08, 2, dims, d, 6);
    spill_idx(tmp_path("plain.idx.gz"), 0, 0x08, 2, dims, d, 6);
    const char *names[2] = {"compressed.idx", "plain.idx.gz"};
    for (int k = 0; k < 2; k++) {
        erg_array a;
        erg_error e;
        cr_assert_eq(erg_idx_read(tmp_path(names[k]), &a, &e), 0, "%s", e.msg);
        cr_assert_eq(a.ndim, 2);
        cr_assert_eq(a.shape[0], 2);
        cr_assert_eq(a.shape[1], 3);
        cr_assert_arr_eq(a.data, d, 6);
        erg_array_free(&a);
    }
}

Test(idx, reads_a_gzip_stream_larger_than_its_read_chunk, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    /* 3 x 1000 x 1000 int16 = 6 MB: the reader's buffer grows from 1 MiB several times. */
    const uint32_t dims[3] = {3, 1000, 1000};
    size_t n = 3u * 1000 * 1000;
    unsigned char *be = malloc(2 * n);
    cr_assert_not_null(be);
    for (size_t i = 0; i < n; i++) {
        uint16_t v = (uint16_t)(i * 2654435761u >> 7);
        be[2 * i] = (unsigned char)(v >> 8);
        be[2 * i + 1] = (unsigned char)v;
    }
    spill_idx(tmp_path("big.idx.gz"), 1, 0x0B, 3, dims, be, 2 * n);
    free(be);
    erg_array a;
    erg_error e;
    cr_assert_eq(erg_idx_read(tmp_path("big.idx.gz"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.count, n);
    const int16_t *v = a.data;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq((uint16_t)v[i], (uint16_t)(i * 2654435761u >> 7), "element %zu", i);
    erg_array_free(&a);
}

Test(idx, reads_an_empty_array_with_a_zero_dimension, .init = make_tmpdir, .fini = remove_tmpdir) {
    spill_idx(tmp_path("z.idx"), 0, 0x08, 3, (uint32_t[]){0, 28, 28}, NULL, 0);
    erg_array a;
    erg_error e;
    cr_assert_eq(erg_idx_read(tmp_path("z.idx"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.ndim, 3);
    cr_assert_eq(a.count, 0);
    cr_assert_not_null(a.data);
    erg_array_free(&a);
}

/* ---- the real data set (Debian package dataset-fashion-mnist) ------------------------------ */

static uint64_t sum_u8(const erg_array *a) {
    uint64_t s = 0;
    for (size_t i = 0; i < a->count; i++) s += ((const uint8_t *)a->data)[i];
    return s;
}

/* Expected values computed with Python from the same files:
 *   d = gzip.open(path).read(); labels = d[8:]; pixels = d[16:]
 *   t10k labels[:5] = [9, 2, 1, 1, 6], sum(labels) = 45000 (1000 of each class 0..9),
 *   sum(pixels) = 573469082; train labels[:5] = [9, 0, 0, 3, 0], sum = 270000,
 *   sum(pixels) = 3431114169; row 14 of t10k image 0 is checked in part below. */
Test(idx, reads_fashion_mnist_t10k_images_and_labels) {
    if (access(FASHION "t10k-images-idx3-ubyte.gz", R_OK) != 0 ||
        access(FASHION "t10k-labels-idx1-ubyte.gz", R_OK) != 0)
        cr_skip_test("Fashion-MNIST is not installed (apt install dataset-fashion-mnist)");
    erg_array img, lab;
    erg_error e;
    cr_assert_eq(erg_idx_read(FASHION "t10k-images-idx3-ubyte.gz", &img, &e), 0, "%s", e.msg);
    cr_assert_eq(img.dtype, ERG_U8);
    cr_assert_eq(img.ndim, 3);
    cr_assert_eq(img.shape[0], 10000);
    cr_assert_eq(img.shape[1], 28);
    cr_assert_eq(img.shape[2], 28);
    cr_assert_eq(sum_u8(&img), 573469082u);
    const uint8_t row14[8] = {98, 136, 110, 109, 110, 162, 135, 144}; /* pixels 12..19 */
    cr_assert_arr_eq((const uint8_t *)img.data + 14 * 28 + 12, row14, 8);
    erg_array_free(&img);

    cr_assert_eq(erg_idx_read(FASHION "t10k-labels-idx1-ubyte.gz", &lab, &e), 0, "%s", e.msg);
    cr_assert_eq(lab.dtype, ERG_U8);
    cr_assert_eq(lab.ndim, 1);
    cr_assert_eq(lab.shape[0], 10000);
    const uint8_t first5[5] = {9, 2, 1, 1, 6};
    cr_assert_arr_eq(lab.data, first5, 5);
    cr_assert_eq(sum_u8(&lab), 45000u);
    erg_array_free(&lab);
}

Test(idx, reads_fashion_mnist_train_images_and_labels) {
    if (access(FASHION "train-images-idx3-ubyte.gz", R_OK) != 0 ||
        access(FASHION "train-labels-idx1-ubyte.gz", R_OK) != 0)
        cr_skip_test("Fashion-MNIST is not installed (apt install dataset-fashion-mnist)");
    erg_array img, lab;
    erg_error e;
    cr_assert_eq(erg_idx_read(FASHION "train-images-idx3-ubyte.gz", &img, &e), 0, "%s", e.msg);
    cr_assert_eq(img.shape[0], 60000);
    cr_assert_eq(img.count, 60000u * 28 * 28);
    cr_assert_eq(sum_u8(&img), 3431114169u);
    erg_array_free(&img);
    cr_assert_eq(erg_idx_read(FASHION "train-labels-idx1-ubyte.gz", &lab, &e), 0, "%s", e.msg);
    cr_assert_eq(lab.shape[0], 60000);
    const uint8_t first5[5] = {9, 0, 0, 3, 0};
    cr_assert_arr_eq(lab.data, first5, 5);
    cr_assert_eq(sum_u8(&lab), 270000u);
    erg_array_free(&lab);
}

/* ---- malformed fixtures (tests/data/bad/make_bad_io.py) ------------------------------------ */

Test(idx, rejects_an_empty_file) {
    expect_read_error(BAD("empty.idx"), "empty file");
}

Test(idx, rejects_bad_magic) {
    expect_read_error(BAD("bad_magic.idx"), "not an IDX file: bad magic");
}

Test(idx, rejects_float64_listing_the_supported_dtypes) {
    expect_read_error(BAD("float64.idx"),
                      "float64 is not supported; erg reads int8, uint8, int16, int32, float32");
}

Test(idx, rejects_an_unknown_element_type) {
    expect_read_error(BAD("unknown_type.idx"), "unknown IDX element type 0x0A");
}

Test(idx, rejects_a_dimension_count_of_zero) {
    expect_read_error(BAD("zero_dims.idx"), "IDX dimension count 0");
}

Test(idx, rejects_more_than_eight_dimensions) {
    expect_read_error(BAD("nine_dims.idx"), "IDX dimension count 9; erg reads 1 to 8");
}

Test(idx, rejects_a_truncated_header) {
    expect_read_error(BAD("truncated_header.idx"),
                      "truncated IDX header: 16 bytes needed, file has 10");
}

Test(idx, rejects_truncated_data_giving_both_byte_counts) {
    expect_read_error(BAD("truncated_data.idx"),
                      "truncated: header promises 10 bytes of data, file has 4");
}

Test(idx, rejects_a_header_claiming_more_items_than_the_file_holds) {
    /* 60000 x 28 x 28 = 47040000 bytes promised, 16 present */
    expect_read_error(BAD("too_many_items.idx"),
                      "truncated: header promises 47040000 bytes of data, file has 16");
}

Test(idx, rejects_a_complete_gzip_stream_holding_fewer_items_than_promised) {
    expect_read_error(BAD("too_many_items.idx.gz"), "truncated: header promises 47040000 bytes "
                                                    "of data, decompressed stream has 16");
}

Test(idx, rejects_a_shape_whose_byte_count_overflows_size_t) {
    expect_read_error(BAD("bytes_overflow.idx"), "the byte count overflows size_t");
}

Test(idx, rejects_bytes_after_the_data) {
    expect_read_error(BAD("trailing_data.idx"), "3 unexpected bytes after the 10 bytes of data");
}

Test(idx, rejects_a_gzip_stream_that_ends_early) {
    /* The compressed stream of a 272-byte uint8 [4, 8, 8] file, cut in half. */
    expect_read_error(BAD("truncated.idx.gz"),
                      "truncated gzip stream: header promises 256 bytes of data");
}

Test(idx, rejects_a_gzip_stream_without_its_trailer) {
    expect_read_error(BAD("no_trailer.idx.gz"), "truncated gzip stream: all 10 bytes of data");
}

Test(idx, rejects_a_gzip_stream_with_a_wrong_checksum) {
    expect_read_error(BAD("bad_crc.idx.gz"), "corrupt gzip stream: incorrect data check");
}

Test(idx, rejects_a_missing_file_with_the_system_reason) {
    expect_read_error(ERG_SRC_DIR "/tests/data/no_such_file.idx", "No such file");
}

Test(idx, rejects_a_directory) {
    expect_read_error(ERG_SRC_DIR "/tests/data", "is a directory");
}
