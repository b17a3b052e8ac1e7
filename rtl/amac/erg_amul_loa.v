// erg_amul_loa.v — lower-part-OR accumulation LOA(L) of models/amac/erg_amul.def: the columns
// c >= L of the partial-product array are summed exactly; each column c < L is reduced by one
// OR gate over its partial-product bits, with no carry out of the lower part:
// O = sum_{c>=L} sum_{i+j=c} pp 2^c + sum_{c<L} OR_{i+j=c}(pp) 2^c. The upper part is the
// truncated array BAM(0, L) (erg_amul_bam.v, a chain of row adders); its sum has zeros below
// column L, so the L OR outputs are wired straight into those bits (docs/rtl-amac.md).
`default_nettype none

module erg_amul_loa #(
    parameter L = 8  // columns 0 .. L-1 form the OR-ed lower part
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    // upper part: partial products of the columns >= L, summed exactly
    wire [15:0] upper;
    erg_amul_bam #(.H(0), .V(L)) u_upper (.A(A), .B(B), .O(upper));

    // lower part: one OR gate per column c < L over its pp bits (column c holds pp(i, c-i) for
    // max(0, c-7) <= i <= min(7, c)); no column above 14 exists. Bit c of lower is column c's
    // OR output, 0 for c >= L.
    wire [15:0] lower;
    genvar c, i;
    generate
        for (c = 0; c < 16; c = c + 1) begin : col
            if (c < L && c < 15) begin : orcol
                wire [7:0] cb;  // cb[i] = pp(i, c-i), 0 where that cell does not exist
                for (i = 0; i < 8; i = i + 1) begin : pos
                    if (c - i >= 0 && c - i <= 7) begin : gate
                        assign cb[i] = A[i] & B[c-i];
                    end else begin : none
                        assign cb[i] = 1'b0;
                    end
                end
                assign lower[c] = |cb;
            end else begin : upper_col
                assign lower[c] = 1'b0;
            end
        end
    endgenerate
    assign O = upper | lower;
endmodule

`default_nettype wire
