/* sc_platform.cpp — the SystemC / TLM-2.0 platform (sc_platform.h, docs/systemc.md).
 *
 * Modules (loosely timed, blocking transport, one chip clock cycle = 1 ns of SystemC time):
 *   Host   — the CPU. Each erg_bus call of the C driver becomes one request to its thread,
 *            which issues it as TLM transactions through the interconnect and waits their
 *            delay; the simulation pauses (sc_pause) between calls, so the driver runs
 *            unchanged and takes no simulated time of its own. Bursts go through the DMA.
 *   Bus    — the interconnect: address decode, a width (bytes per cycle) and a latency per
 *            transaction, one transfer at a time (contention between initiators).
 *   Dram   — latency and bandwidth shared by every initiator; holds the host's buffers.
 *   Dma    — moves a burst between DRAM and a unit window in chunks of burst_bytes, then
 *            raises its interrupt.
 *   Unit   — a unit's C model. A write that starts a layer advances the model by the layer's
 *            exact cycles at once; the module keeps the unit busy (accesses wait) and its
 *            interrupt low for those cycles, while it streams the layer's DRAM traffic
 *            (the model's own dram_rd/wr_bytes) through the bus to the DRAM; the layer ends
 *            when both are done.
 */
#include "sc_platform.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

extern "C" {
#include "chip.h"
#include "erg_amac.h"
#include "erg_bna.h"
#include "tech.h"
}

using namespace sc_core;

namespace {

const sc_time CYCLE(1, SC_NS);

uint64_t to_cycles(const sc_time &t) {
    return (uint64_t)std::llround(t / CYCLE);
}

/* The platform's addresses of what is not a unit (above every unit window: chip.c keeps the
 * units' windows below 2^40). */
const uint64_t DMA_BASE = 0xF000000000ull, DMA_SIZE = 0x1000;
const uint64_t DRAM_BASE = 0x10000000000ull, DRAM_SIZE = 1ull << 32;
enum {
    DMA_SRC_LO = 0x00,
    DMA_SRC_HI = 0x04,
    DMA_DST_LO = 0x08,
    DMA_DST_HI = 0x0C,
    DMA_LEN = 0x10,
    DMA_CTRL = 0x14
};

/* A resource that serves one transfer at a time: a transfer of n bytes asked for at time t
 * starts when the resource is free, occupies it ceil(n / bytes_per_cycle) cycles and
 * completes `latency` cycles after that. 0 bytes per cycle and latency 0: ideal. */
struct Channel {
    double bytes_per_cycle = 0;
    int latency = 0;
    sc_time free_at = SC_ZERO_TIME, last_start = SC_ZERO_TIME;
    uint64_t bytes = 0, busy = 0, transfers = 0;
    bool ideal() const { return bytes_per_cycle <= 0 && latency == 0; }
    sc_time serve(const sc_time &t, uint64_t n) {
        bytes += n;
        transfers++;
        last_start = t;
        if (ideal()) return t;
        uint64_t occ = bytes_per_cycle > 0 ? (uint64_t)std::ceil((double)n / bytes_per_cycle) : 0;
        sc_time start = t > free_at ? t : free_at;
        last_start = start;
        free_at = start + (double)occ * CYCLE;
        busy += occ;
        return start + (double)(occ + (uint64_t)latency) * CYCLE;
    }
};

/* Marks the DMA's data transfers: a 4-byte one is a burst too, not a register access. */
struct BurstExt : tlm::tlm_extension<BurstExt> {
    tlm::tlm_extension_base *clone() const override { return new BurstExt(*this); }
    void copy_from(const tlm::tlm_extension_base &) override {}
};

void set_ok(tlm::tlm_generic_payload &p) {
    p.set_response_status(tlm::TLM_OK_RESPONSE);
}

struct Dram : sc_module {
    tlm_utils::simple_target_socket<Dram> tsock;
    Channel ch;
    std::vector<uint8_t> mem; /* the host's buffers (grown on demand) */
    Dram(sc_module_name n, double bpc, int lat) : sc_module(n), tsock("tsock") {
        ch.bytes_per_cycle = bpc;
        ch.latency = lat;
        tsock.register_b_transport(this, &Dram::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &d) {
        uint64_t a = p.get_address(), n = p.get_data_length();
        if (p.get_command() != tlm::TLM_IGNORE_COMMAND) { /* data: the DMA's */
            if (a + n > mem.size()) mem.resize(a + n);
            if (p.is_write())
                memcpy(&mem[a], p.get_data_ptr(), n);
            else
                memcpy(p.get_data_ptr(), &mem[a], n);
        }
        sc_time now = sc_time_stamp() + d;
        d = ch.serve(now, n) - sc_time_stamp();
        set_ok(p);
    }
};

/* The interconnect. Targets are (base, size, socket index). */
struct Bus : sc_module {
    tlm_utils::multi_passthrough_target_socket<Bus> tsock;
    tlm_utils::multi_passthrough_initiator_socket<Bus> isock;
    struct Route {
        uint64_t base, size;
        int port;
    };
    std::vector<Route> routes;
    Channel ch;
    uint32_t addr_sig = 0; /* traced: the last address decoded */
    Bus(sc_module_name n, double bpc, int lat) : sc_module(n), tsock("tsock"), isock("isock") {
        ch.bytes_per_cycle = bpc;
        ch.latency = lat;
        tsock.register_b_transport(this, &Bus::b_transport);
    }
    void b_transport(int, tlm::tlm_generic_payload &p, sc_time &d) {
        uint64_t a = p.get_address();
        for (const Route &r : routes)
            if (a >= r.base && a - r.base < r.size) {
                /* cut-through: the request reaches the target `latency` cycles after the bus
                 * takes it; the transfer ends when both the bus and the target are done */
                sc_time bus_done = ch.serve(sc_time_stamp() + d, p.get_data_length());
                d = ch.last_start + (double)ch.latency * CYCLE - sc_time_stamp();
                addr_sig = (uint32_t)a;
                p.set_address(a - r.base);
                isock[r.port]->b_transport(p, d);
                p.set_address(a);
                if (sc_time_stamp() + d < bus_done) d = bus_done - sc_time_stamp();
                return;
            }
        p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

struct Platform;

/* One unit's C model. */
struct Unit : sc_module {
    tlm_utils::simple_target_socket<Unit> tsock;
    tlm_utils::simple_initiator_socket<Unit> isock; /* its DRAM traffic */
    int index;
    int kind;
    void *m;
    bool busy = false;
    sc_event start_ev, done_ev;
    sc_event *irq_ev;
    uint64_t layer_cycles = 0, layer_dram = 0;
    uint64_t burst;
    bool dram_ideal;
    std::vector<erg_sc_layer> *log;
    bool busy_sig = false, irq_sig = false; /* traced */

    SC_HAS_PROCESS(Unit);
    Unit(sc_module_name n, int idx, int k, void *model, sc_event *irq, uint64_t burst_bytes,
         bool ideal, std::vector<erg_sc_layer> *lg)
        : sc_module(n), tsock("tsock"), isock("isock"), index(idx), kind(k), m(model), irq_ev(irq),
          burst(burst_bytes), dram_ideal(ideal), log(lg) {
        tsock.register_b_transport(this, &Unit::b_transport);
        SC_THREAD(worker);
    }
    uint64_t now() const {
        return kind == ERG_UNIT_AMAC ? erg_amac_now((const erg_amac *)m)
                                     : erg_bna_now((const erg_bna *)m);
    }
    bool model_irq() const {
        return kind == ERG_UNIT_AMAC ? erg_amac_irq((const erg_amac *)m) != 0
                                     : erg_bna_irq((const erg_bna *)m) != 0;
    }
    /* The interrupt as the platform shows it: low while the layer runs. */
    bool irq() const { return !busy && model_irq(); }
    uint64_t dram_total() const {
        if (kind != ERG_UNIT_AMAC) return 0; /* the BNA keeps everything on chip */
        const erg_mac_stats *s = erg_amac_counters((const erg_amac *)m);
        return s->dram_rd_bytes + s->dram_wr_bytes;
    }
    uint64_t counted_cycles() const {
        return kind == ERG_UNIT_AMAC ? erg_amac_counters((const erg_amac *)m)->cycles : 0;
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &d) {
        wait(d); /* the access arrives */
        d = SC_ZERO_TIME;
        while (busy) wait(done_ev); /* a running unit answers when its layer is done */
        uint64_t off = p.get_address(), n = p.get_data_length();
        uint8_t *data = p.get_data_ptr();
        bool reg = p.get_extension<BurstExt>() == nullptr;
        if (p.is_read()) {
            if (reg && n == 4) {
                uint32_t v = kind == ERG_UNIT_AMAC ? erg_amac_read32((erg_amac *)m, off)
                                                   : erg_bna_read32((erg_bna *)m, off);
                memcpy(data, &v, 4);
            } else if (kind == ERG_UNIT_AMAC) {
                erg_amac_burst_read((erg_amac *)m, off, data, n);
            } else {
                erg_bna_burst_read((erg_bna *)m, off, data, n);
            }
        } else if (reg && n == 4) {
            uint32_t v;
            memcpy(&v, data, 4);
            uint64_t t0 = now(), dram0 = dram_total();
            if (kind == ERG_UNIT_AMAC)
                erg_amac_write32((erg_amac *)m, off, v);
            else
                erg_bna_write32((erg_bna *)m, off, v);
            uint64_t dt = now() - t0;
            if (dt) { /* a layer ran in the model: the platform now lets it take its time */
                uint64_t dram1 = dram_total();
                /* counters cleared by this START hold the layer alone */
                layer_dram = counted_cycles() == dt ? dram1 : dram1 - dram0;
                layer_cycles = dt;
                busy = true;
                busy_sig = true;
                irq_sig = false;
                start_ev.notify(SC_ZERO_TIME);
            }
        } else if (kind == ERG_UNIT_AMAC) {
            erg_amac_burst_write((erg_amac *)m, off, data, n);
        } else {
            erg_bna_burst_write((erg_bna *)m, off, data, n);
        }
        set_ok(p);
    }
    void worker() {
        for (;;) {
            wait(start_ev);
            sc_time t0 = sc_time_stamp(), compute_end = t0 + (double)layer_cycles * CYCLE;
            if (!dram_ideal) {
                uint64_t left = layer_dram;
                tlm::tlm_generic_payload p;
                while (left) { /* one burst outstanding at a time, beside the compute */
                    uint64_t b = left < burst ? left : burst;
                    sc_time d = SC_ZERO_TIME;
                    p.set_command(tlm::TLM_IGNORE_COMMAND);
                    p.set_address(DRAM_BASE);
                    p.set_data_ptr(nullptr);
                    p.set_data_length((unsigned)b);
                    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
                    isock->b_transport(p, d);
                    wait(d);
                    left -= b;
                }
            }
            if (sc_time_stamp() < compute_end) wait(compute_end - sc_time_stamp());
            erg_sc_layer L;
            L.unit = index;
            L.start = to_cycles(t0);
            L.end = to_cycles(sc_time_stamp());
            L.model_cycles = layer_cycles;
            L.stall_cycles = L.end - L.start - layer_cycles;
            L.dram_bytes = dram_ideal ? 0 : layer_dram; /* through the platform's DRAM */
            log->push_back(L);
            busy = false;
            busy_sig = false;
            irq_sig = model_irq();
            done_ev.notify();
            if (model_irq()) irq_ev->notify();
        }
    }
};

/* The DMA engine: SRC, DST, LEN, CTRL (write 1: start); raises done_ev. */
struct Dma : sc_module {
    tlm_utils::simple_target_socket<Dma> tsock;
    tlm_utils::simple_initiator_socket<Dma> isock;
    uint64_t src = 0, dst = 0, len = 0, burst;
    sc_event start_ev, done_ev;
    bool busy = false;
    uint64_t bytes = 0, cycles = 0;
    std::vector<uint8_t> buf;
    bool busy_sig = false; /* traced */
    SC_HAS_PROCESS(Dma);
    Dma(sc_module_name n, uint64_t burst_bytes)
        : sc_module(n), tsock("tsock"), isock("isock"), burst(burst_bytes) {
        tsock.register_b_transport(this, &Dma::b_transport);
        SC_THREAD(worker);
        buf.resize(burst);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &) {
        uint32_t v = 0;
        if (p.get_data_length() == 4) memcpy(&v, p.get_data_ptr(), 4);
        if (p.is_write()) switch (p.get_address()) {
            case DMA_SRC_LO:
                src = (src & ~0xFFFFFFFFull) | v;
                break;
            case DMA_SRC_HI:
                src = (src & 0xFFFFFFFFull) | (uint64_t)v << 32;
                break;
            case DMA_DST_LO:
                dst = (dst & ~0xFFFFFFFFull) | v;
                break;
            case DMA_DST_HI:
                dst = (dst & 0xFFFFFFFFull) | (uint64_t)v << 32;
                break;
            case DMA_LEN:
                len = v;
                break;
            case DMA_CTRL:
                if (v & 1) {
                    busy = true;
                    busy_sig = true;
                    start_ev.notify(SC_ZERO_TIME);
                }
                break;
            default:
                break;
            }
        set_ok(p);
    }
    void xfer(tlm::tlm_command c, uint64_t a, uint8_t *d, uint64_t n) {
        tlm::tlm_generic_payload p;
        sc_time t = SC_ZERO_TIME;
        p.set_command(c);
        p.set_address(a);
        p.set_data_ptr(d);
        p.set_data_length((unsigned)n);
        p.set_streaming_width((unsigned)n);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        BurstExt ext;
        p.set_extension(&ext);
        isock->b_transport(p, t);
        p.clear_extension(&ext);
        wait(t);
    }
    void worker() {
        for (;;) {
            wait(start_ev);
            sc_time t0 = sc_time_stamp();
            for (uint64_t o = 0; o < len; o += burst) {
                uint64_t n = len - o < burst ? len - o : burst;
                xfer(tlm::TLM_READ_COMMAND, src + o, buf.data(), n);
                xfer(tlm::TLM_WRITE_COMMAND, dst + o, buf.data(), n);
            }
            bytes += len;
            cycles += to_cycles(sc_time_stamp() - t0);
            busy = false;
            busy_sig = false;
            done_ev.notify();
        }
    }
};

/* The CPU: runs one bus request at a time for the driver, then pauses the simulation. */
struct Host : sc_module {
    tlm_utils::simple_initiator_socket<Host> isock;
    enum Op { NONE, READ, WRITE, BURST_W, BURST_R, WAIT_IRQ };
    Op op = NONE;
    uint64_t addr = 0, max_cycles = 0;
    uint32_t value = 0;
    const void *wdata = nullptr;
    void *rdata = nullptr;
    size_t bytes = 0;
    int result = 0;
    bool done = true;
    sc_event req_ev, irq_ev;
    Dma *dma = nullptr;
    Dram *dram = nullptr;
    std::vector<Unit *> *units = nullptr;
    uint64_t host_cycles = 0;
    SC_HAS_PROCESS(Host);
    Host(sc_module_name n) : sc_module(n), isock("isock") { SC_THREAD(run); }
    void access(tlm::tlm_command c, uint64_t a, uint32_t *v) {
        tlm::tlm_generic_payload p;
        sc_time d = SC_ZERO_TIME;
        p.set_command(c);
        p.set_address(a);
        p.set_data_ptr((unsigned char *)v);
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time t0 = sc_time_stamp();
        isock->b_transport(p, d);
        wait(d);
        host_cycles += to_cycles(sc_time_stamp() - t0);
        if (!p.is_response_ok()) *v = 0;
    }
    void wr(uint64_t a, uint32_t v) { access(tlm::TLM_WRITE_COMMAND, a, &v); }
    void dma_run(uint64_t s, uint64_t d, size_t n) {
        wr(DMA_BASE + DMA_SRC_LO, (uint32_t)s);
        wr(DMA_BASE + DMA_SRC_HI, (uint32_t)(s >> 32));
        wr(DMA_BASE + DMA_DST_LO, (uint32_t)d);
        wr(DMA_BASE + DMA_DST_HI, (uint32_t)(d >> 32));
        wr(DMA_BASE + DMA_LEN, (uint32_t)n);
        wr(DMA_BASE + DMA_CTRL, 1);
        if (dma->busy) wait(dma->done_ev); /* the DMA's interrupt */
    }
    bool any_irq() const {
        for (Unit *u : *units)
            if (u->irq()) return true;
        return false;
    }
    void run() {
        for (;;) {
            while (done) wait(req_ev);
            switch (op) {
            case READ:
                access(tlm::TLM_READ_COMMAND, addr, &value);
                break;
            case WRITE:
                access(tlm::TLM_WRITE_COMMAND, addr, &value);
                break;
            case BURST_W: /* the driver's buffer is in host memory (DRAM): the DMA moves it */
                if (dram->mem.size() < bytes) dram->mem.resize(bytes);
                memcpy(dram->mem.data(), wdata, bytes);
                dma_run(DRAM_BASE, addr, bytes);
                break;
            case BURST_R:
                dma_run(addr, DRAM_BASE, bytes);
                memcpy(rdata, dram->mem.data(), bytes);
                break;
            case WAIT_IRQ: {
                double mc = max_cycles > 1000000000000000ull ? 1e15 : (double)max_cycles;
                sc_time limit = sc_time_stamp() + mc * CYCLE;
                while (!any_irq() && sc_time_stamp() < limit) wait(limit - sc_time_stamp(), irq_ev);
                result = any_irq() ? 0 : -1;
                break;
            }
            default:
                break;
            }
            op = NONE;
            done = true;
            sc_pause();
        }
    }
};

struct Platform {
    erg_backend be;
    Host *host = nullptr;
    Bus *bus = nullptr;
    Dram *dram = nullptr;
    Dma *dma = nullptr;
    std::vector<Unit *> units;
    std::vector<erg_sc_layer> log;
    erg_sc_stats stats;
    sc_trace_file *tf = nullptr;
    bool ideal = true;
    double dram_pj_per_byte = 0;

    void request(Host::Op op) {
        host->op = op;
        host->done = false;
        host->req_ev.notify(SC_ZERO_TIME);
        while (!host->done) {
            sc_start();
            if (!host->done && !sc_pending_activity()) { /* nothing left to run: a deadlock */
                fprintf(stderr, "erg: SystemC platform: the host's request cannot complete\n");
                host->done = true;
                host->value = 0;
                host->result = -1;
            }
        }
    }
};

Platform *from(void *ctx) {
    return static_cast<Platform *>(ctx);
}

uint32_t sc_read32(void *ctx, uint64_t a) {
    Platform *p = from(ctx);
    p->host->addr = a;
    p->request(Host::READ);
    return p->host->value;
}
void sc_write32(void *ctx, uint64_t a, uint32_t v) {
    Platform *p = from(ctx);
    p->host->addr = a;
    p->host->value = v;
    p->request(Host::WRITE);
}
void sc_burst_write(void *ctx, uint64_t a, const void *d, size_t n) {
    Platform *p = from(ctx);
    p->host->addr = a, p->host->wdata = d, p->host->bytes = n;
    p->request(Host::BURST_W);
}
void sc_burst_read(void *ctx, uint64_t a, void *d, size_t n) {
    Platform *p = from(ctx);
    p->host->addr = a, p->host->rdata = d, p->host->bytes = n;
    p->request(Host::BURST_R);
}
int sc_wait_irq(void *ctx, uint64_t max_cycles) {
    Platform *p = from(ctx);
    p->host->max_cycles = max_cycles;
    p->request(Host::WAIT_IRQ);
    return p->host->result;
}
uint64_t sc_now(erg_backend *) {
    return to_cycles(sc_time_stamp());
}
/* SystemC cannot take modules apart once simulated: the platform lives until the process
 * ends (one per process); the trace file is closed here. */
void sc_destroy(erg_backend *b) {
    Platform *p = from(b->bus.ctx);
    if (p->tf) {
        sc_close_vcd_trace_file(p->tf);
        p->tf = nullptr;
    }
}

bool g_built = false;

} // namespace

extern "C" erg_backend *erg_backend_systemc(const char *name, const erg_chip *chip,
                                            const char *trace_path, erg_error *err) {
    if (g_built) {
        erg_fail(err,
                 "backend '%s': one SystemC platform per process (SystemC has one global "
                 "kernel); run each simulation in its own process",
                 name);
        return nullptr;
    }
    for (int i = 0; i < chip->n_units; i++)
        if (chip->units[i].base >= DMA_BASE) {
            erg_fail(err,
                     "%s: unit '%s' at 0x%llx overlaps the SystemC platform's DMA and DRAM "
                     "windows (0x%llx and up)",
                     chip->path, chip->units[i].name, (unsigned long long)chip->units[i].base,
                     (unsigned long long)DMA_BASE);
            return nullptr;
        }
    Platform *p = new Platform();
    p->be.bus = erg_bus{p, sc_read32, sc_write32, sc_burst_write, sc_burst_read, sc_wait_irq};
    p->be.name = "systemc";
    p->be.destroy = sc_destroy;
    p->be.now = sc_now;
    p->be.trace_on = nullptr;
    erg_platform_cfg pc = chip->platform;
    if (strcmp(name, "systemc-ideal") == 0) pc = erg_platform_cfg{0, 0, 0, 0, pc.burst_bytes};
    if (!pc.burst_bytes) pc.burst_bytes = 4096;
    p->ideal = pc.bus_bytes_per_cycle <= 0 && pc.bus_latency == 0 && pc.dram_bytes_per_cycle <= 0 &&
               pc.dram_latency == 0;
    erg_tech tech;
    erg_error te;
    if (erg_tech_load(&tech, chip->tech, &te) == 0) p->dram_pj_per_byte = tech.dram64 / 8;

    p->host = new Host("host");
    p->bus = new Bus("bus", pc.bus_bytes_per_cycle, pc.bus_latency);
    p->dram = new Dram("dram", pc.dram_bytes_per_cycle, pc.dram_latency);
    p->dma = new Dma("dma", pc.burst_bytes);
    p->host->dma = p->dma;
    p->host->dram = p->dram;
    p->host->units = &p->units;
    p->host->isock.bind(p->bus->tsock);
    p->dma->isock.bind(p->bus->tsock);
    int port = 0;
    for (int i = 0; i < chip->n_units; i++) {
        const erg_unit_cfg *u = &chip->units[i];
        erg_error e;
        void *m = nullptr;
        if (u->kind == ERG_UNIT_AMAC) {
            m = erg_chip_amac_create(u, &e);
        } else {
            erg_bna_params bp = {};
            bp.neurons = u->neurons;
            for (int k = 0; k < u->n_kernels; k++) bp.kernels |= 1u << u->kernels[k];
            bp.channels = u->max_channels;
            bp.fmap_h = u->max_fmap_h;
            bp.fmap_w = u->max_fmap_w;
            bp.banks = u->weight_banks;
            bp.word_bits = u->weight_word_bits;
            bp.wsram_bytes = u->weight_sram_bytes;
            bp.fmap_bytes = u->fmap_sram_bytes;
            m = erg_bna_create(&bp, &e);
        }
        if (!m) {
            erg_fail(err, "%s:%u: unit '%s': %s", chip->path, u->line, u->name, e.msg);
            g_built = true; /* modules exist now: no second platform in this process */
            return nullptr;
        }
        std::string nm = std::string("unit_") + u->name;
        /* the unit's local-memory traffic reaches the platform's DRAM only when that memory is
         * off chip (an amac unit with lmem_on_chip = false); the BNA keeps all on chip */
        bool off_chip = u->kind == ERG_UNIT_AMAC && !u->lmem_on_chip;
        Unit *un =
            new Unit(nm.c_str(), i, u->kind, m, &p->host->irq_ev, pc.burst_bytes,
                     !off_chip || (pc.dram_bytes_per_cycle <= 0 && pc.dram_latency == 0), &p->log);
        p->units.push_back(un);
        p->bus->isock.bind(un->tsock);
        p->bus->routes.push_back({u->base, u->size, port++});
        un->isock.bind(p->bus->tsock);
    }
    p->bus->isock.bind(p->dma->tsock);
    p->bus->routes.push_back({DMA_BASE, DMA_SIZE, port++});
    p->bus->isock.bind(p->dram->tsock);
    p->bus->routes.push_back({DRAM_BASE, DRAM_SIZE, port++});
    g_built = true;
    if (trace_path) {
        std::string base(trace_path);
        if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
            base.resize(base.size() - 4);
        p->tf = sc_create_vcd_trace_file(base.c_str());
        if (!p->tf) {
            erg_fail(err, "%s: cannot write the VCD trace", trace_path);
            return nullptr;
        }
        p->tf->set_time_unit(1, SC_NS);
        sc_trace(p->tf, p->bus->addr_sig, "bus_addr");
        sc_trace(p->tf, p->dma->busy_sig, "dma_busy");
        for (Unit *u : p->units) {
            sc_trace(p->tf, u->busy_sig, std::string(u->name()) + "_busy");
            sc_trace(p->tf, u->irq_sig, std::string(u->name()) + "_irq");
        }
    }
    sc_start(SC_ZERO_TIME); /* elaboration */
    return &p->be;
}

extern "C" const erg_sc_stats *erg_systemc_stats(erg_backend *b) {
    if (!b || b->destroy != sc_destroy) return nullptr;
    Platform *p = from(b->bus.ctx);
    erg_sc_stats &s = p->stats;
    s.n_layers = (int)p->log.size();
    s.layers = p->log.data();
    s.now = to_cycles(sc_time_stamp());
    s.bus_transactions = p->bus->ch.transfers;
    s.bus_bytes = p->bus->ch.bytes;
    s.dram_bytes = p->dram->ch.bytes;
    s.dram_busy_cycles = p->dram->ch.busy;
    s.dma_bytes = p->dma->bytes;
    s.dma_cycles = p->dma->cycles;
    s.host_cycles = p->host->host_cycles;
    s.dram_pj_per_byte = p->dram_pj_per_byte;
    s.ideal = p->ideal;
    return &s;
}

extern "C" void erg_systemc_install(void) {
    erg_backend_register_systemc(erg_backend_systemc);
}
