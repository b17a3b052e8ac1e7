// erg_amac_array.v — the ROWS x COLS output-stationary systolic array of erg_amac_pe
// (docs/rtl-amac.md, "The MAC array"): activations enter row i at the left, weights enter
// column j at the top, each PE passes them right and down. While drain is high the
// accumulators of the fold's r rows shift down one row per cycle and column j's bottom value
// (row r - 1) is out[j]. It also counts the cycle's events for the activity counters.
`default_nettype none

module erg_amac_array #(
    parameter integer ROWS = 4,
    parameter integer COLS = 4
) (
    input  wire                clk,
    input  wire                rst,
    input  wire [5:0]          sel,
    input  wire [ROWS*8-1:0]   a_in,
    input  wire [ROWS-1:0]     a_v,
    input  wire [ROWS-1:0]     a_pad,
    input  wire [ROWS-1:0]     a_first,
    input  wire [COLS*8-1:0]   w_in,
    input  wire [COLS-1:0]     w_v,
    input  wire                drain,
    input  wire [16:0]         drain_r,    // rows of the fold, 1 .. ROWS
    output wire [COLS*32-1:0]  out,        // row drain_r - 1 of each column
    output wire [31:0]         n_mac,      // MACs this cycle
    output wire [31:0]         n_pad_mac,  // ... with a padding activation
    output wire [31:0]         n_shift     // accumulator writes of the drain this cycle
);
    localparam integer N = ROWS * COLS;
    wire [7:0]  a_q [0:N-1];
    wire [7:0]  w_q [0:N-1];
    wire [31:0] acc [0:N-1];
    wire [N-1:0] a_qv, a_qpad, a_qfirst, w_qv, acc_v, mac, pad_mac, shift_wr;

    genvar i, j;
    generate
        for (i = 0; i < ROWS; i = i + 1) begin : g_row
            for (j = 0; j < COLS; j = j + 1) begin : g_col
                localparam integer P = i * COLS + j;
                wire [7:0] a_l, w_t;
                wire av_l, ap_l, af_l, wv_t, up_v;
                wire [31:0] up;
                if (j == 0) begin : g_left    // the ifmap feed of row i
                    assign a_l = a_in[i*8 +: 8];
                    assign av_l = a_v[i];
                    assign ap_l = a_pad[i];
                    assign af_l = a_first[i];
                end else begin : g_from_left
                    assign a_l = a_q[P-1];
                    assign av_l = a_qv[P-1];
                    assign ap_l = a_qpad[P-1];
                    assign af_l = a_qfirst[P-1];
                end
                if (i == 0) begin : g_top     // the filter feed of column j
                    assign w_t = w_in[j*8 +: 8];
                    assign wv_t = w_v[j];
                    assign up = 32'd0;
                    assign up_v = 1'b0;
                end else begin : g_from_top
                    assign w_t = w_q[P-COLS];
                    assign wv_t = w_qv[P-COLS];
                    assign up = acc[P-COLS];
                    assign up_v = acc_v[P-COLS];
                end
                // the drain moves row i - 1 into row i for the fold's rows 1 .. r - 1
                wire in_fold = 17'(i) < drain_r;
                wire sh = drain && in_fold && i > 0;
                assign shift_wr[P] = sh && up_v;
                erg_amac_pe u_pe (
                    .clk(clk), .rst(rst), .sel(sel),
                    .a_in(a_l), .a_v(av_l), .a_pad(ap_l), .a_first(af_l),
                    .w_in(w_t), .w_v(wv_t),
                    .shift(sh), .clear(drain && i == 0), .acc_up(up), .acc_up_v(up_v),
                    .a_q(a_q[P]), .a_q_v(a_qv[P]), .a_q_pad(a_qpad[P]), .a_q_first(a_qfirst[P]),
                    .w_q(w_q[P]), .w_q_v(w_qv[P]), .acc(acc[P]), .acc_v(acc_v[P]),
                    .mac(mac[P]), .pad_mac(pad_mac[P]));
            end
        end
        for (j = 0; j < COLS; j = j + 1) begin : g_out
            reg [31:0] o;
            integer r;
            always @* begin
                o = acc[j];
                for (r = 1; r < ROWS; r = r + 1)
                    if (17'(r) == drain_r - 17'd1) o = acc[r * COLS + j];
            end
            assign out[j*32 +: 32] = o;
        end
    endgenerate
    assign n_mac = 32'($countones(mac));
    assign n_pad_mac = 32'($countones(pad_mac));
    assign n_shift = 32'($countones(shift_wr));
endmodule

`default_nettype wire
