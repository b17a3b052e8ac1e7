// erg_amul_kul.v — Kulkarni's multiplier KUL(L) of models/amac/erg_amul.def: A and B are split
// into 2-bit digits a_p, b_q (p, q = 0 .. 3); each of the 16 digit pairs goes through a 2x2
// multiplier block and the shifted block outputs are summed by a chain of adders:
// O = sum_{p,q} M2(a_p, b_q) 2^(2p+2q). The blocks of weight 2p + 2q < L are Kulkarni's
// approximate 2x2 block, three gates wide, in which 3 x 3 = 7 (111) instead of 9:
// o2 = x1 y1, o1 = x1 y0 OR x0 y1, o0 = x0 y0. The others are the exact 2x2 block:
// o3 = x1 x0 y1 y0, o2 = x1 y1 AND NOT x0 y0, o1 = x1 y0 XOR x0 y1, o0 = x0 y0
// (docs/rtl-amac.md).
`default_nettype none

module erg_amul_kul #(
    parameter L = 8  // blocks of weight 2^(2p+2q) < 2^L are approximate
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    genvar d;
    generate
        // block d: p = d / 4 (digit of A), q = d % 4 (digit of B)
        for (d = 0; d < 16; d = d + 1) begin : blk
            wire [1:0]  x = A[2 * (d / 4) +: 2];
            wire [1:0]  y = B[2 * (d % 4) +: 2];
            wire [3:0]  m;    // M2(x, y)
            wire [15:0] sum;  // blocks 0 .. d added
            if (2 * (d / 4) + 2 * (d % 4) < L) begin : approx
                assign m = {1'b0, x[1] & y[1], (x[1] & y[0]) | (x[0] & y[1]), x[0] & y[0]};
            end else begin : exact
                assign m = {x[1] & x[0] & y[1] & y[0], x[1] & y[1] & ~(x[0] & y[0]),
                            (x[1] & y[0]) ^ (x[0] & y[1]), x[0] & y[0]};
            end
            if (d == 0) begin : first
                assign sum = {12'd0, m};
            end else begin : add
                assign sum = blk[d-1].sum + ({12'd0, m} << (2 * (d / 4) + 2 * (d % 4)));
            end
        end
    endgenerate
    assign O = blk[15].sum;
endmodule

`default_nettype wire
