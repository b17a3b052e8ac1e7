// erg_amul_dsm.v — dynamic segment multiplier DSM(M) of models/amac/erg_amul.def (leading-one
// based, truncating). Per operand x: a leading-one detector finds msb(x); if x >= 2^M a
// shifter keeps the M bits from the leading one down (t = msb(x) - M + 1 bits fall off, no
// forced 1); x < 2^M passes unchanged (t = 0). An M x M array multiplies the two segments and a
// barrel shifter moves the product up by ta + tb: O = seg(a) * seg(b) with
// seg(x) = (x >> t) << t. 1 <= M <= 7. The datapath is DRUM's without the forced 1:
// erg_amul_seg #(M, 0) (erg_amul_seg.v; docs/rtl-amac.md).
`default_nettype none

module erg_amul_dsm #(
    parameter M = 4  // segment width
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    erg_amul_seg #(.W(M), .FORCE1(0)) u_seg (.A(A), .B(B), .O(O));
endmodule

`default_nettype wire
