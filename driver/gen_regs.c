/* gen_regs.c — build-time generator: erg_regs.def -> erg_regs.h (C) and erg_regs.vh (Verilog),
 * so the driver, the C model and the RTL decode one register map. */
#include <stdio.h>
#include <string.h>

#include "erg_counters.h"

static void c_header(FILE *f) {
    fprintf(f, "/* erg_regs.h — GENERATED from driver/erg_regs.def by gen_regs; do not edit. */\n"
               "#ifndef ERG_REGS_H\n#define ERG_REGS_H\n\n");
#define ERG_CONST(name, value, desc)                                                               \
    fprintf(f, "#define ERG_BNA_%s 0x%xu /* %s */\n", #name, (unsigned)(value), desc);
#define ERG_REG(name, off, acc, desc)                                                              \
    fprintf(f, "#define ERG_BNA_%s 0x%04xu /* %s, %s */\n", #name, (unsigned)(off), #acc, desc);
#define ERG_FIELD(reg, name, lsb, width, desc)                                                     \
    fprintf(f, "#define ERG_BNA_%s_%s 0x%xu /* bits %d..%d: %s */\n", #reg, #name,                 \
            (unsigned)(((1ull << (width)) - 1) << (lsb)), lsb, (lsb) + (width)-1, desc);
#define ERG_WINDOW(name, off, size, desc)                                                          \
    fprintf(f, "#define ERG_BNA_%s 0x%xu /* %s */\n#define ERG_BNA_%s_SIZE 0x%xu\n", #name,        \
            (unsigned)(off), desc, #name, (unsigned)(size));
#include "erg_regs.def"
#undef ERG_CONST
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_WINDOW
    fprintf(f, "#define ERG_BNA_CNT_COUNT %d\n", ERG_CNT_COUNT);
    fprintf(f, "\n#endif\n");
}

static void verilog_header(FILE *f) {
    fprintf(f, "// erg_regs.vh — GENERATED from driver/erg_regs.def by gen_regs; do not edit.\n");
#define ERG_CONST(name, value, desc)                                                               \
    fprintf(f, "localparam [31:0] ERG_BNA_%s = 32'h%x; // %s\n", #name, (unsigned)(value), desc);
#define ERG_REG(name, off, acc, desc)                                                              \
    fprintf(f, "localparam [23:0] ERG_BNA_%s = 24'h%x; // %s, %s\n", #name, (unsigned)(off), #acc, \
            desc);
#define ERG_FIELD(reg, name, lsb, width, desc)                                                     \
    fprintf(f, "localparam integer ERG_BNA_%s_%s_LSB = %d; // %s\n", #reg, #name, lsb, desc);      \
    fprintf(f, "localparam integer ERG_BNA_%s_%s_WIDTH = %d;\n", #reg, #name, width);
#define ERG_WINDOW(name, off, size, desc)                                                          \
    fprintf(f, "localparam [23:0] ERG_BNA_%s = 24'h%x; // %s\n", #name, (unsigned)(off), desc);    \
    fprintf(f, "localparam [23:0] ERG_BNA_%s_SIZE = 24'h%x;\n", #name, (unsigned)(size));
#include "erg_regs.def"
#undef ERG_CONST
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_WINDOW
    fprintf(f, "localparam integer ERG_BNA_CNT_COUNT = %d;\n", ERG_CNT_COUNT);
    for (int i = 0; i < ERG_CNT_COUNT; i++)
        fprintf(f, "localparam integer ERG_BNA_CNT_%s = %d; // %s\n", erg_counter_name(i), i,
                erg_counter_desc(i));
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: gen_regs OUT.h OUT.vh\n");
        return 2;
    }
    FILE *h = fopen(argv[1], "w"), *v = fopen(argv[2], "w");
    if (!h || !v) {
        perror("gen_regs");
        return 1;
    }
    c_header(h);
    verilog_header(v);
    int bad = fclose(h) != 0;
    bad |= fclose(v) != 0;
    return bad;
}
