/* verify.c — per-layer checks of a chip run against golden, and lockstep C model vs RTL. */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amac_run.h"
#include "chip_run.h"
#include "erg_regs.h"
#include "golden_run.h"

typedef struct reg_name {
    uint32_t off;
    const char *name;
} reg_name;

/* The register names, from the register map's single source. */
static const reg_name REGS[] = {
#define ERG_REG(name, off, acc, desc) {off, #name},
#define ERG_FIELD(reg, name, lsb, width, desc)
#define ERG_CONST(name, value, desc)
#define ERG_WINDOW(name, off, size, desc)
#include "erg_regs.def"
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_CONST
#undef ERG_WINDOW
};

void erg_describe_addr(uint64_t addr, uint64_t base, char *buf, size_t len) {
    uint64_t off = addr - base;
    if (addr < base) {
        snprintf(buf, len, "address 0x%" PRIx64, addr);
        return;
    }
    if (off >= ERG_BNA_CNT_BASE && off < ERG_BNA_CNT_BASE + 8u * ERG_CNT_COUNT) {
        int i = (int)((off - ERG_BNA_CNT_BASE) / 8);
        snprintf(buf, len, "counter '%s' (%s word)", erg_counter_name(i),
                 (off - ERG_BNA_CNT_BASE) % 8 ? "high" : "low");
        return;
    }
    if (off >= ERG_BNA_OUT_BASE && off < ERG_BNA_OUT_BASE + 4u * 4096) {
        snprintf(buf, len, "OUT[%" PRIu64 "] (dot product of output %" PRIu64 ")",
                 (off - ERG_BNA_OUT_BASE) / 4, (off - ERG_BNA_OUT_BASE) / 4);
        return;
    }
    if (off >= ERG_BNA_FMAP_A && off < ERG_BNA_FMAP_B + ERG_BNA_FMAP_B_SIZE) {
        int b = off >= ERG_BNA_FMAP_B;
        uint64_t w = (off - (b ? ERG_BNA_FMAP_B : ERG_BNA_FMAP_A)) / 8;
        snprintf(buf, len, "feature-map buffer %c, 64-bit word %" PRIu64 " (%s half)",
                 b ? 'B' : 'A', w, (off % 8) ? "high" : "low");
        return;
    }
    for (size_t i = 0; i < sizeof REGS / sizeof REGS[0]; i++)
        if (REGS[i].off == off) {
            snprintf(buf, len, "register %s", REGS[i].name);
            return;
        }
    snprintf(buf, len, "offset 0x%" PRIx64 " of the unit", off);
}

typedef struct vctx {
    erg_golden_runner *g;
    erg_verify_result *res;
    long long frame;
    int8_t *map;
    int32_t *dots;
    int trace_layer; /* >= 0: trace from the end of layer trace_layer - 1 */
} vctx;

/* The waveform window opens before the chip layer that follows net layer `layer` - 1 (layers
 * without chip work, like flatten, are skipped), if that is the traced one, in frame 0. */
static void window_open(vctx *v, erg_chip_runner *r, int layer) {
    if (v->frame != 0 || v->trace_layer < layer) return;
    for (int j = layer; j < v->trace_layer; j++)
        if (r->map.l[j].unit >= 0) return;
    erg_backend_trace_on(r->be, 1);
    v->res->trace_from = r->be->now ? r->be->now(r->be) : 0;
}

static int cosim_diff(vctx *v, erg_chip_runner *r, int layer, erg_error *err) {
    erg_mismatch m;
    if (!erg_backend_mismatch(r->be, &m)) return 0;
    char what[160];
    erg_describe_addr(m.addr, r->info.base, what, sizeof what);
    erg_verify_result *res = v->res;
    res->mismatch = 1;
    res->layer = layer;
    res->frame = v->frame;
    res->cycle = m.cycle;
    char where[ERG_ERR_MAX];
    if (layer < 0)
        snprintf(where, sizeof where, "after reset and weight load, before the first layer");
    else
        snprintf(where, sizeof where, "frame %lld, layer '%s'", v->frame,
                 r->net->layers[layer].name);
    snprintf(res->msg, sizeof res->msg,
             "%s: RTL and C model differ at %s: C model 0x%08x (%u), RTL 0x%08x (%u), RTL cycle "
             "%" PRIu64,
             where, what, m.expected, m.expected, m.found, m.found, m.cycle);
    return erg_fail(err, "%s", res->msg);
}

static int check_layer_out(void *ctx, erg_chip_runner *r, int i, erg_error *err) {
    vctx *v = ctx;
    erg_verify_result *res = v->res;
    const erg_layer *l = &r->net->layers[i];
    const erg_map_layer *ml = &r->map.l[i];
    if (cosim_diff(v, r, i, err)) return -1;
    res->layers_checked++;
    if (ml->d.flags & ERG_BNA_L_FLAGS_OUT_DOTS) {
        /* the classifier: the chip's dots, through the host's s * dot + o, against golden */
        const erg_layer_weights *lw = &r->wt->l[i];
        const int64_t *want = v->g->layer_out[i];
        erg_drv_read_dots(&r->be->bus, &r->info, l->out.c, v->dots);
        if (cosim_diff(v, r, i, err)) return -1;
        for (int k = 0; k < l->out.c; k++) {
            int64_t got = (int64_t)lw->s[k] * v->dots[k] + lw->o[k];
            res->values_checked++;
            if (got != want[k]) {
                res->mismatch = 1;
                res->layer = i;
                res->frame = v->frame;
                snprintf(res->msg, sizeof res->msg,
                         "frame %lld, layer '%s': score %d: golden %lld, chip %lld (dot %d)",
                         v->frame, l->name, k, (long long)want[k], (long long)got, v->dots[k]);
                return erg_fail(err, "%s", res->msg);
            }
        }
        return 0;
    }
    const int8_t *want = v->g->layer_out[i];
    erg_drv_read_map(&r->be->bus, &r->info, (int)ml->d.dst, l->out.h, l->out.w, l->out.c, v->map);
    if (cosim_diff(v, r, i, err)) return -1;
    size_t n = (size_t)erg_shape_count(l->out);
    for (size_t k = 0; k < n; k++) {
        res->values_checked++;
        if (v->map[k] != want[k]) {
            int c = (int)(k % (size_t)l->out.c);
            int x = (int)(k / (size_t)l->out.c % (size_t)l->out.w);
            int y = (int)(k / (size_t)l->out.c / (size_t)l->out.w);
            res->mismatch = 1;
            res->layer = i;
            res->frame = v->frame;
            snprintf(
                res->msg, sizeof res->msg,
                "frame %lld, layer '%s': output (y %d, x %d, channel %d): golden %+d, chip %+d",
                v->frame, l->name, y, x, c, want[k], v->map[k]);
            return erg_fail(err, "%s", res->msg);
        }
    }
    return 0;
}

/* after_layer: checks the layer, and opens or closes the waveform window. */
static int check_layer(void *ctx, erg_chip_runner *r, int i, erg_error *err) {
    vctx *v = ctx;
    int rc = check_layer_out(ctx, r, i, err);
    if (v->frame == 0 && i == v->trace_layer) { /* the window closes after the layer's check */
        v->res->trace_to = r->be->now ? r->be->now(r->be) : 0;
        erg_backend_trace_on(r->be, 0);
    } else if (rc == 0) {
        window_open(v, r, i + 1);
    }
    return rc;
}

int erg_verify_net(const erg_chip *chip, const erg_net *net, const erg_weights *wt,
                   const uint8_t *images, long long n, const char *backend, const char *trace_path,
                   int trace_layer, erg_verify_result *res, erg_error *err) {
    if (erg_chip_has_amac(chip))
        return erg_verify_net_amac(chip, net, wt, images, n, backend, trace_path, trace_layer, res,
                                   err);
    memset(res, 0, sizeof *res);
    res->layer = -1;
    erg_golden_runner g;
    erg_chip_runner r;
    if (erg_golden_runner_init(&g, net, wt, err)) return -1;
    if (erg_golden_runner_keep(&g, err) ||
        erg_chip_runner_init(&r, net, wt, chip, backend, trace_path, err)) {
        erg_golden_runner_free(&g);
        return -1;
    }
    size_t most = 1;
    for (int i = 0; i < net->n_layers; i++)
        if ((size_t)erg_shape_count(net->layers[i].out) > most)
            most = (size_t)erg_shape_count(net->layers[i].out);
    vctx v = {
        &g, res, 0, malloc(most), malloc(most * sizeof(int32_t)), trace_path ? trace_layer : -1};
    int rc = 0;
    if (!v.map || !v.dots) {
        rc = erg_fail(err, "out of memory");
        goto out;
    }
    r.after_layer = check_layer;
    r.after_ctx = &v;
    /* every readable register once, in lockstep: a register without its reset value differs */
    erg_drv_read_all_regs(&r.be->bus, &r.info);
    if (cosim_diff(&v, &r, -1, err)) goto out;
    if (v.trace_layer >= 0) erg_backend_trace_on(r.be, 0);
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    for (long long f = 0; f < n && !res->mismatch; f++) {
        v.frame = f;
        const uint8_t *img = images + (size_t)f * img_bytes;
        erg_golden_runner_run(&g, img);
        window_open(&v, &r, 0);
        erg_error e;
        if (erg_chip_runner_run(&r, img, &e) < 0 && !res->mismatch) {
            rc = erg_fail(err, "%s", e.msg);
            goto out;
        }
        res->frames = f + 1;
    }
out:
    free(v.map);
    free(v.dots);
    erg_chip_runner_free(&r);
    erg_golden_runner_free(&g);
    return rc;
}
