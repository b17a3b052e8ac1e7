/* backend_rtl.cpp — the `rtl` backend: erg_bus over the Verilator models of the chip's units,
 * the BNA RTL (rtl/bna) and the AMAC RTL (rtl/amac). Each 32-bit access is one bus transaction
 * of the unit's host port (req/ack, rtl/bna/erg_bna.v, rtl/amac/erg_amac.v) that ticks the
 * clock; bursts are runs of 32-bit accesses; wait_irq ticks until an interrupt. Optionally
 * writes an FST waveform of unit 0. */
#include "backend_rtl.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "Verg_amac_fast.h"
#include "Verg_amac_verify.h"
#include "Verg_bna_fast.h"
#include "Verg_bna_fault.h"
#include "Verg_bna_verify.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

/* The RTL's parameters (rtl/CMakeLists.txt passes them from the chip config). */
struct BuiltParams {
    int neurons = ERG_RTL_NEURONS;
    unsigned kernels = ERG_RTL_KERNELS;
    int channels = ERG_RTL_CHANNELS;
    int fmap_h = ERG_RTL_FMAP_H, fmap_w = ERG_RTL_FMAP_W;
    int banks = ERG_RTL_BANKS;
    int word_bits = ERG_RTL_WORD_BITS;
    int64_t wsram_bytes = ERG_RTL_WSRAM_BYTES, fmap_bytes = ERG_RTL_FMAP_BYTES;
};

#define ERG_STR2(x) #x
#define ERG_STR(x) ERG_STR2(x)
const char *const PARAMS_TEXT =
    "NEURONS=" ERG_STR(ERG_RTL_NEURONS) " KERNELS=" ERG_STR(ERG_RTL_KERNELS) " CHANNELS=" ERG_STR(ERG_RTL_CHANNELS) " FMAP_H=" ERG_STR(ERG_RTL_FMAP_H) " FMAP_W=" ERG_STR(
        ERG_RTL_FMAP_W) " BANKS=" ERG_STR(ERG_RTL_BANKS) " WORD_BITS=" ERG_STR(ERG_RTL_WORD_BITS) " WSRAM_BYTES=" ERG_STR(ERG_RTL_WSRAM_BYTES) " FMAP_BYTES=" ERG_STR(ERG_RTL_FMAP_BYTES);

/* The AMAC RTL's parameters and multiplier set (rtl/CMakeLists.txt, from ERG_RTL_AMAC_CHIP). */
std::string amac_params_text() {
    const struct {
        const char *name;
        long long v;
    } p[] = {{"ROWS", ERG_RTL_AMAC_ROWS},
             {"COLS", ERG_RTL_AMAC_COLS},
             {"IFMAP_BYTES", ERG_RTL_AMAC_IFMAP_BYTES},
             {"FILTER_BYTES", ERG_RTL_AMAC_FILTER_BYTES},
             {"OFMAP_BYTES", ERG_RTL_AMAC_OFMAP_BYTES},
             {"BPC_Q16", ERG_RTL_AMAC_BPC_Q16},
             {"LMEM_BYTES", ERG_RTL_AMAC_LMEM_BYTES}};
    std::string t;
    for (const auto &x : p) t += std::string(x.name) + "=" + std::to_string(x.v) + " ";
    return t + "multipliers " + ERG_RTL_AMAC_MULS;
}

/* The units' host-bus windows: the BNA's address port has 24 bits, the AMAC's 28. */
const uint64_t BNA_SPAN = 1ull << 24, AMAC_SPAN = 1ull << 28;

/* One verilated unit, whichever build; the two builds have the same ports. */
struct Model {
    virtual ~Model() = default;
    virtual void set(bool clk, bool rst, bool req, bool we, uint32_t addr, uint32_t wdata) = 0;
    virtual void eval() = 0;
    virtual bool ack() const = 0;
    virtual bool irq() const = 0;
    virtual bool busy() const = 0;
    virtual uint32_t rdata() const = 0;
    virtual void trace(VerilatedFstC *tfp) = 0;
    virtual void final() = 0;
};

template <class M>
struct ModelOf : Model {
    std::unique_ptr<M> m;
    uint32_t addr_mask;
    ModelOf(VerilatedContext *ctx, const char *name, uint64_t span)
        : m(new M(ctx, name)), addr_mask((uint32_t)(span - 1)) {}
    void set(bool clk, bool rst, bool req, bool we, uint32_t addr, uint32_t wdata) override {
        m->clk = clk;
        m->rst = rst;
        m->req = req;
        m->we = we;
        m->addr = addr & addr_mask;
        m->wdata = wdata;
    }
    void eval() override { m->eval(); }
    bool ack() const override { return m->ack; }
    bool irq() const override { return m->irq; }
    bool busy() const override { return m->busy; }
    uint32_t rdata() const override { return m->rdata; }
    void trace(VerilatedFstC *tfp) override { m->trace(tfp, 99); }
    void final() override { m->final(); }
};

struct Unit {
    uint64_t base = 0, size = 0, span = BNA_SPAN;
    std::unique_ptr<Model> model;
    /* host-port inputs (held between ticks) */
    bool rst = true, req = false, we = false;
    uint32_t addr = 0, wdata = 0;
    /* the shim's own count of busy cycles */
    uint64_t busy_now = 0, busy_last = 0;
    bool was_busy = false;
};

struct Sim {
    std::unique_ptr<VerilatedContext> ctx;
    std::vector<Unit> units;
    std::unique_ptr<VerilatedFstC> tfp;
    uint64_t ticks = 0;
    bool tracing = true; /* dump while true (erg_backend trace_on) */

    void drive(bool clk) {
        for (Unit &u : units) {
            u.model->set(clk, u.rst, u.req, u.we, u.addr, u.wdata);
            u.model->eval();
        }
        ctx->timeInc(1);
        if (tfp && tracing) tfp->dump(ctx->time());
    }

    /* One clock cycle: the low half, then the rising edge (the RTL samples its inputs there). */
    void tick() {
        for (Unit &u : units) { /* the cycle now ending is a busy cycle if busy is high */
            bool busy = u.model->busy();
            if (busy && !u.was_busy) u.busy_now = 0;
            if (busy) u.busy_now++;
            if (!busy && u.was_busy) u.busy_last = u.busy_now;
            u.was_busy = busy;
        }
        drive(false);
        drive(true);
        ticks++;
    }

    Unit *find(uint64_t addr) {
        for (Unit &u : units)
            if (addr >= u.base && addr - u.base < u.size && addr - u.base < u.span) return &u;
        return nullptr;
    }

    /* One host transaction: req until the unit acks (it waits while a layer owns the SRAMs). */
    uint32_t access(Unit &u, bool we, uint64_t off, uint32_t v) {
        u.req = true;
        u.we = we;
        u.addr = (uint32_t)off;
        u.wdata = v;
        do tick();
        while (!u.model->ack());
        u.req = false;
        u.we = false;
        return u.model->rdata();
    }
};

/* What erg_backend points at: a C-layout struct with the C++ state behind a pointer. */
struct RtlBackend {
    erg_backend be;
    Sim *sim;
};

uint32_t rtl_read32(void *ctx, uint64_t addr) {
    Sim *s = static_cast<Sim *>(ctx);
    Unit *u = s->find(addr);
    return u ? s->access(*u, false, addr - u->base, 0) : 0;
}

void rtl_write32(void *ctx, uint64_t addr, uint32_t v) {
    Sim *s = static_cast<Sim *>(ctx);
    Unit *u = s->find(addr);
    if (u) s->access(*u, true, addr - u->base, v);
}

/* erg_bus bursts are whole 32-bit words (a trailing partial word is dropped on writes; a read
 * fills it from the next word's bytes, as a byte copy would). */
void rtl_burst_write(void *ctx, uint64_t addr, const void *data, size_t bytes) {
    const uint8_t *d = static_cast<const uint8_t *>(data);
    for (size_t i = 0; i + 4 <= bytes; i += 4)
        rtl_write32(ctx, addr + i,
                    (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                        (uint32_t)d[i + 3] << 24);
}

void rtl_burst_read(void *ctx, uint64_t addr, void *data, size_t bytes) {
    uint8_t *d = static_cast<uint8_t *>(data);
    for (size_t i = 0; i < bytes; i += 4) {
        uint32_t v = rtl_read32(ctx, addr + i);
        for (size_t j = 0; j < 4 && i + j < bytes; j++) d[i + j] = (uint8_t)(v >> (8 * j));
    }
}

int rtl_wait_irq(void *ctx, uint64_t max_cycles) {
    Sim *s = static_cast<Sim *>(ctx);
    for (uint64_t n = 0;; n++) {
        for (Unit &u : s->units)
            if (u.model->irq()) return 0;
        if (n == max_cycles) return -1;
        s->tick();
    }
}

/* The simulated clock: every cycle since reset, bus accesses included (FST time = 2 x now). */
uint64_t rtl_now(erg_backend *b) {
    return reinterpret_cast<RtlBackend *>(b)->sim->ticks;
}

void rtl_trace_on(erg_backend *b, int on) {
    reinterpret_cast<RtlBackend *>(b)->sim->tracing = on != 0;
}

void rtl_destroy(erg_backend *b) {
    RtlBackend *r = reinterpret_cast<RtlBackend *>(b);
    if (r->sim) {
        for (Unit &u : r->sim->units) u.model->final();
        if (r->sim->tfp) r->sim->tfp->close();
        delete r->sim;
    }
    delete r;
}

/* Fails naming the first parameter of the unit that differs from what the RTL was built with. */
struct Param {
    const char *name;
    int64_t chip, built;
};

int check_params(const erg_chip *chip, const erg_unit_cfg *u, const Param *v, size_t n,
                 const char *built_from, const char *cmake_var, erg_error *err) {
    for (size_t i = 0; i < n; i++)
        if (v[i].chip != v[i].built)
            return erg_fail(err,
                            "%s:%u: unit '%s': %s = %lld, but the RTL was built with %lld "
                            "(from %s; reconfigure with cmake -D%s=%s)",
                            chip->path, u->line, u->name, v[i].name, (long long)v[i].chip,
                            (long long)v[i].built, built_from, cmake_var, chip->path);
    return 0;
}

/* The BNA unit's parameters must be the ones the RTL was built with. */
int check_bna(const erg_chip *chip, const erg_unit_cfg *u, erg_error *err) {
    BuiltParams p;
    unsigned kernels = 0;
    for (int k = 0; k < u->n_kernels; k++) kernels |= 1u << u->kernels[k];
    const Param v[] = {{"neurons", u->neurons, p.neurons},
                       {"kernels (bit mask)", kernels, p.kernels},
                       {"max_channels", u->max_channels, p.channels},
                       {"max_fmap height", u->max_fmap_h, p.fmap_h},
                       {"max_fmap width", u->max_fmap_w, p.fmap_w},
                       {"weight_banks", u->weight_banks, p.banks},
                       {"weight_word_bits", u->weight_word_bits, p.word_bits},
                       {"weight_sram bytes", u->weight_sram_bytes, p.wsram_bytes},
                       {"fmap_sram bytes", u->fmap_sram_bytes, p.fmap_bytes}};
    return check_params(chip, u, v, sizeof v / sizeof *v, ERG_RTL_CHIP_PATH, "ERG_RTL_CHIP", err);
}

/* ... and the AMAC unit's, its multiplier set included (by name, in order). */
int check_amac(const erg_chip *chip, const erg_unit_cfg *u, erg_error *err) {
    const erg_amac_params *a = &u->amac;
    if (a->dataflow != ERG_MAC_OS || a->timing != ERG_MAC_TIMING_ERG)
        return erg_fail(err,
                        "%s:%u: unit '%s': dataflow %s, timing %s; the AMAC RTL implements "
                        "dataflow os with timing erg (docs/rtl-amac.md)",
                        chip->path, u->line, u->name, erg_mac_dataflow_name(a->dataflow),
                        erg_mac_timing_name(a->timing));
    int64_t q16 = (int64_t)(a->dram_bytes_per_cycle * 65536.0 + 0.5);
    const Param v[] = {
        {"rows", a->rows, ERG_RTL_AMAC_ROWS},
        {"cols", a->cols, ERG_RTL_AMAC_COLS},
        {"ifmap_sram bytes", (int64_t)a->ifmap_sram_bytes, ERG_RTL_AMAC_IFMAP_BYTES},
        {"filter_sram bytes", (int64_t)a->filter_sram_bytes, ERG_RTL_AMAC_FILTER_BYTES},
        {"ofmap_sram bytes", (int64_t)a->ofmap_sram_bytes, ERG_RTL_AMAC_OFMAP_BYTES},
        {"dram_bytes_per_cycle (Q16.16)", q16, ERG_RTL_AMAC_BPC_Q16},
        {"lmem bytes", (int64_t)a->lmem_bytes, ERG_RTL_AMAC_LMEM_BYTES}};
    if (check_params(chip, u, v, sizeof v / sizeof *v, ERG_RTL_AMAC_CHIP_PATH, "ERG_RTL_AMAC_CHIP",
                     err))
        return -1;
    std::string names;
    for (int i = 0; i < a->n_mul; i++) {
        if (i) names += ",";
        char name[256];
        names += erg_chip_amac_mul_name(u, i, name, sizeof name);
    }
    if (names != ERG_RTL_AMAC_MULS)
        return erg_fail(err,
                        "%s:%u: unit '%s': multipliers %s, but the RTL was built with %s (from "
                        "%s; reconfigure with cmake -DERG_RTL_AMAC_CHIP=%s)",
                        chip->path, u->line, u->name, names.c_str(), ERG_RTL_AMAC_MULS,
                        ERG_RTL_AMAC_CHIP_PATH, chip->path);
    return 0;
}

int check_unit(const erg_chip *chip, const erg_unit_cfg *u, erg_error *err) {
    return u->kind == ERG_UNIT_AMAC ? check_amac(chip, u, err) : check_bna(chip, u, err);
}

bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

} // namespace

namespace {

/* build: 0 fast, 1 verification, 2 fault-injection (verification options plus ERG_BNA_FAULTS,
 * the fault number from +erg_fault=N); seed: random initial values (builds 1 and 2). */
erg_backend *make_rtl(const erg_chip *chip, const char *trace_path, int build, int seed, int fault,
                      erg_error *err) {
    if (chip->n_units < 1) {
        erg_fail(err, "%s: the chip has no unit for the rtl backend", chip->path);
        return nullptr;
    }
    for (int i = 0; i < chip->n_units; i++)
        if (check_unit(chip, &chip->units[i], err)) return nullptr;
    if (trace_path && !ends_with(trace_path, ".fst")) {
        erg_fail(err, "trace file '%s': the rtl backend writes FST waveforms (name ending .fst)",
                 trace_path);
        return nullptr;
    }
    std::unique_ptr<Sim> sim(new Sim);
    sim->ctx.reset(new VerilatedContext);
    if (build > 0) {
        /* every variable without a reset starts random: a missing reset shows as a mismatch */
        std::string seed_arg = "+verilator+seed+" + std::to_string(seed);
        std::string fault_arg = "+erg_fault=" + std::to_string(fault);
        const char *argv[] = {"erg", "+verilator+rand+reset+2", seed_arg.c_str(),
                              fault_arg.c_str()};
        sim->ctx->commandArgs(build == 2 ? 4 : 3, argv);
    }
    if (trace_path) sim->ctx->traceEverOn(true);
    for (int i = 0; i < chip->n_units; i++) {
        Unit u;
        const erg_unit_cfg *uc = &chip->units[i];
        u.base = uc->base;
        u.size = uc->size;
        if (uc->kind == ERG_UNIT_AMAC) {
            /* no fault variants of the AMAC RTL: build 2 runs its verification build */
            u.span = AMAC_SPAN;
            if (build > 0)
                u.model.reset(new ModelOf<Verg_amac_verify>(sim->ctx.get(), uc->name, u.span));
            else
                u.model.reset(new ModelOf<Verg_amac_fast>(sim->ctx.get(), uc->name, u.span));
        } else if (build == 2) {
            u.model.reset(new ModelOf<Verg_bna_fault>(sim->ctx.get(), uc->name, u.span));
        } else if (build == 1) {
            u.model.reset(new ModelOf<Verg_bna_verify>(sim->ctx.get(), uc->name, u.span));
        } else {
            u.model.reset(new ModelOf<Verg_bna_fast>(sim->ctx.get(), uc->name, u.span));
        }
        sim->units.push_back(std::move(u));
    }
    if (trace_path) {
        sim->tfp.reset(new VerilatedFstC);
        sim->units[0].model->trace(sim->tfp.get());
        sim->tfp->open(trace_path);
        if (!sim->tfp->isOpen()) {
            erg_fail(err, "cannot write the trace file '%s'", trace_path);
            return nullptr;
        }
    }
    /* The first eval runs the initial blocks ($value$plusargs): they read the thread's current
     * context, which must be this backend's own (several backends may share a process). */
    Verilated::threadContextp(sim->ctx.get());
    /* synchronous reset: two cycles with rst high */
    sim->tick();
    sim->tick();
    for (Unit &u : sim->units) u.rst = false;
    sim->tick();

    RtlBackend *r = new RtlBackend;
    r->sim = sim.release();
    r->be.bus =
        erg_bus{r->sim, rtl_read32, rtl_write32, rtl_burst_write, rtl_burst_read, rtl_wait_irq};
    static const char *const fault_names[] = {"rtl-fault0", "rtl-fault1", "rtl-fault2",
                                              "rtl-fault3", "rtl-fault4"};
    static_assert(sizeof fault_names / sizeof *fault_names == ERG_RTL_FAULTS + 1,
                  "a name per fault");
    r->be.name = build == 2 ? fault_names[fault] : build == 1 ? "rtl-verify" : "rtl";
    r->be.destroy = rtl_destroy;
    r->be.now = rtl_now;
    r->be.trace_on = trace_path ? rtl_trace_on : nullptr;
    return &r->be;
}

} // namespace

extern "C" erg_backend *erg_backend_rtl(const erg_chip *chip, const char *trace_path,
                                        int verify_build, erg_error *err) {
    return make_rtl(chip, trace_path, verify_build > 0 ? 1 : 0, verify_build, 0, err);
}

extern "C" erg_backend *erg_backend_rtl_fault(const erg_chip *chip, int fault,
                                              const char *trace_path, erg_error *err) {
    if (fault < 0 || fault > ERG_RTL_FAULTS) {
        erg_fail(err, "rtl-fault%d: no such fault (the test-only faults are 1 .. %d)", fault,
                 ERG_RTL_FAULTS);
        return nullptr;
    }
    return make_rtl(chip, trace_path, 2, 1, fault, err);
}

extern "C" int erg_backend_is_rtl(const erg_backend *b) {
    return b && b->destroy == rtl_destroy;
}

extern "C" uint64_t erg_backend_rtl_ticks(const erg_backend *b) {
    if (!erg_backend_is_rtl(b)) return 0;
    return reinterpret_cast<const RtlBackend *>(b)->sim->ticks;
}

extern "C" uint64_t erg_backend_rtl_layer_cycles(const erg_backend *b, int unit) {
    if (!erg_backend_is_rtl(b)) return 0;
    const Sim *s = reinterpret_cast<const RtlBackend *>(b)->sim;
    if (unit < 0 || unit >= (int)s->units.size()) return 0;
    return s->units[(size_t)unit].busy_last;
}

extern "C" const char *erg_backend_rtl_params(void) {
    static const std::string text = std::string(PARAMS_TEXT) + " (" + ERG_RTL_CHIP_PATH + ")";
    return text.c_str();
}

extern "C" const char *erg_backend_rtl_chip(void) {
    return ERG_RTL_CHIP_PATH;
}

extern "C" int erg_backend_rtl_check_unit(const erg_chip *chip, const erg_unit_cfg *u,
                                          erg_error *err) {
    return check_unit(chip, u, err);
}

extern "C" const char *erg_backend_rtl_amac_params(void) {
    static const std::string text = amac_params_text() + " (" + ERG_RTL_AMAC_CHIP_PATH + ")";
    return text.c_str();
}

extern "C" const char *erg_backend_rtl_amac_chip(void) {
    return ERG_RTL_AMAC_CHIP_PATH;
}
