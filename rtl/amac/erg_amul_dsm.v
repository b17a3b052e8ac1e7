// erg_amul_dsm.v — dynamic segment multiplier DSM(M) of models/amac/erg_amul.def (leading-one
// based, truncating). Per operand x: a leading-one detector finds msb(x); if x >= 2^M a
// shifter keeps the M bits from the leading one down (t = msb(x) - M + 1 bits fall off, no
// forced 1); x < 2^M passes unchanged (t = 0). An M x M array multiplies the two segments and a
// barrel shifter moves the product up by ta + tb: O = seg(a) * seg(b) with
// seg(x) = (x >> t) << t. 1 <= M <= 7 (docs/rtl-amac.md).
`default_nettype none

module erg_amul_dsm #(
    parameter M = 4  // segment width
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    localparam integer MM1 = M - 1;

    genvar n, j;
    generate
        // the two operand paths: leading-one detector, segment shifter
        for (n = 0; n < 2; n = n + 1) begin : op
            wire [7:0] x = (n == 0) ? A : B;
            wire       k2, k1, k0;  // msb(x) (0 for x = 0): a two-level priority tree
            wire [2:0] k = {k2, k1, k0};
            wire       big;        // x >= 2^M: the segment is taken from the leading one
            wire [2:0] t;          // bits shifted out
            wire [M-1:0] seg;      // the M-bit segment, seg(x) >> t
            assign k2 = |x[7:4];
            assign k1 = k2 ? |x[7:6] : |x[3:2];
            assign k0 = k2 ? (k1 ? x[7] : x[5]) : (k1 ? x[3] : x[1]);
            assign big = |x[7:M];
            assign t = big ? k - MM1[2:0] : 3'd0;
            assign seg = x[t +: M];
        end
        // the M x M array multiplier of the segments (row j = b's segment bit j)
        for (j = 0; j < M; j = j + 1) begin : row
            wire [2*M-1:0] pp = {{M{1'b0}}, op[0].seg & {M{op[1].seg[j]}}};
            wire [2*M-1:0] sum;  // rows 0 .. j added
            if (j == 0) begin : first
                assign sum = pp;
            end else begin : add
                assign sum = row[j-1].sum + (pp << j);
            end
        end
    endgenerate

    // the output shifter: product << (ta + tb) (seg(x) <= x, so it fits 16 bits)
    wire [3:0] sh = {1'b0, op[0].t} + {1'b0, op[1].t};
    assign O = {{(16 - 2 * M) {1'b0}}, row[M-1].sum} << sh;
endmodule

`default_nettype wire
