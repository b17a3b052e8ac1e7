// erg_amul_loa.v — lower-part-OR accumulation LOA(L) of models/amac/erg_amul.def: the columns
// c >= L of the partial-product array are summed exactly; each column c < L is reduced by one
// OR gate over its partial-product bits, with no carry out of the lower part:
// O = sum_{c>=L} sum_{i+j=c} pp 2^c + sum_{c<L} OR_{i+j=c}(pp) 2^c. The upper part is the
// truncated array (chain of row adders); its sum has zeros below column L, so the L OR outputs
// are wired straight into those bits (docs/rtl-amac.md).
`default_nettype none

module erg_amul_loa #(
    parameter L = 8  // columns 0 .. L-1 form the OR-ed lower part
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    genvar c, i, j;
    generate
        // upper part: partial products of the columns >= L, summed exactly
        for (j = 0; j < 8; j = j + 1) begin : row
            wire [7:0]  pp;   // pp[i] = a_i AND b_j, column i + j
            wire [15:0] sum;  // rows 0 .. j added
            for (i = 0; i < 8; i = i + 1) begin : pos
                if (i + j >= L) begin : gate
                    assign pp[i] = A[i] & B[j];
                end else begin : low
                    assign pp[i] = 1'b0;
                end
            end
            if (j == 0) begin : first
                assign sum = {8'd0, pp};
            end else begin : add
                assign sum = row[j-1].sum + ({8'd0, pp} << j);
            end
        end
        // lower part: one OR gate per column c < L over its pp bits (column c holds
        // pp(i, c-i) for max(0, c-7) <= i <= min(7, c)); no column above 14 exists
        for (c = 0; c < 16; c = c + 1) begin : col
            wire bit_or;
            if (c < L && c < 15) begin : orcol
                wire [7:0] cb;  // cb[i] = pp(i, c-i), 0 where that cell does not exist
                for (i = 0; i < 8; i = i + 1) begin : pos
                    if (c - i >= 0 && c - i <= 7) begin : gate
                        assign cb[i] = A[i] & B[c-i];
                    end else begin : none
                        assign cb[i] = 1'b0;
                    end
                end
                assign bit_or = |cb;
            end else begin : upper
                assign bit_or = 1'b0;
            end
        end
    endgenerate

    wire [15:0] lower;  // the OR outputs, bit c = column c (0 for c >= L)
    generate
        for (c = 0; c < 16; c = c + 1) begin : wire_lower
            assign lower[c] = col[c].bit_or;
        end
    endgenerate
    assign O = row[7].sum | lower;
endmodule

`default_nettype wire
