/* erg_error.c — filling and prefixing erg_error messages. */
#include "erg_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int erg_fail(erg_error *err, const char *fmt, ...) {
    if (!err) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int erg_error_prefix(erg_error *err, const char *fmt, ...) {
    if (!err) return -1;
    char prefix[ERG_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char old[ERG_ERR_MAX];
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
    return -1;
}
