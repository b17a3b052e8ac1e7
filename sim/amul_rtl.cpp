/* amul_rtl.cpp — the multiplier library as RTL: one Verilator model of erg_amul_lib (the
 * generated top over rtl/amac, docs/rtl-amac.md) behind a C interface. The model is purely
 * combinational: set sel, A, B, eval, read O. */
#include "amul_rtl.h"

#include <memory>

#include "Verg_amul_lib.h"
#include "verilated.h"

namespace {

/* The one model, with a context of its own (the BNA models of backend_rtl.cpp have theirs). */
struct Lib {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Verg_amul_lib> model; /* destroyed before ctx (reverse declaration order) */

    Lib() : ctx(new VerilatedContext), model(new Verg_amul_lib(ctx.get(), "erg_amul_lib")) {}
    ~Lib() { model->final(); }

    uint16_t eval(uint8_t a, uint8_t b) {
        model->A = a;
        model->B = b;
        model->eval();
        return model->O;
    }
};

Lib &lib() {
    static Lib l;
    return l;
}

bool valid(int sel) {
    return sel >= 0 && sel < ERG_AMUL_RTL_SELS;
}

} // namespace

extern "C" uint16_t erg_amul_rtl_eval(int sel, uint8_t a, uint8_t b) {
    if (!valid(sel)) return 0;
    Lib &l = lib();
    l.model->sel = (uint8_t)sel;
    return l.eval(a, b);
}

extern "C" int erg_amul_rtl_table(int sel, uint16_t *table) {
    if (!valid(sel)) return -1;
    Lib &l = lib();
    l.model->sel = (uint8_t)sel;
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) table[a * 256 + b] = l.eval((uint8_t)a, (uint8_t)b);
    return 0;
}
