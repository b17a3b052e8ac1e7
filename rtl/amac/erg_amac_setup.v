// erg_amac_setup.v — what the AMAC unit does between START and the layer's first array cycle
// (docs/rtl-amac.md, "START"): the descriptor checks of docs/amac-unit.md in their order
// (KIND, SHAPE, MUL, ALIGN, ADDR, OVERLAP, TILING, SHIFT; the first failure is ERROR with its
// ERR_ARG), the output geometry, the tiling plan of docs/amac-array.md ("DRAM and tiling":
// bands of the ifmap, filter groups, the cheaper re-streaming order) and the scan of the
// requantization shifts. These cycles are not the layer's: the C model takes none, and the
// counters start with the array (done, ok = 1 starts it).
`default_nettype none

module erg_amac_setup #(
    parameter integer NMUL = 1,
    parameter [63:0] IFMAP_BYTES = 64'd1024,
    parameter [63:0] FILTER_BYTES = 64'd1024,
    parameter [63:0] LMEM_BYTES = 64'd65536
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          go,
    input  wire [18*32-1:0] lregs,    // L_KIND .. L_MUL
    output reg           done,        // pulse: set-up finished
    output reg           ok,          // ... and the layer runs (else refused)
    output reg  [31:0]   err,
    output reg  [31:0]   err_arg,
    // shift scan read port
    output wire [31:0]   s_addr,
    input  wire [31:0]   s_data,
    // the plan (valid from done on, until the next go)
    output reg           dw,
    output reg  [15:0]   e_in_h,
    output reg  [15:0]   e_in_w,
    output reg  [31:0]   e_in_c,      // bytes per input pixel
    output wire [31:0]   taps_c,      // channels per tap
    output reg  [15:0]   e_k_h,
    output reg  [15:0]   e_k_w,
    output reg  [15:0]   e_stride,
    output reg  [15:0]   pad_t,
    output reg  [15:0]   pad_l,
    output reg  [15:0]   out_h,
    output reg  [15:0]   out_w,
    output wire [31:0]   m_px,
    output wire [31:0]   n_f,
    output wire [31:0]   k_t,
    output wire [31:0]   n_gemm,
    output wire [31:0]   out_c,
    output wire [31:0]   in_addr,
    output wire [31:0]   w_addr,
    output wire [31:0]   bias_addr,
    output wire [31:0]   m0_addr,
    output wire [31:0]   shift_addr,
    output wire [31:0]   out_addr,
    output wire          bias_en,
    output wire          rq,
    output wire [31:0]   zp,
    output wire [5:0]    sel,
    output reg  [63:0]   d_ifmap,     // DRAM bytes: ifmap, filters, parameters, outputs
    output reg  [63:0]   d_filter,
    output wire [63:0]   d_param,
    output wire [63:0]   d_ofmap
);
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs_amac.vh"
/* verilator lint_on UNUSEDPARAM */

    // ---- the descriptor, latched at go
    reg [31:0] l [0:17];
    function automatic integer li(input [31:0] off);
        li = integer'((off - ERG_AMAC_L_KIND) >> 2);
    endfunction
    wire [31:0] r_kind = l[li(ERG_AMAC_L_KIND)], r_in_h = l[li(ERG_AMAC_L_IN_H)];
    wire [31:0] r_in_w = l[li(ERG_AMAC_L_IN_W)], r_in_c = l[li(ERG_AMAC_L_IN_C)];
    wire [31:0] r_out_c = l[li(ERG_AMAC_L_OUT_C)], r_k_h = l[li(ERG_AMAC_L_K_H)];
    wire [31:0] r_k_w = l[li(ERG_AMAC_L_K_W)], r_stride = l[li(ERG_AMAC_L_STRIDE)];
    wire [31:0] r_pad = l[li(ERG_AMAC_L_PAD)], r_flags = l[li(ERG_AMAC_L_FLAGS)];
    wire [31:0] r_mul = l[li(ERG_AMAC_L_MUL)];
    assign in_addr = l[li(ERG_AMAC_L_IN_ADDR)];
    assign w_addr = l[li(ERG_AMAC_L_W_ADDR)];
    assign bias_addr = l[li(ERG_AMAC_L_BIAS_ADDR)];
    assign m0_addr = l[li(ERG_AMAC_L_M0_ADDR)];
    assign shift_addr = l[li(ERG_AMAC_L_SHIFT_ADDR)];
    assign out_addr = l[li(ERG_AMAC_L_OUT_ADDR)];
    assign zp = l[li(ERG_AMAC_L_ZP)];
    assign sel = r_mul[5:0];
    assign bias_en = r_flags[ERG_AMAC_L_FLAGS_BIAS_LSB];
    assign rq = r_flags[ERG_AMAC_L_FLAGS_REQUANT_LSB];
    wire conv_like = r_kind != ERG_AMAC_KIND_DENSE;
    wire is_dw = r_kind == ERG_AMAC_KIND_DEPTHWISE;
    wire same = conv_like && r_pad == ERG_AMAC_PAD_SAME;

    // ---- KIND, SHAPE, MUL (the descriptor alone)
    function automatic bad_size(input [31:0] v);
        bad_size = v == 32'd0 || v > ERG_AMAC_SIZE_MAX;
    endfunction
    wire [63:0] in_bytes = 64'(r_in_h) * 64'(r_in_w) * 64'(r_in_c);
    reg [31:0] c1_err, c1_arg;
    always @* begin
        c1_err = ERG_AMAC_ERR_NONE;
        c1_arg = 32'd0;
        if (r_kind > ERG_AMAC_KIND_DENSE) {c1_err, c1_arg} = {ERG_AMAC_ERR_KIND, ERG_AMAC_L_KIND};
        else if (conv_like && r_pad > ERG_AMAC_PAD_SAME)
            {c1_err, c1_arg} = {ERG_AMAC_ERR_KIND, ERG_AMAC_L_PAD};
        else if (bad_size(r_in_h)) {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_IN_H};
        else if (bad_size(r_in_w)) {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_IN_W};
        else if (bad_size(r_in_c)) {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_IN_C};
        else if (bad_size(r_out_c)) {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_OUT_C};
        else if (conv_like && bad_size(r_k_h))
            {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_K_H};
        else if (conv_like && bad_size(r_k_w))
            {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_K_W};
        else if (conv_like && bad_size(r_stride))
            {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_STRIDE};
        else if (in_bytes > 64'h7fff_ffff) {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_IN_C};
        else if (is_dw && r_out_c != r_in_c)
            {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE, ERG_AMAC_L_OUT_C};
        else if (conv_like && !same && (r_k_h > r_in_h || r_k_w > r_in_w))
            {c1_err, c1_arg} = {ERG_AMAC_ERR_SHAPE,
                                r_k_h > r_in_h ? ERG_AMAC_L_K_H : ERG_AMAC_L_K_W};
        else if (r_mul >= 32'(NMUL)) {c1_err, c1_arg} = {ERG_AMAC_ERR_MUL, ERG_AMAC_L_MUL};
    end

    // ---- the layer as a GEMM (dense: a 1x1 conv over a 1x1 map of in_h*in_w*in_c channels)
    assign taps_c = dw ? 32'd1 : e_in_c;
    wire [63:0] k64 = 64'(e_k_h) * 64'(e_k_w) * 64'(taps_c);
    assign k_t = k64[31:0];         // < 2^32 once the weights passed the ADDR check
    assign m_px = 32'(out_h) * 32'(out_w);
    assign out_c = r_out_c;
    assign n_f = dw ? 32'd1 : r_out_c;
    assign n_gemm = dw ? r_out_c : 32'd1;
    wire [63:0] n_out = 64'(m_px) * 64'(r_out_c);

    // tensor bytes (0: the layer has no such tensor), in TENSOR_* order: in, w, bias, m0,
    // shift, out
    wire [63:0] b_in = in_bytes;
    wire [63:0] b_w = k64 * 64'(r_out_c);
    wire [63:0] b_bias = bias_en ? 64'(r_out_c) << 2 : 64'd0;
    wire [63:0] b_m0 = rq ? 64'(r_out_c) << 2 : 64'd0;
    wire [63:0] b_out = rq ? n_out : n_out << 2;
    wire [63:0] a_out = 64'(out_addr);
    function automatic past_end(input [31:0] a, input [63:0] n);
        past_end = n != 64'd0 && (n > LMEM_BYTES || 64'(a) > LMEM_BYTES - n);
    endfunction
    function automatic overlap(input [31:0] a, input [63:0] n);
        overlap = n != 64'd0 && a_out < 64'(a) + n && 64'(a) < a_out + b_out;
    endfunction

    // ---- ALIGN, ADDR, OVERLAP (need the output size)
    reg [31:0] c2_err, c2_arg;
    always @* begin
        c2_err = ERG_AMAC_ERR_NONE;
        c2_arg = 32'd0;
        if (bias_en && bias_addr[1:0] != 2'd0) {c2_err, c2_arg} = {ERG_AMAC_ERR_ALIGN, ERG_AMAC_TENSOR_BIAS};
        else if (rq && m0_addr[1:0] != 2'd0) {c2_err, c2_arg} = {ERG_AMAC_ERR_ALIGN, ERG_AMAC_TENSOR_M0};
        else if (rq && shift_addr[1:0] != 2'd0) {c2_err, c2_arg} = {ERG_AMAC_ERR_ALIGN, ERG_AMAC_TENSOR_SHIFT};
        else if (!rq && out_addr[1:0] != 2'd0) {c2_err, c2_arg} = {ERG_AMAC_ERR_ALIGN, ERG_AMAC_TENSOR_OUT};
        else if (past_end(in_addr, b_in)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_IN};
        else if (past_end(w_addr, b_w)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_W};
        else if (past_end(bias_addr, b_bias)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_BIAS};
        else if (past_end(m0_addr, b_m0)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_M0};
        else if (past_end(shift_addr, b_m0)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_SHIFT};
        else if (past_end(out_addr, b_out)) {c2_err, c2_arg} = {ERG_AMAC_ERR_ADDR, ERG_AMAC_TENSOR_OUT};
        else if (overlap(in_addr, b_in)) {c2_err, c2_arg} = {ERG_AMAC_ERR_OVERLAP, ERG_AMAC_TENSOR_IN};
        else if (overlap(w_addr, b_w)) {c2_err, c2_arg} = {ERG_AMAC_ERR_OVERLAP, ERG_AMAC_TENSOR_W};
        else if (overlap(bias_addr, b_bias)) {c2_err, c2_arg} = {ERG_AMAC_ERR_OVERLAP, ERG_AMAC_TENSOR_BIAS};
        else if (overlap(m0_addr, b_m0)) {c2_err, c2_arg} = {ERG_AMAC_ERR_OVERLAP, ERG_AMAC_TENSOR_M0};
        else if (overlap(shift_addr, b_m0)) {c2_err, c2_arg} = {ERG_AMAC_ERR_OVERLAP, ERG_AMAC_TENSOR_SHIFT};
    end

    // ---- the divider and the plan's registers
    reg dv_go;
    reg [39:0] dv_n, dv_d;
    wire dv_done;
    wire [39:0] dv_q;
    erg_amac_div #(.W(40)) u_div (.clk(clk), .rst(rst), .start(dv_go), .n(dv_n), .d(dv_d),
                                  .done(dv_done), .q(dv_q));

    wire [63:0] row = 64'(e_in_w) * 64'(e_in_c);           // bytes of one input row
    /* verilator lint_off UNUSEDSIGNAL */ // <= the weights' bytes < 2^24
    wire [63:0] per_filter = dw ? 64'(e_k_h) * 64'(e_k_w) : k64;
    /* verilator lint_on UNUSEDSIGNAL */
    reg  [63:0] band_b, bands, band_t, band_oh0, band_rows, i_pass, groups;
    // rows of band band_t: output rows oh0 .. oh1 read input rows r0 .. r1, clipped
    wire [63:0] oh1 = (band_oh0 + band_b > 64'(out_h) ? 64'(out_h) : band_oh0 + band_b) - 64'd1;
    wire signed [63:0] r0_raw = $signed(band_oh0 * 64'(e_stride)) - $signed(64'(pad_t));
    wire signed [63:0] r1_raw = $signed(oh1 * 64'(e_stride)) - $signed(64'(pad_t)) +
                                $signed(64'(e_k_h)) - 64'sd1;
    wire signed [63:0] r0 = r0_raw < 0 ? 64'sd0 : r0_raw;
    wire signed [63:0] r1 = r1_raw > $signed(64'(e_in_h)) - 64'sd1 ?
                            $signed(64'(e_in_h)) - 64'sd1 : r1_raw;
    wire [63:0] band_n = r1 >= r0 ? 64'(r1 - r0) + 64'd1 : 64'd0;
    // re-streaming: filter groups outer (ifmap re-read) or ifmap bands outer (filters re-read)
    wire [63:0] cost_a = groups * i_pass + b_w, cost_b = i_pass + bands * b_w;
    assign d_param = 64'(r_out_c) * ((bias_en ? 64'd4 : 64'd0) + (rq ? 64'd8 : 64'd0));
    assign d_ofmap = b_out;

    // shift scan
    reg [31:0] sc;
    assign s_addr = shift_addr + (sc << 2);

    localparam [4:0] S_IDLE = 5'd0, S_C1 = 5'd1, S_DH = 5'd2, S_DW = 5'd3, S_C2 = 5'd4,
                     S_T0 = 5'd5, S_TR = 5'd6, S_TB = 5'd7, S_TN = 5'd8, S_BL = 5'd9,
                     S_F0 = 5'd10, S_FP = 5'd11, S_FG = 5'd12, S_PL = 5'd13, S_SH = 5'd14;
    reg [4:0] st;
    integer k;

    task automatic finish(input [31:0] code, input [31:0] arg);
        begin
            done <= 1'b1;
            ok <= code == ERG_AMAC_ERR_NONE;
            err <= code;
            err_arg <= arg;
            st <= S_IDLE;
        end
    endtask

    always @(posedge clk) begin
        done <= 1'b0;
        dv_go <= 1'b0;
        if (rst) begin
            st <= S_IDLE;
            ok <= 1'b0;
        end else
            case (st)
                S_IDLE:
                    if (go) begin
                        for (k = 0; k < 18; k = k + 1) l[k] <= lregs[k*32 +: 32];
                        st <= S_C1;
                    end
                S_C1:
                    if (c1_err != ERG_AMAC_ERR_NONE) finish(c1_err, c1_arg);
                    else begin
                        dw <= is_dw;
                        if (conv_like) begin
                            e_in_h <= r_in_h[15:0];
                            e_in_w <= r_in_w[15:0];
                            e_in_c <= r_in_c;
                            e_k_h <= r_k_h[15:0];
                            e_k_w <= r_k_w[15:0];
                            e_stride <= r_stride[15:0];
                            // out_h: valid (in - k) / s + 1, same ceil(in / s)
                            dv_n <= same ? 40'(r_in_h) + 40'(r_stride) - 40'd1
                                         : 40'(r_in_h) - 40'(r_k_h);
                            dv_d <= 40'(r_stride);
                        end else begin
                            e_in_h <= 16'd1;
                            e_in_w <= 16'd1;
                            e_in_c <= in_bytes[31:0];
                            e_k_h <= 16'd1;
                            e_k_w <= 16'd1;
                            e_stride <= 16'd1;
                            dv_n <= 40'd0;
                            dv_d <= 40'd1;
                        end
                        dv_go <= 1'b1;
                        st <= S_DH;
                    end
                S_DH:
                    if (dv_done) begin
                        out_h <= same ? dv_q[15:0] : dv_q[15:0] + 16'd1;
                        dv_n <= same ? 40'(e_in_w) + 40'(e_stride) - 40'd1
                                     : 40'(e_in_w) - 40'(e_k_w);
                        dv_d <= 40'(e_stride);
                        dv_go <= 1'b1;
                        st <= S_DW;
                    end
                S_DW:
                    if (dv_done) begin
                        out_w <= same ? dv_q[15:0] : dv_q[15:0] + 16'd1;
                        st <= S_C2;
                    end
                S_C2: begin
                    // TF SAME: total padding (out - 1) s + k - in when positive, half on top/left
                    pad_t <= same && (32'(out_h) - 32'd1) * 32'(e_stride) + 32'(e_k_h) > 32'(e_in_h) ?
                             16'(((32'(out_h) - 32'd1) * 32'(e_stride) + 32'(e_k_h) - 32'(e_in_h)) >> 1) : 16'd0;
                    pad_l <= same && (32'(out_w) - 32'd1) * 32'(e_stride) + 32'(e_k_w) > 32'(e_in_w) ?
                             16'(((32'(out_w) - 32'd1) * 32'(e_stride) + 32'(e_k_w) - 32'(e_in_w)) >> 1) : 16'd0;
                    if (c2_err != ERG_AMAC_ERR_NONE) finish(c2_err, c2_arg);
                    else st <= S_T0;
                end
                S_T0:
                    if (b_in > IFMAP_BYTES) begin
                        // bands of output rows: rows_fit = ifmap buffer / row
                        dv_n <= IFMAP_BYTES[39:0];
                        dv_d <= row[39:0];
                        dv_go <= 1'b1;
                        st <= S_TR;
                    end else begin
                        i_pass <= b_in;
                        bands <= 64'd1;
                        st <= S_F0;
                    end
                S_TR:
                    if (dv_done) begin
                        if (64'(dv_q) < 64'(e_k_h)) finish(ERG_AMAC_ERR_TILING, 32'd0);
                        else begin
                            dv_n <= dv_q - 40'(e_k_h);
                            dv_d <= 40'(e_stride);
                            dv_go <= 1'b1;
                            st <= S_TB;
                        end
                    end
                S_TB:
                    if (dv_done) begin
                        band_b <= 64'(dv_q) + 64'd1;
                        dv_n <= 40'(out_h) + dv_q;     // ceil(out_h / b), b = q + 1
                        dv_d <= dv_q + 40'd1;
                        dv_go <= 1'b1;
                        st <= S_TN;
                    end
                S_TN:
                    if (dv_done) begin
                        bands <= 64'(dv_q);
                        band_t <= 64'd0;
                        band_oh0 <= 64'd0;
                        band_rows <= 64'd0;
                        st <= S_BL;
                    end
                S_BL:
                    if (band_t == bands) begin
                        i_pass <= band_rows * row;
                        st <= S_F0;
                    end else begin
                        band_rows <= band_rows + band_n;
                        band_oh0 <= band_oh0 + band_b;
                        band_t <= band_t + 64'd1;
                    end
                S_F0:
                    if (b_w > FILTER_BYTES) begin
                        dv_n <= FILTER_BYTES[39:0];
                        dv_d <= per_filter[39:0];
                        dv_go <= 1'b1;
                        st <= S_FP;
                    end else begin
                        groups <= 64'd1;
                        st <= S_PL;
                    end
                S_FP:
                    if (dv_done) begin
                        if (dv_q == 40'd0) finish(ERG_AMAC_ERR_TILING, 32'd0);
                        else begin
                            dv_n <= 40'(r_out_c) + dv_q - 40'd1;   // ceil(out_c / per group)
                            dv_d <= dv_q;
                            dv_go <= 1'b1;
                            st <= S_FG;
                        end
                    end
                S_FG:
                    if (dv_done) begin
                        groups <= 64'(dv_q);
                        st <= S_PL;
                    end
                S_PL: begin
                    if (dw) begin
                        d_ifmap <= i_pass;
                        d_filter <= b_w;
                    end else if (cost_a <= cost_b) begin
                        d_ifmap <= groups * i_pass;
                        d_filter <= b_w;
                    end else begin
                        d_ifmap <= i_pass;
                        d_filter <= bands * b_w;
                    end
                    sc <= 32'd0;
                    if (rq) st <= S_SH;
                    else finish(ERG_AMAC_ERR_NONE, 32'd0);
                end
                S_SH:
                    if (s_data[31] || s_data > 32'd31) finish(ERG_AMAC_ERR_SHIFT, sc);
                    else if (sc + 32'd1 == r_out_c) finish(ERG_AMAC_ERR_NONE, 32'd0);
                    else sc <= sc + 32'd1;
                default: st <= S_IDLE;
            endcase
    end
endmodule

`default_nettype wire
