// erg_amul_bam.v — broken-array multiplier BAM(H, V) of models/amac/erg_amul.def (Mahdiani et
// al.): the array is broken horizontally (rows j < H left out) and vertically (columns
// i + j < V left out): O = sum of pp(i,j) 2^(i+j) over j >= H and i + j >= V. The cells of the
// broken-off parts are not built; the remaining rows are summed by a chain of row adders.
// This is the one partial-product array of the library: EXACT = BAM(0, 0), TRUNC(K) =
// BAM(0, K), PERF(M) = BAM(M, 0) and the upper part of LOA(L) = BAM(0, L) instantiate it
// (docs/rtl-amac.md).
`default_nettype none

module erg_amul_bam #(
    parameter H = 1,  // horizontal break: rows 0 .. H-1 left out
    parameter V = 6   // vertical break: columns 0 .. V-1 left out
) (
    // Operand bits that only feed broken-off cells (b_0 .. b_{H-1}; a_0 .. when V > 7) are unused.
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [15:0] O
);
    genvar i, j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : row
            wire [7:0]  pp;   // pp[i] = a_i AND b_j, column i + j
            wire [15:0] sum;  // rows 0 .. j added
            for (i = 0; i < 8; i = i + 1) begin : pos
                if (j >= H && i + j >= V) begin : gate
                    assign pp[i] = A[i] & B[j];
                end else begin : cut
                    assign pp[i] = 1'b0;
                end
            end
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
