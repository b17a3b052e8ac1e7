// erg_amul_cmp.v — approximate 4:2 compressors CMP(C) of models/amac/erg_amul.def in the
// reduction tree below column C. Columns 0 .. C-1 are processed in ascending order. A column's
// bit list is its partial-product bits pp(i, c-i) in ascending i, then the carries it received
// from the column below in the order they were made. The list is cut into consecutive groups of
// four (x1, x2, x3, x4) and a remainder of 0 .. 3 bits; each group is one approximate 4:2
// compressor: its sum s = (x1 XOR x2) OR (x3 XOR x4) stays in the column, its carry
// (x1 AND x2) OR (x3 AND x4) is appended to the next column's list; the remainder bits stay.
// Columns >= C keep all their bits (pp and carries). The final stage adds up the kept bits
// exactly: O = sum over columns of (the ones kept in the column) 2^column.
//
// The network's shape depends only on C, so it is laid out at elaboration: constant functions
// count each column's bits and generate loops build the compressors in exactly the order
// above. Columns 0 .. 15 are built (15 has no partial products, only carries when C = 15)
// (docs/rtl-amac.md).
`default_nettype none

module erg_amul_cmp #(
    parameter C = 8  // columns 0 .. C-1 are reduced by approximate 4:2 compressors
) (
    input  wire [7:0]  A,  // activation
    input  wire [7:0]  B,  // |weight|
    output wire [15:0] O
);
    // partial-product bits in column c: pp(i, c-i) for max(0, c-7) <= i <= min(7, c)
    function integer npp(input integer c);
        npp = (c < 8) ? c + 1 : (c < 15 ? 15 - c : 0);
    endfunction

    // carries column c receives: the number of compressors of column c-1
    function integer ncin(input integer c);
        integer k, n;
        begin
            n = 0;  // carries into column k
            for (k = 0; k < c; k = k + 1) n = (k < C) ? (npp(k) + n) / 4 : 0;
            ncin = n;
        end
    endfunction

    genvar c, i, g, r, b;
    generate
        for (c = 0; c < 16; c = c + 1) begin : col
            localparam integer NP = npp(c);                  // partial-product bits
            localparam integer NC = ncin(c);                 // carries from column c-1
            localparam integer NL = NP + NC;                 // the column's bit list
            localparam integer NG = (c < C) ? NL / 4 : 0;    // 4:2 compressors
            localparam integer NR = NL - 4 * NG;             // remainder bits
            localparam integer NK = NG + NR;                 // bits kept in the column
            localparam integer I0 = (c > 7) ? c - 7 : 0;     // the column's lowest i
            wire [4:0]  cnt;  // ones kept in the column
            wire [15:0] acc;  // columns 0 .. c added, with their weights

            if (NL > 0) begin : bits
                wire [NL-1:0] lst;   // the bit list in definition order
                wire [NK-1:0] kept;  // compressor sums, then the remainder
                for (i = 0; i < NP; i = i + 1) begin : pp
                    assign lst[i] = A[I0 + i] & B[c - I0 - i];
                end
                for (g = 0; g < NC; g = g + 1) begin : cin
                    assign lst[NP + g] = col[c-1].bits.cmp.cy[g];
                end
                if (NG > 0) begin : cmp
                    wire [NG-1:0] cy;  // carries out, in the order made
                    for (g = 0; g < NG; g = g + 1) begin : c42
                        wire x1 = lst[4 * g];
                        wire x2 = lst[4 * g + 1];
                        wire x3 = lst[4 * g + 2];
                        wire x4 = lst[4 * g + 3];
                        assign kept[g] = (x1 ^ x2) | (x3 ^ x4);
                        assign cy[g] = (x1 & x2) | (x3 & x4);
                    end
                end
                for (r = 0; r < NR; r = r + 1) begin : rem
                    assign kept[NG + r] = lst[4 * NG + r];
                end
                // the exact final stage: count the kept ones
                for (b = 0; b < NK; b = b + 1) begin : ones
                    wire [4:0] n;  // kept bits 0 .. b counted
                    if (b == 0) begin : first
                        assign n = {4'd0, kept[0]};
                    end else begin : add
                        assign n = ones[b-1].n + {4'd0, kept[b]};
                    end
                end
                assign cnt = ones[NK-1].n;
            end else begin : empty
                assign cnt = 5'd0;
            end

            if (c == 0) begin : first
                assign acc = {11'd0, cnt};
            end else begin : add
                assign acc = col[c-1].acc + ({11'd0, cnt} << c);
            end
        end
    endgenerate
    assign O = col[15].acc;
endmodule

`default_nettype wire
