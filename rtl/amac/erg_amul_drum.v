// erg_amul_drum.v — dynamic range unbiased multiplier DRUM(K) of models/amac/erg_amul.def
// (Hashemi et al.). Per operand x: a leading-one detector finds msb(x); if x >= 2^K a shifter
// takes the K bits from the leading one down (t = msb(x) - K + 1 bits fall off) and the lowest
// kept bit is forced to 1 (the unbiasing); x < 2^K passes unchanged (t = 0). A K x K array
// multiplies the two segments and a barrel shifter moves the product up by ta + tb:
// O = seg(a) * seg(b) with seg(x) = ((x >> t) OR 1) << t. 1 <= K <= 7. The datapath is the
// one DSM uses, with the forced 1: erg_amul_seg #(K, 1) (erg_amul_seg.v; docs/rtl-amac.md).
`default_nettype none

module erg_amul_drum #(
    parameter K = 4  // segment width
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    erg_amul_seg #(.W(K), .FORCE1(1)) u_seg (.A(A), .B(B), .O(O));
endmodule

`default_nettype wire
