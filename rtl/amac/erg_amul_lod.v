// erg_amul_lod.v — the leading-one detector of the segment and logarithmic multipliers
// (erg_amul_seg.v for DRUM and DSM, erg_amul_mitchell.v): K = msb(X), 0 for X = 0, as a
// two-level priority tree. Bit 0 of X never decides msb(X), so the port is X[7:1]; the three
// bits of K are separate nets, so Verilator sees no false combinational loop (UNOPTFLAT)
// (docs/rtl-amac.md).
`default_nettype none

module erg_amul_lod (
    input  wire [7:1] X,  // the operand without its bit 0
    output wire [2:0] K   // msb(X)
);
    wire k2, k1, k0;
    assign k2 = |X[7:4];
    assign k1 = k2 ? |X[7:6] : |X[3:2];
    assign k0 = k2 ? (k1 ? X[7] : X[5]) : (k1 ? X[3] : X[1]);
    assign K = {k2, k1, k0};
endmodule

`default_nettype wire
