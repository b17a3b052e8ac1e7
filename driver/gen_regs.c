/* gen_regs.c — build-time generator: a register-map .def -> a C header and a Verilog include,
 * so the driver, the C model and the RTL decode one register map.
 *
 * Built once per unit (driver/CMakeLists.txt). Without -D options it is the BNA generator:
 * erg_regs.def -> erg_regs.h / erg_regs.vh, prefix ERG_BNA_, counters from erg_counters.h.
 * The AMAC build (gen_regs_amac) sets
 *   ERG_REGS_DEF="erg_amac_regs.def"  the .def to read (from this folder)
 *   ERG_REGS_NAME="erg_regs_amac"     the outputs' base name (header comment and guard)
 *   ERG_REGS_TOOL="gen_regs_amac"     this program's name in the header comment
 *   ERG_REGS_PREFIX="ERG_AMAC_"       the prefix of every generated name
 *   ERG_REGS_ADDR_BITS=32             width of the Verilog offset localparams
 *   ERG_REGS_COUNTERS_IN_DEF=1        counters from the .def's ERG_COUNTER entries */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "erg_counters.h"

#ifndef ERG_REGS_DEF
#define ERG_REGS_DEF "erg_regs.def"
#endif
#ifndef ERG_REGS_NAME
#define ERG_REGS_NAME "erg_regs"
#endif
#ifndef ERG_REGS_TOOL
#define ERG_REGS_TOOL "gen_regs"
#endif
#ifndef ERG_REGS_PREFIX
#define ERG_REGS_PREFIX "ERG_BNA_"
#endif
#ifndef ERG_REGS_ADDR_BITS
#define ERG_REGS_ADDR_BITS 24
#endif
#ifndef ERG_REGS_COUNTERS_IN_DEF
#define ERG_REGS_COUNTERS_IN_DEF 0
#endif

#define P ERG_REGS_PREFIX
#define AB ERG_REGS_ADDR_BITS

/* The counters of a .def with ERG_COUNTER entries (ERG_REGS_COUNTERS_IN_DEF). */
static const char *const def_cnt_name[] = {
#define ERG_CONST(name, value, desc)
#define ERG_REG(name, off, acc, desc)
#define ERG_FIELD(reg, name, lsb, width, desc)
#define ERG_WINDOW(name, off, size, desc)
#define ERG_COUNTER(name, desc) #name,
#include ERG_REGS_DEF
#undef ERG_COUNTER
    NULL};
static const char *const def_cnt_desc[] = {
#define ERG_COUNTER(name, desc) desc,
#include ERG_REGS_DEF
#undef ERG_COUNTER
    NULL};
#undef ERG_CONST
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_WINDOW

static int cnt_count(void) {
    return ERG_REGS_COUNTERS_IN_DEF ? (int)(sizeof def_cnt_name / sizeof def_cnt_name[0]) - 1
                                    : ERG_CNT_COUNT;
}
static const char *cnt_name(int i) {
    return ERG_REGS_COUNTERS_IN_DEF ? def_cnt_name[i] : erg_counter_name(i);
}
static const char *cnt_desc(int i) {
    return ERG_REGS_COUNTERS_IN_DEF ? def_cnt_desc[i] : erg_counter_desc(i);
}

/* s as the inside of a C string literal. */
static void put_c_string(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
}

static void c_header(FILE *f) {
    char guard[64];
    size_t n = 0;
    for (const char *s = ERG_REGS_NAME; *s && n + 3 < sizeof guard; s++)
        guard[n++] = (char)toupper((unsigned char)*s);
    memcpy(guard + n, "_H", 3);
    fprintf(f,
            "/* %s.h — GENERATED from driver/%s by %s; do not edit. */\n#ifndef %s\n#define %s\n\n",
            ERG_REGS_NAME, ERG_REGS_DEF, ERG_REGS_TOOL, guard, guard);
#define ERG_CONST(name, value, desc)                                                               \
    fprintf(f, "#define %s%s 0x%xu /* %s */\n", P, #name, (unsigned)(value), desc);
#define ERG_REG(name, off, acc, desc)                                                              \
    fprintf(f, "#define %s%s 0x%04xu /* %s, %s */\n", P, #name, (unsigned)(off), #acc, desc);
#define ERG_FIELD(reg, name, lsb, width, desc)                                                     \
    fprintf(f, "#define %s%s_%s 0x%xu /* bits %d..%d: %s */\n", P, #reg, #name,                    \
            (unsigned)(((1ull << (width)) - 1) << (lsb)), lsb, (lsb) + (width)-1, desc);
#define ERG_WINDOW(name, off, size, desc)                                                          \
    fprintf(f, "#define %s%s 0x%xu /* %s */\n#define %s%s_SIZE 0x%xu\n", P, #name,                 \
            (unsigned)(off), desc, P, #name, (unsigned)(size));
#define ERG_COUNTER(name, desc)
#include ERG_REGS_DEF
#undef ERG_CONST
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_WINDOW
#undef ERG_COUNTER
    fprintf(f, "#define %sCNT_COUNT %d\n", P, cnt_count());
    if (ERG_REGS_COUNTERS_IN_DEF) {
        for (int i = 0; i < cnt_count(); i++)
            fprintf(f, "#define %sCNT_%s %d /* %s */\n", P, cnt_name(i), i, cnt_desc(i));
        fprintf(f, "/* X(name, description) per counter, in register order. */\n");
        fprintf(f, "#define %sCNT_LIST(X)", P);
        for (int i = 0; i < cnt_count(); i++) {
            fprintf(f, " \\\n    X(%s, \"", cnt_name(i));
            put_c_string(f, cnt_desc(i));
            fprintf(f, "\")");
        }
        fprintf(f, "\n");
    }
    fprintf(f, "\n#endif\n");
}

static void verilog_header(FILE *f) {
    fprintf(f, "// %s.vh — GENERATED from driver/%s by %s; do not edit.\n", ERG_REGS_NAME,
            ERG_REGS_DEF, ERG_REGS_TOOL);
#define ERG_CONST(name, value, desc)                                                               \
    fprintf(f, "localparam [31:0] %s%s = 32'h%x; // %s\n", P, #name, (unsigned)(value), desc);
#define ERG_REG(name, off, acc, desc)                                                              \
    fprintf(f, "localparam [%d:0] %s%s = %d'h%x; // %s, %s\n", AB - 1, P, #name, AB,               \
            (unsigned)(off), #acc, desc);
#define ERG_FIELD(reg, name, lsb, width, desc)                                                     \
    fprintf(f, "localparam integer %s%s_%s_LSB = %d; // %s\n", P, #reg, #name, lsb, desc);         \
    fprintf(f, "localparam integer %s%s_%s_WIDTH = %d;\n", P, #reg, #name, width);
#define ERG_WINDOW(name, off, size, desc)                                                          \
    fprintf(f, "localparam [%d:0] %s%s = %d'h%x; // %s\n", AB - 1, P, #name, AB, (unsigned)(off),  \
            desc);                                                                                 \
    fprintf(f, "localparam [%d:0] %s%s_SIZE = %d'h%x;\n", AB - 1, P, #name, AB, (unsigned)(size));
#define ERG_COUNTER(name, desc)
#include ERG_REGS_DEF
#undef ERG_CONST
#undef ERG_REG
#undef ERG_FIELD
#undef ERG_WINDOW
#undef ERG_COUNTER
    fprintf(f, "localparam integer %sCNT_COUNT = %d;\n", P, cnt_count());
    for (int i = 0; i < cnt_count(); i++)
        fprintf(f, "localparam integer %sCNT_%s = %d; // %s\n", P, cnt_name(i), i, cnt_desc(i));
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s OUT.h OUT.vh\n", ERG_REGS_TOOL);
        return 2;
    }
    FILE *h = fopen(argv[1], "w"), *v = fopen(argv[2], "w");
    if (!h || !v) {
        perror(ERG_REGS_TOOL);
        return 1;
    }
    c_header(h);
    verilog_header(v);
    int bad = fclose(h) != 0;
    bad |= fclose(v) != 0;
    return bad;
}
