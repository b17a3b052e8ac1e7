// erg_bna_pack.v — places a filter group's result bits in its output pixel (docs/bna.md,
// "Output words"): group g writes channels g N .. g N + n_g - 1 bit-masked, and the group that
// writes channel cout - 1 also writes 0 up to the end of the pixel's last word, so every layer
// overwrites whole output words. The shifts are by whole groups: a GMAX-way multiplexer.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_pack #(`ERG_BNA_PARAMS) (
    input  wire [NEURONS-1:0] res,    // the group's bits, 0 above n_g
    input  wire [GW-1:0]      g,      // group index
    input  wire               last,   // the group holds channel cout - 1
    input  wire [PB-1:0]      p_out,  // words per output pixel
    output reg  [PIXW-1:0]    data,
    output reg  [PIXW-1:0]    mask
);
`include "erg_bna_derived.vh"

    localparam integer XW = PIXW + NEURONS;
    wire [XW-1:0] res_x = {{PIXW{1'b0}}, res};
    wire [XW-1:0] ones_x = {{PIXW{1'b0}}, {NEURONS{1'b1}}};
    wire [PIXW-1:0] words = ~({PIXW{1'b1}} << {p_out, 6'd0}); // the pixel's p_out words

    reg [PIXW-1:0] d, grp, from;
    integer gi;
    always @* begin
        d = {PIXW{1'b0}};
        grp = {PIXW{1'b0}};
        from = {PIXW{1'b0}};
        for (gi = 0; gi < GMAX; gi = gi + 1)
            if (g == GW'(gi)) begin
                d = PIXW'(res_x << (gi * NEURONS));
                grp = PIXW'(ones_x << (gi * NEURONS));
                from = {PIXW{1'b1}} << (gi * NEURONS);
            end
        data = d;
        mask = words & (last ? from : grp);
    end
endmodule

`default_nettype wire
