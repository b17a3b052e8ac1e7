/* fwfe_net.c — a net config's front layers as an FWFE chain (fwfe_net.h): layer ranges, the
 * checks that decide whether a layer can be hard-wired, the golden reference of the range and
 * the cosim test vectors. */
#include "fwfe_net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "erg_golden.h"
#include "erg_rng.h"

/* ---- layer ranges ---- */

/* One end of a range: a 1-based index or a layer name. */
static int range_end(const erg_net *net, const char *s, size_t len, int *idx, erg_error *err) {
    char buf[ERG_NAME_MAX + 8];
    if (len == 0) return erg_fail(err, "empty layer in the range (expected FIRST..LAST)");
    if (len >= sizeof buf)
        return erg_fail(err, "no layer named '%.*s' in net '%s'", (int)len, s, net->name);
    memcpy(buf, s, len);
    buf[len] = 0;
    int digits = 1;
    for (size_t k = 0; k < len; k++) digits &= buf[k] >= '0' && buf[k] <= '9';
    if (digits) {
        long v = strtol(buf, NULL, 10);
        if (v < 1 || v > net->n_layers)
            return erg_fail(err, "layer index %s is outside 1..%d (net '%s' has %d layers)", buf,
                            net->n_layers, net->name, net->n_layers);
        *idx = (int)v - 1;
        return 0;
    }
    for (int i = 0; i < net->n_layers; i++)
        if (strcmp(net->layers[i].name, buf) == 0) {
            *idx = i;
            return 0;
        }
    const char **names = malloc((size_t)net->n_layers * sizeof *names);
    const char *near = NULL;
    if (names) {
        for (int i = 0; i < net->n_layers; i++) names[i] = net->layers[i].name;
        near = erg_nearest(buf, names, net->n_layers);
    }
    char list[512] = "";
    size_t used = 0;
    for (int i = 0; i < net->n_layers && used + 1 < sizeof list; i++) {
        int w =
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", net->layers[i].name);
        if (w < 0) break;
        used += (size_t)w;
    }
    int rc;
    if (near)
        rc = erg_fail(err, "no layer named '%s' in net '%s' (did you mean '%s'? layers: %s)", buf,
                      net->name, near, list);
    else
        rc = erg_fail(err, "no layer named '%s' in net '%s' (layers: %s)", buf, net->name, list);
    free(names);
    return rc;
}

int erg_fwfe_net_range(const erg_net *net, const char *spec, int *first, int *last,
                       erg_error *err) {
    if (!spec || !*spec) return erg_fail(err, "empty layer range (expected FIRST..LAST)");
    const char *dots = strstr(spec, "..");
    if (!dots) {
        if (range_end(net, spec, strlen(spec), first, err)) return -1;
        *last = *first;
        return 0;
    }
    if (range_end(net, spec, (size_t)(dots - spec), first, err) ||
        range_end(net, dots + 2, strlen(dots + 2), last, err))
        return -1;
    if (*first > *last)
        return erg_fail(err,
                        "layer range %s runs backwards: '%s' is layer %d, '%s' layer %d (write "
                        "FIRST..LAST in network order)",
                        spec, net->layers[*first].name, *first + 1, net->layers[*last].name,
                        *last + 1);
    return 0;
}

/* ---- net layers -> FWFE layers ---- */

/* Why layer i cannot be hard-wired, or 0 if it can. */
static int check_fixable(const erg_net *net, const erg_weights *wt, int i, erg_error *err) {
    const erg_layer *l = &net->layers[i];
    const char *type = erg_layer_type_name(l->type);
    if (l->type != ERG_L_CONV2D && l->type != ERG_L_DEPTHWISE)
        return erg_fail(err,
                        "layer %d '%s' (%s) cannot be fixed: the FWFE hard-wires int8 conv2d and "
                        "depthwise layers only; end the range before it",
                        i + 1, l->name, type);
    if (l->in_kind == ERG_V_BIN || l->weight_bits != 8 || l->act_bits != 8)
        return erg_fail(err,
                        "layer %d '%s' (%s, weight_bits = %d, act_bits = %d) cannot be fixed: the "
                        "FWFE hard-wires int8 layers (8, 8) on uint8 activations",
                        i + 1, l->name, type, l->weight_bits, l->act_bits);
    if (l->act != ERG_ACT_RELU)
        return erg_fail(err,
                        "layer %d '%s' (%s) cannot be fixed: activation \"%s\" gives int32 "
                        "scores, the FWFE requantizes every layer to uint8 (\"relu\")",
                        i + 1, l->name, type, erg_act_name(l->act));
    if (net->n_ops > 0 && net->ops[0].mul && net->ops[0].mul[i] >= 0 &&
        !net->muls[net->ops[0].mul[i]].exact)
        return erg_fail(err,
                        "layer %d '%s' (%s) cannot be fixed: it multiplies with '%s' at the "
                        "default operating point '%s'; the FWFE's shift-add products are exact",
                        i + 1, l->name, type, net->muls[net->ops[0].mul[i]].spec, net->ops[0].name);
    const erg_layer_weights *lw = wt && i < wt->n ? &wt->l[i] : NULL;
    if (!lw || !lw->w || !lw->m0 || !lw->shift)
        return erg_fail(err, "layer %d '%s' (%s) cannot be fixed: its weights are missing", i + 1,
                        l->name, type);
    return 0;
}

int erg_fwfe_net_layers(const erg_net *net, const erg_weights *wt, int first, int last,
                        int acc_bits, int tree, erg_fwfe_layer *ls, erg_error *err) {
    if (first < 0 || last >= net->n_layers || first > last)
        return erg_fail(err, "layer range %d..%d is outside 1..%d", first + 1, last + 1,
                        net->n_layers);
    for (int i = first; i <= last; i++) {
        if (check_fixable(net, wt, i, err)) return -1;
        const erg_layer *l = &net->layers[i];
        const erg_layer_weights *lw = &wt->l[i];
        erg_fwfe_layer *o = &ls[i - first];
        memset(o, 0, sizeof *o);
        o->name = l->name;
        o->type = erg_layer_type_name(l->type);
        o->geom = l->conv;
        o->w = lw->w;
        o->bias = lw->b;
        o->m0 = lw->m0;
        o->shift = lw->shift;
        o->zp = l->zero_point;
        o->acc_bits = acc_bits;
        o->tree = tree;
    }
    return 0;
}

erg_fwfe *erg_fwfe_net_build(const erg_net *net, const erg_weights *wt, int first, int last,
                             int acc_bits, int tree, erg_error *err) {
    if (first < 0 || last >= net->n_layers || first > last) {
        erg_fail(err, "layer range %d..%d is outside 1..%d", first + 1, last + 1, net->n_layers);
        return NULL;
    }
    int n = last - first + 1;
    erg_fwfe_layer *ls = calloc((size_t)n, sizeof *ls);
    if (!ls) {
        erg_fail(err, "out of memory");
        return NULL;
    }
    erg_fwfe *f = NULL;
    if (erg_fwfe_net_layers(net, wt, first, last, acc_bits, tree, ls, err) == 0) {
        f = erg_fwfe_build(ls, n, err);
        if (!f)
            erg_error_prefix(err, "net '%s', layers %s..%s", net->name, net->layers[first].name,
                             net->layers[last].name);
    }
    free(ls);
    return f;
}

/* ---- golden reference ---- */

int erg_fwfe_net_golden(const erg_net *net, const erg_weights *wt, int first, int last,
                        const uint8_t *in, uint8_t *out, erg_error *err) {
    size_t max_out = 1; /* values of the largest layer output: activations and accumulators */
    for (int i = first; i <= last; i++) {
        size_t a = (size_t)erg_shape_count(net->layers[i].out);
        if (a > max_out) max_out = a;
    }
    uint8_t *buf[2] = {malloc(max_out), malloc(max_out)};
    int32_t *acc = malloc(max_out * sizeof *acc);
    int rc = 0;
    if (!buf[0] || !buf[1] || !acc) {
        rc = erg_fail(err, "out of memory");
        goto done;
    }
    const uint8_t *cur = in;
    for (int i = first; i <= last; i++) {
        const erg_layer *l = &net->layers[i];
        const erg_layer_weights *lw = &wt->l[i];
        uint8_t *o = i == last ? out : buf[(i - first) & 1];
        if (l->type == ERG_L_DEPTHWISE)
            erg_golden_depthwise(&l->conv, cur, lw->w, lw->b, NULL, acc);
        else
            erg_golden_conv2d(&l->conv, cur, lw->w, lw->b, NULL, acc);
        erg_golden_requant((size_t)l->out.h * l->out.w, l->out.c, acc, lw->m0, lw->shift,
                           l->zero_point, o);
        cur = o;
    }
done:
    free(buf[0]);
    free(buf[1]);
    free(acc);
    return rc;
}

/* ---- test vectors ---- */

static void put_row(FILE *o, const uint8_t *v, size_t n) {
    for (size_t k = 0; k < n; k++) fprintf(o, "%s%u", k ? " " : "", v[k]);
    fputc('\n', o);
}

int erg_fwfe_net_vectors(const erg_net *net, const erg_weights *wt, int first, int last,
                         const erg_fwfe *f, int frames, uint64_t seed, FILE *out, erg_error *err) {
    int n = erg_fwfe_layer_count(f);
    const erg_conv_geom *g0 = erg_fwfe_layer_geom(f, 0), *gn = erg_fwfe_layer_geom(f, n - 1);
    erg_fwfe_stats *st = calloc((size_t)n, sizeof *st);
    if (!st) return erg_fail(err, "out of memory");
    uint64_t cycles = erg_fwfe_timing(f, st);
    int hp = st[0].grid_h, wp = st[0].grid_w;
    const uint64_t *at = erg_fwfe_out_cycles(f, n - 1);
    size_t n_in = (size_t)g0->in_h * g0->in_w * g0->in_c;
    size_t n_grid = (size_t)hp * wp * g0->in_c;
    size_t n_pix = (size_t)gn->out_h * gn->out_w, n_out = n_pix * gn->out_c;
    uint8_t *in = malloc(n_in), *grid = malloc(n_grid), *mo = malloc(n_out), *go = malloc(n_out);
    int rc = 0;
    if (!in || !grid || !mo || !go) {
        rc = erg_fail(err, "out of memory");
        goto done;
    }
    fprintf(out,
            "# erg fwfe vectors: net '%s', layers %s..%s; format in docs/fwfe.md (\"Cosim\")\n"
            "erg_fwfe_vectors 2\ngrid %d %d %d\nout %d %d %d\ncycles %llu\nframes %d\n"
            "period %llu\n",
            net->name, net->layers[first].name, net->layers[last].name, hp, wp, g0->in_c, gn->out_h,
            gn->out_w, gn->out_c, (unsigned long long)cycles, frames,
            (unsigned long long)erg_fwfe_period(f));
    for (int k = 0; k < frames && !rc; k++) {
        erg_rng r;
        erg_rng_seed(&r, erg_rng_derive(seed, (uint64_t)k));
        for (size_t q = 0; q < n_in; q++) in[q] = (uint8_t)erg_rng_range(&r, 0, 255);
        if (erg_fwfe_run(f, in, mo, NULL) != cycles) {
            rc = erg_fail(err, "fwfe: out of memory running frame %d", k);
            break;
        }
        if (erg_fwfe_net_golden(net, wt, first, last, in, go, err)) {
            rc = -1;
            break;
        }
        for (size_t q = 0; q < n_out; q++)
            if (mo[q] != go[q]) {
                size_t p = q / gn->out_c;
                rc = erg_fail(err,
                              "fwfe C model differs from golden: frame %d (seed %llu), layer "
                              "'%s' output (%zu, %zu) channel %zu: golden %u, C model %u",
                              k, (unsigned long long)seed, net->layers[last].name, p / gn->out_w,
                              p % gn->out_w, q % gn->out_c, go[q], mo[q]);
                rc = 1;
                break;
            }
        if (rc) break;
        memset(grid, 0, n_grid);
        for (int row = 0; row < g0->in_h; row++)
            memcpy(grid + ((size_t)(row + g0->pad_top) * wp + g0->pad_left) * g0->in_c,
                   in + (size_t)row * g0->in_w * g0->in_c, (size_t)g0->in_w * g0->in_c);
        fprintf(out, "frame %d\n", k);
        for (int row = 0; row < hp; row++)
            put_row(out, grid + (size_t)row * wp * g0->in_c, (size_t)wp * g0->in_c);
        for (int row = 0; row < gn->out_h; row++)
            put_row(out, mo + (size_t)row * gn->out_w * gn->out_c, (size_t)gn->out_w * gn->out_c);
        for (int row = 0; row < gn->out_h; row++)
            for (int c = 0; c < gn->out_w; c++)
                fprintf(out, "%llu%c", (unsigned long long)at[(size_t)row * gn->out_w + c],
                        c + 1 < gn->out_w ? ' ' : '\n');
    }
    if (!rc) { /* the same frames back to back, one every period: every output's cycle */
        uint64_t *sc = malloc((size_t)frames * n_pix * sizeof *sc);
        if (!sc)
            rc = erg_fail(err, "out of memory");
        else if (erg_fwfe_stream(f, frames, erg_fwfe_period(f), sc, err))
            rc = -1;
        else {
            fprintf(out, "stream\n");
            for (size_t q = 0; q < (size_t)frames * n_pix; q++)
                fprintf(out, "%llu%c", (unsigned long long)sc[q],
                        (q + 1) % n_pix == 0 ? '\n' : ' ');
        }
        free(sc);
    }
    if (!rc && ferror(out)) rc = erg_fail(err, "writing the vectors: %s", strerror(errno));
done:
    free(st);
    free(in);
    free(grid);
    free(mo);
    free(go);
    return rc;
}

double erg_fwfe_layer_macs(const erg_fwfe *f, int i) {
    const erg_conv_geom *g = erg_fwfe_layer_geom(f, i);
    return (double)g->out_h * g->out_w * g->out_c * g->k_h * g->k_w *
           (erg_fwfe_layer_depthwise(f, i) ? 1.0 : (double)g->in_c);
}

void erg_fwfe_ppa_chain(const erg_fwfe *f, erg_fwfe_ppa *out, erg_fwfe_ppa *total) {
    int n = erg_fwfe_layer_count(f);
    erg_fwfe_stats *st = calloc((size_t)n, sizeof *st);
    erg_fwfe_ppa t;
    memset(&t, 0, sizeof t);
    if (st) erg_fwfe_timing(f, st);
    for (int i = 0; st && i < n; i++) {
        erg_fwfe_ppa_in in = {.nonzero_weights = st[i].nonzero_weights,
                              .storage_bits =
                                  st[i].line_buffer_bits + st[i].window_bits + st[i].tree_reg_bits,
                              .outputs = st[i].outputs,
                              .beats = st[i].beats_in,
                              .macs = erg_fwfe_layer_macs(f, i)};
        erg_fwfe_ppa_layer(&in, &out[i]);
        erg_fwfe_ppa_add(&t, &out[i]);
    }
    free(st);
    if (total) *total = t;
}
