// erg_amac_seq.v — the fold sequencer of the AMAC unit (docs/rtl-amac.md, "The MAC array",
// timing of docs/amac-array.md, erg mode, output-stationary): for each GEMM (depthwise: one per
// channel), each column fold (filters n0 .. n0 + c - 1, outer) and each row fold (output pixels
// m0 .. m0 + r - 1, inner) it runs one fold of T + 2r + c - 2 cycles back to back: row i of the
// array gets the im2col row of pixel m0 + i, tap k in fold cycle k + i; column j gets filter
// n0 + j, tap k in cycle k + j; after the last MAC (cycle T + r + c - 3) the r accumulators of
// each column drain for r cycles, bottom row first, through the bias and the requantization
// into local memory. It also counts the cycle's feed and output events.
`default_nettype none

module erg_amac_seq #(
    parameter integer ROWS = 4,
    parameter integer COLS = 4
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,
    output reg                  active,
    // the layer (erg_amac_setup; stable while active)
    input  wire                 dw,        // depthwise: GEMM g is channel g, N = 1
    input  wire [15:0]          in_h,
    input  wire [15:0]          in_w,
    input  wire [31:0]          pix,       // bytes per input pixel (in_c)
    input  wire [31:0]          taps_c,    // channels per kernel tap (conv, dense: in_c; dw: 1)
    input  wire [15:0]          k_w,
    input  wire [15:0]          stride,
    input  wire [15:0]          pad_t,
    input  wire [15:0]          pad_l,
    input  wire [15:0]          out_w,
    input  wire [31:0]          m_px,      // M: output pixels
    input  wire [31:0]          n_f,       // N: filters per GEMM
    input  wire [31:0]          k_t,       // K = T: taps
    input  wire [31:0]          n_gemm,    // GEMMs
    input  wire [31:0]          out_c,     // output channels (the output's pixel stride)
    input  wire [31:0]          in_addr,
    input  wire [31:0]          w_addr,
    input  wire [31:0]          bias_addr,
    input  wire [31:0]          m0_addr,
    input  wire [31:0]          shift_addr,
    input  wire [31:0]          out_addr,
    input  wire                 bias_en,
    input  wire                 rq,
    input  wire [31:0]          zp,
    // local memory
    output wire [ROWS*32-1:0]   i_addr,
    input  wire [ROWS*8-1:0]    i_data,
    output wire [COLS*32-1:0]   w_addr_o,
    input  wire [COLS*8-1:0]    w_data,
    output wire [3*COLS*32-1:0] p_addr,
    /* verilator lint_off UNUSEDSIGNAL */ // of a shift word only bits 4:0 (checked 0 .. 31)
    input  wire [3*COLS*32-1:0] p_data,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire                 o_we,
    output wire [31:0]          o_addr,
    output wire [15:0]          o_n,
    output wire                 o_wide,
    output wire [COLS*32-1:0]   o_data,
    // the array
    output wire [ROWS*8-1:0]    a_in,
    output wire [ROWS-1:0]      a_v,
    output wire [ROWS-1:0]      a_pad,
    output wire [ROWS-1:0]      a_first,
    output wire [COLS*8-1:0]    w_in,
    output wire [COLS-1:0]      w_v,
    output wire                 drain,
    output wire [16:0]          drain_r,
    input  wire [COLS*32-1:0]   col_out,
    // events of this cycle
    output wire                 ev_fold,      // a fold starts
    output wire                 ev_gemm,      // a GEMM starts
    output wire [31:0]          ev_used_pe,   // PEs mapped in this fold (r * c)
    output wire [31:0]          ev_if_rd,     // ifmap bytes read
    output wire [31:0]          ev_pad_inj,   // padding zeros fed
    output wire [31:0]          ev_f_rd,      // filter bytes read
    output wire [31:0]          ev_outputs    // output values written
);
    // ---- fold state
    reg [39:0] tau;                 // cycle within the fold
    reg [31:0] g, n0, m0, rows_left;
    reg [15:0] b_oh, b_ow;          // output pixel m0
    // the tap generator: (kh, kw, ci) of tap k = tau; dl_*[i] is it delayed i cycles
    reg [15:0] kg_kh, kg_kw;
    reg [31:0] kg_ci;

    wire [31:0] cols_left = n_f - n0;
    wire [16:0] r = rows_left < 32'(ROWS) ? 17'(rows_left) : 17'(ROWS);
    wire [16:0] c = cols_left < 32'(COLS) ? 17'(cols_left) : 17'(COLS);
    wire [39:0] comp_end = 40'(k_t) + 40'(r) + 40'(c) - 40'd2;   // first drain cycle
    wire [39:0] fold_end = comp_end + 40'(r) - 40'd1;            // last cycle of the fold
    wire last = active && tau == fold_end;
    wire [31:0] chan0 = dw ? g : n0;   // first output channel of the fold

    assign drain = active && tau >= comp_end;
    assign drain_r = r;

    // ---- row feeds: pixel of row i (a chain of +1 pixel steps from m0) and its tap
    wire [15:0] p_oh [0:ROWS] /* verilator split_var */;
    wire [15:0] p_ow [0:ROWS] /* verilator split_var */;
    assign p_oh[0] = b_oh;
    assign p_ow[0] = b_ow;
    reg [15:0] dl_kh [1:ROWS];
    reg [15:0] dl_kw [1:ROWS];
    reg [31:0] dl_ci [1:ROWS];
    wire [ROWS-1:0] a_inside;
    genvar i, j;
    generate
        for (i = 0; i < ROWS; i = i + 1) begin : g_row
            wire wrap = p_ow[i] + 16'd1 == out_w;
            assign p_oh[i+1] = wrap ? p_oh[i] + 16'd1 : p_oh[i];
            assign p_ow[i+1] = wrap ? 16'd0 : p_ow[i] + 16'd1;
            wire [15:0] kh, kw;
            wire [31:0] ci;
            if (i == 0) begin : g_gen
                assign kh = kg_kh;
                assign kw = kg_kw;
                assign ci = kg_ci;
            end else begin : g_delayed
                assign kh = dl_kh[i];
                assign kw = dl_kw[i];
                assign ci = dl_ci[i];
            end
            wire signed [39:0] ih = $signed({24'd0, p_oh[i]} * {24'd0, stride}) +
                                    $signed({24'd0, kh}) - $signed({24'd0, pad_t});
            wire signed [39:0] iw = $signed({24'd0, p_ow[i]} * {24'd0, stride}) +
                                    $signed({24'd0, kw}) - $signed({24'd0, pad_l});
            assign a_inside[i] = ih >= 0 && ih < $signed({24'd0, in_h}) && iw >= 0 &&
                                 iw < $signed({24'd0, in_w});
            /* verilator lint_off UNUSEDSIGNAL */ // addresses are 32 bits
            wire [63:0] off = (64'(ih) * 64'(in_w) + 64'(iw)) * 64'(pix) + 64'(ci) +
                              (dw ? 64'(g) : 64'd0);
            /* verilator lint_on UNUSEDSIGNAL */
            assign i_addr[i*32 +: 32] = in_addr + off[31:0];
            /* verilator lint_off UNSIGNED */ // tau >= 0 for row 0
            assign a_v[i] = active && 17'(i) < r && tau >= 40'(i) && tau - 40'(i) < 40'(k_t);
            /* verilator lint_on UNSIGNED */
            assign a_pad[i] = !a_inside[i];
            assign a_first[i] = tau == 40'(i);
            assign a_in[i*8 +: 8] = a_inside[i] ? i_data[i*8 +: 8] : 8'd0;
        end
        // ---- column feeds: filter chan0 + j, tap tau - j
        for (j = 0; j < COLS; j = j + 1) begin : g_col
            /* verilator lint_off UNUSEDSIGNAL */
            wire [63:0] wa = (64'(chan0) + 64'(j)) * 64'(k_t) + 64'(tau) - 64'(j);
            /* verilator lint_on UNUSEDSIGNAL */
            assign w_addr_o[j*32 +: 32] = w_addr + wa[31:0];
            /* verilator lint_off UNSIGNED */
            assign w_v[j] = active && 17'(j) < c && tau >= 40'(j) && tau - 40'(j) < 40'(k_t);
            /* verilator lint_on UNSIGNED */
            assign w_in[j*8 +: 8] = w_data[j*8 +: 8];
            // ---- the output of column j: bias, requantization
            wire [31:0] ch4 = (chan0 + 32'(j)) << 2;
            assign p_addr[(3*j)*32 +: 32] = bias_addr + ch4;
            assign p_addr[(3*j+1)*32 +: 32] = m0_addr + ch4;
            assign p_addr[(3*j+2)*32 +: 32] = shift_addr + ch4;
            wire [31:0] v = col_out[j*32 +: 32] + (bias_en ? p_data[(3*j)*32 +: 32] : 32'd0);
            wire [7:0] q;
            erg_amac_requant u_rq (.acc(v), .m0(p_data[(3*j+1)*32 +: 32]),
                                   .shift(p_data[(3*j+2)*32 +: 5]), .zp(zp), .out(q));
            assign o_data[j*32 +: 32] = rq ? {24'd0, q} : v;
        end
    endgenerate

    // ---- output write: pixel m0 + r - 1 - d in drain cycle d, channels chan0 .. chan0 + c - 1
    wire [39:0] d = tau - comp_end;
    wire [63:0] px = 64'(m0) + 64'(r) - 64'd1 - 64'(d);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [63:0] oidx = px * 64'(out_c) + 64'(chan0);
    /* verilator lint_on UNUSEDSIGNAL */
    assign o_we = drain;
    assign o_addr = out_addr + (rq ? oidx[31:0] : {oidx[29:0], 2'b00});
    assign o_n = c[15:0];  // COLS <= 4096 (erg_amac)
    assign o_wide = !rq;

    // ---- events
    assign ev_fold = active && tau == 40'd0;
    assign ev_gemm = ev_fold && m0 == 32'd0 && n0 == 32'd0;
    assign ev_used_pe = active ? 32'(r) * 32'(c) : 32'd0;
    assign ev_if_rd = 32'($countones(a_v & a_inside));
    assign ev_pad_inj = 32'($countones(a_v & ~a_inside));
    assign ev_f_rd = 32'($countones(w_v));
    assign ev_outputs = drain ? 32'(c) : 32'd0;

    // ---- state
    integer t;
    always @(posedge clk) begin
        dl_kh[1] <= kg_kh;
        dl_kw[1] <= kg_kw;
        dl_ci[1] <= kg_ci;
        for (t = 2; t <= ROWS; t = t + 1) begin
            dl_kh[t] <= dl_kh[t-1];
            dl_kw[t] <= dl_kw[t-1];
            dl_ci[t] <= dl_ci[t-1];
        end
        if (rst) begin
            active <= 1'b0;
        end else if (start || last) begin
            tau <= 40'd0;
            kg_kh <= 16'd0;
            kg_kw <= 16'd0;
            kg_ci <= 32'd0;
            if (start) begin
                active <= 1'b1;
                g <= 32'd0;
                n0 <= 32'd0;
                m0 <= 32'd0;
                rows_left <= m_px;
                b_oh <= 16'd0;
                b_ow <= 16'd0;
            end else if (rows_left > 32'(ROWS)) begin       // next row fold
                m0 <= m0 + 32'(ROWS);
                rows_left <= rows_left - 32'(ROWS);
                b_oh <= p_oh[ROWS];
                b_ow <= p_ow[ROWS];
            end else begin
                m0 <= 32'd0;
                rows_left <= m_px;
                b_oh <= 16'd0;
                b_ow <= 16'd0;
                if (cols_left > 32'(COLS)) begin             // next column fold
                    n0 <= n0 + 32'(COLS);
                end else if (g + 32'd1 < n_gemm) begin       // next GEMM (depthwise channel)
                    n0 <= 32'd0;
                    g <= g + 32'd1;
                end else begin
                    active <= 1'b0;                          // the layer's last fold
                end
            end
        end else if (active) begin
            tau <= tau + 40'd1;
            // next tap: channel, then kernel column, then kernel row
            if (kg_ci + 32'd1 < taps_c) begin
                kg_ci <= kg_ci + 32'd1;
            end else begin
                kg_ci <= 32'd0;
                if (kg_kw + 16'd1 < k_w) kg_kw <= kg_kw + 16'd1;
                else begin
                    kg_kw <= 16'd0;
                    kg_kh <= kg_kh + 16'd1;
                end
            end
        end
    end
endmodule

`default_nettype wire
