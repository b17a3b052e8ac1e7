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
#define SC_INCLUDE_DYNAMIC_PROCESSES /* sc_spawn: the drivers of erg_systemc_parallel */
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
#include "erg_regs.h"
#include "erg_regs_amac.h"
#include "tech.h"
}
#ifdef ERG_HAVE_SC_RTL
extern "C" {
#include "backend_rtl.h"
}
#include "Verg_amac_sc.h"
#include "Verg_bna_sc.h"
#endif

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
/* Host CPU i has DMA engine i at DMA_BASE + i * DMA_SIZE and its buffers in DRAM region i. */
const uint64_t DRAM_REGION = DRAM_SIZE / ERG_SC_HOSTS;
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
    std::vector<uint8_t> mem[ERG_SC_HOSTS]; /* each host's buffers (grown on demand) */
    Dram(sc_module_name n, double bpc, int lat) : sc_module(n), tsock("tsock") {
        ch.bytes_per_cycle = bpc;
        ch.latency = lat;
        tsock.register_b_transport(this, &Dram::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &d) {
        uint64_t a = p.get_address(), n = p.get_data_length();
        if (p.get_command() != tlm::TLM_IGNORE_COMMAND) { /* data: the DMA's */
            std::vector<uint8_t> &m = mem[(a / DRAM_REGION) % ERG_SC_HOSTS];
            a %= DRAM_REGION;
            if (a + n > m.size()) m.resize(a + n);
            if (p.is_write())
                memcpy(&m[a], p.get_data_ptr(), n);
            else
                memcpy(p.get_data_ptr(), &m[a], n);
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

/* A unit as its Verilated RTL, in Verilator's SystemC output (Verg_bna_sc, Verg_amac_sc): the
 * RTL's host port as signals, a clock that runs while an access waits for its acknowledge or
 * the unit is busy (the RTL does nothing when idle: a gated clock changes no result), and a
 * transactor that turns TLM accesses into the port's req/ack handshakes, a word at a time. */
struct Pins : sc_module {
    /* the port's inputs are driven by whichever initiator's process accesses the unit (the
     * host CPU's, a DMA engine's): many writers, one at a time */
    sc_signal<bool> clk, rst, ack, irq, busy;
    sc_signal<bool, SC_MANY_WRITERS> req, we;
    sc_signal<uint32_t, SC_MANY_WRITERS> addr, wdata;
    sc_signal<uint32_t> rdata;
    sc_module *model = nullptr;
    uint32_t addr_mask;
    int users = 0;      /* accesses waiting for their acknowledge */
    bool layer = false; /* a START went in and the interrupt has not come: keep the clock */
    sc_event wake, edge;
    uint64_t cycles = 0; /* clock cycles run */
    SC_HAS_PROCESS(Pins);
    template <class M>
    void bind(M *m) {
        m->clk(clk), m->rst(rst), m->req(req), m->we(we), m->ack(ack), m->irq(irq);
        m->busy(busy), m->addr(addr), m->wdata(wdata), m->rdata(rdata);
        model = m;
    }
    Pins(sc_module_name n, int kind) : sc_module(n) {
#ifdef ERG_HAVE_SC_RTL
        if (kind == ERG_UNIT_AMAC)
            bind(new Verg_amac_sc("rtl"));
        else
            bind(new Verg_bna_sc("rtl"));
#endif
        addr_mask = kind == ERG_UNIT_AMAC ? (1u << 28) - 1 : (1u << 24) - 1;
        SC_THREAD(clocker);
    }
    void cycle() { /* the low half, then the rising edge (the RTL samples its inputs there) */
        clk.write(false);
        wait(CYCLE / 2);
        clk.write(true);
        wait(CYCLE / 2);
        cycles++;
        edge.notify();
    }
    void clocker() {
        rst.write(true); /* synchronous reset, as the rtl backend gives it */
        for (int i = 0; i < 4; i++) cycle();
        rst.write(false);
        for (;;) {
            while (users == 0 && !layer && !busy.read()) wait(wake);
            cycle();
        }
    }
    uint32_t access(bool w, uint64_t off, uint32_t v) {
        users++;
        wake.notify();
        req.write(true);
        we.write(w);
        addr.write((uint32_t)off & addr_mask);
        wdata.write(v);
        do wait(edge);
        while (!ack.read());
        req.write(false);
        we.write(false);
        users--;
        return rdata.read();
    }
};

/* One unit's C model. */
struct Unit : sc_module {
    tlm_utils::simple_target_socket<Unit> tsock;
    tlm_utils::simple_initiator_socket<Unit> isock; /* its DRAM traffic */
    int index;
    int kind;
    void *m;                /* the C model, or NULL when the unit is its RTL: */
    Pins *pins = nullptr;   /* the Verilated RTL (SystemC output) behind its host port */
    bool rtl_layer = false; /* a START went to the RTL and its interrupt has not come */
    uint64_t rtl_start = 0;
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
         bool ideal, std::vector<erg_sc_layer> *lg, Pins *pn)
        : sc_module(n), tsock("tsock"), isock("isock"), index(idx), kind(k), m(model), pins(pn),
          irq_ev(irq), burst(burst_bytes), dram_ideal(ideal), log(lg) {
        tsock.register_b_transport(this, &Unit::b_transport);
        if (pins) { /* the RTL's interrupt ends its layer */
            SC_METHOD(rtl_irq_rose);
            sensitive << pins->irq;
            dont_initialize();
        }
        SC_THREAD(worker);
    }

    uint64_t now() const {
        return kind == ERG_UNIT_AMAC ? erg_amac_now((const erg_amac *)m)
                                     : erg_bna_now((const erg_bna *)m);
    }
    bool model_irq() const {
        if (pins) return pins->irq.read();
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
        if (kind != ERG_UNIT_AMAC) return 0;
        return erg_amac_counters((const erg_amac *)m)->cycles;
    }
    /* The access on the RTL's port, a word at a time; a START is logged from its acknowledge
     * to the interrupt (the RTL's own time, its set-up included). The RTL's clock runs from the
     * START to its interrupt, and while an access waits for its acknowledge. */
    void rtl_access(tlm::tlm_generic_payload &p, bool reg) {
        uint64_t off = p.get_address(), n = p.get_data_length();
        uint8_t *d = p.get_data_ptr();
        if (p.is_read()) {
            for (uint64_t i = 0; i < n; i += 4) {
                uint32_t v = pins->access(false, off + i, 0);
                for (uint64_t j = 0; j < 4 && i + j < n; j++) d[i + j] = (uint8_t)(v >> (8 * j));
            }
            return;
        }
        for (uint64_t i = 0; i + 4 <= n; i += 4) { /* whole words, as the rtl backend */
            uint32_t v = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
                         (uint32_t)d[i + 3] << 24;
            pins->access(true, off + i, v);
            uint32_t ctrl = kind == ERG_UNIT_AMAC ? ERG_AMAC_CTRL : ERG_BNA_CTRL;
            uint32_t start = kind == ERG_UNIT_AMAC ? ERG_AMAC_CTRL_START : ERG_BNA_CTRL_START;
            if (reg && n == 4 && off == ctrl && (v & start)) {
                rtl_layer = true;
                pins->layer = true;
                rtl_start = to_cycles(sc_time_stamp());
                busy_sig = true;
                irq_sig = false;
            }
        }
    }
    /* The RTL's interrupt rose: the layer (if one ran) is done. */
    void rtl_irq_rose() {
        if (!pins->irq.read()) return;
        pins->layer = false;
        if (rtl_layer) {
            erg_sc_layer L;
            L.unit = index;
            L.start = rtl_start;
            L.end = to_cycles(sc_time_stamp());
            L.model_cycles = L.end - L.start;
            L.stall_cycles = 0;
            L.dram_bytes = 0; /* the RTL's local memory is its own (docs/systemc.md) */
            log->push_back(L);
            rtl_layer = false;
        }
        busy_sig = false;
        irq_sig = true;
        irq_ev->notify();
    }
    void begin_layer(uint64_t dt, uint64_t dram) {
        layer_dram = dram;
        layer_cycles = dt;
        busy = true;
        busy_sig = true;
        irq_sig = false;
        start_ev.notify(SC_ZERO_TIME);
    }
    void b_transport(tlm::tlm_generic_payload &p, sc_time &d) {
        wait(d); /* the access arrives */
        d = SC_ZERO_TIME;
        while (busy) wait(done_ev); /* a running unit answers when its layer is done */
        uint64_t off = p.get_address(), n = p.get_data_length();
        uint8_t *data = p.get_data_ptr();
        bool reg = p.get_extension<BurstExt>() == nullptr;
        if (pins) {
            rtl_access(p, reg);
            set_ok(p);
            return;
        }
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
                begin_layer(dt, counted_cycles() == dt ? dram1 : dram1 - dram0);
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
    sc_event req_ev;
    sc_event *irq_ev = nullptr; /* every unit's interrupt (shared by the hosts) */
    int irq_unit = -1;          /* the unit whose interrupt this CPU takes (-1: every unit) */
    Dma *dma = nullptr;         /* this CPU's */
    uint64_t dma_base = DMA_BASE;
    Dram *dram = nullptr;
    int region = 0; /* this CPU's buffers in DRAM */
    std::vector<Unit *> *units = nullptr;
    uint64_t host_cycles = 0;
    uint64_t last_done = 0; /* when its last request completed */
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
        wr(dma_base + DMA_SRC_LO, (uint32_t)s);
        wr(dma_base + DMA_SRC_HI, (uint32_t)(s >> 32));
        wr(dma_base + DMA_DST_LO, (uint32_t)d);
        wr(dma_base + DMA_DST_HI, (uint32_t)(d >> 32));
        wr(dma_base + DMA_LEN, (uint32_t)n);
        wr(dma_base + DMA_CTRL, 1);
        if (dma->busy) wait(dma->done_ev); /* the DMA's interrupt */
    }
    bool any_irq() const {
        for (Unit *u : *units)
            if ((irq_unit < 0 || u->index == irq_unit) && u->irq()) return true;
        return false;
    }
    /* The request in op and its operands, in the calling SystemC process (this CPU's thread, or
     * a driver's own process under erg_systemc_parallel). */
    void exec() {
        switch (op) {
        case READ:
            access(tlm::TLM_READ_COMMAND, addr, &value);
            break;
        case WRITE:
            access(tlm::TLM_WRITE_COMMAND, addr, &value);
            break;
        case BURST_W: { /* the driver's buffer is in host memory (DRAM): the DMA moves it */
            std::vector<uint8_t> &m = dram->mem[region];
            if (m.size() < bytes) m.resize(bytes);
            memcpy(m.data(), wdata, bytes);
            dma_run(DRAM_BASE + (uint64_t)region * DRAM_REGION, addr, bytes);
            break;
        }
        case BURST_R:
            dma_run(addr, DRAM_BASE + (uint64_t)region * DRAM_REGION, bytes);
            memcpy(rdata, dram->mem[region].data(), bytes);
            break;
        case WAIT_IRQ: {
            double mc = max_cycles > 1000000000000000ull ? 1e15 : (double)max_cycles;
            sc_time limit = sc_time_stamp() + mc * CYCLE;
            while (!any_irq() && sc_time_stamp() < limit) wait(limit - sc_time_stamp(), *irq_ev);
            result = any_irq() ? 0 : -1;
            break;
        }
        default:
            break;
        }
        op = NONE;
        last_done = to_cycles(sc_time_stamp());
    }
    void run() {
        for (;;) {
            while (done) wait(req_ev);
            exec();
            done = true;
            sc_pause();
        }
    }
};

struct Platform;

/* One CPU's view of the platform: the bus its driver calls go to. */
struct HostView {
    erg_backend be;
    Platform *p = nullptr;
    int i = 0;
};

struct Platform {
    erg_backend be; /* host 0's bus (be.bus.ctx = views[0]) */
    Host *hosts[ERG_SC_HOSTS] = {};
    Dma *dmas[ERG_SC_HOSTS] = {};
    HostView views[ERG_SC_HOSTS];
    Bus *bus = nullptr;
    Dram *dram = nullptr;
    sc_event *irq_ev = nullptr;
    std::vector<Unit *> units;
    std::vector<erg_sc_layer> log;
    erg_sc_stats stats;
    sc_trace_file *tf = nullptr;
    bool ideal = true;
    double dram_pj_per_byte = 0;

    /* Concurrent drivers (erg_systemc_parallel): each driver runs in a SystemC process of its
     * own (the software on its CPU), so its bus calls are that process's transactions and
     * waits; the kernel runs until every driver has returned. */
    bool parallel = false;
    int running = 0; /* drivers not yet returned */

    void fail_host(Host *h) {
        h->done = true;
        h->value = 0;
        h->result = -1;
    }
    void request(int i, Host::Op op) {
        Host *h = hosts[i];
        h->op = op;
        h->done = false;
        if (parallel) { /* called from the driver's own process: run it there */
            h->exec();
            return;
        }
        h->req_ev.notify(SC_ZERO_TIME);
        while (!h->done) {
            sc_start();
            if (!h->done && !sc_pending_activity()) { /* nothing left to run: a deadlock */
                fprintf(stderr, "erg: SystemC platform: the host's request cannot complete\n");
                fail_host(h);
            }
        }
    }
};

HostView *from(void *ctx) {
    return static_cast<HostView *>(ctx);
}

uint32_t sc_read32(void *ctx, uint64_t a) {
    HostView *v = from(ctx);
    Host *h = v->p->hosts[v->i];
    h->addr = a;
    v->p->request(v->i, Host::READ);
    return h->value;
}
void sc_write32(void *ctx, uint64_t a, uint32_t val) {
    HostView *v = from(ctx);
    Host *h = v->p->hosts[v->i];
    h->addr = a;
    h->value = val;
    v->p->request(v->i, Host::WRITE);
}
void sc_burst_write(void *ctx, uint64_t a, const void *d, size_t n) {
    HostView *v = from(ctx);
    Host *h = v->p->hosts[v->i];
    h->addr = a, h->wdata = d, h->bytes = n;
    v->p->request(v->i, Host::BURST_W);
}
void sc_burst_read(void *ctx, uint64_t a, void *d, size_t n) {
    HostView *v = from(ctx);
    Host *h = v->p->hosts[v->i];
    h->addr = a, h->rdata = d, h->bytes = n;
    v->p->request(v->i, Host::BURST_R);
}
int sc_wait_irq(void *ctx, uint64_t max_cycles) {
    HostView *v = from(ctx);
    Host *h = v->p->hosts[v->i];
    h->max_cycles = max_cycles;
    v->p->request(v->i, Host::WAIT_IRQ);
    return h->result;
}
uint64_t sc_now(erg_backend *) {
    return to_cycles(sc_time_stamp());
}
/* SystemC cannot take modules apart once simulated: the platform lives until the process
 * ends (one per process); the trace file is closed here. */
void sc_destroy(erg_backend *b) {
    Platform *p = from(b->bus.ctx)->p;
    if (p->tf) {
        sc_close_vcd_trace_file(p->tf);
        p->tf = nullptr;
    }
}

/* A CPU's view: the platform itself stays (sc_destroy closes it). */
void sc_view_destroy(erg_backend *) {}

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
    for (int i = 0; i < ERG_SC_HOSTS; i++) {
        HostView &v = p->views[i];
        v.p = p;
        v.i = i;
        v.be.bus = erg_bus{&v, sc_read32, sc_write32, sc_burst_write, sc_burst_read, sc_wait_irq};
        v.be.name = "systemc";
        v.be.destroy = sc_view_destroy;
        v.be.now = sc_now;
        v.be.trace_on = nullptr;
    }
    p->be = p->views[0].be;
    p->be.destroy = sc_destroy;
    erg_platform_cfg pc = chip->platform;
    if (strcmp(name, "systemc-ideal") == 0) pc = erg_platform_cfg{0, 0, 0, 0, pc.burst_bytes};
    if (!pc.burst_bytes) pc.burst_bytes = 4096;
    p->ideal = pc.bus_bytes_per_cycle <= 0 && pc.bus_latency == 0 && pc.dram_bytes_per_cycle <= 0 &&
               pc.dram_latency == 0;
    erg_tech tech;
    erg_error te;
    if (erg_tech_load(&tech, chip->tech, &te) == 0) p->dram_pj_per_byte = tech.dram64 / 8;

    p->bus = new Bus("bus", pc.bus_bytes_per_cycle, pc.bus_latency);
    p->dram = new Dram("dram", pc.dram_bytes_per_cycle, pc.dram_latency);
    p->irq_ev = new sc_event("irq");
    for (int i = 0; i < ERG_SC_HOSTS; i++) { /* CPU i with its DMA engine */
        std::string hn = i ? "host" + std::to_string(i) : "host",
                    dn = i ? "dma" + std::to_string(i) : "dma";
        Host *h = new Host(hn.c_str());
        Dma *d = new Dma(dn.c_str(), pc.burst_bytes);
        h->dma = d;
        h->dma_base = DMA_BASE + (uint64_t)i * DMA_SIZE;
        h->dram = p->dram;
        h->region = i;
        h->units = &p->units;
        h->irq_ev = p->irq_ev;
        h->isock.bind(p->bus->tsock);
        d->isock.bind(p->bus->tsock);
        p->hosts[i] = h;
        p->dmas[i] = d;
    }
    int port = 0;
    for (int i = 0; i < chip->n_units; i++) {
        const erg_unit_cfg *u = &chip->units[i];
        erg_error e;
        void *m = nullptr;
        Pins *pins = nullptr;
        std::string nm = std::string("unit_") + u->name;
        if (u->sc_rtl) {
#ifdef ERG_HAVE_SC_RTL
            if (erg_backend_rtl_check_unit(chip, u, &e)) { /* the RTL's built parameters */
                erg_fail(err, "%s (systemc_model = \"rtl\")", e.msg);
                g_built = true;
                return nullptr;
            }
            pins = new Pins((nm + "_rtl").c_str(), u->kind);
#else
            erg_fail(err,
                     "%s:%u: unit '%s': systemc_model = \"rtl\" needs the Verilator build, "
                     "which this build lacks",
                     chip->path, u->line, u->name);
            g_built = true;
            return nullptr;
#endif
        } else if (u->kind == ERG_UNIT_AMAC) {
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
        if (!m && !pins) {
            erg_fail(err, "%s:%u: unit '%s': %s", chip->path, u->line, u->name, e.msg);
            g_built = true; /* modules exist now: no second platform in this process */
            return nullptr;
        }
        /* the unit's local-memory traffic reaches the platform's DRAM only when that memory is
         * off chip (an amac unit with lmem_on_chip = false); the BNA keeps all on chip */
        bool off_chip = u->kind == ERG_UNIT_AMAC && !u->lmem_on_chip;
        Unit *un = new Unit(nm.c_str(), i, u->kind, m, p->irq_ev, pc.burst_bytes,
                            !off_chip || (pc.dram_bytes_per_cycle <= 0 && pc.dram_latency == 0),
                            &p->log, pins);
        p->units.push_back(un);
        p->bus->isock.bind(un->tsock);
        p->bus->routes.push_back({u->base, u->size, port++});
        un->isock.bind(p->bus->tsock);
    }
    for (int i = 0; i < ERG_SC_HOSTS; i++) {
        p->bus->isock.bind(p->dmas[i]->tsock);
        p->bus->routes.push_back({DMA_BASE + (uint64_t)i * DMA_SIZE, DMA_SIZE, port++});
    }
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
        for (int i = 0; i < ERG_SC_HOSTS; i++)
            sc_trace(p->tf, p->dmas[i]->busy_sig, std::string(p->dmas[i]->name()) + "_busy");
        for (Unit *u : p->units) {
            sc_trace(p->tf, u->busy_sig, std::string(u->name()) + "_busy");
            sc_trace(p->tf, u->irq_sig, std::string(u->name()) + "_irq");
        }
    }
    sc_start(SC_ZERO_TIME); /* elaboration */
    return &p->be;
}

extern "C" const erg_sc_stats *erg_systemc_stats(erg_backend *b) {
    if (!b || (b->destroy != sc_destroy && b->destroy != sc_view_destroy)) return nullptr;
    Platform *p = from(b->bus.ctx)->p;
    erg_sc_stats &s = p->stats;
    s.n_layers = (int)p->log.size();
    s.layers = p->log.data();
    s.now = to_cycles(sc_time_stamp());
    s.bus_transactions = p->bus->ch.transfers;
    s.bus_bytes = p->bus->ch.bytes;
    s.dram_bytes = p->dram->ch.bytes;
    s.dram_busy_cycles = p->dram->ch.busy;
    s.dma_bytes = s.dma_cycles = s.host_cycles = 0;
    for (int i = 0; i < ERG_SC_HOSTS; i++) {
        s.dma_bytes += p->dmas[i]->bytes;
        s.dma_cycles += p->dmas[i]->cycles;
        s.host_cycles += p->hosts[i]->host_cycles;
        s.host_last[i] = p->hosts[i]->last_done;
    }
    s.dram_pj_per_byte = p->dram_pj_per_byte;
    s.ideal = p->ideal;
    return &s;
}

extern "C" void erg_systemc_install(void) {
    erg_backend_register_systemc(erg_backend_systemc);
}

extern "C" erg_backend *erg_systemc_host(erg_backend *b, int i, int unit) {
    if (!b || b->destroy != sc_destroy || i < 0 || i >= ERG_SC_HOSTS) return nullptr;
    Platform *p = from(b->bus.ctx)->p;
    p->hosts[i]->irq_unit = unit;
    return &p->views[i].be;
}

extern "C" int erg_systemc_parallel(erg_backend *b, int n,
                                    int (*fn)(void *ctx, int i, erg_backend *host), void *ctx) {
    if (!b || b->destroy != sc_destroy || n < 1 || n > ERG_SC_HOSTS) return -1;
    Platform *p = from(b->bus.ctx)->p;
    if (p->parallel) return -1;
    p->parallel = true;
    p->running = n;
    std::vector<int> rc((size_t)n, 0);
    sc_spawn_options opt;
    opt.set_stack_size(8 << 20); /* the drivers' own frames (the models run on the kernel's) */
    for (int i = 0; i < n; i++) {
        std::string nm = "driver" + std::to_string(i);
        sc_spawn(
            [p, i, fn, ctx, &rc] {
                rc[(size_t)i] = fn(ctx, i, &p->views[i].be);
                if (--p->running == 0) sc_pause();
            },
            nm.c_str(), &opt);
    }
    while (p->running > 0) {
        sc_start();
        if (p->running > 0 && !sc_pending_activity()) {
            fprintf(stderr, "erg: SystemC platform: %d driver(s) wait on what cannot happen\n",
                    p->running);
            p->parallel = false;
            return -1; /* the waiting drivers stay blocked: the platform is spent */
        }
    }
    p->parallel = false;
    for (int i = 0; i < n; i++)
        if (rc[(size_t)i]) return -1;
    return 0;
}
