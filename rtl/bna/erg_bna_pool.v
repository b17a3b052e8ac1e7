// erg_bna_pool.v — the max-pool unit (docs/bna.md): binary max = OR. Each cycle it gets one
// column of S pixels from the buffer's read ports, ORs them (masked to the layer's channels)
// into the running result, and hands out the output pixel with the S-th column.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_pool #(`ERG_BNA_PARAMS) (
    input  wire                  clk,
    input  wire [KMAX*PIXW-1:0]  px,      // read port i's pixel at [i PIXW +: PIXW]
    input  wire [2:0]            s,       // pool size: ports 0 .. S-1 hold the column
    input  wire [CW-1:0]         c,       // channels
    input  wire                  pv,      // a column arrives this cycle
    input  wire                  pfirst,  // ... the first of an output pixel
    output wire [PIXW-1:0]       result   // OR of the pixel's columns so far, this one included
);
`include "erg_bna_derived.vh"

    // channel mask: bits past c are ignored (the output's unused bits are written 0)
    wire [PIXW-1:0] cmask = ~({PIXW{1'b1}} << c);
`ifdef ERG_BNA_FAULTS
    // TEST-ONLY fault injection (docs/verification.md), absent from the real builds:
    // +erg_fault=1 is an off-by-one in the pooling window (the column's last row is not ORed).
    integer fault;
    initial if (!$value$plusargs("erg_fault=%d", fault)) fault = 0;
    wire [2:0] s_eff = fault == 1 ? s - 3'd1 : s;
`else
    wire [2:0] s_eff = s;
`endif
    reg  [PIXW-1:0] column;
    integer i;
    always @* begin
        column = {PIXW{1'b0}};
        for (i = 0; i < KMAX; i = i + 1)
            if (3'(i) < s_eff) column = column | px[i*PIXW +: PIXW];
        column = column & cmask;
    end

    reg [PIXW-1:0] acc;
    assign result = (pfirst ? {PIXW{1'b0}} : acc) | column;
    always @(posedge clk)
        if (pv) acc <= result;
endmodule

`default_nettype wire
