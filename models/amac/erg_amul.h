/* erg_amul.h — the multiplier library: erg's built-in unsigned 8x8 multipliers (exact and ten
 * families of approximate ones, erg_amul.def) as C functions, as product tables, and as the
 * erg_mul8u the golden kernels and the MAC-array model call (docs/amac.md). */
#ifndef ERG_AMUL_H
#define ERG_AMUL_H

#include <stdint.h>

#include "erg_error.h"
#include "erg_mul.h"

typedef enum erg_amul_family {
    ERG_AMUL_EXACT,
    ERG_AMUL_TRUNC,
    ERG_AMUL_PERF,
    ERG_AMUL_BAM,
    ERG_AMUL_LOA,
    ERG_AMUL_DRUM,
    ERG_AMUL_DSM,
    ERG_AMUL_MITCHELL,
    ERG_AMUL_CMP,
    ERG_AMUL_KUL,
    ERG_AMUL_FAMILY_COUNT
} erg_amul_family;

/* The built-in instances, in erg_amul.def order: ERG_AMUL_ID_exact = 0, ... */
enum erg_amul_id {
#define ERG_AMUL(name, fam, p1, p2, desc) ERG_AMUL_ID_##name,
#include "erg_amul.def"
#undef ERG_AMUL
    ERG_AMUL_COUNT
};

typedef struct erg_amul_info {
    const char *name; /* "trunc4" */
    erg_amul_family family;
    int p1, p2; /* the family's parameters (erg_amul.def) */
    const char *description;
} erg_amul_info;

/* Instance id (0 .. ERG_AMUL_COUNT-1); NULL past the end. */
const erg_amul_info *erg_amul_info_of(int id);
const char *erg_amul_family_name(erg_amul_family f); /* "TRUNC" */
/* Id of the instance named `name`, or -1 with err naming the nearest valid name. */
int erg_amul_find(const char *name, erg_error *err);

/* The product of instance `id` by its definition (erg_amul.def): the reference. */
uint16_t erg_amul_eval(int id, uint8_t a, uint8_t b);
/* The same function of the family with explicit parameters (for tests of other parameters). */
uint16_t erg_amul_family_eval(erg_amul_family f, int p1, int p2, uint8_t a, uint8_t b);

/* All 65,536 products: table[a * 256 + b] = M(a, b). */
void erg_amul_table(int id, uint16_t *table);

/* A ready erg_mul8u for instance `id` (its table built once, on first use; thread-unsafe on
 * first use only). NULL for a bad id. */
const erg_mul8u *erg_amul_mul8u(int id);

#endif
