// erg_amac.v — top of the AMAC unit's RTL (docs/amac-unit.md, docs/rtl-amac.md): the register
// file of driver/erg_amac_regs.def, the set-up (descriptor checks, geometry, tiling plan,
// shift scan), the fold sequencer and the ROWS x COLS output-stationary systolic array whose
// PEs multiply with the unit's multiplier set (L_MUL selects one per layer), the DRAM meter,
// the 35 activity counters and the local-memory model, behind the same simple host bus as
// the BNA (rtl/bna/erg_bna.v):
//
//   The host drives req = 1 with we, addr (byte offset in the unit's 256 MiB window, 4-byte
//   aligned) and wdata. The unit performs the access at a rising edge where req = 1 and it is
//   ready, and drives ack = 1 (and rdata, for a read) in the cycle after that edge. It is not
//   ready for a local-memory access (the LMEM window) while a layer runs; register accesses
//   are always taken, CTRL writes are ignored while STATUS.BUSY. Unaligned or unmapped
//   accesses are acked, read 0 and write nothing. irq = IRQ_STATUS.DONE & IRQ_EN.DONE.
//
// Timing (docs/amac-array.md, erg mode): the layer's cycles run from the array's first fold
// to the later of its last drain cycle and the DRAM meter's last transfer cycle (the layer's
// DRAM bytes at P_DRAM_BPC, overlapped with compute); every counter counts those cycles'
// events. The set-up before them is not part of the layer (the C model has none).
`default_nettype none

module erg_amac #(
    parameter integer ROWS = 8,
    parameter integer COLS = 8,
    parameter [31:0] IFMAP_BYTES = 32'd4096,
    parameter [31:0] FILTER_BYTES = 32'd4096,
    parameter [31:0] OFMAP_BYTES = 32'd4096,
    parameter [31:0] BPC_Q16 = 32'd262144,    // DRAM bytes per cycle, Q16.16
    parameter integer LMEM_BYTES = 1048576
) (
    input  wire        clk,
    input  wire        rst,     // synchronous, active high
    input  wire        req,
    input  wire        we,
    input  wire [27:0] addr,
    input  wire [31:0] wdata,
    output reg  [31:0] rdata,
    output reg         ack,
    output wire        irq,
    output wire        busy
);
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs_amac.vh"
/* verilator lint_on UNUSEDPARAM */
`include "erg_amul_set.vh"

    generate
        // Keeps every product of the counters far from 2^64 and the operand addresses inside
        // 32 bits, so that the C model's range refusals (ERR_TILING "too large") cannot occur.
        if (ROWS < 1 || ROWS > 4096 || COLS < 1 || COLS > 4096) begin : g_bad_dims
            $error("erg_amac: ROWS and COLS must be 1 .. 4096");
        end
        if (LMEM_BYTES < 1 || LMEM_BYTES > 16777216) begin : g_bad_lmem
            $error("erg_amac: LMEM_BYTES must be 1 .. 16 MiB");
        end
        if (MULSET_N < 1 || MULSET_N > 64) begin : g_bad_set
            $error("erg_amac: the multiplier set must have 1 .. 64 entries");
        end
    endgenerate

    // ---- host decode
    wire aligned = addr[1:0] == 2'b00;
    wire in_lmem = addr[27];                       // LMEM window: 0x0800_0000 .. 0x0FFF_FFFF
    wire accept = req && !(busy && in_lmem);
    wire wr = accept && we && aligned && !in_lmem; // a register write
    wire [31:0] roff = {4'd0, addr};

    // ---- layer descriptor L_KIND .. L_MUL
    localparam integer NL = 18;
    reg [31:0] l [0:NL-1];
    wire [NL*32-1:0] lregs;
    wire in_l = roff >= ERG_AMAC_L_KIND && roff <= ERG_AMAC_L_MUL;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] l_off = roff - ERG_AMAC_L_KIND;
    /* verilator lint_on UNUSEDSIGNAL */
    genvar gi;
    generate
        for (gi = 0; gi < NL; gi = gi + 1) begin : g_l
            assign lregs[gi*32 +: 32] = l[gi];
            always @(posedge clk)
                if (rst) l[gi] <= 32'd0;
                else if (wr && in_l && l_off[6:2] == 5'(gi)) l[gi] <= wdata;
        end
    endgenerate

    // ---- control and status
    localparam [1:0] U_IDLE = 2'd0, U_SETUP = 2'd1, U_RUN = 2'd2;
    reg [1:0] ustate;
    reg irq_en, irq_status, st_done, st_error;
    reg [31:0] error, err_arg;
    wire ctrl_wr = wr && roff == ERG_AMAC_CTRL && !busy;
    wire go = ctrl_wr && wdata[ERG_AMAC_CTRL_START_LSB];
    wire clear = ctrl_wr && wdata[ERG_AMAC_CTRL_CLEAR_LSB];
    assign busy = ustate != U_IDLE;
    assign irq = irq_status && irq_en;

    // ---- local memory
    wire [ROWS*32-1:0] i_addr;
    wire [ROWS*8-1:0] i_data;
    wire [COLS*32-1:0] w_addr;
    wire [COLS*8-1:0] w_data;
    wire [3*COLS*32-1:0] p_addr, p_data;
    wire [31:0] s_addr, s_data, h_rdata, o_addr;
    wire o_we, o_wide;
    wire [15:0] o_n;
    wire [COLS*32-1:0] o_data;
    erg_amac_lmem #(.BYTES(LMEM_BYTES), .ROWS(ROWS), .COLS(COLS)) u_lmem (
        .clk(clk), .h_we(accept && we && aligned && in_lmem), .h_addr({5'd0, addr[26:0]}),
        .h_wdata(wdata), .h_rdata(h_rdata), .i_addr(i_addr), .i_data(i_data), .w_addr(w_addr),
        .w_data(w_data), .p_addr(p_addr), .p_data(p_data), .s_addr(s_addr), .s_data(s_data),
        .o_we(o_we), .o_addr(o_addr), .o_n(o_n), .o_wide(o_wide), .o_data(o_data));

    // ---- set-up
    wire su_done, su_ok;
    wire [31:0] su_err, su_arg;
    wire dw, bias_en, rq;
    wire [15:0] e_in_h, e_in_w, e_k_w, e_stride, pad_t, pad_l, out_w;
    /* verilator lint_off UNUSEDSIGNAL */ // the sequencer needs neither (its taps and rows count)
    wire [15:0] e_k_h, out_h;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0] e_in_c, taps_c, m_px, n_f, k_t, n_gemm, out_c, zp;
    wire [31:0] a_in_addr, a_w_addr, a_bias, a_m0, a_shift, a_out;
    wire [5:0] sel;
    wire [63:0] d_ifmap, d_filter, d_param, d_ofmap;
    erg_amac_setup #(.NMUL(MULSET_N), .IFMAP_BYTES(64'(IFMAP_BYTES)),
                     .FILTER_BYTES(64'(FILTER_BYTES)), .LMEM_BYTES(64'(LMEM_BYTES))) u_setup (
        .clk(clk), .rst(rst), .go(go), .lregs(lregs), .done(su_done), .ok(su_ok), .err(su_err),
        .err_arg(su_arg), .s_addr(s_addr), .s_data(s_data), .dw(dw), .e_in_h(e_in_h),
        .e_in_w(e_in_w), .e_in_c(e_in_c), .taps_c(taps_c), .e_k_h(e_k_h), .e_k_w(e_k_w),
        .e_stride(e_stride), .pad_t(pad_t), .pad_l(pad_l), .out_h(out_h), .out_w(out_w),
        .m_px(m_px), .n_f(n_f), .k_t(k_t), .n_gemm(n_gemm), .out_c(out_c), .in_addr(a_in_addr),
        .w_addr(a_w_addr), .bias_addr(a_bias), .m0_addr(a_m0), .shift_addr(a_shift),
        .out_addr(a_out), .bias_en(bias_en), .rq(rq), .zp(zp), .sel(sel), .d_ifmap(d_ifmap),
        .d_filter(d_filter), .d_param(d_param), .d_ofmap(d_ofmap));
    wire run_start = su_done && su_ok;

    // ---- sequencer and array
    wire seq_active, drain, ev_fold, ev_gemm;
    wire [16:0] drain_r;
    wire [ROWS*8-1:0] a_in;
    wire [ROWS-1:0] a_v, a_pad, a_first;
    wire [COLS*8-1:0] w_in;
    wire [COLS-1:0] w_v;
    wire [COLS*32-1:0] col_out;
    wire [31:0] ev_used_pe, ev_if_rd, ev_pad_inj, ev_f_rd, ev_outputs, n_mac, n_pad_mac, n_shift;
    erg_amac_seq #(.ROWS(ROWS), .COLS(COLS)) u_seq (
        .clk(clk), .rst(rst), .start(run_start), .active(seq_active), .dw(dw), .in_h(e_in_h),
        .in_w(e_in_w), .pix(e_in_c), .taps_c(taps_c), .k_w(e_k_w), .stride(e_stride),
        .pad_t(pad_t), .pad_l(pad_l), .out_w(out_w), .m_px(m_px), .n_f(n_f), .k_t(k_t),
        .n_gemm(n_gemm), .out_c(out_c), .in_addr(a_in_addr), .w_addr(a_w_addr),
        .bias_addr(a_bias), .m0_addr(a_m0), .shift_addr(a_shift), .out_addr(a_out),
        .bias_en(bias_en), .rq(rq), .zp(zp), .i_addr(i_addr), .i_data(i_data),
        .w_addr_o(w_addr), .w_data(w_data), .p_addr(p_addr), .p_data(p_data), .o_we(o_we),
        .o_addr(o_addr), .o_n(o_n), .o_wide(o_wide), .o_data(o_data), .a_in(a_in), .a_v(a_v),
        .a_pad(a_pad), .a_first(a_first), .w_in(w_in), .w_v(w_v), .drain(drain),
        .drain_r(drain_r), .col_out(col_out), .ev_fold(ev_fold), .ev_gemm(ev_gemm),
        .ev_used_pe(ev_used_pe), .ev_if_rd(ev_if_rd), .ev_pad_inj(ev_pad_inj),
        .ev_f_rd(ev_f_rd), .ev_outputs(ev_outputs));
    erg_amac_array #(.ROWS(ROWS), .COLS(COLS)) u_array (
        .clk(clk), .rst(rst), .sel(sel), .a_in(a_in), .a_v(a_v), .a_pad(a_pad),
        .a_first(a_first), .w_in(w_in), .w_v(w_v), .drain(drain), .drain_r(drain_r),
        .out(col_out), .n_mac(n_mac), .n_pad_mac(n_pad_mac), .n_shift(n_shift));

    // ---- DRAM meter: cycle n of the layer may move bytes up to (n + 1) * BPC; the transfer
    // needs cycle n while n * BPC < the layer's bytes (so it takes ceil(bytes / BPC) cycles)
    reg [63:0] credit;
    /* verilator lint_off UNUSEDSIGNAL */ // < 2^48 (LMEM_BYTES <= 16 MiB)
    wire [63:0] dram_bytes = d_ifmap + d_filter + d_param + d_ofmap;
    /* verilator lint_on UNUSEDSIGNAL */
    wire meter_active = ustate == U_RUN && credit < {dram_bytes[47:0], 16'd0};
    wire counting = ustate == U_RUN && (seq_active || meter_active);
    wire finish = ustate == U_RUN && !counting;

    // ---- counters (docs/amac-array.md, "Counters"), in erg_amac_regs.def order
    localparam integer NC = ERG_AMAC_CNT_COUNT;
    reg [63:0] cnt [0:NC-1];
    reg [63:0] inc [0:NC-1];
    wire [63:0] ob = rq ? 64'd1 : 64'd4;
    wire [63:0] outs = 64'(ev_outputs);
    integer ci;
    always @* begin
        for (ci = 0; ci < NC; ci = ci + 1) inc[ci] = 64'd0;
        if (counting) begin
            inc[ERG_AMAC_CNT_cycles] = 64'd1;
            inc[ERG_AMAC_CNT_compute_cycles] = {63'd0, seq_active};
            inc[ERG_AMAC_CNT_stall_cycles] = {63'd0, !seq_active};
            inc[ERG_AMAC_CNT_dram_cycles] = {63'd0, meter_active};
            inc[ERG_AMAC_CNT_gemms] = {63'd0, ev_gemm};
            inc[ERG_AMAC_CNT_folds] = {63'd0, ev_fold};
            inc[ERG_AMAC_CNT_macs] = 64'(n_mac);
            inc[ERG_AMAC_CNT_mults] = 64'(n_mac);
            inc[ERG_AMAC_CNT_active_pe_cycles] = 64'(n_mac);
            inc[ERG_AMAC_CNT_pad_mults] = 64'(n_pad_mac);
            inc[ERG_AMAC_CNT_used_pe_cycles] = 64'(ev_used_pe);
            inc[ERG_AMAC_CNT_ifmap_sram_rd_bytes] = 64'(ev_if_rd);
            inc[ERG_AMAC_CNT_pad_injects] = 64'(ev_pad_inj);
            inc[ERG_AMAC_CNT_filter_sram_rd_bytes] = 64'(ev_f_rd);
            inc[ERG_AMAC_CNT_ofmap_sram_wr_bytes] = outs * ob;  // outputs into the buffer ...
            inc[ERG_AMAC_CNT_ofmap_sram_rd_bytes] = outs * ob;  // ... and out of it to DRAM
            inc[ERG_AMAC_CNT_pe_operand_reg_writes] = 64'(n_mac) << 1;
            inc[ERG_AMAC_CNT_pe_acc_reg_writes] = 64'(n_mac) + 64'(n_shift);
            inc[ERG_AMAC_CNT_bias_adds] = bias_en ? outs : 64'd0;
            inc[ERG_AMAC_CNT_requant_ops] = rq ? outs : 64'd0;
            inc[ERG_AMAC_CNT_outputs] = outs;
        end
        if (run_start) begin
            // the tiling plan's DRAM traffic, spent by the meter during the layer
            inc[ERG_AMAC_CNT_dram_ifmap_rd_bytes] = d_ifmap;
            inc[ERG_AMAC_CNT_dram_filter_rd_bytes] = d_filter;
            inc[ERG_AMAC_CNT_dram_param_rd_bytes] = d_param;
            inc[ERG_AMAC_CNT_dram_ofmap_wr_bytes] = d_ofmap;
            inc[ERG_AMAC_CNT_dram_rd_bytes] = d_ifmap + d_filter + d_param;
            inc[ERG_AMAC_CNT_dram_wr_bytes] = d_ofmap;
            inc[ERG_AMAC_CNT_ifmap_sram_wr_bytes] = d_ifmap;
            inc[ERG_AMAC_CNT_filter_sram_wr_bytes] = d_filter;
        end
    end
    always @(posedge clk)
        for (ci = 0; ci < NC; ci = ci + 1)
            if (rst || clear) cnt[ci] <= 64'd0;
            else cnt[ci] <= cnt[ci] + inc[ci];

    always @(posedge clk) begin
        if (rst) begin
            ustate <= U_IDLE;
            irq_en <= 1'b0;
            irq_status <= 1'b0;
            st_done <= 1'b0;
            st_error <= 1'b0;
            error <= 32'd0;
            err_arg <= 32'd0;
        end else begin
            if (wr && roff == ERG_AMAC_IRQ_EN) irq_en <= wdata[ERG_AMAC_IRQ_EN_DONE_LSB];
            // W1C; a finishing or refused layer wins over a clear in the same cycle
            if (finish || (su_done && !su_ok)) irq_status <= 1'b1;
            else if (wr && roff == ERG_AMAC_IRQ_STATUS && wdata[ERG_AMAC_IRQ_STATUS_DONE_LSB])
                irq_status <= 1'b0;
            case (ustate)
                U_IDLE:
                    if (go) begin
                        ustate <= U_SETUP;
                        st_done <= 1'b0;
                        st_error <= 1'b0;
                    end
                U_SETUP:
                    if (su_done) begin
                        error <= su_err;
                        err_arg <= su_arg;
                        if (su_ok) begin
                            ustate <= U_RUN;
                            credit <= 64'd0;
                        end else begin
                            // refused: DONE | ERROR and the interrupt, no layer cycles
                            ustate <= U_IDLE;
                            st_done <= 1'b1;
                            st_error <= 1'b1;
                        end
                    end
                U_RUN:
                    if (finish) begin
                        ustate <= U_IDLE;
                        st_done <= 1'b1;
                    end else begin
                        credit <= credit + 64'(BPC_Q16);
                    end
                default: ustate <= U_IDLE;
            endcase
        end
    end

    // ---- read path
    wire in_mul = roff >= ERG_AMAC_MUL_ID_BASE && roff < ERG_AMAC_MUL_ID_BASE + 4 * ERG_AMAC_MUL_MAX;
    wire in_cnt = roff >= ERG_AMAC_CNT_BASE && roff < ERG_AMAC_CNT_BASE + 32'(8 * NC);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] mul_off = roff - ERG_AMAC_MUL_ID_BASE;
    wire [31:0] cnt_off = roff - ERG_AMAC_CNT_BASE;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [5:0] mul_idx = mul_off[7:2];
    wire [63:0] cnt_val = cnt[cnt_off[8:3]];
    reg [31:0] rd;
    always @* begin
        rd = 32'd0;
        if (!aligned) rd = 32'd0;
        else if (in_lmem) rd = h_rdata;
        else if (in_l) rd = l[l_off[6:2]];
        else if (in_mul) rd = {16'd0, MULSET_IDS[mul_idx*16 +: 16]};
        else if (in_cnt) rd = cnt_off[2] ? cnt_val[63:32] : cnt_val[31:0];
        else
            case (roff)
                ERG_AMAC_ID: rd = ERG_AMAC_ID_VALUE;
                ERG_AMAC_VERSION: rd = ERG_AMAC_VERSION_VALUE;
                ERG_AMAC_STATUS: rd = {29'd0, st_error, st_done, busy};
                ERG_AMAC_IRQ_EN: rd = {31'd0, irq_en};
                ERG_AMAC_IRQ_STATUS: rd = {31'd0, irq_status};
                ERG_AMAC_ERROR: rd = error;
                ERG_AMAC_ERR_ARG: rd = err_arg;
                ERG_AMAC_P_ROWS: rd = 32'(ROWS);
                ERG_AMAC_P_COLS: rd = 32'(COLS);
                ERG_AMAC_P_DATAFLOW: rd = ERG_AMAC_DATAFLOW_OS;
                ERG_AMAC_P_TIMING: rd = ERG_AMAC_TIMING_ERG;
                ERG_AMAC_P_IFMAP_SRAM: rd = IFMAP_BYTES;
                ERG_AMAC_P_FILTER_SRAM: rd = FILTER_BYTES;
                ERG_AMAC_P_OFMAP_SRAM: rd = OFMAP_BYTES;
                ERG_AMAC_P_DRAM_BPC: rd = BPC_Q16;
                ERG_AMAC_P_LMEM_BYTES: rd = 32'(LMEM_BYTES);
                ERG_AMAC_P_NMUL: rd = 32'(MULSET_N);
                default: rd = 32'd0;
            endcase
    end

    always @(posedge clk) begin
        if (rst) ack <= 1'b0;
        else ack <= accept;
        if (accept && !we) rdata <= rd;
    end
endmodule

`default_nettype wire
