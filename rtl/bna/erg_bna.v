// erg_bna.v — top of the binary neuron array (docs/bna.md, docs/rtl.md): the register file,
// descriptor checks, sequencer, neuron array, pool unit, OUT registers, activity counters,
// the B weight-SRAM banks and the two feature-map buffers, behind one simple host bus.
//
// Host bus (one access at a time, synchronous to clk):
//   The host drives req = 1 with we, addr (byte offset in the unit's 2 MiB window, 4-byte
//   aligned) and wdata. The unit performs the access at a rising edge where req = 1 and it
//   is ready, and drives ack = 1 (and rdata, for a read) in the cycle after that edge. The
//   host then drops req or presents its next access (one access per cycle when ready).
//   The unit is not ready for an SRAM-window access (FMAP_A, FMAP_B, WSRAM) while a layer runs
//   (the sequencer owns the SRAM ports then); register accesses are always taken, and CTRL
//   writes are ignored while STATUS.BUSY. Unaligned or unmapped accesses are acked, read 0
//   and write nothing. irq = IRQ_STATUS.DONE & IRQ_EN.DONE. busy = STATUS.BUSY (for the
//   simulation shim's own count of a layer's cycles).
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna #(`ERG_BNA_PARAMS) (
    input  wire        clk,
    input  wire        rst,     // synchronous, active high
    input  wire        req,
    input  wire        we,
    input  wire [23:0] addr,
    input  wire [31:0] wdata,
    output reg  [31:0] rdata,
    output reg         ack,
    output wire        irq,
    output wire        busy
);
`include "erg_bna_derived.vh"
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs.vh"
/* verilator lint_on UNUSEDPARAM */

    // ---- host address decode
    localparam [23:0] FA_END = ERG_BNA_FMAP_A + ERG_BNA_FMAP_A_SIZE;
    localparam [23:0] FB_END = ERG_BNA_FMAP_B + ERG_BNA_FMAP_B_SIZE;
    localparam [23:0] WS_END = ERG_BNA_WSRAM + ERG_BNA_WSRAM_SIZE;
    localparam [23:0] WS_BYTES = 24'(WSRAM_BYTES);
    localparam [23:0] BB = 24'(BANK_BYTES);
    localparam [23:0] WBY = 24'(WBYTES);
    localparam [16:0] BUF_B = 17'(BUF_BYTES);
    localparam integer BW = BANKS > 1 ? $clog2(BANKS) : 1;
    localparam integer LW = WBYTES / 4 > 1 ? $clog2(WBYTES / 4) : 1; // 32-bit lanes of a word

    wire aligned = addr[1:0] == 2'b00;
    wire in_fa = aligned && addr >= ERG_BNA_FMAP_A && addr < FA_END;
    wire in_fb = aligned && addr >= ERG_BNA_FMAP_B && addr < FB_END;
    wire in_ws = aligned && addr >= ERG_BNA_WSRAM && addr < WS_END;
    wire in_mem = in_fa || in_fb || in_ws;
    wire accept = req && !(busy && in_mem);
    wire h_rd = accept && !we;
    wire h_wr = accept && we;

    // feature-map window: 64-bit word, half, and the bytes that exist (the buffer may end
    // inside a word: window bytes past the SRAM are ignored / read 0)
    wire [15:0] f_off = in_fb ? addr[15:0] - ERG_BNA_FMAP_B[15:0] : addr[15:0] - ERG_BNA_FMAP_A[15:0];
    wire [FA-1:0] f_word = FA'(f_off[15:3]);
    reg  [3:0] f_be;
    integer j;
    always @* for (j = 0; j < 4; j = j + 1) f_be[j] = {1'b0, f_off} + 17'(j) < BUF_B;
    wire [31:0] f_bmask = {{8{f_be[3]}}, {8{f_be[2]}}, {8{f_be[1]}}, {8{f_be[0]}}};
    wire [63:0] f_wmask64 = f_off[2] ? {f_bmask, 32'd0} : {32'd0, f_bmask};

    // weight window: bank-major, bank b at b * bank bytes; row and 32-bit lane in the bank
    wire [23:0] w_off = addr - ERG_BNA_WSRAM;
    wire ws_ok = in_ws && w_off < WS_BYTES;
    reg  [BW-1:0] w_bank;
    reg  [23:0] w_in;
    integer bk;
    always @* begin
        w_bank = {BW{1'b0}};
        w_in = w_off;
        for (bk = 1; bk < BANKS; bk = bk + 1)
            if (w_off >= 24'(bk) * BB) begin
                w_bank = BW'(bk);
                w_in = w_off - 24'(bk) * BB;
            end
    end
    // (WBYTES is a multiple of 8: a power of two in practice, then these are shifts; the
    // quotients are bounded by the bank size, so their top bits are unused)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [23:0] w_row24 = w_in / WBY;
    wire [23:0] w_lane24 = (w_in % WBY) / 24'd4;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [RA-1:0] w_row = RA'(w_row24);
    wire [LW-1:0] w_lane = LW'(w_lane24);

    // ---- register file, checks, sequencer
    wire [12*32-1:0] lregs;
    wire [2:0] err;
    wire start, clear, done;
    wire [4:0] cnt_idx;
    wire [63:0] cnt_val;
    wire [CW-1:0] out_idx;
    wire [31:0] out_val, reg_rd;

    erg_bna_regs #(`ERG_BNA_PASS) u_regs (
        .clk(clk), .rst(rst), .acc(accept && aligned && !in_mem), .we(we), .addr(addr),
        .wdata(wdata), .rd(reg_rd), .lregs(lregs), .err(err), .start(start), .clear(clear),
        .busy(busy), .done(done), .irq(irq), .cnt_idx(cnt_idx), .cnt_val(cnt_val),
        .out_idx(out_idx), .out_val(out_val));

    wire [1:0] c_op;
    wire c_therm, c_out_dots, c_src, c_dst;
    wire [DW-1:0] c_h, c_w, c_ho, c_wo;
    wire [CW-1:0] c_c, c_cout;
    wire [2:0] c_k;
    wire [RA-1:0] c_wbase, c_wpf, c_grp_stride;
    wire [63:0] c_levels;
    wire [8*12-1:0] c_first;
    wire [PB-1:0] c_p_in, c_p_out;
    wire [SWW:0] c_sw;
    wire [FA-1:0] c_pitch, c_kpitch, c_kp;
    wire [31:0] c_n_bits;

    erg_bna_check #(`ERG_BNA_PASS) u_check (
        .lregs(lregs), .err(err), .op(c_op), .therm(c_therm), .out_dots(c_out_dots),
        .h(c_h), .w(c_w), .c(c_c), .cout(c_cout), .k(c_k), .src(c_src), .dst(c_dst),
        .wbase(c_wbase), .levels(c_levels), .first(c_first), .ho(c_ho), .wo(c_wo),
        .p_in(c_p_in), .p_out(c_p_out), .sw(c_sw), .wpf(c_wpf), .grp_stride(c_grp_stride),
        .pitch(c_pitch), .kpitch(c_kpitch), .kp(c_kp), .n_bits(c_n_bits));

    wire l_therm, l_src, l_dst;
    wire [63:0] l_levels;
    wire [8*12-1:0] l_first;
    wire [2:0] l_k;
    wire [CW-1:0] l_c;
    wire [PB-1:0] l_p_out;
    wire [31:0] l_n_bits;
    wire [BANKS-1:0] e_wr_en;
    wire [RA-1:0] e_w_addr;
    wire wl_v, wl_thr, col_v, s1_v, s2_v, s2_first, last_grp, pv, pfirst;
    wire [RW-1:0] wl_row;
    wire [BANKS-1:0] wl_bank_en;
    wire [SLW-1:0] wl_slot;
    wire [SWW-1:0] wl_sub;
    wire [KMAX-1:0] fr_en;
    wire [KMAX*FA-1:0] fr_addr;
    wire [2:0] s1_rows, s1_cols;
    wire [NW-1:0] n_g;
    wire [GW-1:0] g;
    wire fw_en, fw_pool, out_we;
    wire [FA-1:0] fw_addr;
    wire [20*32-1:0] e_inc;

    erg_bna_ctrl #(`ERG_BNA_PASS) u_ctrl (
        .clk(clk), .rst(rst), .start(start),
        .c_op(c_op), .c_therm(c_therm), .c_out_dots(c_out_dots), .c_h(c_h), .c_w(c_w),
        .c_c(c_c), .c_cout(c_cout), .c_k(c_k), .c_src(c_src), .c_dst(c_dst),
        .c_wbase(c_wbase), .c_levels(c_levels), .c_first(c_first), .c_ho(c_ho), .c_wo(c_wo),
        .c_p_in(c_p_in), .c_p_out(c_p_out), .c_sw(c_sw), .c_wpf(c_wpf),
        .c_grp_stride(c_grp_stride), .c_pitch(c_pitch), .c_kpitch(c_kpitch), .c_kp(c_kp),
        .c_n_bits(c_n_bits),
        .busy(busy), .done(done),
        .l_therm(l_therm), .l_src(l_src), .l_dst(l_dst), .l_levels(l_levels),
        .l_first(l_first), .l_k(l_k), .l_c(l_c), .l_p_out(l_p_out), .l_n_bits(l_n_bits),
        .wr_en(e_wr_en), .w_addr(e_w_addr),
        .wl_v(wl_v), .wl_row(wl_row), .wl_bank_en(wl_bank_en), .wl_thr(wl_thr),
        .wl_slot(wl_slot), .wl_sub(wl_sub),
        .fr_en(fr_en), .fr_addr(fr_addr), .col_v(col_v),
        .s1_v(s1_v), .s1_rows(s1_rows), .s1_cols(s1_cols), .s2_v(s2_v), .s2_first(s2_first),
        .n_g(n_g), .g(g), .last_grp(last_grp), .pv(pv), .pfirst(pfirst),
        .fw_en(fw_en), .fw_pool(fw_pool), .fw_addr(fw_addr), .out_we(out_we), .inc(e_inc));

    // ---- weight SRAM banks: the sequencer's row while a layer runs, else the host's
    wire [BANKS*WORD_BITS-1:0] w_rdata;
    wire h_ws_wr = h_wr && ws_ok;
    genvar b;
    generate
        for (b = 0; b < BANKS; b = b + 1) begin : g_bank
            wire host = ws_ok && accept && w_bank == BW'(b);
            erg_sram_1p #(.WIDTH(WORD_BITS), .DEPTH(BANK_ROWS), .AW(RA)) u_bank (
                .clk   (clk),
                .rst   (rst),
                .en    (busy ? e_wr_en[b] : host),
                .we    (!busy && we),
                .addr  (busy ? e_w_addr : w_row),
                .wdata ({(WORD_BITS/32){wdata}}),
                .wmask ((WORD_BITS)'({32{1'b1}}) << {w_lane, 5'd0}),
                .rdata (w_rdata[b*WORD_BITS +: WORD_BITS]));
        end
    endgenerate

    // ---- feature-map buffers A (0) and B (1): the sequencer reads SRC and writes DST
    wire [KMAX*PIXW-1:0] fa_rdata, fb_rdata;
    wire [KMAX*PIXW-1:0] px = l_src ? fb_rdata : fa_rdata;
    wire [PIXW-1:0] pack_data, pack_mask, pool_data;
    wire [PIXW-1:0] e_wdata = fw_pool ? pool_data : pack_data;
    wire [PIXW-1:0] e_wmask = fw_pool ? ~({PIXW{1'b1}} << {l_p_out, 6'd0}) : pack_mask;
    wire [PIXW-1:0] h_wdata = PIXW'({wdata, wdata});
    wire [PIXW-1:0] h_wmask = PIXW'(f_wmask64);
    wire [KMAX*FA-1:0] h_raddr = (KMAX*FA)'(f_word);
    wire [KMAX-1:0] h_re = KMAX'(1);

    erg_sram_pix #(.WORDS(MEM_WORDS), .PWORDS(PMAX), .RPORTS(KMAX), .AW(FA)) u_fmap_a (
        .clk   (clk),
        .rst   (rst),
        .re    (busy ? (l_src ? {KMAX{1'b0}} : fr_en) : (in_fa && h_rd ? h_re : {KMAX{1'b0}})),
        .raddr (busy ? fr_addr : h_raddr),
        .rdata (fa_rdata),
        .we    (busy ? fw_en && !l_dst : in_fa && h_wr),
        .waddr (busy ? fw_addr : f_word),
        .wdata (busy ? e_wdata : h_wdata),
        .wmask (busy ? e_wmask : h_wmask));

    erg_sram_pix #(.WORDS(MEM_WORDS), .PWORDS(PMAX), .RPORTS(KMAX), .AW(FA)) u_fmap_b (
        .clk   (clk),
        .rst   (rst),
        .re    (busy ? (l_src ? fr_en : {KMAX{1'b0}}) : (in_fb && h_rd ? h_re : {KMAX{1'b0}})),
        .raddr (busy ? fr_addr : h_raddr),
        .rdata (fb_rdata),
        .we    (busy ? fw_en && l_dst : in_fb && h_wr),
        .waddr (busy ? fw_addr : f_word),
        .wdata (busy ? e_wdata : h_wdata),
        .wmask (busy ? e_wmask : h_wmask));

    // ---- data path
    wire [KMAX*CHANNELS-1:0] col;
    erg_bna_column #(`ERG_BNA_PASS) u_column (
        .px(px), .therm(l_therm), .levels(l_levels), .first(l_first), .col(col));

    wire [NEURONS-1:0] res;
    wire [NEURONS*32-1:0] dots;
    erg_bna_array #(`ERG_BNA_PASS) u_array (
        .clk(clk), .wl_v(wl_v), .wl_row(wl_row), .wl_bank_en(wl_bank_en), .wl_thr(wl_thr),
        .wl_slot(wl_slot), .wl_sub(wl_sub), .wl_data(w_rdata), .col(col), .col_v(col_v),
        .k(l_k), .c(l_c), .n_g(n_g), .n_bits(l_n_bits), .s1_v(s1_v), .s1_rows(s1_rows),
        .s1_cols(s1_cols), .s2_v(s2_v), .s2_first(s2_first), .res(res), .dots(dots));

    erg_bna_pack #(`ERG_BNA_PASS) u_pack (
        .res(res), .g(g), .last(last_grp), .p_out(l_p_out), .data(pack_data),
        .mask(pack_mask));

    erg_bna_pool #(`ERG_BNA_PASS) u_pool (
        .clk(clk), .px(px), .s(l_k), .c(l_c), .pv(pv), .pfirst(pfirst), .result(pool_data));

    erg_bna_out #(`ERG_BNA_PASS) u_out (
        .clk(clk), .rst(rst), .we(out_we), .g(g), .n_g(n_g), .dots(dots),
        .rd_idx(out_idx), .rd_val(out_val));

    // host weight writes count in wsram_wr_bits (32 per write32); nothing else of the host does
    wire [20*32-1:0] h_inc = h_ws_wr ? (20*32)'(32'd32) << (ERG_BNA_CNT_wsram_wr_bits * 32) :
                                       {20*32{1'b0}};
    erg_bna_counters #(`ERG_BNA_PASS) u_counters (
        .clk(clk), .rst(rst), .clear(clear), .inc(e_inc | h_inc), .rd_idx(cnt_idx),
        .rd_val(cnt_val));

    // ---- host read data: registers now, SRAM words the cycle after the access
    localparam [1:0] R_REG = 2'd0, R_FMAP_A = 2'd1, R_FMAP_B = 2'd2, R_WSRAM = 2'd3;
    reg [1:0] r_sel;
    reg [31:0] r_reg;
    reg r_half;
    reg [31:0] r_bmask;
    reg [BW-1:0] r_bank;
    reg [LW-1:0] r_lane;
    always @(posedge clk) begin
        if (rst) begin
            ack <= 1'b0;
            r_sel <= R_REG;
            r_reg <= 32'd0;
            r_half <= 1'b0;
            r_bmask <= 32'd0;
            r_bank <= {BW{1'b0}};
            r_lane <= {LW{1'b0}};
        end else begin
            ack <= accept;
            if (h_rd) begin
                r_sel <= in_fa ? R_FMAP_A : in_fb ? R_FMAP_B : ws_ok ? R_WSRAM : R_REG;
                r_reg <= aligned && !in_mem ? reg_rd : 32'd0;
                r_half <= f_off[2];
                r_bmask <= f_bmask;
                r_bank <= w_bank;
                r_lane <= w_lane;
            end
        end
    end
    wire [63:0] fa_w0 = fa_rdata[63:0], fb_w0 = fb_rdata[63:0];
    wire [63:0] f_w0 = r_sel == R_FMAP_A ? fa_w0 : fb_w0;
    wire [WORD_BITS-1:0] w_word = w_rdata[r_bank*WORD_BITS +: WORD_BITS];
    always @* begin
        case (r_sel)
            R_FMAP_A, R_FMAP_B: rdata = (r_half ? f_w0[63:32] : f_w0[31:0]) & r_bmask;
            R_WSRAM: rdata = w_word[r_lane*32 +: 32];
            default: rdata = r_reg;
        endcase
    end
endmodule

`default_nettype wire
