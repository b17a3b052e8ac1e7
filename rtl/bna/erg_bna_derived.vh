// erg_bna_derived.vh — constants derived from the BNA parameters (erg_bna_defs.vh), included
// inside every rtl/bna module after its parameter list; not every module needs every constant.
/* verilator lint_off UNUSEDPARAM */
localparam integer KMAX = (KERNELS & 128) != 0 ? 7 : (KERNELS & 64) != 0 ? 6 :
                          (KERNELS & 32) != 0 ? 5 : (KERNELS & 16) != 0 ? 4 :
                          (KERNELS & 8) != 0 ? 3 : (KERNELS & 4) != 0 ? 2 : 1;
localparam integer KK = KMAX * KMAX;                   // weight slots per neuron
localparam integer PMAX = (CHANNELS + 63) / 64;        // 64-bit words of the widest pixel
localparam integer PIXW = PMAX * 64;                   // bits of one pixel read or write
localparam integer BANK_BYTES = WSRAM_BYTES / BANKS;
localparam integer WBYTES = WORD_BITS / 8;
localparam integer BANK_ROWS = BANK_BYTES / WBYTES;    // P_BANK_ROWS
localparam integer BUF_BYTES = FMAP_BYTES / 2;         // one ping-pong buffer
localparam integer FMAP_WORDS = BUF_BYTES / 8;         // P_FMAP_WORDS
localparam integer MEM_WORDS = (BUF_BYTES + 7) / 8;    // words behind the window (last partial)
localparam integer SWMAX = (CHANNELS + WORD_BITS - 1) / WORD_BITS; // Wb-bit words per slot
localparam integer GMAX = (CHANNELS + NEURONS - 1) / NEURONS;      // filter groups, at most
localparam integer ROWS = NEURONS / BANKS;             // neuron rows: one neuron per bank each
localparam integer SIDE = FMAP_H > FMAP_W ? FMAP_H : FMAP_W;
// Field widths, each at least 1.
localparam integer CW = $clog2(CHANNELS + 1);          // a channel count 0..C
localparam integer DW = $clog2(SIDE + 1) + 1;          // a map coordinate, + 1 bit headroom
localparam integer RA = $clog2(BANK_ROWS + 1) + 1;     // a weight row address, + 1 headroom
localparam integer FA = $clog2(MEM_WORDS + 1) + 1;     // an fmap word address, + 1 headroom
localparam integer NW = $clog2(NEURONS + 1);           // a neuron count 0..N
localparam integer GW = GMAX > 1 ? $clog2(GMAX) : 1;   // a group index
localparam integer RW = ROWS > 1 ? $clog2(ROWS) : 1;   // a neuron-row index
localparam integer SWW = SWMAX > 1 ? $clog2(SWMAX) : 1; // a slot sub-word index
localparam integer SLW = KK > 1 ? $clog2(KK) : 1;      // a slot index (row * KMAX + age)
localparam integer PB = $clog2(PMAX + 1);              // words per pixel 0..PMAX
localparam integer PW = $clog2(KK * CHANNELS + 1);     // one window's popcount
// A dense layer's popcount over the whole map: H W C bits (capped: dots are int32).
localparam integer AW0 = $clog2(FMAP_H + 1) + $clog2(FMAP_W + 1) + $clog2(CHANNELS + 1);
localparam integer AW = AW0 > 31 ? 31 : AW0;
/* verilator lint_on UNUSEDPARAM */
