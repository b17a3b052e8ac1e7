// erg_bna_out.v — the OUT registers (docs/bna.md): OUT[0 .. C-1], the int32 dots a dense
// OUT_DOTS layer (the classifier) writes, n_g at a time from the group's neurons; the others
// keep their values. 0 after reset.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_out #(`ERG_BNA_PARAMS) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    we,      // the group's dots are final this cycle
    input  wire [GW-1:0]           g,       // group: OUT[g N + i] <= dot of neuron i
    input  wire [NW-1:0]           n_g,     // ... for i < n_g
    input  wire [NEURONS*32-1:0]   dots,
    input  wire [CW-1:0]           rd_idx,  // host read port
    output wire [31:0]             rd_val   // OUT[rd_idx] (0 past C)
);
`include "erg_bna_derived.vh"

    reg [31:0] out [0:CHANNELS-1];
`ifdef ERG_BNA_FAULTS
    // TEST-ONLY fault injection (docs/verification.md), absent from the real builds:
    // +erg_fault=4 is a missing reset: the OUT registers keep their power-up values (random in
    // the verification build) instead of reading 0 after reset.
    integer fault;
    initial if (!$value$plusargs("erg_fault=%d", fault)) fault = 0;
    wire out_rst = rst && fault != 4;
`else
    wire out_rst = rst;
`endif
    genvar e;
    generate
        for (e = 0; e < CHANNELS; e = e + 1) begin : g_out
            // register e belongs to group e / N, neuron e % N
            always @(posedge clk)
                if (out_rst) out[e] <= 32'd0;
                else if (we && g == GW'(e / NEURONS) && NW'(e % NEURONS) < n_g)
                    out[e] <= dots[(e % NEURONS)*32 +: 32];
        end
    endgenerate
    localparam [CW-1:0] LIMIT = CW'(CHANNELS);
    localparam integer OI = CHANNELS > 1 ? $clog2(CHANNELS) : 1;
    assign rd_val = rd_idx < LIMIT ? out[rd_idx[OI-1:0]] : 32'd0;
endmodule

`default_nettype wire
