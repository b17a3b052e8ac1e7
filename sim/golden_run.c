/* golden_run.c — a network, layer by layer, through the golden kernels of models/golden. */
#include "golden_run.h"

#include <stdlib.h>
#include <string.h>

#include "erg_golden.h"

size_t erg_vkind_size(erg_vkind k) {
    switch (k) {
    case ERG_V_BIN:
    case ERG_V_U8:
        return 1;
    case ERG_V_I32:
        return 4;
    case ERG_V_I64:
        return 8;
    }
    return 8;
}

int erg_golden_runner_init(erg_golden_runner *r, const erg_net *net, const erg_weights *wt,
                           erg_error *err) {
    memset(r, 0, sizeof *r);
    r->net = net;
    r->wt = wt;
    size_t max_bytes = (size_t)erg_shape_count(net->first);
    size_t max_acc = 1;
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        size_t n = (size_t)erg_shape_count(l->out);
        if (n * erg_vkind_size(l->out_kind) > max_bytes)
            max_bytes = n * erg_vkind_size(l->out_kind);
        if (n > max_acc) max_acc = n;
    }
    const erg_layer *last = &net->layers[net->n_layers - 1];
    r->n_scores = (int)erg_shape_count(last->out);
    r->buf[0] = malloc(max_bytes);
    r->buf[1] = malloc(max_bytes);
    r->acc = malloc(max_acc * sizeof *r->acc);
    r->scores = malloc((size_t)r->n_scores * sizeof *r->scores);
    if (!r->buf[0] || !r->buf[1] || !r->acc || !r->scores) {
        erg_golden_runner_free(r);
        return erg_fail(err, "out of memory for the activations of '%s'", net->name);
    }
    return 0;
}

int erg_golden_runner_set_op(erg_golden_runner *r, int op, erg_error *err) {
    if (op < 0 || op >= r->net->n_ops)
        return erg_fail(err, "net '%s' has no op point %d (it has %d)", r->net->name, op,
                        r->net->n_ops);
    r->op = op;
    return 0;
}

int erg_golden_runner_keep(erg_golden_runner *r, erg_error *err) {
    const erg_net *net = r->net;
    r->layer_out = calloc((size_t)net->n_layers, sizeof *r->layer_out);
    if (!r->layer_out) return erg_fail(err, "out of memory");
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        r->layer_out[i] = malloc((size_t)erg_shape_count(l->out) * erg_vkind_size(l->out_kind));
        if (!r->layer_out[i]) return erg_fail(err, "out of memory");
    }
    return 0;
}

void erg_golden_runner_free(erg_golden_runner *r) {
    for (int i = 0; r->layer_out && i < r->net->n_layers; i++) free(r->layer_out[i]);
    free(r->layer_out);
    free(r->buf[0]);
    free(r->buf[1]);
    free(r->acc);
    free(r->scores);
    memset(r, 0, sizeof *r);
}

/* Applies the layer's activation to the accumulators of n_pix pixels x c channels. */
static void activate(const erg_layer *l, const erg_layer_weights *lw, size_t n_pix,
                     const int32_t *acc, void *out) {
    int c = l->out.c;
    switch (l->act) {
    case ERG_ACT_BN_SIGN:
        erg_golden_bn_sign(n_pix, c, acc, lw->thr, lw->flip, out);
        break;
    case ERG_ACT_BN:
        for (size_t p = 0; p < n_pix; p++)
            erg_golden_bn_affine(c, acc + p * c, lw->s, lw->o, (int64_t *)out + p * c);
        break;
    case ERG_ACT_RELU:
        erg_golden_requant(n_pix, c, acc, lw->m0, lw->shift, l->zero_point, out);
        break;
    case ERG_ACT_NONE:
        memcpy(out, acc, n_pix * c * sizeof *acc);
        break;
    }
}

int erg_golden_runner_run(erg_golden_runner *r, const uint8_t *image) {
    const erg_net *net = r->net;
    size_t n_in = (size_t)net->input.h * net->input.w;
    if (net->encode == ERG_ENC_THERMOMETER)
        erg_golden_thermometer(n_in, net->input.c, image, net->levels, r->buf[0]);
    else
        memcpy(r->buf[0], image, n_in * net->input.c);
    int cur = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        const erg_layer_weights *lw = &r->wt->l[i];
        const void *in = r->buf[cur];
        void *out = r->buf[cur ^ 1];
        size_t n_pix = (size_t)l->out.h * l->out.w;
        int binary = l->in_kind == ERG_V_BIN;
        const erg_mul8u *mul = binary ? NULL : erg_net_layer_mul(net, r->op, i);
        switch (l->type) {
        case ERG_L_CONV2D:
            if (binary)
                erg_golden_bconv2d(&l->conv, in, lw->w, l->pad_value, r->acc);
            else
                erg_golden_conv2d(&l->conv, in, lw->w, lw->b, mul, r->acc);
            activate(l, lw, n_pix, r->acc, out);
            break;
        case ERG_L_DEPTHWISE:
            erg_golden_depthwise(&l->conv, in, lw->w, lw->b, mul, r->acc);
            activate(l, lw, n_pix, r->acc, out);
            break;
        case ERG_L_DENSE:
            if (binary)
                erg_golden_bdense(l->in.c, l->out.c, in, lw->w, r->acc);
            else
                erg_golden_dense(l->in.c, l->out.c, in, lw->w, lw->b, mul, r->acc);
            activate(l, lw, 1, r->acc, out);
            break;
        case ERG_L_MAXPOOL:
            if (binary)
                erg_golden_maxpool_b(&l->pool, in, out);
            else
                erg_golden_maxpool_u8(&l->pool, in, out);
            break;
        case ERG_L_AVGPOOL:
            erg_golden_avgpool_u8(&l->pool, in, out);
            break;
        case ERG_L_FLATTEN:
            erg_golden_flatten((size_t)erg_shape_count(l->in), erg_vkind_size(l->in_kind), in, out);
            break;
        }
        cur ^= 1;
        if (r->layer_out)
            memcpy(r->layer_out[i], r->buf[cur],
                   (size_t)erg_shape_count(l->out) * erg_vkind_size(l->out_kind));
    }
    const erg_layer *last = &net->layers[net->n_layers - 1];
    const void *o = r->buf[cur];
    for (int k = 0; k < r->n_scores; k++) {
        switch (last->out_kind) {
        case ERG_V_BIN:
            r->scores[k] = ((const int8_t *)o)[k];
            break;
        case ERG_V_U8:
            r->scores[k] = ((const uint8_t *)o)[k];
            break;
        case ERG_V_I32:
            r->scores[k] = ((const int32_t *)o)[k];
            break;
        case ERG_V_I64:
            r->scores[k] = ((const int64_t *)o)[k];
            break;
        }
    }
    return erg_golden_argmax_i64(r->scores, r->n_scores);
}
