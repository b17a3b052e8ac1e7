// Ports X, Y, Z instead of A, B, O (erg characterize --mul verilog:ports.v needs --ports X,Y,Z).
module ports_mul (
    input  wire [7:0]  X,
    input  wire [7:0]  Y,
    output wire [15:0] Z
);
    assign Z = X * Y;
endmodule
