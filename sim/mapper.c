/* mapper.c — layer-to-unit assignment and tiling for BNA units (docs/bna.md, "What the
 * mapper accepts"). */
#include "mapper.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "erg_regs.h"

void erg_unit_info(const erg_unit_cfg *u, erg_drv_bna_info *info) {
    memset(info, 0, sizeof *info);
    info->base = u->base;
    info->neurons = u->neurons;
    info->channels = u->max_channels;
    info->fmap_h = u->max_fmap_h;
    info->fmap_w = u->max_fmap_w;
    info->banks = u->weight_banks;
    info->word_bits = u->weight_word_bits;
    for (int i = 0; i < u->n_kernels; i++) info->kernels |= 1u << u->kernels[i];
    info->bank_rows = u->weight_sram_bytes / u->weight_banks / (u->weight_word_bits / 8);
    info->fmap_words = u->fmap_sram_bytes / 2 / 8;
}

static int reject(erg_error *err, const erg_net *net, const erg_chip *chip, const erg_layer *l,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int reject(erg_error *err, const erg_net *net, const erg_chip *chip, const erg_layer *l,
                  const char *fmt, ...) {
    char msg[ERG_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return erg_fail(err, "%s:%u: layer '%s' cannot run on chip '%s': %s", net->path, l->line,
                    l->name, chip->name, msg);
}

static int largest_kernel(unsigned mask) {
    int k = 0;
    for (int i = 1; i < 32; i++)
        if (mask & (1u << i)) k = i;
    return k;
}

static const char *kernel_list(unsigned mask, char *buf, size_t len) {
    buf[0] = 0;
    for (int i = 1; i < 32; i++) {
        if (!(mask & (1u << i))) continue;
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, "%s%dx%d", l ? ", " : "", i, i);
    }
    return buf;
}

/* Picks the unit of layer l: its explicit `unit`, else the first BNA unit. */
static int pick_unit(const erg_net *net, const erg_chip *chip, const erg_layer *l, erg_error *err) {
    if (l->unit[0]) {
        const char *names[ERG_CHIP_MAX_UNITS];
        for (int i = 0; i < chip->n_units; i++) {
            names[i] = chip->units[i].name;
            if (strcmp(chip->units[i].name, l->unit) == 0) return i;
        }
        const char *near = erg_nearest(l->unit, names, chip->n_units);
        return reject(err, net, chip, l, "the chip has no unit '%s'%s%s%s", l->unit,
                      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    int u = erg_chip_unit_of_kind(chip, ERG_UNIT_BNA);
    if (u >= 0) return u;
    return reject(err, net, chip, l, "the chip has no binary neuron array (bna) unit");
}

int erg_map_net(erg_mapping *m, const erg_net *net, const erg_chip *chip, erg_error *err) {
    memset(m, 0, sizeof *m);
    m->n = net->n_layers;
    m->l = calloc((size_t)m->n, sizeof *m->l);
    if (!m->l) return erg_fail(err, "out of memory");
    m->unit = -1;
    int buf = 0;                    /* the input image goes to buffer A */
    erg_shape spatial = net->first; /* map shape seen by a dense layer (before flatten) */
    char kl[64], s1[32];
    for (int i = 0; i < net->n_layers; i++) {
        const erg_layer *l = &net->layers[i];
        erg_map_layer *ml = &m->l[i];
        if (l->type == ERG_L_FLATTEN) {
            ml->unit = -1; /* a view: the next dense layer reads the map as it is */
            continue;
        }
        int ui = pick_unit(net, chip, l, err);
        if (ui < 0) goto fail;
        const erg_unit_cfg *u = &chip->units[ui];
        if (m->unit >= 0 && ui != m->unit) {
            reject(err, net, chip, l,
                   "it is assigned to unit '%s' but earlier layers run on '%s'; a network runs "
                   "on one BNA unit",
                   u->name, chip->units[m->unit].name);
            goto fail;
        }
        m->unit = ui;
        erg_drv_bna_info info;
        erg_unit_info(u, &info);
        int first = i == 0;
        int therm = first && net->encode == ERG_ENC_THERMOMETER;
        erg_drv_layer *d = &ml->d;
        ml->unit = ui;
        d->in_h = (uint32_t)l->in.h;
        d->in_w = (uint32_t)l->in.w;
        d->in_c = (uint32_t)(therm ? net->input.c : l->in.c);
        d->src = (uint32_t)buf;
        d->dst = (uint32_t)(buf ^ 1);
        if (l->in_kind != ERG_V_BIN && !therm) {
            reject(err, net, chip, l,
                   "unit '%s' (bna) takes binary layers; this one's input is %s (weight_bits = "
                   "%d, act_bits = %d)",
                   u->name, erg_vkind_name(l->in_kind), l->weight_bits, l->act_bits);
            goto fail;
        }
        /* a dense layer reads the map before flatten */
        erg_shape in = l->type == ERG_L_DENSE ? spatial : l->in;
        if (in.h > u->max_fmap_h || in.w > u->max_fmap_w) {
            reject(err, net, chip, l,
                   "its input %dx%d exceeds unit '%s''s largest feature map %dx%d", in.h, in.w,
                   u->name, u->max_fmap_h, u->max_fmap_w);
            goto fail;
        }
        int cin = in.c;
        if (cin > u->max_channels) {
            reject(err, net, chip, l, "%d input channels exceed unit '%s''s max_channels = %d", cin,
                   u->name, u->max_channels);
            goto fail;
        }
        if (therm) {
            if (!u->has_thermometer) {
                reject(err, net, chip, l, "unit '%s' has no thermometer encoder", u->name);
                goto fail;
            }
            if (net->input.c > 8) {
                reject(err, net, chip, l,
                       "the thermometer encoder takes at most 8 raw channels, "
                       "the input has %d",
                       net->input.c);
                goto fail;
            }
            if (l->type != ERG_L_CONV2D) {
                reject(err, net, chip, l,
                       "the thermometer-coded input must feed a convolution "
                       "(the encoder sits in unit '%s''s convolution datapath)",
                       u->name);
                goto fail;
            }
            for (int c = 0; c < net->input.c; c++) d->levels[c] = (uint8_t)net->levels[c];
            d->flags |= ERG_BNA_L_FLAGS_THERM;
        }
        int64_t in_words = (int64_t)in.h * in.w * (therm ? 1 : (cin + 63) / 64);
        if (in_words > info.fmap_words) {
            reject(err, net, chip, l,
                   "its input map needs %lld words of 64 bits but a feature-map "
                   "buffer of unit '%s' holds %lld",
                   (long long)in_words, u->name, (long long)info.fmap_words);
            goto fail;
        }
        if (l->type == ERG_L_CONV2D) {
            const erg_conv_geom *g = &l->conv;
            d->op = ERG_BNA_OP_CONV;
            d->out_c = (uint32_t)l->out.c;
            d->k = (uint32_t)g->k_h;
            ml->bn_sign = 1;
            if (g->k_h != g->k_w || g->k_h > 31 || !(info.kernels & (1u << g->k_h))) {
                reject(err, net, chip, l,
                       "kernel %dx%d is not supported by unit '%s' (kernels: %s)", g->k_h, g->k_w,
                       u->name, kernel_list(info.kernels, kl, sizeof kl));
                goto fail;
            }
            if (g->stride != 1) {
                reject(err, net, chip, l, "stride %d: unit '%s' runs stride-1 convolutions only",
                       g->stride, u->name);
                goto fail;
            }
            if (g->pad_top + g->pad_bottom + g->pad_left + g->pad_right) {
                reject(err, net, chip, l,
                       "padding \"same\": unit '%s' runs valid convolutions only", u->name);
                goto fail;
            }
            if (l->act != ERG_ACT_BN_SIGN) {
                reject(err, net, chip, l, "a convolution on unit '%s' must end in bn_sign",
                       u->name);
                goto fail;
            }
        } else if (l->type == ERG_L_MAXPOOL) {
            d->op = ERG_BNA_OP_MAXPOOL;
            d->out_c = (uint32_t)l->out.c;
            d->k = (uint32_t)l->pool.size;
            if (!u->has_pool) {
                reject(err, net, chip, l, "unit '%s' has no pooling", u->name);
                goto fail;
            }
            if (l->pool.size > largest_kernel(info.kernels) || l->pool.stride != l->pool.size) {
                reject(err, net, chip, l,
                       "pool %dx%d stride %d: unit '%s' pools windows up to %dx%d with stride = "
                       "size",
                       l->pool.size, l->pool.size, l->pool.stride, u->name,
                       largest_kernel(info.kernels), largest_kernel(info.kernels));
                goto fail;
            }
        } else if (l->type == ERG_L_DENSE) {
            if (!u->has_dense) {
                reject(err, net, chip, l, "unit '%s' has no dense-layer support", u->name);
                goto fail;
            }
            d->op = ERG_BNA_OP_DENSE;
            d->in_h = (uint32_t)spatial.h;
            d->in_w = (uint32_t)spatial.w;
            d->in_c = (uint32_t)spatial.c;
            d->out_c = (uint32_t)l->out.c;
            d->k = (uint32_t)largest_kernel(info.kernels);
            ml->bn_sign = l->act == ERG_ACT_BN_SIGN;
            if (!ml->bn_sign) d->flags |= ERG_BNA_L_FLAGS_OUT_DOTS;
            int64_t fan_in = (int64_t)spatial.h * spatial.w * spatial.c;
            if (ml->bn_sign && fan_in > 32766) {
                reject(err, net, chip, l, "fan-in %lld exceeds the 16-bit threshold range (32766)",
                       (long long)fan_in);
                goto fail;
            }
        } else {
            reject(err, net, chip, l,
                   "unit '%s' (bna) runs binary conv2d, maxpool and dense "
                   "layers, not %s",
                   u->name, erg_layer_type_name(l->type));
            goto fail;
        }
        if (l->out.c > u->max_channels) {
            reject(err, net, chip, l, "%d output channels exceed unit '%s''s max_channels = %d",
                   l->out.c, u->name, u->max_channels);
            goto fail;
        }
        int64_t out_words = (int64_t)l->out.h * l->out.w * ((l->out.c + 63) / 64);
        if (!(d->flags & ERG_BNA_L_FLAGS_OUT_DOTS) && out_words > info.fmap_words) {
            reject(err, net, chip, l,
                   "its output map %s needs %lld words of 64 bits but a "
                   "feature-map buffer of unit '%s' holds %lld",
                   erg_shape_str(l->out, s1, sizeof s1), (long long)out_words, u->name,
                   (long long)info.fmap_words);
            goto fail;
        }
        d->wbase = (uint32_t)m->rows_used;
        ml->rows = erg_drv_layer_rows(&info, d, ml->bn_sign);
        m->rows_used += ml->rows;
        if (m->rows_used > info.bank_rows) {
            reject(err, net, chip, l,
                   "the weights up to this layer need %lld rows of %d bits per bank (%lld bytes "
                   "in all) but unit '%s' has %lld rows per bank (weight_sram = %lld bytes)",
                   (long long)m->rows_used, info.word_bits,
                   (long long)(m->rows_used * info.banks * info.word_bits / 8), u->name,
                   (long long)info.bank_rows, (long long)u->weight_sram_bytes);
            goto fail;
        }
        if (!(d->flags & ERG_BNA_L_FLAGS_OUT_DOTS)) buf ^= 1;
        spatial = l->out;
    }
    m->final_buf = buf;
    return 0;
fail:
    erg_mapping_free(m);
    return -1;
}

void erg_mapping_free(erg_mapping *m) {
    free(m->l);
    m->l = NULL;
    m->n = 0;
}
