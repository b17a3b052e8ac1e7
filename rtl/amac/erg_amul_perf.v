// erg_amul_perf.v — perforated partial-product multiplier PERF(M) of
// models/amac/erg_amul.def: the first M partial-product rows (b's bits 0 .. M-1) are not
// generated, O = A * (B AND NOT (2^M - 1)). In hardware the perforated rows and their adders
// are simply absent; the remaining rows are summed by a chain of row adders: the broken array
// BAM(M, 0) (erg_amul_bam.v; docs/rtl-amac.md).
`default_nettype none

module erg_amul_perf #(
    parameter M = 2  // rows 0 .. M-1 left out
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    erg_amul_bam #(.H(M), .V(0)) u_array (.A(A), .B(B), .O(O));
endmodule

`default_nettype wire
