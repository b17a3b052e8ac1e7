// erg_amac_pe.v — one processing element of the output-stationary systolic MAC array
// (docs/rtl-amac.md, "The MAC array"). It takes an activation from the left and a weight from
// above; when both are valid it multiplies them with the unit's multiplier set (sel = L_MUL),
// sign-magnitude (p = sign(w) * M(a, |w|), docs/numerics.md), adds the product to its int32
// accumulator (the first tap of a fold starts it from 0) and latches both operands for its
// right and lower neighbours. During the drain the accumulators shift down the column.
`default_nettype none

module erg_amac_pe (
    input  wire        clk,
    input  wire        rst,
    input  wire [5:0]  sel,
    // from the left: activation, valid, is a padding zero, is tap 0 of the fold
    input  wire [7:0]  a_in,
    input  wire        a_v,
    input  wire        a_pad,
    input  wire        a_first,
    // from above: weight (int8), valid
    input  wire [7:0]  w_in,
    input  wire        w_v,
    // drain: shift (take acc_up), or clear the valid bit (the top row of the fold)
    input  wire        shift,
    input  wire        clear,
    input  wire [31:0] acc_up,
    input  wire        acc_up_v,
    // to the right and below
    output reg  [7:0]  a_q,
    output reg         a_q_v,
    output reg         a_q_pad,
    output reg         a_q_first,
    output reg  [7:0]  w_q,
    output reg         w_q_v,
    output reg  [31:0] acc,
    output reg         acc_v,
    output wire        mac,     // a MAC this cycle
    output wire        pad_mac  // ... with a padding activation
);
    assign mac = a_v && w_v;
    assign pad_mac = mac && a_pad;

    wire [7:0] w_mag = w_in[7] ? 8'(-w_in) : w_in;  // |-128| = 128 fits
    wire [15:0] m;
    erg_amul_set u_mul (.sel(sel), .A(a_in), .B(w_mag), .O(m));
    wire [31:0] p = w_in[7] ? -{16'd0, m} : {16'd0, m};

    always @(posedge clk) begin
        if (rst) begin
            a_q_v <= 1'b0;
            w_q_v <= 1'b0;
            acc_v <= 1'b0;
        end else begin
            // operands move on only where a MAC happened: PEs outside the fold never latch
            a_q_v <= mac;
            w_q_v <= mac;
            if (mac) begin
                a_q <= a_in;
                a_q_pad <= a_pad;
                a_q_first <= a_first;
                w_q <= w_in;
                acc <= (a_first ? 32'd0 : acc) + p;
                acc_v <= 1'b1;
            end else if (shift) begin
                acc <= acc_up;
                acc_v <= acc_up_v;
            end else if (clear) begin
                acc_v <= 1'b0;
            end
        end
    end
endmodule

`default_nettype wire
