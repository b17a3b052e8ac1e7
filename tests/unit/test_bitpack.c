/* test_bitpack.c — bit packing of binary tensors (docs/bitpacking.md): layout, masks, round trips
 * and the XNOR-popcount dot against the golden binary dense layer. */
#include <criterion/criterion.h>

#include <stdlib.h>

#include "erg_bitpack.h"
#include "erg_golden.h"
#include "erg_rng.h"

#define ALL ~(uint64_t)0

static const int widths[] = {1, 63, 64, 65, 70, 128, 255, 256};
#define N_WIDTHS (int)(sizeof widths / sizeof widths[0])

static int8_t random_pm1(erg_rng *r) {
    return erg_rng_range(r, 0, 1) ? 1 : -1;
}

Test(bitpack_words, rounds_channels_up_to_whole_64_bit_words) {
    cr_assert_eq(erg_bitpack_words(0), 0);
    cr_assert_eq(erg_bitpack_words(1), 1);
    cr_assert_eq(erg_bitpack_words(63), 1);
    cr_assert_eq(erg_bitpack_words(64), 1);
    cr_assert_eq(erg_bitpack_words(65), 2);
    cr_assert_eq(erg_bitpack_words(70), 2);
    cr_assert_eq(erg_bitpack_words(128), 2);
    cr_assert_eq(erg_bitpack_words(255), 4);
    cr_assert_eq(erg_bitpack_words(256), 4);
}

Test(bitpack_mask, covers_exactly_the_valid_bits_of_each_word) {
    /* c = 1: only bit 0 of word 0. c = 63: bits 0..62. c = 64: one full word. */
    cr_assert_eq(erg_bitpack_mask(1, 0), 0x1u);
    cr_assert_eq(erg_bitpack_mask(63, 0), 0x7fffffffffffffffu);
    cr_assert_eq(erg_bitpack_mask(64, 0), ALL);
    /* c = 65: word 1 holds channel 64 only. c = 70: channels 64..69 = bits 0..5 = 0x3f. */
    cr_assert_eq(erg_bitpack_mask(65, 0), ALL);
    cr_assert_eq(erg_bitpack_mask(65, 1), 0x1u);
    cr_assert_eq(erg_bitpack_mask(70, 0), ALL);
    cr_assert_eq(erg_bitpack_mask(70, 1), 0x3fu);
    /* c = 128: two full words. c = 255: word 3 holds channels 192..254 = 63 bits. */
    cr_assert_eq(erg_bitpack_mask(128, 0), ALL);
    cr_assert_eq(erg_bitpack_mask(128, 1), ALL);
    for (int k = 0; k < 3; k++) cr_assert_eq(erg_bitpack_mask(255, k), ALL);
    cr_assert_eq(erg_bitpack_mask(255, 3), 0x7fffffffffffffffu);
    for (int k = 0; k < 4; k++) cr_assert_eq(erg_bitpack_mask(256, k), ALL);
}

Test(bitpack_mask, is_zero_past_the_last_word) {
    cr_assert_eq(erg_bitpack_mask(1, 1), 0u);
    cr_assert_eq(erg_bitpack_mask(64, 1), 0u);
    cr_assert_eq(erg_bitpack_mask(70, 2), 0u);
    cr_assert_eq(erg_bitpack_mask(256, 4), 0u);
}

Test(bitpack_mask, has_popcount_equal_to_the_channel_count) {
    for (int t = 0; t < N_WIDTHS; t++) {
        int c = widths[t], bits = 0;
        for (int k = 0; k < erg_bitpack_words(c); k++)
            bits += __builtin_popcountll(erg_bitpack_mask(c, k));
        cr_assert_eq(bits, c, "c = %d", c);
    }
}

Test(bitpack, packs_the_70_channel_example_of_the_docs) {
    /* docs/bitpacking.md: channels 0, 3, 63, 64, 69 are +1, the other 65 are -1.
     * word 0 = bits 0, 3, 63 = 0x8000000000000009; word 1 = channel 64 -> bit 0, channel 69 ->
     * bit 5 = 0x21; bits 6..63 of word 1 are unused and 0. */
    int8_t px[70];
    for (int i = 0; i < 70; i++) px[i] = -1;
    px[0] = px[3] = px[63] = px[64] = px[69] = 1;
    uint64_t out[2] = {ALL, ALL};
    erg_bitpack(1, 70, px, out);
    cr_assert_eq(out[0], 0x8000000000000009u);
    cr_assert_eq(out[1], 0x21u);
    /* dot with an all +1 weight (0xff..ff, 0x3f): 5 agreements, 65 disagreements:
     * popcount(~0x8000000000000009) = 61, popcount(0x21 ^ 0x3f = 0x1e) = 4; 70 - 2*65 = -60. */
    uint64_t ones[2] = {ALL, 0x3fu};
    cr_assert_eq(erg_bitpack_dot(out, ones, 70), -60);
    /* The same weight with garbage in the unused bits 6..63 of word 1: still -60. */
    uint64_t ones_garbage[2] = {ALL, ALL};
    cr_assert_eq(erg_bitpack_dot(out, ones_garbage, 70), -60);
    /* The mask of the example: word 0 full, word 1 = channels 64..69 = 0x3f. */
    cr_assert_eq(erg_bitpack_mask(70, 0), ALL);
    cr_assert_eq(erg_bitpack_mask(70, 1), 0x3fu);
}

Test(bitpack, puts_channel_i_at_bit_i_mod_64_of_word_i_div_64) {
    for (int t = 0; t < N_WIDTHS; t++) {
        int c = widths[t], words = erg_bitpack_words(c);
        int8_t *px = malloc((size_t)c);
        uint64_t *out = malloc((size_t)words * sizeof *out);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) px[j] = j == i ? 1 : -1;
            erg_bitpack(1, c, px, out);
            for (int k = 0; k < words; k++) {
                uint64_t want = k == i / 64 ? (uint64_t)1 << (i % 64) : 0;
                cr_assert_eq(out[k], want, "c = %d, channel %d, word %d", c, i, k);
            }
        }
        free(px);
        free(out);
    }
}

Test(bitpack, leaves_unused_bits_of_the_last_word_zero) {
    /* An all +1 pixel packs to exactly the mask: every valid bit 1, every unused bit 0. */
    for (int t = 0; t < N_WIDTHS; t++) {
        int c = widths[t], words = erg_bitpack_words(c);
        int8_t *px = malloc((size_t)c);
        uint64_t *out = malloc((size_t)words * sizeof *out);
        for (int j = 0; j < c; j++) px[j] = 1;
        for (int k = 0; k < words; k++) out[k] = 0x5555555555555555u; /* garbage to overwrite */
        erg_bitpack(1, c, px, out);
        for (int k = 0; k < words; k++) cr_assert_eq(out[k], erg_bitpack_mask(c, k), "c = %d", c);
        free(px);
        free(out);
    }
}

Test(bitpack, lays_pixels_out_one_after_another_in_whole_words) {
    /* 3 pixels of 65 channels = 2 words each: pixel p's channel 64 is bit 0 of word 2p + 1. */
    int8_t px[3 * 65];
    for (int i = 0; i < 3 * 65; i++) px[i] = -1;
    px[1 * 65 + 64] = 1; /* pixel 1, channel 64 */
    px[2 * 65 + 0] = 1;  /* pixel 2, channel 0 */
    uint64_t out[6];
    erg_bitpack(3, 65, px, out);
    uint64_t want[6] = {0, 0, 0, 1, 1, 0};
    for (int k = 0; k < 6; k++) cr_assert_eq(out[k], want[k], "word %d", k);
}

Test(bitpack, packs_zero_as_plus_one_since_sign_of_zero_is_plus_one) {
    int8_t px[3] = {0, -1, 1};
    uint64_t out;
    erg_bitpack(1, 3, px, &out);
    cr_assert_eq(out, 0x5u); /* bits 0 and 2 */
}

Test(bitpack, round_trips_random_pixels_through_unpack) {
    erg_rng r;
    erg_rng_seed(&r, 11);
    for (int trial = 0; trial < 300; trial++) {
        int c = trial < N_WIDTHS ? widths[trial] : (int)erg_rng_range(&r, 1, 300);
        size_t n_pix = (size_t)erg_rng_range(&r, 1, 9);
        int words = erg_bitpack_words(c);
        int8_t *in = malloc(n_pix * (size_t)c), *back = malloc(n_pix * (size_t)c);
        uint64_t *packed = malloc(n_pix * (size_t)words * sizeof *packed);
        for (size_t i = 0; i < n_pix * (size_t)c; i++) in[i] = random_pm1(&r);
        erg_bitpack(n_pix, c, in, packed);
        for (size_t p = 0; p < n_pix; p++)
            for (int k = 0; k < words; k++)
                cr_assert_eq(packed[p * words + k] & ~erg_bitpack_mask(c, k), 0u,
                             "unused bits set: c = %d", c);
        erg_bitunpack(n_pix, c, packed, back);
        for (size_t i = 0; i < n_pix * (size_t)c; i++)
            cr_assert_eq(back[i], in[i], "c = %d, element %zu", c, i);
        free(in);
        free(back);
        free(packed);
    }
}

Test(bitunpack, ignores_unused_bits_and_repacks_to_the_masked_words) {
    erg_rng r;
    erg_rng_seed(&r, 12);
    for (int t = 0; t < N_WIDTHS; t++) {
        int c = widths[t], words = erg_bitpack_words(c);
        uint64_t raw[4], again[4];
        int8_t px[256];
        for (int k = 0; k < words; k++) raw[k] = erg_rng_u64(&r) | ~erg_bitpack_mask(c, k);
        erg_bitunpack(1, c, raw, px);
        erg_bitpack(1, c, px, again);
        for (int k = 0; k < words; k++)
            cr_assert_eq(again[k], raw[k] & erg_bitpack_mask(c, k), "c = %d word %d", c, k);
    }
}

Test(bitpack_dot, matches_a_hand_computed_three_channel_dot) {
    /* a = (+1, -1, +1) -> 0b101, w = (+1, +1, -1) -> 0b011. Products +1, -1, -1: sum -1.
     * a XOR w = 0b110, popcount 2: 3 - 2*2 = -1. */
    uint64_t a = 0x5u, w = 0x3u;
    cr_assert_eq(erg_bitpack_dot(&a, &w, 3), -1);
    /* Equal vectors give +c, complementary ones -c. */
    cr_assert_eq(erg_bitpack_dot(&a, &a, 3), 3);
    uint64_t na = 0x2u;
    cr_assert_eq(erg_bitpack_dot(&a, &na, 3), -3);
}

Test(bitpack_dot, ignores_garbage_in_unused_bits) {
    /* c = 70: a = all -1 (word 1 = 0), w = all -1; unused bits 6..63 of word 1 differ in a and
     * w, yet dot is +70 because the mask 0x3f removes them. */
    uint64_t a[2] = {0, 0xffffffffffffffc0u}, w[2] = {0, 0};
    cr_assert_eq(erg_bitpack_dot(a, w, 70), 70);
}

Test(bitpack_dot, equals_the_golden_binary_dense_dot_on_random_vectors) {
    erg_rng r;
    erg_rng_seed(&r, 13);
    for (int trial = 0; trial < 2000; trial++) {
        int c = trial < N_WIDTHS ? widths[trial] : (int)erg_rng_range(&r, 1, 600);
        int words = erg_bitpack_words(c);
        int8_t *a = malloc((size_t)c), *w = malloc((size_t)c);
        uint64_t *pa = malloc((size_t)words * sizeof *pa), *pw = malloc((size_t)words * sizeof *pw);
        for (int i = 0; i < c; i++) {
            a[i] = random_pm1(&r);
            w[i] = random_pm1(&r);
        }
        erg_bitpack(1, c, a, pa);
        erg_bitpack(1, c, w, pw);
        int32_t want;
        erg_golden_bdense(c, 1, a, w, &want);
        cr_assert_eq(erg_bitpack_dot(pa, pw, c), want, "c = %d", c);
        free(a);
        free(w);
        free(pa);
        free(pw);
    }
}
