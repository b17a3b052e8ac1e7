/* amac_run.c — an int8 network on a chip's AMAC unit: local-memory layout, descriptors, the
 * operating point's multipliers, frames through the host driver, pooling on the host. */
#include "amac_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amul.h"
#include "erg_regs_amac.h"

int erg_chip_has_amac(const erg_chip *chip) {
    return erg_chip_unit_of_kind(chip, ERG_UNIT_AMAC) >= 0;
}

static uint64_t align4(uint64_t a) {
    return (a + 3) & ~(uint64_t)3;
}

static uint64_t map_bytes(erg_shape s, erg_vkind k) {
    return (uint64_t)erg_shape_count(s) * (k == ERG_V_I32 ? 4u : 1u);
}

/* Reserves `bytes` (4-aligned start) of local memory for layer l's tensor `what`. */
static int take(erg_amac_runner *r, uint64_t *at, uint64_t bytes, const erg_layer *l,
                const char *what, uint32_t *addr, erg_error *err) {
    uint64_t a = align4(*at);
    if (a + bytes > r->info.lmem_bytes)
        return erg_fail(err,
                        "layer '%s': its %s (%llu bytes) end at byte %llu of local memory, past "
                        "unit '%s''s %u bytes (lmem in %s)",
                        l->name, what, (unsigned long long)bytes, (unsigned long long)(a + bytes),
                        r->chip->units[r->unit].name, r->info.lmem_bytes, r->chip->path);
    *addr = (uint32_t)a;
    *at = a + bytes;
    return 0;
}

/* The descriptor of an int8 conv2d / depthwise / dense layer, without addresses. */
static int describe(const erg_layer *l, const erg_layer_weights *lw, int last,
                    erg_drv_amac_layer *d, erg_error *err) {
    memset(d, 0, sizeof *d);
    if (l->in_kind != ERG_V_U8 || l->weight_bits != 8)
        return erg_fail(err,
                        "layer '%s' (%s, %d-bit weights, %s input): the amac unit runs int8 layers "
                        "(8-bit weights, uint8 activations); binary layers need a bna unit",
                        l->name, erg_layer_type_name(l->type), l->weight_bits,
                        erg_vkind_name(l->in_kind));
    if (l->act == ERG_ACT_RELU) {
        d->flags |= ERG_AMAC_L_FLAGS_REQUANT;
        d->zp = l->zero_point;
    } else if (l->act != ERG_ACT_NONE || !last) {
        return erg_fail(err, "layer '%s': activation '%s' is not one the amac unit computes",
                        l->name, erg_act_name(l->act));
    }
    if (lw->b) d->flags |= ERG_AMAC_L_FLAGS_BIAS;
    if (l->type == ERG_L_DENSE) {
        d->kind = ERG_AMAC_KIND_DENSE;
        d->in_h = d->in_w = 1;
        d->in_c = (uint32_t)erg_shape_count(l->in);
        d->out_c = (uint32_t)l->out.c;
        return 0;
    }
    const erg_conv_geom *g = &l->conv;
    d->kind = l->type == ERG_L_DEPTHWISE ? ERG_AMAC_KIND_DEPTHWISE : ERG_AMAC_KIND_CONV;
    d->in_h = (uint32_t)g->in_h;
    d->in_w = (uint32_t)g->in_w;
    d->in_c = (uint32_t)g->in_c;
    d->out_c = (uint32_t)g->out_c;
    d->k_h = (uint32_t)g->k_h;
    d->k_w = (uint32_t)g->k_w;
    d->stride = (uint32_t)g->stride;
    /* the unit knows valid and TensorFlow SAME padding; the layer's must be one of them */
    erg_conv_geom s;
    erg_error e2;
    int same = erg_conv_geom_init(&s, g->in_h, g->in_w, g->in_c, g->k_h, g->k_w, g->stride, 1,
                                  g->out_c, &e2) == 0 &&
               s.pad_top == g->pad_top && s.pad_left == g->pad_left &&
               s.pad_bottom == g->pad_bottom && s.pad_right == g->pad_right &&
               s.out_h == g->out_h && s.out_w == g->out_w;
    int valid = !g->pad_top && !g->pad_left && !g->pad_bottom && !g->pad_right;
    if (!same && !valid)
        return erg_fail(err,
                        "layer '%s': padding %d/%d/%d/%d is neither valid nor SAME, the two the "
                        "amac unit supports",
                        l->name, g->pad_top, g->pad_bottom, g->pad_left, g->pad_right);
    d->pad = valid ? ERG_AMAC_PAD_VALID : ERG_AMAC_PAD_SAME;
    return 0;
}

static int map_net(erg_amac_runner *r, erg_error *err) {
    const erg_net *net = r->net;
    if (net->encode != ERG_ENC_NONE)
        return erg_fail(err,
                        "net '%s': input encoding (thermometer) is for binary nets; the amac "
                        "unit reads the uint8 image as it is",
                        net->name);
    /* two ping-pong activation buffers as large as the largest map */
    uint64_t act = (uint64_t)erg_shape_count(r->first ? net->layers[r->first].in : net->input);
    for (int i = r->first; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        uint64_t o = map_bytes(l->out, l->out_kind);
        if (o > act) act = o;
    }
    act = align4(act);
    if (2 * act > r->info.lmem_bytes)
        return erg_fail(err,
                        "net '%s': two activation buffers of %llu bytes (its largest map) do not "
                        "fit unit '%s''s %u bytes of local memory (lmem in %s)",
                        net->name, (unsigned long long)act, r->chip->units[r->unit].name,
                        r->info.lmem_bytes, r->chip->path);
    uint32_t buf[2] = {0, (uint32_t)act};
    uint64_t at = 2 * act;
    int cur = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        const erg_layer_weights *lw = &r->wt->l[i];
        erg_amac_map_layer *ml = &r->l[i];
        ml->in_addr = buf[cur];
        if (i < r->first) {
            ml->where = ERG_AMAC_BEFORE;
            ml->out_addr = buf[cur];
            continue;
        }
        switch (l->type) {
        case ERG_L_CONV2D:
        case ERG_L_DEPTHWISE:
        case ERG_L_DENSE: {
            ml->where = ERG_AMAC_ON_UNIT;
            erg_drv_amac_layer *d = &ml->d;
            if (describe(l, lw, i == net->n_layers - 1, d, err)) return -1;
            erg_drv_amac_sizes sz;
            if (erg_drv_amac_layer_sizes(d, &sz, err)) {
                erg_error_prefix(err, "layer '%s'", l->name);
                return -1;
            }
            if (take(r, &at, sz.w, l, "weights", &d->w_addr, err)) return -1;
            if (sz.bias && take(r, &at, sz.bias, l, "bias", &d->bias_addr, err)) return -1;
            if (sz.m0 && take(r, &at, sz.m0, l, "requantization multipliers", &d->m0_addr, err))
                return -1;
            if (sz.shift && take(r, &at, sz.shift, l, "shifts", &d->shift_addr, err)) return -1;
            cur ^= 1;
            d->in_addr = ml->in_addr;
            d->out_addr = buf[cur];
            break;
        }
        case ERG_L_MAXPOOL:
            if (l->in_kind != ERG_V_U8)
                return erg_fail(err,
                                "layer '%s': max-pooling of %s values (the host pools uint8 "
                                "maps between amac layers)",
                                l->name, erg_vkind_name(l->in_kind));
            ml->where = ERG_AMAC_ON_HOST;
            cur ^= 1;
            break;
        case ERG_L_FLATTEN:
            ml->where = ERG_AMAC_VIEW;
            break;
        case ERG_L_AVGPOOL:
            return erg_fail(err,
                            "layer '%s': avgpool runs on no unit of chip '%s' (the amac unit "
                            "runs conv2d, depthwise and dense; the host max-pools)",
                            l->name, r->chip->name);
        }
        ml->out_addr = ml->where == ERG_AMAC_ON_UNIT ? ml->d.out_addr : buf[cur];
    }
    r->lmem_used = (uint32_t)at;
    return 0;
}

static int load_weights(erg_amac_runner *r, erg_error *err) {
    const erg_bus *bus = &r->be->bus;
    for (int i = 0; i < r->net->n_layers; i++) {
        const erg_amac_map_layer *ml = &r->l[i];
        if (ml->where != ERG_AMAC_ON_UNIT) continue;
        const erg_layer_weights *lw = &r->wt->l[i];
        const erg_drv_amac_layer *d = &ml->d;
        size_t oc = d->out_c;
        if (erg_drv_amac_write(bus, &r->info, d->w_addr, lw->w, lw->n_w, err) ||
            ((d->flags & ERG_AMAC_L_FLAGS_BIAS) &&
             erg_drv_amac_write_i32(bus, &r->info, d->bias_addr, lw->b, oc, err)) ||
            ((d->flags & ERG_AMAC_L_FLAGS_REQUANT) &&
             (erg_drv_amac_write_i32(bus, &r->info, d->m0_addr, lw->m0, oc, err) ||
              erg_drv_amac_write_i32(bus, &r->info, d->shift_addr, lw->shift, oc, err)))) {
            erg_error_prefix(err, "layer '%s'", r->net->layers[i].name);
            return -1;
        }
    }
    return 0;
}

/* The index in the unit's set of the user multiplier whose product table equals `table`; -1
 * when none does, -2 (with err) when a table cannot be read. */
static int user_mul_index(const erg_amac_runner *r, const uint16_t *table, erg_error *err) {
    const erg_unit_cfg *u = &r->chip->units[r->unit];
    uint16_t *t = malloc(65536 * sizeof *t);
    int found = -1;
    if (!t) {
        erg_fail(err, "out of memory");
        return -2;
    }
    for (int i = 0; i < r->info.n_mul && found == -1; i++) {
        int k = r->info.mul_ids[i] - ERG_AMAC_USER_ID0;
        if (k < 0 || k >= u->n_user_muls) continue;
        if (erg_chip_amac_user_table(u, k, t, err)) {
            found = -2;
            break;
        }
        if (memcmp(t, table, 65536 * sizeof *t) == 0) found = i;
    }
    free(t);
    return found;
}

int erg_amac_runner_set_op(erg_amac_runner *r, int op, erg_error *err) {
    const erg_net *net = r->net;
    if (op < 0 || op >= net->n_ops) return erg_fail(err, "no operating point %d", op);
    for (int i = 0; i < net->n_layers; i++) {
        erg_amac_map_layer *ml = &r->l[i];
        if (ml->where != ERG_AMAC_ON_UNIT) continue;
        const erg_net_mul *m = &net->muls[net->ops[op].mul[i]];
        const char *unit = r->chip->units[r->unit].name;
        int idx = m->builtin >= 0 ? erg_drv_amac_mul_index(&r->info, m->builtin)
                                  : user_mul_index(r, m->table, err);
        if (idx == -2) return -1;
        if (idx < 0) {
            char list[512] = "";
            size_t n = 0;
            for (int k = 0; k < r->info.n_mul && n < sizeof list; k++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", k ? ", " : "",
                                      r->mul_names[k]);
            return erg_fail(err,
                            "layer '%s' at op point '%s': unit '%s' has no multiplier '%s' (its "
                            "set: %s; `multipliers` in %s%s)",
                            net->layers[i].name, net->ops[op].name, unit, m->spec, list,
                            r->chip->path,
                            m->builtin < 0 ? ": a product table matches a set entry with the "
                                             "same 65,536 products"
                                           : "");
        }
        ml->next_mul = idx;
    }
    /* all found: only now switch, so a refused point leaves the previous one in place */
    for (int i = 0; i < net->n_layers; i++) {
        erg_amac_map_layer *ml = &r->l[i];
        if (ml->where != ERG_AMAC_ON_UNIT) continue;
        ml->mul_index = ml->next_mul;
        ml->d.mul = (uint32_t)ml->next_mul;
    }
    r->op = op;
    return 0;
}

int erg_amac_runner_init(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                         const erg_chip *chip, const char *backend, const char *trace_path, int op,
                         erg_error *err) {
    if (!erg_chip_has_amac(chip)) return erg_fail(err, "chip '%s' has no amac unit", chip->name);
    erg_backend *be = erg_backend_create(backend, chip, trace_path, err);
    if (!be) return -1;
    return erg_amac_runner_init_on(r, net, wt, chip, be, op, err);
}

static int init_on(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                   const erg_chip *chip, erg_backend *be, int op, int first, erg_error *err) {
    memset(r, 0, sizeof *r);
    r->first = first;
    r->net = net;
    r->chip = chip;
    r->wt = wt;
    r->be = be;
    r->unit = erg_chip_unit_of_kind(chip, ERG_UNIT_AMAC);
    if (r->unit < 0) {
        erg_fail(err, "chip '%s' has no amac unit", chip->name);
        goto fail;
    }
    const erg_layer *last = &net->layers[net->n_layers - 1];
    r->n_scores = (int)erg_shape_count(last->out);
    r->l = calloc((size_t)net->n_layers, sizeof *r->l);
    r->cnt = calloc((size_t)net->n_layers, sizeof *r->cnt);
    r->scores = calloc((size_t)r->n_scores, sizeof *r->scores);
    r->i32 = calloc((size_t)r->n_scores, sizeof *r->i32);
    uint64_t pool = (uint64_t)r->n_scores; /* pool_out also receives a uint8 last map */
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].type == ERG_L_MAXPOOL &&
            (uint64_t)erg_shape_count(net->layers[i].in) > pool)
            pool = (uint64_t)erg_shape_count(net->layers[i].in);
    r->pool_in = malloc(pool);
    r->pool_out = malloc(pool);
    if (!r->l || !r->cnt || !r->scores || !r->i32 || !r->pool_in || !r->pool_out) {
        erg_fail(err, "out of memory");
        goto fail;
    }
    if (erg_drv_amac_probe(&r->be->bus, chip->units[r->unit].base, &r->info, err)) goto fail;
    for (int k = 0; k < r->info.n_mul; k++)
        erg_chip_amac_mul_name(&chip->units[r->unit], k, r->mul_names[k], sizeof r->mul_names[k]);
    if (map_net(r, err) || load_weights(r, err) || erg_amac_runner_set_op(r, op, err)) goto fail;
    return 0;
fail:
    erg_amac_runner_free(r);
    return -1;
}

int erg_amac_runner_init_on(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                            const erg_chip *chip, erg_backend *be, int op, erg_error *err) {
    return init_on(r, net, wt, chip, be, op, 0, err);
}

int erg_amac_runner_init_back(erg_amac_runner *r, const erg_net *net, const erg_weights *wt,
                              const erg_chip *chip, const char *backend, int op, int first,
                              erg_error *err) {
    if (first < 0 || first >= net->n_layers)
        return erg_fail(err, "net '%s': no layer %d to start the back-end at", net->name,
                        first + 1);
    if (!erg_chip_has_amac(chip)) return erg_fail(err, "chip '%s' has no amac unit", chip->name);
    erg_backend *be = erg_backend_create(backend, chip, NULL, err);
    if (!be) return -1;
    return init_on(r, net, wt, chip, be, op, first, err);
}

/* The host's max-pooling of a uint8 map (valid windows, docs/numerics.md). */
static void host_maxpool(const erg_pool_geom *g, const uint8_t *in, uint8_t *out) {
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int ch = 0; ch < g->c; ch++) {
                uint8_t m = 0;
                for (int i = 0; i < g->size; i++)
                    for (int j = 0; j < g->size; j++) {
                        size_t y = (size_t)oh * g->stride + i, x = (size_t)ow * g->stride + j;
                        uint8_t v = in[(y * g->in_w + x) * g->c + ch];
                        m = v > m ? v : m;
                    }
                out[((size_t)oh * g->out_w + ow) * g->c + ch] = m;
            }
}

int erg_amac_runner_run(erg_amac_runner *r, const uint8_t *image, erg_error *err) {
    const erg_net *net = r->net;
    const erg_bus *bus = &r->be->bus;
    erg_shape in = r->first ? net->layers[r->first].in : net->input;
    if (erg_drv_amac_write(bus, &r->info, r->l[r->first].in_addr, image,
                           (size_t)erg_shape_count(in), err))
        return -1;
    for (int i = r->first; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        erg_amac_map_layer *ml = &r->l[i];
        memset(&r->cnt[i], 0, sizeof r->cnt[i]);
        int rc = 0;
        if (ml->where == ERG_AMAC_ON_UNIT) {
            /* generous bound: no layer that fits the local memory takes 2^40 cycles */
            rc = erg_drv_amac_run_layer(bus, &r->info, &ml->d, 1ull << 40, &r->cnt[i], err);
        } else if (ml->where == ERG_AMAC_ON_HOST) {
            rc = erg_drv_amac_read(bus, &r->info, ml->in_addr, r->pool_in,
                                   (size_t)erg_shape_count(l->in), err);
            if (!rc) {
                host_maxpool(&l->pool, r->pool_in, r->pool_out);
                rc = erg_drv_amac_write(bus, &r->info, ml->out_addr, r->pool_out,
                                        (size_t)erg_shape_count(l->out), err);
            }
        }
        if (rc || (r->after_layer && r->after_layer(r->after_ctx, r, i, err))) {
            erg_error_prefix(err, "layer '%s'", l->name);
            return -1;
        }
    }
    const erg_layer *last = &net->layers[net->n_layers - 1];
    uint32_t out = r->l[net->n_layers - 1].out_addr;
    if (last->out_kind == ERG_V_I32) {
        if (erg_drv_amac_read_i32(bus, &r->info, out, r->i32, (size_t)r->n_scores, err)) return -1;
        for (int k = 0; k < r->n_scores; k++) r->scores[k] = r->i32[k];
    } else {
        if (erg_drv_amac_read(bus, &r->info, out, r->pool_out, (size_t)r->n_scores, err)) return -1;
        for (int k = 0; k < r->n_scores; k++) r->scores[k] = r->pool_out[k];
    }
    int best = 0;
    for (int k = 1; k < r->n_scores; k++)
        if (r->scores[k] > r->scores[best]) best = k;
    return best;
}

uint64_t erg_amac_runner_cycles(const erg_amac_runner *r) {
    uint64_t c = 0;
    for (int i = r->first; i < r->net->n_layers; i++) {
        erg_mac_stats s;
        _Static_assert(sizeof s == sizeof r->cnt[i].v, "AMAC counters: driver and model differ");
        memcpy(&s, r->cnt[i].v, sizeof s);
        c += s.cycles;
    }
    return c;
}

double erg_amac_runner_mul_rel_energy(const erg_amac_runner *r, int layer) {
    const erg_amac_map_layer *ml = &r->l[layer];
    if (ml->where != ERG_AMAC_ON_UNIT) return 1.0;
    return r->chip->units[r->unit].mul_rel_energy[ml->mul_index];
}

const char *erg_amac_runner_mul_name(const erg_amac_runner *r, int layer) {
    const erg_amac_map_layer *ml = &r->l[layer];
    if (ml->where != ERG_AMAC_ON_UNIT) return "";
    return r->mul_names[ml->mul_index];
}

void erg_amac_runner_free(erg_amac_runner *r) {
    erg_backend_destroy(r->be);
    free(r->l);
    free(r->cnt);
    free(r->scores);
    free(r->i32);
    free(r->pool_in);
    free(r->pool_out);
    memset(r, 0, sizeof *r);
}
