/* verify_amac.c — `erg verify` on a chip with an amac unit: an int8 network at every one of its
 * operating points, each layer's output read back from the unit's local memory and compared
 * with the golden kernels at the same point; with the cosim backend every value read (outputs,
 * counters, registers) is also compared between C model and RTL. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amac_run.h"
#include "erg_regs_amac.h"
#include "golden_run.h"
#include "verify.h"

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
#define ERG_COUNTER(name, desc)
#include "erg_amac_regs.def"
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_CONST
#undef ERG_WINDOW
#undef ERG_COUNTER
};

void erg_describe_amac_addr(uint64_t addr, uint64_t base, char *buf, size_t len) {
    uint64_t off = addr - base;
    if (addr < base) {
        snprintf(buf, len, "address 0x%" PRIx64, addr);
        return;
    }
    if (off >= ERG_AMAC_CNT_BASE && off < ERG_AMAC_CNT_BASE + 8u * ERG_AMAC_CNT_COUNT) {
        int i = (int)((off - ERG_AMAC_CNT_BASE) / 8);
        snprintf(buf, len, "counter '%s' (%s word)", erg_drv_amac_counter_name(i),
                 (off - ERG_AMAC_CNT_BASE) % 8 ? "high" : "low");
        return;
    }
    if (off >= ERG_AMAC_MUL_ID_BASE && off < ERG_AMAC_MUL_ID_BASE + 4u * ERG_AMAC_MUL_MAX) {
        snprintf(buf, len, "register MUL_ID[%" PRIu64 "]", (off - ERG_AMAC_MUL_ID_BASE) / 4);
        return;
    }
    if (off >= ERG_AMAC_LMEM && off < (uint64_t)ERG_AMAC_LMEM + ERG_AMAC_LMEM_SIZE) {
        snprintf(buf, len, "local memory byte 0x%" PRIx64, off - ERG_AMAC_LMEM);
        return;
    }
    for (size_t i = 0; i < sizeof REGS / sizeof REGS[0]; i++)
        if (REGS[i].off == off) {
            snprintf(buf, len, "register %s", REGS[i].name);
            return;
        }
    snprintf(buf, len, "offset 0x%" PRIx64 " of the unit", off);
}

typedef struct actx {
    erg_golden_runner *g;
    erg_verify_result *res;
    long long frame;
    const char *op; /* the op point's name when the net has several, else NULL */
    uint8_t *u8;
    int32_t *i32;
    int trace_layer; /* >= 0: trace the window of this layer in frame 0 */
} actx;

static const char *op_tag(const actx *v, char *buf, size_t len) {
    if (v->op)
        snprintf(buf, len, ", op point %s", v->op);
    else
        buf[0] = '\0';
    return buf;
}

static int cosim_diff(actx *v, erg_amac_runner *r, int layer, erg_error *err) {
    erg_mismatch m;
    if (!erg_backend_mismatch(r->be, &m)) return 0;
    char what[160], tag[ERG_NAME_MAX + 16], where[ERG_ERR_MAX / 2];
    erg_describe_amac_addr(m.addr, r->info.base, what, sizeof what);
    erg_verify_result *res = v->res;
    res->mismatch = 1;
    res->layer = layer;
    res->frame = v->frame;
    res->cycle = m.cycle;
    if (layer < 0)
        snprintf(where, sizeof where, "after reset and weight load, before the first layer");
    else
        snprintf(where, sizeof where, "frame %lld%s, layer '%s'", v->frame,
                 op_tag(v, tag, sizeof tag), r->net->layers[layer].name);
    snprintf(res->msg, sizeof res->msg,
             "%s: RTL and C model differ at %s: C model 0x%08x (%u), RTL 0x%08x (%u), RTL cycle "
             "%" PRIu64,
             where, what, m.expected, m.expected, m.found, m.found, m.cycle);
    return erg_fail(err, "%s", res->msg);
}

static int check_out(actx *v, erg_amac_runner *r, int i, erg_error *err) {
    erg_verify_result *res = v->res;
    const erg_layer *l = &r->net->layers[i];
    const erg_amac_map_layer *ml = &r->l[i];
    if (cosim_diff(v, r, i, err)) return -1;
    if (ml->where == ERG_AMAC_VIEW) return 0;
    res->layers_checked++;
    size_t n = (size_t)erg_shape_count(l->out);
    int i32 = l->out_kind == ERG_V_I32;
    erg_error e2;
    int rc = i32 ? erg_drv_amac_read_i32(&r->be->bus, &r->info, ml->out_addr, v->i32, n, &e2)
                 : erg_drv_amac_read(&r->be->bus, &r->info, ml->out_addr, v->u8, n, &e2);
    if (rc) return erg_fail(err, "%s", e2.msg);
    if (cosim_diff(v, r, i, err)) return -1;
    for (size_t k = 0; k < n; k++) {
        long long want = i32 ? ((const int32_t *)v->g->layer_out[i])[k]
                             : ((const uint8_t *)v->g->layer_out[i])[k];
        long long got = i32 ? v->i32[k] : v->u8[k];
        res->values_checked++;
        if (got != want) {
            char tag[ERG_NAME_MAX + 16];
            int c = (int)(k % (size_t)l->out.c);
            int x = (int)(k / (size_t)l->out.c % (size_t)l->out.w);
            int y = (int)(k / (size_t)l->out.c / (size_t)l->out.w);
            res->mismatch = 1;
            res->layer = i;
            res->frame = v->frame;
            snprintf(res->msg, sizeof res->msg,
                     "frame %lld%s, layer '%s' (%s): output (y %d, x %d, channel %d): golden "
                     "%lld, chip %lld",
                     v->frame, op_tag(v, tag, sizeof tag), l->name,
                     ml->where == ERG_AMAC_ON_HOST ? "host" : erg_amac_runner_mul_name(r, i), y, x,
                     c, want, got);
            return erg_fail(err, "%s", res->msg);
        }
    }
    return 0;
}

/* The waveform window of layer trace_layer in frame 0: opened after the layer before it. */
static void window_open(actx *v, erg_amac_runner *r, int layer) {
    if (v->frame != 0 || v->trace_layer != layer) return;
    erg_backend_trace_on(r->be, 1);
    v->res->trace_from = r->be->now ? r->be->now(r->be) : 0;
}

static int check_layer(void *ctx, erg_amac_runner *r, int i, erg_error *err) {
    actx *v = ctx;
    int rc = check_out(v, r, i, err);
    if (v->frame == 0 && i == v->trace_layer) {
        v->res->trace_to = r->be->now ? r->be->now(r->be) : 0;
        erg_backend_trace_on(r->be, 0);
    } else if (rc == 0) {
        window_open(v, r, i + 1);
    }
    return rc;
}

int erg_verify_net_amac(const erg_chip *chip, const erg_net *net, const erg_weights *wt,
                        const uint8_t *images, long long n, const char *backend,
                        const char *trace_path, int trace_layer, erg_verify_result *res,
                        erg_error *err) {
    memset(res, 0, sizeof *res);
    res->layer = -1;
    erg_golden_runner g;
    erg_amac_runner r;
    if (erg_golden_runner_init(&g, net, wt, err)) return -1;
    if (erg_golden_runner_keep(&g, err) ||
        erg_amac_runner_init(&r, net, wt, chip, backend, trace_path, 0, err)) {
        erg_golden_runner_free(&g);
        return -1;
    }
    size_t most = 1;
    for (int i = 0; i < net->n_layers; i++)
        if ((size_t)erg_shape_count(net->layers[i].out) > most)
            most = (size_t)erg_shape_count(net->layers[i].out);
    actx v = {&g,
              res,
              0,
              net->n_ops > 1 ? net->ops[0].name : NULL,
              malloc(most),
              malloc(most * sizeof(int32_t)),
              trace_path ? trace_layer : -1};
    int rc = 0;
    if (!v.u8 || !v.i32) {
        rc = erg_fail(err, "out of memory");
        goto out;
    }
    r.after_layer = check_layer;
    r.after_ctx = &v;
    /* every readable register once, in lockstep: a register without its reset value differs */
    erg_drv_amac_read_all_regs(&r.be->bus, &r.info);
    if (cosim_diff(&v, &r, -1, err)) goto out;
    if (v.trace_layer >= 0) erg_backend_trace_on(r.be, 0);
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    long long frame = 0;
    for (int p = 0; p < net->n_ops && !res->mismatch; p++) {
        if (erg_golden_runner_set_op(&g, p, err) || erg_amac_runner_set_op(&r, p, err)) {
            rc = -1;
            goto out;
        }
        v.op = net->n_ops > 1 ? net->ops[p].name : NULL;
        for (long long f = 0; f < n && !res->mismatch; f++, frame++) {
            v.frame = frame;
            const uint8_t *img = images + (size_t)f * img_bytes;
            erg_golden_runner_run(&g, img);
            window_open(&v, &r, 0);
            erg_error e;
            if (erg_amac_runner_run(&r, img, &e) < 0 && !res->mismatch) {
                rc = erg_fail(err, "%s", e.msg);
                goto out;
            }
            res->frames = frame + 1;
        }
    }
out:
    free(v.u8);
    free(v.i32);
    erg_amac_runner_free(&r);
    erg_golden_runner_free(&g);
    return rc;
}
