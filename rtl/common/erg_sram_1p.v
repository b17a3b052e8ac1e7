// erg_sram_1p.v — behavioural single-port SRAM: DEPTH words of WIDTH bits, one access per
// cycle (a synchronous read, or a bit-masked write). Stands for a compiled SRAM macro.
//
// docs/bna.md wants the SRAMs 0 after reset: a per-word valid flag (cleared by reset, set by
// the first write) makes a never-written word read 0, so reset takes one cycle.
`default_nettype none

module erg_sram_1p #(
    parameter integer WIDTH = 256,
    parameter integer DEPTH = 1024,
    parameter integer AW    = $clog2(DEPTH)   // address width, at least $clog2(DEPTH)
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             en,     // access this cycle
    input  wire             we,     // 1 = write wdata under wmask, 0 = read
    // < DEPTH: the callers check their ranges, so bits above $clog2(DEPTH) are not used
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [AW-1:0]    addr,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [WIDTH-1:0] wdata,
    input  wire [WIDTH-1:0] wmask,
    output reg  [WIDTH-1:0] rdata   // the word read at the last read access (held otherwise)
);
    localparam integer IW = $clog2(DEPTH) > 0 ? $clog2(DEPTH) : 1;
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [DEPTH-1:0] valid;
    wire [IW-1:0] a = addr[IW-1:0];
    wire [WIDTH-1:0] cur = valid[a] ? mem[a] : {WIDTH{1'b0}};

    always @(posedge clk) begin
        if (rst) begin
            valid <= {DEPTH{1'b0}};
            rdata <= {WIDTH{1'b0}};
        end else if (en) begin
            if (we) begin
                mem[a] <= (cur & ~wmask) | (wdata & wmask);
                valid[a] <= 1'b1;
            end else begin
                rdata <= cur;
            end
        end
    end
endmodule

`default_nettype wire
