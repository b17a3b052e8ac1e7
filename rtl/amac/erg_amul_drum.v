// erg_amul_drum.v — dynamic range unbiased multiplier DRUM(K) of models/amac/erg_amul.def
// (Hashemi et al.). Per operand x: a leading-one detector finds msb(x); if x >= 2^K a shifter
// takes the K bits from the leading one down (t = msb(x) - K + 1 bits fall off) and the lowest
// kept bit is forced to 1 (the unbiasing); x < 2^K passes unchanged (t = 0). A K x K array
// multiplies the two segments and a barrel shifter moves the product up by ta + tb:
// O = seg(a) * seg(b) with seg(x) = ((x >> t) OR 1) << t. 1 <= K <= 7 (docs/rtl-amac.md).
`default_nettype none

module erg_amul_drum #(
    parameter K = 4  // segment width
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    localparam integer KM1 = K - 1;
    localparam [K-1:0] ONE = 1;

    genvar n, j;
    generate
        // the two operand paths: leading-one detector, segment shifter, forced 1
        for (n = 0; n < 2; n = n + 1) begin : op
            wire [7:0] x = (n == 0) ? A : B;
            wire       k2, k1, k0;  // msb(x) (0 for x = 0): a two-level priority tree
            wire [2:0] k = {k2, k1, k0};
            wire       big;        // x >= 2^K: the segment is taken from the leading one
            wire [2:0] t;          // bits shifted out
            wire [K-1:0] seg;      // the K-bit segment, seg(x) >> t
            assign k2 = |x[7:4];
            assign k1 = k2 ? |x[7:6] : |x[3:2];
            assign k0 = k2 ? (k1 ? x[7] : x[5]) : (k1 ? x[3] : x[1]);
            assign big = |x[7:K];
            assign t = big ? k - KM1[2:0] : 3'd0;
            assign seg = x[t +: K] | ({K{big}} & ONE);
        end
        // the K x K array multiplier of the segments (row j = b's segment bit j)
        for (j = 0; j < K; j = j + 1) begin : row
            wire [2*K-1:0] pp = {{K{1'b0}}, op[0].seg & {K{op[1].seg[j]}}};
            wire [2*K-1:0] sum;  // rows 0 .. j added
            if (j == 0) begin : first
                assign sum = pp;
            end else begin : add
                assign sum = row[j-1].sum + (pp << j);
            end
        end
    endgenerate

    // the output shifter: product << (ta + tb) (seg(x) < 2^(msb(x)+1), so it fits 16 bits)
    wire [3:0] sh = {1'b0, op[0].t} + {1'b0, op[1].t};
    assign O = {{(16 - 2 * K) {1'b0}}, row[K-1].sum} << sh;
endmodule

`default_nettype wire
