/* net.c — the schema of configs/nets/NAME.cfg and the layer-by-layer checks that follow it:
 * shapes, value kinds (binary / uint8 / scores), MACs and parameter counts; the multipliers of
 * the int8 layers and the operating points that switch them (docs/amac.md). */
#include "net.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg.h"
#include "characterize.h"
#include "erg_amul.h"

static const char *const ENC_NAMES[] = {"none", "thermometer", NULL};
static const char *const TYPE_NAMES[] = {"conv2d",  "depthwise", "dense", "maxpool",
                                         "avgpool", "flatten",   NULL};
static const char *const ACT_NAMES[] = {"none", "relu", "bn_sign", "bn", NULL};
static const char *const PAD_NAMES[] = {"valid", "same", NULL};

#define K_INT(n, req, lo, hi)                                                                      \
    { .name = n, .kind = ERG_K_INT, .required = req, .imin = lo, .imax = hi }

static const erg_key INPUT_KEYS[] = {
    {.name = "shape",
     .kind = ERG_K_INTS,
     .required = 1,
     .imin = 1,
     .imax = 4096,
     .nmin = 3,
     .nmax = 3},
    {.name = "encode", .kind = ERG_K_ENUM, .enums = ENC_NAMES},
    {.name = "levels", .kind = ERG_K_INT_OR_INTS, .imin = 1, .imax = 255, .nmin = 1, .nmax = 4096},
    K_INT("bits", 0, 8, 8),
    {0}};

#define COMMON_KEYS                                                                                \
    {.name = "name", .kind = ERG_K_STRING, .required = 1},                                         \
        {.name = "type", .kind = ERG_K_ENUM, .required = 1, .enums = TYPE_NAMES}, {                \
        .name = "unit", .kind = ERG_K_STRING                                                       \
    }
#define WEIGHT_KEYS                                                                                \
    K_INT("weight_bits", 1, 1, 16), K_INT("act_bits", 1, 1, 16),                                   \
        {.name = "activation", .kind = ERG_K_ENUM, .required = 1, .enums = ACT_NAMES},             \
        K_INT("zero_point", 0, 0, 255), {                                                          \
        .name = "multiplier", .kind = ERG_K_STRING                                                 \
    }
#define WINDOW_KEYS                                                                                \
    {.name = "kernel",                                                                             \
     .kind = ERG_K_INT_OR_INTS,                                                                    \
     .required = 1,                                                                                \
     .imin = 1,                                                                                    \
     .imax = 64,                                                                                   \
     .nmin = 1,                                                                                    \
     .nmax = 2},                                                                                   \
        K_INT("stride", 0, 1, 64), {.name = "padding", .kind = ERG_K_ENUM, .enums = PAD_NAMES},    \
        K_INT("pad_value", 0, -1, 1)

static const erg_key CONV_KEYS[] = {
    COMMON_KEYS, WINDOW_KEYS, WEIGHT_KEYS, K_INT("filters", 1, 1, 65536), {0}};
static const erg_key DW_KEYS[] = {COMMON_KEYS, WINDOW_KEYS, WEIGHT_KEYS, {0}};
static const erg_key DENSE_KEYS[] = {COMMON_KEYS, WEIGHT_KEYS, K_INT("units", 1, 1, 1 << 20), {0}};
static const erg_key POOL_KEYS[] = {
    COMMON_KEYS, K_INT("size", 1, 1, 64), K_INT("stride", 0, 1, 64), {0}};
static const erg_key FLAT_KEYS[] = {COMMON_KEYS, {0}};

static const erg_variant LAYER_VARIANTS[] = {
    {"conv2d", CONV_KEYS},  {"depthwise", DW_KEYS}, {"dense", DENSE_KEYS}, {"maxpool", POOL_KEYS},
    {"avgpool", POOL_KEYS}, {"flatten", FLAT_KEYS}, {NULL, NULL}};

/* op_points = ( { name = "eco"; multipliers = ( { layer = "fc"; multiplier = "trunc4"; } ); } ) */
static const erg_key OP_MUL_KEYS[] = {{.name = "layer", .kind = ERG_K_STRING, .required = 1},
                                      {.name = "multiplier", .kind = ERG_K_STRING, .required = 1},
                                      {0}};
static const erg_key OP_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "multipliers", .kind = ERG_K_GROUPS, .children = OP_MUL_KEYS, .nmax = 4096},
    {0}};

static const erg_key NET_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "input", .kind = ERG_K_GROUP, .required = 1, .children = INPUT_KEYS},
    {.name = "weights", .kind = ERG_K_STRING, .required = 1},
    K_INT("seed", 0, 0, INT64_MAX),
    {.name = "layers",
     .kind = ERG_K_GROUPS,
     .required = 1,
     .variants = LAYER_VARIANTS,
     .tag = "type",
     .nmin = 1,
     .nmax = 4096,
     .item = "layer"},
    {.name = "op_points",
     .kind = ERG_K_GROUPS,
     .children = OP_KEYS,
     .nmin = 1,
     .nmax = 256,
     .item = "op point"},
    {0}};

const char *erg_layer_type_name(erg_layer_type t) {
    return TYPE_NAMES[t];
}
const char *erg_act_name(erg_act a) {
    return ACT_NAMES[a];
}

const char *erg_vkind_name(erg_vkind k) {
    static const char *const names[] = {"binary", "uint8", "int32 scores", "int64 scores"};
    return names[k];
}

const char *erg_shape_str(erg_shape s, char *buf, int len) {
    if (s.h == 1 && s.w == 1)
        snprintf(buf, (size_t)len, "%d", s.c);
    else
        snprintf(buf, (size_t)len, "%dx%dx%d", s.h, s.w, s.c);
    return buf;
}

/* "FILE:LINE: layer 'NAME' (layers[i]): message" */
static int layer_fail(erg_error *err, const erg_net *net, const erg_layer *l, int i,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int layer_fail(erg_error *err, const erg_net *net, const erg_layer *l, int i,
                      const char *fmt, ...) {
    char msg[ERG_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return erg_fail(err, "%s:%u: layer '%s' (layers[%d]): %s", net->path, l->line, l->name, i, msg);
}

/* Where a layer's input comes from, for messages. */
static void source_of(const erg_net *net, int i, char *buf, size_t len) {
    if (i == 0)
        snprintf(buf, len, "the input");
    else
        snprintf(buf, len, "layer '%s'", net->layers[i - 1].name);
}

static int load_input(erg_net *net, const erg_cfg *cfg, erg_error *err) {
    const config_setting_t *in = config_lookup(&cfg->lc, "input");
    const config_setting_t *shape = config_setting_get_member(in, "shape");
    net->input.h = config_setting_get_int_elem(shape, 0);
    net->input.w = config_setting_get_int_elem(shape, 1);
    net->input.c = config_setting_get_int_elem(shape, 2);
    net->encode = (erg_encode)erg_cfg_enum(in, "encode", ENC_NAMES, ERG_ENC_NONE);
    const config_setting_t *lv = config_setting_get_member(in, "levels");
    net->first = net->input;
    if (net->encode == ERG_ENC_NONE) {
        if (lv)
            return erg_cfg_fail(err, lv, "input.levels",
                                "levels only applies to encode = \"thermometer\" (encode is "
                                "\"none\")");
        return 0;
    }
    if (!lv)
        return erg_cfg_fail(err, in, "input",
                            "missing required key 'levels' (thermometer levels per channel)");
    net->levels = calloc((size_t)net->input.c, sizeof *net->levels);
    if (!net->levels) return erg_fail(err, "out of memory");
    if (config_setting_type(lv) == CONFIG_TYPE_INT ||
        config_setting_type(lv) == CONFIG_TYPE_INT64) {
        for (int c = 0; c < net->input.c; c++) net->levels[c] = config_setting_get_int(lv);
    } else {
        int n = config_setting_length(lv);
        if (n != net->input.c)
            return erg_cfg_fail(err, lv, "input.levels",
                                "expected one level count per input channel (%d), found %d",
                                net->input.c, n);
        for (int c = 0; c < n; c++) net->levels[c] = config_setting_get_int_elem(lv, c);
    }
    int total = 0;
    for (int c = 0; c < net->input.c; c++) total += net->levels[c];
    net->first.c = total;
    return 0;
}

static int load_weights_key(erg_net *net, const erg_cfg *cfg, erg_error *err) {
    const config_setting_t *ws = config_lookup(&cfg->lc, "weights");
    const char *w = config_setting_get_string(ws);
    net->seed = (uint64_t)erg_cfg_int(config_root_setting(&cfg->lc), "seed", 1);
    if (strcmp(w, "random") == 0) {
        net->random_weights = 1;
        return 0;
    }
    if (config_lookup(&cfg->lc, "seed"))
        return erg_cfg_fail(err, config_lookup(&cfg->lc, "seed"), "seed",
                            "seed only applies to weights = \"random\" (weights are read from "
                            "\"%s\")",
                            w);
    if (w[0] == '/')
        snprintf(net->weights_dir, sizeof net->weights_dir, "%s", w);
    else
        snprintf(net->weights_dir, sizeof net->weights_dir, "%s%s", cfg->dir, w);
    struct stat st;
    if (stat(net->weights_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return erg_cfg_fail(err, ws, "weights",
                            "expected \"random\" or a folder of .npy files, found \"%s\" (no "
                            "folder %s)",
                            w, net->weights_dir);
    return 0;
}

/* Reads one layer's keys into l; shapes are worked out by infer(). */
static void read_layer(erg_layer *l, const config_setting_t *g) {
    snprintf(l->name, sizeof l->name, "%s", erg_cfg_str(g, "name", "?"));
    l->line = config_setting_source_line(g);
    l->type = (erg_layer_type)erg_cfg_enum(g, "type", TYPE_NAMES, 0);
    snprintf(l->unit, sizeof l->unit, "%s", erg_cfg_str(g, "unit", ""));
    l->weight_bits = (int)erg_cfg_int(g, "weight_bits", 0);
    l->act_bits = (int)erg_cfg_int(g, "act_bits", 0);
    l->act = (erg_act)erg_cfg_enum(g, "activation", ACT_NAMES, ERG_ACT_NONE);
    l->pad_value = (int)erg_cfg_int(g, "pad_value", -1);
    l->zero_point = (int)erg_cfg_int(g, "zero_point", 0);
}

static int infer(erg_net *net, int i, const config_setting_t *g, erg_error *err) {
    erg_layer *l = &net->layers[i];
    erg_shape in = i ? net->layers[i - 1].out : net->first;
    erg_vkind kind = i ? net->layers[i - 1].out_kind
                       : (net->encode == ERG_ENC_THERMOMETER ? ERG_V_BIN : ERG_V_U8);
    char src[128], sbuf[64];
    source_of(net, i, src, sizeof src);
    l->in = in;
    l->in_kind = kind;
    if (kind == ERG_V_I32 || kind == ERG_V_I64)
        return layer_fail(err, net, l, i,
                          "its input is the class scores of %s; a layer with activation "
                          "\"%s\" must be the last layer",
                          src, erg_act_name(net->layers[i - 1].act));

    if (l->type == ERG_L_FLATTEN) {
        l->out = (erg_shape){1, 1, in.h * in.w * in.c};
        l->out_kind = kind;
        return 0;
    }
    if (l->type == ERG_L_MAXPOOL || l->type == ERG_L_AVGPOOL) {
        int size = (int)erg_cfg_int(g, "size", 2);
        int stride = (int)erg_cfg_int(g, "stride", size);
        if (l->type == ERG_L_AVGPOOL && kind == ERG_V_BIN)
            return layer_fail(err, net, l, i,
                              "average pooling of binary values is not defined; use maxpool "
                              "(input is binary from %s)",
                              src);
        erg_error e;
        if (erg_pool_geom_init(&l->pool, in.h, in.w, in.c, size, stride, &e))
            return layer_fail(err, net, l, i, "%s (input %s from %s)", e.msg,
                              erg_shape_str(in, sbuf, sizeof sbuf), src);
        l->out = (erg_shape){l->pool.out_h, l->pool.out_w, in.c};
        l->out_kind = kind;
        return 0;
    }

    /* conv2d, depthwise, dense */
    int binary = l->weight_bits == 1 && l->act_bits == 1;
    int integer = l->weight_bits == 8 && l->act_bits == 8;
    /* estimation only: other widths; activations of 1 bit are binary maps, wider ones
     * integer maps (the value kinds below), whatever the weights */
    int quant = net->any_bits && !binary && !integer;
    if (!binary && !integer && !quant)
        return layer_fail(err, net, l, i,
                          "weight_bits = %d, act_bits = %d cannot run: erg's kernels take "
                          "binary layers (1, 1) or int8 layers (8, 8) (erg estimate takes any "
                          "width)",
                          l->weight_bits, l->act_bits);
    if (quant) {
        erg_vkind want = l->act_bits == 1 ? ERG_V_BIN : ERG_V_U8;
        if (kind != want)
            return layer_fail(err, net, l, i, "has act_bits = %d but its input is %s from %s",
                              l->act_bits, erg_vkind_name(kind), src);
        binary = l->act_bits == 1; /* for the checks below: the input's kind */
        integer = !binary;
    }
    if (binary && !quant && (l->act == ERG_ACT_RELU || l->act == ERG_ACT_NONE))
        return layer_fail(err, net, l, i,
                          "activation \"%s\" is for integer layers; a binary layer takes "
                          "\"bn_sign\" (or \"bn\" for the classifier)",
                          erg_act_name(l->act));
    if (integer && !quant && (l->act == ERG_ACT_BN_SIGN || l->act == ERG_ACT_BN))
        return layer_fail(err, net, l, i,
                          "activation \"%s\" is for binary layers; an int8 layer takes \"relu\" "
                          "(requantize to uint8) or \"none\" (scores, last layer)",
                          erg_act_name(l->act));
    if (binary && kind != ERG_V_BIN)
        return layer_fail(err, net, l, i, "is binary (act_bits = 1) but its input is %s from %s%s",
                          erg_vkind_name(kind), src,
                          i == 0 ? "; set input.encode = \"thermometer\" to binarize the image"
                                 : "");
    if (integer && kind != ERG_V_U8)
        return layer_fail(err, net, l, i, "is int8 (act_bits = 8) but its input is %s from %s",
                          erg_vkind_name(kind), src);
    if (binary && l->type == ERG_L_DEPTHWISE)
        return layer_fail(err, net, l, i, "binary depthwise convolution is not supported");
    const config_setting_t *pv = config_setting_get_member(g, "pad_value");
    char pvpath[64];
    snprintf(pvpath, sizeof pvpath, "layers[%d].pad_value", i);
    if (pv && l->pad_value == 0)
        return erg_cfg_fail(err, pv, pvpath, "expected +1 or -1, found 0 (layer '%s')", l->name);
    if (pv && integer)
        return erg_cfg_fail(err, pv, pvpath,
                            "pad_value applies to binary layers only; int8 layers pad with "
                            "activation 0 (layer '%s')",
                            l->name);

    erg_error e;
    if (l->type == ERG_L_DENSE) {
        if (in.h != 1 || in.w != 1)
            return layer_fail(err, net, l, i,
                              "dense needs a flat input but gets %s from %s; add { name = "
                              "\"flatten\"; type = \"flatten\"; } before it",
                              erg_shape_str(in, sbuf, sizeof sbuf), src);
        int units = (int)erg_cfg_int(g, "units", 1);
        erg_conv_geom_init(&l->conv, 1, 1, in.c, 1, 1, 1, 0, units, &e);
        l->out = (erg_shape){1, 1, units};
        l->macs = (int64_t)in.c * units;
        l->params = (int64_t)in.c * units;
    } else {
        int kh, kw;
        const config_setting_t *k = config_setting_get_member(g, "kernel");
        if (config_setting_type(k) == CONFIG_TYPE_INT ||
            config_setting_type(k) == CONFIG_TYPE_INT64) {
            kh = kw = config_setting_get_int(k);
        } else {
            kh = config_setting_get_int_elem(k, 0);
            kw = config_setting_length(k) > 1 ? config_setting_get_int_elem(k, 1) : kh;
        }
        int stride = (int)erg_cfg_int(g, "stride", 1);
        int same = erg_cfg_enum(g, "padding", PAD_NAMES, 0) == 1;
        if (pv && !same)
            return erg_cfg_fail(err, pv, pvpath,
                                "pad_value applies to padding = \"same\" only (layer '%s' has "
                                "valid padding)",
                                l->name);
        int out_c = l->type == ERG_L_CONV2D ? (int)erg_cfg_int(g, "filters", 1) : in.c;
        if (erg_conv_geom_init(&l->conv, in.h, in.w, in.c, kh, kw, stride, same, out_c, &e))
            return layer_fail(err, net, l, i, "%s (input %s from %s)", e.msg,
                              erg_shape_str(in, sbuf, sizeof sbuf), src);
        l->out = (erg_shape){l->conv.out_h, l->conv.out_w, out_c};
        int64_t per_out = (int64_t)kh * kw * (l->type == ERG_L_CONV2D ? in.c : 1);
        l->macs = (int64_t)l->conv.out_h * l->conv.out_w * out_c * per_out;
        l->params = (int64_t)out_c * per_out;
    }
    int64_t chan = l->out.c;
    if (l->act == ERG_ACT_BN_SIGN || l->act == ERG_ACT_BN)
        l->params += 2 * chan;
    else if (l->act == ERG_ACT_RELU)
        l->params += 3 * chan; /* bias, m0, shift */
    else
        l->params += chan; /* bias */
    switch (l->act) {
    case ERG_ACT_BN_SIGN:
        l->out_kind = ERG_V_BIN;
        break;
    case ERG_ACT_BN:
        l->out_kind = ERG_V_I64;
        break;
    case ERG_ACT_RELU:
        l->out_kind = ERG_V_U8;
        break;
    case ERG_ACT_NONE:
        l->out_kind = ERG_V_I32;
        break;
    }
    return 0;
}

/* ---- multipliers and operating points ---- */

static uint16_t table_fn(const void *ctx, uint8_t a, uint8_t b) {
    return ((const uint16_t *)ctx)[(unsigned)a * 256u + b];
}

static int ends_with_npy(const char *s) {
    size_t n = strlen(s);
    return n >= 4 && strcmp(s + n - 4, ".npy") == 0;
}

static char *dup_str(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Index in net->muls of the multiplier `spec` (a built-in name, or a product table FILE.npy
 * relative to the config's folder), added on first use. Errors: "FILE:LINE: PATH: why", with
 * `what` appended (e.g. " (op point 'eco')"). */
static int add_mul(erg_net *net, const char *dir, const char *spec, const config_setting_t *s,
                   const char *path, const char *what, erg_error *err) {
    for (int m = 0; m < net->n_muls; m++)
        if (strcmp(net->muls[m].spec, spec) == 0) return m;
    erg_net_mul nm = {.spec = NULL, .builtin = -1};
    erg_error e;
    if (ends_with_npy(spec)) {
        char file[8192];
        snprintf(file, sizeof file, "%s%s", spec[0] == '/' ? "" : dir, spec);
        nm.table = malloc(65536 * sizeof *nm.table);
        if (!nm.table) return erg_fail(err, "out of memory");
        if (erg_product_table_load(nm.table, file, &e)) {
            free(nm.table);
            return erg_cfg_fail(err, s, path, "%s%s", e.msg, what);
        }
        nm.exact = 1;
        for (unsigned k = 0; k < 65536 && nm.exact; k++)
            nm.exact = nm.table[k] == (k >> 8) * (k & 255);
        nm.mul.fn = table_fn;
        nm.mul.ctx = nm.table;
    } else {
        nm.builtin = erg_amul_find(spec, &e);
        if (nm.builtin < 0) return erg_cfg_fail(err, s, path, "%s%s", e.msg, what);
        nm.mul = *erg_amul_mul8u(nm.builtin);
        nm.exact = nm.builtin == ERG_AMUL_ID_exact;
    }
    nm.spec = dup_str(spec);
    erg_net_mul *grown = realloc(net->muls, (size_t)(net->n_muls + 1) * sizeof *grown);
    if (!nm.spec || !grown) {
        free(nm.spec);
        free(nm.table);
        if (grown) net->muls = grown;
        return erg_fail(err, "out of memory");
    }
    net->muls = grown;
    nm.mul.name = nm.spec;
    net->muls[net->n_muls] = nm;
    return net->n_muls++;
}

static int has_products(const erg_layer *l) {
    return l->type == ERG_L_CONV2D || l->type == ERG_L_DEPTHWISE || l->type == ERG_L_DENSE;
}

/* The layer's own `multiplier` (int8 layers; default "exact"). */
static int layer_mul(erg_net *net, const erg_cfg *cfg, int i, const config_setting_t *g,
                     erg_error *err) {
    erg_layer *l = &net->layers[i];
    const config_setting_t *ms = config_setting_get_member(g, "multiplier");
    char path[64];
    snprintf(path, sizeof path, "layers[%d].multiplier", i);
    l->mul = -1;
    if (!has_products(l)) return 0;
    if (l->weight_bits == 1 && l->act_bits == 1) {
        if (ms)
            return erg_cfg_fail(err, ms, path,
                                "layer '%s' is binary (weight_bits = act_bits = 1, its products "
                                "are XNORs): a multiplier applies to int8 layers only",
                                l->name);
        return 0;
    }
    if (l->weight_bits != 8 || l->act_bits != 8) {
        if (ms)
            return erg_cfg_fail(err, ms, path,
                                "layer '%s' has %d-bit weights on %d-bit activations: a "
                                "multiplier applies to int8 layers only",
                                l->name, l->weight_bits, l->act_bits);
        return 0;
    }
    l->mul = ms ? add_mul(net, cfg->dir, config_setting_get_string(ms), ms, path, "", err) : 0;
    return l->mul < 0 ? -1 : 0;
}

/* op_points: validated point by point; unlisted layers keep their own multiplier. */
static int load_op_points(erg_net *net, const erg_cfg *cfg, erg_error *err) {
    const config_setting_t *list = config_lookup(&cfg->lc, "op_points");
    int n = list ? config_setting_length(list) : 0;
    net->has_op_points = n > 0;
    net->ops = calloc((size_t)(n ? n : 1), sizeof *net->ops);
    if (!net->ops) return erg_fail(err, "out of memory");
    net->n_ops = n ? n : 1;
    for (int k = 0; k < net->n_ops; k++) {
        net->ops[k].mul = malloc((size_t)net->n_layers * sizeof *net->ops[k].mul);
        if (!net->ops[k].mul) return erg_fail(err, "out of memory");
        for (int i = 0; i < net->n_layers; i++) net->ops[k].mul[i] = net->layers[i].mul;
    }
    if (!n) {
        snprintf(net->ops[0].name, sizeof net->ops[0].name, "default");
        return 0;
    }
    const char **names = malloc((size_t)net->n_layers * sizeof *names);
    if (!names) return erg_fail(err, "out of memory");
    char with_mul[512] = "";
    for (int i = 0; i < net->n_layers; i++) {
        names[i] = net->layers[i].name;
        if (net->layers[i].mul < 0) continue;
        size_t used = strlen(with_mul);
        snprintf(with_mul + used, sizeof with_mul - used, "%s%s", used ? ", " : "", names[i]);
    }
    int rc = -1;
    for (int k = 0; k < n; k++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)k);
        const config_setting_t *ns = config_setting_get_member(g, "name");
        erg_net_op *op = &net->ops[k];
        char path[128], what[128];
        snprintf(op->name, sizeof op->name, "%s", config_setting_get_string(ns));
        op->line = config_setting_source_line(g);
        snprintf(what, sizeof what, " (op point '%s')", op->name);
        for (int j = 0; j < k; j++) {
            if (strcmp(net->ops[j].name, op->name) == 0) {
                snprintf(path, sizeof path, "op_points[%d].name", k);
                erg_cfg_fail(err, ns, path,
                             "the name '%s' is already used by op_points[%d] (line %u); op point "
                             "names must be unique",
                             op->name, j, net->ops[j].line);
                goto out;
            }
        }
        const config_setting_t *ms = config_setting_get_member(g, "multipliers");
        int nm = ms ? config_setting_length(ms) : 0;
        for (int q = 0; q < nm; q++) {
            const config_setting_t *e = config_setting_get_elem(ms, (unsigned)q);
            const config_setting_t *ls = config_setting_get_member(e, "layer");
            const config_setting_t *mset = config_setting_get_member(e, "multiplier");
            const char *lname = config_setting_get_string(ls);
            snprintf(path, sizeof path, "op_points[%d].multipliers[%d].layer", k, q);
            int li = -1;
            for (int i = 0; i < net->n_layers && li < 0; i++)
                if (strcmp(names[i], lname) == 0) li = i;
            if (li < 0) {
                const char *near = erg_nearest(lname, names, net->n_layers);
                if (near)
                    erg_cfg_fail(err, ls, path,
                                 "no layer named '%s' in net '%s' (did you mean '%s'?)%s", lname,
                                 net->name, near, what);
                else
                    erg_cfg_fail(err, ls, path,
                                 "no layer named '%s' in net '%s' (layers with a multiplier: "
                                 "%s)%s",
                                 lname, net->name, with_mul[0] ? with_mul : "none", what);
                goto out;
            }
            const erg_layer *l = &net->layers[li];
            if (l->mul < 0) {
                if (has_products(l))
                    erg_cfg_fail(err, ls, path,
                                 "layer '%s' is binary (its products are XNORs): a multiplier "
                                 "applies to int8 conv2d, depthwise and dense layers only%s",
                                 lname, what);
                else
                    erg_cfg_fail(err, ls, path,
                                 "layer '%s' is a %s layer, without products: a multiplier "
                                 "applies to int8 conv2d, depthwise and dense layers only%s",
                                 lname, erg_layer_type_name(l->type), what);
                goto out;
            }
            for (int r = 0; r < q; r++) {
                const config_setting_t *prev = config_setting_get_elem(ms, (unsigned)r);
                const char *pl = erg_cfg_str(prev, "layer", "");
                if (strcmp(pl, lname) == 0) {
                    erg_cfg_fail(err, ls, path,
                                 "layer '%s' is listed twice in op point '%s' (first at "
                                 "multipliers[%d], line %u); give each layer one multiplier",
                                 lname, op->name, r, config_setting_source_line(prev));
                    goto out;
                }
            }
            snprintf(path, sizeof path, "op_points[%d].multipliers[%d].multiplier", k, q);
            int m = add_mul(net, cfg->dir, config_setting_get_string(mset), mset, path, what, err);
            if (m < 0) goto out;
            op->mul[li] = m;
        }
    }
    rc = 0;
out:
    free(names);
    return rc;
}

int erg_net_op_find(const erg_net *net, const char *name, erg_error *err) {
    for (int k = 0; k < net->n_ops; k++)
        if (strcmp(net->ops[k].name, name) == 0) return k;
    const char *names[256];
    char list[ERG_ERR_MAX / 2] = "";
    int n = net->n_ops < 256 ? net->n_ops : 256;
    for (int k = 0; k < n; k++) {
        names[k] = net->ops[k].name;
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", names[k]);
    }
    const char *near = erg_nearest(name, names, n);
    if (!net->has_op_points)
        return erg_fail(err,
                        "net '%s' (%s) has no op point '%s': it lists no op_points, so its one "
                        "op point is 'default' (the layers' own multipliers)",
                        net->name, net->path, name);
    if (near)
        return erg_fail(err, "net '%s' (%s) has no op point '%s' (did you mean '%s'?)", net->name,
                        net->path, name, near);
    return erg_fail(err, "net '%s' (%s) has no op point '%s'; its op points: %s", net->name,
                    net->path, name, list);
}

static const erg_net_mul *mul_of(const erg_net *net, int op, int layer) {
    if (op < 0 || op >= net->n_ops || layer < 0 || layer >= net->n_layers) return NULL;
    int m = net->ops[op].mul[layer];
    return m < 0 ? NULL : &net->muls[m];
}

const erg_mul8u *erg_net_layer_mul(const erg_net *net, int op, int layer) {
    const erg_net_mul *m = mul_of(net, op, layer);
    return m && m->builtin != ERG_AMUL_ID_exact ? &m->mul : NULL;
}

const char *erg_net_layer_mul_name(const erg_net *net, int op, int layer) {
    const erg_net_mul *m = mul_of(net, op, layer);
    return m ? m->spec : NULL;
}

double erg_net_op_approx_share(const erg_net *net, int op) {
    int64_t all = 0, approx = 0;
    for (int i = 0; i < net->n_layers; i++) {
        const erg_net_mul *m = mul_of(net, op, i);
        if (!m) continue;
        all += net->layers[i].macs;
        if (!m->exact) approx += net->layers[i].macs;
    }
    return all ? (double)approx / (double)all : 0.0;
}

int erg_net_has_approx(const erg_net *net) {
    for (int k = 0; k < net->n_ops; k++)
        if (erg_net_op_approx_share(net, k) > 0) return 1;
    return 0;
}

static int net_load(erg_net *net, const char *path, int any_bits, erg_error *err);

int erg_net_load(erg_net *net, const char *path, erg_error *err) {
    return net_load(net, path, 0, err);
}

int erg_net_load_any_bits(erg_net *net, const char *path, erg_error *err) {
    return net_load(net, path, 1, err);
}

static int net_load(erg_net *net, const char *path, int any_bits, erg_error *err) {
    memset(net, 0, sizeof *net);
    net->any_bits = any_bits;
    snprintf(net->path, sizeof net->path, "%s", path);
    erg_cfg cfg;
    if (erg_cfg_load(&cfg, path, NET_KEYS, err)) return -1;
    int rc = -1;
    snprintf(net->name, sizeof net->name, "%s",
             erg_cfg_str(config_root_setting(&cfg.lc), "name", "?"));
    if (load_input(net, &cfg, err) || load_weights_key(net, &cfg, err)) goto out;

    erg_error e;
    if (add_mul(net, cfg.dir, "exact", NULL, "", "", &e) != 0) {
        erg_fail(err, "%s", e.msg);
        goto out;
    }
    const config_setting_t *layers = config_lookup(&cfg.lc, "layers");
    net->n_layers = config_setting_length(layers);
    net->layers = calloc((size_t)net->n_layers, sizeof *net->layers);
    if (!net->layers) {
        erg_fail(err, "out of memory");
        goto out;
    }
    for (int i = 0; i < net->n_layers; i++) {
        const config_setting_t *g = config_setting_get_elem(layers, (unsigned)i);
        read_layer(&net->layers[i], g);
        for (int j = 0; j < i; j++) {
            if (strcmp(net->layers[j].name, net->layers[i].name) == 0) {
                layer_fail(err, net, &net->layers[i], i,
                           "the name is already used by layers[%d] (line %u); layer names "
                           "must be unique (weight files are named after them)",
                           j, net->layers[j].line);
                goto out;
            }
        }
        if (infer(net, i, g, err) || layer_mul(net, &cfg, i, g, err)) goto out;
        net->macs += net->layers[i].macs;
        net->params += net->layers[i].params;
    }
    if (load_op_points(net, &cfg, err)) goto out;
    rc = 0;
out:
    erg_cfg_free(&cfg);
    if (rc) erg_net_free(net);
    return rc;
}

void erg_net_free(erg_net *net) {
    for (int m = 0; m < net->n_muls; m++) {
        free(net->muls[m].spec);
        free(net->muls[m].table);
    }
    for (int k = 0; net->ops && k < net->n_ops; k++) free(net->ops[k].mul);
    free(net->muls);
    free(net->ops);
    free(net->levels);
    free(net->layers);
    net->muls = NULL;
    net->ops = NULL;
    net->levels = NULL;
    net->layers = NULL;
    net->n_muls = net->n_ops = net->n_layers = 0;
}

int erg_net_is_binary(const erg_net *net) {
    for (int i = 0; i < net->n_layers; i++)
        if (net->layers[i].in_kind == ERG_V_BIN || net->layers[i].out_kind == ERG_V_BIN) return 1;
    return 0;
}
