// erg_amul_mitchell.v — Mitchell's logarithmic multiplier MITCHELL(W) of
// models/amac/erg_amul.def, with W fraction bits (0 <= W <= 7). Per operand x: a leading-one
// detector (erg_amul_lod.v, shared with DRUM and DSM) gives the characteristic k = msb(x); a
// left shifter by 7 - k normalises x so the leading one falls off and the 7 bits below it are
// the fraction f = (x - 2^k) << (7 - k), of which the top W are kept (AND NOT (2^(7-W) - 1)).
// One adder forms s = fa + fb; the antilog is the mantissa {1, s[6:0]} (= 128 + s for
// s < 128, = s otherwise) shifted by ka + kb + s[7] and scaled by 2^-7: left by
// (ka + kb + s[7] - 7) or right by (7 - ka - kb - s[7]). O = 0 when an operand is zero
// (docs/rtl-amac.md).
`default_nettype none

module erg_amul_mitchell #(
    parameter W = 7  // fraction bits kept
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    localparam [6:0] FMASK = 7'h7F << (7 - W);  // the top W of the 7 fraction bits

    genvar n;
    generate
        // the two operand paths: leading-one detector, normalising shifter, truncation
        for (n = 0; n < 2; n = n + 1) begin : op
            wire [7:0] x = (n == 0) ? A : B;
            wire [2:0] k;           // msb(x) (0 for x = 0)
            wire [6:0] f;           // the fraction, W bits kept
            erg_amul_lod u_lod (.X(x[7:1]), .K(k));
            // x[6:0] << (7 - k): the leading one (bit k) moves out of the 7 bits
            assign f = (x[6:0] << (3'd7 - k)) & FMASK;
        end
    endgenerate

    wire        nz = |A & |B;                          // both operands non-zero
    wire [7:0]  s = {1'b0, op[0].f} + {1'b0, op[1].f}; // fraction sum
    wire [7:0]  mant = {1'b1, s[6:0]};                 // 128 + s, or s when s >= 128
    wire [3:0]  sh = {1'b0, op[0].k} + {1'b0, op[1].k} + {3'd0, s[7]};  // ka + kb (+ 1)
    wire [15:0] up = {8'd0, mant} << (sh - 4'd7);      // sh >= 7: mant << (sh - 7)
    wire [15:0] dn = {8'd0, mant} >> (4'd7 - sh);      // sh < 7: mant >> (7 - sh)
    assign O = nz ? (sh >= 4'd7 ? up : dn) : 16'd0;
endmodule

`default_nettype wire
