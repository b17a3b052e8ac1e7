// Broken Verilog: yosys reports the error, erg names the file.
module syntax_mul (input wire [7:0] A, input wire [7:0] B, output wire [15:0] O)
    assign O = A * B;
endmodule
