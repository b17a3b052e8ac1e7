/* json.h — a small JSON reader (RFC 8259 documents as yosys `write_json` writes them): the
 * whole document into a tree of values. Errors name the file and line. Only what erg reads
 * needs to be fast; netlists of a few thousand cells parse in milliseconds. */
#ifndef ERG_JSON_H
#define ERG_JSON_H

#include <stddef.h>

#include "erg_error.h"

typedef enum erg_jkind {
    ERG_J_NULL,
    ERG_J_BOOL,
    ERG_J_NUM,
    ERG_J_STR,
    ERG_J_ARR,
    ERG_J_OBJ
} erg_jkind;

typedef struct erg_json {
    erg_jkind kind;
    double num;            /* ERG_J_NUM, ERG_J_BOOL (0/1) */
    char *str;             /* ERG_J_STR (NUL-terminated, escapes decoded) */
    int n;                 /* ERG_J_ARR, ERG_J_OBJ: number of items */
    struct erg_json *item; /* the items */
    char **key;            /* ERG_J_OBJ: the items' keys */
    int line;              /* where the value starts (1-based) */
} erg_json;

/* Parses text[0 .. len) ("path" for messages). On error *root is empty and err says where. */
int erg_json_parse(erg_json *root, const char *text, size_t len, const char *path, erg_error *err);
/* Reads and parses a file. */
int erg_json_load(erg_json *root, const char *path, erg_error *err);
void erg_json_free(erg_json *v);
/* The member `key` of an object, or NULL (also when v is not an object). */
const erg_json *erg_json_get(const erg_json *v, const char *key);

#endif
