/* amac_layers.h — host-side layers for the AMAC unit's tests (test_amac_unit.c on the C
 * model, test_amac_rtl.c on the RTL): seeded random descriptors and tensors, their placement in
 * local memory, loading through the driver, and the golden outputs they must produce. The
 * including file defines LMEM_BYTES (the local memory the layouts must fit). */
#ifndef ERG_TEST_AMAC_LAYERS_H
#define ERG_TEST_AMAC_LAYERS_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "erg_amac_driver.h"
#include "erg_amul.h"
#include "erg_golden.h"
#include "erg_regs_amac.h"
#include "erg_rng.h"

#ifndef LMEM_BYTES
#error "define LMEM_BYTES before including amac_layers.h"
#endif

/* ---- host-side tensors and golden ---- */

typedef struct host_layer {
    erg_drv_amac_layer d; /* the descriptor (addresses included) */
    erg_drv_amac_sizes s;
    uint8_t *in;
    int8_t *w;
    int32_t *bias, *m0, *shift;
} host_layer;

static inline void host_free(host_layer *h) {
    free(h->in);
    free(h->w);
    free(h->bias);
    free(h->m0);
    free(h->shift);
    memset(h, 0, sizeof *h);
}

/* Fills the layer's tensors with seeded random values (sizes from the descriptor). A
 * requantizing layer gets a shift that maps the accumulators' typical spread (about
 * sqrt(taps) * 9500 for uniform inputs and weights) to about +-64 around a zero point near 128,
 * so most outputs are neither 0 nor 255 and a different multiplier shows in them. */
static inline void host_fill(host_layer *h, erg_rng *r) {
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_layer_sizes(&h->d, &h->s, &err), 0, "sizes: %s", err.msg);
    h->in = malloc(h->s.in);
    h->w = malloc(h->s.w);
    for (uint64_t i = 0; i < h->s.in; i++) h->in[i] = (uint8_t)erg_rng_range(r, 0, 255);
    for (uint64_t i = 0; i < h->s.w; i++) h->w[i] = (int8_t)erg_rng_range(r, -128, 127);
    uint32_t n = h->d.out_c;
    if (h->s.bias) {
        h->bias = malloc(4 * n);
        for (uint32_t c = 0; c < n; c++) h->bias[c] = (int32_t)erg_rng_range(r, -20000, 20000);
    }
    if (h->s.m0) {
        double taps = (double)h->s.w / n;
        int shift = (int)lround(log2(sqrt(taps) * 9500.0 / 64.0));
        shift = shift < 0 ? 0 : shift > 31 ? 31 : shift;
        h->d.zp = (int32_t)erg_rng_range(r, 108, 148);
        h->m0 = malloc(4 * n);
        h->shift = malloc(4 * n);
        for (uint32_t c = 0; c < n; c++) {
            h->m0[c] = (int32_t)erg_rng_range(r, 1 << 30, INT32_MAX);
            h->shift[c] = (int32_t)erg_rng_range(r, shift > 0 ? shift - 1 : 0, shift);
        }
    }
}

/* Places the tensors one after the other from *cursor with random gaps; the uint8 tensors
 * (input, weights, a requantized output) at any byte address, the int32 ones 4-aligned. */
static inline uint32_t place(uint32_t *cursor, uint64_t bytes, int align4, erg_rng *r) {
    uint32_t a = *cursor + (uint32_t)erg_rng_range(r, 0, 9);
    if (align4) a = (a + 3) & ~3u;
    *cursor = a + (uint32_t)bytes;
    cr_assert_leq(*cursor, LMEM_BYTES, "test layout overflows the local memory");
    return a;
}

static inline void host_place(host_layer *h, uint32_t *cursor, erg_rng *r) {
    h->d.in_addr = place(cursor, h->s.in, 0, r);
    h->d.w_addr = place(cursor, h->s.w, 0, r);
    if (h->s.bias) h->d.bias_addr = place(cursor, h->s.bias, 1, r);
    if (h->s.m0) {
        h->d.m0_addr = place(cursor, h->s.m0, 1, r);
        h->d.shift_addr = place(cursor, h->s.shift, 1, r);
    }
    h->d.out_addr = place(cursor, h->s.out, !(h->d.flags & ERG_AMAC_L_FLAGS_REQUANT), r);
}

/* Writes the layer's tensors (input only when with_input) into local memory by the driver. */
static inline void host_load(const erg_bus *bus, const erg_drv_amac_info *u, const host_layer *h,
                             int with_input) {
    erg_error err = {{0}};
    if (with_input) cr_assert_eq(erg_drv_amac_write(bus, u, h->d.in_addr, h->in, h->s.in, &err), 0);
    cr_assert_eq(erg_drv_amac_write(bus, u, h->d.w_addr, h->w, h->s.w, &err), 0, "%s", err.msg);
    if (h->bias)
        cr_assert_eq(erg_drv_amac_write_i32(bus, u, h->d.bias_addr, h->bias, h->d.out_c, &err), 0);
    if (h->m0) {
        cr_assert_eq(erg_drv_amac_write_i32(bus, u, h->d.m0_addr, h->m0, h->d.out_c, &err), 0);
        cr_assert_eq(erg_drv_amac_write_i32(bus, u, h->d.shift_addr, h->shift, h->d.out_c, &err),
                     0);
    }
}

static inline erg_conv_geom geom_of(const erg_drv_amac_layer *d) {
    erg_conv_geom g;
    erg_error err = {{0}};
    cr_assert_eq(erg_conv_geom_init(&g, (int)d->in_h, (int)d->in_w, (int)d->in_c, (int)d->k_h,
                                    (int)d->k_w, (int)d->stride, d->pad == ERG_AMAC_PAD_SAME,
                                    (int)d->out_c, &err),
                 0, "%s", err.msg);
    return g;
}

/* The golden outputs of the layer with built-in multiplier `amul_id`: int32 accumulators in
 * acc (n_out values), and the requantized bytes in out when the layer requantizes. */
static inline void golden(const host_layer *h, const uint8_t *in, int amul_id, int32_t *acc,
                          uint8_t *out) {
    const erg_mul8u *mul = erg_amul_mul8u(amul_id);
    const erg_drv_amac_layer *d = &h->d;
    size_t n_pix = (size_t)h->s.out_h * h->s.out_w;
    if (d->kind == ERG_AMAC_KIND_DENSE) {
        erg_golden_dense((int)h->s.in, (int)d->out_c, in, h->w, h->bias, mul, acc);
    } else {
        erg_conv_geom g = geom_of(d);
        if (d->kind == ERG_AMAC_KIND_CONV)
            erg_golden_conv2d(&g, in, h->w, h->bias, mul, acc);
        else
            erg_golden_depthwise(&g, in, h->w, h->bias, mul, acc);
    }
    if (out) erg_golden_requant(n_pix, (int)d->out_c, acc, h->m0, h->shift, d->zp, out);
}

/* Reads the layer's output from local memory and compares it with golden for `amul_id`;
 * returns how many values it compared. */
static inline uint64_t check_output(const erg_bus *bus, const erg_drv_amac_info *u,
                                    const host_layer *h, const uint8_t *in, int amul_id,
                                    const char *what) {
    uint64_t n = h->s.out / (h->d.flags & ERG_AMAC_L_FLAGS_REQUANT ? 1 : 4);
    int32_t *acc = malloc(4 * n), *got32 = malloc(4 * n);
    uint8_t *out = malloc(n), *got8 = malloc(n);
    int rq = (h->d.flags & ERG_AMAC_L_FLAGS_REQUANT) != 0;
    golden(h, in, amul_id, acc, rq ? out : NULL);
    erg_error err = {{0}};
    if (rq) {
        cr_assert_eq(erg_drv_amac_read(bus, u, h->d.out_addr, got8, n, &err), 0, "%s", err.msg);
        for (uint64_t i = 0; i < n; i++)
            cr_assert_eq(got8[i], out[i], "%s: output %llu = %u, golden %u", what,
                         (unsigned long long)i, got8[i], out[i]);
    } else {
        cr_assert_eq(erg_drv_amac_read_i32(bus, u, h->d.out_addr, got32, n, &err), 0, "%s",
                     err.msg);
        for (uint64_t i = 0; i < n; i++)
            cr_assert_eq(got32[i], acc[i], "%s: output %llu = %d, golden %d", what,
                         (unsigned long long)i, got32[i], acc[i]);
    }
    free(acc);
    free(got32);
    free(out);
    free(got8);
    return n;
}

/* A random layer of `kind` that every test unit accepts: scale 1 for the 512-byte buffers of
 * test_amac_unit.c, 2 for the 4 KiB buffers of the amac8 chip the RTL is built for (every size
 * doubled: the ifmap then often exceeds 4 KiB and the filters too). */
static inline erg_drv_amac_layer random_layer(erg_rng *r, uint32_t kind, int scale) {
    erg_drv_amac_layer d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    /* a dense filter (in_h in_w in_c bytes) must fit the 512-byte filter buffer */
    uint32_t side = (uint32_t)scale * (kind == ERG_AMAC_KIND_DENSE ? 6 : 9);
    /* conv: up to 14 rows of at most 9 x 12 bytes, so the 512-byte ifmap buffer (4 rows: enough
     * for the 4-row kernels) often holds only a band */
    d.in_h =
        (uint32_t)erg_rng_range(r, 1, kind == ERG_AMAC_KIND_DENSE ? side : 14u * (uint32_t)scale);
    d.in_w = (uint32_t)erg_rng_range(r, 1, side);
    d.in_c =
        (uint32_t)erg_rng_range(r, 1, 12u * (kind == ERG_AMAC_KIND_DENSE ? 1u : (uint32_t)scale));
    d.out_c = kind == ERG_AMAC_KIND_DEPTHWISE
                  ? d.in_c
                  : (uint32_t)erg_rng_range(r, 1, 12u * (uint32_t)scale);
    if (kind != ERG_AMAC_KIND_DENSE) {
        d.pad = (uint32_t)erg_rng_range(r, 0, 1);
        d.stride = (uint32_t)erg_rng_range(r, 1, 2);
        uint32_t kmax_h = d.pad == ERG_AMAC_PAD_SAME ? 4 : (d.in_h < 4 ? d.in_h : 4);
        uint32_t kmax_w = d.pad == ERG_AMAC_PAD_SAME ? 4 : (d.in_w < 4 ? d.in_w : 4);
        d.k_h = (uint32_t)erg_rng_range(r, 1, kmax_h);
        d.k_w = (uint32_t)erg_rng_range(r, 1, kmax_w);
    }
    d.flags = (uint32_t)erg_rng_range(r, 0, 3); /* BIAS and REQUANT independently */
    return d;
}

/* ---- refusals ---- */

/* A valid layer with all optional tensors, at fixed addresses: conv 6x6x4 -> 6x6x8 (3x3 same),
 * bias, requantized; input at 0, weights at 0x200, bias 0x800, m0 0x900, shift 0xA00, output
 * 0x1000. The shifts (all 7) are in local memory. */
static inline erg_drv_amac_layer base_layer(const erg_bus *bus, const erg_drv_amac_info *info) {
    erg_drv_amac_layer d = {.kind = ERG_AMAC_KIND_CONV,
                            .in_h = 6,
                            .in_w = 6,
                            .in_c = 4,
                            .out_c = 8,
                            .k_h = 3,
                            .k_w = 3,
                            .stride = 1,
                            .pad = ERG_AMAC_PAD_SAME,
                            .flags = ERG_AMAC_L_FLAGS_BIAS | ERG_AMAC_L_FLAGS_REQUANT,
                            .in_addr = 0,
                            .w_addr = 0x200,
                            .bias_addr = 0x800,
                            .m0_addr = 0x900,
                            .shift_addr = 0xA00,
                            .out_addr = 0x1000,
                            .zp = 0,
                            .mul = 1};
    int32_t shift[8], m0[8];
    for (int i = 0; i < 8; i++) shift[i] = 7, m0[i] = 1 << 30;
    erg_error err = {{0}};
    cr_assert_eq(erg_drv_amac_write_i32(bus, info, d.shift_addr, shift, 8, &err), 0);
    cr_assert_eq(erg_drv_amac_write_i32(bus, info, d.m0_addr, m0, 8, &err), 0);
    return d;
}

/* One descriptor the unit must refuse, with its ERROR and ERR_ARG. */
typedef struct amac_case {
    const char *what;
    erg_drv_amac_layer d;
    uint32_t code, arg;
} amac_case;
#define AMAC_MAX_CASES 40

/* The refusal cases of docs/amac-unit.md, each a change of the valid layer *ok (the base layer
 * of the tests: conv 6x6x4 -> 6x6x8, 3x3 same, bias, requantized; input at 0, weights 0x200,
 * bias 0x800, m0 0x900, shift 0xA00, output 0x1000) on a unit with `lmem` bytes of local memory
 * and the given buffers and multiplier count: every code and each kind of ERR_ARG. The last two
 * (from *first_bad_shift) need a bad shift word written at channel `arg` first. Returns the count.
 */
static inline int amac_refusal_cases(const erg_drv_amac_layer *ok, uint32_t lmem,
                                     uint32_t ifmap_buf, uint32_t filter_buf, uint32_t n_mul,
                                     amac_case *c, int *first_bad_shift) {
    int n = 0;
#define CASE(desc, field, value, code_, arg_)                                                      \
    do {                                                                                           \
        c[n].what = desc;                                                                          \
        c[n].d = *ok;                                                                              \
        c[n].d.field = value;                                                                      \
        c[n].code = ERG_AMAC_ERR_##code_;                                                          \
        c[n].arg = arg_;                                                                           \
        n++;                                                                                       \
    } while (0)
    CASE("unknown kind", kind, 3, KIND, ERG_AMAC_L_KIND);
    CASE("unknown padding", pad, 2, KIND, ERG_AMAC_L_PAD);
    CASE("zero height", in_h, 0, SHAPE, ERG_AMAC_L_IN_H);
    CASE("width above SIZE_MAX", in_w, ERG_AMAC_SIZE_MAX + 1, SHAPE, ERG_AMAC_L_IN_W);
    CASE("zero channels", in_c, 0, SHAPE, ERG_AMAC_L_IN_C);
    CASE("zero outputs", out_c, 0, SHAPE, ERG_AMAC_L_OUT_C);
    CASE("zero kernel width", k_w, 0, SHAPE, ERG_AMAC_L_K_W);
    CASE("zero stride", stride, 0, SHAPE, ERG_AMAC_L_STRIDE);
    CASE("multiplier past the set", mul, n_mul, MUL, ERG_AMAC_L_MUL);
    CASE("multiplier index huge", mul, 0xFFFFFFFFu, MUL, ERG_AMAC_L_MUL);
    CASE("bias misaligned", bias_addr, 0x802, ALIGN, ERG_AMAC_TENSOR_BIAS);
    CASE("m0 misaligned", m0_addr, 0x901, ALIGN, ERG_AMAC_TENSOR_M0);
    CASE("shift misaligned", shift_addr, 0xA03, ALIGN, ERG_AMAC_TENSOR_SHIFT);
    CASE("input past the end", in_addr, lmem - 100, ADDR, ERG_AMAC_TENSOR_IN);
    CASE("input far outside", in_addr, 0xFFFFFFFFu, ADDR, ERG_AMAC_TENSOR_IN);
    CASE("weights past the end", w_addr, lmem - 287, ADDR, ERG_AMAC_TENSOR_W);
    CASE("bias past the end", bias_addr, lmem - 28, ADDR, ERG_AMAC_TENSOR_BIAS);
    CASE("m0 past the end", m0_addr, lmem, ADDR, ERG_AMAC_TENSOR_M0);
    CASE("shift past the end", shift_addr, 0xFFFFFFFCu, ADDR, ERG_AMAC_TENSOR_SHIFT);
    CASE("output past the end", out_addr, lmem - 287, ADDR, ERG_AMAC_TENSOR_OUT);
    CASE("output over the input", out_addr, 0x10, OVERLAP, ERG_AMAC_TENSOR_IN);
    CASE("output over the weights", out_addr, 0x200 + 287, OVERLAP, ERG_AMAC_TENSOR_W);
    CASE("output over the bias", out_addr, 0x800 - 287, OVERLAP, ERG_AMAC_TENSOR_BIAS);
    CASE("output over m0", out_addr, 0x91F, OVERLAP, ERG_AMAC_TENSOR_M0);
    CASE("output over the shifts", out_addr, 0xA1F, OVERLAP, ERG_AMAC_TENSOR_SHIFT);
    /* a window that does not fit a valid-padded input */
    c[n] = c[0];
    c[n].what = "kernel taller than the input", c[n].d = *ok, c[n].d.pad = ERG_AMAC_PAD_VALID;
    c[n].d.k_h = 7, c[n].code = ERG_AMAC_ERR_SHAPE, c[n++].arg = ERG_AMAC_L_K_H;
    c[n] = c[0];
    c[n].what = "kernel wider than the input", c[n].d = *ok, c[n].d.pad = ERG_AMAC_PAD_VALID;
    c[n].d.k_w = 7, c[n].code = ERG_AMAC_ERR_SHAPE, c[n++].arg = ERG_AMAC_L_K_W;
    /* a depthwise layer must keep its channels */
    c[n] = c[0];
    c[n].what = "depthwise with other out_c", c[n].d = *ok, c[n].d.kind = ERG_AMAC_KIND_DEPTHWISE;
    c[n].code = ERG_AMAC_ERR_SHAPE, c[n++].arg = ERG_AMAC_L_OUT_C;
    /* an input of more than 2^31 - 1 values */
    c[n] = c[0];
    c[n].what = "input of 2^32 values", c[n].d = *ok, c[n].d.kind = ERG_AMAC_KIND_DENSE;
    c[n].d.in_h = c[n].d.in_w = ERG_AMAC_SIZE_MAX, c[n].d.in_c = 1;
    c[n].code = ERG_AMAC_ERR_SHAPE, c[n++].arg = ERG_AMAC_L_IN_C;
    /* an int32 output must be aligned (a uint8 one need not be: see the random layers) */
    c[n] = c[0];
    c[n].what = "int32 output misaligned", c[n].d = *ok, c[n].d.flags = ERG_AMAC_L_FLAGS_BIAS;
    c[n].d.out_addr = 0x1001, c[n].code = ERG_AMAC_ERR_ALIGN, c[n++].arg = ERG_AMAC_TENSOR_OUT;
    /* rows of in_w x 64 bytes, more than half the ifmap buffer: it holds 1 row, the 3x3 kernel
     * needs 3 (512-byte buffer: 5 x 64; 4 KiB: 33 x 64) */
    c[n] = c[0];
    c[n].what = "ifmap band does not fit", c[n].d = *ok, c[n].d.in_h = 4;
    c[n].d.in_w = (ifmap_buf / 2 + 64) / 64, c[n].d.in_c = 64, c[n].d.out_c = 1;
    c[n].d.w_addr = 0x4000, c[n].d.out_addr = 0xC000;
    c[n].code = ERG_AMAC_ERR_TILING, c[n++].arg = 0;
    /* one 3x3 filter of more than the filter buffer (512 bytes: 3x3x57 = 513) */
    c[n] = c[0];
    c[n].what = "filter does not fit", c[n].d = *ok, c[n].d.in_h = 1, c[n].d.in_w = 1;
    c[n].d.in_c = filter_buf / 9 + 1, c[n].d.out_c = 2, c[n].d.w_addr = 0x4000;
    c[n].d.out_addr = 0xC000, c[n].code = ERG_AMAC_ERR_TILING, c[n++].arg = 0;
    *first_bad_shift = n;
    c[n] = c[0];
    c[n].what = "shift[5] = 32", c[n].d = *ok, c[n].code = ERG_AMAC_ERR_SHIFT, c[n++].arg = 5;
    c[n] = c[0];
    c[n].what = "shift[0] = -1", c[n].d = *ok, c[n].code = ERG_AMAC_ERR_SHIFT, c[n++].arg = 0;
#undef CASE
    return n;
}

#endif
