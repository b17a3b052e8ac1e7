// erg_amul_trunc.v — truncated partial-product multiplier TRUNC(K) of models/amac/erg_amul.def:
// O = sum of pp(i,j) 2^(i+j) over i + j >= K, no compensation. In hardware the AND gates of
// the columns below K are simply not built; the rows that remain are summed exactly by a chain
// of row adders: the broken array BAM(0, K) (erg_amul_bam.v; docs/rtl-amac.md).
`default_nettype none

module erg_amul_trunc #(
    parameter K = 4  // columns 0 .. K-1 of the partial-product array are left out
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    erg_amul_bam #(.H(0), .V(K)) u_array (.A(A), .B(B), .O(O));
endmodule

`default_nettype wire
