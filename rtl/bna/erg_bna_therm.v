// erg_bna_therm.v — thermometer encoder for one raw input pixel (docs/bna.md; NUMERICS.md):
// raw channel k (byte k of the 64-bit word) becomes levels_k planes starting at plane
// first_k, plane j set iff x >= floor((j + 1) 256 / (levels_k + 1)).
//
// floor(q) <= x <=> q < x + 1 for integer x, so plane j is set iff (j + 1) 256 <
// (x + 1)(levels + 1): the planes set are the first n = ((x + 1)(levels + 1) - 1) >> 8 of
// the channel (n <= levels always). Each plane is then one 8-bit compare of its index with n
// (the `therm_ops` of docs/bna.md): written here as a run of n ones placed at first_k.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_therm #(`ERG_BNA_PARAMS) (
    input  wire [63:0]          raw,     // channel k in byte k
    input  wire [63:0]          levels,  // levels of channel k in byte k (0: channel unused)
    input  wire [8*12-1:0]      first,   // first plane of channel k (sum of earlier levels)
    output reg  [CHANNELS-1:0]  planes
);
`include "erg_bna_derived.vh"

    integer ch;
    /* verilator lint_off UNUSEDSIGNAL */ // pm1 >> 8 is the count; the low byte only carries
    reg [15:0] pm1;
    /* verilator lint_on UNUSEDSIGNAL */
    always @* begin
        planes = {CHANNELS{1'b0}};
        for (ch = 0; ch < 8; ch = ch + 1) begin
            // (x + 1)(levels + 1) - 1 = x levels + x + levels <= 65535
            pm1 = {8'd0, raw[ch*8 +: 8]} * {8'd0, levels[ch*8 +: 8]} + {8'd0, raw[ch*8 +: 8]} +
                  {8'd0, levels[ch*8 +: 8]};
            // the first n = pm1 >> 8 planes of the channel: n ones at first_k (sum <= C)
            planes = planes | (~({CHANNELS{1'b1}} << pm1[15:8]) << first[ch*12 +: 12]);
        end
    end
endmodule

`default_nettype wire
