// erg_amac_requant.v — gemmlowp requantization of one int32 accumulator to uint8 (docs/
// numerics.md, "Integer layers"; the C reference is models/common/erg_quant.c):
// out = clamp(zp + RDPOT(SRDHM(acc, m0), shift), 0, 255). Combinational.
`default_nettype none

module erg_amac_requant (
    input  wire [31:0] acc,    // int32
    input  wire [31:0] m0,     // int32, Q31
    input  wire [4:0]  shift,  // 0 .. 31 (the unit refuses other shift words at START)
    input  wire [31:0] zp,     // int32
    output wire [7:0]  out
);
    // SRDHM: round(acc * m0 / 2^31), the nudge toward the sign, then truncation toward zero;
    // INT32_MIN * INT32_MIN is the one overflow and saturates.
    wire both_min = acc == 32'h8000_0000 && m0 == 32'h8000_0000;
    wire signed [63:0] ab = $signed({{32{acc[31]}}, acc}) * $signed({{32{m0[31]}}, m0});
    wire signed [63:0] nudge = ab[63] ? -64'sd1073741823 : 64'sd1073741824;
    wire signed [63:0] sum = ab + nudge;
    wire        [63:0] mag = sum[63] ? 64'(-sum) : 64'(sum);
    wire        [63:0] qmag = mag >> 31;
    /* verilator lint_off UNUSEDSIGNAL */ // |q| < 2^31 except for the saturated case
    wire        [63:0] q = sum[63] ? 64'(-qmag) : qmag;
    /* verilator lint_on UNUSEDSIGNAL */
    wire        [31:0] srdhm = both_min ? 32'h7fff_ffff : q[31:0];

    // RDPOT: floor(x / 2^shift), plus 1 when the remainder is above half (ties away from 0).
    wire signed [63:0] x = $signed({{32{srdhm[31]}}, srdhm});
    wire        [63:0] mask = (64'd1 << shift) - 64'd1;
    wire        [63:0] rem = 64'(x) & mask;
    wire        [63:0] thr = (mask >> 1) + {63'd0, srdhm[31]};
    wire signed [63:0] fl = x >>> shift;
    wire signed [63:0] scaled = fl + ((rem > thr) ? 64'sd1 : 64'sd0);

    wire signed [63:0] v = $signed({{32{zp[31]}}, zp}) + scaled;
    assign out = v < 0 ? 8'd0 : v > 64'sd255 ? 8'd255 : v[7:0];
endmodule

`default_nettype wire
