/* mapper.h — assigns a network's layers to the units of a chip, tiles them to the unit's
 * limits (filter groups, dense tiles, ping-pong buffers, weight SRAM rows) and rejects what no
 * unit can run, naming the layer, the limit and the value. */
#ifndef ERG_MAPPER_H
#define ERG_MAPPER_H

#include "chip.h"
#include "erg_driver.h"
#include "net.h"

typedef struct erg_map_layer {
    int unit;        /* chip unit index; -1 = no work on chip (flatten is a view) */
    erg_drv_layer d; /* the descriptor the driver programs */
    int bn_sign;     /* threshold word present (conv, dense with bn_sign) */
    int64_t rows;    /* weight SRAM rows per bank */
} erg_map_layer;

typedef struct erg_mapping {
    int n; /* = net->n_layers */
    erg_map_layer *l;
    int unit;          /* the BNA unit all layers run on */
    int final_buf;     /* buffer holding the last map (when the last layer writes one) */
    int64_t rows_used; /* weight SRAM rows per bank, all layers */
} erg_mapping;

/* Unit limits as the driver sees them, from the chip config. */
void erg_unit_info(const erg_unit_cfg *u, erg_drv_bna_info *info);

int erg_map_net(erg_mapping *m, const erg_net *net, const erg_chip *chip, erg_error *err);
void erg_mapping_free(erg_mapping *m);

#endif
