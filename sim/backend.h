/* backend.h — the backends that implement erg_bus for a whole chip: `cmodel` (the C models of
 * its units; RTL, cosim and SystemC backends join later). */
#ifndef ERG_BACKEND_H
#define ERG_BACKEND_H

#include "chip.h"
#include "erg_bus.h"
#include "erg_error.h"

typedef struct erg_backend erg_backend;
struct erg_backend {
    erg_bus bus;
    const char *name;
    void (*destroy)(erg_backend *b);
};

/* The chip's units as C models, each at its base address. */
erg_backend *erg_backend_cmodel(const erg_chip *chip, erg_error *err);
/* Creates the backend named `name` ("cmodel"); the message lists the available ones. */
erg_backend *erg_backend_create(const char *name, const erg_chip *chip, erg_error *err);
void erg_backend_destroy(erg_backend *b);

#endif
