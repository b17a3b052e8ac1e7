// erg_amul_exact.v — the exact unsigned 8x8 multiplier, family EXACT of
// models/amac/erg_amul.def: O = A * B, built as the array multiplier it is in hardware: 64 AND
// gates make the partial products pp(i,j) = a_i AND b_j, row j (b's bit j) is shifted to
// column j, and a chain of row adders sums the eight rows. That is the broken array with
// nothing broken off, BAM(0, 0) (erg_amul_bam.v; docs/rtl-amac.md).
`default_nettype none

module erg_amul_exact (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    erg_amul_bam #(.H(0), .V(0)) u_array (.A(A), .B(B), .O(O));
endmodule

`default_nettype wire
