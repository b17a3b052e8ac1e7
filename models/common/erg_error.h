/* erg_error.h — how library code reports failure: it fills an erg_error and returns -1.
 * Only the CLI prints messages and chooses exit status. */
#ifndef ERG_ERROR_H
#define ERG_ERROR_H

#define ERG_ERR_MAX 1024

typedef struct erg_error {
    char msg[ERG_ERR_MAX];
} erg_error;

/* Formats the message into err->msg (if err is not NULL); always returns -1 so a caller can
 * write `return erg_fail(err, "...")`. */
int erg_fail(erg_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an existing message (context added by an outer caller). */
int erg_error_prefix(erg_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
