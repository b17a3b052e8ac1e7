/* area.c — chip area from scripts/synth.sh's area.csv and the tech table's area figures. */
#include "area.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header synth.sh writes; the columns this file reads are SRAM bits and transistors. */
static const char HEADER[] = "module,inst,cells (one),cells x inst,FFs x inst,SRAM bits x inst,"
                             "transistors x inst";
enum { COL_SRAM_BITS = 5, COL_TRANSISTORS = 6, N_COLS = 7 };

/* Transistors per SRAM bit that synth.sh counts (the 6T cell) and subtracts here again. */
#define SYNTH_TR_PER_SRAM_BIT 6

static int parse_count(const char *s, int64_t *v) {
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (end == s || *end || errno || x < 0) return -1;
    *v = x;
    return 0;
}

int erg_area_from_synth(erg_area *a, const char *path, const erg_tech *t, erg_error *err) {
    memset(a, 0, sizeof *a);
    if (!(t->area_logic_mtr_per_mm2 > 0) || !(t->area_logic_utilization > 0) ||
        !(t->area_sram_bit_um2 > 0) || !(t->area_sram_array_efficiency > 0))
        return erg_fail(err,
                        "%s: tech '%s' has no area figures (group `area`: logic_mtr_per_mm2, "
                        "logic_utilization, sram_bit_um2, sram_array_efficiency) to turn the "
                        "synthesized area into mm^2",
                        t->path, t->name);
    FILE *f = fopen(path, "r");
    if (!f) return erg_fail(err, "%s: cannot open: %s", path, strerror(errno));
    char line[1024];
    int lineno = 0, found = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (lineno == 1) {
            if (strcmp(line, HEADER)) {
                rc = erg_fail(err, "%s:1: not a synth.sh area table: expected the header '%s'",
                              path, HEADER);
                break;
            }
            continue;
        }
        if (strncmp(line, "total,", 6)) continue;
        char *col[N_COLS] = {0};
        int nc = 0;
        for (char *p = line; nc < N_COLS; nc++) {
            col[nc] = p;
            char *comma = strchr(p, ',');
            if (!comma) {
                nc++;
                break;
            }
            *comma = '\0';
            p = comma + 1;
        }
        int64_t bits, tr;
        if (nc != N_COLS || parse_count(col[COL_SRAM_BITS], &bits) ||
            parse_count(col[COL_TRANSISTORS], &tr)) {
            rc = erg_fail(err,
                          "%s:%d: the total row needs %d columns with whole numbers of SRAM bits "
                          "and transistors",
                          path, lineno, N_COLS);
            break;
        }
        if (tr < bits * SYNTH_TR_PER_SRAM_BIT) {
            rc = erg_fail(err,
                          "%s:%d: %lld transistors cannot hold %lld SRAM bits of %d transistors "
                          "each",
                          path, lineno, (long long)tr, (long long)bits, SYNTH_TR_PER_SRAM_BIT);
            break;
        }
        a->sram_bits = bits;
        a->logic_transistors = tr - bits * SYNTH_TR_PER_SRAM_BIT;
        found = 1;
        break;
    }
    if (!rc && ferror(f)) rc = erg_fail(err, "%s: read error", path);
    fclose(f);
    if (rc) return rc;
    if (lineno == 0)
        return erg_fail(err, "%s: empty file (expected a scripts/synth.sh area table)", path);
    if (!found)
        return erg_fail(err,
                        "%s:%d: no `total` row (is the file cut short? re-run scripts/synth.sh)",
                        path, lineno);
    a->logic_mm2 = (double)a->logic_transistors / (t->area_logic_mtr_per_mm2 * 1e6) /
                   t->area_logic_utilization;
    a->sram_mm2 =
        (double)a->sram_bits * t->area_sram_bit_um2 * 1e-6 / t->area_sram_array_efficiency;
    a->total_mm2 = a->logic_mm2 + a->sram_mm2;
    return 0;
}
