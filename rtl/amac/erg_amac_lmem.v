// erg_amac_lmem.v — simulation model of the AMAC unit's local memory (docs/amac-unit.md, "Local
// memory"): BYTES bytes, 0 at time 0 like the C model's, little-endian words. Behavioural, not
// for synthesis: on a chip this is the DRAM (or SRAM macro) behind the unit's buffers. It has
// the ports the unit needs in one cycle: the host's 32-bit word, one byte per array row (the
// ifmap feed) and per column (the filter feed), the bias, m0 and shift word of each column, one
// word for the set-up's shift scan, and one write of up to COLS output values (1 or 4 bytes
// each, consecutive). Addresses at or past BYTES read 0 and are not written.
`default_nettype none

module erg_amac_lmem #(
    parameter integer BYTES = 4096,
    parameter integer ROWS = 4,
    parameter integer COLS = 4
) (
    input  wire                 clk,
    // host port: the aligned word at h_addr
    input  wire                 h_we,
    input  wire [31:0]          h_addr,
    input  wire [31:0]          h_wdata,
    output wire [31:0]          h_rdata,
    // feeds: byte reads
    input  wire [ROWS*32-1:0]   i_addr,
    output wire [ROWS*8-1:0]    i_data,
    input  wire [COLS*32-1:0]   w_addr,
    output wire [COLS*8-1:0]    w_data,
    // per-column parameters (bias, m0, shift of each column: 3 words per column)
    input  wire [3*COLS*32-1:0] p_addr,
    output wire [3*COLS*32-1:0] p_data,
    // the set-up's word read
    input  wire [31:0]          s_addr,
    output wire [31:0]          s_data,
    // output write: o_n values of 1 byte (o_wide = 0) or 4 bytes from o_addr on
    input  wire                 o_we,
    input  wire [31:0]          o_addr,
    input  wire [15:0]          o_n,
    input  wire                 o_wide,
    input  wire [COLS*32-1:0]   o_data
);
    reg [7:0] mem [0:BYTES-1];
    integer z;
    initial for (z = 0; z < BYTES; z = z + 1) mem[z] = 8'd0;

    function automatic [7:0] rd8(input [31:0] a);
        rd8 = {1'b0, a} < 33'(BYTES) ? mem[a] : 8'd0;
    endfunction
    function automatic [31:0] rd32(input [31:0] a);
        rd32 = {rd8(a + 32'd3), rd8(a + 32'd2), rd8(a + 32'd1), rd8(a)};
    endfunction

    assign h_rdata = rd32(h_addr);
    assign s_data = rd32(s_addr);
    genvar i;
    generate
        for (i = 0; i < ROWS; i = i + 1) begin : g_i
            assign i_data[i*8 +: 8] = rd8(i_addr[i*32 +: 32]);
        end
        for (i = 0; i < COLS; i = i + 1) begin : g_w
            assign w_data[i*8 +: 8] = rd8(w_addr[i*32 +: 32]);
        end
        for (i = 0; i < 3 * COLS; i = i + 1) begin : g_p
            assign p_data[i*32 +: 32] = rd32(p_addr[i*32 +: 32]);
        end
    endgenerate

    integer j, b;
    always @(posedge clk) begin
        if (h_we)
            for (b = 0; b < 4; b = b + 1)
                if ({1'b0, h_addr} + 33'(b) < 33'(BYTES))
                    mem[h_addr + 32'(b)] <= h_wdata[b*8 +: 8];
        if (o_we)
            for (j = 0; j < COLS; j = j + 1)
                for (b = 0; b < 4; b = b + 1)
                    if (j < 32'(o_n) && (o_wide || b == 0) &&
                        {1'b0, o_addr} + (o_wide ? 33'(4 * j + b) : 33'(j)) < 33'(BYTES))
                        mem[o_addr + (o_wide ? 32'(4 * j + b) : 32'(j))] <= o_data[j*32 + b*8 +: 8];
    end
endmodule

`default_nettype wire
