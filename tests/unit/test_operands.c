/* test_operands.c — the operand pairs of an int8 layer (sim/operands.c) on the trained
 * Fashion-MNIST int8 CNN over the first 3 test images of the committed slice:
 *  - the histogram counts every MAC: sum = the layer's MACs per frame x 3;
 *  - the signed identity: sum over pairs of (hist - 2 hist_neg)[a, b] * a * b equals the sum
 *    over all outputs of (accumulator - bias) from the golden kernel with exact products (each
 *    MAC contributes sign(w) * a * |w|), an independent path through erg_golden_conv2d/dense;
 *  - the PE sequences follow the dataflow's definition, checked on hand-picked PEs. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "erg_array.h"
#include "erg_golden.h"
#include "golden_run.h"
#include "net.h"
#include "operands.h"
#include "weights.h"

static erg_net net;
static erg_weights wt;
static erg_array img;

static void setup(void) {
    erg_error err = {{0}};
    cr_assert_eq(chdir(ERG_SRC_DIR), 0);
    cr_assert_eq(erg_net_load(&net, "configs/nets/fmnist_int8.cfg", &err), 0, "%s", err.msg);
    cr_assert_eq(erg_weights_load(&wt, &net, &err), 0, "%s", err.msg);
    cr_assert_eq(erg_idx_read("tests/data/fmnist/t10k-1000-images-idx3-ubyte.gz", &img, &err), 0,
                 "%s", err.msg);
}

static void teardown(void) {
    erg_array_free(&img);
    erg_weights_free(&wt);
    erg_net_free(&net);
}

/* sum of (acc - bias) over every output of layer i for image f, through golden */
static long long golden_signed_sum(int i, const uint8_t *image) {
    erg_golden_runner g;
    erg_error err = {{0}};
    cr_assert_eq(erg_golden_runner_init(&g, &net, &wt, &err), 0);
    cr_assert_eq(erg_golden_runner_keep(&g, &err), 0);
    erg_golden_runner_run(&g, image);
    const erg_layer *l = &net.layers[i];
    const uint8_t *in = i ? g.layer_out[i - 1] : image;
    int64_t n = erg_shape_count(l->out);
    int32_t *acc = malloc((size_t)n * sizeof *acc);
    if (l->type == ERG_L_DENSE)
        erg_golden_dense((int)erg_shape_count(l->in), l->out.c, in, wt.l[i].w, NULL, NULL, acc);
    else
        erg_golden_conv2d(&l->conv, in, wt.l[i].w, NULL, NULL, acc);
    long long s = 0;
    for (int64_t k = 0; k < n; k++) s += acc[k];
    free(acc);
    erg_golden_runner_free(&g);
    return s;
}

Test(operands, histograms_count_every_mac_and_match_golden_sums, .init = setup, .fini = teardown) {
    static const char *const layers[] = {"conv1", "conv2", "fc"};
    erg_operands *op = erg_operands_new();
    for (int t = 0; t < 3; t++) {
        int i = 0;
        while (strcmp(net.layers[i].name, layers[t])) i++;
        erg_error err = {{0}};
        cr_assert_eq(erg_operands_collect(op, &net, &wt, i, img.data, 3, ERG_SEQ_OS, 1000, &err), 0,
                     "%s", err.msg);
        cr_expect_eq(op->macs, (uint64_t)net.layers[i].macs * 3, "%s", layers[t]);
        uint64_t sum = 0, neg = 0;
        long long signed_sum = 0;
        for (int a = 0; a < 256; a++)
            for (int b = 0; b < 256; b++) {
                sum += op->hist[a * 256 + b];
                neg += op->hist_neg[a * 256 + b];
                signed_sum +=
                    (long long)(op->hist[a * 256 + b] - 2 * op->hist_neg[a * 256 + b]) * a * b;
            }
        cr_expect_eq(sum, op->macs);
        cr_expect_eq(neg, op->macs_neg);
        cr_expect_gt(neg, 0);
        long long want = 0;
        for (int f = 0; f < 3; f++)
            want += golden_signed_sum(i, (const uint8_t *)img.data + f * 784);
        cr_expect_eq(signed_sum, want, "%s: %lld vs golden %lld", layers[t], signed_sum, want);
        /* |w| <= 127 for int8 weights: no pair with b >= 128 */
        for (int a = 0; a < 256; a++)
            for (int b = 128; b < 256; b++) cr_expect_eq(op->hist[a * 256 + b], 0);
    }
    erg_operands_free(op);
}

Test(operands, pe_sequences_follow_the_dataflow, .init = setup, .fini = teardown) {
    /* conv1: 28x28x1 input, 3x3 same padding, 16 filters: M = 784, N = 16, K = 9; weights
     * [n][ky][kx][0] so w(n, k) = w[n * 9 + k]. The first sampled PE is index 0. */
    erg_operands *op = erg_operands_new();
    erg_error err = {{0}};
    const uint8_t *im = img.data;
    const int8_t *w = wt.l[0].w;
    /* OS: PE (m = 0, n = 0) streams k = 0..8: pixel (0,0)'s window; with the padding
     * (pad_top = pad_left = 1) k = 0..3 and 6 are outside (activation 0); k = 4 is in(0,0),
     * k = 5 in(0,1), k = 7 in(1,0), k = 8 in(1,1) */
    cr_assert_eq(erg_operands_collect(op, &net, &wt, 0, im, 1, ERG_SEQ_OS, 9, &err), 0, "%s",
                 err.msg);
    cr_assert_eq(op->n_seq, 9);
    const int win[9] = {-1, -1, -1, -1, 0, 1, -1, 28, 29};
    for (int k = 0; k < 9; k++) {
        cr_expect_eq(op->seq_a[k], win[k] < 0 ? 0u : im[win[k]], "k %d", k);
        cr_expect_eq(op->seq_b[k], (uint32_t)abs(w[k]), "k %d", k);
    }
    /* WS: PE (n = 0, k = 4) holds w[0][1][1] and streams in[m] over all 784 pixels, m = 0.. */
    cr_assert_eq(erg_operands_collect(op, &net, &wt, 0, im, 1, ERG_SEQ_WS, 784, &err), 0);
    cr_assert_eq(op->n_seq, 784);
    /* one PE fits (784 / 784 = 1): PE 0 = (n 0, k 0) = the top-left tap: pixel m reads
     * in(y - 1, x - 1), 0 on the top row and left column */
    for (int m = 0; m < 784; m++) {
        int y = m / 28, x = m % 28;
        uint32_t want = (y == 0 || x == 0) ? 0 : im[(y - 1) * 28 + x - 1];
        cr_expect_eq(op->seq_a[m], want, "m %d", m);
        cr_expect_eq(op->seq_b[m], (uint32_t)abs(w[0]));
    }
    /* IS: PE (m = 29 -> pixel (1,1), k = 0) holds in(0,0) and streams w[n][0] for n = 0..15;
     * with 2 PEs wanted out of 784 * 9, PE 1 is index 7056 / 2 = 3528 = (m 392, k 0):
     * pixel (14, 0), tap (0,0) -> in(13, -1) = padding 0 */
    cr_assert_eq(erg_operands_collect(op, &net, &wt, 0, im, 1, ERG_SEQ_IS, 32, &err), 0);
    cr_assert_eq(op->n_seq, 32);
    for (int n = 0; n < 16; n++) {
        cr_expect_eq(op->seq_a[n], 0u, "PE 0 is pixel (0,0) tap (0,0): padding");
        cr_expect_eq(op->seq_b[n], (uint32_t)abs(w[n * 9]));
        cr_expect_eq(op->seq_a[16 + n], 0u);
    }
    /* a binary or pooling layer has no 8x8 multiplications */
    cr_expect_eq(erg_operands_collect(op, &net, &wt, 1, im, 1, ERG_SEQ_OS, 9, &err), -1);
    cr_expect_not_null(strstr(err.msg, "layer 'pool1' is not an int8 layer"), "%s", err.msg);
    erg_operands_free(op);
}
