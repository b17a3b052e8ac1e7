// erg_amul_seg.v — the dynamic-segment multiplier that DRUM(K) and DSM(M) of
// models/amac/erg_amul.def are built from (erg_amul_drum.v: W = K, FORCE1 = 1; erg_amul_dsm.v:
// W = M, FORCE1 = 0). Per operand x: a leading-one detector (erg_amul_lod.v) finds msb(x); if
// x >= 2^W a shifter takes the W bits from the leading one down (t = msb(x) - W + 1 bits fall
// off) and, with FORCE1, the lowest kept bit is forced to 1 (DRUM's unbiasing); x < 2^W passes
// unchanged (t = 0). A W x W array multiplies the two segments and a barrel shifter moves the
// product up by ta + tb: O = seg(a) * seg(b) with seg(x) = ((x >> t) OR FORCE1) << t.
// 1 <= W <= 7 (docs/rtl-amac.md).
`default_nettype none

module erg_amul_seg #(
    parameter W = 4,      // segment width
    parameter FORCE1 = 0  // 1: the segment's lowest bit is forced to 1 when x >= 2^W (DRUM)
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    localparam integer WM1 = W - 1;
    localparam [W-1:0] LSB = (FORCE1 != 0) ? 1 : 0;  // the bit forced to 1, if any

    genvar n, j;
    generate
        // the two operand paths: leading-one detector, segment shifter, forced 1
        for (n = 0; n < 2; n = n + 1) begin : op
            wire [7:0] x = (n == 0) ? A : B;
            wire [2:0] k;          // msb(x) (0 for x = 0)
            wire       big;        // x >= 2^W: the segment is taken from the leading one
            wire [2:0] t;          // bits shifted out
            wire [W-1:0] seg;      // the W-bit segment, seg(x) >> t
            erg_amul_lod u_lod (.X(x[7:1]), .K(k));
            assign big = |x[7:W];
            assign t = big ? k - WM1[2:0] : 3'd0;
            assign seg = x[t +: W] | ({W{big}} & LSB);
        end
        // the W x W array multiplier of the segments (row j = b's segment bit j)
        for (j = 0; j < W; j = j + 1) begin : row
            wire [2*W-1:0] pp = {{W{1'b0}}, op[0].seg & {W{op[1].seg[j]}}};
            wire [2*W-1:0] sum;  // rows 0 .. j added
            if (j == 0) begin : first
                assign sum = pp;
            end else begin : add
                assign sum = row[j-1].sum + (pp << j);
            end
        end
    endgenerate

    // the output shifter: product << (ta + tb) (seg(x) < 2^(msb(x)+1), so it fits 16 bits)
    wire [3:0] sh = {1'b0, op[0].t} + {1'b0, op[1].t};
    assign O = {{(16 - 2 * W) {1'b0}}, row[W-1].sum} << sh;
endmodule

`default_nettype wire
