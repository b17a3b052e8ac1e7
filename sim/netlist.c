/* netlist.c — yosys JSON gate netlists: loading, levelizing, bit-parallel evaluation. */
#include "netlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum {
    ERG_G_BUF,
    ERG_G_NOT,
    ERG_G_AND,
    ERG_G_NAND,
    ERG_G_OR,
    ERG_G_NOR,
    ERG_G_XOR,
    ERG_G_XNOR,
    ERG_G_ANDNOT,
    ERG_G_ORNOT,
    ERG_G_MUX,
    ERG_G_NMUX,
    ERG_G_AOI3,
    ERG_G_OAI3,
    ERG_G_AOI4,
    ERG_G_OAI4
};

/* yosys' internal gates, their input pins and the transistor counts of `stat -tech cmos`
 * (yosys kernel/cost.h, cmos_gate_cost) */
static const struct {
    const char *name;
    int n_in;
    const char *pins[4];
    uint8_t cost;
} GATES[] = {
    [ERG_G_BUF] = {"$_BUF_", 1, {"A"}, 1},
    [ERG_G_NOT] = {"$_NOT_", 1, {"A"}, 2},
    [ERG_G_AND] = {"$_AND_", 2, {"A", "B"}, 6},
    [ERG_G_NAND] = {"$_NAND_", 2, {"A", "B"}, 4},
    [ERG_G_OR] = {"$_OR_", 2, {"A", "B"}, 6},
    [ERG_G_NOR] = {"$_NOR_", 2, {"A", "B"}, 4},
    [ERG_G_XOR] = {"$_XOR_", 2, {"A", "B"}, 12},
    [ERG_G_XNOR] = {"$_XNOR_", 2, {"A", "B"}, 12},
    [ERG_G_ANDNOT] = {"$_ANDNOT_", 2, {"A", "B"}, 6},
    [ERG_G_ORNOT] = {"$_ORNOT_", 2, {"A", "B"}, 6},
    [ERG_G_MUX] = {"$_MUX_", 3, {"A", "B", "S"}, 12},
    [ERG_G_NMUX] = {"$_NMUX_", 3, {"A", "B", "S"}, 10},
    [ERG_G_AOI3] = {"$_AOI3_", 3, {"A", "B", "C"}, 6},
    [ERG_G_OAI3] = {"$_OAI3_", 3, {"A", "B", "C"}, 6},
    [ERG_G_AOI4] = {"$_AOI4_", 4, {"A", "B", "C", "D"}, 8},
    [ERG_G_OAI4] = {"$_OAI4_", 4, {"A", "B", "C", "D"}, 8},
};
#define N_GATES ((int)(sizeof GATES / sizeof GATES[0]))

/* A bit of a connection: a net id (numbers from 2 up in yosys) or a constant "0"/"1"
 * ("x"/"z" read as 0). */
static int bit_id(const erg_json *b) {
    if (b->kind == ERG_J_NUM) return (int)b->num;
    if (b->kind == ERG_J_STR && strcmp(b->str, "1") == 0) return 1;
    return 0;
}

static const erg_json *find_module(const erg_json *mods, const char *want, const char **name) {
    if (!mods || mods->kind != ERG_J_OBJ) return NULL;
    if (want) {
        *name = want;
        return erg_json_get(mods, want);
    }
    for (int i = 0; i < mods->n; i++) {
        const erg_json *attr = erg_json_get(&mods->item[i], "attributes");
        if (erg_json_get(attr, "top") || mods->n == 1) {
            *name = mods->key[i];
            return &mods->item[i];
        }
    }
    return NULL;
}

static int port_bits(const erg_json *ports, const char *port, const char *dir, int *ids, int *n,
                     const char *path, erg_error *err) {
    const erg_json *p = erg_json_get(ports, port);
    const erg_json *d = erg_json_get(p, "direction");
    const erg_json *bits = erg_json_get(p, "bits");
    if (!p || !d || d->kind != ERG_J_STR || !bits || bits->kind != ERG_J_ARR)
        return erg_fail(err, "%s: the netlist has no port '%s'", path, port);
    if (strcmp(d->str, dir))
        return erg_fail(err, "%s: port '%s' is an %s, expected an %s", path, port, d->str, dir);
    if (bits->n < 1 || bits->n > 32)
        return erg_fail(err, "%s: port '%s' has %d bits (1 .. 32 supported)", path, port, bits->n);
    for (int i = 0; i < bits->n; i++) ids[i] = bit_id(&bits->item[i]);
    *n = bits->n;
    return 0;
}

int erg_netlist_load(erg_netlist *nl, const char *path, const char *module, const char *pa,
                     const char *pb, const char *po, erg_error *err) {
    memset(nl, 0, sizeof *nl);
    erg_json doc;
    if (erg_json_load(&doc, path, err)) return -1;
    const char *mname = NULL;
    const erg_json *m = find_module(erg_json_get(&doc, "modules"), module, &mname);
    int rc = -1;
    int *driver = NULL, *level = NULL;
    erg_nl_cell *cells = NULL;
    if (!m) {
        erg_fail(err, "%s: no module %s%s%s in the netlist", path, module ? "'" : "(top)",
                 module ? module : "", module ? "'" : "");
        goto out;
    }
    snprintf(nl->module, sizeof nl->module, "%s", mname);
    const erg_json *ports = erg_json_get(m, "ports");
    if (port_bits(ports, pa, "input", nl->a, &nl->a_bits, path, err) ||
        port_bits(ports, pb, "input", nl->b, &nl->b_bits, path, err) ||
        port_bits(ports, po, "output", nl->o, &nl->o_bits, path, err))
        goto out;
    const erg_json *jc = erg_json_get(m, "cells");
    int nc = jc && jc->kind == ERG_J_OBJ ? jc->n : 0;
    cells = calloc((size_t)nc + 1, sizeof *cells);
    if (!cells) {
        erg_fail(err, "out of memory");
        goto out;
    }
    int max_id = 1;
    for (int i = 0; i < nl->a_bits; i++) max_id = nl->a[i] > max_id ? nl->a[i] : max_id;
    for (int i = 0; i < nl->b_bits; i++) max_id = nl->b[i] > max_id ? nl->b[i] : max_id;
    for (int i = 0; i < nl->o_bits; i++) max_id = nl->o[i] > max_id ? nl->o[i] : max_id;
    for (int c = 0; c < nc; c++) {
        const erg_json *cell = &jc->item[c];
        const erg_json *type = erg_json_get(cell, "type");
        const erg_json *conn = erg_json_get(cell, "connections");
        int g = -1;
        for (int k = 0; type && type->kind == ERG_J_STR && k < N_GATES; k++)
            if (strcmp(type->str, GATES[k].name) == 0) g = k;
        if (g < 0) {
            erg_fail(err,
                     "%s:%d: cell '%s' of type %s is not a combinational yosys gate (synthesize "
                     "with `synth -flatten` and `abc -g ...`; flip-flops are not supported)",
                     path, cell->line, jc->key[c],
                     type && type->kind == ERG_J_STR ? type->str : "?");
            goto out;
        }
        erg_nl_cell *x = &cells[c];
        x->type = (uint8_t)g;
        x->cost = GATES[g].cost;
        for (int k = 0; k < GATES[g].n_in + 1; k++) {
            const char *pin = k < GATES[g].n_in ? GATES[g].pins[k] : "Y";
            const erg_json *b = erg_json_get(conn, pin);
            if (!b || b->kind != ERG_J_ARR || b->n != 1) {
                erg_fail(err, "%s:%d: cell '%s' (%s) has no one-bit pin %s", path, cell->line,
                         jc->key[c], GATES[g].name, pin);
                goto out;
            }
            int id = bit_id(&b->item[0]);
            if (id > 1 << 24) {
                erg_fail(err, "%s:%d: net id %d is too large", path, cell->line, id);
                goto out;
            }
            if (k < GATES[g].n_in)
                x->in[k] = id;
            else
                x->out = id;
            max_id = id > max_id ? id : max_id;
        }
    }
    nl->n_nets = max_id + 1;
    driver = malloc((size_t)nl->n_nets * sizeof *driver);
    level = calloc((size_t)nc + 1, sizeof *level);
    if (!driver || !level) {
        erg_fail(err, "out of memory");
        goto out;
    }
    for (int i = 0; i < nl->n_nets; i++) driver[i] = -1;
    for (int c = 0; c < nc; c++) {
        if (cells[c].out < 2 || driver[cells[c].out] >= 0) {
            erg_fail(err, "%s: net %d is driven twice (or a constant is driven)", path,
                     cells[c].out);
            goto out;
        }
        driver[cells[c].out] = c;
    }
    /* levelize: a cell's level is 1 + the deepest driver of its inputs (iterate; a loop
     * never settles) */
    for (int pass = 0, changed = 1; changed; pass++) {
        if (pass > nc + 1) {
            erg_fail(err, "%s: the netlist has a combinational loop", path);
            goto out;
        }
        changed = 0;
        for (int c = 0; c < nc; c++) {
            int lv = 0;
            for (int k = 0; k < GATES[cells[c].type].n_in; k++) {
                int d = driver[cells[c].in[k]];
                if (d >= 0 && level[d] + 1 > lv) lv = level[d] + 1;
            }
            if (lv != level[c]) {
                level[c] = lv;
                changed = 1;
            }
        }
    }
    /* order by level (counting sort) */
    int max_lv = 0;
    for (int c = 0; c < nc; c++) max_lv = level[c] > max_lv ? level[c] : max_lv;
    nl->cells = malloc((size_t)nc * sizeof *nl->cells + 1);
    if (!nl->cells) {
        erg_fail(err, "out of memory");
        goto out;
    }
    for (int lv = 0, k = 0; lv <= max_lv; lv++)
        for (int c = 0; c < nc; c++)
            if (level[c] == lv) nl->cells[k++] = cells[c];
    nl->n_cells = nc;
    for (int c = 0; c < nc; c++) nl->transistors += cells[c].cost;
    rc = 0;
out:
    free(driver);
    free(level);
    free(cells);
    erg_json_free(&doc);
    if (rc) erg_netlist_free(nl);
    return rc;
}

void erg_netlist_free(erg_netlist *nl) {
    free(nl->cells);
    memset(nl, 0, sizeof *nl);
}

static uint64_t gate(int type, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    switch (type) {
    case ERG_G_BUF:
        return a;
    case ERG_G_NOT:
        return ~a;
    case ERG_G_AND:
        return a & b;
    case ERG_G_NAND:
        return ~(a & b);
    case ERG_G_OR:
        return a | b;
    case ERG_G_NOR:
        return ~(a | b);
    case ERG_G_XOR:
        return a ^ b;
    case ERG_G_XNOR:
        return ~(a ^ b);
    case ERG_G_ANDNOT:
        return a & ~b;
    case ERG_G_ORNOT:
        return a | ~b;
    case ERG_G_MUX:
        return (c & b) | (~c & a); /* S ? B : A */
    case ERG_G_NMUX:
        return ~((c & b) | (~c & a));
    case ERG_G_AOI3:
        return ~((a & b) | c);
    case ERG_G_OAI3:
        return ~((a | b) & c);
    case ERG_G_AOI4:
        return ~((a & b) | (c & d));
    default:
        return ~((a | b) & (c | d)); /* OAI4 */
    }
}

int erg_netlist_run(const erg_netlist *nl, const uint32_t *a, const uint32_t *b, size_t n,
                    uint32_t *out, double *toggles, erg_error *err) {
    /* lane k of a 64-bit word is vector (chunk start + k); a net's toggles in a chunk are
     * the bits where lane k differs from lane k-1 (lane 0: from the previous chunk's lane 63) */
    uint64_t *v = calloc((size_t)nl->n_nets, sizeof *v);
    uint8_t *last = calloc((size_t)nl->n_nets, 1);
    if (!v || !last) {
        free(v);
        free(last);
        return erg_fail(err, "out of memory");
    }
    v[1] = ~0ull;
    /* the state before the first vector: all-zero inputs, settled */
    for (int c = 0; c < nl->n_cells; c++) {
        const erg_nl_cell *x = &nl->cells[c];
        v[x->out] = gate(x->type, v[x->in[0]], v[x->in[1]], v[x->in[2]], v[x->in[3]]);
        last[x->out] = (uint8_t)(v[x->out] & 1);
    }
    uint64_t total = 0;
    for (size_t base = 0; base < n; base += 64) {
        size_t m = n - base < 64 ? n - base : 64;
        uint64_t lanes = m == 64 ? ~0ull : (1ull << m) - 1;
        for (int i = 0; i < nl->a_bits; i++) v[nl->a[i]] = 0;
        for (int i = 0; i < nl->b_bits; i++) v[nl->b[i]] = 0;
        for (size_t k = 0; k < m; k++) {
            for (int i = 0; i < nl->a_bits; i++)
                v[nl->a[i]] |= (uint64_t)(a[base + k] >> i & 1) << k;
            for (int i = 0; i < nl->b_bits; i++)
                v[nl->b[i]] |= (uint64_t)(b[base + k] >> i & 1) << k;
        }
        v[0] = 0;
        v[1] = ~0ull;
        for (int c = 0; c < nl->n_cells; c++) {
            const erg_nl_cell *x = &nl->cells[c];
            uint64_t y = gate(x->type, v[x->in[0]], v[x->in[1]], v[x->in[2]], v[x->in[3]]);
            uint64_t prev = y << 1 | last[x->out];
            total += (uint64_t)__builtin_popcountll((y ^ prev) & lanes) * x->cost;
            last[x->out] = (uint8_t)(y >> (m - 1) & 1);
            v[x->out] = y;
        }
        if (out)
            for (size_t k = 0; k < m; k++) {
                uint32_t o = 0;
                for (int i = 0; i < nl->o_bits; i++) o |= (uint32_t)(v[nl->o[i]] >> k & 1) << i;
                out[base + k] = o;
            }
    }
    *toggles = (double)total;
    free(v);
    free(last);
    return 0;
}
