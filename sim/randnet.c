/* randnet.c — random binary networks within a BNA unit's limits. */
#include "randnet.h"

#include <unistd.h>

#include "erg_amul.h"
#include "erg_rng.h"

static int rnd(erg_rng *r, int lo, int hi) {
    return (int)erg_rng_range(r, lo, hi);
}

void erg_randnet_write(FILE *f, uint64_t seed, const erg_unit_cfg *u) {
    erg_rng r;
    erg_rng_seed(&r, seed);
    int kmax = 0;
    for (int i = 0; i < u->n_kernels; i++)
        if (u->kernels[i] > kmax) kmax = u->kernels[i];
    int k = u->kernels[rnd(&r, 0, u->n_kernels - 1)];
    int h = rnd(&r, k + 1, u->max_fmap_h < 14 ? u->max_fmap_h : 14);
    int w = rnd(&r, k + 1, u->max_fmap_w < 14 ? u->max_fmap_w : 14);
    int raw_c = rnd(&r, 1, 3);
    int max_levels = u->max_channels / raw_c;
    if (max_levels > 255) max_levels = 255;
    int levels = rnd(&r, 1, max_levels < 40 ? max_levels : 40);
    fprintf(f, "name = \"random-%llu\";\n", (unsigned long long)seed);
    fprintf(f, "input = { shape = [%d, %d, %d]; encode = \"thermometer\"; levels = %d; };\n", h, w,
            raw_c, levels);
    fprintf(f, "weights = \"random\";\nseed = %llu;\nlayers = (\n",
            (unsigned long long)(seed & 0x7fffffff));
    int c = raw_c * levels;
    int n_conv = rnd(&r, 1, 3);
    for (int i = 0; i < n_conv; i++) {
        int kk = i == 0 ? k : u->kernels[rnd(&r, 0, u->n_kernels - 1)];
        if (kk > h || kk > w) break;
        int cout = rnd(&r, 1, u->max_channels < 150 ? u->max_channels : 150);
        fprintf(f,
                "  { name = \"conv%d\"; type = \"conv2d\"; kernel = %d; filters = %d; "
                "weight_bits = 1; act_bits = 1; activation = \"bn_sign\"; },\n",
                i + 1, kk, cout);
        h -= kk - 1;
        w -= kk - 1;
        c = cout;
        int s = rnd(&r, 1, kmax);
        if (u->has_pool && rnd(&r, 0, 2) == 0 && s <= h && s <= w) {
            fprintf(f, "  { name = \"pool%d\"; type = \"maxpool\"; size = %d; },\n", i + 1, s);
            h = (h - s) / s + 1;
            w = (w - s) / s + 1;
        }
    }
    fprintf(f, "  { name = \"flat\"; type = \"flatten\"; },\n");
    /* a hidden dense layer only over small maps: each pixel takes a weight word per filter */
    if (rnd(&r, 0, 3) == 0 && h * w <= 16) {
        int hidden = rnd(&r, 1, u->max_channels < 100 ? u->max_channels : 100);
        fprintf(f,
                "  { name = \"fc1\"; type = \"dense\"; units = %d; weight_bits = 1; act_bits = 1; "
                "activation = \"bn_sign\"; },\n",
                hidden);
    }
    fprintf(f,
            "  { name = \"fc\"; type = \"dense\"; units = %d; weight_bits = 1; act_bits = 1; "
            "activation = \"bn\"; }\n);\n",
            rnd(&r, 2, 10));
    (void)c;
}

/* What a net config names multiplier i of the unit's set by: a built-in's name, or the path of
 * a user multiplier's product table. */
static const char *mul_spec(const erg_unit_cfg *u, int i, char *buf, size_t n) {
    int k = u->amac.mul_ids[i] - ERG_AMAC_USER_ID0;
    if (k >= 0 && k < u->n_user_muls) {
        /* absolute: the random net's config is written elsewhere than the chip's */
        const char *path = u->user_mul_path[k];
        char cwd[1024] = "";
        if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
        snprintf(buf, n, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
        return buf;
    }
    return erg_chip_amac_mul_name(u, i, buf, n);
}

void erg_randnet_int8_write(FILE *f, uint64_t seed, const erg_unit_cfg *u) {
    char mulbuf[2200];
    erg_rng r;
    erg_rng_seed(&r, seed);
    const erg_amac_params *p = &u->amac;
    int h = rnd(&r, 3, 16), w = rnd(&r, 3, 16), c = rnd(&r, 1, 4);
    fprintf(f, "name = \"random-int8-%llu\";\n", (unsigned long long)seed);
    fprintf(f, "input = { shape = [%d, %d, %d]; };\n", h, w, c);
    fprintf(f, "weights = \"random\";\nseed = %llu;\nlayers = (\n",
            (unsigned long long)(seed & 0x7fffffff));
    int n_conv = rnd(&r, 1, 3), n = 0;
    char names[8][16];
    for (int i = 0; i < n_conv; i++) {
        int k = rnd(&r, 1, 3), s = rnd(&r, 1, 2), same = rnd(&r, 0, 1);
        if (!same && (k > h || k > w)) same = 1;
        int dw = c > 1 && rnd(&r, 0, 3) == 0;
        int cout = dw ? c : rnd(&r, 1, 24);
        const char *mul = mul_spec(u, rnd(&r, 0, p->n_mul - 1), mulbuf, sizeof mulbuf);
        snprintf(names[n++], sizeof names[0], "conv%d", i + 1);
        if (dw)
            fprintf(f,
                    "  { name = \"conv%d\"; type = \"depthwise\"; kernel = %d; stride = %d; "
                    "padding = \"%s\"; weight_bits = 8; act_bits = 8; activation = \"relu\"; "
                    "multiplier = \"%s\"; },\n",
                    i + 1, k, s, same ? "same" : "valid", mul);
        else
            fprintf(f,
                    "  { name = \"conv%d\"; type = \"conv2d\"; kernel = %d; filters = %d; "
                    "stride = %d; padding = \"%s\"; weight_bits = 8; act_bits = 8; "
                    "activation = \"relu\"; multiplier = \"%s\"; },\n",
                    i + 1, k, cout, s, same ? "same" : "valid", mul);
        h = same ? (h + s - 1) / s : (h - k) / s + 1;
        w = same ? (w + s - 1) / s : (w - k) / s + 1;
        c = cout;
        if (h >= 2 && w >= 2 && rnd(&r, 0, 2) == 0) {
            fprintf(f, "  { name = \"pool%d\"; type = \"maxpool\"; size = 2; },\n", i + 1);
            h /= 2;
            w /= 2;
        }
    }
    /* a dense layer's one filter (h w c bytes) must fit the filter buffer, or the unit refuses
     * it (ERR_TILING): only then does the net end with one */
    int fc = rnd(&r, 0, 3) != 0 && (uint64_t)h * (uint64_t)w * (uint64_t)c <= p->filter_sram_bytes;
    if (fc) {
        const char *mul = mul_spec(u, rnd(&r, 0, p->n_mul - 1), mulbuf, sizeof mulbuf);
        snprintf(names[n++], sizeof names[0], "fc");
        fprintf(f,
                "  { name = \"flat\"; type = \"flatten\"; },\n"
                "  { name = \"fc\"; type = \"dense\"; units = %d; weight_bits = 8; act_bits = 8; "
                "activation = \"none\"; multiplier = \"%s\"; }\n);\n",
                rnd(&r, 1, 12), mul);
    } else {
        fprintf(f, "  { name = \"end\"; type = \"flatten\"; }\n);\n");
    }
    /* two points: the layers' own multipliers first, then every layer exact */
    fprintf(f, "op_points = (\n  { name = \"own\"; },\n  { name = \"exact\";\n    multipliers = (");
    for (int i = 0; i < n; i++)
        fprintf(f, "%s{ layer = \"%s\"; multiplier = \"exact\"; }", i ? ", " : " ", names[i]);
    fprintf(f, " ); }\n);\n");
}
