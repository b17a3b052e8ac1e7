// erg_bna_ctrl.v — the BNA sequencer (docs/bna.md, "What happens in each cycle"): per filter
// group a weight load (the array stalls), then the compute columns and D = 2 drain cycles for
// a conv; threshold words, then per K x K tile a weight load and K compute columns for a
// dense layer; S columns per output pixel plus one for a max-pool. It drives the SRAM
// addresses, the array's load/stage controls and the write-back, and reports each cycle's
// events to the activity counters, so the counters are the equations of docs/bna.md.
//
// Pipeline (D = 2): a column read in cycle t is out of the buffer in t + 1, where stage 1
// popcounts the window (live column + shift register); stage 2 in t + 2 thresholds and writes.
// A weight word read in cycle t is written into its neuron at the end of t + 1.
`default_nettype none
`include "erg_bna_defs.vh"

/* verilator lint_off UNUSEDPARAM */
module erg_bna_ctrl #(`ERG_BNA_PARAMS) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  start,        // an accepted START: latch the c_* constants
    // layer constants from erg_bna_check
    input  wire [1:0]            c_op,
    input  wire                  c_therm,
    input  wire                  c_out_dots,
    input  wire [DW-1:0]         c_h,
    input  wire [DW-1:0]         c_w,
    input  wire [CW-1:0]         c_c,
    input  wire [CW-1:0]         c_cout,
    input  wire [2:0]            c_k,
    input  wire                  c_src,
    input  wire                  c_dst,
    input  wire [RA-1:0]         c_wbase,
    input  wire [63:0]           c_levels,
    input  wire [8*12-1:0]       c_first,
    input  wire [DW-1:0]         c_ho,
    input  wire [DW-1:0]         c_wo,
    input  wire [PB-1:0]         c_p_in,
    input  wire [PB-1:0]         c_p_out,
    input  wire [SWW:0]          c_sw,
    input  wire [RA-1:0]         c_wpf,
    input  wire [RA-1:0]         c_grp_stride,
    input  wire [FA-1:0]         c_pitch,
    input  wire [FA-1:0]         c_kpitch,
    input  wire [FA-1:0]         c_kp,
    input  wire [31:0]           c_n_bits,
    output wire                  busy,
    output reg                   done,         // the layer's last cycle ends now
    // the running layer, for the data path
    output reg                   l_therm,
    output reg                   l_src,
    output reg                   l_dst,
    output reg  [63:0]           l_levels,
    output reg  [8*12-1:0]       l_first,
    output reg  [2:0]            l_k,
    output reg  [CW-1:0]         l_c,
    output reg  [PB-1:0]         l_p_out,
    output reg  [31:0]           l_n_bits,
    // weight SRAM: every bank reads the same row
    output wire [BANKS-1:0]      wr_en,
    output wire [RA-1:0]         w_addr,
    // weight load into the array (the cycle the word is out of the SRAM)
    output reg                   wl_v,
    output reg  [RW-1:0]         wl_row,
    output reg  [BANKS-1:0]      wl_bank_en,
    output reg                   wl_thr,
    output reg  [SLW-1:0]        wl_slot,
    output reg  [SWW-1:0]        wl_sub,
    // source buffer: read port i reads the pixel at fr_addr[i]
    output reg  [KMAX-1:0]       fr_en,
    output reg  [KMAX*FA-1:0]    fr_addr,
    output reg                   col_v,        // a column is out of the buffer: shift it in
    // array stages
    output reg                   s1_v,
    output reg  [2:0]            s1_rows,
    output reg  [2:0]            s1_cols,
    output reg                   s2_v,
    output reg                   s2_first,
    output reg  [NW-1:0]         n_g,          // neurons of the current group
    output reg  [GW-1:0]         g,            // current group
    output wire                  last_grp,     // the current group holds channel cout - 1
    // pool unit
    output reg                   pv,
    output reg                   pfirst,
    // write-back into the destination buffer / OUT
    output wire                  fw_en,
    output wire                  fw_pool,      // the data is the pool unit's
    output wire [FA-1:0]         fw_addr,
    output wire                  out_we,
    // activity counters: this cycle's events
    output reg  [20*32-1:0]      inc
);
`include "erg_bna_derived.vh"
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs.vh"
/* verilator lint_on UNUSEDPARAM */

    localparam [3:0] S_IDLE = 4'd0, S_CLOAD = 4'd1, S_COMP = 4'd2, S_DRAIN = 4'd3,
                     S_DTHR = 4'd4, S_DLOAD = 4'd5, S_DCOMP = 4'd6, S_POOL = 4'd7,
                     S_PTAIL = 4'd8;
    localparam [1:0] OP_CONV = ERG_BNA_OP_CONV[1:0], OP_POOL = ERG_BNA_OP_MAXPOOL[1:0],
                     OP_DENSE = ERG_BNA_OP_DENSE[1:0];
    localparam integer XW = (CW > NW ? CW : NW) + 2;  // channel arithmetic
    localparam [XW-1:0] NX = XW'(NEURONS);
    localparam [NW:0] BX = (NW + 1)'(BANKS);
    localparam [31:0] WB32 = 32'(WORD_BITS);

    reg [3:0] state;
    assign busy = state != S_IDLE;

    // ---- the running layer (latched at START)
    reg [1:0]    l_op;
    reg          l_out_dots;
    reg [DW-1:0] l_h, l_w, l_ho, l_wo;
    reg [CW-1:0] l_cout;
    reg [PB-1:0] l_p_in;
    reg [SWW:0]  l_sw;
    reg [RA-1:0] l_wpf, l_grp_stride;
    reg [FA-1:0] l_pitch, l_kpitch, l_kp;

    // ---- groups
    reg [CW-1:0] g_base;                                   // first channel of the group
    wire [XW-1:0] rem = XW'(l_cout) - XW'(g_base);         // channels from g_base on
    wire [XW-1:0] rem_next = rem - NX;                     // ... from the next group on
    assign last_grp = rem <= NX;
    wire [NW-1:0] n_first = XW'(c_cout) >= NX ? NW'(NEURONS) : NW'(c_cout);
    wire [NW-1:0] n_next = rem_next >= NX ? NW'(NEURONS) : NW'(rem_next);

    // ---- weight load: neuron row ld_r (neurons ld_nb .. ld_nb + B - 1), word counters
    reg [RA-1:0] grp_addr, ld_addr, row_addr, next_tile_addr;
    reg [RW-1:0] ld_r;
    reg [NW:0]   ld_nb;
    reg          ld_thr;
    reg [2:0]    ld_i, ld_x;     // window row, column of the slot word
    reg [SWW-1:0] ld_sub;
    wire last_row = ld_nb + BX >= {1'b0, n_g};
    wire sub_end = {1'b0, ld_sub} == l_sw - 1'b1;
    reg [BANKS-1:0] bank_on;     // banks whose neuron of this row is in the group
    integer b;
    always @* for (b = 0; b < BANKS; b = b + 1) bank_on[b] = ld_nb + (NW + 1)'(b) < {1'b0, n_g};
    wire loading = state == S_CLOAD || state == S_DTHR || state == S_DLOAD;
    assign wr_en = loading ? bank_on : {BANKS{1'b0}};
    assign w_addr = ld_addr;

    // ---- compute and pool loops
    reg [DW-1:0] oy, x;          // conv: output row, input column; pool: output row, column
    reg [2:0]    pj;             // pool: column within the window
    reg [FA-1:0] rd_addr, prow_addr, out_addr;
    reg          dcnt;           // drain cycle 2
    // dense tiles
    reg [DW-1:0] tile_y0, tile_x0;
    reg [2:0]    ht, wt, cx;
    reg          tile_first;
    reg [FA-1:0] tile_row_addr, tile_pix_addr, col_addr;
    wire [DW:0]  k_d = (DW + 1)'(l_k);
    wire [DW:0]  y_next = {1'b0, tile_y0} + k_d, x_next = {1'b0, tile_x0} + k_d;
    wire         tile_row_end = x_next >= {1'b0, l_w};
    wire         tile_last = tile_row_end && y_next >= {1'b0, l_h};
    // min(K, remaining rows/columns) of the first tile, the next tile of the row, the next row
    wire [DW:0]  h_left = {1'b0, l_h} - y_next, w_left = {1'b0, l_w} - x_next;
    wire [2:0]   ht0 = {1'b0, c_h} < (DW + 1)'(c_k) ? c_h[2:0] : c_k;
    wire [2:0]   wt0 = {1'b0, c_w} < (DW + 1)'(c_k) ? c_w[2:0] : c_k;
    wire [2:0]   ht_all = {1'b0, l_h} < k_d ? l_h[2:0] : l_k;
    wire [2:0]   wt_all = {1'b0, l_w} < k_d ? l_w[2:0] : l_k;
    wire [2:0]   ht_next = h_left < k_d ? h_left[2:0] : l_k;
    wire [2:0]   wt_next = w_left < k_d ? w_left[2:0] : l_k;

    // ---- stages
    reg s1_first, s1_last, s2_last, plast;

    // ---- buffer read ports: port i reads row i of the column
    reg [FA-1:0] fr_base;
    integer i;
    always @* begin
        fr_base = state == S_DCOMP ? col_addr : rd_addr;
        fr_en = {KMAX{1'b0}};
        for (i = 0; i < KMAX; i = i + 1) begin
            fr_addr[i*FA +: FA] = fr_base + FA'(i) * l_pitch;
            case (state)
                S_COMP, S_POOL: fr_en[i] = 3'(i) < l_k;
                S_DCOMP: fr_en[i] = 3'(i) < ht && cx < wt; // in-range pixels of the tile
                default: fr_en[i] = 1'b0;
            endcase
        end
    end

    // ---- write-back: conv pixels, the dense bn_sign bits (pixel 0), pool pixels, OUT
    assign fw_en = (s2_v && l_op == OP_CONV) || (s2_v && s2_last && l_op == OP_DENSE &&
                   !l_out_dots) || (pv && plast);
    assign fw_pool = l_op == OP_POOL;
    assign fw_addr = l_op == OP_DENSE ? {FA{1'b0}} : out_addr;
    assign out_we = s2_v && s2_last && l_op == OP_DENSE && l_out_dots;

    always @(posedge clk) begin
        if (rst) begin
            state <= S_IDLE;
            done <= 1'b0;
            l_op <= 2'd0; l_therm <= 1'b0; l_out_dots <= 1'b0; l_src <= 1'b0; l_dst <= 1'b0;
            l_h <= {DW{1'b0}}; l_w <= {DW{1'b0}}; l_ho <= {DW{1'b0}}; l_wo <= {DW{1'b0}};
            l_c <= {CW{1'b0}}; l_cout <= {CW{1'b0}}; l_k <= 3'd0;
            l_levels <= 64'd0; l_first <= {8*12{1'b0}};
            l_p_in <= {PB{1'b0}}; l_p_out <= {PB{1'b0}}; l_sw <= {(SWW+1){1'b0}};
            l_wpf <= {RA{1'b0}}; l_grp_stride <= {RA{1'b0}};
            l_pitch <= {FA{1'b0}}; l_kpitch <= {FA{1'b0}}; l_kp <= {FA{1'b0}};
            l_n_bits <= 32'd0;
            g <= {GW{1'b0}}; g_base <= {CW{1'b0}}; n_g <= {NW{1'b0}};
            grp_addr <= {RA{1'b0}}; ld_addr <= {RA{1'b0}}; row_addr <= {RA{1'b0}};
            next_tile_addr <= {RA{1'b0}};
            ld_r <= {RW{1'b0}}; ld_nb <= {(NW+1){1'b0}}; ld_thr <= 1'b0;
            ld_i <= 3'd0; ld_x <= 3'd0; ld_sub <= {SWW{1'b0}};
            oy <= {DW{1'b0}}; x <= {DW{1'b0}}; pj <= 3'd0;
            rd_addr <= {FA{1'b0}}; prow_addr <= {FA{1'b0}}; out_addr <= {FA{1'b0}};
            dcnt <= 1'b0;
            tile_y0 <= {DW{1'b0}}; tile_x0 <= {DW{1'b0}}; ht <= 3'd0; wt <= 3'd0; cx <= 3'd0;
            tile_first <= 1'b0;
            tile_row_addr <= {FA{1'b0}}; tile_pix_addr <= {FA{1'b0}}; col_addr <= {FA{1'b0}};
            wl_v <= 1'b0; wl_row <= {RW{1'b0}}; wl_bank_en <= {BANKS{1'b0}}; wl_thr <= 1'b0;
            wl_slot <= {SLW{1'b0}}; wl_sub <= {SWW{1'b0}};
            col_v <= 1'b0;
            s1_v <= 1'b0; s1_first <= 1'b0; s1_last <= 1'b0; s1_rows <= 3'd0; s1_cols <= 3'd0;
            s2_v <= 1'b0; s2_first <= 1'b0; s2_last <= 1'b0;
            pv <= 1'b0; pfirst <= 1'b0; plast <= 1'b0;
        end else begin
            // one-cycle pulses, and the pipeline's next stage
            done <= 1'b0;
            wl_v <= 1'b0;
            col_v <= 1'b0;
            s1_v <= 1'b0;
            s2_v <= s1_v;
            s2_first <= s1_first;
            s2_last <= s1_last;
            pv <= 1'b0;
            if (s2_v && l_op == OP_CONV) out_addr <= out_addr + FA'(l_p_out);
            if (pv && plast) out_addr <= out_addr + FA'(l_p_in);

            // weight words go to neuron row ld_r (the word is out of the SRAM next cycle)
            if (loading) begin
                wl_v <= 1'b1;
                wl_row <= ld_r;
                wl_bank_en <= bank_on;
                wl_thr <= state == S_DTHR || (state == S_CLOAD && ld_thr);
                wl_slot <= SLW'(ld_i) * SLW'(KMAX) + SLW'(l_k - 3'd1 - ld_x);
                wl_sub <= ld_sub;
            end

            case (state)
                S_IDLE: if (start) begin
                    l_op <= c_op; l_therm <= c_therm; l_out_dots <= c_out_dots;
                    l_src <= c_src; l_dst <= c_dst;
                    l_h <= c_h; l_w <= c_w; l_ho <= c_ho; l_wo <= c_wo;
                    l_c <= c_c; l_cout <= c_cout; l_k <= c_k;
                    l_levels <= c_levels; l_first <= c_first;
                    l_p_in <= c_p_in; l_p_out <= c_p_out; l_sw <= c_sw;
                    l_wpf <= c_wpf; l_grp_stride <= c_grp_stride;
                    l_pitch <= c_pitch; l_kpitch <= c_kpitch; l_kp <= c_kp;
                    l_n_bits <= c_n_bits;
                    g <= {GW{1'b0}};
                    g_base <= {CW{1'b0}};
                    n_g <= n_first;
                    grp_addr <= c_wbase;
                    ld_addr <= c_wbase;
                    row_addr <= c_wbase;
                    ld_r <= {RW{1'b0}};
                    ld_nb <= {(NW+1){1'b0}};
                    ld_thr <= 1'b1;
                    ld_i <= 3'd0; ld_x <= 3'd0; ld_sub <= {SWW{1'b0}};
                    oy <= {DW{1'b0}}; x <= {DW{1'b0}}; pj <= 3'd0;
                    rd_addr <= {FA{1'b0}}; prow_addr <= {FA{1'b0}}; out_addr <= {FA{1'b0}};
                    // dense: tile 0 (its weights follow the threshold word, if any)
                    tile_y0 <= {DW{1'b0}}; tile_x0 <= {DW{1'b0}}; ht <= ht0; wt <= wt0;
                    tile_first <= 1'b1; tile_row_addr <= {FA{1'b0}};
                    tile_pix_addr <= {FA{1'b0}};
                    if (c_op == OP_CONV) state <= S_CLOAD;
                    else if (c_op == OP_POOL) state <= S_POOL;
                    else if (!c_out_dots) state <= S_DTHR;
                    else state <= S_DLOAD;
                end

                // conv weights: the group's filters are consecutive rows from grp_addr
                S_CLOAD: begin
                    ld_addr <= ld_addr + 1'b1;
                    if (ld_thr) ld_thr <= 1'b0;
                    else if (!sub_end) ld_sub <= ld_sub + 1'b1;
                    else begin
                        ld_sub <= {SWW{1'b0}};
                        if (ld_x != l_k - 3'd1) ld_x <= ld_x + 3'd1;
                        else begin
                            ld_x <= 3'd0;
                            if (ld_i != l_k - 3'd1) ld_i <= ld_i + 3'd1;
                            else begin // the filter's last word: next neuron row
                                ld_i <= 3'd0;
                                ld_thr <= 1'b1;
                                ld_r <= ld_r + 1'b1;
                                ld_nb <= ld_nb + BX;
                                if (last_row) begin
                                    state <= S_COMP;
                                    oy <= {DW{1'b0}}; x <= {DW{1'b0}};
                                    rd_addr <= {FA{1'b0}}; out_addr <= {FA{1'b0}};
                                end
                            end
                        end
                    end
                end

                // conv compute: a column per cycle, rows of W = Wo + K - 1 columns
                S_COMP: begin
                    col_v <= 1'b1;
                    s1_v <= {1'b0, x} >= k_d - 1'b1; // after K - 1 warm-up columns
                    s1_first <= 1'b1;
                    s1_last <= 1'b1;
                    s1_rows <= l_k;
                    s1_cols <= l_k;
                    rd_addr <= rd_addr + FA'(l_p_in);
                    if (x != l_w - 1'b1) x <= x + 1'b1;
                    else begin
                        x <= {DW{1'b0}};
                        oy <= oy + 1'b1;
                        if (oy == l_ho - 1'b1) begin
                            state <= S_DRAIN;
                            dcnt <= 1'b0;
                        end
                    end
                end

                S_DRAIN: begin
                    dcnt <= 1'b1;
                    if (dcnt) begin
                        if (last_grp) begin
                            state <= S_IDLE;
                            done <= 1'b1;
                        end else begin // next filter group
                            g <= g + 1'b1;
                            g_base <= g_base + CW'(NEURONS);
                            n_g <= n_next;
                            grp_addr <= grp_addr + l_grp_stride;
                            ld_addr <= grp_addr + l_grp_stride;
                            ld_r <= {RW{1'b0}};
                            ld_nb <= {(NW+1){1'b0}};
                            ld_thr <= 1'b1;
                            tile_y0 <= {DW{1'b0}}; tile_x0 <= {DW{1'b0}};
                            row_addr <= grp_addr + l_grp_stride;
                            ht <= ht_all; wt <= wt_all;
                            tile_first <= 1'b1; tile_row_addr <= {FA{1'b0}};
                            tile_pix_addr <= {FA{1'b0}};
                            if (l_op == OP_CONV) state <= S_CLOAD;
                            else if (!l_out_dots) state <= S_DTHR;
                            else state <= S_DLOAD;
                        end
                    end
                end

                // dense threshold words: word 0 of each neuron row's filter
                S_DTHR: begin
                    ld_addr <= ld_addr + l_wpf;
                    ld_r <= ld_r + 1'b1;
                    ld_nb <= ld_nb + BX;
                    if (last_row) begin
                        state <= S_DLOAD;
                        ld_r <= {RW{1'b0}};
                        ld_nb <= {(NW+1){1'b0}};
                        ld_addr <= grp_addr + 1'b1;
                        row_addr <= grp_addr + 1'b1;
                    end
                end

                // dense tile weights: v_t slots per neuron row, from the tile's offset
                S_DLOAD: begin
                    if (!sub_end) begin
                        ld_sub <= ld_sub + 1'b1;
                        ld_addr <= ld_addr + 1'b1;
                    end else if (ld_x != wt - 3'd1) begin
                        ld_sub <= {SWW{1'b0}};
                        ld_x <= ld_x + 3'd1;
                        ld_addr <= ld_addr + 1'b1;
                    end else if (ld_i != ht - 3'd1) begin
                        ld_sub <= {SWW{1'b0}};
                        ld_x <= 3'd0;
                        ld_i <= ld_i + 3'd1;
                        ld_addr <= ld_addr + 1'b1;
                    end else begin // the row's last word of this tile
                        ld_sub <= {SWW{1'b0}};
                        ld_x <= 3'd0;
                        ld_i <= 3'd0;
                        if (ld_r == {RW{1'b0}}) next_tile_addr <= ld_addr + 1'b1;
                        ld_r <= ld_r + 1'b1;
                        ld_nb <= ld_nb + BX;
                        row_addr <= row_addr + l_wpf;
                        ld_addr <= row_addr + l_wpf;
                        if (last_row) begin
                            state <= S_DCOMP;
                            cx <= 3'd0;
                            col_addr <= tile_pix_addr;
                        end
                    end
                end

                // dense compute: K columns per tile, reading only in-range pixels
                S_DCOMP: begin
                    col_v <= 1'b1;
                    col_addr <= col_addr + FA'(l_p_in);
                    if (cx != l_k - 3'd1) cx <= cx + 3'd1;
                    else begin
                        s1_v <= 1'b1;
                        s1_first <= tile_first;
                        s1_last <= tile_last;
                        s1_rows <= ht;
                        s1_cols <= wt;
                        tile_first <= 1'b0;
                        if (tile_last) begin
                            state <= S_DRAIN;
                            dcnt <= 1'b0;
                        end else begin
                            state <= S_DLOAD;
                            ld_r <= {RW{1'b0}};
                            ld_nb <= {(NW+1){1'b0}};
                            ld_addr <= next_tile_addr;
                            row_addr <= next_tile_addr;
                            if (tile_row_end) begin
                                tile_x0 <= {DW{1'b0}};
                                tile_y0 <= y_next[DW-1:0];
                                ht <= ht_next;
                                wt <= wt_all;
                                tile_row_addr <= tile_row_addr + l_kpitch;
                                tile_pix_addr <= tile_row_addr + l_kpitch;
                            end else begin
                                tile_x0 <= x_next[DW-1:0];
                                wt <= wt_next;
                                tile_pix_addr <= tile_pix_addr + l_kp;
                            end
                        end
                    end
                end

                // max-pool: S columns of S pixels per output pixel, stride S
                S_POOL: begin
                    pv <= 1'b1;
                    pfirst <= pj == 3'd0;
                    plast <= pj == l_k - 3'd1;
                    rd_addr <= rd_addr + FA'(l_p_in);
                    if (pj != l_k - 3'd1) pj <= pj + 3'd1;
                    else begin
                        pj <= 3'd0;
                        if (x != l_wo - 1'b1) x <= x + 1'b1;
                        else begin // next output row: S input rows down
                            x <= {DW{1'b0}};
                            prow_addr <= prow_addr + l_kpitch;
                            rd_addr <= prow_addr + l_kpitch;
                            oy <= oy + 1'b1;
                            if (oy == l_ho - 1'b1) state <= S_PTAIL;
                        end
                    end
                end

                // the last output pixel is written
                S_PTAIL: begin
                    state <= S_IDLE;
                    done <= 1'b1;
                end

                default: state <= S_IDLE;
            endcase
        end
    end

    // ---- this cycle's events (docs/bna.md, "Activity counters")
`ifdef ERG_BNA_FAULTS
    // TEST-ONLY fault injection (docs/verification.md), absent from the real builds:
    // +erg_fault=3 is a counter that misses stalls (stall_cycles ignores weight loads).
    integer fault;
    initial if (!$value$plusargs("erg_fault=%d", fault)) fault = 0;
    wire count_stall = fault != 3;
`else
    wire count_stall = 1'b1;
`endif
    reg [31:0] banks_on;
    always @* begin
        inc = {20*32{1'b0}};
        banks_on = 32'd0;
        for (b = 0; b < BANKS; b = b + 1) banks_on = banks_on + {31'd0, wr_en[b]};
        if (busy) inc[ERG_BNA_CNT_cycles*32 +: 32] = 32'd1;
        if (loading) begin
            if (count_stall) inc[ERG_BNA_CNT_stall_cycles*32 +: 32] = 32'd1;
            inc[ERG_BNA_CNT_wff_bits*32 +: 32] = WB32 * banks_on;
            for (b = 0; b < BANKS; b = b + 1)
                if (wr_en[b]) inc[(ERG_BNA_CNT_wsram0_rd_bits + b)*32 +: 32] = WB32;
        end
        if (state == S_COMP || state == S_DRAIN || state == S_DCOMP) begin
            inc[ERG_BNA_CNT_active_cycles*32 +: 32] = 32'd1;
            inc[ERG_BNA_CNT_gated_neuron_cycles*32 +: 32] = 32'(NEURONS) - 32'(n_g);
        end
        if (state == S_POOL || state == S_PTAIL)
            inc[ERG_BNA_CNT_gated_cycles*32 +: 32] = 32'd1;
        // buffer reads: 64 P bits per pixel read (raw: one word)
        inc[(l_src ? ERG_BNA_CNT_fmap_b_rd_bits : ERG_BNA_CNT_fmap_a_rd_bits)*32 +: 32] =
            32'($countones(fr_en)) * 32'(l_p_in) * 32'd64;
        if (state == S_COMP && l_therm)
            inc[ERG_BNA_CNT_therm_ops*32 +: 32] = 32'(l_k) * 32'(l_c);
        if (s1_v) // the group's neurons each XNOR-popcount the window's bits in range
            inc[ERG_BNA_CNT_bmac*32 +: 32] = 32'(n_g) * 32'(l_c) * 32'(s1_rows) * 32'(s1_cols);
        if (fw_en && !fw_pool) begin // a group's n_g thresholded bits are written
            inc[(l_dst ? ERG_BNA_CNT_fmap_b_wr_bits : ERG_BNA_CNT_fmap_a_wr_bits)*32 +: 32] =
                32'(n_g);
            inc[ERG_BNA_CNT_thr_ops*32 +: 32] = 32'(n_g);
        end
        if (fw_en && fw_pool) begin // a pooled pixel of c bits
            inc[(l_dst ? ERG_BNA_CNT_fmap_b_wr_bits : ERG_BNA_CNT_fmap_a_wr_bits)*32 +: 32] =
                32'(l_c);
            inc[ERG_BNA_CNT_pool_ops*32 +: 32] = 32'(l_c) * (32'(l_k) * 32'(l_k) - 32'd1);
        end
        if (out_we) inc[ERG_BNA_CNT_out_writes*32 +: 32] = 32'(n_g);
    end
endmodule

`default_nettype wire
