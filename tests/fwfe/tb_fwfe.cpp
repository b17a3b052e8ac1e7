// tb_fwfe.cpp — lockstep testbench of a generated FWFE chain (erg gen fwfe, docs/fwfe.md "Cosim"):
// feeds each frame of an `erg gen fwfe --vectors` file into the Verilated top (class Vtop, built
// with `verilator --prefix Vtop`) one beat per cycle from cycle 0 and checks, cycle by cycle,
// that out_valid rises exactly in the C model's output cycles and that every output pixel
// equals the C model's (which `erg gen` has checked against the golden kernels).
//
// usage: tb_fwfe VECTORS [MAX_REPORTS]     exit 0 all equal, 1 mismatch, 2 bad vectors
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vtop.h"
#include "verilated.h"

namespace {

// A pixel of nbytes channels (channel c in bits 8c+7 ... 8c) into / out of a port of any width.
template <typename T>
void put_pixel(T &sig, const uint8_t *b, int nbytes) {
    uint64_t v = 0;
    for (int i = nbytes - 1; i >= 0; i--) v = (v << 8) | b[i];
    sig = static_cast<T>(v);
}
template <std::size_t W>
void put_pixel(VlWide<W> &sig, const uint8_t *b, int nbytes) {
    for (std::size_t w = 0; w < W; w++) {
        uint32_t x = 0;
        for (int k = 0; k < 4; k++) {
            int i = static_cast<int>(w) * 4 + k;
            if (i < nbytes) x |= static_cast<uint32_t>(b[i]) << (8 * k);
        }
        sig.at(w) = x;
    }
}
template <typename T>
void get_pixel(const T &sig, uint8_t *b, int nbytes) {
    uint64_t v = static_cast<uint64_t>(sig);
    for (int i = 0; i < nbytes; i++, v >>= 8) b[i] = static_cast<uint8_t>(v & 0xff);
}
template <std::size_t W>
void get_pixel(const VlWide<W> &sig, uint8_t *b, int nbytes) {
    for (int i = 0; i < nbytes; i++)
        b[i] =
            static_cast<uint8_t>((sig.at(static_cast<std::size_t>(i / 4)) >> (8 * (i % 4))) & 0xff);
}

struct Vectors {
    int hp = 0, wp = 0, in_c = 0, out_h = 0, out_w = 0, out_c = 0, frames = 0;
    uint64_t cycles = 0, period = 0; // period: version 2, the back-to-back stream
    std::vector<std::vector<uint8_t>> grid, out;
    std::vector<std::vector<uint64_t>> at, stream_at; // stream_at: absolute cycles (version 2)
};

bool expect(std::istream &in, const char *word) {
    std::string w;
    if (!(in >> w) || w != word) {
        std::fprintf(stderr, "tb_fwfe: vectors: expected '%s', found '%s'\n", word, w.c_str());
        return false;
    }
    return true;
}

bool read_vectors(const char *path, Vectors &v) {
    std::ifstream f(path);
    if (!f) {
        std::fprintf(stderr, "tb_fwfe: cannot read %s\n", path);
        return false;
    }
    std::stringstream body;
    std::string line;
    while (std::getline(f, line))
        if (line.empty() || line[0] != '#') body << line << '\n';
    int version = 0;
    if (!expect(body, "erg_fwfe_vectors") || !(body >> version) || (version != 1 && version != 2))
        return false;
    if (!expect(body, "grid") || !(body >> v.hp >> v.wp >> v.in_c)) return false;
    if (!expect(body, "out") || !(body >> v.out_h >> v.out_w >> v.out_c)) return false;
    if (!expect(body, "cycles") || !(body >> v.cycles)) return false;
    if (!expect(body, "frames") || !(body >> v.frames)) return false;
    if (version == 2 && (!expect(body, "period") || !(body >> v.period) || v.period < 1))
        return false;
    if (v.hp < 1 || v.wp < 1 || v.in_c < 1 || v.out_h < 1 || v.out_w < 1 || v.out_c < 1 ||
        v.frames < 1) {
        std::fprintf(stderr, "tb_fwfe: vectors: empty shape or no frames\n");
        return false;
    }
    const std::size_t n_grid = static_cast<std::size_t>(v.hp) * v.wp * v.in_c;
    const std::size_t n_pix = static_cast<std::size_t>(v.out_h) * v.out_w;
    for (int k = 0; k < v.frames; k++) {
        int idx = -1;
        if (!expect(body, "frame") || !(body >> idx) || idx != k) {
            std::fprintf(stderr, "tb_fwfe: vectors: frame %d missing\n", k);
            return false;
        }
        std::vector<uint8_t> g(n_grid), o(n_pix * v.out_c);
        std::vector<uint64_t> a(n_pix);
        for (auto &x : g) {
            unsigned u;
            if (!(body >> u) || u > 255) return false;
            x = static_cast<uint8_t>(u);
        }
        for (auto &x : o) {
            unsigned u;
            if (!(body >> u) || u > 255) return false;
            x = static_cast<uint8_t>(u);
        }
        for (auto &x : a)
            if (!(body >> x)) return false;
        v.grid.push_back(std::move(g));
        v.out.push_back(std::move(o));
        v.at.push_back(std::move(a));
    }
    if (version == 2) {
        if (!expect(body, "stream")) return false;
        for (int k = 0; k < v.frames; k++) {
            std::vector<uint64_t> a(n_pix);
            for (auto &x : a)
                if (!(body >> x)) return false;
            v.stream_at.push_back(std::move(a));
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: tb_fwfe VECTORS [MAX_REPORTS]\n");
        return 2;
    }
    int max_reports = argc > 2 ? std::atoi(argv[2]) : 10;
    Vectors v;
    if (!read_vectors(argv[1], v)) {
        std::fprintf(stderr, "tb_fwfe: %s: malformed vectors\n", argv[1]);
        return 2;
    }
    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vtop>(ctx.get(), "top");
    const int in_bytes = v.in_c, out_bytes = v.out_c;
    std::vector<uint8_t> got(static_cast<std::size_t>(out_bytes));
    const std::size_t n_pix = static_cast<std::size_t>(v.out_h) * v.out_w;
    const uint64_t n_beats = static_cast<uint64_t>(v.hp) * v.wp;
    const uint64_t limit = v.cycles + 64; // beyond the frame: no output may follow
    long long bad = 0, checked = 0;
    auto report = [&](const char *fmt, auto... args) {
        if (bad++ < max_reports) {
            std::fprintf(stderr, fmt, args...);
            std::fputc('\n', stderr);
        }
    };
    auto tick = [&]() {
        top->clk = 0;
        top->eval();
        top->clk = 1;
        top->eval();
    };
    for (int k = 0; k < v.frames; k++) {
        // each frame on its own first (a reset before it); back to back below
        top->rst = 1;
        top->in_valid = 0;
        tick();
        tick();
        top->rst = 0;
        std::size_t next = 0; // next expected output pixel
        for (uint64_t t = 0; t < limit; t++) {
            top->in_valid = t < n_beats;
            if (t < n_beats) put_pixel(top->in_pixel, &v.grid[k][t * in_bytes], in_bytes);
            top->clk = 0;
            top->eval(); // the outputs of cycle t
            if (top->out_valid) {
                if (next >= n_pix) {
                    report("FAIL frame %d: extra output in cycle %llu (all %zu pixels done)", k,
                           static_cast<unsigned long long>(t), n_pix);
                } else {
                    std::size_t p = next++;
                    int oh = static_cast<int>(p / v.out_w), ow = static_cast<int>(p % v.out_w);
                    if (v.at[k][p] != t)
                        report("FAIL frame %d: output (%d, %d) in cycle %llu, C model cycle %llu",
                               k, oh, ow, static_cast<unsigned long long>(t),
                               static_cast<unsigned long long>(v.at[k][p]));
                    get_pixel(top->out_pixel, got.data(), out_bytes);
                    for (int c = 0; c < out_bytes; c++) {
                        checked++;
                        uint8_t want = v.out[k][p * out_bytes + c];
                        if (got[c] != want)
                            report("FAIL frame %d: output (%d, %d) channel %d cycle %llu: RTL %u, "
                                   "C model %u",
                                   k, oh, ow, c, static_cast<unsigned long long>(t), got[c], want);
                    }
                }
            } else if (next < n_pix && v.at[k][next] == t) {
                report("FAIL frame %d: no output in cycle %llu, C model has output (%zu, %zu)", k,
                       static_cast<unsigned long long>(t), next / v.out_w, next % v.out_w);
            }
            top->clk = 1;
            top->eval();
        }
        if (next < n_pix)
            report("FAIL frame %d: %zu of %zu output pixels by cycle %llu", k, next, n_pix,
                   static_cast<unsigned long long>(limit));
    }
    // back to back (version 2): one reset, frame k's beat b in cycle k * period + b, every output
    // in the C model's cycle of the stream and with the frame's pixels
    long long stream_frames = 0;
    if (v.period) {
        top->rst = 1;
        top->in_valid = 0;
        tick();
        tick();
        top->rst = 0;
        const uint64_t end = (v.frames - 1) * v.period + v.cycles + 64;
        std::size_t next = 0, total = n_pix * v.frames; // next expected output of the stream
        for (uint64_t t = 0; t < end; t++) {
            uint64_t k = t / v.period, b = t % v.period;
            top->in_valid = k < static_cast<uint64_t>(v.frames) && b < n_beats;
            if (top->in_valid) put_pixel(top->in_pixel, &v.grid[k][b * in_bytes], in_bytes);
            top->clk = 0;
            top->eval();
            int fk = static_cast<int>(next / n_pix);
            std::size_t p = next % n_pix;
            if (top->out_valid) {
                if (next >= total) {
                    report("FAIL stream: extra output in cycle %llu",
                           static_cast<unsigned long long>(t));
                } else {
                    next++;
                    if (v.stream_at[fk][p] != t)
                        report("FAIL stream frame %d: output (%zu, %zu) in cycle %llu, C model "
                               "cycle %llu",
                               fk, p / v.out_w, p % v.out_w, static_cast<unsigned long long>(t),
                               static_cast<unsigned long long>(v.stream_at[fk][p]));
                    get_pixel(top->out_pixel, got.data(), out_bytes);
                    for (int c = 0; c < out_bytes; c++) {
                        checked++;
                        if (got[c] != v.out[fk][p * out_bytes + c])
                            report("FAIL stream frame %d: output (%zu, %zu) channel %d cycle %llu: "
                                   "RTL %u, C model %u",
                                   fk, p / v.out_w, p % v.out_w, c,
                                   static_cast<unsigned long long>(t), got[c],
                                   v.out[fk][p * out_bytes + c]);
                    }
                }
            } else if (next < total && v.stream_at[fk][p] == t) {
                report(
                    "FAIL stream frame %d: no output in cycle %llu, C model has output (%zu, %zu)",
                    fk, static_cast<unsigned long long>(t), p / v.out_w, p % v.out_w);
            }
            top->clk = 1;
            top->eval();
        }
        if (next < total)
            report("FAIL stream: %zu of %zu output pixels by cycle %llu", next, total,
                   static_cast<unsigned long long>(end));
        stream_frames = v.frames;
    }
    top->final();
    if (bad) {
        std::printf("tb_fwfe: FAIL: %lld mismatches in %d frames (%lld channel values checked)\n",
                    bad, v.frames, checked);
        return 1;
    }
    std::printf("tb_fwfe: PASS: %d frames x %zu pixels x %d channels (%lld values) and every "
                "output cycle equal the C model; %llu cycles/frame",
                v.frames, n_pix, v.out_c, checked, static_cast<unsigned long long>(v.cycles));
    if (stream_frames)
        std::printf("; and back to back, one frame every %llu cycles",
                    static_cast<unsigned long long>(v.period));
    std::printf("\n");
    return 0;
}
