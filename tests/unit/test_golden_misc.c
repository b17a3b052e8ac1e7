/* test_golden_misc.c — golden pooling (max, binary max, average), flatten and argmax:
 * hand-derived cases and seeded properties. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "erg_golden.h"
#include "erg_rng.h"

static erg_pool_geom pool(int in_h, int in_w, int c, int size, int stride) {
    erg_pool_geom g;
    erg_error err;
    cr_assert_eq(erg_pool_geom_init(&g, in_h, in_w, c, size, stride, &err), 0, "%s", err.msg);
    return g;
}

static erg_pool_geom random_pool(erg_rng *r) {
    int in_h = (int)erg_rng_range(r, 1, 9), in_w = (int)erg_rng_range(r, 1, 9);
    int lim = in_h < in_w ? in_h : in_w;
    int size = (int)erg_rng_range(r, 1, lim < 4 ? lim : 4);
    int stride = erg_rng_range(r, 0, 1) ? size : (int)erg_rng_range(r, 1, 3);
    return pool(in_h, in_w, (int)erg_rng_range(r, 1, 6), size, stride);
}

/* ---- max pooling ---- */

Test(golden_maxpool_u8, takes_the_largest_value_of_each_window) {
    /* 4x4x1, size 2, stride 2:
     *   [  1   5 |   2   0 ]
     *   [  3   4 |   9   9 ]      -> [ 5   9 ]
     *   [  0   0 | 255   7 ]         [ 8 255 ]
     *   [  8   0 |   1 254 ] */
    erg_pool_geom g = pool(4, 4, 1, 2, 2);
    uint8_t in[16] = {1, 5, 2, 0, 3, 4, 9, 9, 0, 0, 255, 7, 8, 0, 1, 254};
    uint8_t out[4], want[4] = {5, 9, 8, 255};
    erg_golden_maxpool_u8(&g, in, out);
    for (int i = 0; i < 4; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_maxpool_u8, pools_channels_separately) {
    /* 2x2x2 with pixels (1,40) (20,3) (3,2) (4,1), size 2: channel 0 max 20, channel 1 max 40. */
    erg_pool_geom g = pool(2, 2, 2, 2, 2);
    uint8_t in[8] = {1, 40, 20, 3, 3, 2, 4, 1}, out[2];
    erg_golden_maxpool_u8(&g, in, out);
    cr_assert_eq(out[0], 20);
    cr_assert_eq(out[1], 40);
}

Test(golden_maxpool_u8, overlaps_windows_when_stride_is_smaller_than_size) {
    /* 3x3x1 [[1 2 3] [4 5 6] [7 8 0]], size 2, stride 1 -> 2x2: [[5 6] [8 8]]. */
    erg_pool_geom g = pool(3, 3, 1, 2, 1);
    uint8_t in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0}, out[4], want[4] = {5, 6, 8, 8};
    erg_golden_maxpool_u8(&g, in, out);
    for (int i = 0; i < 4; i++) cr_assert_eq(out[i], want[i], "out[%d] = %d", i, out[i]);
}

Test(golden_maxpool_u8, is_valid_only_and_drops_the_ragged_edge) {
    /* 3x3x1, size 2, stride 2: out = (3-2)/2 + 1 = 1; row 2 and column 2 (the 200s) are never
     * read: max(1, 2, 3, 4) = 4. */
    erg_pool_geom g = pool(3, 3, 1, 2, 2);
    cr_assert_eq(g.out_h, 1);
    cr_assert_eq(g.out_w, 1);
    uint8_t in[9] = {1, 2, 200, 3, 4, 200, 200, 200, 200}, out[1];
    erg_golden_maxpool_u8(&g, in, out);
    cr_assert_eq(out[0], 4);
}

Test(golden_maxpool_b, is_plus_one_when_any_value_in_the_window_is) {
    /* 2x2x2, size 2: channel 0 = -1 -1 +1 -1 -> +1 (OR of bits 0 0 1 0); channel 1 all -1 -> -1. */
    erg_pool_geom g = pool(2, 2, 2, 2, 2);
    int8_t in[8] = {-1, -1, -1, -1, 1, -1, -1, -1}, out[2];
    erg_golden_maxpool_b(&g, in, out);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(out[1], -1);
}

Test(golden_maxpool_b, equals_integer_max_pool_on_zero_one_values) {
    /* With b = (a + 1) / 2 in {0, 1}, OR of the bits is max of b: maxpool_b(a) = 2 maxpool(b) - 1.
     */
    erg_rng r;
    erg_rng_seed(&r, 301);
    for (int trial = 0; trial < 300; trial++) {
        erg_pool_geom g = random_pool(&r);
        size_t n_in = (size_t)g.in_h * g.in_w * g.c, n_out = (size_t)g.out_h * g.out_w * g.c;
        int8_t *a = malloc(n_in), *out = malloc(n_out);
        uint8_t *b = malloc(n_in), *outb = malloc(n_out);
        /* Mostly -1 so that windows of all -1 occur. */
        for (size_t i = 0; i < n_in; i++) {
            a[i] = erg_rng_range(&r, 0, 4) == 0 ? 1 : -1;
            b[i] = (uint8_t)((a[i] + 1) / 2);
        }
        erg_golden_maxpool_b(&g, a, out);
        erg_golden_maxpool_u8(&g, b, outb);
        for (size_t i = 0; i < n_out; i++)
            cr_assert_eq(out[i], 2 * outb[i] - 1, "trial %d element %zu", trial, i);
        free(a);
        free(out);
        free(b);
        free(outb);
    }
}

/* ---- average pooling ---- */

Test(golden_avgpool_u8, rounds_half_away_from_zero) {
    /* 2x2x3, size 2, one output pixel per image:
     *   image 1: ch 0 {1,2,3,4} = 10/4 = 2.5 -> 3;  ch 1 {1,2,2,4} = 9/4 = 2.25 -> 2;
     *            ch 2 {0,0,0,2} = 2/4 = 0.5 -> 1
     *   image 2: ch 0 {0,0,0,1} = 0.25 -> 0;  ch 1 {255 x 4} -> 255;  ch 2 {1,1,1,3} = 1.5 -> 2 */
    erg_pool_geom g = pool(2, 2, 3, 2, 2);
    uint8_t in1[12] = {1, 1, 0, 2, 2, 0, 3, 2, 0, 4, 4, 2};
    uint8_t in2[12] = {0, 255, 1, 0, 255, 1, 0, 255, 1, 1, 255, 3};
    uint8_t out[3];
    erg_golden_avgpool_u8(&g, in1, out);
    cr_assert_eq(out[0], 3);
    cr_assert_eq(out[1], 2);
    cr_assert_eq(out[2], 1);
    erg_golden_avgpool_u8(&g, in2, out);
    cr_assert_eq(out[0], 0);
    cr_assert_eq(out[1], 255);
    cr_assert_eq(out[2], 2);
}

Test(golden_avgpool_u8, divides_by_the_full_window_of_an_odd_size) {
    /* 3x3 window: 13/9 = 1.44 -> 1; 14/9 = 1.56 -> 2 (no ties for an odd count). */
    erg_pool_geom g = pool(3, 3, 1, 3, 3);
    uint8_t in[9] = {1, 1, 1, 1, 1, 1, 1, 1, 5}, out[1];
    erg_golden_avgpool_u8(&g, in, out);
    cr_assert_eq(out[0], 1);
    in[8] = 6;
    erg_golden_avgpool_u8(&g, in, out);
    cr_assert_eq(out[0], 2);
}

Test(golden_avgpool_u8, steps_the_window_by_the_stride) {
    /* 2x4x1 [[1 2 3 4] [5 6 7 8]], size 2:
     *   stride 2: (1+2+5+6)/4 = 3.5 -> 4, (3+4+7+8)/4 = 5.5 -> 6
     *   stride 1: 3.5 -> 4, (2+3+6+7)/4 = 4.5 -> 5, 5.5 -> 6 */
    uint8_t in[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[3];
    erg_pool_geom g2 = pool(2, 4, 1, 2, 2);
    erg_golden_avgpool_u8(&g2, in, out);
    cr_assert_eq(out[0], 4);
    cr_assert_eq(out[1], 6);
    erg_pool_geom g1 = pool(2, 4, 1, 2, 1);
    erg_golden_avgpool_u8(&g1, in, out);
    cr_assert_eq(out[0], 4);
    cr_assert_eq(out[1], 5);
    cr_assert_eq(out[2], 6);
}

Test(golden_avgpool_u8, equals_the_rounded_mean_on_random_windows) {
    /* For sum >= 0 half away from zero is floor(sum / n + 1/2); n <= 16, sums <= 4080 are exact
     * in double, and sum / n + 0.5 sits exactly on an integer only at true ties. */
    erg_rng r;
    erg_rng_seed(&r, 302);
    for (int trial = 0; trial < 300; trial++) {
        erg_pool_geom g = random_pool(&r);
        size_t n_in = (size_t)g.in_h * g.in_w * g.c, n_out = (size_t)g.out_h * g.out_w * g.c;
        uint8_t *in = malloc(n_in), *out = malloc(n_out);
        for (size_t i = 0; i < n_in; i++) in[i] = (uint8_t)erg_rng_range(&r, 0, 255);
        erg_golden_avgpool_u8(&g, in, out);
        for (int oh = 0; oh < g.out_h; oh++)
            for (int ow = 0; ow < g.out_w; ow++)
                for (int c = 0; c < g.c; c++) {
                    int sum = 0;
                    for (int i = 0; i < g.size; i++)
                        for (int j = 0; j < g.size; j++)
                            sum += in[(((size_t)oh * g.stride + i) * g.in_w + ow * g.stride + j) *
                                          g.c +
                                      c];
                    int want = (int)((double)sum / (g.size * g.size) + 0.5);
                    cr_assert_eq(out[((size_t)oh * g.out_w + ow) * g.c + c], want,
                                 "trial %d at (%d,%d,%d)", trial, oh, ow, c);
                }
        free(in);
        free(out);
    }
}

/* ---- flatten ---- */

Test(golden_flatten, copies_the_nhwc_buffer_unchanged) {
    /* A 2x2x3 map [h][w][c] flattens to index (h*2 + w)*3 + c: the buffer itself. */
    int32_t in[12], out[12];
    for (int i = 0; i < 12; i++) in[i] = 100 * (i / 6) + 10 * ((i / 3) % 2) + i % 3; /* hwc */
    erg_golden_flatten(12, sizeof in[0], in, out);
    for (int h = 0; h < 2; h++)
        for (int w = 0; w < 2; w++)
            for (int c = 0; c < 3; c++)
                cr_assert_eq(out[(h * 2 + w) * 3 + c], 100 * h + 10 * w + c);
    int8_t b[5] = {1, -1, 1, 1, -1}, bo[5] = {0};
    erg_golden_flatten(5, 1, b, bo);
    cr_assert_eq(memcmp(b, bo, 5), 0);
    erg_golden_flatten(5, 1, b, b); /* in place is allowed */
    cr_assert_eq(memcmp(b, bo, 5), 0);
    erg_golden_flatten(0, 4, NULL, NULL); /* nothing to copy */
}

/* ---- argmax ---- */

Test(golden_argmax_i64, gives_ties_to_the_lowest_index) {
    int64_t s1[4] = {3, 7, 7, -1};
    cr_assert_eq(erg_golden_argmax_i64(s1, 4), 1);
    int64_t s2[3] = {5, 5, 5};
    cr_assert_eq(erg_golden_argmax_i64(s2, 3), 0);
    int64_t s3[3] = {-5, -3, -3};
    cr_assert_eq(erg_golden_argmax_i64(s3, 3), 1);
}

Test(golden_argmax_i64, compares_full_64_bit_scores) {
    /* 2^32 beats 5, though its low 32 bits are 0 (a 32-bit compare would pick index 2);
     * INT64_MIN loses to anything. */
    int64_t s[4] = {INT64_MIN, (int64_t)1 << 32, 5, -((int64_t)1 << 40)};
    cr_assert_eq(erg_golden_argmax_i64(s, 4), 1);
    int64_t m[2] = {INT64_MIN, INT64_MIN + 1};
    cr_assert_eq(erg_golden_argmax_i64(m, 2), 1);
    int64_t one[1] = {INT64_MIN};
    cr_assert_eq(erg_golden_argmax_i64(one, 1), 0);
}

Test(golden_argmax_i64, returns_minus_one_for_no_scores) {
    cr_assert_eq(erg_golden_argmax_i64(NULL, 0), -1);
}

Test(golden_argmax_i64, equals_the_first_index_of_the_maximum_on_random_scores) {
    /* Scores from a tiny range so ties are common; the reference finds the maximum first and
     * then its first occurrence. */
    erg_rng r;
    erg_rng_seed(&r, 303);
    for (int trial = 0; trial < 10000; trial++) {
        int n = (int)erg_rng_range(&r, 1, 12);
        int64_t s[12], max = INT64_MIN;
        for (int i = 0; i < n; i++) {
            s[i] = erg_rng_range(&r, -3, 3);
            if (s[i] > max) max = s[i];
        }
        int want = 0;
        while (s[want] != max) want++;
        cr_assert_eq(erg_golden_argmax_i64(s, n), want, "trial %d", trial);
    }
}
