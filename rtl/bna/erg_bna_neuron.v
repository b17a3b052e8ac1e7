// erg_bna_neuron.v — one binary neuron (docs/bna.md): Kmax^2 x C local weight flip-flops
// (Kmax^2 slots of C bits), a threshold register (int16 tau, flip), and the two pipeline
// stages D = 2 of the array: stage 1 XNOR-popcounts the window against the weights, stage 2
// accumulates (dense tiles) and compares dot = n - 2 pop with tau.
//
// Data registers have no reset: every weight bit, threshold and partial sum is written before
// it is used, and unused weight bits are masked (the verification build's random initial
// values check exactly that).
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_neuron #(`ERG_BNA_PARAMS) (
    input  wire                   clk,
    // weight load: one Wb-bit SRAM word per cycle
    input  wire                   wl_en,     // this neuron takes wl_data
    input  wire                   wl_thr,    // ... as its threshold word, else as a slot word
    input  wire [SLW-1:0]         wl_slot,   // slot: window row * Kmax + column age
    input  wire [SWW-1:0]         wl_sub,    // Wb-bit sub-word of the slot
    // (with C < Wb the word's upper bits have no flip-flops)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [WORD_BITS-1:0]   wl_data,
    /* verilator lint_on UNUSEDSIGNAL */
    // stage 1
    input  wire                   s1_en,     // popcount this cycle (clock-gated otherwise)
    input  wire [KK*CHANNELS-1:0] win,       // the window, slot s at [s C +: C]
    input  wire [KK*CHANNELS-1:0] mask,      // the bits of the window that count
    // stage 2
    input  wire                   s2_en,     // the partial popcount of stage 1 is added
    input  wire                   s2_first,  // ... to 0 (conv window, first dense tile)
    input  wire [31:0]            n_bits,    // n: bits in the dot
    output wire [31:0]            dot,       // n - 2 popcount (OUT register value)
    output wire                   bit_o      // threshold result: +1 = 1
);
`include "erg_bna_derived.vh"

    // ---- weight flip-flops: slot s, sub-word j holds channels j Wb .. min((j+1) Wb, C) - 1
    wire [KK*CHANNELS-1:0] wff;
    genvar s, j;
    generate
        for (s = 0; s < KK; s = s + 1) begin : g_slot
            for (j = 0; j < SWMAX; j = j + 1) begin : g_sub
                localparam integer LO = j * WORD_BITS;
                localparam integer WID = CHANNELS - LO < WORD_BITS ? CHANNELS - LO : WORD_BITS;
                reg [WID-1:0] part;
                always @(posedge clk)
                    if (wl_en && !wl_thr && wl_slot == SLW'(s) && wl_sub == SWW'(j))
                        part <= wl_data[WID-1:0];
                assign wff[s*CHANNELS + LO +: WID] = part;
            end
        end
    endgenerate

    reg [16:0] thr; // bit 16 flip, bits 15..0 tau; threshold-word bits 17 and up are ignored
    always @(posedge clk)
        if (wl_en && wl_thr) thr <= wl_data[16:0];

    // ---- stage 1: XNOR-popcount (counting mismatches: dot = n - 2 popcount(x XOR w))
    reg [PW-1:0] pop_q;
`ifdef ERG_BNA_FAULTS
    // TEST-ONLY fault injection (docs/verification.md), absent from the real builds:
    // +erg_fault=2 drops one popcount bit (bit 0 of the XOR vector, slot 0 channel 0).
    integer fault;
    initial if (!$value$plusargs("erg_fault=%d", fault)) fault = 0;
    wire [KK*CHANNELS-1:0] pmask = fault == 2 ? mask & ~(KK*CHANNELS)'(1) : mask;
`else
    wire [KK*CHANNELS-1:0] pmask = mask;
`endif
    always @(posedge clk)
        if (s1_en) pop_q <= PW'($countones((win ^ wff) & pmask));

    // ---- stage 2: accumulate the partial dots of dense tiles, threshold
    reg  [AW-1:0] acc_q;
    wire [AW-1:0] total = (s2_first ? {AW{1'b0}} : acc_q) + AW'(pop_q);
    always @(posedge clk)
        if (s2_en) acc_q <= total;

    assign dot = n_bits - {31'(total), 1'b0};
    wire signed [31:0] tau = {{16{thr[15]}}, thr[15:0]};
    // flip = 0: +1 iff dot >= tau; flip = 1: +1 iff dot <= tau (the golden fold)
    assign bit_o = thr[16] ? $signed(dot) <= tau : $signed(dot) >= tau;
endmodule

`default_nettype wire
