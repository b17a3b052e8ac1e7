// erg_amul_trunc.v — truncated partial-product multiplier TRUNC(K) of models/amac/erg_amul.def:
// O = sum of pp(i,j) 2^(i+j) over i + j >= K, no compensation. In hardware the AND gates of
// the columns below K are simply not built; the rows that remain are summed exactly by a chain
// of row adders (docs/rtl-amac.md).
`default_nettype none

module erg_amul_trunc #(
    parameter K = 4  // columns 0 .. K-1 of the partial-product array are left out
) (
    // For K >= 8 no kept partial product uses a_0 or b_0 (i + j <= 7 + 0): those bits are unused.
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
                if (i + j >= K) begin : gate
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
