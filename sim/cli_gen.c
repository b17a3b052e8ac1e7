/* cli_gen.c — `erg gen`: hardware generators. `erg gen fwfe` hard-wires a net's front layers as a
 * fixed-weight feature extractor (docs/fwfe.md): Verilog with every weight a constant, a
 * per-layer summary of its adders and timing, and optionally cosim test vectors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cli.h"
#include "erg_fwfe.h"
#include "erg_fwfe_ppa.h"
#include "fwfe_net.h"
#include "net.h"
#include "outfile.h"
#include "weights.h"

static const char GEN_HELP[] =
    "usage: erg gen GENERATOR [options]\n"
    "\n"
    "Hardware generators. GENERATOR is:\n"
    "  fwfe   a fixed-weight feature extractor from a net's front layers (erg gen fwfe --help)\n";

static const char FWFE_HELP[] =
    "usage: erg gen fwfe --net NET.cfg --layers FIRST..LAST --out-dir DIR [--prefix P]\n"
    "                    [--acc-bits N] [--tree binary|csa] [--vectors FILE [--frames N]\n"
    "                    [--seed N]]\n"
    "                    [--ppa [--format table|csv|json]] [--quiet]\n"
    "\n"
    "Hard-wires layers FIRST ... LAST of a network as a fixed-weight feature extractor (FixyNN /\n"
    "DeepFreeze class, docs/fwfe.md): every trained weight becomes a constant, each non-zero\n"
    "canonical-signed-digit of it one shifted copy of its activation, each output channel one\n"
    "pipelined adder tree, with line buffers, requantization and ReLU; one output pixel per cycle\n"
    "per layer. Writes synthesizable Verilog into DIR (P_l0.v ... P_l<n-1>.v, one module per\n"
    "layer, and P_top.v with ports clk, rst, in_valid, in_pixel, out_valid, out_pixel) and prints\n"
    "per layer the non-zero weights, CSD digits, adders, tree depth, latency and output cycles,\n"
    "and the cycles of a frame. The same weights give byte-identical files. DIR is created if it\n"
    "does not exist; the files are written into a temporary folder and renamed into place, so an\n"
    "error leaves nothing half-written.\n"
    "\n"
    "options:\n"
    "  --net FILE         network config with trained (or seeded random) weights\n"
    "  --layers RANGE     FIRST..LAST or a single LAYER; each a layer name or its 1-based index\n"
    "                     as `erg info` lists them (conv1..conv2, 1..3, conv1). Every layer in\n"
    "                     the range must be an int8 conv2d or depthwise layer with activation\n"
    "                     \"relu\" and exact products; others are rejected, named\n"
    "  --out-dir DIR      where the Verilog goes (keep it in the build tree, never in git)\n"
    "  --prefix P         module and file prefix, a Verilog identifier (default fwfe)\n"
    "  --acc-bits N       widest adder allowed, 2 ... 32 bits (default 32, the int32\n"
    "                     accumulator); a layer whose sums need more is rejected\n"
    "  --tree T           the adder trees: binary (default: balanced two-input carry-propagate\n"
    "                     adders, the fewest levels) or csa (carry-save: 3:2 compressors at the\n"
    "                     accumulator's width, then one carry-propagate adder; more, shallower\n"
    "                     levels); docs/fwfe.md. Applies to the Verilog, --vectors and --ppa\n"
    "  --vectors FILE     also write cosim test vectors: --frames seeded random inputs (default\n"
    "                     4, from --seed, default 1) as the first layer's padded input grid, the\n"
    "                     C model's output pixels and the cycle of every output; each frame's\n"
    "                     C-model output is checked against the golden int8 kernels first\n"
    "  --ppa              also print per layer the DeepFreeze-style analytic estimate\n"
    "                     (docs/fwfe.md \"PPA\"; REFERENCES.md constants, 16 nm class, 810 MHz):\n"
    "                     non-zero weights, multiplier bits, storage bits, area, power, energy\n"
    "                     per frame and TOPS/W, and the totals\n"
    "  --format F         the --ppa output as table (default, after the summary), csv or json\n"
    "                     (then stdout holds only the estimate)\n"
    "  --quiet            no summary (the --ppa estimate is still printed)\n"
    "\n"
    "Exit status: 0 ok, 1 the C model differs from golden (--vectors), 2 bad input or a layer\n"
    "that cannot be fixed.\n"
    "\n"
    "examples:\n"
    "  erg gen fwfe --net configs/nets/fmnist_int8.cfg --layers conv1 --out-dir build/fwfe\n"
    "  erg gen fwfe --net configs/nets/mobilenet025_front.cfg --layers conv1..pw3 \\\n"
    "      --out-dir build/mnv1 --prefix mnv1 --vectors build/mnv1/vectors.txt --frames 8\n";

#define CMD "gen fwfe"

typedef struct gen_opts {
    const char *net, *layers, *out_dir, *prefix, *vectors, *format;
    long long acc_bits, frames, seed;
    int tree; /* ERG_FWFE_TREE_* */
    int quiet, ppa;
} gen_opts;

static int parse_count(const char *opt, const char *v, long long lo, long long hi, long long *out) {
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno || x < lo || x > hi)
        return usage_error(CMD, "%s expects an integer %lld ... %lld, found '%s'", opt, lo, hi, v);
    *out = x;
    return 0;
}

static int parse_gen_opts(int argc, char **argv, gen_opts *o) {
    static const char *const VALUED[] = {"--net",      "--layers", "--out-dir", "--prefix",
                                         "--acc-bits", "--tree",   "--vectors", "--frames",
                                         "--seed",     "--format"};
    static const char *const ALL[] = {"--net",  "--layers",  "--out-dir", "--prefix", "--acc-bits",
                                      "--tree", "--vectors", "--frames",  "--seed",   "--format",
                                      "--ppa",  "--quiet",   "--help"};
    memset(o, 0, sizeof *o);
    o->prefix = "fwfe";
    o->frames = 4;
    o->seed = 1;
    int have_frames = 0, have_seed = 0;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        if (strcmp(a, "--ppa") == 0) {
            o->ppa = 1;
            continue;
        }
        int valued = 0;
        for (size_t k = 0; k < sizeof VALUED / sizeof *VALUED; k++) valued |= !strcmp(a, VALUED[k]);
        if (!valued) {
            if (a[0] != '-') return usage_error(CMD, "unexpected argument '%s'", a);
            const char *near = erg_nearest(a, ALL, (int)(sizeof ALL / sizeof *ALL));
            if (near) return usage_error(CMD, "unknown option %s (did you mean %s?)", a, near);
            return usage_error(CMD, "unknown option %s", a);
        }
        if (i + 1 >= argc) return usage_error(CMD, "%s needs a value", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--net"))
            o->net = v;
        else if (!strcmp(a, "--layers"))
            o->layers = v;
        else if (!strcmp(a, "--out-dir"))
            o->out_dir = v;
        else if (!strcmp(a, "--prefix"))
            o->prefix = v;
        else if (!strcmp(a, "--vectors"))
            o->vectors = v;
        else if (!strcmp(a, "--format"))
            o->format = v;
        else if (!strcmp(a, "--tree")) {
            o->tree = erg_fwfe_tree_parse(v);
            if (o->tree < 0) {
                const char *names[ERG_FWFE_TREE_STYLES];
                for (int k = 0; k < ERG_FWFE_TREE_STYLES; k++) names[k] = erg_fwfe_tree_name(k);
                const char *near = erg_nearest(v, names, ERG_FWFE_TREE_STYLES);
                if (near)
                    return usage_error(CMD,
                                       "--tree expects binary or csa, found '%s' (did you mean "
                                       "'%s'?)",
                                       v, near);
                return usage_error(CMD, "--tree expects binary or csa, found '%s'", v);
            }
        } else if (!strcmp(a, "--acc-bits")) {
            if (parse_count(a, v, 2, ERG_FWFE_MAX_ACC_BITS, &o->acc_bits)) return EXIT_BAD_INPUT;
        } else if (!strcmp(a, "--frames")) {
            if (parse_count(a, v, 1, 100000, &o->frames)) return EXIT_BAD_INPUT;
            have_frames = 1;
        } else if (!strcmp(a, "--seed")) {
            if (parse_count(a, v, 0, 0x7fffffffffffffffLL, &o->seed)) return EXIT_BAD_INPUT;
            have_seed = 1;
        }
    }
    if (!o->net) return usage_error(CMD, "--net NET.cfg is required");
    if (!o->layers) return usage_error(CMD, "--layers FIRST..LAST is required");
    if (!o->out_dir || !*o->out_dir) return usage_error(CMD, "--out-dir DIR is required");
    if ((have_frames || have_seed) && !o->vectors)
        return usage_error(CMD, "--frames and --seed apply to --vectors FILE only");
    if (o->format) {
        if (strcmp(o->format, "table") && strcmp(o->format, "csv") && strcmp(o->format, "json"))
            return usage_error(CMD, "--format expects table, csv or json, found '%s'", o->format);
        if (!o->ppa) return usage_error(CMD, "--format applies to --ppa only");
    }
    const char *p = o->prefix;
    int ok = *p && strlen(p) <= 64 && !(*p >= '0' && *p <= '9');
    for (; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '_';
    if (!ok)
        return usage_error(CMD,
                           "--prefix expects a Verilog identifier (letters, digits, _; not "
                           "starting with a digit; at most 64), found '%s'",
                           o->prefix);
    return 0;
}

/* ---- writing the Verilog atomically ---- */

static void file_name(char *buf, size_t n, const char *prefix, int i, int n_layers) {
    if (i < n_layers)
        snprintf(buf, n, "%s_l%d.v", prefix, i);
    else
        snprintf(buf, n, "%s_top.v", prefix);
}

/* Removes the generated files (and leftovers of erg_fwfe_write_verilog) from tmp, then tmp. */
static void remove_tmp_dir(const char *tmp, const char *prefix, int n_layers) {
    char path[4400], name[128];
    for (int i = 0; i <= n_layers; i++) {
        file_name(name, sizeof name, prefix, i, n_layers);
        snprintf(path, sizeof path, "%s/%s", tmp, name);
        unlink(path);
        snprintf(path, sizeof path, "%s/%s.tmp.%d", tmp, name, i);
        unlink(path);
    }
    rmdir(tmp);
}

/* All modules into a fresh temporary folder next to dir, then into dir: the folder renamed to
 * dir when dir does not exist yet, else file by file. */
static int write_verilog_atomic(const erg_fwfe *f, const char *dir_arg, const char *prefix,
                                erg_error *e) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", dir_arg);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') dir[--len] = 0;
    struct stat st;
    int exists = stat(dir, &st) == 0;
    if (exists && !S_ISDIR(st.st_mode))
        return erg_fail(e, "--out-dir %s exists and is not a folder", dir);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", dir);
    if (!mkdtemp(tmp))
        return erg_fail(e, "--out-dir %s: cannot create a folder next to it: %s", dir,
                        strerror(errno));
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0777 & ~mask);
    int n = erg_fwfe_layer_count(f);
    if (erg_fwfe_write_verilog(f, tmp, prefix, e)) {
        remove_tmp_dir(tmp, prefix, n);
        return -1;
    }
    if (!exists && rename(tmp, dir) == 0) return 0;
    char from[4400], to[4400], name[128];
    for (int i = 0; i <= n; i++) {
        file_name(name, sizeof name, prefix, i, n);
        snprintf(from, sizeof from, "%s/%s", tmp, name);
        snprintf(to, sizeof to, "%s/%s", dir, name);
        if (rename(from, to) != 0) {
            int err = errno;
            remove_tmp_dir(tmp, prefix, n);
            return erg_fail(e, "cannot move %s to %s: %s", from, to, strerror(err));
        }
    }
    rmdir(tmp);
    return 0;
}

/* ---- summary ---- */

static void summary(FILE *out, const erg_net *net, int first, int last, const erg_fwfe *f,
                    const char *dir, const char *prefix, const char *vectors, long long frames) {
    int n = erg_fwfe_layer_count(f);
    erg_fwfe_stats *st = calloc((size_t)n, sizeof *st);
    if (!st) return;
    uint64_t cycles = erg_fwfe_timing(f, st);
    fprintf(out, "fwfe: net %s, layers %s..%s (%d layer%s) -> %s/%s_l0.v ... %s_top.v\n\n",
            net->name, net->layers[first].name, net->layers[last].name, n, n == 1 ? "" : "s", dir,
            prefix, prefix);
    fprintf(out, "%-10s %-9s %-6s %-10s %-7s %-10s %8s %7s %7s %8s %3s %3s %9s %9s %9s %s\n",
            "layer", "type", "kernel", "input", "grid", "output", "nz.w", "digits", "adders",
            "add.bits", "L", "D", "lb.bits", "first.out", "last.out", "tree");
    uint64_t nz = 0, dig = 0, add = 0, addb = 0, lb = 0;
    for (int i = 0; i < n; i++) {
        const erg_conv_geom *g = erg_fwfe_layer_geom(f, i);
        const erg_layer *l = &net->layers[first + i];
        char k[16], in[32], grid[32], o[32];
        snprintf(k, sizeof k, "%dx%ds%d", g->k_h, g->k_w, g->stride);
        snprintf(in, sizeof in, "%dx%dx%d", g->in_h, g->in_w, g->in_c);
        snprintf(grid, sizeof grid, "%dx%d", st[i].grid_h, st[i].grid_w);
        snprintf(o, sizeof o, "%dx%dx%d", g->out_h, g->out_w, g->out_c);
        fprintf(out,
                "%-10s %-9s %-6s %-10s %-7s %-10s %8llu %7llu %7llu %8llu %3d %3d %9llu %9llu "
                "%9llu %s\n",
                l->name, erg_layer_type_name(l->type), k, in, grid, o,
                (unsigned long long)st[i].nonzero_weights, (unsigned long long)st[i].csd_digits,
                (unsigned long long)st[i].adders, (unsigned long long)st[i].adder_bits,
                st[i].tree_depth, st[i].latency, (unsigned long long)st[i].line_buffer_bits,
                (unsigned long long)st[i].first_out_cycle, (unsigned long long)st[i].last_out_cycle,
                erg_fwfe_tree_name(erg_fwfe_layer_tree(f, i)));
        nz += st[i].nonzero_weights;
        dig += st[i].csd_digits;
        add += st[i].adders;
        addb += st[i].adder_bits;
        lb += st[i].line_buffer_bits;
    }
    fprintf(out, "%-10s %-9s %-6s %-10s %-7s %-10s %8llu %7llu %7llu %8llu %3s %3s %9llu\n",
            "total", "", "", "", "", "", (unsigned long long)nz, (unsigned long long)dig,
            (unsigned long long)add, (unsigned long long)addb, "", "", (unsigned long long)lb);
    /* docs/fwfe.md "Cycle equation", in the first layer's terms */
    uint64_t pix = st[0].outputs, p_last1 = st[0].last_out_cycle - (uint64_t)st[0].latency;
    fprintf(out,
            "\ncycles/frame %llu = %llu pixels + %llu line-buffer warm-up + %llu pipeline fill "
            "(the first layer's outputs; docs/fwfe.md)\n",
            (unsigned long long)cycles, (unsigned long long)pix,
            (unsigned long long)(p_last1 + 1 - pix), (unsigned long long)(cycles - p_last1 - 1));
    fprintf(out,
            "back-to-back frames: one every %llu cycles (the first layer's %dx%d grid is %llu "
            "beats)\n",
            (unsigned long long)erg_fwfe_period(f), st[0].grid_h, st[0].grid_w,
            (unsigned long long)st[0].beats_in);
    fprintf(
        out,
        "nz.w = non-zero weights, digits = non-zero CSD digits (shifted terms), adders = "
        "two-input adders\nof all trees, add.bits = their summed widths, L = tree levels, D = "
        "latency (1 + L + 2), lb.bits =\nline-buffer bits, first.out / last.out = cycles of the "
        "layer's first and last output pixel,\ntree = binary (two-input carry-propagate adders) "
        "or csa (3:2 compressors, counted as adders\nof the accumulator's width, and one final "
        "adder per channel)\n");
    if (vectors)
        fprintf(out, "vectors: %lld frames, C model = golden on every pixel -> %s\n", frames,
                vectors);
    free(st);
}

/* ---- the analytic estimate (--ppa) ---- */

/* Per layer and the total: erg_fwfe_ppa_chain (sim/fwfe_net.h; the equations:
 * energy/erg_fwfe_ppa.h, docs/fwfe.md "PPA"). */
static int print_ppa(FILE *out, const erg_fwfe *f, const char *format, int after_summary) {
    int n = erg_fwfe_layer_count(f);
    erg_fwfe_ppa *p = calloc((size_t)n, sizeof *p);
    erg_fwfe_stats *st = calloc((size_t)n, sizeof *st);
    if (!p || !st) {
        free(p);
        free(st);
        fprintf(stderr, "erg: out of memory\n");
        return EXIT_BAD_INPUT;
    }
    erg_fwfe_timing(f, st);
    erg_fwfe_ppa tot;
    erg_fwfe_ppa_chain(f, p, &tot);
    uint64_t nz = 0;
    for (int i = 0; i < n; i++) nz += st[i].nonzero_weights;
    if (!format || !strcmp(format, "table")) {
        if (after_summary) fputc('\n', out);
        fprintf(out,
                "PPA, DeepFreeze-style analytic estimate (REFERENCES.md constants, 16 nm class, "
                "%.0f MHz; docs/fwfe.md \"PPA\")\n",
                ERG_FWFE_DF_FREQ_HZ / 1e6);
        fprintf(out, "%-10s %8s %9s %9s %10s %10s %12s %10s %9s\n", "layer", "nz.w", "mul.bits",
                "stor.bits", "area.mm2", "power.W", "energy.uJ", "Mops/frm", "TOPS/W");
        for (int i = 0; i <= n; i++) {
            const erg_fwfe_ppa *q = i < n ? &p[i] : &tot;
            fprintf(out, "%-10s %8llu %9llu %9llu %10.5f %10.5f %12.6f %10.3f %9.3f\n",
                    i < n ? erg_fwfe_layer_name(f, i) : "total",
                    (unsigned long long)(i < n ? st[i].nonzero_weights : nz),
                    (unsigned long long)q->mul_bits, (unsigned long long)q->storage_bits,
                    q->area_mm2, q->power_w, q->energy_j * 1e6, q->ops / 1e6, q->tops_per_w);
        }
        fprintf(out,
                "mul.bits = nz.w x 8 x 8, stor.bits = line buffers + window + tree pipeline "
                "registers; area =\nmul.bits x 2.05e-7 + stor.bits x 1.62e-6 mm^2, power = "
                "mul.bits x 5.79e-8 + stor.bits x 4.0e-7 W\n(all of it active every cycle); "
                "energy/frame = (mul.bits x 5.79e-8 x outputs + stor.bits x 4.0e-7 x\nbeats) / "
                "810 MHz; Mops/frm = 2 x dense MACs per frame; TOPS/W = ops / energy\n");
    } else if (!strcmp(format, "csv")) {
        fprintf(out, "layer,nonzero_weights,mul_bits,storage_bits,area_mm2,power_w,energy_j,ops,"
                     "tops_per_w\n");
        for (int i = 0; i <= n; i++) {
            const erg_fwfe_ppa *q = i < n ? &p[i] : &tot;
            fprintf(out, "%s,%llu,%llu,%llu,%.9g,%.9g,%.9g,%.9g,%.9g\n",
                    i < n ? erg_fwfe_layer_name(f, i) : "total",
                    (unsigned long long)(i < n ? st[i].nonzero_weights : nz),
                    (unsigned long long)q->mul_bits, (unsigned long long)q->storage_bits,
                    q->area_mm2, q->power_w, q->energy_j, q->ops, q->tops_per_w);
        }
    } else {
        fprintf(out, "{\"freq_hz\": %.9g, \"layers\": [", ERG_FWFE_DF_FREQ_HZ);
        for (int i = 0; i <= n; i++) {
            const erg_fwfe_ppa *q = i < n ? &p[i] : &tot;
            if (i == n) fprintf(out, "], \"total\": ");
            fprintf(out, "%s{", i && i < n ? ",\n  " : i < n ? "\n  " : "");
            if (i < n) {
                fprintf(out, "\"layer\": ");
                erg_json_str(out, erg_fwfe_layer_name(f, i));
                fprintf(out, ", ");
            }
            fprintf(out,
                    "\"nonzero_weights\": %llu, \"mul_bits\": %llu, \"storage_bits\": %llu, "
                    "\"area_mm2\": %.9g, \"power_w\": %.9g, \"energy_j\": %.9g, \"ops\": %.9g, "
                    "\"tops_per_w\": %.9g}",
                    (unsigned long long)(i < n ? st[i].nonzero_weights : nz),
                    (unsigned long long)q->mul_bits, (unsigned long long)q->storage_bits,
                    q->area_mm2, q->power_w, q->energy_j, q->ops, q->tops_per_w);
        }
        fprintf(out, "}\n");
    }
    free(p);
    free(st);
    return 0;
}

/* ---- erg gen fwfe ---- */

static int gen_fwfe(int argc, char **argv) {
    gen_opts o;
    int rc = parse_gen_opts(argc, argv, &o);
    if (rc) return rc;
    erg_error e;
    erg_net net;
    erg_weights wt;
    memset(&wt, 0, sizeof wt);
    if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
    if (erg_weights_load(&wt, &net, &e)) {
        erg_net_free(&net);
        return bad_input(&e);
    }
    int first, last;
    erg_fwfe *f = NULL;
    char *vbuf = NULL; /* the vectors, in memory until the Verilog is in place */
    size_t vlen = 0;
    rc = 0;
    if (erg_fwfe_net_range(&net, o.layers, &first, &last, &e)) {
        erg_error_prefix(&e, "--layers %s", o.layers);
        rc = bad_input(&e);
        goto done;
    }
    f = erg_fwfe_net_build(&net, &wt, first, last, (int)o.acc_bits, o.tree, &e);
    if (!f) {
        rc = bad_input(&e);
        goto done;
    }
    if (o.vectors) {
        FILE *m = open_memstream(&vbuf, &vlen);
        if (!m) {
            erg_fail(&e, "out of memory");
            rc = bad_input(&e);
            goto done;
        }
        int v =
            erg_fwfe_net_vectors(&net, &wt, first, last, f, (int)o.frames, (uint64_t)o.seed, m, &e);
        if (fclose(m) && !v) v = erg_fail(&e, "out of memory");
        if (v) {
            fprintf(stderr, "erg: %s\n", e.msg);
            rc = v > 0 ? EXIT_MISMATCH : EXIT_BAD_INPUT;
            goto done;
        }
    }
    if (write_verilog_atomic(f, o.out_dir, o.prefix, &e)) {
        rc = bad_input(&e);
        goto done;
    }
    if (o.vectors) {
        erg_outfile vf;
        if (erg_outfile_open(&vf, o.vectors, &e)) {
            rc = bad_input(&e);
            goto done;
        }
        fwrite(vbuf, 1, vlen, vf.f);
        if (erg_outfile_commit(&vf, &e)) {
            rc = bad_input(&e);
            goto done;
        }
    }
    int machine = o.format && strcmp(o.format, "table");
    if (!o.quiet && !machine)
        summary(stdout, &net, first, last, f, o.out_dir, o.prefix, o.vectors, o.frames);
    if (o.ppa) rc = print_ppa(stdout, f, o.format, !o.quiet && !machine);
done:
    free(vbuf);
    erg_fwfe_free(f);
    erg_weights_free(&wt);
    erg_net_free(&net);
    return rc;
}

int cmd_gen(int argc, char **argv) {
    static const char *const GENS[] = {"fwfe"};
    if (argc < 3 || argv[2][0] == '-') {
        if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            fputs(GEN_HELP, stdout);
            return 0;
        }
        fputs(GEN_HELP, stderr);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(argv[2], "fwfe") == 0) {
        if (wants_help(argc, argv)) {
            fputs(FWFE_HELP, stdout);
            return 0;
        }
        return gen_fwfe(argc, argv);
    }
    const char *near = erg_nearest(argv[2], GENS, 1);
    if (near)
        return usage_error("gen", "unknown generator '%s' (did you mean '%s'?)", argv[2], near);
    return usage_error("gen", "unknown generator '%s' (generators: fwfe)", argv[2]);
}
