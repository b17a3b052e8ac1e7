/* test_systemc.cpp — the SystemC platform (sim/systemc, docs/systemc.md). Its own executable
 * with sc_main (libsystemc's main() calls it; a Criterion binary linked with libsystemc would
 * run no test), one case per process (SystemC has one global kernel):
 *
 *   test_systemc equiv CHIP NET [BACKEND]
 *                                 the net on the C model and on the SystemC platform (default
 *                                 systemc-ideal: an ideal memory system), 3 seeded random
 *                                 frames: scores and every layer's counters equal; with an
 *                                 ideal memory system every layer's platform time equals the
 *                                 C model's cycles (an RTL unit: the RTL's, at least those)
 *   test_systemc dram_bound       the fc layer of fmnist-int8 on amac8_lpddr.cfg: its stall
 *                                 cycles match the bandwidth equation derived below
 *   test_systemc pipeline         two MAC-array units as a 2-stage pipeline over 4 frames: the
 *                                 run takes C_A + 3 max(C_A, C_B) + C_B cycles, the slower
 *                                 stage's rate; outputs equal the sequential C model's
 *   test_systemc concurrent [B [CHIP]]
 *                                 the binary and the int8 Fashion-MNIST nets at once on the BNA
 *                                 and the MAC array of soc_bna_amac.cfg, one host CPU each:
 *                                 outputs and cycles as each alone on the C model; ideal memory:
 *                                 the run takes max(F C_bnn, F C_int8), the units overlap min()
 *
 * Prints one line per check and exits 1 on any failure. */
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "amac_run.h"
#include "chip.h"
#include "chip_run.h"
#include "erg_amac_driver.h"
#include "erg_rng.h"
#include "net.h"
#include "weights.h"
}
#include "sc_platform.h"

static int failures = 0;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok  " : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failures += !ok;
}

static std::string src(const char *rel) {
    return std::string(ERG_SRC_DIR) + "/" + rel;
}

static void die(const erg_error &e) {
    printf("FAIL %s\n", e.msg);
    exit(1);
}

/* ---- equiv ---- */

static std::vector<uint8_t> random_image(const erg_net &n, uint64_t seed) {
    std::vector<uint8_t> img((size_t)erg_shape_count(n.input));
    erg_rng r;
    erg_rng_seed(&r, seed);
    for (auto &b : img) b = (uint8_t)erg_rng_range(&r, 0, 255);
    return img;
}

/* The platform's layers of the last frame (the last `per` entries) against the counters. A
 * unit run as its RTL (`rtl`) takes the RTL's own time from the START's acknowledge to the
 * interrupt: the counted cycles plus the AMAC RTL's set-up (its descriptor checks and tiling
 * plan, uncounted: docs/rtl-amac.md) and a cycle, so there it is at least the counted cycles. */
static void check_ideal_timing(erg_backend *be, int frames, const std::vector<uint64_t> &cycles,
                               bool rtl) {
    const erg_sc_stats *s = erg_systemc_stats(be);
    check(s && s->ideal, "the platform has an ideal memory system");
    if (!s) return;
    int per = s->n_layers / frames;
    check(per == (int)cycles.size() && s->n_layers == per * frames,
          "%d starts per frame on the platform, %zu layers with cycles on the unit", per,
          cycles.size());
    uint64_t stall = 0;
    bool same = per == (int)cycles.size();
    std::string extras;
    for (int i = 0; i < s->n_layers; i++) {
        const erg_sc_layer &l = s->layers[i];
        stall += l.stall_cycles;
        same = same && l.end - l.start == l.model_cycles;
        if (i >= s->n_layers - per && per == (int)cycles.size()) {
            int64_t d =
                (int64_t)l.model_cycles - (int64_t)cycles[(size_t)(i - (s->n_layers - per))];
            same = same && (rtl ? d >= 0 : d == 0);
            extras += (extras.empty() ? "" : ", ") + std::to_string(d);
        }
    }
    check(same && stall == 0,
          "every layer takes %s the unit's counted cycles on the platform (stall %llu)",
          rtl ? "the RTL's own time, at least" : "exactly", (unsigned long long)stall);
    if (rtl)
        printf("     (the RTL's cycles beyond the counted ones, per start: %s)\n", extras.c_str());
}

static int case_equiv(const char *chip_rel, const char *net_rel, const char *backend) {
    erg_error e;
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    if (erg_chip_load(&chip, src(chip_rel).c_str(), &e) ||
        erg_net_load(&net, src(net_rel).c_str(), &e) || erg_weights_load(&wt, &net, &e))
        die(e);
    const int frames = 3;
    if (erg_chip_has_amac(&chip)) {
        erg_amac_runner a, b;
        if (erg_amac_runner_init(&a, &net, &wt, &chip, "cmodel", nullptr, 0, &e) ||
            erg_amac_runner_init(&b, &net, &wt, &chip, backend, nullptr, 0, &e))
            die(e);
        for (int f = 0; f < frames; f++) {
            auto img = random_image(net, 100 + (uint64_t)f);
            int ca = erg_amac_runner_run(&a, img.data(), &e);
            int cb = erg_amac_runner_run(&b, img.data(), &e);
            if (ca < 0 || cb < 0) die(e);
            bool same = ca == cb && a.n_scores == b.n_scores &&
                        !memcmp(a.scores, b.scores, sizeof *a.scores * (size_t)a.n_scores);
            for (int i = 0; i < net.n_layers; i++)
                same = same && !memcmp(&a.cnt[i], &b.cnt[i], sizeof a.cnt[i]);
            check(same, "%s frame %d: class %d, scores and every layer's 35 counters equal",
                  net.name, f, cb);
        }
        std::vector<uint64_t> cyc;
        for (int i = 0; i < net.n_layers; i++)
            if (b.l[i].where == ERG_AMAC_ON_UNIT) cyc.push_back(b.cnt[i].v[ERG_AMAC_CNT_cycles]);
        if (erg_systemc_stats(b.be)->ideal)
            check_ideal_timing(b.be, frames, cyc, chip.units[b.unit].sc_rtl);
    } else {
        erg_chip_runner a, b;
        if (erg_chip_runner_init(&a, &net, &wt, &chip, "cmodel", nullptr, &e) ||
            erg_chip_runner_init(&b, &net, &wt, &chip, backend, nullptr, &e))
            die(e);
        for (int f = 0; f < frames; f++) {
            auto img = random_image(net, 100 + (uint64_t)f);
            int ca = erg_chip_runner_run(&a, img.data(), &e);
            int cb = erg_chip_runner_run(&b, img.data(), &e);
            if (ca < 0 || cb < 0) die(e);
            bool same = ca == cb && a.n_scores == b.n_scores &&
                        !memcmp(a.scores, b.scores, sizeof *a.scores * (size_t)a.n_scores);
            for (int i = 0; i < net.n_layers; i++)
                same = same && !memcmp(&a.cnt[i], &b.cnt[i], sizeof a.cnt[i]);
            check(same, "%s frame %d: class %d, scores and every layer's counters equal", net.name,
                  f, cb);
        }
        /* the BNA may run a layer as several starts: compare the frame's sum */
        const erg_sc_stats *s = erg_systemc_stats(b.be);
        uint64_t unit = 0, plat = 0, stall = 0;
        for (int i = 0; i < net.n_layers; i++) unit += b.cnt[i].v[ERG_CNT_cycles];
        int per = s->n_layers / frames;
        for (int i = s->n_layers - per; i < s->n_layers; i++)
            plat += s->layers[i].end - s->layers[i].start, stall += s->layers[i].stall_cycles;
        /* an RTL unit (Verilator's SystemC output behind its port): the platform times a start
         * from the START write's acknowledge to the interrupt, the counted busy cycles + 1 */
        uint64_t hs = chip.units[0].sc_rtl ? (uint64_t)per : 0;
        check(s->ideal && plat == unit + hs && stall == 0,
              "the last frame's %d starts take %llu cycles on the platform, the counters say "
              "%llu%s",
              per, (unsigned long long)plat, (unsigned long long)unit,
              hs ? " (+ 1 cycle per start: the RTL's acknowledge to its interrupt)" : "");
    }
    return failures ? 1 : 0;
}

/* ---- dram_bound ---- */

/* fmnist-int8's fc layer on amac8_lpddr.cfg (its local memory is the platform's DRAM):
 *   DRAM traffic D = 1568 x 10 int8 weights (15,680) + the 1,568-byte input + 10 int32 biases
 *   (40) + 10 int32 scores written (40) = 17,328 bytes, in 1 KiB bursts: 16 of 1,024 and one of
 *   944. One burst outstanding; through the bus (8 B/cycle, 2 cycles latency, cut-through) to
 *   the DRAM (4 B/cycle, 50 cycles latency): a burst of s bytes takes
 *   2 + 50 + ceil(s / 4) cycles (the bus's ceil(s / 8) + 2 is shorter), so
 *   T = 16 x (52 + 256) + (52 + 236) = 5,216 cycles, and the layer waits
 *   stall = T - C = 5,216 - C for its C compute cycles (the model's own timing). */
static int case_dram_bound() {
    erg_error e;
    erg_chip chip;
    erg_net net;
    erg_weights wt;
    if (erg_chip_load(&chip, src("configs/chips/amac8_lpddr.cfg").c_str(), &e) ||
        erg_net_load(&net, src("configs/nets/fmnist_int8.cfg").c_str(), &e) ||
        erg_weights_load(&wt, &net, &e))
        die(e);
    erg_amac_runner r;
    if (erg_amac_runner_init(&r, &net, &wt, &chip, "systemc", nullptr, 0, &e)) die(e);
    auto img = random_image(net, 7);
    if (erg_amac_runner_run(&r, img.data(), &e) < 0) die(e);
    const erg_sc_stats *s = erg_systemc_stats(r.be);
    check(s && !s->ideal && s->n_layers == 3, "3 layers on the platform, a real DRAM");
    if (!s || s->n_layers != 3) return 1;
    const erg_sc_layer &fc = s->layers[2];
    int fci = net.n_layers - 1;
    uint64_t C = r.cnt[fci].v[ERG_AMAC_CNT_cycles];
    check(fc.dram_bytes == 17328, "fc moves %llu DRAM bytes (by hand: 17,328)",
          (unsigned long long)fc.dram_bytes);
    check(fc.model_cycles == C, "fc: the platform saw the model's %llu cycles",
          (unsigned long long)C);
    check(C < 5216 && fc.stall_cycles == 5216 - C,
          "fc stalls %llu cycles = 5,216 - %llu (the bandwidth equation)",
          (unsigned long long)fc.stall_cycles, (unsigned long long)C);
    check(fc.end - fc.start == 5216, "fc takes %llu cycles on the platform (5,216)",
          (unsigned long long)(fc.end - fc.start));
    return failures ? 1 : 0;
}

/* ---- pipeline ---- */

/* Stage A: a 3x3 'same' conv 12x12x8 -> 16 channels (requantized to uint8) on unit 0; stage
 * B: a dense 2,304 -> 10 layer (int32 scores) on unit 1, fed with A's output of the previous
 * frame. Frame f: start A(f) and B(f - 1), then wait for both: the stages overlap. */
struct Stage {
    erg_drv_amac_info u;
    erg_drv_amac_layer l;
    erg_drv_amac_sizes sz;
};

static void setup(erg_backend *be, uint64_t base, Stage &s, const erg_drv_amac_layer &l,
                  uint64_t seed) {
    erg_error e;
    if (erg_drv_amac_probe(&be->bus, base, &s.u, &e)) die(e);
    s.l = l;
    if (erg_drv_amac_layer_sizes(&s.l, &s.sz, &e)) die(e);
    uint32_t a = 0;
    auto place = [&](uint64_t bytes) {
        uint32_t at = a;
        a += (uint32_t)((bytes + 63) / 64 * 64);
        return at;
    };
    s.l.in_addr = place(s.sz.in);
    s.l.w_addr = place(s.sz.w);
    s.l.bias_addr = place(s.sz.bias);
    s.l.m0_addr = place(s.sz.m0);
    s.l.shift_addr = place(s.sz.shift);
    s.l.out_addr = place(s.sz.out);
    erg_rng r;
    erg_rng_seed(&r, seed);
    std::vector<uint8_t> w(s.sz.w);
    for (auto &b : w) b = (uint8_t)erg_rng_range(&r, 0, 255);
    if (erg_drv_amac_write(&be->bus, &s.u, s.l.w_addr, w.data(), w.size(), &e)) die(e);
    if (s.sz.bias) {
        std::vector<int32_t> v(s.sz.bias / 4);
        for (auto &x : v) x = (int32_t)erg_rng_range(&r, 0, 2000) - 1000;
        if (erg_drv_amac_write_i32(&be->bus, &s.u, s.l.bias_addr, v.data(), v.size(), &e)) die(e);
    }
    if (s.sz.m0) {
        std::vector<int32_t> m0(s.sz.m0 / 4, 1 << 30), sh(s.sz.shift / 4, 8);
        if (erg_drv_amac_write_i32(&be->bus, &s.u, s.l.m0_addr, m0.data(), m0.size(), &e) ||
            erg_drv_amac_write_i32(&be->bus, &s.u, s.l.shift_addr, sh.data(), sh.size(), &e))
            die(e);
    }
    erg_drv_amac_program(&be->bus, &s.u, &s.l);
}

/* Runs the pipeline on backend `name`: returns the scores of every frame and the stages'
 * cycles; `overlap` 0 runs the stages one after the other. */
static std::vector<int32_t> run_pipeline(const char *name, const erg_chip &chip, int frames,
                                         int overlap, uint64_t *ca, uint64_t *cb,
                                         erg_backend **out_be) {
    erg_error e;
    erg_backend *be = erg_backend_create(name, &chip, nullptr, &e);
    if (!be) die(e);
    Stage A, B;
    erg_drv_amac_layer la = {};
    la.kind = ERG_AMAC_KIND_CONV, la.in_h = 12, la.in_w = 12, la.in_c = 8, la.out_c = 16;
    la.k_h = 3, la.k_w = 3, la.stride = 1, la.pad = ERG_AMAC_PAD_SAME;
    la.flags = ERG_AMAC_L_FLAGS_BIAS | ERG_AMAC_L_FLAGS_REQUANT;
    erg_drv_amac_layer lb = {};
    lb.kind = ERG_AMAC_KIND_DENSE, lb.in_h = 1, lb.in_w = 1, lb.in_c = 12 * 12 * 16, lb.out_c = 10;
    lb.flags = ERG_AMAC_L_FLAGS_BIAS;
    setup(be, chip.units[0].base, A, la, 1);
    setup(be, chip.units[1].base, B, lb, 2);
    std::vector<int32_t> scores;
    std::vector<uint8_t> mid(A.sz.out);
    const uint64_t T = 100000000;
    for (int f = 0; f <= frames; f++) {
        bool a_on = f<frames, b_on = f> 0;
        if (a_on) {
            std::vector<uint8_t> img(A.sz.in);
            erg_rng r;
            erg_rng_seed(&r, 1000 + (uint64_t)f);
            for (auto &x : img) x = (uint8_t)erg_rng_range(&r, 0, 255);
            if (erg_drv_amac_write(&be->bus, &A.u, A.l.in_addr, img.data(), img.size(), &e)) die(e);
        }
        if (b_on && erg_drv_amac_write(&be->bus, &B.u, B.l.in_addr, mid.data(), mid.size(), &e))
            die(e);
        if (a_on) erg_drv_amac_start(&be->bus, &A.u, 1);
        if (a_on && !overlap && erg_drv_amac_wait(&be->bus, &A.u, T, &e)) die(e);
        if (b_on) erg_drv_amac_start(&be->bus, &B.u, 1);
        if (a_on && overlap && erg_drv_amac_wait(&be->bus, &A.u, T, &e)) die(e);
        if (b_on && erg_drv_amac_wait(&be->bus, &B.u, T, &e)) die(e);
        erg_drv_amac_counters c;
        if (a_on) {
            erg_drv_amac_read_counters(&be->bus, &A.u, &c);
            *ca = c.v[ERG_AMAC_CNT_cycles];
            if (erg_drv_amac_read(&be->bus, &A.u, A.l.out_addr, mid.data(), mid.size(), &e)) die(e);
        }
        if (b_on) {
            erg_drv_amac_read_counters(&be->bus, &B.u, &c);
            *cb = c.v[ERG_AMAC_CNT_cycles];
            std::vector<int32_t> s(10);
            if (erg_drv_amac_read_i32(&be->bus, &B.u, B.l.out_addr, s.data(), s.size(), &e)) die(e);
            scores.insert(scores.end(), s.begin(), s.end());
        }
        /* note: A's next input is written only after B has read `mid` (sequential host) */
    }
    *out_be = be;
    return scores;
}

static int case_pipeline() {
    erg_error e;
    erg_chip chip;
    if (erg_chip_load(&chip, src("tests/data/chips/amac_pipeline.cfg").c_str(), &e)) die(e);
    const int F = 4;
    uint64_t ca0, cb0, ca, cb;
    erg_backend *ref, *be;
    auto want = run_pipeline("cmodel", chip, F, 0, &ca0, &cb0, &ref);
    auto got = run_pipeline("systemc-ideal", chip, F, 1, &ca, &cb, &be);
    check(want == got && got.size() == 10 * F,
          "the pipeline's %d x 10 scores equal the "
          "sequential C model's",
          F);
    check(ca == ca0 && cb == cb0, "stage cycles C_A = %llu, C_B = %llu (as the C model's)",
          (unsigned long long)ca, (unsigned long long)cb);
    const erg_sc_stats *s = erg_systemc_stats(be);
    /* with an ideal memory system the host's accesses take no time: the run is the first A,
     * F - 1 overlapped steps at the slower stage's pace, and the last B */
    uint64_t slow = ca > cb ? ca : cb, want_t = ca + (F - 1) * slow + cb;
    check(s->now == want_t,
          "the run takes %llu cycles = C_A + %d max(C_A, C_B) + C_B = %llu (throughput of the "
          "slower stage, %s)",
          (unsigned long long)s->now, F - 1, (unsigned long long)want_t, ca > cb ? "A" : "B");
    uint64_t busy_a = 0, busy_b = 0, overlap = 0;
    for (int i = 0; i < s->n_layers; i++) {
        const erg_sc_layer &l = s->layers[i];
        (l.unit == 0 ? busy_a : busy_b) += l.end - l.start;
        for (int j = 0; j < s->n_layers; j++) {
            const erg_sc_layer &m = s->layers[j];
            if (l.unit == 0 && m.unit == 1) {
                uint64_t lo = l.start > m.start ? l.start : m.start,
                         hi = l.end < m.end ? l.end : m.end;
                if (hi > lo) overlap += hi - lo;
            }
        }
    }
    check(overlap == (F - 1) * (ca < cb ? ca : cb),
          "the stages overlap %llu cycles = %d x min(C_A, C_B); utilization A %.1f %%, B %.1f %%",
          (unsigned long long)overlap, F - 1, 100.0 * (double)busy_a / (double)s->now,
          100.0 * (double)busy_b / (double)s->now);
    return failures ? 1 : 0;
}

/* ---- concurrent ---- */

/* The binary Fashion-MNIST net on the BNA and the int8 one on the MAC array of
 * soc_bna_amac.cfg, each driven by its own host CPU (erg_systemc_parallel), F frames each. */
struct Tenant {
    erg_net net;
    erg_weights wt;
    bool amac;
    erg_chip_runner cr;
    erg_amac_runner ar;
    std::vector<int> cls;
    uint64_t frame_cycles = 0; /* the unit's cycles per frame (the last frame's counters) */
    int unit = -1;
    erg_error e;
    int run(const uint8_t *img) {
        return amac ? erg_amac_runner_run(&ar, img, &e) : erg_chip_runner_run(&cr, img, &e);
    }
    void init(const erg_chip &chip, erg_backend *be) {
        if (amac ? erg_amac_runner_init_on(&ar, &net, &wt, &chip, be, 0, &e)
                 : erg_chip_runner_init_on(&cr, &net, &wt, &chip, be, &e))
            die(e);
        unit = amac ? ar.unit : cr.map.unit;
    }
    uint64_t counted() const {
        uint64_t c = 0;
        for (int i = 0; i < net.n_layers; i++)
            c += amac ? ar.cnt[i].v[ERG_AMAC_CNT_cycles] : cr.cnt[i].v[ERG_CNT_cycles];
        return c;
    }
    const int64_t *scores() const { return amac ? ar.scores : cr.scores; }
    int n_scores() const { return amac ? ar.n_scores : cr.n_scores; }
};

struct Concurrent {
    Tenant t[2];
    std::vector<std::vector<uint8_t>> img;
};

static int tenant_frames(void *ctx, int i, erg_backend *) {
    Concurrent *c = static_cast<Concurrent *>(ctx);
    for (auto &im : c->img) {
        int k = c->t[i].run(im.data());
        if (k < 0) return -1;
        c->t[i].cls.push_back(k);
    }
    return 0;
}

static int case_concurrent(const char *backend, const char *chip_rel) {
    erg_error e;
    erg_chip chip;
    if (erg_chip_load(&chip, src(chip_rel).c_str(), &e)) die(e);
    bool rtl = chip.units[0].sc_rtl || chip.units[1].sc_rtl;
    const char *nets[2] = {"configs/nets/fmnist_bnn.cfg", "configs/nets/fmnist_int8.cfg"};
    Concurrent ref, got;
    const int F = 3;
    for (Concurrent *c : {&ref, &got})
        for (int i = 0; i < 2; i++) {
            Tenant &t = c->t[i];
            if (erg_net_load(&t.net, src(nets[i]).c_str(), &e) ||
                erg_weights_load(&t.wt, &t.net, &e))
                die(e);
            t.amac = !erg_net_is_binary(&t.net);
            for (int f = 0; f < F && i == 0; f++)
                c->img.push_back(random_image(t.net, 500 + (uint64_t)f));
        }
    /* reference: each net alone on the chip's C models, one after the other */
    for (int i = 0; i < 2; i++) {
        ref.t[i].init(chip, erg_backend_create("cmodel", &chip, nullptr, &e));
        if (tenant_frames(&ref, i, nullptr)) die(ref.t[i].e);
        ref.t[i].frame_cycles = ref.t[i].counted();
    }
    erg_backend *be = erg_backend_create(backend, &chip, nullptr, &e);
    if (!be) die(e);
    for (int i = 0; i < 2; i++) {
        got.t[i].init(chip, erg_systemc_host(be, i, -1));
        erg_systemc_host(be, i, got.t[i].unit);
    }
    check(got.t[0].unit != got.t[1].unit, "the nets run on units %d and %d", got.t[0].unit,
          got.t[1].unit);
    erg_sc_stats s0 = *erg_systemc_stats(be);
    if (erg_systemc_parallel(be, 2, tenant_frames, &got))
        die(got.t[0].cls.size() < (size_t)F ? got.t[0].e : got.t[1].e);
    const erg_sc_stats *s = erg_systemc_stats(be);
    for (int i = 0; i < 2; i++) {
        const Tenant &a = ref.t[i], &b = got.t[i];
        bool same = a.cls == b.cls && a.n_scores() == b.n_scores();
        for (int k = 0; same && k < a.n_scores(); k++) same = a.scores()[k] == b.scores()[k];
        check(same && b.counted() == a.frame_cycles,
              "net %s: %d frames' classes, the last scores and cycles (%llu per frame) equal "
              "the net's run alone on the C model",
              a.net.name, F, (unsigned long long)a.frame_cycles);
    }
    uint64_t busy[2] = {0, 0}, stall[2] = {0, 0}, overlap = 0;
    for (int k = 0; k < s->n_layers; k++) {
        const erg_sc_layer &l = s->layers[k];
        if (l.end <= s0.now) continue;
        for (int i = 0; i < 2; i++)
            if (l.unit == got.t[i].unit) busy[i] += l.end - l.start, stall[i] += l.stall_cycles;
        for (int j = 0; j < s->n_layers; j++) {
            const erg_sc_layer &m = s->layers[j];
            if (l.unit == got.t[0].unit && m.unit == got.t[1].unit && m.end > s0.now) {
                uint64_t lo = l.start > m.start ? l.start : m.start,
                         hi = l.end < m.end ? l.end : m.end;
                if (hi > lo) overlap += hi - lo;
            }
        }
    }
    uint64_t A = F * ref.t[0].frame_cycles, B = F * ref.t[1].frame_cycles, run = s->now - s0.now;
    if (rtl) {
        /* RTL units take their own time, set-up included: at least the counted cycles */
        check(run >= (A > B ? A : B) && busy[0] >= A && busy[1] >= B && overlap > 0,
              "the run takes %llu cycles >= max(F C_bnn, F C_int8) = max(%llu, %llu); the RTL "
              "units overlap %llu cycles",
              (unsigned long long)run, (unsigned long long)A, (unsigned long long)B,
              (unsigned long long)overlap);
    } else if (s->ideal) {
        /* host work and DMA take no time: each CPU keeps its unit busy back to back, so the run
         * is the slower net's F x C and the units overlap for the faster one's */
        check(run == (A > B ? A : B) && busy[0] == A && busy[1] == B,
              "the run takes %llu cycles = max(F C_bnn, F C_int8) = max(%llu, %llu)",
              (unsigned long long)run, (unsigned long long)A, (unsigned long long)B);
        check(overlap == (A < B ? A : B), "the units overlap %llu cycles = min(F C_bnn, F C_int8)",
              (unsigned long long)overlap);
    } else {
        /* a real DRAM: the int8 net's streaming waits for the DRAM, which the BNA's CPU's DMA
         * also uses; at least the stalls of the int8 net's frames alone (dram_bound: 884 per
         * frame on amac8_lpddr.cfg, whose unit this is) */
        check(stall[1] >= (uint64_t)F * 884 && run > B && overlap > 0,
              "the int8 net stalls %llu cycles over %d frames (>= %d x 884 alone), the run takes "
              "%llu cycles (> F C_int8 = %llu), the units overlap %llu cycles",
              (unsigned long long)stall[1], F, F, (unsigned long long)run, (unsigned long long)B,
              (unsigned long long)overlap);
    }
    return failures ? 1 : 0;
}

extern "C" int sc_main(int argc, char **argv) {
    erg_systemc_install();
    if (argc >= 4 && !strcmp(argv[1], "equiv"))
        return case_equiv(argv[2], argv[3], argc >= 5 ? argv[4] : "systemc-ideal");
    if (argc >= 2 && !strcmp(argv[1], "dram_bound")) return case_dram_bound();
    if (argc >= 2 && !strcmp(argv[1], "pipeline")) return case_pipeline();
    if (argc >= 2 && !strcmp(argv[1], "concurrent"))
        return case_concurrent(argc >= 3 ? argv[2] : "systemc-ideal",
                               argc >= 4 ? argv[3] : "configs/chips/soc_bna_amac.cfg");
    fprintf(stderr,
            "usage: test_systemc equiv CHIP NET [BACKEND] | dram_bound | pipeline | concurrent "
            "[BACKEND [CHIP]]\n");
    return 2;
}
