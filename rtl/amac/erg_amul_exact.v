// erg_amul_exact.v — the exact unsigned 8x8 multiplier, family EXACT of
// models/amac/erg_amul.def: O = A * B, built as the array multiplier it is in hardware: 64 AND
// gates make the partial products pp(i,j) = a_i AND b_j, row j (b's bit j) is shifted to
// column j, and a chain of row adders sums the eight rows (docs/rtl-amac.md).
`default_nettype none

module erg_amul_exact (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : row
            wire [7:0]  pp = A & {8{B[j]}};  // pp[i] = a_i AND b_j, column i + j
            wire [15:0] sum;                 // rows 0 .. j added
            if (j == 0) begin : first
                assign sum = {8'd0, pp};
            end else begin : add
                assign sum = row[j-1].sum + ({8'd0, pp} << j);
            end
        end
    endgenerate
    assign O = row[7].sum;
endmodule

`default_nettype wire
