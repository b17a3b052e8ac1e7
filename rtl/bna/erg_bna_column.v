// erg_bna_column.v — the live column of the window: the K pixels the buffer's read ports
// delivered this cycle, as C-bit channel vectors, through the thermometer encoders when the
// layer's input is raw uint8 (docs/bna.md: the first layer expands each raw pixel on the fly).
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_column #(`ERG_BNA_PARAMS) (
    // (a pixel has PMAX words; only its first C bits are channels)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [KMAX*PIXW-1:0]     px,      // read port i's pixel at [i PIXW +: PIXW]
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire                     therm,
    input  wire [63:0]              levels,
    input  wire [8*12-1:0]          first,
    output wire [KMAX*CHANNELS-1:0] col      // window row i at [i C +: C]
);
`include "erg_bna_derived.vh"

    genvar i;
    generate
        for (i = 0; i < KMAX; i = i + 1) begin : g_row
            wire [CHANNELS-1:0] planes;
            erg_bna_therm #(`ERG_BNA_PASS) u_therm (
                .raw    (px[i*PIXW +: 64]),
                .levels (levels),
                .first  (first),
                .planes (planes)
            );
            assign col[i*CHANNELS +: CHANNELS] = therm ? planes : px[i*PIXW +: CHANNELS];
        end
    endgenerate
endmodule

`default_nettype wire
