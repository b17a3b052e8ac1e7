// erg_sram_pix.v — behavioural feature-map buffer: WORDS 64-bit words, RPORTS read ports that
// each return PWORDS consecutive words (one whole pixel) from any word address, and one
// bit-masked write port of PWORDS words. Reads are synchronous (data the cycle after).
//
// It stands for PWORDS word-interleaved sub-banks (word a in sub-bank a mod PWORDS, so any
// PWORDS consecutive words are in distinct sub-banks) with RPORTS read ports each: the BNA
// reads a column of K pixels per cycle, one per port (docs/rtl.md explains why ports, not the
// row banks of docs/bna.md). docs/bna.md wants the SRAMs 0 after reset: a per-word valid flag
// (cleared by reset, set by the first write) makes a never-written word read 0.
`default_nettype none

module erg_sram_pix #(
    parameter integer WORDS  = 4096,
    parameter integer PWORDS = 4,
    parameter integer RPORTS = 2,
    parameter integer AW     = $clog2(WORDS) + 1   // address width, at least $clog2(WORDS)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire [RPORTS-1:0]           re,
    input  wire [RPORTS*AW-1:0]        raddr,  // first word of each port's pixel
    output reg  [RPORTS*PWORDS*64-1:0] rdata,  // port p word q at [(p*PWORDS+q)*64 +: 64]
    input  wire                        we,
    input  wire [AW-1:0]               waddr,
    input  wire [PWORDS*64-1:0]        wdata,
    input  wire [PWORDS*64-1:0]        wmask   // words with an all-zero mask are not touched
);
    localparam integer IW = $clog2(WORDS) > 0 ? $clog2(WORDS) : 1; // array index width
    localparam [AW:0] LIMIT = WORDS[AW:0];

    reg [63:0] mem [0:WORDS-1];
    reg [WORDS-1:0] valid;

    // Word q of read port p and of the write port: address, in range, current value.
    wire [RPORTS*PWORDS*64-1:0] rword;
    wire [PWORDS*64-1:0] wcur;
    wire [PWORDS*IW-1:0] widx;
    wire [PWORDS-1:0] win;
    genvar p, q;
    generate
        for (p = 0; p < RPORTS; p = p + 1) begin : g_rport
            for (q = 0; q < PWORDS; q = q + 1) begin : g_word
                wire [AW:0] a = {1'b0, raddr[p*AW +: AW]} + q;
                wire [IW-1:0] i = a[IW-1:0];
                // words past the end read 0 (only the unused tail of a pixel gets there)
                assign rword[(p*PWORDS+q)*64 +: 64] = a < LIMIT && valid[i] ? mem[i] : 64'd0;
            end
        end
        for (q = 0; q < PWORDS; q = q + 1) begin : g_wword
            wire [AW:0] a = {1'b0, waddr} + q;
            assign widx[q*IW +: IW] = a[IW-1:0];
            assign win[q] = a < LIMIT && wmask[q*64 +: 64] != 64'd0;
            assign wcur[q*64 +: 64] = valid[a[IW-1:0]] ? mem[a[IW-1:0]] : 64'd0;
        end
    endgenerate

    integer r, w;
    always @(posedge clk) begin
        if (rst) begin
            valid <= {WORDS{1'b0}};
            rdata <= {RPORTS*PWORDS*64{1'b0}};
        end else begin
            for (r = 0; r < RPORTS; r = r + 1)
                if (re[r]) rdata[r*PWORDS*64 +: PWORDS*64] <= rword[r*PWORDS*64 +: PWORDS*64];
            if (we)
                for (w = 0; w < PWORDS; w = w + 1)
                    if (win[w]) begin
                        mem[widx[w*IW +: IW]] <= (wcur[w*64 +: 64] & ~wmask[w*64 +: 64]) |
                                                 (wdata[w*64 +: 64] & wmask[w*64 +: 64]);
                        valid[widx[w*IW +: IW]] <= 1'b1;
                    end
        end
    end
endmodule

`default_nettype wire
