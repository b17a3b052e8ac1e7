/* erg_fwfe.c — the FWFE C model of erg_fwfe.h: compiling a chain (CSD terms, balanced binary or
 * carry-save adder trees and their widths, checks), its data-independent beat schedule (cycles,
 * counters) and the shift-add data path of a frame. */
#include "erg_fwfe_int.h"

#include <stdlib.h>
#include <string.h>

#include "erg_quant.h"

static char *dup_str(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void *dup_mem(const void *p, size_t n) {
    void *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

static void free_tree(fwfe_tree *t, int L) {
    free(t->leaves);
    if (t->levels)
        for (int l = 1; l <= L; l++) free(t->levels[l]);
    free(t->levels);
    free(t->level_n);
}

void erg_fwfe_free(erg_fwfe *f) {
    if (!f) return;
    for (int i = 0; i < f->n; i++) {
        fwfe_clayer *c = &f->l[i];
        if (c->trees)
            for (int oc = 0; oc < c->g.out_c; oc++) free_tree(&c->trees[oc], c->L);
        free(c->trees);
        free(c->name);
        free(c->w);
        free(c->bias);
        free(c->m0);
        free(c->shift);
        free(c->out_cycle);
        free(c->tap_start);
        free(c->tap_off);
        free(c->tap_coef);
        free(c->tap_const);
    }
    free(f->l);
    free(f);
}

int erg_fwfe_layer_count(const erg_fwfe *f) {
    return f->n;
}

const erg_conv_geom *erg_fwfe_layer_geom(const erg_fwfe *f, int i) {
    return i >= 0 && i < f->n ? &f->l[i].g : NULL;
}

const char *erg_fwfe_layer_name(const erg_fwfe *f, int i) {
    return i >= 0 && i < f->n ? f->l[i].name : NULL;
}

int erg_fwfe_layer_depthwise(const erg_fwfe *f, int i) {
    return i >= 0 && i < f->n && f->l[i].dw;
}

int erg_fwfe_layer_tree(const erg_fwfe *f, int i) {
    return i >= 0 && i < f->n ? f->l[i].tree : ERG_FWFE_TREE_BINARY;
}

static const char *const TREE_NAMES[ERG_FWFE_TREE_STYLES] = {"binary", "csa"};

const char *erg_fwfe_tree_name(int tree) {
    return tree >= 0 && tree < ERG_FWFE_TREE_STYLES ? TREE_NAMES[tree] : NULL;
}

int erg_fwfe_tree_parse(const char *name) {
    for (int i = 0; name && i < ERG_FWFE_TREE_STYLES; i++)
        if (!strcmp(name, TREE_NAMES[i])) return i;
    return -1;
}

/* ---- checks ---- */

static int check_layer(const erg_fwfe_layer *l, int idx, erg_error *err) {
    const char *nm = l->name ? l->name : "(unnamed)";
    if (!l->type || (strcmp(l->type, "conv2d") && strcmp(l->type, "depthwise")))
        return erg_fail(err,
                        "fwfe: layer %d '%s': type '%s' cannot be fixed (supported: conv2d, "
                        "depthwise)",
                        idx, nm, l->type ? l->type : "(none)");
    if (!l->w) return erg_fail(err, "fwfe: layer %d '%s': weights missing", idx, nm);
    if (!l->m0 || !l->shift)
        return erg_fail(err, "fwfe: layer %d '%s': requantization (m0, shift) missing", idx, nm);
    const erg_conv_geom *g = &l->geom;
    if (g->in_h < 1 || g->in_w < 1 || g->in_c < 1 || g->k_h < 1 || g->k_w < 1 || g->stride < 1 ||
        g->out_c < 1 || g->out_h < 1 || g->out_w < 1 || g->pad_top < 0 || g->pad_bottom < 0 ||
        g->pad_left < 0 || g->pad_right < 0)
        return erg_fail(err, "fwfe: layer %d '%s': empty or negative geometry", idx, nm);
    int64_t hp = (int64_t)g->pad_top + g->in_h + g->pad_bottom;
    int64_t wp = (int64_t)g->pad_left + g->in_w + g->pad_right;
    if (hp < g->k_h || wp < g->k_w || g->out_h != (hp - g->k_h) / g->stride + 1 ||
        g->out_w != (wp - g->k_w) / g->stride + 1)
        return erg_fail(err,
                        "fwfe: layer %d '%s': geometry is inconsistent (output %dx%d for input "
                        "%dx%d, kernel %dx%d, stride %d); use erg_conv_geom_init",
                        idx, nm, g->out_h, g->out_w, g->in_h, g->in_w, g->k_h, g->k_w, g->stride);
    if (hp > 65536 || wp > 65536 || (int64_t)g->in_c * 8 > 65536 || (int64_t)g->out_c * 8 > 65536)
        return erg_fail(err, "fwfe: layer %d '%s': grid %lldx%lld or channels too large", idx, nm,
                        (long long)hp, (long long)wp);
    if (!strcmp(l->type, "depthwise") && g->out_c != g->in_c)
        return erg_fail(err, "fwfe: layer %d '%s': depthwise with %d input but %d output channels",
                        idx, nm, g->in_c, g->out_c);
    if (l->acc_bits != 0 && (l->acc_bits < 2 || l->acc_bits > ERG_FWFE_MAX_ACC_BITS))
        return erg_fail(err, "fwfe: layer %d '%s': acc_bits = %d, must be 2 ... %d (or 0)", idx, nm,
                        l->acc_bits, ERG_FWFE_MAX_ACC_BITS);
    if (!erg_fwfe_tree_name(l->tree))
        return erg_fail(err, "fwfe: layer %d '%s': tree style %d, must be %d (binary) or %d (csa)",
                        idx, nm, l->tree, ERG_FWFE_TREE_BINARY, ERG_FWFE_TREE_CSA);
    for (int oc = 0; oc < g->out_c; oc++) {
        if (l->shift[oc] < 0 || l->shift[oc] > 31)
            return erg_fail(err, "fwfe: layer %d '%s': channel %d shift %d outside 0 ... 31", idx,
                            nm, oc, (int)l->shift[oc]);
        /* SRDHM saturates only for INT32_MIN x INT32_MIN; leaving m0 = -1.0 out keeps the
         * generated requantization free of that special case. */
        if (l->m0[oc] == INT32_MIN)
            return erg_fail(err, "fwfe: layer %d '%s': channel %d m0 = INT32_MIN is not supported",
                            idx, nm, oc);
    }
    return 0;
}

/* ---- trees ---- */

static void leaf_range(fwfe_leaf *lf) {
    if (lf->is_const) {
        lf->lo = lf->hi = lf->cval;
    } else {
        int64_t m = (int64_t)255 << lf->shift;
        lf->lo = lf->neg ? -m : 0;
        lf->hi = lf->neg ? 0 : m;
    }
    lf->width = erg_fwfe_range_width(lf->lo, lf->hi);
}

/* The leaves of output channel oc in a fixed order (kh, kw, ic, digit position), then the bias.
 * Returns the count (0 if the channel has no terms); leaves may be NULL to count only. */
static int channel_leaves(const fwfe_clayer *c, int oc, fwfe_leaf *leaves) {
    const erg_conv_geom *g = &c->g;
    int n = 0;
    int cin = c->dw ? 1 : g->in_c;
    for (int kh = 0; kh < g->k_h; kh++)
        for (int kw = 0; kw < g->k_w; kw++)
            for (int i = 0; i < cin; i++) {
                int8_t wv = c->w[(((size_t)oc * g->k_h + kh) * g->k_w + kw) * cin + i];
                int8_t d[ERG_FWFE_CSD_DIGITS];
                erg_fwfe_csd(wv, d);
                for (int b = 0; b < ERG_FWFE_CSD_DIGITS; b++) {
                    if (!d[b]) continue;
                    if (leaves) {
                        fwfe_leaf *lf = &leaves[n];
                        memset(lf, 0, sizeof *lf);
                        lf->kh = kh, lf->kw = kw, lf->ic = c->dw ? oc : i;
                        lf->shift = b, lf->neg = d[b] < 0;
                        leaf_range(lf);
                    }
                    n++;
                }
            }
    if (c->bias && c->bias[oc] != 0) {
        if (leaves) {
            fwfe_leaf *lf = &leaves[n];
            memset(lf, 0, sizeof *lf);
            lf->is_const = 1, lf->cval = c->bias[oc];
            leaf_range(lf);
        }
        n++;
    }
    return n;
}

static int ceil_log2(int n) {
    int l = 0;
    while ((1 << l) < n) l++;
    return l;
}

/* A carry-save level: n vectors -> 2 floor(n/3) + n mod 3. */
static int csa_step(int n) {
    return 2 * (n / 3) + n % 3;
}

/* erg_fwfe.h "Adder trees": binary ceil(log2 n); carry-save the 3:2 levels until <= 2 vectors
 * remain, plus the final carry-propagate level if two do. By hand: n = 1 -> 0; 2 -> 0 + 1;
 * 3 -> 2 is one 3:2 level, + 1 = 2; 4 -> 3 -> 2: 3; 5 -> 4 -> 3 -> 2: 4; 6 -> 4 -> 3 -> 2: 4;
 * 9 -> 6 -> 4 -> 3 -> 2: 5; 25 -> 17 -> 12 -> 8 -> 6 -> 4 -> 3 -> 2: 8. */
int erg_fwfe_tree_levels(int tree, int n) {
    if (n < 1) n = 1;
    if (tree != ERG_FWFE_TREE_CSA) return ceil_log2(n);
    int l = 0;
    for (; n > 2; l++) n = csa_step(n);
    return l + (n == 2);
}

/* Builds the levels 1 ... L of a tree whose leaves are set: node i of level l adds nodes 2i and
 * 2i + 1 of level l - 1 (an odd last node is copied). */
static int build_levels(fwfe_tree *t, int L) {
    t->level_n = calloc((size_t)L + 1, sizeof *t->level_n);
    t->levels = calloc((size_t)L + 1, sizeof *t->levels);
    if (!t->level_n || !t->levels) return -1;
    t->level_n[0] = t->n_leaves;
    for (int l = 1; l <= L; l++) {
        int prev = t->level_n[l - 1], m = (prev + 1) / 2;
        t->level_n[l] = m;
        t->levels[l] = calloc((size_t)m, sizeof(fwfe_node));
        if (!t->levels[l]) return -1;
        for (int i = 0; i < m; i++) {
            fwfe_node *nd = &t->levels[l][i];
            int a = 2 * i, b = 2 * i + 1 < prev ? 2 * i + 1 : -1;
            int64_t alo, ahi, blo = 0, bhi = 0;
            if (l == 1) {
                alo = t->leaves[a].lo, ahi = t->leaves[a].hi;
                if (b >= 0) blo = t->leaves[b].lo, bhi = t->leaves[b].hi;
            } else {
                alo = t->levels[l - 1][a].lo, ahi = t->levels[l - 1][a].hi;
                if (b >= 0) blo = t->levels[l - 1][b].lo, bhi = t->levels[l - 1][b].hi;
            }
            nd->kind = FWFE_NODE_ADD;
            nd->a = a, nd->b = b, nd->c = -1;
            nd->lo = alo + blo, nd->hi = ahi + bhi;
            nd->width = erg_fwfe_range_width(nd->lo, nd->hi);
        }
    }
    if (L == 0) {
        t->lo = t->leaves[0].lo, t->hi = t->leaves[0].hi, t->width = t->leaves[0].width;
    } else {
        t->lo = t->levels[L][0].lo, t->hi = t->levels[L][0].hi, t->width = t->levels[L][0].width;
    }
    return 0;
}

/* The carry-save levels 1 ... L (erg_fwfe.h "Adder trees"): while more than two vectors remain,
 * group g of a level compresses vectors 3g, 3g + 1, 3g + 2 into its nodes 2g (sum) and 2g + 1
 * (carry) and the n mod 3 left over are copied behind them; two vectors are added, one is copied
 * (the root, up to level L). Every node is the root's width. */
static int build_levels_csa(fwfe_tree *t, int L) {
    t->level_n = calloc((size_t)L + 1, sizeof *t->level_n);
    t->levels = calloc((size_t)L + 1, sizeof *t->levels);
    if (!t->level_n || !t->levels) return -1;
    t->lo = t->hi = 0;
    for (int i = 0; i < t->n_leaves; i++) t->lo += t->leaves[i].lo, t->hi += t->leaves[i].hi;
    t->width = erg_fwfe_range_width(t->lo, t->hi);
    t->level_n[0] = t->n_leaves;
    for (int l = 1; l <= L; l++) {
        int prev = t->level_n[l - 1], m = prev > 2 ? csa_step(prev) : 1;
        t->level_n[l] = m;
        t->levels[l] = calloc((size_t)m, sizeof(fwfe_node));
        if (!t->levels[l]) return -1;
        for (int i = 0; i < m; i++) {
            fwfe_node *nd = &t->levels[l][i];
            nd->lo = t->lo, nd->hi = t->hi, nd->width = t->width;
            nd->b = nd->c = -1;
            if (prev <= 2) { /* the final adder, or the root copied */
                nd->kind = FWFE_NODE_ADD;
                nd->a = 0, nd->b = prev == 2 ? 1 : -1;
            } else if (i < 2 * (prev / 3)) {
                int g = i / 2;
                nd->kind = i % 2 ? FWFE_NODE_CARRY : FWFE_NODE_SUM;
                nd->a = 3 * g, nd->b = 3 * g + 1, nd->c = 3 * g + 2;
            } else { /* a left-over vector copied */
                nd->kind = FWFE_NODE_ADD;
                nd->a = 3 * (prev / 3) + (i - 2 * (prev / 3));
            }
        }
    }
    return 0;
}

/* The taps form of every channel's leaves (fwfe_clayer.tap_*): the leaves are in (kh, kw, ic,
 * digit) order, so the digits of one weight are adjacent and merge into one coefficient. */
static int merge_taps(fwfe_clayer *c, int idx, erg_error *err) {
    const erg_conv_geom *g = &c->g;
    size_t n = 0;
    for (int oc = 0; oc < g->out_c; oc++) n += (size_t)c->trees[oc].n_leaves;
    c->tap_start = calloc((size_t)g->out_c + 1, sizeof *c->tap_start);
    c->tap_off = malloc((n ? n : 1) * sizeof *c->tap_off);
    c->tap_coef = malloc((n ? n : 1) * sizeof *c->tap_coef);
    c->tap_const = calloc((size_t)g->out_c, sizeof *c->tap_const);
    if (!c->tap_start || !c->tap_off || !c->tap_coef || !c->tap_const)
        return erg_fail(err, "fwfe: layer %d '%s': out of memory", idx, c->name);
    int k = 0;
    for (int oc = 0; oc < g->out_c; oc++) {
        const fwfe_tree *t = &c->trees[oc];
        c->tap_start[oc] = k;
        for (int i = 0; i < t->n_leaves; i++) {
            const fwfe_leaf *lf = &t->leaves[i];
            if (lf->is_const) {
                c->tap_const[oc] += lf->cval;
                continue;
            }
            int32_t off = (int32_t)(((int64_t)lf->kh * c->wp + lf->kw) * g->in_c + lf->ic);
            int32_t v = (int32_t)1 << lf->shift;
            if (lf->neg) v = -v;
            if (k > c->tap_start[oc] && c->tap_off[k - 1] == off)
                c->tap_coef[k - 1] += v;
            else
                c->tap_off[k] = off, c->tap_coef[k++] = v;
        }
    }
    c->tap_start[g->out_c] = k;
    return 0;
}

static int compile_layer(fwfe_clayer *c, const erg_fwfe_layer *l, int idx, erg_error *err) {
    const erg_conv_geom *g = &l->geom;
    c->g = *g;
    c->dw = !strcmp(l->type, "depthwise");
    c->tree = l->tree;
    c->hp = g->pad_top + g->in_h + g->pad_bottom;
    c->wp = g->pad_left + g->in_w + g->pad_right;
    size_t nw = (size_t)g->out_c * g->k_h * g->k_w * (c->dw ? 1 : g->in_c);
    size_t nc = (size_t)g->out_c * sizeof(int32_t);
    c->name = dup_str(l->name ? l->name : "(unnamed)");
    c->w = dup_mem(l->w, nw);
    c->bias = l->bias ? dup_mem(l->bias, nc) : NULL;
    c->m0 = dup_mem(l->m0, nc);
    c->shift = dup_mem(l->shift, nc);
    c->zp = l->zp;
    c->trees = calloc((size_t)g->out_c, sizeof *c->trees);
    if (!c->name || !c->w || (l->bias && !c->bias) || !c->m0 || !c->shift || !c->trees)
        return erg_fail(err, "fwfe: layer %d '%s': out of memory", idx, c->name);
    int max_leaves = 1, max_levels = 0;
    for (int oc = 0; oc < g->out_c; oc++) {
        fwfe_tree *t = &c->trees[oc];
        int n = channel_leaves(c, oc, NULL);
        t->leaves = calloc((size_t)(n ? n : 1), sizeof *t->leaves);
        if (!t->leaves) return erg_fail(err, "fwfe: layer %d '%s': out of memory", idx, c->name);
        channel_leaves(c, oc, t->leaves);
        if (n == 0) { /* no terms: the accumulator is the constant 0 */
            t->leaves[0].is_const = 1;
            leaf_range(&t->leaves[0]);
            n = 1;
        }
        t->n_leaves = n;
        if (n > max_leaves) max_leaves = n;
        int lv = erg_fwfe_tree_levels(c->tree, n);
        if (lv > max_levels) max_levels = lv;
    }
    c->L = c->tree == ERG_FWFE_TREE_CSA ? max_levels : ceil_log2(max_leaves);
    c->D = 1 + c->L + 2;
    int acc_bits = l->acc_bits ? l->acc_bits : ERG_FWFE_MAX_ACC_BITS;
    erg_fwfe_stats *st = &c->st;
    memset(st, 0, sizeof *st);
    for (int oc = 0; oc < g->out_c; oc++) {
        fwfe_tree *t = &c->trees[oc];
        if (c->tree == ERG_FWFE_TREE_CSA ? build_levels_csa(t, c->L) : build_levels(t, c->L))
            return erg_fail(err, "fwfe: layer %d '%s': out of memory", idx, c->name);
        for (int lv = 1; lv <= c->L; lv++)
            for (int i = 0; i < t->level_n[lv]; i++) {
                const fwfe_node *nd = &t->levels[lv][i];
                if (nd->width > acc_bits)
                    return erg_fail(err,
                                    "fwfe: layer %d '%s': channel %d needs a %d-bit adder (range "
                                    "%lld ... %lld), more than the %d-bit adder width",
                                    idx, c->name, oc, nd->width, (long long)nd->lo,
                                    (long long)nd->hi, acc_bits);
                st->tree_reg_bits += (uint64_t)nd->width;
                /* a two-input adder, or a 3:2 compressor (counted at its sum node) */
                if ((nd->kind == FWFE_NODE_ADD && nd->b >= 0) || nd->kind == FWFE_NODE_SUM) {
                    st->adders++;
                    st->adder_bits += (uint64_t)nd->width;
                    st->adders_by_width[nd->width]++;
                }
            }
        if (t->width > acc_bits)
            return erg_fail(err,
                            "fwfe: layer %d '%s': channel %d accumulator needs %d bits (range %lld "
                            "... %lld), more than the %d-bit adder width",
                            idx, c->name, oc, t->width, (long long)t->lo, (long long)t->hi,
                            acc_bits);
        int terms = channel_leaves(c, oc, NULL);
        st->terms += (uint64_t)terms;
        st->csd_digits += (uint64_t)(terms - (c->bias && c->bias[oc] != 0));
    }
    for (size_t i = 0; i < nw; i++) st->nonzero_weights += c->w[i] != 0;
    st->window_bits = (uint64_t)g->k_h * g->k_w * g->in_c * 8;
    st->line_buffer_bits = (uint64_t)(g->k_h - 1) * c->wp * g->in_c * 8;
    st->tree_depth = c->L;
    st->latency = c->D;
    st->grid_h = c->hp;
    st->grid_w = c->wp;
    return merge_taps(c, idx, err);
}

/* ---- the schedule (erg_fwfe.h "The stream", "Cycle equation") ---- */

/* Fills out_cycle of layer c from the cycles its input beats arrive (arrive[p], p over the
 * padded grid) and the activity counters. */
static void layer_schedule(fwfe_clayer *c, const uint64_t *arrive) {
    const erg_conv_geom *g = &c->g;
    erg_fwfe_stats *st = &c->st;
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++) {
            size_t p = (size_t)(oh * g->stride + g->k_h - 1) * c->wp + ow * g->stride + g->k_w - 1;
            c->out_cycle[(size_t)oh * g->out_w + ow] = arrive[p] + (uint64_t)c->D;
        }
    uint64_t beats = (uint64_t)c->hp * c->wp, outs = (uint64_t)g->out_h * g->out_w;
    uint64_t col = (uint64_t)g->in_c * 8;
    st->beats_in = beats;
    st->outputs = outs;
    st->add_ops = st->adders * outs;
    /* window registers on every beat; tree levels, the 64-bit product and the 8-bit output
     * register of every channel on every output */
    st->reg_bits_written = beats * st->window_bits + outs * (st->tree_reg_bits + g->out_c * 72u);
    st->lb_bits_read = st->lb_bits_written = beats * (uint64_t)(g->k_h - 1) * col;
    st->requant_ops = outs * (uint64_t)g->out_c;
    st->first_out_cycle = c->out_cycle[0];
    st->last_out_cycle = c->out_cycle[outs - 1];
}

/* The greedy output formatter of layer c: the cycles layer c + 1's beats arrive. Returns -1 with a
 * message if a real output meets a padding beat still owed. */
static int formatter(const fwfe_clayer *c, const fwfe_clayer *next, uint64_t *arrive,
                     uint64_t *pads, erg_error *err) {
    const erg_conv_geom *ng = &next->g;
    size_t n_out = (size_t)c->g.out_h * c->g.out_w, j = 0;
    int64_t prev = -1;
    *pads = 0;
    for (int r = 0; r < next->hp; r++)
        for (int col = 0; col < next->wp; col++) {
            size_t p = (size_t)r * next->wp + col;
            int real = r >= ng->pad_top && r < ng->pad_top + ng->in_h && col >= ng->pad_left &&
                       col < ng->pad_left + ng->in_w;
            if (real) {
                arrive[p] = c->out_cycle[j++];
                prev = (int64_t)arrive[p];
            } else {
                int64_t t = prev + 1;
                if (j < n_out && (uint64_t)t >= c->out_cycle[j])
                    return erg_fail(err,
                                    "fwfe: layer '%s': no idle output cycle for the padding of "
                                    "layer '%s' (grid %d,%d) before output %zu (cycle %llu)",
                                    c->name, next->name, r, col, j,
                                    (unsigned long long)c->out_cycle[j]);
                arrive[p] = (uint64_t)t;
                prev = t;
                (*pads)++;
            }
        }
    return 0;
}

static int schedule(erg_fwfe *f, erg_error *err) {
    size_t max_beats = 0;
    for (int i = 0; i < f->n; i++) {
        size_t b = (size_t)f->l[i].hp * f->l[i].wp;
        if (b > max_beats) max_beats = b;
    }
    uint64_t *arrive = malloc(max_beats * sizeof *arrive);
    if (!arrive) return erg_fail(err, "fwfe: out of memory");
    for (size_t p = 0; p < (size_t)f->l[0].hp * f->l[0].wp; p++) arrive[p] = p;
    int rc = 0;
    for (int i = 0; i < f->n && !rc; i++) {
        fwfe_clayer *c = &f->l[i];
        c->out_cycle = malloc((size_t)c->g.out_h * c->g.out_w * sizeof *c->out_cycle);
        if (!c->out_cycle) {
            rc = erg_fail(err, "fwfe: out of memory");
            break;
        }
        layer_schedule(c, arrive);
        if (i + 1 < f->n) rc = formatter(c, &f->l[i + 1], arrive, &c->st.pad_beats_out, err);
    }
    free(arrive);
    if (!rc) f->cycles = f->l[f->n - 1].st.last_out_cycle + 1;
    return rc;
}

/* ---- back-to-back frames (erg_fwfe.h "Back-to-back frames") ---- */

int erg_fwfe_stream(const erg_fwfe *f, int frames, uint64_t period, uint64_t *out, erg_error *err) {
    const fwfe_clayer *l0 = &f->l[0];
    uint64_t b0 = (uint64_t)l0->hp * l0->wp;
    if (frames < 1) return erg_fail(err, "fwfe: a stream needs at least one frame");
    if (period < b0)
        return erg_fail(err,
                        "fwfe: frames every %llu cycles: shorter than the %llu input beats of "
                        "layer '%s''s padded grid (one beat per cycle)",
                        (unsigned long long)period, (unsigned long long)b0, l0->name);
    size_t maxb = 0, maxo = 0;
    for (int i = 0; i < f->n; i++) {
        size_t b = (size_t)f->l[i].hp * f->l[i].wp, o = (size_t)f->l[i].g.out_h * f->l[i].g.out_w;
        if (b > maxb) maxb = b;
        if (o > maxo) maxo = o;
    }
    uint64_t *arr = malloc((size_t)frames * maxb * sizeof *arr);
    uint64_t *oc = malloc((size_t)frames * maxo * sizeof *oc);
    int rc = 0;
    if (!arr || !oc) {
        rc = erg_fail(err, "fwfe: out of memory");
        goto done;
    }
    for (int fr = 0; fr < frames; fr++)
        for (uint64_t p = 0; p < b0; p++) arr[(size_t)fr * b0 + p] = (uint64_t)fr * period + p;
    for (int i = 0; i < f->n && !rc; i++) {
        const fwfe_clayer *c = &f->l[i];
        const erg_conv_geom *g = &c->g;
        size_t beats = (size_t)c->hp * c->wp, outs = (size_t)g->out_h * g->out_w;
        for (int fr = 0; fr < frames; fr++)
            for (int oh = 0; oh < g->out_h; oh++)
                for (int ow = 0; ow < g->out_w; ow++) {
                    size_t p =
                        (size_t)(oh * g->stride + g->k_h - 1) * c->wp + ow * g->stride + g->k_w - 1;
                    oc[(size_t)fr * outs + (size_t)oh * g->out_w + ow] =
                        arr[(size_t)fr * beats + p] + (uint64_t)c->D;
                }
        if (i + 1 == f->n) break;
        /* the greedy formatter over the frames in turn: a frame's leading padding follows the
         * previous frame's trailing padding at once (the formatter's grid counters wrap) */
        const fwfe_clayer *nx = &f->l[i + 1];
        const erg_conv_geom *ng = &nx->g;
        size_t nb = (size_t)nx->hp * nx->wp;
        int64_t prev = -1;
        for (int fr = 0; fr < frames && !rc; fr++) {
            size_t j = 0;
            for (int r = 0; r < nx->hp && !rc; r++)
                for (int col = 0; col < nx->wp; col++) {
                    size_t p = (size_t)fr * nb + (size_t)r * nx->wp + col;
                    int real = r >= ng->pad_top && r < ng->pad_top + ng->in_h &&
                               col >= ng->pad_left && col < ng->pad_left + ng->in_w;
                    if (real) {
                        arr[p] = oc[(size_t)fr * outs + j++];
                        prev = (int64_t)arr[p];
                        continue;
                    }
                    uint64_t t = (uint64_t)(prev + 1);
                    const uint64_t *next = j < outs          ? &oc[(size_t)fr * outs + j]
                                           : fr + 1 < frames ? &oc[(size_t)(fr + 1) * outs]
                                                             : NULL;
                    if (next && t >= *next) {
                        rc = erg_fail(err,
                                      "fwfe: frames every %llu cycles: layer '%s': no idle "
                                      "output cycle for the padding of layer '%s' (frame %d, "
                                      "grid %d,%d) before cycle %llu",
                                      (unsigned long long)period, c->name, nx->name, fr, r, col,
                                      (unsigned long long)*next);
                        break;
                    }
                    arr[p] = t;
                    prev = (int64_t)t;
                }
        }
    }
    if (!rc && out) {
        const erg_conv_geom *g = &f->l[f->n - 1].g;
        memcpy(out, oc, (size_t)frames * g->out_h * g->out_w * sizeof *out);
    }
done:
    free(arr);
    free(oc);
    return rc;
}

uint64_t erg_fwfe_period(const erg_fwfe *f) {
    return f->period;
}

/* The shortest period P >= the first grid's beats at which three frames stream without a
 * conflict and frame 2's outputs are frame 1's + P (from then on every frame repeats). */
static int find_period(erg_fwfe *f, erg_error *err) {
    const erg_conv_geom *g = &f->l[f->n - 1].g;
    size_t outs = (size_t)g->out_h * g->out_w;
    uint64_t b0 = (uint64_t)f->l[0].hp * f->l[0].wp;
    uint64_t *o = malloc(3 * outs * sizeof *o);
    if (!o) return erg_fail(err, "fwfe: out of memory");
    f->period = f->cycles + b0; /* frames that never overlap: always possible */
    for (uint64_t p = b0; p < f->cycles + b0; p++) {
        erg_error e2;
        if (erg_fwfe_stream(f, 3, p, o, &e2)) continue;
        int periodic = 1;
        for (size_t k = 0; k < outs && periodic; k++) periodic = o[2 * outs + k] == o[outs + k] + p;
        if (periodic) {
            f->period = p;
            break;
        }
    }
    free(o);
    return 0;
}

erg_fwfe *erg_fwfe_build(const erg_fwfe_layer *layers, int n, erg_error *err) {
    if (!layers || n < 1) {
        erg_fail(err, "fwfe: no layers");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (check_layer(&layers[i], i, err)) return NULL;
    for (int i = 0; i + 1 < n; i++) {
        const erg_conv_geom *a = &layers[i].geom, *b = &layers[i + 1].geom;
        if (a->out_h != b->in_h || a->out_w != b->in_w || a->out_c != b->in_c) {
            erg_fail(err, "fwfe: layer %d '%s' takes %dx%dx%d but layer %d '%s' gives %dx%dx%d",
                     i + 1, layers[i + 1].name ? layers[i + 1].name : "(unnamed)", b->in_h, b->in_w,
                     b->in_c, i, layers[i].name ? layers[i].name : "(unnamed)", a->out_h, a->out_w,
                     a->out_c);
            return NULL;
        }
    }
    erg_fwfe *f = calloc(1, sizeof *f);
    if (f) f->l = calloc((size_t)n, sizeof *f->l);
    if (!f || !f->l) {
        free(f);
        erg_fail(err, "fwfe: out of memory");
        return NULL;
    }
    f->n = n;
    for (int i = 0; i < n; i++) {
        if (compile_layer(&f->l[i], &layers[i], i, err)) {
            erg_fwfe_free(f);
            return NULL;
        }
    }
    for (int i = 0; i + 1 < n; i++) {
        fwfe_clayer *c = &f->l[i];
        const fwfe_clayer *nx = &f->l[i + 1];
        c->has_next = 1;
        c->n_pt = nx->g.pad_top, c->n_pl = nx->g.pad_left;
        c->n_h = nx->g.in_h, c->n_w = nx->g.in_w;
        c->n_hp = nx->hp, c->n_wp = nx->wp;
    }
    if (schedule(f, err) || find_period(f, err)) {
        erg_fwfe_free(f);
        return NULL;
    }
    return f;
}

/* ---- running a frame ---- */

uint64_t erg_fwfe_timing(const erg_fwfe *f, erg_fwfe_stats *st) {
    if (st)
        for (int i = 0; i < f->n; i++) st[i] = f->l[i].st;
    return f->cycles;
}

const uint64_t *erg_fwfe_out_cycles(const erg_fwfe *f, int i) {
    return f && i >= 0 && i < f->n ? f->l[i].out_cycle : NULL;
}

/* The value of a carry-save tree (levels of W-bit vectors, modulo 2^W) from its leaves' values
 * v[0 ... n_leaves - 1], the root read back as a W-bit two's-complement number; w is scratch of
 * n_leaves words. The vectors as the generated RTL computes them: the C model follows the
 * compressors rather than only the sum, so a miswired tree fails the golden comparisons. */
static int64_t csa_eval(const fwfe_tree *t, int L, uint64_t *v, uint64_t *w) {
    int W = t->width;
    uint64_t mask = W < 64 ? ((uint64_t)1 << W) - 1 : ~(uint64_t)0;
    for (int i = 0; i < t->n_leaves; i++) v[i] &= mask;
    for (int l = 1; l <= L; l++) {
        for (int i = 0; i < t->level_n[l]; i++) {
            const fwfe_node *nd = &t->levels[l][i];
            uint64_t a = v[nd->a], b = nd->b >= 0 ? v[nd->b] : 0, cc = nd->c >= 0 ? v[nd->c] : 0;
            if (nd->kind == FWFE_NODE_SUM)
                w[i] = a ^ b ^ cc;
            else if (nd->kind == FWFE_NODE_CARRY)
                w[i] = (((a & b) | (a & cc) | (b & cc)) << 1) & mask;
            else
                w[i] = (a + b) & mask;
        }
        memcpy(v, w, (size_t)t->level_n[l] * sizeof *v);
    }
    uint64_t r = v[0];
    if (W < 64 && (r >> (W - 1)) & 1) r |= ~mask;
    return (int64_t)r;
}

/* One layer on its padded grid (grid [hp][wp][in_c], zeros at padding): the shift-add terms of
 * every channel's tree summed (binary trees: the tree's order does not change an exact sum that
 * fits its root width; carry-save trees: csa_eval) and requantized. scratch holds 2 x the most
 * leaves of a channel (carry-save only). */
static void layer_compute(const fwfe_clayer *c, const uint8_t *grid, uint8_t *out,
                          uint64_t *scratch, size_t max_leaves) {
    const erg_conv_geom *g = &c->g;
    if (c->tree != ERG_FWFE_TREE_CSA) { /* the binary tree's exact sum, from the merged taps */
        for (int oh = 0; oh < g->out_h; oh++)
            for (int ow = 0; ow < g->out_w; ow++) {
                const uint8_t *win =
                    grid + ((size_t)oh * g->stride * c->wp + (size_t)ow * g->stride) * g->in_c;
                uint8_t *o = out + ((size_t)oh * g->out_w + ow) * g->out_c;
                for (int oc = 0; oc < g->out_c; oc++) {
                    int64_t acc = c->tap_const[oc];
                    for (int k = c->tap_start[oc]; k < c->tap_start[oc + 1]; k++)
                        acc += (int64_t)c->tap_coef[k] * win[c->tap_off[k]];
                    o[oc] = erg_quant_requant1((int32_t)acc, c->m0[oc], c->shift[oc], c->zp);
                }
            }
        return;
    }
    for (int oh = 0; oh < g->out_h; oh++)
        for (int ow = 0; ow < g->out_w; ow++)
            for (int oc = 0; oc < g->out_c; oc++) {
                const fwfe_tree *t = &c->trees[oc];
                int64_t acc = 0;
                for (int i = 0; i < t->n_leaves; i++) {
                    const fwfe_leaf *lf = &t->leaves[i];
                    int64_t term;
                    if (lf->is_const) {
                        term = lf->cval;
                    } else {
                        size_t r = (size_t)oh * g->stride + lf->kh,
                               col = (size_t)ow * g->stride + lf->kw;
                        int64_t x = grid[(r * c->wp + col) * g->in_c + lf->ic];
                        term = lf->neg ? -(x << lf->shift) : x << lf->shift;
                    }
                    if (c->tree == ERG_FWFE_TREE_CSA)
                        scratch[i] = (uint64_t)term;
                    else
                        acc += term;
                }
                if (c->tree == ERG_FWFE_TREE_CSA)
                    acc = csa_eval(t, c->L, scratch, scratch + max_leaves);
                out[((size_t)oh * g->out_w + ow) * g->out_c + oc] =
                    erg_quant_requant1((int32_t)acc, c->m0[oc], c->shift[oc], c->zp);
            }
}

uint64_t erg_fwfe_run(const erg_fwfe *f, const uint8_t *in, uint8_t *out, erg_fwfe_stats *st) {
    if (!in) return 0;
    erg_fwfe_timing(f, st);
    if (!out) return f->cycles;
    const uint8_t *cur = in;
    uint8_t *buf = NULL;
    for (int i = 0; i < f->n; i++) {
        const fwfe_clayer *c = &f->l[i];
        const erg_conv_geom *g = &c->g;
        uint8_t *grid = calloc((size_t)c->hp * c->wp * g->in_c, 1);
        size_t n_out = (size_t)g->out_h * g->out_w * g->out_c, max_leaves = 1;
        for (int oc = 0; oc < g->out_c; oc++)
            if ((size_t)c->trees[oc].n_leaves > max_leaves)
                max_leaves = (size_t)c->trees[oc].n_leaves;
        uint8_t *o = i + 1 == f->n ? out : malloc(n_out);
        uint64_t *scratch = malloc(2 * max_leaves * sizeof *scratch);
        if (!grid || !o || !scratch) {
            free(grid);
            free(scratch);
            if (o != out) free(o);
            free(buf);
            return 0;
        }
        for (int r = 0; r < g->in_h; r++)
            memcpy(grid + ((size_t)(r + g->pad_top) * c->wp + g->pad_left) * g->in_c,
                   cur + (size_t)r * g->in_w * g->in_c, (size_t)g->in_w * g->in_c);
        layer_compute(c, grid, o, scratch, max_leaves);
        free(grid);
        free(scratch);
        free(buf);
        buf = o == out ? NULL : o;
        cur = o;
    }
    free(buf);
    return f->cycles;
}
