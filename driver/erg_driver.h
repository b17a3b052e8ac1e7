/* erg_driver.h — the C host driver of the binary neuron array: lays out weights in the unit's
 * SRAM format, loads them by bursts, programs one layer descriptor at a time, starts it, waits
 * for the interrupt and reads back counters and outputs — only through erg_bus, so the same
 * code drives the C model, the RTL and the SystemC platform. */
#ifndef ERG_DRIVER_H
#define ERG_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "erg_bus.h"
#include "erg_counters.h"
#include "erg_error.h"

/* What the driver knows of a BNA unit (read from its P_* registers by erg_drv_bna_probe). */
typedef struct erg_drv_bna_info {
    uint64_t base;
    int neurons, channels, fmap_h, fmap_w, banks, word_bits;
    unsigned kernels;
    int64_t bank_rows, fmap_words;
} erg_drv_bna_info;

/* Checks the ID register and reads the unit's parameters. */
int erg_drv_bna_probe(const erg_bus *bus, uint64_t base, erg_drv_bna_info *info, erg_error *err);

/* One layer as the unit runs it (the L_* registers). */
typedef struct erg_drv_layer {
    uint32_t op; /* ERG_BNA_OP_CONV / OP_MAXPOOL / OP_DENSE */
    uint32_t in_h, in_w, in_c, out_c, k;
    uint32_t src, dst; /* 0 = buffer A, 1 = buffer B */
    uint32_t wbase;    /* first weight SRAM row */
    uint32_t flags;    /* ERG_BNA_L_FLAGS_* */
    uint8_t levels[8]; /* thermometer levels per raw channel (THERM) */
} erg_drv_layer;

/* Weight-SRAM rows one filter of the layer takes, and the rows of the whole layer per bank. */
int64_t erg_drv_words_per_filter(const erg_drv_bna_info *u, const erg_drv_layer *l, int bn_sign);
int64_t erg_drv_layer_rows(const erg_drv_bna_info *u, const erg_drv_layer *l, int bn_sign);

/* A host-side image of the whole weight SRAM (bank-major, like the WSRAM window). */
typedef struct erg_drv_wimage {
    uint8_t *bytes;
    size_t size;
} erg_drv_wimage;

int erg_drv_wimage_alloc(erg_drv_wimage *im, const erg_drv_bna_info *u, erg_error *err);
void erg_drv_wimage_free(erg_drv_wimage *im);
/* Writes a layer's filters into the image in the unit's layout (docs/bna.md). w is +-1 int8:
 * conv [cout][K][K][cin] (cin = planes for THERM), dense [cout][H*W*c] in NHWC order; thr/flip
 * per output (NULL for a dense layer with OUT_DOTS). */
void erg_drv_wimage_put(erg_drv_wimage *im, const erg_drv_bna_info *u, const erg_drv_layer *l,
                        const int8_t *w, const int32_t *thr, const uint8_t *flip);

/* Loads the weight image into the unit (bursts into the WSRAM window). */
void erg_drv_load_weights(const erg_bus *bus, const erg_drv_bna_info *u, const erg_drv_wimage *im);
/* Writes a raw uint8 image (H x W x C, C <= 8) into buffer `buf` (one 64-bit word per pixel). */
void erg_drv_write_image(const erg_bus *bus, const erg_drv_bna_info *u, int buf, const uint8_t *img,
                         int h, int w, int c);
/* Runs one layer: programs the descriptor, clears the counters, starts, waits for the
 * interrupt, reads the counters. Returns -1 with the unit's error code in the message if the
 * unit refused the descriptor or did not finish within max_cycles. */
int erg_drv_run_layer(const erg_bus *bus, const erg_drv_bna_info *u, const erg_drv_layer *l,
                      uint64_t max_cycles, erg_counters *cnt, erg_error *err);
/* Reads every readable register once (the RO/RW/W1C ones of erg_regs.def, the counters and
 * OUT[0 .. C-1]) and returns how many words it read. It changes nothing: erg verify runs it
 * in lockstep right after reset, so a register that misses its reset value shows up. */
int erg_drv_read_all_regs(const erg_bus *bus, const erg_drv_bna_info *u);
/* Reads n int32 dots from the OUT registers. */
void erg_drv_read_dots(const erg_bus *bus, const erg_drv_bna_info *u, int n, int32_t *dots);
/* Reads an H x W x C binary map from buffer `buf` as +1/-1 int8 values. */
void erg_drv_read_map(const erg_bus *bus, const erg_drv_bna_info *u, int buf, int h, int w, int c,
                      int8_t *out);

#endif
