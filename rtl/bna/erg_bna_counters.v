// erg_bna_counters.v — the 20 activity counters of models/common/erg_counters.h (same order:
// counter i at CNT_BASE + 8 i), 64 bits each. Each cycle every counter adds the events of that
// cycle (inc, from the sequencer and the host weight-SRAM port); CTRL.CLEAR zeroes them.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_counters #(`ERG_BNA_PARAMS) (
    input  wire           clk,
    input  wire           rst,
    input  wire           clear,
    input  wire [20*32-1:0] inc,     // counter i adds inc[32 i +: 32] this cycle (20 counters)
    input  wire [4:0]     rd_idx,    // host read port
    output wire [63:0]    rd_val     // counter rd_idx (0 past the last)
);
`include "erg_bna_derived.vh"
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs.vh"
/* verilator lint_on UNUSEDPARAM */

    localparam integer NCNT = ERG_BNA_CNT_COUNT;
    reg [63:0] cnt [0:NCNT-1];
    genvar i;
    generate
        if (NCNT != 20) begin : g_bad_count
            $error("erg_regs.vh lists %0d counters; the port inc is for 20", NCNT);
        end
        for (i = 0; i < NCNT; i = i + 1) begin : g_cnt
            always @(posedge clk)
                if (rst || clear) cnt[i] <= 64'd0;
                else cnt[i] <= cnt[i] + {32'd0, inc[i*32 +: 32]};
        end
    endgenerate
    assign rd_val = rd_idx < 5'(NCNT) ? cnt[rd_idx] : 64'd0;
endmodule

`default_nettype wire
