/* test_npy.c — erg_array helpers and the .npy reader/writer: round trips, byte-identity with
 * NumPy 1.24, header parsing, and one test per malformed fixture in tests/data/bad/npy. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "erg_array.h"

#define GOLDEN(name) ERG_SRC_DIR "/tests/data/npy/" name
#define BAD(name) ERG_SRC_DIR "/tests/data/bad/npy/" name

/* Under AddressSanitizer an impossible malloc aborts by default; erg must see it return NULL
 * to test its out-of-memory path. Ignored when built without the sanitizer. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "allocator_may_return_null=1";
}

/* ---- helpers ------------------------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void) {
    strcpy(tmpdir, "/tmp/erg-npy-XXXXXX");
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
            if (remove(p) != 0) { /* a directory made by a test */
                rmdir(p);
            }
        }
    closedir(d);
    rmdir(tmpdir);
}

static const char *tmp_path(const char *name) {
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* Reads a whole file; *len gets its size. */
static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void spill(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* Writes a format 1.0 file with the given header text (padded as NumPy pads) and data. */
static void spill_npy(const char *path, const char *header, const void *data, size_t len) {
    unsigned char buf[1024];
    size_t h = strlen(header), pad = 64 - (10 + h + 1) % 64, hl = h + pad + 1;
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (unsigned char)(hl & 0xff);
    buf[9] = (unsigned char)(hl >> 8);
    memcpy(buf + 10, header, h);
    memset(buf + 10 + h, ' ', pad);
    buf[10 + h + pad] = '\n';
    cr_assert_lt(10 + hl + len, sizeof buf);
    memcpy(buf + 10 + hl, data, len);
    spill(path, buf, 10 + hl + len);
}

/* Asserts that reading `path` fails with a message naming the file and containing `phrase`,
 * and that the output array is left empty. */
static void expect_read_error(const char *path, const char *phrase) {
    erg_array a;
    erg_error e = {""};
    memset(&a, 0xAB, sizeof a);
    cr_assert_eq(erg_npy_read(path, &a, &e), -1, "%s was accepted", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    cr_assert_not_null(strstr(e.msg, base), "message does not name the file: %s", e.msg);
    cr_assert_not_null(strstr(e.msg, phrase), "message lacks \"%s\": %s", phrase, e.msg);
    cr_assert_null(a.data);
    cr_assert_eq(a.count, 0);
}

/* ---- erg_array ----------------------------------------------------------------------------- */

Test(erg_array, knows_the_size_and_numpy_name_of_each_dtype) {
    cr_assert_eq(erg_dtype_size(ERG_I8), 1);
    cr_assert_eq(erg_dtype_size(ERG_U8), 1);
    cr_assert_eq(erg_dtype_size(ERG_I16), 2);
    cr_assert_eq(erg_dtype_size(ERG_I32), 4);
    cr_assert_eq(erg_dtype_size(ERG_F32), 4);
    cr_assert_str_eq(erg_dtype_name(ERG_I8), "int8");
    cr_assert_str_eq(erg_dtype_name(ERG_U8), "uint8");
    cr_assert_str_eq(erg_dtype_name(ERG_I16), "int16");
    cr_assert_str_eq(erg_dtype_name(ERG_I32), "int32");
    cr_assert_str_eq(erg_dtype_name(ERG_F32), "float32");
}

Test(erg_array, allocates_a_zeroed_array_of_the_given_shape) {
    erg_array a;
    erg_error e;
    int64_t shape[3] = {2, 3, 4};
    cr_assert_eq(erg_array_alloc(&a, ERG_I32, 3, shape, &e), 0, "%s", e.msg);
    cr_assert_eq(a.count, 24);
    cr_assert_eq(a.ndim, 3);
    for (size_t i = 0; i < a.count; i++) cr_assert_eq(((int32_t *)a.data)[i], 0);
    erg_array_free(&a);
    cr_assert_null(a.data);
    erg_array_free(&a); /* freeing twice is harmless */
}

Test(erg_array, gives_a_scalar_one_element_and_an_empty_array_non_null_data) {
    erg_array a;
    erg_error e;
    cr_assert_eq(erg_array_alloc(&a, ERG_F32, 0, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(a.count, 1);
    erg_array_free(&a);
    int64_t shape[2] = {0, 5};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 2, shape, &e), 0, "%s", e.msg);
    cr_assert_eq(a.count, 0);
    cr_assert_not_null(a.data);
    erg_array_free(&a);
}

Test(erg_array, rejects_negative_dimensions_and_more_than_eight) {
    erg_array a;
    erg_error e;
    int64_t neg[2] = {3, -1};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 2, neg, &e), -1);
    cr_assert_not_null(strstr(e.msg, "negative dimension -1"), "%s", e.msg);
    cr_assert_null(a.data);
    int64_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 9, nine, &e), -1);
    cr_assert_not_null(strstr(e.msg, "9 dimensions"), "%s", e.msg);
}

Test(erg_array, rejects_a_shape_whose_byte_count_overflows_size_t) {
    erg_array a;
    erg_error e;
    int64_t shape[2] = {(int64_t)1 << 61, 2}; /* 2^62 elements x 4 bytes = 2^64 */
    cr_assert_eq(erg_array_alloc(&a, ERG_F32, 2, shape, &e), -1);
    cr_assert_not_null(strstr(e.msg, "overflows size_t"), "%s", e.msg);
}

Test(erg_array, reports_out_of_memory_instead_of_crashing) {
    erg_array a;
    erg_error e;
    int64_t shape[1] = {(int64_t)1 << 62}; /* 4 EiB: fits size_t, no machine has it */
    cr_assert_eq(erg_array_alloc(&a, ERG_I8, 1, shape, &e), -1);
    cr_assert_not_null(strstr(e.msg, "out of memory"), "%s", e.msg);
    cr_assert_null(a.data);
}

Test(erg_array, formats_shapes_like_python_lists) {
    erg_array a = {.ndim = 3, .shape = {2, 3, 4}};
    char buf[32];
    cr_assert_str_eq(erg_array_shape_str(&a, buf, sizeof buf), "[2, 3, 4]");
    a.ndim = 0;
    cr_assert_str_eq(erg_array_shape_str(&a, buf, sizeof buf), "[]");
    a.ndim = 1;
    a.shape[0] = 10000;
    cr_assert_str_eq(erg_array_shape_str(&a, buf, sizeof buf), "[10000]");
    a.ndim = 3;
    cr_assert_str_eq(erg_array_shape_str(&a, buf, 6), "[1000", "truncates, NUL-terminated");
}

/* ---- round trips --------------------------------------------------------------------------- */

typedef struct rt_case {
    erg_dtype dtype;
    int ndim;
    int64_t shape[4];
} rt_case;

ParameterizedTestParameters(npy, round_trips_each_dtype_in_0d_1d_and_4d_shapes) {
    static rt_case cases[15];
    const erg_dtype types[5] = {ERG_I8, ERG_U8, ERG_I16, ERG_I32, ERG_F32};
    for (int t = 0; t < 5; t++) {
        cases[3 * t] = (rt_case){types[t], 0, {0}};
        cases[3 * t + 1] = (rt_case){types[t], 1, {7}};
        cases[3 * t + 2] = (rt_case){types[t], 4, {2, 3, 4, 5}};
    }
    return cr_make_param_array(rt_case, cases, 15);
}

ParameterizedTest(rt_case *c, npy, round_trips_each_dtype_in_0d_1d_and_4d_shapes,
                  .init = make_tmpdir, .fini = remove_tmpdir) {
    erg_array a, b;
    erg_error e;
    cr_assert_eq(erg_array_alloc(&a, c->dtype, c->ndim, c->shape, &e), 0, "%s", e.msg);
    /* Every byte different and both signs present: a pattern that exposes swapped or shifted
     * bytes. */
    unsigned char *p = a.data;
    for (size_t i = 0; i < a.count * erg_dtype_size(c->dtype); i++)
        p[i] = (unsigned char)(i * 73 + 0x91);
    const char *path = tmp_path("rt.npy");
    cr_assert_eq(erg_npy_write(path, &a, &e), 0, "%s", e.msg);
    cr_assert_eq(erg_npy_read(path, &b, &e), 0, "%s", e.msg);
    cr_assert_eq(b.dtype, c->dtype);
    cr_assert_eq(b.ndim, c->ndim);
    for (int i = 0; i < c->ndim; i++) cr_assert_eq(b.shape[i], c->shape[i]);
    cr_assert_eq(b.count, a.count);
    cr_assert_arr_eq(b.data, a.data, a.count * erg_dtype_size(c->dtype));
    erg_array_free(&a);
    erg_array_free(&b);
}

Test(npy, round_trips_an_empty_array, .init = make_tmpdir, .fini = remove_tmpdir) {
    erg_array a, b;
    erg_error e;
    int64_t shape[2] = {0, 3};
    cr_assert_eq(erg_array_alloc(&a, ERG_F32, 2, shape, &e), 0);
    cr_assert_eq(erg_npy_write(tmp_path("e.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(erg_npy_read(tmp_path("e.npy"), &b, &e), 0, "%s", e.msg);
    cr_assert_eq(b.ndim, 2);
    cr_assert_eq(b.shape[0], 0);
    cr_assert_eq(b.shape[1], 3);
    cr_assert_eq(b.count, 0);
    erg_array_free(&a);
    erg_array_free(&b);
}

/* ---- byte-identity with NumPy -------------------------------------------------------------- */

Test(npy, writes_arange6_int8_byte_identical_to_numpy, .init = make_tmpdir, .fini = remove_tmpdir) {
    /* np.save(f, np.arange(6, dtype=np.int8).reshape(2, 3)) with NumPy 1.24.2 writes:
     *   "\x93NUMPY" 01 00, header length 0x0076 = 118 (little-endian), then the dict (59 chars),
     *   20 spaces so the first axis could grow to 21 digits (GROWTH_AXIS_MAX_DIGITS - len("2")),
     *   then padding: hlen = 59 + 20 + 1 ('\n') = 80, 10 + 80 = 90, 64 - 90 % 64 = 38 spaces,
     *   so the data starts at 10 + 118 = 128 (a multiple of 64), then bytes 00..05.
     * (Not at 64, as the short dict alone would suggest: the growth spaces push it past 64.) */
    static const char dict[] = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }";
    cr_assert_eq(sizeof dict - 1, 59);
    unsigned char want[134];
    memcpy(want, "\x93NUMPY\x01\x00\x76\x00", 10);
    memcpy(want + 10, dict, 59);
    memset(want + 69, ' ', 20 + 38);
    want[127] = '\n';
    for (int i = 0; i < 6; i++) want[128 + i] = (unsigned char)i;

    erg_array a;
    erg_error e;
    int64_t shape[2] = {2, 3};
    cr_assert_eq(erg_array_alloc(&a, ERG_I8, 2, shape, &e), 0);
    for (int i = 0; i < 6; i++) ((int8_t *)a.data)[i] = (int8_t)i;
    cr_assert_eq(erg_npy_write(tmp_path("a.npy"), &a, &e), 0, "%s", e.msg);
    erg_array_free(&a);
    size_t n;
    unsigned char *got = slurp(tmp_path("a.npy"), &n);
    cr_assert_eq(n, sizeof want);
    cr_assert_arr_eq(got, want, sizeof want);
    free(got);
    /* The same bytes as the committed file NumPy wrote (tests/data/npy/make_golden_npy.py). */
    got = slurp(GOLDEN("arange6_i8.npy"), &n);
    cr_assert_eq(n, sizeof want);
    cr_assert_arr_eq(got, want, sizeof want);
    free(got);
}

Test(npy, rewrites_every_numpy_golden_file_byte_for_byte, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    static const char *names[] = {"arange6_i8.npy", "u8_4d.npy",   "i16_extremes.npy",
                                  "f32_scalar.npy", "f32_2x3.npy", "u8_empty_0x3.npy"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char src[512];
        snprintf(src, sizeof src, "%s/tests/data/npy/%s", ERG_SRC_DIR, names[k]);
        erg_array a;
        erg_error e;
        cr_assert_eq(erg_npy_read(src, &a, &e), 0, "%s", e.msg);
        cr_assert_eq(erg_npy_write(tmp_path("w.npy"), &a, &e), 0, "%s", e.msg);
        erg_array_free(&a);
        size_t n1, n2;
        unsigned char *want = slurp(src, &n1), *got = slurp(tmp_path("w.npy"), &n2);
        cr_assert_eq(n2, n1, "%s: %zu bytes, numpy wrote %zu", names[k], n2, n1);
        cr_assert_arr_eq(got, want, n1, "%s differs from numpy's bytes", names[k]);
        free(want);
        free(got);
    }
}

Test(npy, reads_numpy_golden_values_exactly) {
    erg_array a;
    erg_error e;
    cr_assert_eq(erg_npy_read(GOLDEN("i16_extremes.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_I16);
    const int16_t i16[5] = {-32768, -1, 0, 1, 32767};
    cr_assert_arr_eq(a.data, i16, sizeof i16);
    erg_array_free(&a);

    cr_assert_eq(erg_npy_read(GOLDEN("f32_scalar.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.ndim, 0);
    cr_assert_eq(a.count, 1);
    cr_assert_eq(((float *)a.data)[0], 3.5f);
    erg_array_free(&a);

    /* [[0.5, -1.25, 1024], [-0.0, inf, 1e-45 (the smallest denormal, bits 0x00000001)]] */
    cr_assert_eq(erg_npy_read(GOLDEN("f32_2x3.npy"), &a, &e), 0, "%s", e.msg);
    const uint32_t bits[6] = {0x3f000000, 0xbfa00000, 0x44800000, 0x80000000, 0x7f800000, 1};
    cr_assert_arr_eq(a.data, bits, sizeof bits);
    erg_array_free(&a);

    /* uint8 (1, 2, 3, 4) holding (11 * i) % 256 */
    cr_assert_eq(erg_npy_read(GOLDEN("u8_4d.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.ndim, 4);
    cr_assert_eq(a.count, 24);
    for (int i = 0; i < 24; i++) cr_assert_eq(((uint8_t *)a.data)[i], (11 * i) % 256);
    erg_array_free(&a);
}

Test(npy, reads_format_2_0_with_a_four_byte_header_length) {
    erg_array a;
    erg_error e;
    cr_assert_eq(erg_npy_read(GOLDEN("i32_v2.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.dtype, ERG_I32);
    cr_assert_eq(a.ndim, 1);
    cr_assert_eq(a.shape[0], 3);
    const int32_t want[3] = {INT32_MIN, 0, INT32_MAX};
    cr_assert_arr_eq(a.data, want, sizeof want);
    erg_array_free(&a);
}

/* ---- header parsing ------------------------------------------------------------------------ */

Test(npy, parses_header_dicts_in_any_key_order_and_spacing, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    static const char *headers[] = {
        "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }",
        "{'shape': (2, 3), 'descr': '<i2', 'fortran_order': False}",
        "{ \"fortran_order\" :False ,\"shape\":( 2 ,3 , ) , 'descr' : \"<i2\" }",
        "\t{'descr':'<i2','fortran_order':False,'shape':(2L, 3L)}\r\n", /* Python 2 longs */
    };
    const int16_t data[6] = {1, -2, 3, -4, 5, -6};
    for (size_t k = 0; k < sizeof headers / sizeof headers[0]; k++) {
        spill_npy(tmp_path("h.npy"), headers[k], data, sizeof data);
        erg_array a;
        erg_error e;
        cr_assert_eq(erg_npy_read(tmp_path("h.npy"), &a, &e), 0, "header %zu: %s", k, e.msg);
        cr_assert_eq(a.dtype, ERG_I16);
        cr_assert_eq(a.ndim, 2);
        cr_assert_eq(a.shape[0], 2);
        cr_assert_eq(a.shape[1], 3);
        cr_assert_arr_eq(a.data, data, sizeof data);
        erg_array_free(&a);
    }
}

Test(npy, parses_scalar_and_one_element_tuple_shapes, .init = make_tmpdir, .fini = remove_tmpdir) {
    erg_array a;
    erg_error e;
    const int32_t v[5] = {10, 20, 30, 40, 50};
    spill_npy(tmp_path("s.npy"), "{'descr': '<i4', 'fortran_order': False, 'shape': ()}", v, 4);
    cr_assert_eq(erg_npy_read(tmp_path("s.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.ndim, 0);
    cr_assert_eq(a.count, 1);
    cr_assert_eq(((int32_t *)a.data)[0], 10);
    erg_array_free(&a);
    spill_npy(tmp_path("v.npy"), "{'descr': '<i4', 'fortran_order': False, 'shape': (5,)}", v,
              sizeof v);
    cr_assert_eq(erg_npy_read(tmp_path("v.npy"), &a, &e), 0, "%s", e.msg);
    cr_assert_eq(a.ndim, 1);
    cr_assert_eq(a.shape[0], 5);
    cr_assert_arr_eq(a.data, v, sizeof v);
    erg_array_free(&a);
}

Test(npy, accepts_one_byte_dtypes_with_any_byte_order_mark, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    static const struct {
        const char *descr;
        erg_dtype t;
    } cases[] = {{"|i1", ERG_I8}, {"<i1", ERG_I8}, {">i1", ERG_I8},
                 {"|u1", ERG_U8}, {"<u1", ERG_U8}, {">u1", ERG_U8}};
    const unsigned char data[2] = {0xff, 0x01};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char h[128];
        snprintf(h, sizeof h, "{'descr': '%s', 'fortran_order': False, 'shape': (2,), }",
                 cases[k].descr);
        spill_npy(tmp_path("b.npy"), h, data, 2);
        erg_array a;
        erg_error e;
        cr_assert_eq(erg_npy_read(tmp_path("b.npy"), &a, &e), 0, "%s: %s", cases[k].descr, e.msg);
        cr_assert_eq(a.dtype, cases[k].t, "%s", cases[k].descr);
        cr_assert_arr_eq(a.data, data, 2);
        erg_array_free(&a);
    }
}

Test(npy, rejects_multibyte_dtypes_without_a_byte_order, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    spill_npy(tmp_path("n.npy"), "{'descr': 'i4', 'fortran_order': False, 'shape': (1,), }",
              "\1\0\0\0", 4);
    expect_read_error(tmp_path("n.npy"), "dtype 'i4' has no little-endian byte order");
}

Test(npy, rejects_a_duplicated_key, .init = make_tmpdir, .fini = remove_tmpdir) {
    spill_npy(tmp_path("d.npy"),
              "{'descr': '<i4', 'shape': (1,), 'fortran_order': False, 'shape': (1,)}", "\1\0\0\0",
              4);
    expect_read_error(tmp_path("d.npy"), "key 'shape' appears twice");
}

/* ---- malformed fixtures (tests/data/bad/make_bad_io.py) ------------------------------------ */

Test(npy, rejects_truncated_data_giving_both_byte_counts) {
    expect_read_error(BAD("truncated_data.npy"),
                      "truncated: header promises 16 bytes of data, file has 6");
}

Test(npy, rejects_a_truncated_header) {
    expect_read_error(BAD("truncated_header.npy"),
                      "truncated header: header length field says 118 bytes, file has 20");
}

Test(npy, rejects_an_empty_file) {
    expect_read_error(BAD("empty.npy"), "empty file");
}

Test(npy, rejects_bad_magic) {
    expect_read_error(BAD("bad_magic.npy"), "not a .npy file: bad magic");
}

Test(npy, rejects_an_npz_archive_and_says_what_it_is) {
    expect_read_error(BAD("zip_archive.npy"), "zip archive: an .npz holds several .npy files");
}

Test(npy, rejects_version_3_0) {
    expect_read_error(BAD("version3.npy"), "unsupported .npy version 3.0");
}

Test(npy, rejects_version_1_1) {
    expect_read_error(BAD("version1_1.npy"), "unsupported .npy version 1.1");
}

Test(npy, rejects_an_absurd_header_length_without_allocating_it) {
    expect_read_error(BAD("header_length_absurd.npy"),
                      "truncated header: header length field says 4294967295 bytes");
}

Test(npy, rejects_big_endian_int32_with_clear_message) {
    expect_read_error(BAD("big_endian_i4.npy"), "dtype '>i4' is big-endian");
}

Test(npy, rejects_float64_listing_the_supported_dtypes) {
    expect_read_error(
        BAD("float64.npy"),
        "float64 is not supported; erg reads int8, uint8, int16, uint16, int32, float32");
}

Test(npy, rejects_int64_the_default_integer_of_numpy) {
    expect_read_error(BAD("int64.npy"), "int64 is not supported");
}

Test(npy, rejects_bool) {
    expect_read_error(BAD("bool.npy"), "bool is not supported");
}

Test(npy, rejects_object_arrays_without_unpickling) {
    expect_read_error(BAD("object.npy"), "object arrays (pickled Python objects) are not");
}

Test(npy, rejects_unicode_strings) {
    expect_read_error(BAD("unicode.npy"), "unsupported dtype '<U2'");
}

Test(npy, rejects_structured_dtypes) {
    expect_read_error(BAD("structured.npy"), "structured dtype");
}

Test(npy, rejects_fortran_order_with_clear_message) {
    expect_read_error(BAD("fortran_order.npy"), "fortran_order is True");
}

Test(npy, rejects_a_header_that_is_not_a_dict) {
    expect_read_error(BAD("not_a_dict.npy"), "not a Python dict literal: found '[('descr'");
}

Test(npy, rejects_a_header_without_shape) {
    expect_read_error(BAD("missing_shape.npy"), "no 'shape' key");
}

Test(npy, rejects_an_unknown_header_key) {
    expect_read_error(BAD("unknown_key.npy"), "unexpected key 'x'");
}

Test(npy, rejects_a_shape_that_is_not_a_tuple) {
    expect_read_error(BAD("shape_not_tuple.npy"), "'shape' (4) is an integer, not a tuple");
}

Test(npy, rejects_a_negative_dimension) {
    /* NumPy itself loads this file as shape (1, 3): reshape treats -1 as "infer". */
    expect_read_error(BAD("negative_shape.npy"), "negative dimension -1");
}

Test(npy, rejects_an_absurd_shape_as_truncated_without_allocating) {
    expect_read_error(BAD("absurd_shape.npy"),
                      "truncated: header promises 1000000000000000000 bytes of data, file has 32");
}

Test(npy, rejects_more_than_eight_dimensions) {
    expect_read_error(BAD("too_many_dims.npy"), "more than 8 dimensions");
}

Test(npy, rejects_a_dimension_beyond_int64) {
    expect_read_error(BAD("dim_out_of_range.npy"), "dimension 99999999999999999999");
}

Test(npy, rejects_a_shape_whose_byte_count_overflows_size_t) {
    expect_read_error(BAD("bytes_overflow.npy"), "the byte count overflows size_t");
}

Test(npy, rejects_a_shape_whose_element_count_overflows_size_t) {
    expect_read_error(BAD("count_overflow.npy"), "the element count overflows size_t");
}

Test(npy, rejects_bytes_after_the_data) {
    expect_read_error(BAD("trailing_data.npy"), "4 unexpected bytes after the 16 bytes of data");
}

Test(npy, rejects_a_missing_file_with_the_system_reason) {
    expect_read_error(ERG_SRC_DIR "/tests/data/no_such_file.npy", "No such file");
}

Test(npy, rejects_a_directory) {
    expect_read_error(ERG_SRC_DIR "/tests/data", "is a directory");
}

/* ---- writer failures ----------------------------------------------------------------------- */

Test(npy, writer_replaces_an_existing_file_with_umask_permissions, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    erg_array a, b;
    erg_error e;
    int64_t shape[1] = {3};
    cr_assert_eq(erg_array_alloc(&a, ERG_I32, 1, shape, &e), 0);
    cr_assert_eq(erg_npy_write(tmp_path("r.npy"), &a, &e), 0, "%s", e.msg);
    ((int32_t *)a.data)[2] = 42;
    mode_t old = umask(027);
    cr_assert_eq(erg_npy_write(tmp_path("r.npy"), &a, &e), 0, "%s", e.msg);
    umask(old);
    struct stat st;
    cr_assert_eq(stat(tmp_path("r.npy"), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640, "mode %o", (unsigned)(st.st_mode & 0777));
    cr_assert_eq(erg_npy_read(tmp_path("r.npy"), &b, &e), 0, "%s", e.msg);
    cr_assert_eq(((int32_t *)b.data)[2], 42);
    cr_assert_eq(count_entries(tmpdir), 1, "no temporary file is left");
    erg_array_free(&a);
    erg_array_free(&b);
}

Test(npy, writer_leaves_nothing_behind_when_the_rename_fails, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    /* The target is a directory: the temporary file is written, rename() fails with EISDIR. */
    cr_assert_eq(mkdir(tmp_path("target.npy"), 0755), 0);
    erg_array a;
    erg_error e;
    int64_t shape[1] = {4};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 1, shape, &e), 0);
    cr_assert_eq(erg_npy_write(tmp_path("target.npy"), &a, &e), -1);
    cr_assert_not_null(strstr(e.msg, "target.npy: cannot rename"), "%s", e.msg);
    cr_assert_eq(count_entries(tmpdir), 1, "only the directory remains");
    erg_array_free(&a);
}

Test(npy, writer_fails_cleanly_in_a_missing_folder, .init = make_tmpdir, .fini = remove_tmpdir) {
    erg_array a;
    erg_error e;
    int64_t shape[1] = {4};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 1, shape, &e), 0);
    cr_assert_eq(erg_npy_write(tmp_path("nope/x.npy"), &a, &e), -1);
    cr_assert_not_null(strstr(e.msg, "x.npy: cannot create a temporary file"), "%s", e.msg);
    cr_assert_eq(count_entries(tmpdir), 0);
    erg_array_free(&a);
}

Test(npy, writer_rejects_an_array_inconsistent_with_its_shape, .init = make_tmpdir,
     .fini = remove_tmpdir) {
    erg_array a;
    erg_error e;
    int64_t shape[2] = {2, 3};
    cr_assert_eq(erg_array_alloc(&a, ERG_U8, 2, shape, &e), 0);
    a.count = 5;
    cr_assert_eq(erg_npy_write(tmp_path("c.npy"), &a, &e), -1);
    cr_assert_not_null(strstr(e.msg, "count 5 does not match its shape (6 elements)"), "%s", e.msg);
    a.count = 6;
    a.shape[1] = -3;
    cr_assert_eq(erg_npy_write(tmp_path("c.npy"), &a, &e), -1);
    cr_assert_not_null(strstr(e.msg, "negative dimension -3"), "%s", e.msg);
    cr_assert_eq(count_entries(tmpdir), 0);
    erg_array_free(&a);
}
