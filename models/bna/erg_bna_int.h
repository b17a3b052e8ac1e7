/* erg_bna_int.h — internals of the BNA C model shared by its register front end (erg_bna.c),
 * its timing equations (erg_bna_timing.c) and its data path (erg_bna_exec.c); not public API. */
#ifndef ERG_BNA_INT_H
#define ERG_BNA_INT_H

#include <stdint.h>
#include <string.h>

#include "erg_bna.h"

/* Pipeline depth (popcount + threshold) in cycles: D of docs/bna.md, fixed by the design. */
#define ERG_BNA_DEPTH 2
/* Output pixels the conv kernel computes together (weight reuse). */
#define ERG_BNA_PIX_BLOCK 4
/* Number of L_* registers (L_OP .. L_THERM1, 4 bytes apart). */
#define ERG_BNA_NLREG 12

/* One decoded and validated layer descriptor (the L_* registers). */
typedef struct erg_bna_layer {
    unsigned op;         /* ERG_BNA_OP_* */
    int h, w;            /* input map */
    int c_raw;           /* L_IN_C: raw uint8 channels with THERM, else equal to c */
    int c;               /* binary input channels (sum of levels with THERM) */
    int cout;            /* output channels (conv, dense; pool: c) */
    int k;               /* conv kernel, dense tile or pool size */
    int src, dst;        /* 0 = buffer A, 1 = buffer B */
    int64_t wbase;       /* first weight row in every bank */
    int therm, out_dots; /* L_FLAGS */
    int levels[8];       /* thermometer levels per raw channel */
    int ho, wo;          /* output map (dense: 1 x 1) */
    int p_in, p_out;     /* 64-bit words per stored input pixel (raw: 1) and output pixel */
    int p_bin;           /* 64-bit words per binary input pixel: ceil(c / 64) */
    int64_t slot_words;  /* Wb-bit words per weight slot: ceil(c / Wb) */
    int64_t wpf;         /* weight rows per filter */
} erg_bna_layer;

struct erg_bna {
    erg_bna_params p;
    int kmax;          /* largest supported kernel */
    int64_t buf_bytes; /* one feature-map buffer */
    int64_t bank_bytes, bank_rows;
    uint8_t *fmap[2]; /* buffers A and B, little-endian 64-bit words */
    uint8_t *wsram;   /* bank-major */
    uint32_t lreg[ERG_BNA_NLREG];
    uint32_t status, irq_en, irq_status, error;
    int32_t *out; /* OUT[0..C-1] */
    erg_counters cnt;
    uint64_t now;
    /* Per-layer scratch, sized at create from the parameters (no allocation while running). */
    uint64_t *x;   /* the input map, unused bits cleared (THERM: already expanded) */
    uint64_t *y;   /* the output map before it is stored */
    uint64_t *wgt; /* weights of up to 64 neurons, [64][K*K*P] */
    uint64_t *win; /* ERG_BNA_PIX_BLOCK gathered windows, K*K*P words each */
};

/* Little-endian 64-bit words in the byte arrays, whatever the host's byte order. */
static inline uint64_t erg_bna_ld64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
static inline void erg_bna_st64(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

/* 64-bit sub-word `sub` of weight row `row` in bank `bank`. */
static inline uint64_t erg_bna_wsub(const erg_bna *u, int bank, int64_t row, int sub) {
    return erg_bna_ld64(u->wsram + bank * u->bank_bytes + row * (u->p.word_bits / 8) + 8 * sub);
}

/* Adds the layer's cycles and activity counters (docs/bna.md tables) to *c, which the caller
 * zeroes; returns the layer's cycles. Closed form per filter group, no per-cycle simulation. */
uint64_t erg_bna_count_layer(const erg_bna_params *p, const erg_bna_layer *l, erg_counters *c);
/* Computes the layer's outputs into the destination buffer (or OUT). */
void erg_bna_exec_layer(erg_bna *u, const erg_bna_layer *l);

#endif
