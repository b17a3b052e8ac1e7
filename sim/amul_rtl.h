/* amul_rtl.h — the multiplier library as RTL: the Verilator model of erg_amul_lib (generated
 * from models/amac/erg_amul.def, one instance of rtl/amac/erg_amul_<family>.v per list entry;
 * docs/rtl-amac.md), for checking it against the C library (erg_amul.h). C-callable; the shim
 * itself is C++ (sim/amul_rtl.cpp) and keeps one model with its own VerilatedContext, made on
 * first use; not thread-safe. Only in builds with Verilator (ERG_HAVE_RTL is then defined). */
#ifndef ERG_AMUL_RTL_H
#define ERG_AMUL_RTL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The width of the model's select port: sel 0 .. ERG_AMUL_RTL_SELS-1 reaches the model;
 * instance ids (erg_amul.def order) are the first ERG_AMUL_COUNT of them, the others give 0. */
#define ERG_AMUL_RTL_SELS 64

/* O of the RTL for instance `sel` and operands a (activation), b (|weight|); 0 for a sel
 * outside 0 .. ERG_AMUL_RTL_SELS-1 (the model is not evaluated then). */
uint16_t erg_amul_rtl_eval(int sel, uint8_t a, uint8_t b);

/* All 65,536 products of instance `sel` through the RTL: table[a * 256 + b]. 0, or -1 (table
 * untouched) for a sel outside 0 .. ERG_AMUL_RTL_SELS-1. */
int erg_amul_rtl_table(int sel, uint16_t *table);

#ifdef __cplusplus
}
#endif

#endif
