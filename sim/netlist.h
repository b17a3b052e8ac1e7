/* netlist.h — a gate-level netlist (yosys `write_json` after `synth` + `abc -g ...`: yosys'
 * internal one-bit gates $_AND_, $_XOR_, $_MUX_, ...) of a combinational two-operand unit, and a
 * bit-parallel zero-delay evaluator that counts output toggles of every gate, weighted by the
 * gate's transistor count (the `stat -tech cmos` figures), over an operand sequence: the
 * switching-activity estimate behind the relative energy of a multiplier (docs/amac.md).
 * Zero-delay: glitches are not modelled. */
#ifndef ERG_NETLIST_H
#define ERG_NETLIST_H

#include <stddef.h>
#include <stdint.h>

#include "erg_error.h"

typedef struct erg_nl_cell {
    uint8_t type; /* ERG_G_* (netlist.c) */
    uint8_t cost; /* transistors (yosys stat -tech cmos) */
    int in[4];    /* net ids of the inputs (A, B, C/S, D) */
    int out;      /* net id of Y */
} erg_nl_cell;

typedef struct erg_netlist {
    char module[128];
    int n_nets; /* net ids 0 .. n_nets-1; 0 and 1 are the constants 0 and 1 */
    int n_cells;
    erg_nl_cell *cells; /* in evaluation (topological) order */
    int a_bits, b_bits, o_bits;
    int a[32], b[32], o[32]; /* net ids of the operand and result bits, LSB first */
    int64_t transistors;     /* sum of the cells' costs */
} erg_netlist;

/* Loads module `module` (NULL: the one marked top, or the only one) of a yosys JSON netlist;
 * pa, pb: the input ports (e.g. "A", "B"; up to 32 bits each), po: the output port (up to 32
 * bits). Fails, naming the file, on a sequential cell, an unknown gate type, a combinational
 * loop, a missing port or a net driven twice. */
int erg_netlist_load(erg_netlist *nl, const char *json_path, const char *module, const char *pa,
                     const char *pb, const char *po, erg_error *err);
void erg_netlist_free(erg_netlist *nl);

/* Evaluates the sequence (a[k], b[k]), k = 0 .. n-1, in order, starting from all-zero inputs
 * (the first vector toggles against a = b = 0). out (may be NULL) gets each result;
 * *toggles the sum over cells of (output toggles x transistors). Returns 0, or -1 when out of
 * memory. */
int erg_netlist_run(const erg_netlist *nl, const uint32_t *a, const uint32_t *b, size_t n,
                    uint32_t *out, double *toggles, erg_error *err);

#endif
