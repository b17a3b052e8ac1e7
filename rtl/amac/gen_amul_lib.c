/* gen_amul_lib.c — writes the Verilog top of the multiplier library, module erg_amul_lib, from
 * models/amac/erg_amul.def (the X-macro list the C library is built from): one instance of the
 * family module rtl/amac/erg_amul_<family>.v per list entry with its parameters, and a
 * multiplexer that puts instance number `sel` (its position in the list) on O, 0 for sel at or
 * past the end. Run by the build (rtl/CMakeLists.txt) into the build tree; never committed.
 *
 *   gen_amul_lib OUT.v
 *   gen_amul_lib --set NAME,NAME,... [--user NAME=MODULE:A,B,O ...] OUT.v OUT.vh
 *
 * The second form writes the multiplier set of one AMAC unit (docs/rtl-amac.md, "The MAC
 * array"): module erg_amul_set, one instance per listed name in list order (a built-in of
 * erg_amul.def, or a multiplier the user brings as Verilog, named by --user: its module and its
 * A, B, O port names) with `sel` picking one (0 past the end), and an include with the set's
 * size and its MUL_ID values (the built-in id; 0x100 + k for the k-th user multiplier, see
 * ERG_AMAC_USER_MUL_ID in docs/amac-unit.md).
 *
 * A family the generator does not know (a new one in erg_amul.def) is an error: its module and
 * parameter names must be added to FAMILIES below together with the Verilog. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct entry {
    const char *name, *family;
    int p1, p2;
    const char *desc;
} entry;

static const entry LIST[] = {
#define ERG_AMUL(name, fam, p1, p2, desc) {#name, #fam, p1, p2, desc},
#include "erg_amul.def"
#undef ERG_AMUL
};
#define COUNT ((int)(sizeof LIST / sizeof LIST[0]))

/* The family module's parameter names for p1 and p2 (NULL: the parameter is not passed). */
typedef struct family {
    const char *family, *p1, *p2;
} family;

static const family FAMILIES[] = {
    {"EXACT", NULL, NULL}, {"TRUNC", "K", NULL}, {"PERF", "M", NULL}, {"BAM", "H", "V"},
    {"LOA", "L", NULL},    {"DRUM", "K", NULL},  {"DSM", "M", NULL},  {"MITCHELL", "W", NULL},
    {"CMP", "C", NULL},    {"KUL", "L", NULL},
};

/* The width of the sel port: 2^SEL_BITS is ERG_AMUL_RTL_SELS of sim/amul_rtl.h. */
#define SEL_BITS 6

static const family *family_of(const char *name) {
    for (size_t f = 0; f < sizeof FAMILIES / sizeof FAMILIES[0]; f++)
        if (strcmp(FAMILIES[f].family, name) == 0) return &FAMILIES[f];
    return NULL;
}

/* The module name of a built-in's family: erg_amul_<family in lower case>. */
static void family_module(const char *family, char *module, size_t size) {
    size_t n = 0;
    for (const char *s = family; *s && n + 1 < size; s++)
        module[n++] = (char)tolower((unsigned char)*s);
    module[n] = '\0';
}

/* Writes one built-in's instance, u_<inst> with output o_<inst>, its A and B from a and b. */
static void write_builtin(FILE *f, const entry *e, const char *inst, const char *a, const char *b) {
    const family *fam = family_of(e->family);
    char module[64];
    family_module(e->family, module, sizeof module);
    fprintf(f, "    wire [15:0] o_%s;\n", inst);
    fprintf(f, "    erg_amul_%s ", module);
    if (fam->p1 && fam->p2)
        fprintf(f, "#(.%s(%d), .%s(%d)) ", fam->p1, e->p1, fam->p2, e->p2);
    else if (fam->p1)
        fprintf(f, "#(.%s(%d)) ", fam->p1, e->p1);
    fprintf(f, "u_%s (.A(%s), .B(%s), .O(o_%s));\n", inst, a, b, inst);
}

static int find_builtin(const char *name) {
    for (int k = 0; k < COUNT; k++)
        if (strcmp(LIST[k].name, name) == 0) return k;
    return -1;
}

/* A multiplier brought as Verilog: --user NAME=MODULE:A,B,O (ports default to A, B, O). */
typedef struct user_mul {
    char buf[256];                            /* the argument, cut into the fields below */
    const char *name, *module, *pa, *pb, *po; /* point into buf */
} user_mul;

static int is_ident(const char *s) {
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

static int parse_user(const char *arg, user_mul *u) {
    if (strlen(arg) >= sizeof u->buf) return -1;
    strcpy(u->buf, arg);
    char *eq = strchr(u->buf, '=');
    if (!eq) return -1;
    *eq = '\0';
    char *colon = strchr(eq + 1, ':');
    u->name = u->buf;
    u->module = eq + 1;
    u->pa = "A";
    u->pb = "B";
    u->po = "O";
    if (colon) {
        *colon = '\0';
        char *p2 = strchr(colon + 1, ','), *p3 = p2 ? strchr(p2 + 1, ',') : NULL;
        if (!p2 || !p3) return -1;
        *p2++ = '\0';
        *p3++ = '\0';
        u->pa = colon + 1;
        u->pb = p2;
        u->po = p3;
    }
    return is_ident(u->name) && is_ident(u->module) && is_ident(u->pa) && is_ident(u->pb) &&
                   is_ident(u->po)
               ? 0
               : -1;
}

#define SET_MAX (1 << SEL_BITS)
#define USER_MAX 16
#define USER_ID_BASE 0x100 /* MUL_ID of the k-th user multiplier: 0x100 + k */

static int gen_set(int argc, char **argv) {
    const char *names = NULL, *out_v = NULL, *out_vh = NULL;
    user_mul users[USER_MAX];
    int n_user = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
            names = argv[++i];
        } else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
            if (n_user == USER_MAX) {
                fprintf(stderr, "gen_amul_lib: more than %d user multipliers\n", USER_MAX);
                return 2;
            }
            if (parse_user(argv[++i], &users[n_user]) != 0) {
                fprintf(stderr,
                        "gen_amul_lib: --user %s: expected NAME=MODULE or NAME=MODULE:A,B,O "
                        "(Verilog identifiers)\n",
                        argv[i]);
                return 2;
            }
            n_user++;
        } else if (!out_v) {
            out_v = argv[i];
        } else if (!out_vh) {
            out_vh = argv[i];
        } else {
            names = NULL;
            break;
        }
    }
    if (!names || !out_v || !out_vh) {
        fprintf(stderr,
                "usage: %s --set NAME,NAME,... [--user NAME=MODULE:A,B,O ...] OUT.v OUT.vh\n",
                argv[0]);
        return 2;
    }
    /* resolve the list: built-in index, or -(1 + user index) */
    int sel[SET_MAX], n = 0;
    char list[1024];
    if (strlen(names) >= sizeof list) {
        fprintf(stderr, "gen_amul_lib: multiplier list too long\n");
        return 2;
    }
    strcpy(list, names);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        if (n == SET_MAX) {
            fprintf(stderr, "gen_amul_lib: more than %d multipliers in the set\n", SET_MAX);
            return 2;
        }
        int k = find_builtin(tok);
        if (k < 0) {
            int u = 0;
            while (u < n_user && strcmp(users[u].name, tok) != 0) u++;
            if (u == n_user) {
                fprintf(stderr,
                        "gen_amul_lib: '%s' is neither a built-in multiplier (erg_amul.def) "
                        "nor a user multiplier given with --user\n",
                        tok);
                return 2;
            }
            k = -(1 + u);
        }
        sel[n++] = k;
    }
    if (n == 0) {
        fprintf(stderr, "gen_amul_lib: empty multiplier set\n");
        return 2;
    }
    FILE *f = fopen(out_v, "w");
    if (!f) {
        perror(out_v);
        return 1;
    }
    fprintf(f,
            "// erg_amul_set.v — GENERATED by rtl/amac/gen_amul_lib.c: do not edit. The\n"
            "// multiplier set of one AMAC unit (%d multipliers; sel = L_MUL, O = 0 past the\n"
            "// end): %s (docs/rtl-amac.md).\n"
            "`default_nettype none\n\n"
            "module erg_amul_set (\n"
            "    input  wire [%d:0]  sel,  // index into the set (L_MUL)\n"
            "    input  wire [7:0]  A,    // activation\n"
            "    input  wire [7:0]  B,    // |weight|\n"
            "    output wire [15:0] O\n"
            ");\n",
            n, names, SEL_BITS - 1);
    for (int i = 0; i < n; i++) {
        char inst[80];
        if (sel[i] >= 0) {
            snprintf(inst, sizeof inst, "m%d_%s", i, LIST[sel[i]].name);
            fprintf(f, "\n    // %d: %s — %s\n", i, LIST[sel[i]].name, LIST[sel[i]].desc);
            write_builtin(f, &LIST[sel[i]], inst, "A", "B");
        } else {
            const user_mul *u = &users[-sel[i] - 1];
            snprintf(inst, sizeof inst, "m%d_%s", i, u->name);
            fprintf(f, "\n    // %d: %s — user multiplier, module %s\n", i, u->name, u->module);
            fprintf(f, "    wire [15:0] o_%s;\n", inst);
            fprintf(f, "    %s u_%s (.%s(A), .%s(B), .%s(o_%s));\n", u->module, inst, u->pa, u->pb,
                    u->po, inst);
        }
    }
    fprintf(f, "\n    reg [15:0] o_sel;\n"
               "    always @* begin\n"
               "        case (sel)\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "            %d'd%d: o_sel = o_m%d_%s;\n", SEL_BITS, i, i,
                sel[i] >= 0 ? LIST[sel[i]].name : users[-sel[i] - 1].name);
    fprintf(f, "            default: o_sel = 16'd0;\n"
               "        endcase\n"
               "    end\n"
               "    assign O = o_sel;\n"
               "endmodule\n\n"
               "`default_nettype wire\n");
    if (fclose(f) != 0) {
        perror(out_v);
        return 1;
    }
    f = fopen(out_vh, "w");
    if (!f) {
        perror(out_vh);
        return 1;
    }
    fprintf(f, "// erg_amul_set.vh — GENERATED by rtl/amac/gen_amul_lib.c: do not edit.\n"
               "// The AMAC unit's multiplier set: its size (P_NMUL) and MUL_ID[i] (16 bits each,\n"
               "// entry i at bits 16 i).\n");
    fprintf(f, "localparam integer MULSET_N = %d;\n", n);
    fprintf(f, "localparam [%d:0] MULSET_IDS = {", 16 * SET_MAX - 1);
    for (int i = SET_MAX - 1; i >= 0; i--) {
        int id = i >= n ? 0 : sel[i] >= 0 ? sel[i] : USER_ID_BASE + (-sel[i] - 1);
        fprintf(f, "16'd%d%s", id, i ? ", " : "");
    }
    fprintf(f, "};\n");
    if (fclose(f) != 0) {
        perror(out_vh);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    for (int k = 0; k < COUNT; k++)
        if (!family_of(LIST[k].family)) {
            fprintf(stderr, "gen_amul_lib: %s: family %s has no Verilog module here\n",
                    LIST[k].name, LIST[k].family);
            return 1;
        }
    if (argc > 1 && strcmp(argv[1], "--set") == 0) return gen_set(argc, argv);
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.v\n       %s --set NAME,... OUT.v OUT.vh\n", argv[0],
                argv[0]);
        return 2;
    }
    if (COUNT > (1 << SEL_BITS)) {
        fprintf(stderr, "gen_amul_lib: %d multipliers do not fit the %d-bit sel port\n", COUNT,
                SEL_BITS);
        return 1;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f,
            "// erg_amul_lib.v — GENERATED by rtl/amac/gen_amul_lib.c from "
            "models/amac/erg_amul.def:\n"
            "// do not edit. The multiplier library: one instance of each of the %d built-in\n"
            "// multipliers; O is the output of instance number sel (its position in the list),\n"
            "// 0 for sel >= %d (docs/rtl-amac.md).\n"
            "`default_nettype none\n\n"
            "module erg_amul_lib (\n"
            "    input  wire [%d:0]  sel,  // instance number\n"
            "    input  wire [7:0]  A,    // activation\n"
            "    input  wire [7:0]  B,    // |weight|\n"
            "    output wire [15:0] O\n"
            ");\n",
            COUNT, COUNT, SEL_BITS - 1);
    for (int k = 0; k < COUNT; k++) {
        fprintf(f, "\n    // %d: %s — %s\n", k, LIST[k].name, LIST[k].desc);
        write_builtin(f, &LIST[k], LIST[k].name, "A", "B");
    }
    fprintf(f, "\n    // the select multiplexer\n"
               "    reg [15:0] o_sel;\n"
               "    always @* begin\n"
               "        case (sel)\n");
    for (int k = 0; k < COUNT; k++)
        fprintf(f, "            %d'd%d: o_sel = o_%s;\n", SEL_BITS, k, LIST[k].name);
    fprintf(f, "            default: o_sel = 16'd0;\n"
               "        endcase\n"
               "    end\n"
               "    assign O = o_sel;\n"
               "endmodule\n\n"
               "`default_nettype wire\n");
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
