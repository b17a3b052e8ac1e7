/* chip_run.c — a network on a chip: mapping, weight layout and loading, frames through the
 * host driver, and the host's share of the work (the classifier's affine s * dot + o). */
#include "chip_run.h"

#include <stdlib.h>
#include <string.h>

#include "erg_regs.h"

int erg_chip_runner_load_weights(erg_chip_runner *r, const erg_weights *wt, erg_error *err) {
    erg_drv_wimage im;
    if (erg_drv_wimage_alloc(&im, &r->info, err)) return -1;
    for (int i = 0; i < r->net->n_layers; i++) {
        const erg_map_layer *ml = &r->map.l[i];
        if (ml->unit < 0 || ml->d.op == ERG_BNA_OP_MAXPOOL) continue;
        const erg_layer_weights *lw = &wt->l[i];
        erg_drv_wimage_put(&im, &r->info, &ml->d, lw->w, ml->bn_sign ? lw->thr : NULL,
                           ml->bn_sign ? lw->flip : NULL);
    }
    erg_drv_load_weights(&r->be->bus, &r->info, &im);
    erg_drv_wimage_free(&im);
    r->wt = wt;
    return 0;
}

int erg_chip_runner_init(erg_chip_runner *r, const erg_net *net, const erg_weights *wt,
                         const erg_chip *chip, const char *backend, const char *trace_path,
                         erg_error *err) {
    erg_backend *be = erg_backend_create(backend, chip, trace_path, err);
    if (!be) return -1;
    return erg_chip_runner_init_on(r, net, wt, chip, be, err);
}

int erg_chip_runner_init_on(erg_chip_runner *r, const erg_net *net, const erg_weights *wt,
                            const erg_chip *chip, erg_backend *be, erg_error *err) {
    memset(r, 0, sizeof *r);
    r->net = net;
    r->chip = chip;
    r->be = be;
    if (erg_map_net(&r->map, net, chip, err)) goto fail;
    if (erg_drv_bna_probe(&r->be->bus, chip->units[r->map.unit].base, &r->info, err)) goto fail;
    const erg_layer *last = &net->layers[net->n_layers - 1];
    r->n_scores = (int)erg_shape_count(last->out);
    r->cnt = calloc((size_t)net->n_layers, sizeof *r->cnt);
    r->scores = calloc((size_t)r->n_scores, sizeof *r->scores);
    r->dots = calloc((size_t)r->n_scores, sizeof *r->dots);
    r->map_out = calloc((size_t)r->n_scores, 1);
    if (!r->cnt || !r->scores || !r->dots || !r->map_out) {
        erg_fail(err, "out of memory");
        goto fail;
    }
    if (erg_chip_runner_load_weights(r, wt, err)) goto fail;
    return 0;
fail:
    erg_chip_runner_free(r);
    return -1;
}

int erg_chip_runner_run(erg_chip_runner *r, const uint8_t *image, erg_error *err) {
    const erg_net *net = r->net;
    const erg_bus *bus = &r->be->bus;
    erg_drv_write_image(bus, &r->info, 0, image, net->input.h, net->input.w, net->input.c);
    for (int i = 0; i < net->n_layers; i++) {
        const erg_map_layer *ml = &r->map.l[i];
        memset(&r->cnt[i], 0, sizeof r->cnt[i]);
        if (ml->unit < 0) continue;
        /* generous bound: no layer of a unit within the chip's limits takes 2^40 cycles */
        if (erg_drv_run_layer(bus, &r->info, &ml->d, 1ull << 40, &r->cnt[i], err) ||
            (r->after_layer && r->after_layer(r->after_ctx, r, i, err))) {
            erg_error_prefix(err, "layer '%s'", net->layers[i].name);
            return -1;
        }
    }
    const erg_layer *last = &net->layers[net->n_layers - 1];
    const erg_map_layer *ml = &r->map.l[net->n_layers - 1];
    if (ml->d.flags & ERG_BNA_L_FLAGS_OUT_DOTS) {
        /* the classifier's batch-norm runs on the host: score = s * dot + o (int64) */
        const erg_layer_weights *lw = &r->wt->l[net->n_layers - 1];
        erg_drv_read_dots(bus, &r->info, r->n_scores, r->dots);
        for (int k = 0; k < r->n_scores; k++)
            r->scores[k] = (int64_t)lw->s[k] * r->dots[k] + lw->o[k];
    } else {
        erg_drv_read_map(bus, &r->info, r->map.final_buf, last->out.h, last->out.w, last->out.c,
                         r->map_out);
        for (int k = 0; k < r->n_scores; k++) r->scores[k] = r->map_out[k];
    }
    int best = 0;
    for (int k = 1; k < r->n_scores; k++)
        if (r->scores[k] > r->scores[best]) best = k;
    return best;
}

void erg_chip_runner_free(erg_chip_runner *r) {
    erg_backend_destroy(r->be);
    erg_mapping_free(&r->map);
    free(r->cnt);
    free(r->scores);
    free(r->dots);
    free(r->map_out);
    memset(r, 0, sizeof *r);
}
