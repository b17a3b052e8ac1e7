// erg_amul_perf.v — perforated partial-product multiplier PERF(M) of
// models/amac/erg_amul.def: the first M partial-product rows (b's bits 0 .. M-1) are not
// generated, O = A * (B AND NOT (2^M - 1)). In hardware the perforated rows and their adders
// are simply absent; the remaining rows are summed by a chain of row adders (docs/rtl-amac.md).
`default_nettype none

module erg_amul_perf #(
    parameter M = 2  // rows 0 .. M-1 left out
) (
    input  wire [7:0]  A,  // activation
    // b_0 .. b_{M-1} select only perforated rows: those bits of B are unused.
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [7:0]  B,  // |weight|
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [15:0] O
);
    genvar j;
    generate
        for (j = 0; j < 8; j = j + 1) begin : row
            wire [7:0]  pp;   // pp[i] = a_i AND b_j, column i + j
            wire [15:0] sum;  // rows 0 .. j added
            if (j >= M) begin : gate
                assign pp = A & {8{B[j]}};
            end else begin : cut
                assign pp = 8'd0;
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
