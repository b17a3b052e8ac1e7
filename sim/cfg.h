/* cfg.h — libconfig files checked against a schema: every error names the file and line, the
 * key path, what was expected and what was found; unknown keys get a "did you mean" hint.
 * Net, chip and tech loaders (net.c, chip.c, tech.c) declare their schemas with erg_key tables. */
#ifndef ERG_CFG_H
#define ERG_CFG_H

#include <libconfig.h>
#include <stdint.h>

#include "erg_error.h"

typedef enum erg_key_kind {
    ERG_K_END = 0,     /* terminates a key table */
    ERG_K_INT,         /* integer (32-bit, or 64-bit with the L suffix) in [imin, imax] */
    ERG_K_FLOAT,       /* number (integer or float) in [fmin, fmax] */
    ERG_K_STRING,      /* any non-empty string */
    ERG_K_ENUM,        /* one of the strings in enums */
    ERG_K_BOOL,        /* true / false */
    ERG_K_GROUP,       /* { ... } checked against children */
    ERG_K_GROUPS,      /* ( {...}, {...} ) list of groups checked against children / variants */
    ERG_K_INTS,        /* [i, j, ...] integers in [imin, imax]; length in [nmin, nmax] */
    ERG_K_FLOATS,      /* [x, y, ...] numbers in [fmin, fmax]; length in [nmin, nmax] */
    ERG_K_INT_OR_INTS, /* one integer or an array of them */
    ERG_K_SIZE,        /* bytes: an integer or a string with a unit, "256 KiB" (see erg_cfg_size) */
    ERG_K_STRINGS,     /* ["a", "b", ...] non-empty strings; length in [nmin, nmax] */
    ERG_K_ANY,         /* any value: the loader checks it itself (e.g. mixed lists) */
} erg_key_kind;

typedef struct erg_variant erg_variant;

typedef struct erg_key {
    const char *name;
    erg_key_kind kind;
    int required;
    int64_t imin, imax;             /* ERG_K_INT, ERG_K_INTS, ERG_K_SIZE (bytes) */
    double fmin, fmax;              /* ERG_K_FLOAT, ERG_K_FLOATS */
    const char *const *enums;       /* ERG_K_ENUM: NULL-terminated */
    const struct erg_key *children; /* ERG_K_GROUP, ERG_K_GROUPS without variants */
    const erg_variant *variants;    /* ERG_K_GROUPS: schema chosen by the value of `tag` */
    const char *tag;                /* the discriminating key (an ERG_K_ENUM in every variant) */
    int nmin, nmax;                 /* list/array lengths (0 = no limit) */
    const char *item;               /* ERG_K_GROUPS: what one element is, e.g. "layer" */
} erg_key;

struct erg_variant {
    const char *value;          /* value of the tag key */
    const struct erg_key *keys; /* allowed keys for this variant (include the tag itself) */
};

/* A loaded config file: the libconfig tree plus the file name for messages. */
typedef struct erg_cfg {
    config_t lc;
    char path[4096];
    char dir[4096]; /* folder of the file, for relative paths inside it */
} erg_cfg;

/* Reads and parses `path` (checking first that integer literals beyond 32 bits carry the L
 * suffix, since libconfig silently wraps them), then validates it against the root schema.
 * On error, *cfg is freed again and err says what is wrong. */
int erg_cfg_load(erg_cfg *cfg, const char *path, const erg_key *root, erg_error *err);
void erg_cfg_free(erg_cfg *cfg);

/* Validates the group `s` (whose key path is `path`) against `keys`. */
int erg_cfg_validate(const erg_cfg *cfg, const config_setting_t *s, const char *path,
                     const erg_key *keys, erg_error *err);

/* Fails with "FILE:LINE: PATH: message"; the line is the setting's own line. */
int erg_cfg_fail(erg_error *err, const config_setting_t *s, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Getters for validated settings: each returns `def` when the key is absent. */
int64_t erg_cfg_int(const config_setting_t *g, const char *key, int64_t def);
double erg_cfg_float(const config_setting_t *g, const char *key, double def);
const char *erg_cfg_str(const config_setting_t *g, const char *key, const char *def);
int erg_cfg_bool(const config_setting_t *g, const char *key, int def);
/* Index of the enum value in `enums`, or def when absent. */
int erg_cfg_enum(const config_setting_t *g, const char *key, const char *const *enums, int def);
/* A size in bytes (validated ERG_K_SIZE). */
int64_t erg_cfg_size(const config_setting_t *g, const char *key, int64_t def);
/* Parses "256 KiB", "4 MiB", "1024", "64 B", "2 GiB", "16 kB", "1 MB" into bytes; -1 if invalid. */
int64_t erg_parse_size(const char *s);

/* Edit distance, and the candidate nearest to `word` if it is close enough to suggest. */
int erg_edit_distance(const char *a, const char *b);
const char *erg_nearest(const char *word, const char *const *candidates, int n);

#endif
