/* erg_bna.c — the BNA unit's front end: parameter checks, reset state, register decode
 * (driver/erg_regs.def), SRAM windows, layer-descriptor validation and START/CLEAR. */
#include "erg_bna_int.h"

#include <stdlib.h>

#include "erg_bitpack.h"
#include "erg_regs.h"

#define ERG_BNA_MAX_NEURONS 4096
#define ERG_BNA_MAX_CHANNELS 4096
#define ERG_BNA_MAX_FMAP_SIDE 65535
#define ERG_BNA_MAX_WORD_BITS 4096

/* L_* register i is at L_OP + 4 i. */
#define LREG(u, name) ((u)->lreg[(ERG_BNA_##name - ERG_BNA_L_OP) / 4])

static int largest_kernel(unsigned kernels) {
    int k = 0;
    for (int i = 1; i <= 7; i++)
        if (kernels & (1u << i)) k = i;
    return k;
}

static int check_params(const erg_bna_params *p, erg_error *err) {
    if (!p) return erg_fail(err, "bna: no parameters");
    if (p->neurons < 1 || p->neurons > ERG_BNA_MAX_NEURONS)
        return erg_fail(err, "bna: neurons = %d, must be 1..%d", p->neurons, ERG_BNA_MAX_NEURONS);
    if (p->kernels == 0 || (p->kernels & ~0xFEu) != 0)
        return erg_fail(err,
                        "bna: kernels mask = 0x%x, must set only bits 1..7 (bit k = k x k) and "
                        "at least one",
                        p->kernels);
    if (p->channels < 1 || p->channels > ERG_BNA_MAX_CHANNELS)
        return erg_fail(err, "bna: channels = %d, must be 1..%d", p->channels,
                        ERG_BNA_MAX_CHANNELS);
    if (p->fmap_h < 1 || p->fmap_h > ERG_BNA_MAX_FMAP_SIDE || p->fmap_w < 1 ||
        p->fmap_w > ERG_BNA_MAX_FMAP_SIDE)
        return erg_fail(err, "bna: largest feature map %d x %d, each side must be 1..%d", p->fmap_h,
                        p->fmap_w, ERG_BNA_MAX_FMAP_SIDE);
    if (p->banks < 1 || p->banks > 4)
        return erg_fail(err, "bna: banks = %d, must be 1..4", p->banks);
    if (p->neurons % p->banks != 0)
        return erg_fail(err, "bna: neurons = %d is not a multiple of banks = %d", p->neurons,
                        p->banks);
    if (p->word_bits < 64 || p->word_bits > ERG_BNA_MAX_WORD_BITS || p->word_bits % 64 != 0)
        return erg_fail(err, "bna: word_bits = %d, must be a multiple of 64 in 64..%d",
                        p->word_bits, ERG_BNA_MAX_WORD_BITS);
    int64_t bank_unit = (int64_t)p->banks * (p->word_bits / 8);
    if (p->wsram_bytes <= 0 || p->wsram_bytes > ERG_BNA_WSRAM_SIZE ||
        p->wsram_bytes % bank_unit != 0)
        return erg_fail(err,
                        "bna: wsram_bytes = %lld, must be positive, at most the %u-byte WSRAM "
                        "window and a multiple of banks x word bytes = %lld",
                        (long long)p->wsram_bytes, (unsigned)ERG_BNA_WSRAM_SIZE,
                        (long long)bank_unit);
    if (p->fmap_bytes <= 0 || p->fmap_bytes % 2 != 0 || p->fmap_bytes / 2 > ERG_BNA_FMAP_A_SIZE)
        return erg_fail(err,
                        "bna: fmap_bytes = %lld, must be positive, even, and each half at most "
                        "the %u-byte FMAP window",
                        (long long)p->fmap_bytes, (unsigned)ERG_BNA_FMAP_A_SIZE);
    return 0;
}

erg_bna *erg_bna_create(const erg_bna_params *p, erg_error *err) {
    if (check_params(p, err) != 0) return NULL;
    erg_bna *u = calloc(1, sizeof *u);
    if (!u) {
        erg_fail(err, "bna: out of memory");
        return NULL;
    }
    u->p = *p;
    u->kmax = largest_kernel(p->kernels);
    u->buf_bytes = p->fmap_bytes / 2;
    u->bank_bytes = p->wsram_bytes / p->banks;
    u->bank_rows = u->bank_bytes / (p->word_bits / 8);
    /* Scratch bounds: any map that fits a buffer has at most buf_words words; an expanded
     * thermometer input has at most min(buf_words, H W) pixels of ceil(C/64) words. */
    size_t buf_words = (size_t)(u->buf_bytes + 7) / 8, pc = (size_t)erg_bitpack_words(p->channels);
    size_t max_pixels = (size_t)p->fmap_h * (size_t)p->fmap_w;
    size_t therm_words = (buf_words < max_pixels ? buf_words : max_pixels) * pc;
    size_t window = (size_t)u->kmax * u->kmax * pc;
    /* + 1 word so that an odd byte count still rounds to whole words in the buffers. */
    u->fmap[0] = calloc(buf_words + 1, 8);
    u->fmap[1] = calloc(buf_words + 1, 8);
    u->wsram = calloc((size_t)p->wsram_bytes, 1);
    u->out = calloc((size_t)p->channels, sizeof *u->out);
    u->x = malloc(sizeof(uint64_t) * (buf_words > therm_words ? buf_words : therm_words));
    u->y = malloc(sizeof(uint64_t) * buf_words);
    u->wgt = malloc(sizeof(uint64_t) * 64 * window);
    u->win = malloc(sizeof(uint64_t) * ERG_BNA_PIX_BLOCK * window);
    if (!u->fmap[0] || !u->fmap[1] || !u->wsram || !u->out || !u->x || !u->y || !u->wgt ||
        !u->win) {
        erg_bna_free(u);
        erg_fail(err, "bna: out of memory for the SRAMs and scratch");
        return NULL;
    }
    return u;
}

void erg_bna_free(erg_bna *u) {
    if (!u) return;
    free(u->fmap[0]);
    free(u->fmap[1]);
    free(u->wsram);
    free(u->out);
    free(u->x);
    free(u->y);
    free(u->wgt);
    free(u->win);
    free(u);
}

/* ---- layer descriptor ---- */

static int64_t ceil_div(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

/* Decodes and checks the L_* registers. Checks run in this order and the first failure is the
 * ERROR code: op and flags (OP); sizes (SHAPE); kernel (KERNEL); window fits the input
 * (SHAPE); buffers (FMAP); weights (WEIGHTS). */
static uint32_t decode_layer(const erg_bna *u, erg_bna_layer *l) {
    const erg_bna_params *p = &u->p;
    memset(l, 0, sizeof *l);
    uint32_t op = LREG(u, L_OP), flags = LREG(u, L_FLAGS);
    uint32_t h = LREG(u, L_IN_H), w = LREG(u, L_IN_W), c = LREG(u, L_IN_C);
    uint32_t cout = LREG(u, L_OUT_C), k = LREG(u, L_K);
    uint32_t src = LREG(u, L_SRC), dst = LREG(u, L_DST);
    l->op = op;
    l->therm = (flags & ERG_BNA_L_FLAGS_THERM) != 0;
    l->out_dots = (flags & ERG_BNA_L_FLAGS_OUT_DOTS) != 0;
    if (op != ERG_BNA_OP_CONV && op != ERG_BNA_OP_MAXPOOL && op != ERG_BNA_OP_DENSE)
        return ERG_BNA_ERR_OP;
    if ((l->therm && op != ERG_BNA_OP_CONV) || (l->out_dots && op != ERG_BNA_OP_DENSE))
        return ERG_BNA_ERR_OP;

    if (h == 0 || w == 0 || h > (uint32_t)p->fmap_h || w > (uint32_t)p->fmap_w || c == 0)
        return ERG_BNA_ERR_SHAPE;
    int64_t bin_c = c;
    if (l->therm) {
        if (c > 8) return ERG_BNA_ERR_SHAPE;
        bin_c = 0;
        for (uint32_t i = 0; i < c; i++) {
            uint32_t reg = i < 4 ? LREG(u, L_THERM0) : LREG(u, L_THERM1);
            l->levels[i] = (int)((reg >> (8 * (i % 4))) & 0xFFu);
            bin_c += l->levels[i];
        }
        if (bin_c == 0) return ERG_BNA_ERR_SHAPE;
    }
    if (bin_c > p->channels) return ERG_BNA_ERR_SHAPE;
    if (op == ERG_BNA_OP_MAXPOOL)
        cout = (uint32_t)bin_c;
    else if (cout == 0 || cout > (uint32_t)p->channels)
        return ERG_BNA_ERR_SHAPE;

    if (op == ERG_BNA_OP_MAXPOOL) {
        if (k == 0 || k > (uint32_t)u->kmax) return ERG_BNA_ERR_KERNEL;
    } else if (k == 0 || k > 7 || !(p->kernels & (1u << k))) {
        return ERG_BNA_ERR_KERNEL;
    }
    if (op != ERG_BNA_OP_DENSE && (k > h || k > w)) return ERG_BNA_ERR_SHAPE;

    l->h = (int)h;
    l->w = (int)w;
    l->c_raw = (int)c;
    l->c = (int)bin_c;
    l->cout = (int)cout;
    l->k = (int)k;
    l->src = (int)src;
    l->dst = (int)dst;
    l->wbase = LREG(u, L_WBASE);
    l->p_in = l->therm ? 1 : erg_bitpack_words(l->c);
    l->p_out = erg_bitpack_words(l->cout);
    l->p_bin = erg_bitpack_words(l->c);
    if (op == ERG_BNA_OP_CONV) {
        l->ho = l->h - l->k + 1;
        l->wo = l->w - l->k + 1;
    } else if (op == ERG_BNA_OP_MAXPOOL) {
        l->ho = (l->h - l->k) / l->k + 1;
        l->wo = (l->w - l->k) / l->k + 1;
    } else {
        l->ho = l->wo = 1;
    }

    int writes_map = !(op == ERG_BNA_OP_DENSE && l->out_dots);
    if (src > 1 || (writes_map && (dst > 1 || dst == src))) return ERG_BNA_ERR_FMAP;
    if (8 * (int64_t)l->h * l->w * l->p_in > u->buf_bytes) return ERG_BNA_ERR_FMAP;
    if (writes_map && 8 * (int64_t)l->ho * l->wo * l->p_out > u->buf_bytes) return ERG_BNA_ERR_FMAP;

    if (op != ERG_BNA_OP_MAXPOOL) {
        l->slot_words = ceil_div(l->c, p->word_bits);
        if (op == ERG_BNA_OP_CONV)
            l->wpf = 1 + (int64_t)l->k * l->k * l->slot_words;
        else
            l->wpf = (l->out_dots ? 0 : 1) + (int64_t)l->h * l->w * l->slot_words;
        /* bank 0 holds the most filters: ceil(cout / B) */
        if (l->wbase + ceil_div(l->cout, p->banks) * l->wpf > u->bank_rows)
            return ERG_BNA_ERR_WEIGHTS;
    }
    return ERG_BNA_ERR_NONE;
}

static void start(erg_bna *u) {
    erg_bna_layer l;
    uint32_t code = decode_layer(u, &l);
    u->error = code;
    if (code != ERG_BNA_ERR_NONE) {
        /* refused: nothing runs, but the layer "finishes" at once with ERROR set, so a driver
         * that waits for the interrupt learns of it (and the RTL behaves the same way) */
        u->status = ERG_BNA_STATUS_DONE | ERG_BNA_STATUS_ERROR;
        u->irq_status |= ERG_BNA_IRQ_STATUS_DONE;
        return;
    }
    erg_bna_exec_layer(u, &l);
    erg_counters delta = {{0}};
    u->now += erg_bna_count_layer(&u->p, &l, &delta);
    for (int i = 0; i < ERG_CNT_COUNT; i++) u->cnt.v[i] += delta.v[i];
    u->status = ERG_BNA_STATUS_DONE;
    u->irq_status |= ERG_BNA_IRQ_STATUS_DONE;
}

/* ---- memory windows ---- */

enum { WIN_NONE = -1, WIN_FMAP_A, WIN_FMAP_B, WIN_WSRAM };

static int window_of(uint64_t off) {
    if (off >= ERG_BNA_FMAP_A && off < ERG_BNA_FMAP_A + (uint64_t)ERG_BNA_FMAP_A_SIZE)
        return WIN_FMAP_A;
    if (off >= ERG_BNA_FMAP_B && off < ERG_BNA_FMAP_B + (uint64_t)ERG_BNA_FMAP_B_SIZE)
        return WIN_FMAP_B;
    if (off >= ERG_BNA_WSRAM && off < ERG_BNA_WSRAM + (uint64_t)ERG_BNA_WSRAM_SIZE)
        return WIN_WSRAM;
    return WIN_NONE;
}

/* The backing bytes at `off` in window `win`, with *avail bytes to their end; NULL past the
 * memory behind the window (the window is larger than the SRAM). */
static uint8_t *window_mem(erg_bna *u, int win, uint64_t off, int64_t *avail) {
    uint8_t *mem = win == WIN_WSRAM ? u->wsram : u->fmap[win];
    uint64_t base = win == WIN_FMAP_A   ? ERG_BNA_FMAP_A
                    : win == WIN_FMAP_B ? ERG_BNA_FMAP_B
                                        : ERG_BNA_WSRAM;
    int64_t size = win == WIN_WSRAM ? u->p.wsram_bytes : u->buf_bytes;
    if ((int64_t)(off - base) >= size) return NULL;
    *avail = size - (int64_t)(off - base);
    return mem + (off - base);
}

/* ---- registers ---- */

static uint32_t read_param(const erg_bna *u, uint64_t off) {
    switch (off) {
    case ERG_BNA_P_NEURONS:
        return (uint32_t)u->p.neurons;
    case ERG_BNA_P_KERNELS:
        return u->p.kernels;
    case ERG_BNA_P_CHANNELS:
        return (uint32_t)u->p.channels;
    case ERG_BNA_P_FMAP_H:
        return (uint32_t)u->p.fmap_h;
    case ERG_BNA_P_FMAP_W:
        return (uint32_t)u->p.fmap_w;
    case ERG_BNA_P_BANKS:
        return (uint32_t)u->p.banks;
    case ERG_BNA_P_WORD_BITS:
        return (uint32_t)u->p.word_bits;
    case ERG_BNA_P_BANK_ROWS:
        return (uint32_t)u->bank_rows;
    case ERG_BNA_P_FMAP_WORDS:
        return (uint32_t)(u->buf_bytes / 8);
    default:
        return 0;
    }
}

uint32_t erg_bna_read32(erg_bna *u, uint64_t off) {
    if (off % 4 != 0) return 0;
    int win = window_of(off);
    if (win != WIN_NONE) {
        int64_t avail = 0;
        const uint8_t *m = window_mem(u, win, off, &avail);
        uint32_t v = 0;
        for (int i = 0; m && i < 4 && i < avail; i++) v |= (uint32_t)m[i] << (8 * i);
        return v;
    }
    if (off >= ERG_BNA_L_OP && off < ERG_BNA_L_OP + 4 * ERG_BNA_NLREG)
        return u->lreg[(off - ERG_BNA_L_OP) / 4];
    if (off >= ERG_BNA_CNT_BASE && off < ERG_BNA_CNT_BASE + 8 * (uint64_t)ERG_CNT_COUNT) {
        uint64_t v = u->cnt.v[(off - ERG_BNA_CNT_BASE) / 8];
        return (uint32_t)((off - ERG_BNA_CNT_BASE) % 8 ? v >> 32 : v);
    }
    if (off >= ERG_BNA_OUT_BASE && off < ERG_BNA_OUT_BASE + 4 * (uint64_t)u->p.channels)
        return (uint32_t)u->out[(off - ERG_BNA_OUT_BASE) / 4];
    switch (off) {
    case ERG_BNA_ID:
        return ERG_BNA_ID_VALUE;
    case ERG_BNA_VERSION:
        return ERG_BNA_VERSION_VALUE;
    case ERG_BNA_STATUS:
        return u->status;
    case ERG_BNA_IRQ_EN:
        return u->irq_en;
    case ERG_BNA_IRQ_STATUS:
        return u->irq_status;
    case ERG_BNA_ERROR:
        return u->error;
    default:
        return read_param(u, off);
    }
}

void erg_bna_write32(erg_bna *u, uint64_t off, uint32_t v) {
    if (off % 4 != 0) return;
    int win = window_of(off);
    if (win != WIN_NONE) {
        int64_t avail = 0;
        uint8_t *m = window_mem(u, win, off, &avail);
        int n = 0;
        for (; m && n < 4 && n < avail; n++) m[n] = (uint8_t)(v >> (8 * n));
        if (win == WIN_WSRAM) u->cnt.v[ERG_CNT_wsram_wr_bits] += 8 * (uint64_t)n;
        return;
    }
    if (off >= ERG_BNA_L_OP && off < ERG_BNA_L_OP + 4 * ERG_BNA_NLREG) {
        u->lreg[(off - ERG_BNA_L_OP) / 4] = v;
        return;
    }
    switch (off) {
    case ERG_BNA_CTRL:
        /* CLEAR first, so that CLEAR | START leaves only the new layer's counts. */
        if (v & ERG_BNA_CTRL_CLEAR) memset(&u->cnt, 0, sizeof u->cnt);
        if (v & ERG_BNA_CTRL_START) start(u);
        break;
    case ERG_BNA_IRQ_EN:
        u->irq_en = v & ERG_BNA_IRQ_EN_DONE;
        break;
    case ERG_BNA_IRQ_STATUS:
        u->irq_status &= ~(v & ERG_BNA_IRQ_STATUS_DONE);
        break;
    default:
        break;
    }
}

/* A burst inside one window is a byte copy (bytes past the memory behind the window read 0
 * and are dropped); anywhere else it is a run of 32-bit accesses. */
void erg_bna_burst_write(erg_bna *u, uint64_t off, const void *data, size_t bytes) {
    const uint8_t *d = data;
    if (bytes == 0) return;
    int win = window_of(off);
    if (win != WIN_NONE && window_of(off + bytes - 1) == win) {
        int64_t avail = 0;
        uint8_t *m = window_mem(u, win, off, &avail);
        size_t n = m ? ((int64_t)bytes < avail ? bytes : (size_t)avail) : 0;
        if (n) memcpy(m, d, n);
        if (win == WIN_WSRAM) u->cnt.v[ERG_CNT_wsram_wr_bits] += 8 * (uint64_t)n;
        return;
    }
    for (size_t i = 0; i + 4 <= bytes; i += 4)
        erg_bna_write32(u, off + i,
                        (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                            (uint32_t)d[i + 3] << 24);
}

void erg_bna_burst_read(erg_bna *u, uint64_t off, void *data, size_t bytes) {
    uint8_t *d = data;
    if (bytes == 0) return;
    memset(d, 0, bytes);
    int win = window_of(off);
    if (win != WIN_NONE && window_of(off + bytes - 1) == win) {
        int64_t avail = 0;
        const uint8_t *m = window_mem(u, win, off, &avail);
        size_t n = m ? ((int64_t)bytes < avail ? bytes : (size_t)avail) : 0;
        if (n) memcpy(d, m, n);
        return;
    }
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        uint32_t v = erg_bna_read32(u, off + i);
        for (int j = 0; j < 4; j++) d[i + j] = (uint8_t)(v >> (8 * j));
    }
}

int erg_bna_irq(const erg_bna *u) {
    return (u->irq_status & u->irq_en & ERG_BNA_IRQ_STATUS_DONE) != 0;
}

const erg_counters *erg_bna_counters(const erg_bna *u) {
    return &u->cnt;
}

uint64_t erg_bna_now(const erg_bna *u) {
    return u->now;
}
