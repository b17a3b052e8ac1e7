// erg_bna_array.v — the neuron array (docs/bna.md): N neurons, the window shift register that
// turns one column of K pixels per cycle into a K x K window, the window mask (kernel size,
// partial dense tiles, input channels) and the weight-load fan-out from the B weight banks.
//
// Window slot (row i, age a) is the pixel of window row i read a cycles ago (a = 0: the live
// column from the buffer, a >= 1: the shift register), so a K x K window needs no multiplexer
// for K < Kmax; the sequencer loads weight (kh, kw) into slot (kh, K - 1 - kw).
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_array #(`ERG_BNA_PARAMS) (
    input  wire                        clk,
    // weight load: bank b's word goes to neuron row wl_row, neuron wl_row * B + b
    input  wire                        wl_v,
    input  wire [RW-1:0]               wl_row,
    input  wire [BANKS-1:0]            wl_bank_en,
    input  wire                        wl_thr,
    input  wire [SLW-1:0]              wl_slot,
    input  wire [SWW-1:0]              wl_sub,
    input  wire [BANKS*WORD_BITS-1:0]  wl_data,
    // the live column (window row i at [i C +: C]) and whether to shift it in at the clock
    input  wire [KMAX*CHANNELS-1:0]    col,
    input  wire                        col_v,
    // layer and group
    input  wire [2:0]                  k,
    input  wire [CW-1:0]               c,
    input  wire [NW-1:0]               n_g,       // neurons of this group; the rest are gated
    input  wire [31:0]                 n_bits,
    // stage 1: window rows and columns in range (K x K, or a partial dense tile)
    input  wire                        s1_v,
    input  wire [2:0]                  s1_rows,
    input  wire [2:0]                  s1_cols,
    // stage 2
    input  wire                        s2_v,
    input  wire                        s2_first,
    output wire [NEURONS-1:0]          res,       // output bits, 0 for gated neurons
    output wire [NEURONS*32-1:0]       dots
);
`include "erg_bna_derived.vh"

    localparam integer COLW = KMAX * CHANNELS;

    // ---- window shift register and the window
    wire [KK*CHANNELS-1:0] win;
    wire [KK*CHANNELS-1:0] mask;
    wire [CHANNELS-1:0] cmask = ~({CHANNELS{1'b1}} << c);
    genvar i, a, n;
    generate
        if (KMAX > 1) begin : g_sr
            reg [(KMAX-1)*COLW-1:0] sr; // column of age a + 1 at [a COLW +: COLW]
            if (KMAX > 2) begin : g_long
                always @(posedge clk)
                    if (col_v) sr <= {sr[(KMAX-2)*COLW-1:0], col};
            end else begin : g_short
                always @(posedge clk)
                    if (col_v) sr <= col;
            end
            for (i = 0; i < KMAX; i = i + 1) begin : g_row
                for (a = 1; a < KMAX; a = a + 1) begin : g_age
                    assign win[(i*KMAX+a)*CHANNELS +: CHANNELS] =
                        sr[(a-1)*COLW + i*CHANNELS +: CHANNELS];
                end
            end
        end
        for (i = 0; i < KMAX; i = i + 1) begin : g_row
            assign win[(i*KMAX)*CHANNELS +: CHANNELS] = col[i*CHANNELS +: CHANNELS];
            for (a = 0; a < KMAX; a = a + 1) begin : g_age
                // row i, the column read K - 1 - a cycles into the window
                wire ok = 3'(i) < s1_rows && 3'(a) < k && 4'(a) + {1'b0, s1_cols} >= {1'b0, k};
                assign mask[(i*KMAX+a)*CHANNELS +: CHANNELS] = ok ? cmask : {CHANNELS{1'b0}};
            end
        end
    endgenerate

    // ---- neurons: neuron n = row * B + bank
    wire [NEURONS-1:0] active = ~({NEURONS{1'b1}} << n_g);
    wire [NEURONS-1:0] bits;
    generate
        for (n = 0; n < NEURONS; n = n + 1) begin : g_neuron
            erg_bna_neuron #(`ERG_BNA_PASS) u_neuron (
                .clk      (clk),
                .wl_en    (wl_v && wl_row == RW'(n / BANKS) && wl_bank_en[n % BANKS]),
                .wl_thr   (wl_thr),
                .wl_slot  (wl_slot),
                .wl_sub   (wl_sub),
                .wl_data  (wl_data[(n % BANKS)*WORD_BITS +: WORD_BITS]),
                .s1_en    (s1_v && active[n]),
                .win      (win),
                .mask     (mask),
                .s2_en    (s2_v && active[n]),
                .s2_first (s2_first),
                .n_bits   (n_bits),
                .dot      (dots[n*32 +: 32]),
                .bit_o    (bits[n])
            );
        end
    endgenerate
    assign res = bits & active;
endmodule

`default_nettype wire
