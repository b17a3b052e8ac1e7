// erg_amac_div.v — an unsigned restoring divider, one quotient bit per cycle (W cycles), for
// the AMAC unit's layer set-up (output sizes, tiling: docs/rtl-amac.md). start loads n and d;
// done pulses W cycles later with q = n / d (d = 0 gives all ones; the set-up never divides
// by 0).
`default_nettype none

module erg_amac_div #(
    parameter integer W = 40
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         start,
    input  wire [W-1:0] n,
    input  wire [W-1:0] d,
    output reg          done,
    output reg  [W-1:0] q
);
    localparam integer CW = $clog2(W + 1);
    reg [W-1:0] rem, div, num;
    reg [CW-1:0] left;
    reg busy;
    wire [W:0] sh = {rem, num[W-1]};   // the remainder with the next numerator bit
    wire fits = sh >= {1'b0, div};
    /* verilator lint_off UNUSEDSIGNAL */ // diff < div when it is used: its top bit is 0
    wire [W:0] diff = sh - {1'b0, div};
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        done <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
            left <= {CW{1'b0}};
        end else if (start) begin
            busy <= 1'b1;
            rem <= {W{1'b0}};
            num <= n;
            div <= d;
            left <= CW'(W);
        end else if (busy) begin
            // shift the next numerator bit in; subtract when the divisor fits
            rem <= fits ? diff[W-1:0] : sh[W-1:0];
            q <= {q[W-2:0], fits};
            num <= {num[W-2:0], 1'b0};
            left <= left - 1'b1;
            if (left == CW'(1)) begin
                busy <= 1'b0;
                done <= 1'b1;
            end
        end
    end
endmodule

`default_nettype wire
