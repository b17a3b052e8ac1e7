// erg_bna_defs.vh — the parameter list every rtl/bna module takes: the unit's configuration
// from the chip config (docs/bna.md "Parameters"). erg_bna_derived.vh derives the rest.
`ifndef ERG_BNA_DEFS_VH
`define ERG_BNA_DEFS_VH

// Module parameter declaration: BinarEye defaults (configs/chips/binareye.cfg).
`define ERG_BNA_PARAMS \
    parameter integer NEURONS     = 64,     /* N */ \
    parameter integer KERNELS     = 4,      /* supported kernels: bit k = k x k */ \
    parameter integer CHANNELS    = 256,    /* C */ \
    parameter integer FMAP_H      = 32,     /* largest map */ \
    parameter integer FMAP_W      = 32, \
    parameter integer BANKS       = 2,      /* B */ \
    parameter integer WORD_BITS   = 256,    /* Wb */ \
    parameter integer WSRAM_BYTES = 333824, /* 326 KiB */ \
    parameter integer FMAP_BYTES  = 65536   /* both buffers */

// Instance parameter list passing the same configuration down.
`define ERG_BNA_PASS \
    .NEURONS(NEURONS), .KERNELS(KERNELS), .CHANNELS(CHANNELS), .FMAP_H(FMAP_H), \
    .FMAP_W(FMAP_W), .BANKS(BANKS), .WORD_BITS(WORD_BITS), .WSRAM_BYTES(WSRAM_BYTES), \
    .FMAP_BYTES(FMAP_BYTES)

`endif
