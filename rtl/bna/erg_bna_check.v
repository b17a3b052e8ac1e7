// erg_bna_check.v — the layer-descriptor checks at START (docs/bna.md, "Descriptor checks at
// START", in that order: the first failure is the ERROR code) and the layer constants the
// sequencer latches when the layer is accepted. Combinational on the L_* registers, which only
// change by host writes: the result is ready when CTRL.START is written (a refused START takes
// no cycles), so the path can be timed as a multicycle path.
`default_nettype none
`include "erg_bna_defs.vh"

// Every BNA module takes the unit's whole parameter set; those it does not use are waived.
/* verilator lint_off UNUSEDPARAM */
module erg_bna_check #(`ERG_BNA_PARAMS) (
    input  wire [12*32-1:0]  lregs,      // L_OP .. L_THERM1, register i at [32 i +: 32]
    output reg  [2:0]        err,        // ERR_* code, 0 = accepted
    output wire [1:0]        op,
    output wire              therm,
    output wire              out_dots,
    output reg  [DW-1:0]     h,
    output reg  [DW-1:0]     w,
    output reg  [CW-1:0]     c,          // binary input channels (planes with THERM)
    output reg  [CW-1:0]     cout,       // output channels (max-pool: c)
    output reg  [2:0]        k,
    output wire              src,
    output wire              dst,
    output reg  [RA-1:0]     wbase,
    output reg  [63:0]       levels,     // thermometer levels, 0 for raw channels >= L_IN_C
    output reg  [8*12-1:0]   first,      // first plane of each raw channel
    output reg  [DW-1:0]     ho,
    output reg  [DW-1:0]     wo,
    output reg  [PB-1:0]     p_in,       // 64-bit words per stored input pixel (raw: 1)
    output reg  [PB-1:0]     p_out,      // 64-bit words per output pixel
    output reg  [SWW:0]      sw,         // Wb-bit words per weight slot: ceil(c / Wb)
    output reg  [RA-1:0]     wpf,        // weight rows per filter
    output reg  [RA-1:0]     grp_stride, // weight rows per full filter group: N / B * wpf
    output reg  [FA-1:0]     pitch,      // words per input row: W P
    output reg  [FA-1:0]     kpitch,     // K rows: K W P
    output reg  [FA-1:0]     kp,         // K pixels: K P
    output reg  [31:0]       n_bits      // bits in one dot: K^2 c (conv), H W c (dense)
);
`include "erg_bna_derived.vh"
/* verilator lint_off UNUSEDPARAM */ // the shared register map: this module uses part of it
`include "erg_regs.vh"
/* verilator lint_on UNUSEDPARAM */

    wire [31:0] l_op    = lregs[0*32 +: 32];
    wire [31:0] l_h     = lregs[1*32 +: 32];
    wire [31:0] l_w     = lregs[2*32 +: 32];
    wire [31:0] l_c     = lregs[3*32 +: 32];
    wire [31:0] l_cout  = lregs[4*32 +: 32];
    wire [31:0] l_k     = lregs[5*32 +: 32];
    wire [31:0] l_src   = lregs[6*32 +: 32];
    wire [31:0] l_dst   = lregs[7*32 +: 32];
    wire [31:0] l_wbase = lregs[8*32 +: 32];
    wire [31:0] l_flags = lregs[9*32 +: 32];
    wire [63:0] l_therm = lregs[10*32 +: 64];

    // Arithmetic widths: once the earlier checks pass (which decide first), every value fits
    // its field, so the products are only as wide as the parameters make them.
    localparam integer MW = 2 * DW + PB;                  // map words: H W P
    localparam integer WW = 2 * DW + SWW + 2;             // weight rows per filter
    localparam integer QW = (WW + CW > 32 ? WW + CW : 32) + 1; // rows of the whole layer
    localparam [31:0] FMAP_H32 = 32'(FMAP_H);
    localparam [31:0] FMAP_W32 = 32'(FMAP_W);
    localparam [31:0] C32 = 32'(CHANNELS);
    localparam [31:0] KMAX32 = 32'(KMAX);
    localparam [MW-1:0] FWORDS = MW'(FMAP_WORDS);
    localparam [QW-1:0] ROWS_Q = QW'(BANK_ROWS);
    localparam [CW:0] B_C = (CW + 1)'(BANKS);
    localparam [CW:0] WB_C = (CW + 1)'(WORD_BITS);
    localparam [RA-1:0] N_ROWS = RA'(ROWS);
    localparam [7:0] KERNEL_MASK = KERNELS[7:0];

    wire is_conv = l_op == ERG_BNA_OP_CONV;
    wire is_pool = l_op == ERG_BNA_OP_MAXPOOL;
    wire is_dense = l_op == ERG_BNA_OP_DENSE;
    assign therm = l_flags[ERG_BNA_L_FLAGS_THERM_LSB];
    assign out_dots = l_flags[ERG_BNA_L_FLAGS_OUT_DOTS_LSB];
    assign op = l_op[1:0];
    assign src = l_src[0];
    assign dst = l_dst[0];
    wire writes_map = !(is_dense && out_dots);

    reg  [11:0]   lsum;            // sum of up to 8 levels
    reg  [31:0]   bin_c, cout32;
    reg  [DW-1:0] kd;              // K as a map-coordinate field
    reg  [MW-1:0] in_words, out_words;
    reg  [WW-1:0] wpf_w;
    reg  [CW:0]   groups;          // ceil(cout / B)
    reg  [QW-1:0] rows_needed;
    reg           bad_op, bad_shape, bad_kernel, bad_window, bad_fmap, bad_weights;
    integer i;

    always @* begin
        // 1. op and flags
        bad_op = !(is_conv || is_pool || is_dense) || (therm && !is_conv) ||
                 (out_dots && !is_dense);

        // 2. sizes; thermometer planes are the levels of raw channels 0 .. L_IN_C - 1
        lsum = 12'd0;
        levels = 64'd0;
        first = {8*12{1'b0}};
        for (i = 0; i < 8; i = i + 1) begin
            first[i*12 +: 12] = lsum;
            if (i < l_c) levels[i*8 +: 8] = l_therm[i*8 +: 8];
            lsum = lsum + {4'd0, levels[i*8 +: 8]};
        end
        bin_c = therm ? {20'd0, lsum} : l_c;
        cout32 = is_pool ? bin_c : l_cout;
        bad_shape = l_h == 32'd0 || l_w == 32'd0 || l_h > FMAP_H32 || l_w > FMAP_W32 ||
                    l_c == 32'd0 || (therm && (l_c > 32'd8 || lsum == 12'd0)) ||
                    bin_c > C32 || (!is_pool && (l_cout == 32'd0 || cout32 > C32));

        // 3. kernel (max-pool: any S up to Kmax)
        if (is_pool) bad_kernel = l_k == 32'd0 || l_k > KMAX32;
        else bad_kernel = l_k == 32'd0 || l_k > 32'd7 || !KERNEL_MASK[l_k[2:0]];

        // 4. the conv or pool window fits the input (dense tiles may be partial)
        bad_window = !is_dense && (l_k > l_h || l_k > l_w);

        // From here on the fields below hold their values (else an earlier check failed).
        h = l_h[DW-1:0];
        w = l_w[DW-1:0];
        c = bin_c[CW-1:0];
        cout = cout32[CW-1:0];
        k = l_k[2:0];
        kd = DW'(l_k[2:0]);
        wbase = l_wbase[RA-1:0];

        // 5. buffers (8 words > bytes <=> words > FMAP_WORDS)
        p_in = therm ? PB'(1) : PB'(({1'b0, c} + (CW + 1)'(63)) >> 6);
        p_out = PB'(({1'b0, cout} + (CW + 1)'(63)) >> 6);
        if (is_conv) begin
            ho = h - kd + 1'b1;
            wo = w - kd + 1'b1;
        end else if (is_pool && k != 3'd0) begin // S x S, stride S: a divide by S <= Kmax
            ho = (h - kd) / kd + 1'b1;
            wo = (w - kd) / kd + 1'b1;
        end else begin
            ho = DW'(1);
            wo = DW'(1);
        end
        in_words = MW'(h) * MW'(w) * MW'(p_in);
        out_words = MW'(ho) * MW'(wo) * MW'(p_out);
        bad_fmap = l_src > 32'd1 || (writes_map && (l_dst > 32'd1 || l_dst == l_src)) ||
                   in_words > FWORDS || (writes_map && out_words > FWORDS);

        // 6. weights: bank 0 holds ceil(cout / B) filters of wpf rows each
        sw = (SWW + 1)'(({1'b0, c} + WB_C - 1'b1) / WB_C);
        if (is_conv) wpf_w = WW'(1) + WW'(k) * WW'(k) * WW'(sw);
        else wpf_w = WW'(!out_dots) + WW'(h) * WW'(w) * WW'(sw);
        groups = ({1'b0, cout} + B_C - 1'b1) / B_C;
        rows_needed = QW'(l_wbase) + QW'(groups) * QW'(wpf_w);
        bad_weights = !is_pool && rows_needed > ROWS_Q;

        if (bad_op) err = ERG_BNA_ERR_OP[2:0];
        else if (bad_shape) err = ERG_BNA_ERR_SHAPE[2:0];
        else if (bad_kernel) err = ERG_BNA_ERR_KERNEL[2:0];
        else if (bad_window) err = ERG_BNA_ERR_SHAPE[2:0];
        else if (bad_fmap) err = ERG_BNA_ERR_FMAP[2:0];
        else if (bad_weights) err = ERG_BNA_ERR_WEIGHTS[2:0];
        else err = ERG_BNA_ERR_NONE[2:0];

        // the remaining layer constants (meaningful when err = 0)
        wpf = RA'(wpf_w);
        grp_stride = wpf * N_ROWS;
        pitch = FA'(w) * FA'(p_in);
        kpitch = FA'(k) * pitch;
        kp = FA'(k) * FA'(p_in);
        n_bits = is_conv ? 32'(k) * 32'(k) * 32'(c) : 32'(h) * 32'(w) * 32'(c);
    end
endmodule

`default_nettype wire
