// erg_bna_regs.v — the BNA register file (driver/erg_regs.def through the generated
// erg_regs.vh): ID, VERSION, CTRL, STATUS, IRQ_EN, IRQ_STATUS, ERROR, the L_* layer
// descriptor, the P_* parameters, and the read path of the counters and OUT registers.
// START checks the descriptor (erg_bna_check) and either starts the sequencer or refuses it
// (STATUS = DONE | ERROR and the DONE interrupt at once); CTRL is ignored while a layer runs.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_regs #(`ERG_BNA_PARAMS) (
    input  wire             clk,
    input  wire             rst,
    // host access to the register space, done this cycle when acc = 1
    input  wire             acc,
    input  wire             we,
    input  wire [23:0]      addr,      // 4-byte aligned (the top drops unaligned accesses)
    input  wire [31:0]      wdata,
    output reg  [31:0]      rd,        // the register at addr, for a read
    // descriptor and commands
    output wire [12*32-1:0] lregs,     // L_OP .. L_THERM1
    input  wire [2:0]       err,       // check result of the current descriptor
    output wire             start,     // an accepted START
    output wire             clear,     // CTRL.CLEAR
    input  wire             busy,
    input  wire             done,      // the running layer finishes this cycle
    output wire             irq,
    // counters and OUT registers
    output wire [4:0]       cnt_idx,
    input  wire [63:0]      cnt_val,
    output wire [CW-1:0]    out_idx,
    input  wire [31:0]      out_val
);
`include "erg_bna_derived.vh"
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs.vh"
/* verilator lint_on UNUSEDPARAM */

    localparam integer NL = 12;                       // L_OP .. L_THERM1
    localparam [23:0] CNT_LO = ERG_BNA_CNT_BASE[23:0];
    localparam [23:0] CNT_HI = CNT_LO + 24'(8 * ERG_BNA_CNT_COUNT);
    localparam [23:0] OUT_LO = ERG_BNA_OUT_BASE[23:0];
    localparam [23:0] OUT_HI = OUT_LO + 24'(4 * CHANNELS);
    localparam [23:0] L_HI = ERG_BNA_L_OP + 24'(4 * NL);

    reg [31:0] l [0:NL-1];
    reg        irq_en, irq_status, st_done, st_error;
    reg [2:0]  error;

    wire wr = acc && we;
    wire ctrl_wr = wr && addr == ERG_BNA_CTRL && !busy;
    wire start_cmd = ctrl_wr && wdata[ERG_BNA_CTRL_START_LSB];
    assign clear = ctrl_wr && wdata[ERG_BNA_CTRL_CLEAR_LSB];
    assign start = start_cmd && err == 3'd0;
    wire refused = start_cmd && err != 3'd0;
    assign irq = irq_status && irq_en;

    wire in_l = addr >= ERG_BNA_L_OP && addr < L_HI;
    // (offsets inside a register range: the range compare bounds them, the top bits are unused)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [23:0] l_off = addr - ERG_BNA_L_OP;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [3:0] l_idx = l_off[5:2];
    genvar i;
    generate
        for (i = 0; i < NL; i = i + 1) begin : g_l
            assign lregs[i*32 +: 32] = l[i];
            always @(posedge clk)
                if (rst) l[i] <= 32'd0;
                else if (wr && in_l && l_idx == 4'(i)) l[i] <= wdata;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            irq_en <= 1'b0;
            irq_status <= 1'b0;
            st_done <= 1'b0;
            st_error <= 1'b0;
            error <= 3'd0;
        end else begin
            if (wr && addr == ERG_BNA_IRQ_EN) irq_en <= wdata[ERG_BNA_IRQ_EN_DONE_LSB];
            // W1C; a finishing layer wins over a clear in the same cycle. A refused START
            // "finishes" at once: DONE | ERROR and the interrupt, no cycles (docs/bna.md).
            if (done || refused) irq_status <= 1'b1;
            else if (wr && addr == ERG_BNA_IRQ_STATUS && wdata[ERG_BNA_IRQ_STATUS_DONE_LSB])
                irq_status <= 1'b0;
            if (start_cmd) begin
                error <= err;
                st_error <= refused;
                st_done <= refused;
            end else if (done) begin
                st_done <= 1'b1;
            end
        end
    end

    // ---- read path
    wire in_cnt = addr >= CNT_LO && addr < CNT_HI;
    wire in_out = addr >= OUT_LO && addr < OUT_HI;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [23:0] cnt_off = addr - CNT_LO;
    wire [23:0] out_off = addr - OUT_LO;
    /* verilator lint_on UNUSEDSIGNAL */
    assign cnt_idx = cnt_off[7:3];
    assign out_idx = out_off[CW+1:2];
    wire [31:0] status = {29'd0, st_error, st_done, busy};

    always @* begin
        rd = 32'd0;
        if (in_l) rd = l[l_idx];
        else if (in_cnt) rd = cnt_off[2] ? cnt_val[63:32] : cnt_val[31:0];
        else if (in_out) rd = out_val;
        else
            case (addr)
                ERG_BNA_ID: rd = ERG_BNA_ID_VALUE;
                ERG_BNA_VERSION: rd = ERG_BNA_VERSION_VALUE;
                ERG_BNA_STATUS: rd = status;
                ERG_BNA_IRQ_EN: rd = {31'd0, irq_en};
                ERG_BNA_IRQ_STATUS: rd = {31'd0, irq_status};
                ERG_BNA_ERROR: rd = {29'd0, error};
                ERG_BNA_P_NEURONS: rd = 32'(NEURONS);
                ERG_BNA_P_KERNELS: rd = 32'(KERNELS);
                ERG_BNA_P_CHANNELS: rd = 32'(CHANNELS);
                ERG_BNA_P_FMAP_H: rd = 32'(FMAP_H);
                ERG_BNA_P_FMAP_W: rd = 32'(FMAP_W);
                ERG_BNA_P_BANKS: rd = 32'(BANKS);
                ERG_BNA_P_WORD_BITS: rd = 32'(WORD_BITS);
                ERG_BNA_P_BANK_ROWS: rd = 32'(BANK_ROWS);
                ERG_BNA_P_FMAP_WORDS: rd = 32'(FMAP_WORDS);
                default: rd = 32'd0;
            endcase
    end
endmodule

`default_nettype wire
