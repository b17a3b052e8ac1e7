/* operands.c — operand histograms and PE sequences of an int8 layer (operands.h). */
#include "operands.h"

#include <stdlib.h>
#include <string.h>

#include "golden_run.h"

/* A layer as a GEMM: output pixel m, filter n, reduction index k. */
typedef struct gemm {
    const erg_layer *l;
    const uint8_t *in; /* the layer's input map (NHWC) */
    const int8_t *w;
    int64_t M, N, K;
} gemm;

/* The activation MAC (m, n, k) multiplies (0 in the padding). */
static uint8_t act(const gemm *g, int64_t m, int64_t n, int64_t k) {
    const erg_layer *l = g->l;
    if (l->type == ERG_L_DENSE) return g->in[k];
    const erg_conv_geom *c = &l->conv;
    int oy = (int)(m / c->out_w), ox = (int)(m % c->out_w);
    int ci, ky, kx;
    if (l->type == ERG_L_DEPTHWISE) {
        ci = (int)n;
        ky = (int)(k / c->k_w);
        kx = (int)(k % c->k_w);
    } else {
        ci = (int)(k % c->in_c);
        kx = (int)(k / c->in_c % c->k_w);
        ky = (int)(k / c->in_c / c->k_w);
    }
    int iy = oy * c->stride - c->pad_top + ky, ix = ox * c->stride - c->pad_left + kx;
    if (iy < 0 || iy >= c->in_h || ix < 0 || ix >= c->in_w) return 0;
    return g->in[((size_t)iy * c->in_w + ix) * c->in_c + ci];
}

/* The weight of MAC (n, k): conv [n][ky][kx][ci] = [n][k], depthwise [n][k], dense [n][k]. */
static int8_t wgt(const gemm *g, int64_t n, int64_t k) {
    return g->w[n * g->K + k];
}

static uint8_t mag(int8_t w) {
    return (uint8_t)(w < 0 ? -(int)w : (int)w);
}

static void add_all(erg_operands *op, const gemm *g) {
    for (int64_t n = 0; n < g->N; n++)
        for (int64_t k = 0; k < g->K; k++) {
            int8_t w = wgt(g, n, k);
            uint8_t b = mag(w);
            for (int64_t m = 0; m < g->M; m++) {
                size_t i = (size_t)act(g, m, n, k) * 256 + b;
                op->hist[i]++;
                if (w < 0) op->hist_neg[i]++;
            }
            op->macs += (uint64_t)g->M;
            if (w < 0) op->macs_neg += (uint64_t)g->M;
        }
}

/* Streams of evenly spaced PEs until max_seq pairs. A PE is (m, n) for OS, (n, k) for WS,
 * (m, k) for IS; its stream runs over the remaining index. */
static int add_seq(erg_operands *op, const gemm *g, erg_seq_df df, size_t max_seq) {
    op->seq_a = malloc(max_seq * sizeof *op->seq_a + 4);
    op->seq_b = malloc(max_seq * sizeof *op->seq_b + 4);
    if (!op->seq_a || !op->seq_b) return -1;
    int64_t d0 = df == ERG_SEQ_WS ? g->N : g->M, d1 = df == ERG_SEQ_OS ? g->N : g->K;
    int64_t len = df == ERG_SEQ_OS ? g->K : df == ERG_SEQ_WS ? g->M : g->N;
    int64_t pes = d0 * d1, want = (int64_t)(max_seq / (size_t)(len > 0 ? len : 1));
    if (want < 1) want = 1;
    if (want > pes) want = pes;
    size_t n = 0;
    for (int64_t s = 0; s < want && n < max_seq; s++) {
        int64_t pe = s * pes / want, i0 = pe / d1, i1 = pe % d1;
        for (int64_t t = 0; t < len && n < max_seq; t++, n++) {
            int64_t m, nn, k;
            if (df == ERG_SEQ_OS) {
                m = i0, nn = i1, k = t;
            } else if (df == ERG_SEQ_WS) {
                nn = i0, k = i1, m = t;
            } else {
                m = i0, k = i1, nn = t;
            }
            if (g->l->type == ERG_L_DEPTHWISE && df == ERG_SEQ_IS) nn = nn % g->N;
            op->seq_a[n] = act(g, m, nn, k);
            op->seq_b[n] = mag(wgt(g, nn, k));
        }
    }
    op->n_seq = n;
    return 0;
}

erg_operands *erg_operands_new(void) {
    return calloc(1, sizeof(erg_operands));
}

void erg_operands_free(erg_operands *op) {
    if (!op) return;
    free(op->seq_a);
    free(op->seq_b);
    free(op->inputs);
    free(op);
}

int erg_seq_df_parse(const char *s) {
    return strcmp(s, "os") == 0   ? ERG_SEQ_OS
           : strcmp(s, "ws") == 0 ? ERG_SEQ_WS
           : strcmp(s, "is") == 0 ? ERG_SEQ_IS
                                  : -1;
}

int erg_operands_collect(erg_operands *op, const erg_net *net, const erg_weights *wt, int layer,
                         const uint8_t *images, long long n, erg_seq_df df, size_t max_seq,
                         erg_error *err) {
    free(op->seq_a);
    free(op->seq_b);
    free(op->inputs);
    memset(op, 0, sizeof *op);
    if (layer < 0 || layer >= net->n_layers) return erg_fail(err, "no layer %d", layer);
    const erg_layer *l = &net->layers[layer];
    if ((l->type != ERG_L_CONV2D && l->type != ERG_L_DEPTHWISE && l->type != ERG_L_DENSE) ||
        l->weight_bits != 8 || l->in_kind != ERG_V_U8)
        return erg_fail(err,
                        "%s:%u: layer '%s' is not an int8 layer with uint8 inputs (its "
                        "multiplications do not go through an 8x8 multiplier)",
                        net->path, l->line, l->name);
    erg_golden_runner g;
    if (erg_golden_runner_init(&g, net, wt, err)) return -1;
    if (erg_golden_runner_keep(&g, err)) {
        erg_golden_runner_free(&g);
        return -1;
    }
    gemm gm = {l, NULL, wt->l[layer].w, 0, 0, 0};
    if (l->type == ERG_L_DENSE) {
        gm.M = 1, gm.N = l->out.c, gm.K = erg_shape_count(l->in);
    } else {
        gm.M = (int64_t)l->conv.out_h * l->conv.out_w;
        gm.N = l->conv.out_c;
        gm.K = (int64_t)l->conv.k_h * l->conv.k_w * (l->type == ERG_L_DEPTHWISE ? 1 : l->conv.in_c);
    }
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    op->layer = l;
    op->w = wt->l[layer].w;
    op->fan_in = gm.K;
    op->in_size = (size_t)erg_shape_count(l->in);
    op->inputs = malloc(op->in_size * (size_t)(n > 0 ? n : 1));
    if (!op->inputs) {
        erg_golden_runner_free(&g);
        return erg_fail(err, "out of memory");
    }
    int rc = 0;
    for (long long f = 0; f < n; f++) {
        const uint8_t *img = images + (size_t)f * img_bytes;
        erg_golden_runner_run(&g, img);
        gm.in = layer == 0 ? img : (const uint8_t *)g.layer_out[layer - 1];
        memcpy(op->inputs + (size_t)f * op->in_size, gm.in, op->in_size);
        op->n_inputs = f + 1;
        add_all(op, &gm);
        if (f == 0 && max_seq > 0 && add_seq(op, &gm, df, max_seq)) {
            rc = erg_fail(err, "out of memory");
            break;
        }
    }
    erg_golden_runner_free(&g);
    return rc;
}
