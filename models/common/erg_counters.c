/* erg_counters.c — names of the activity counters. */
#include "erg_counters.h"

static const char *const NAMES[] = {
#define ERG_CNT_NAME(name, desc) #name,
    ERG_COUNTER_LIST(ERG_CNT_NAME)
#undef ERG_CNT_NAME
};

static const char *const DESCS[] = {
#define ERG_CNT_DESC(name, desc) desc,
    ERG_COUNTER_LIST(ERG_CNT_DESC)
#undef ERG_CNT_DESC
};

const char *erg_counter_name(int i) {
    return i >= 0 && i < ERG_CNT_COUNT ? NAMES[i] : "?";
}
const char *erg_counter_desc(int i) {
    return i >= 0 && i < ERG_CNT_COUNT ? DESCS[i] : "?";
}
