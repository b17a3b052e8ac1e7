/* platform.c — the schema of configs/platforms/NAME.cfg and the net -> estimator mapping. */
#include "platform.h"

#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "tech.h"

static const char *const DATAFLOWS[] = {"os", "ws", "is", NULL};
static const char *const LEVEL_KINDS[] = {"reg", "sram", "dram", NULL};

static const erg_key ARRAY_KEYS[] = {
    {.name = "rows", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 1 << 20},
    {.name = "cols", .kind = ERG_K_INT, .required = 1, .imin = 1, .imax = 1 << 20},
    {.name = "dataflow", .kind = ERG_K_ENUM, .required = 1, .enums = DATAFLOWS},
    {.name = "vector", .kind = ERG_K_INT, .imin = 1, .imax = 1 << 20},
    {.name = "line_buffer", .kind = ERG_K_BOOL},
    {.name = "pe_clk_bits", .kind = ERG_K_FLOAT, .fmin = 0, .fmax = 1e6},
    {.name = "ctrl_bits", .kind = ERG_K_INT, .imin = 0, .imax = 1 << 24},
    {0}};

static const erg_key LEVEL_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "kind", .kind = ERG_K_ENUM, .required = 1, .enums = LEVEL_KINDS},
    {.name = "bytes", .kind = ERG_K_SIZE, .imin = 1, .imax = INT64_C(1) << 50},
    {.name = "word_bits", .kind = ERG_K_INT, .imin = 1, .imax = 4096},
    {.name = "pj_per_word", .kind = ERG_K_FLOAT, .fmin = 1e-6, .fmax = 1e6},
    {.name = "ifmap_bytes", .kind = ERG_K_SIZE, .imin = 1, .imax = INT64_C(1) << 50},
    {.name = "filter_bytes", .kind = ERG_K_SIZE, .imin = 1, .imax = INT64_C(1) << 50},
    {.name = "ofmap_bytes", .kind = ERG_K_SIZE, .imin = 1, .imax = INT64_C(1) << 50},
    {.name = "bank_bytes", .kind = ERG_K_SIZE, .imin = 1, .imax = INT64_C(1) << 50},
    {.name = "bytes_per_cycle", .kind = ERG_K_FLOAT, .fmin = 0, .fmax = 1e9},
    {0}};

static const erg_key PLATFORM_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "tech", .kind = ERG_K_STRING, .required = 1},
    {.name = "voltage", .kind = ERG_K_FLOAT, .fmin = 0.1, .fmax = 5.0},
    {.name = "freq_mhz", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1e-3, .fmax = 1e5},
    {.name = "area_mm2", .kind = ERG_K_FLOAT, .fmin = 0, .fmax = 1e4},
    {.name = "energy_scale", .kind = ERG_K_FLOAT, .fmin = 1e-3, .fmax = 1e3},
    {.name = "array", .kind = ERG_K_GROUP, .required = 1, .children = ARRAY_KEYS},
    {.name = "levels",
     .kind = ERG_K_GROUPS,
     .required = 1,
     .children = LEVEL_KEYS,
     .nmin = 1,
     .nmax = ERG_EST_MAX_LEVELS,
     .item = "level"},
    {0}};

int erg_platform_load(erg_est_platform *p, const char *path, erg_error *err) {
    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    erg_cfg cfg;
    if (erg_cfg_load(&cfg, path, PLATFORM_KEYS, err)) return -1;
    int rc = -1;
    const config_setting_t *root = config_root_setting(&cfg.lc);
    snprintf(p->name, sizeof p->name, "%s", erg_cfg_str(root, "name", "?"));
    const char *tech = erg_cfg_str(root, "tech", "");
    char tpath[8192];
    snprintf(tpath, sizeof tpath, "%s%s", tech[0] == '/' ? "" : cfg.dir, tech);
    if (erg_tech_load(&p->tech, tpath, err)) {
        erg_error_prefix(err, path);
        goto out;
    }
    p->volt = erg_cfg_float(root, "voltage", p->tech.vdd);
    p->freq_hz = erg_cfg_float(root, "freq_mhz", 0) * 1e6;
    p->area_mm2 = erg_cfg_float(root, "area_mm2", 0);
    p->scale = erg_cfg_float(root, "energy_scale", 1.0);
    const config_setting_t *a = config_setting_get_member(root, "array");
    p->rows = (int)erg_cfg_int(a, "rows", 1);
    p->cols = (int)erg_cfg_int(a, "cols", 1);
    p->dataflow = (erg_est_dataflow)erg_cfg_enum(a, "dataflow", DATAFLOWS, 0);
    p->vector = (int)erg_cfg_int(a, "vector", 1);
    p->line_buffer = erg_cfg_bool(a, "line_buffer", 0);
    p->pe_clk_bits = erg_cfg_float(a, "pe_clk_bits", 0);
    p->ctrl_bits = (int)erg_cfg_int(a, "ctrl_bits", 0);
    const config_setting_t *lv = config_setting_get_member(root, "levels");
    p->n_levels = config_setting_length(lv);
    for (int i = 0; i < p->n_levels; i++) {
        const config_setting_t *g = config_setting_get_elem(lv, (unsigned)i);
        erg_est_level *l = &p->levels[i];
        snprintf(l->name, sizeof l->name, "%s", erg_cfg_str(g, "name", "?"));
        l->kind = (erg_est_level_kind)erg_cfg_enum(g, "kind", LEVEL_KINDS, 0);
        l->bytes = (double)erg_cfg_size(g, "bytes", 0);
        l->word_bits = (int)erg_cfg_int(g, "word_bits", 64);
        l->pj_word = erg_cfg_float(g, "pj_per_word", 0);
        l->ifmap_bytes = (double)erg_cfg_size(g, "ifmap_bytes", 0);
        l->filter_bytes = (double)erg_cfg_size(g, "filter_bytes", 0);
        l->ofmap_bytes = (double)erg_cfg_size(g, "ofmap_bytes", 0);
        l->bank_bytes = (double)erg_cfg_size(g, "bank_bytes", 0);
        l->bytes_per_cycle = erg_cfg_float(g, "bytes_per_cycle", 0);
        char kpath[64];
        snprintf(kpath, sizeof kpath, "levels[%d]", i);
        if (l->kind == ERG_EST_SRAM && !config_setting_get_member(g, "bytes")) {
            erg_cfg_fail(err, g, kpath, "SRAM level '%s' needs its size (bytes = ...)", l->name);
            goto out;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(p->levels[j].name, l->name) == 0) {
                erg_cfg_fail(err, g, kpath, "level name '%s' is already used", l->name);
                goto out;
            }
    }
    if (erg_est_platform_init(p, err)) {
        erg_error_prefix(err, path);
        goto out;
    }
    rc = 0;
out:
    erg_cfg_free(&cfg);
    return rc;
}

/* The bits per value of layer i's output map: 1 (binary), 32 (scores), else the activation
 * bits of the layer that consumes it (the next one with products; pooling and flatten pass
 * maps on); 8 when none does. The input image (i = -1) is 8-bit, or binary planes. */
static int map_bits(const erg_net *net, int i) {
    erg_vkind k = i < 0 ? (net->encode == ERG_ENC_THERMOMETER ? ERG_V_BIN : ERG_V_U8)
                        : net->layers[i].out_kind;
    if (k == ERG_V_BIN) return 1;
    if (k == ERG_V_I32 || k == ERG_V_I64) return 32;
    if (i < 0) return 8;
    for (int j = i + 1; j < net->n_layers; j++) {
        const erg_layer *c = &net->layers[j];
        if (c->type == ERG_L_CONV2D || c->type == ERG_L_DEPTHWISE || c->type == ERG_L_DENSE)
            return c->act_bits;
    }
    return 8;
}

void erg_platform_layer(const erg_net *net, int i, erg_est_layer *e) {
    const erg_layer *l = &net->layers[i];
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", l->name);
    e->in_h = l->in.h, e->in_w = l->in.w, e->in_c = l->in.c;
    e->out_h = l->out.h, e->out_w = l->out.w, e->out_c = l->out.c;
    int in_bits = map_bits(net, i - 1), out_bits = map_bits(net, i);
    e->act_bits = in_bits;
    e->out_bits = out_bits;
    switch (l->type) {
    case ERG_L_CONV2D:
    case ERG_L_DEPTHWISE:
        e->kind = l->type == ERG_L_CONV2D ? ERG_EST_CONV : ERG_EST_DEPTHWISE;
        e->k_h = l->conv.k_h, e->k_w = l->conv.k_w;
        break;
    case ERG_L_DENSE:
        e->kind = ERG_EST_DENSE;
        break;
    case ERG_L_MAXPOOL:
    case ERG_L_AVGPOOL:
        e->kind = ERG_EST_POOL;
        e->k_h = e->k_w = l->pool.size;
        e->out_bits = in_bits;
        break;
    default:
        e->kind = ERG_EST_OTHER;
        break;
    }
    e->weight_bits = l->weight_bits > 0 ? l->weight_bits : 8;
    /* per output channel: binary threshold (16 bits) + flip, or bias + m0 + shift (3 x 32) */
    if (e->kind == ERG_EST_CONV || e->kind == ERG_EST_DEPTHWISE || e->kind == ERG_EST_DENSE)
        e->per_channel_bits = e->weight_bits == 1 && in_bits == 1 ? 17 : 96;
}

int erg_platform_estimate(const erg_est_platform *p, const erg_net *net, erg_est_result *r,
                          erg_est_result *total, erg_error *err) {
    memset(total, 0, sizeof *total);
    double wbytes = 0, abytes = 0;
    erg_est_layer l;
    for (int i = 0; i < net->n_layers; i++) {
        erg_platform_layer(net, i, &l);
        if (l.kind == ERG_EST_OTHER) continue;
        double w = 0;
        if (l.kind == ERG_EST_CONV) w = (double)l.k_h * l.k_w * l.in_c * l.out_c;
        if (l.kind == ERG_EST_DEPTHWISE) w = (double)l.k_h * l.k_w * l.in_c;
        if (l.kind == ERG_EST_DENSE) w = (double)l.in_h * l.in_w * l.in_c * l.out_c;
        wbytes += (w * l.weight_bits + (double)l.out_c * l.per_channel_bits) / 8;
        double a = ((double)l.in_h * l.in_w * l.in_c * l.act_bits +
                    (double)l.out_h * l.out_w * l.out_c * l.out_bits) /
                   8;
        if (a > abytes) abytes = a;
    }
    int wh, ah;
    if (erg_est_homes(p, wbytes, abytes, &wh, &ah, err)) return -1;
    for (int i = 0; i < net->n_layers; i++) {
        erg_platform_layer(net, i, &l);
        if (erg_est_layer_energy(p, &l, wh, ah, &r[i], err)) return -1;
        erg_est_add(total, &r[i]);
    }
    return 0;
}
