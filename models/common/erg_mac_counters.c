/* erg_mac_counters.c — names, descriptions and field access of the MAC array counters. */
#include "erg_mac_counters.h"

#include <stddef.h>

static const char *const stat_names[] = {
#define ERG_MAC_STATS_NAME(name, desc) #name,
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_NAME)
#undef ERG_MAC_STATS_NAME
};
static const char *const stat_descs[] = {
#define ERG_MAC_STATS_DESC(name, desc) desc,
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_DESC)
#undef ERG_MAC_STATS_DESC
};

const char *erg_mac_stats_name(int i) {
    return i >= 0 && i < ERG_MAC_STATS_COUNT ? stat_names[i] : NULL;
}

const char *erg_mac_stats_desc(int i) {
    return i >= 0 && i < ERG_MAC_STATS_COUNT ? stat_descs[i] : NULL;
}

uint64_t erg_mac_stats_get(const erg_mac_stats *st, int i) {
    switch (i) {
#define ERG_MAC_STATS_CASE(name, desc)                                                             \
    case ERG_MAC_STAT_##name:                                                                      \
        return st->name;
        ERG_MAC_STATS_LIST(ERG_MAC_STATS_CASE)
#undef ERG_MAC_STATS_CASE
    default:
        return 0;
    }
}

void erg_mac_stats_add(erg_mac_stats *dst, const erg_mac_stats *src) {
#define ERG_MAC_STATS_ADD(name, desc) dst->name += src->name;
    ERG_MAC_STATS_LIST(ERG_MAC_STATS_ADD)
#undef ERG_MAC_STATS_ADD
}
