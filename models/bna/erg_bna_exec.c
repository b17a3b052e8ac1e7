/* erg_bna_exec.c — the BNA data path: thermometer encoder, K x K binary conv with folded
 * batch-norm thresholds, max-pool and dense, computed bit-packed on whole maps (docs/bna.md). */
#include "erg_bna_int.h"

#include "erg_bitpack.h"
#include "erg_regs.h"

/* floor(a / 2) and ceil(a / 2) for any sign of a. */
static int32_t floor_half(int32_t a) {
    return a >= 0 ? a / 2 : -((1 - a) / 2);
}
static int32_t ceil_half(int32_t a) {
    return -floor_half(-a);
}

/* The threshold word (bits 0..15: int16 tau, bit 16: flip) as a popcount range: with
 * dot = n - 2 pop, dot >= tau <=> pop <= floor((n - tau) / 2) and dot <= tau <=>
 * pop >= ceil((n - tau) / 2). The output bit is 1 iff lo <= pop <= hi. */
static void threshold_range(uint64_t word, int32_t n, int32_t *lo, int32_t *hi) {
    uint16_t raw = (uint16_t)(word & 0xFFFFu);
    int32_t tau = raw < 0x8000u ? (int32_t)raw : (int32_t)raw - 0x10000;
    if ((word >> 16) & 1u) {
        *lo = ceil_half(n - tau);
        *hi = n;
    } else {
        *lo = 0;
        *hi = floor_half(n - tau);
    }
}

_Static_assert(ERG_BNA_PIX_BLOCK == 4, "popcount_block computes four windows");

/* Output bits of nb neurons (weights [nb][len]) for four windows ([4][len]): bit i of bits[b]
 * is 1 iff lo[i] <= popcount(window b XOR weights i) <= hi[i]. */
static void popcount_block(const uint64_t *win, const uint64_t *wgt, int len, int nb,
                           const int32_t *lo, const int32_t *hi, uint64_t *bits) {
    const uint64_t *a0 = win, *a1 = win + len, *a2 = win + 2 * len, *a3 = win + 3 * len;
    for (int i = 0; i < nb; i++) {
        const uint64_t *wi = wgt + (size_t)i * len;
        int32_t p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        for (int j = 0; j < len; j++) {
            uint64_t wv = wi[j];
            p0 += __builtin_popcountll(a0[j] ^ wv);
            p1 += __builtin_popcountll(a1[j] ^ wv);
            p2 += __builtin_popcountll(a2[j] ^ wv);
            p3 += __builtin_popcountll(a3[j] ^ wv);
        }
        bits[0] |= (uint64_t)((p0 >= lo[i]) & (p0 <= hi[i])) << i;
        bits[1] |= (uint64_t)((p1 >= lo[i]) & (p1 <= hi[i])) << i;
        bits[2] |= (uint64_t)((p2 >= lo[i]) & (p2 <= hi[i])) << i;
        bits[3] |= (uint64_t)((p3 >= lo[i]) & (p3 <= hi[i])) << i;
    }
}

/* Expands the raw input (one word per pixel, channel k in byte k) into a packed binary map:
 * channel k becomes levels[k] planes, plane j = [x >= floor((j + 1) 256 / (levels[k] + 1))],
 * planes of channel 0 first. Thresholds grow with j, so the planes set are a prefix. */
static void load_thermometer(const erg_bna *u, const erg_bna_layer *l, const uint8_t *src) {
    uint8_t on[8][256]; /* planes set for each raw value */
    for (int k = 0; k < l->c_raw; k++) {
        int hist[257] = {0};
        for (int j = 0; j < l->levels[k]; j++) hist[(j + 1) * 256 / (l->levels[k] + 1)]++;
        int count = 0;
        for (int v = 0; v < 256; v++) on[k][v] = (uint8_t)(count += hist[v]);
    }
    size_t pixels = (size_t)l->h * l->w;
    memset(u->x, 0, pixels * l->p_bin * sizeof *u->x);
    for (size_t px = 0; px < pixels; px++) {
        uint64_t raw = erg_bna_ld64(src + 8 * px);
        uint64_t *x = u->x + px * l->p_bin;
        int first = 0;
        for (int k = 0; k < l->c_raw; k++) {
            int n = on[k][(raw >> (8 * k)) & 0xFFu];
            for (int b = first; b < first + n; b++) x[b / 64] |= (uint64_t)1 << (b % 64);
            first += l->levels[k];
        }
    }
}

/* Copies the binary input map into u->x with the unused bits of every pixel cleared, so that
 * the kernels need no masks once the weights are masked the same way. */
static void load_binary(const erg_bna *u, const erg_bna_layer *l, const uint8_t *src) {
    size_t pixels = (size_t)l->h * l->w;
    for (size_t px = 0; px < pixels; px++)
        for (int q = 0; q < l->p_in; q++) {
            size_t i = px * l->p_in + q;
            u->x[i] = erg_bna_ld64(src + 8 * i) & erg_bitpack_mask(l->c, q);
        }
}

static void store_words(uint8_t *dst, const uint64_t *y, size_t words) {
    for (size_t i = 0; i < words; i++) erg_bna_st64(dst + 8 * i, y[i]);
}

/* Conv: the output channels are taken 64 at a time (one output word per pixel); each neuron
 * popcounts the K*K*P words of the gathered window against its masked weights. The groups of
 * N neurons of the hardware write the same bits (docs/bna.md, implementation notes). */
static void exec_conv(erg_bna *u, const erg_bna_layer *l) {
    const int k = l->k, p = l->p_bin, len = k * k * p, row = l->w * p;
    const int32_t n = k * k * l->c;
    int32_t lo[64], hi[64];
    for (int w0 = 0; w0 < l->p_out; w0++) {
        int nb = l->cout - 64 * w0 < 64 ? l->cout - 64 * w0 : 64;
        for (int i = 0; i < nb; i++) {
            int o = 64 * w0 + i, bank = o % u->p.banks;
            int64_t r = l->wbase + (int64_t)(o / u->p.banks) * l->wpf;
            threshold_range(erg_bna_wsub(u, bank, r, 0), n, &lo[i], &hi[i]);
            uint64_t *wi = u->wgt + (size_t)i * len;
            for (int s = 0; s < k * k; s++)
                for (int q = 0; q < p; q++)
                    wi[s * p + q] = erg_bna_wsub(u, bank, r + 1 + s * l->slot_words, q) &
                                    erg_bitpack_mask(l->c, q);
        }
        /* Four output pixels at a time: each weight word loaded once serves four windows. */
        const int npix = l->ho * l->wo;
        for (int px0 = 0; px0 < npix; px0 += ERG_BNA_PIX_BLOCK) {
            int nblk = npix - px0 < ERG_BNA_PIX_BLOCK ? npix - px0 : ERG_BNA_PIX_BLOCK;
            for (int b = 0; b < ERG_BNA_PIX_BLOCK; b++) { /* a short block repeats its last */
                int px = px0 + (b < nblk ? b : nblk - 1), oh = px / l->wo, ow = px % l->wo;
                const uint64_t *x0 = u->x + (size_t)oh * row + (size_t)ow * p;
                for (int kh = 0; kh < k; kh++)
                    memcpy(u->win + (size_t)b * len + kh * k * p, x0 + (size_t)kh * row,
                           sizeof(uint64_t) * k * p);
            }
            uint64_t bits[ERG_BNA_PIX_BLOCK] = {0};
            popcount_block(u->win, u->wgt, len, nb, lo, hi, bits);
            for (int b = 0; b < nblk; b++) u->y[(size_t)(px0 + b) * l->p_out + w0] = bits[b];
        }
    }
    store_words(u->fmap[l->dst], u->y, (size_t)l->ho * l->wo * l->p_out);
}

/* Max-pool: OR of the S x S window, stride S, per word (unused bits are already 0). */
static void exec_pool(erg_bna *u, const erg_bna_layer *l) {
    const int s = l->k, p = l->p_bin;
    for (int oh = 0; oh < l->ho; oh++)
        for (int ow = 0; ow < l->wo; ow++)
            for (int q = 0; q < p; q++) {
                uint64_t v = 0;
                for (int i = 0; i < s; i++)
                    for (int j = 0; j < s; j++)
                        v |= u->x[((size_t)(oh * s + i) * l->w + (size_t)(ow * s + j)) * p + q];
                u->y[((size_t)oh * l->wo + ow) * p + q] = v;
            }
    store_words(u->fmap[l->dst], u->y, (size_t)l->ho * l->wo * p);
}

/* Dense: each filter's slots follow the K x K tiles (row-major), in-range pixels row-major
 * inside a tile; the dot covers n = H W c bits. */
static void exec_dense(erg_bna *u, const erg_bna_layer *l) {
    const int k = l->k, p = l->p_bin;
    const int32_t n = l->h * l->w * l->c;
    memset(u->y, 0, sizeof(uint64_t) * l->p_out);
    for (int o = 0; o < l->cout; o++) {
        int bank = o % u->p.banks;
        int64_t r = l->wbase + (int64_t)(o / u->p.banks) * l->wpf;
        int32_t lo = 0, hi = 0;
        if (!l->out_dots) threshold_range(erg_bna_wsub(u, bank, r++, 0), n, &lo, &hi);
        int32_t pop = 0;
        for (int ty = 0; ty < l->h; ty += k)
            for (int tx = 0; tx < l->w; tx += k)
                for (int y = ty; y < ty + k && y < l->h; y++)
                    for (int x = tx; x < tx + k && x < l->w; x++) {
                        const uint64_t *a = u->x + ((size_t)y * l->w + x) * p;
                        for (int q = 0; q < p; q++)
                            pop += __builtin_popcountll(
                                a[q] ^ (erg_bna_wsub(u, bank, r, q) & erg_bitpack_mask(l->c, q)));
                        r += l->slot_words;
                    }
        if (l->out_dots)
            u->out[o] = n - 2 * pop;
        else
            u->y[o / 64] |= (uint64_t)((pop >= lo) & (pop <= hi)) << (o % 64);
    }
    if (!l->out_dots) store_words(u->fmap[l->dst], u->y, (size_t)l->p_out);
}

void erg_bna_exec_layer(erg_bna *u, const erg_bna_layer *l) {
    const uint8_t *src = u->fmap[l->src];
    if (l->therm)
        load_thermometer(u, l, src);
    else
        load_binary(u, l, src);
    if (l->op == ERG_BNA_OP_CONV)
        exec_conv(u, l);
    else if (l->op == ERG_BNA_OP_MAXPOOL)
        exec_pool(u, l);
    else
        exec_dense(u, l);
}
