/* erg_driver.c — host driver of the binary neuron array over erg_bus: weight layout, loading,
 * layer descriptors, start/wait, counters and outputs (docs/bna.md, driver/erg_regs.def). */
#include "erg_driver.h"

#include <stdlib.h>
#include <string.h>

#include "erg_regs.h"

static uint32_t rd(const erg_bus *b, const erg_drv_bna_info *u, uint32_t off) {
    return erg_bus_read32(b, u->base + off);
}

static void wr(const erg_bus *b, const erg_drv_bna_info *u, uint32_t off, uint32_t v) {
    erg_bus_write32(b, u->base + off, v);
}

int erg_drv_bna_probe(const erg_bus *bus, uint64_t base, erg_drv_bna_info *info, erg_error *err) {
    memset(info, 0, sizeof *info);
    info->base = base;
    uint32_t id = rd(bus, info, ERG_BNA_ID);
    if (id != ERG_BNA_ID_VALUE)
        return erg_fail(err, "no BNA unit at 0x%llx: ID reads 0x%08x, expected 0x%08x",
                        (unsigned long long)base, id, ERG_BNA_ID_VALUE);
    uint32_t ver = rd(bus, info, ERG_BNA_VERSION);
    if (ver != ERG_BNA_VERSION_VALUE)
        return erg_fail(err, "BNA unit at 0x%llx has register map version %u, driver knows %u",
                        (unsigned long long)base, ver, ERG_BNA_VERSION_VALUE);
    info->neurons = (int)rd(bus, info, ERG_BNA_P_NEURONS);
    info->kernels = rd(bus, info, ERG_BNA_P_KERNELS);
    info->channels = (int)rd(bus, info, ERG_BNA_P_CHANNELS);
    info->fmap_h = (int)rd(bus, info, ERG_BNA_P_FMAP_H);
    info->fmap_w = (int)rd(bus, info, ERG_BNA_P_FMAP_W);
    info->banks = (int)rd(bus, info, ERG_BNA_P_BANKS);
    info->word_bits = (int)rd(bus, info, ERG_BNA_P_WORD_BITS);
    info->bank_rows = rd(bus, info, ERG_BNA_P_BANK_ROWS);
    info->fmap_words = rd(bus, info, ERG_BNA_P_FMAP_WORDS);
    if (info->banks < 1 || info->word_bits < 64 || info->neurons < 1)
        return erg_fail(err, "BNA unit at 0x%llx reports nonsense parameters",
                        (unsigned long long)base);
    return 0;
}

static int64_t cdiv(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

static int therm_planes(const erg_drv_layer *l) {
    int n = 0;
    for (uint32_t k = 0; k < l->in_c && k < 8; k++) n += l->levels[k];
    return n;
}

/* Input channels the neurons see: thermometer planes or binary channels. */
static int eff_cin(const erg_drv_layer *l) {
    return (l->flags & ERG_BNA_L_FLAGS_THERM) ? therm_planes(l) : (int)l->in_c;
}

int64_t erg_drv_words_per_filter(const erg_drv_bna_info *u, const erg_drv_layer *l, int bn_sign) {
    int64_t slot = cdiv(eff_cin(l), u->word_bits);
    if (l->op == ERG_BNA_OP_CONV) return 1 + (int64_t)l->k * l->k * slot;
    if (l->op != ERG_BNA_OP_DENSE) return 0;
    /* tiles cover every pixel once, so the slots add up to H*W */
    return (bn_sign ? 1 : 0) + (int64_t)l->in_h * l->in_w * slot;
}

int64_t erg_drv_layer_rows(const erg_drv_bna_info *u, const erg_drv_layer *l, int bn_sign) {
    return cdiv(l->out_c, u->banks) * erg_drv_words_per_filter(u, l, bn_sign);
}

int erg_drv_wimage_alloc(erg_drv_wimage *im, const erg_drv_bna_info *u, erg_error *err) {
    im->size = (size_t)u->banks * (size_t)u->bank_rows * (size_t)(u->word_bits / 8);
    im->bytes = calloc(im->size ? im->size : 1, 1);
    return im->bytes ? 0 : erg_fail(err, "out of memory for a %zu-byte weight image", im->size);
}

void erg_drv_wimage_free(erg_drv_wimage *im) {
    free(im->bytes);
    im->bytes = NULL;
    im->size = 0;
}

/* Sets bit `bit` of the Wb-bit word at `row` of `bank` (words are little-endian bit arrays). */
static void put_bit(erg_drv_wimage *im, const erg_drv_bna_info *u, int bank, int64_t row,
                    int64_t bit) {
    size_t wbytes = (size_t)u->word_bits / 8;
    size_t off = ((size_t)bank * (size_t)u->bank_rows + (size_t)row) * wbytes + (size_t)(bit / 8);
    im->bytes[off] |= (uint8_t)(1u << (bit % 8));
}

/* Writes `n` weights (+-1) as consecutive slot words starting at `row`: ceil(n/Wb) words. */
static int64_t put_slot(erg_drv_wimage *im, const erg_drv_bna_info *u, int bank, int64_t row,
                        const int8_t *w, int n) {
    for (int c = 0; c < n; c++)
        if (w[c] > 0) put_bit(im, u, bank, row + c / u->word_bits, c % u->word_bits);
    return cdiv(n, u->word_bits);
}

void erg_drv_wimage_put(erg_drv_wimage *im, const erg_drv_bna_info *u, const erg_drv_layer *l,
                        const int8_t *w, const int32_t *thr, const uint8_t *flip) {
    int bn_sign = thr != NULL;
    int64_t wpf = erg_drv_words_per_filter(u, l, bn_sign);
    int cin = eff_cin(l);
    size_t wbytes = (size_t)u->word_bits / 8;
    for (uint32_t o = 0; o < l->out_c; o++) {
        int bank = (int)(o % (uint32_t)u->banks);
        int64_t row = l->wbase + (int64_t)(o / (uint32_t)u->banks) * wpf;
        if (bn_sign) {
            /* threshold word: int16 threshold in bits 0..15, flip in bit 16. Dots lie in
             * [-n, n] with n <= 32766 (the mapper checks), so clamping the int32 threshold to
             * int16 changes no comparison (INT32_MIN/MAX encode constants, docs/numerics.md). */
            int32_t t = thr[o] < -32768 ? -32768 : thr[o] > 32767 ? 32767 : thr[o];
            uint32_t word = (uint16_t)(int16_t)t | ((uint32_t)(flip[o] & 1) << 16);
            uint8_t *p = im->bytes + ((size_t)bank * (size_t)u->bank_rows + (size_t)row) * wbytes;
            for (int b = 0; b < 4; b++) p[b] = (uint8_t)(word >> (8 * b));
            row++;
        }
        if (l->op == ERG_BNA_OP_CONV) {
            const int8_t *f = w + (size_t)o * l->k * l->k * (size_t)cin;
            for (uint32_t s = 0; s < l->k * l->k; s++)
                row += put_slot(im, u, bank, row, f + (size_t)s * cin, cin);
        } else {
            /* dense: tiles row-major, pixels row-major inside a tile, one slot per pixel */
            size_t n_in = (size_t)l->in_h * l->in_w * l->in_c;
            const int8_t *f = w + (size_t)o * n_in;
            for (uint32_t ty = 0; ty * l->k < l->in_h; ty++)
                for (uint32_t tx = 0; tx * l->k < l->in_w; tx++)
                    for (uint32_t y = ty * l->k; y < ty * l->k + l->k && y < l->in_h; y++)
                        for (uint32_t x = tx * l->k; x < tx * l->k + l->k && x < l->in_w; x++)
                            row += put_slot(im, u, bank, row,
                                            f + ((size_t)y * l->in_w + x) * l->in_c, (int)l->in_c);
        }
    }
}

void erg_drv_load_weights(const erg_bus *bus, const erg_drv_bna_info *u, const erg_drv_wimage *im) {
    bus->burst_write(bus->ctx, u->base + ERG_BNA_WSRAM, im->bytes, im->size);
}

static uint64_t buf_addr(const erg_drv_bna_info *u, int buf) {
    return u->base + (buf ? ERG_BNA_FMAP_B : ERG_BNA_FMAP_A);
}

void erg_drv_write_image(const erg_bus *bus, const erg_drv_bna_info *u, int buf, const uint8_t *img,
                         int h, int w, int c) {
    size_t n = (size_t)h * w;
    uint64_t *words = calloc(n ? n : 1, sizeof *words);
    if (!words) return;
    for (size_t p = 0; p < n; p++)
        for (int k = 0; k < c; k++) words[p] |= (uint64_t)img[p * c + k] << (8 * k);
    bus->burst_write(bus->ctx, buf_addr(u, buf), words, n * sizeof *words);
    free(words);
}

int erg_drv_run_layer(const erg_bus *bus, const erg_drv_bna_info *u, const erg_drv_layer *l,
                      uint64_t max_cycles, erg_counters *cnt, erg_error *err) {
    wr(bus, u, ERG_BNA_L_OP, l->op);
    wr(bus, u, ERG_BNA_L_IN_H, l->in_h);
    wr(bus, u, ERG_BNA_L_IN_W, l->in_w);
    wr(bus, u, ERG_BNA_L_IN_C, l->in_c);
    wr(bus, u, ERG_BNA_L_OUT_C, l->out_c);
    wr(bus, u, ERG_BNA_L_K, l->k);
    wr(bus, u, ERG_BNA_L_SRC, l->src);
    wr(bus, u, ERG_BNA_L_DST, l->dst);
    wr(bus, u, ERG_BNA_L_WBASE, l->wbase);
    wr(bus, u, ERG_BNA_L_FLAGS, l->flags);
    uint32_t t0 = 0, t1 = 0;
    for (int k = 0; k < 4; k++) {
        t0 |= (uint32_t)l->levels[k] << (8 * k);
        t1 |= (uint32_t)l->levels[k + 4] << (8 * k);
    }
    wr(bus, u, ERG_BNA_L_THERM0, t0);
    wr(bus, u, ERG_BNA_L_THERM1, t1);
    wr(bus, u, ERG_BNA_IRQ_EN, ERG_BNA_IRQ_EN_DONE);
    wr(bus, u, ERG_BNA_IRQ_STATUS, ERG_BNA_IRQ_STATUS_DONE);
    wr(bus, u, ERG_BNA_CTRL, ERG_BNA_CTRL_CLEAR);
    wr(bus, u, ERG_BNA_CTRL, ERG_BNA_CTRL_START);
    /* STATUS is read only after the interrupt: a refused descriptor also raises it (with
     * STATUS.ERROR), and before it the answer would depend on the backend's timing. */
    if (bus->wait_irq(bus->ctx, max_cycles) != 0)
        return erg_fail(err, "the BNA unit at 0x%llx did not finish within %llu cycles",
                        (unsigned long long)u->base, (unsigned long long)max_cycles);
    uint32_t st = rd(bus, u, ERG_BNA_STATUS);
    if (st & ERG_BNA_STATUS_ERROR) {
        uint32_t code = rd(bus, u, ERG_BNA_ERROR);
        wr(bus, u, ERG_BNA_IRQ_STATUS, ERG_BNA_IRQ_STATUS_DONE);
        return erg_fail(err, "the BNA unit at 0x%llx refused the layer descriptor (ERROR = %u)",
                        (unsigned long long)u->base, code);
    }
    if (!(st & ERG_BNA_STATUS_DONE))
        return erg_fail(err, "the BNA unit at 0x%llx raised an interrupt but is not done",
                        (unsigned long long)u->base);
    wr(bus, u, ERG_BNA_IRQ_STATUS, ERG_BNA_IRQ_STATUS_DONE);
    for (int i = 0; i < ERG_CNT_COUNT; i++) {
        uint64_t lo = rd(bus, u, ERG_BNA_CNT_BASE + 8u * (uint32_t)i);
        uint64_t hi = rd(bus, u, ERG_BNA_CNT_BASE + 8u * (uint32_t)i + 4u);
        cnt->v[i] = lo | hi << 32;
    }
    return 0;
}

int erg_drv_read_all_regs(const erg_bus *bus, const erg_drv_bna_info *u) {
    static const struct {
        uint32_t off;
        int readable;
    } regs[] = {
#define ERG_REG(name, off, acc, desc) {off, ERG_ACC_##acc},
#define ERG_FIELD(reg, name, lsb, width, desc)
#define ERG_CONST(name, value, desc)
#define ERG_WINDOW(name, off, size, desc)
#define ERG_ACC_RO 1
#define ERG_ACC_RW 1
#define ERG_ACC_W1C 1
#define ERG_ACC_WO 0
#include "erg_regs.def"
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_CONST
#undef ERG_WINDOW
#undef ERG_ACC_RO
#undef ERG_ACC_RW
#undef ERG_ACC_W1C
#undef ERG_ACC_WO
    };
    int n = 0;
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (regs[i].readable) {
            (void)rd(bus, u, regs[i].off);
            n++;
        }
    for (uint32_t i = 0; i < 2u * ERG_CNT_COUNT; i++, n++)
        (void)rd(bus, u, ERG_BNA_CNT_BASE + 4u * i);
    for (int i = 0; i < u->channels; i++, n++)
        (void)rd(bus, u, ERG_BNA_OUT_BASE + 4u * (uint32_t)i);
    return n;
}

void erg_drv_read_dots(const erg_bus *bus, const erg_drv_bna_info *u, int n, int32_t *dots) {
    for (int i = 0; i < n; i++) dots[i] = (int32_t)rd(bus, u, ERG_BNA_OUT_BASE + 4u * (uint32_t)i);
}

void erg_drv_read_map(const erg_bus *bus, const erg_drv_bna_info *u, int buf, int h, int w, int c,
                      int8_t *out) {
    size_t p_words = (size_t)(c + 63) / 64, n = (size_t)h * w;
    uint64_t *words = malloc(n * p_words * sizeof *words + 8);
    if (!words) return;
    bus->burst_read(bus->ctx, buf_addr(u, buf), words, n * p_words * sizeof *words);
    for (size_t p = 0; p < n; p++)
        for (int k = 0; k < c; k++)
            out[p * c + k] = (words[p * p_words + (size_t)k / 64] >> (k % 64)) & 1 ? 1 : -1;
    free(words);
}
