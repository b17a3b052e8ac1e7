/* cli_run.c — `erg run`: a network on the golden kernels or on a chip (C model), over one
 * image, a batch or a labelled data set; with a chip, the per-layer energy report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amac_run.h"
#include "cfg.h"
#include "chip_run.h"
#include "cli.h"
#include "sc_platform.h"
#include "erg_array.h"
#include "erg_regs.h"
#include "erg_rng.h"
#include "golden_run.h"
#include "json.h"
#include "net.h"
#include "outfile.h"
#include "report.h"
#include "tech.h"
#include "weights.h"

static const char RUN_HELP[] =
    "usage: erg run --net NET.cfg [--chip CHIP.cfg] [--backend golden|cmodel|rtl|cosim|systemc]\n"
    "               [--input X.npy | --input random | --dataset IMAGES LABELS] [--limit N]\n"
    "               [--seed N] [--op-point NAME] [--volt V] [--freq F] [--tech TECH.cfg]\n"
    "               [--area A] [--concurrent NET2.cfg]\n"
    "               [--format table|csv|json] [--out FILE] [--quiet]\n"
    "       erg run --chip CHIP.cfg --peak\n"
    "\n"
    "Runs a network on one or more images. Without --chip it runs the golden kernels and\n"
    "prints the predicted class (or, with a labelled data set, the accuracy). With --chip it\n"
    "runs the chip's C model through the host driver and prints the per-layer report: cycles,\n"
    "binary MACs, energy by component, TOPS/W, utilization, and per frame energy, fps, power.\n"
    "A chip with a fwfe unit runs the net as a FixyNN-style hybrid (docs/fwfe.md): the fixed\n"
    "front layers streaming into the MAC array, each stage's utilization and energy, and the\n"
    "comparison with the all-programmable chip of the same area.\n"
    "  --backend B       golden (default without --chip), cmodel (default with --chip), rtl\n"
    "                    (the Verilated RTL), cosim (C model and RTL in lockstep), systemc\n"
    "                    (the chip in its SoC: host CPU, interconnect, DRAM and DMA of the\n"
    "                    chip's platform group, docs/systemc.md; adds a per-layer table of\n"
    "                    stalls, DRAM traffic and bandwidth) or systemc-ideal (the same with\n"
    "                    an ideal memory system: the C model's cycles)\n"
    "  --trace F         write a waveform: FST of the RTL (rtl, cosim), VCD of the bus, DMA\n"
    "                    and units (systemc)\n"
    "  --concurrent N2   (systemc) run net N2 at the same time as --net, on the chip's other\n"
    "                    unit with its own host CPU, sharing interconnect and DRAM: both\n"
    "                    reports, then each unit's busy time, the overlap and the bottleneck\n"
    "  --input X.npy     uint8 image(s): [H,W,C], [H,W] (one channel) or a batch [N,H,W(,C)]\n"
    "  --input random    one random image drawn from --seed (default 1); also the default\n"
    "  --dataset I L     IDX images [N,H,W] or [N,H,W,C] and IDX labels [N] (gzip or not)\n"
    "  --limit N         only the first N images\n"
    "  --op-point NAME   the net's operating point: a multiplier per int8 layer (op_points in\n"
    "                    the net config, docs/amac.md); default: its first point. On a chip\n"
    "                    it needs an amac unit that has those multipliers. `all` (amac\n"
    "                    chips): every point in turn, switched between frames by register\n"
    "                    writes only; one line per point: accuracy, energy, savings\n"
    "  --volt V          supply in volts (default: the chip's highest operating point)\n"
    "  --freq F          clock, MHz or with a unit (25MHz); default: the maximum at --volt\n"
    "  --tech T.cfg      price with another technology table than the chip's\n"
    "  --area A          chip area for leakage: mm^2, or the area.csv of scripts/synth.sh\n"
    "                    (converted with the tech table's area figures); default: the\n"
    "                    chip config's area_mm2\n"
    "  --peak            the chip's peak efficiency: a fully utilized layer at its best\n"
    "                    operating point\n"
    "\n"
    "examples:\n"
    "  erg run --chip configs/chips/binareye.cfg --net configs/nets/binareye_cifar10_f256.cfg\n"
    "  erg run --chip configs/chips/binareye.cfg --net configs/nets/fmnist_bnn.cfg --volt 0.6 \\\n"
    "      --dataset /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \\\n"
    "      /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz\n"
    "  erg run --net configs/nets/fmnist_int8.cfg --dataset IMAGES.gz LABELS.gz\n"
    "  erg run --net configs/nets/fmnist_int8.cfg --op-point eco --dataset IMAGES.gz LABELS.gz\n"
    "  erg run --chip configs/chips/amac8.cfg --net configs/nets/fmnist_int8.cfg --op-point eco\n"
    "  erg run --chip configs/chips/amac8.cfg --net configs/nets/fmnist_int8.cfg --op-point all "
    "\\\n"
    "      --dataset IMAGES.gz LABELS.gz\n"
    "  erg run --chip configs/chips/amac8_lpddr.cfg --net configs/nets/fmnist_int8.cfg \\\n"
    "      --backend systemc\n"
    "  erg run --chip configs/chips/soc_bna_amac.cfg --backend systemc \\\n"
    "      --net configs/nets/fmnist_bnn.cfg --concurrent configs/nets/fmnist_int8.cfg\n"
    "  erg run --chip configs/chips/fixynn_fmnist.cfg --net configs/nets/fmnist_int8.cfg\n"
    "  erg run --chip configs/chips/binareye.cfg --peak\n";

/* Golden backend at operating point `op`: classes, or accuracy over a data set. */
static int run_golden(const opts *o, const erg_net *net, int op, const erg_weights *wt,
                      const erg_array *img, const erg_array *lab, long long n, erg_outfile *of,
                      erg_error *e) {
    erg_golden_runner gr;
    if (erg_golden_runner_init(&gr, net, wt, e)) return -1;
    if (erg_golden_runner_set_op(&gr, op, e)) {
        erg_golden_runner_free(&gr);
        return -1;
    }
    const char *op_name = net->ops[op].name;
    /* Nets with op points or approximate multipliers say which point ran. */
    int name_op = net->has_op_points || erg_net_has_approx(net);
    char op_tag[ERG_NAME_MAX + 16] = "";
    if (name_op) snprintf(op_tag, sizeof op_tag, ", op point %s", op_name);
    const char *fmt = o->format ? o->format : "table";
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    int labelled = lab->data != NULL;
    long long correct = 0;
    int first_class = -1;
    int64_t *first_scores = malloc((size_t)gr.n_scores * sizeof *first_scores);
    if (!first_scores) {
        erg_golden_runner_free(&gr);
        return erg_fail(e, "out of memory");
    }
    FILE *f = of->f;
    if (!labelled && strcmp(fmt, "csv") == 0) fprintf(f, "frame,class\n");
    if (!labelled && name_op && strcmp(fmt, "table") == 0)
        fprintf(f, "net %s, backend golden%s\n", net->name, op_tag);
    for (long long k = 0; k < n; k++) {
        int cls = erg_golden_runner_run(&gr, (const uint8_t *)img->data + (size_t)k * img_bytes);
        if (k == 0) {
            first_class = cls;
            memcpy(first_scores, gr.scores, (size_t)gr.n_scores * sizeof *first_scores);
        }
        if (labelled)
            correct += cls == ((const uint8_t *)lab->data)[k];
        else if (strcmp(fmt, "table") == 0)
            fprintf(f, "frame %lld: class %d\n", k, cls);
        else if (strcmp(fmt, "csv") == 0)
            fprintf(f, "%lld,%d\n", k, cls);
        erg_run_progress(o->quiet, k + 1, n, correct, labelled);
    }
    if (strcmp(fmt, "json") == 0) {
        fprintf(f, "{\"schema_version\": 1, \"net\": ");
        erg_json_str(f, net->name);
        fprintf(f, ", \"backend\": \"golden\", \"op_point\": ");
        erg_json_str(f, op_name);
        fprintf(f, ", \"frames\": %lld,\n \"outputs\": {\"class\": %d, \"scores\": [", n,
                first_class);
        for (int c = 0; c < gr.n_scores; c++)
            fprintf(f, "%s%lld", c ? ", " : "", (long long)first_scores[c]);
        fprintf(f, "]}");
        if (labelled)
            fprintf(f, ",\n \"accuracy\": %.6f, \"correct\": %lld", (double)correct / (double)n,
                    correct);
        fprintf(f, "}\n");
    } else if (labelled && strcmp(fmt, "csv") == 0) {
        fprintf(f, "net,backend,op_point,frames,correct,accuracy\n%s,golden,%s,%lld,%lld,%.6f\n",
                net->name, op_name, n, correct, (double)correct / (double)n);
    } else if (labelled) {
        fprintf(f, "net %s, backend golden%s: accuracy %.2f %% (%lld / %lld correct)\n", net->name,
                op_tag, 100.0 * (double)correct / (double)n, correct, n);
    } else if (strcmp(fmt, "table") == 0 && n == 1) {
        fprintf(f, "scores:");
        for (int c = 0; c < gr.n_scores; c++) fprintf(f, " %lld", (long long)first_scores[c]);
        fprintf(f, "\n");
    }
    free(first_scores);
    erg_golden_runner_free(&gr);
    return 0;
}

/* The SystemC platform's view of the run (--backend systemc, docs/systemc.md): per START of
 * the last frame the unit's own cycles, the cycles it waited for the platform's DRAM, its DRAM
 * traffic and the bandwidth it achieved; then the frame's time on the platform and the DRAM
 * energy. `names` labels the starts when there is one per entry (NULL: numbered). */
static void print_platform(FILE *f, erg_backend *be, const char *fmt, long long frames,
                           const char *const *names, int n_names) {
    const erg_sc_stats *s = erg_systemc_stats(be);
    if (!s || !fmt || strcmp(fmt, "table") != 0 || frames < 1 || s->n_layers == 0) return;
    int per = (int)(s->n_layers / frames), first = s->n_layers - per;
    fprintf(f, "\nSystemC platform (%s): the last frame's layers as the platform ran them\n",
            s->ideal ? "ideal memory system" : "the chip's platform group");
    fprintf(f, "%-10s %12s %12s %12s %12s %10s %12s\n", "layer", "start", "unit cyc", "stall cyc",
            "DRAM bytes", "B/cycle", "DRAM energy");
    uint64_t stall = 0, bytes = 0;
    char ej[32];
    for (int i = first; i < s->n_layers; i++) {
        const erg_sc_layer *l = &s->layers[i];
        char nm[32];
        if (names && per == n_names)
            snprintf(nm, sizeof nm, "%s", names[i - first]);
        else
            snprintf(nm, sizeof nm, "start %d", i - first);
        uint64_t dur = l->end - l->start;
        double bpc = dur ? (double)l->dram_bytes / (double)dur : 0;
        fprintf(
            f, "%-10s %12llu %12llu %12llu %12llu %10.3f %12s\n", nm, (unsigned long long)l->start,
            (unsigned long long)l->model_cycles, (unsigned long long)l->stall_cycles,
            (unsigned long long)l->dram_bytes, bpc,
            erg_report_si((double)l->dram_bytes * s->dram_pj_per_byte * 1e-12, "J", ej, sizeof ej));
        stall += l->stall_cycles, bytes += l->dram_bytes;
    }
    fprintf(f,
            "frame: %llu stall cycles, %llu DRAM bytes (%s at the tech table's dram64); run: "
            "%llu cycles on the platform for %lld frame%s, DMA %llu bytes in %llu cycles, DRAM "
            "busy %llu cycles\n",
            (unsigned long long)stall, (unsigned long long)bytes,
            erg_report_si((double)bytes * s->dram_pj_per_byte * 1e-12, "J", ej, sizeof ej),
            (unsigned long long)s->now, frames, frames == 1 ? "" : "s",
            (unsigned long long)s->dma_bytes, (unsigned long long)s->dma_cycles,
            (unsigned long long)s->dram_busy_cycles);
}

/* The same as JSON, the report's "platform" key (erg_report.extra_json). */
typedef struct platform_json_ctx {
    erg_backend *be;
    long long frames;
    const char *const *names;
    int n_names;
} platform_json_ctx;

static void platform_json(FILE *f, const void *vctx) {
    const platform_json_ctx *c = vctx;
    const erg_sc_stats *s = erg_systemc_stats(c->be);
    if (!s || c->frames < 1) return;
    int per = (int)(s->n_layers / c->frames), first = s->n_layers - per;
    uint64_t stall = 0, bytes = 0;
    fprintf(f, ",\n \"platform\": {\"ideal\": %s, \"layers\": [", s->ideal ? "true" : "false");
    for (int i = first; i < s->n_layers; i++) {
        const erg_sc_layer *l = &s->layers[i];
        uint64_t dur = l->end - l->start;
        fprintf(f, "%s\n  {\"name\": ", i > first ? "," : "");
        if (c->names && per == c->n_names)
            erg_json_str(f, c->names[i - first]);
        else
            fprintf(f, "\"start %d\"", i - first);
        fprintf(f,
                ", \"start\": %llu, \"end\": %llu, \"unit_cycles\": %llu, \"stall_cycles\": %llu, "
                "\"dram_bytes\": %llu, \"bytes_per_cycle\": %.6g, \"dram_energy_j\": %.6e}",
                (unsigned long long)l->start, (unsigned long long)l->end,
                (unsigned long long)l->model_cycles, (unsigned long long)l->stall_cycles,
                (unsigned long long)l->dram_bytes, dur ? (double)l->dram_bytes / (double)dur : 0,
                (double)l->dram_bytes * s->dram_pj_per_byte * 1e-12);
        stall += l->stall_cycles, bytes += l->dram_bytes;
    }
    fprintf(f,
            "],\n  \"frame\": {\"stall_cycles\": %llu, \"dram_bytes\": %llu, \"dram_energy_j\": "
            "%.6e},\n  \"run_cycles\": %llu, \"dma_bytes\": %llu, \"dma_cycles\": %llu, "
            "\"dram_busy_cycles\": %llu}",
            (unsigned long long)stall, (unsigned long long)bytes,
            (double)bytes * s->dram_pj_per_byte * 1e-12, (unsigned long long)s->now,
            (unsigned long long)s->dma_bytes, (unsigned long long)s->dma_cycles,
            (unsigned long long)s->dram_busy_cycles);
}

/* A chip backend: frames through the driver, then the energy report of the (last) frame;
 * BNA counters do not depend on the data, so every frame costs the same. */
static int run_chip(const opts *o, const char *backend, const erg_chip *chip, const erg_net *net,
                    const erg_weights *wt, const erg_array *img, const erg_array *lab, long long n,
                    erg_outfile *of, erg_error *e) {
    erg_tech tech;
    erg_energy_ctx ectx;
    if (erg_chip_energy(&ectx, &tech, chip, o->tech, o->volt, o->freq_hz, e)) return -1;
    erg_chip_runner cr;
    if (erg_chip_runner_init(&cr, net, wt, chip, backend, o->trace, e)) return -1;
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    int labelled = lab->data != NULL;
    long long correct = 0;
    int cls = -1, rc = -1;
    for (long long k = 0; k < n; k++) {
        cls = erg_chip_runner_run(&cr, (const uint8_t *)img->data + (size_t)k * img_bytes, e);
        if (cls < 0) goto out;
        if (labelled) correct += cls == ((const uint8_t *)lab->data)[k];
        erg_run_progress(o->quiet, k + 1, n, correct, labelled);
    }
    erg_report rep;
    if (erg_report_build(&rep, &cr, &ectx, backend, e)) goto out;
    rep.cls = cls;
    rep.frames = n;
    rep.correct = correct;
    rep.labelled = labelled;
    platform_json_ctx pj = {cr.be, n, NULL, 0};
    if (erg_systemc_stats(cr.be)) rep.extra_json = platform_json, rep.extra_ctx = &pj;
    erg_report_print(of->f, &rep, o->format ? o->format : "table");
    print_platform(of->f, cr.be, o->format ? o->format : "table", n, NULL, 0);
    erg_report_free(&rep);
    rc = 0;
out:
    erg_chip_runner_free(&cr);
    return rc;
}

/* A chip with an amac unit: frames through the driver at operating point `op` (or every point
 * in turn when all_ops: the same runner, weights loaded once, only the descriptors' L_MUL
 * changes between points), then the report of the last frame (the unit's counters do not
 * depend on the data or the multiplier, so every frame costs the same). */
static int run_amac(const opts *o, const char *backend, const erg_chip *chip, const erg_net *net,
                    int op, int all_ops, const erg_weights *wt, const erg_array *img,
                    const erg_array *lab, long long n, erg_outfile *of, erg_error *e) {
    erg_tech tech;
    erg_mac_energy_ctx ectx;
    if (erg_chip_mac_energy(&ectx, &tech, chip, o->tech, o->volt, o->freq_hz, e)) return -1;
    erg_amac_runner ar;
    if (erg_amac_runner_init(&ar, net, wt, chip, backend, o->trace, all_ops ? 0 : op, e)) return -1;
    const char *fmt = o->format ? o->format : "table";
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    int labelled = lab->data != NULL;
    int rc = -1;
    int first = all_ops ? 0 : op, last = all_ops ? net->n_ops - 1 : op;
    double e0 = 0, m0 = 0;
    for (int p = first; p <= last; p++) {
        if (erg_amac_runner_set_op(&ar, p, e)) goto out;
        long long correct = 0;
        int cls = -1;
        for (long long k = 0; k < n; k++) {
            cls = erg_amac_runner_run(&ar, (const uint8_t *)img->data + (size_t)k * img_bytes, e);
            if (cls < 0) goto out;
            if (labelled) correct += cls == ((const uint8_t *)lab->data)[k];
            erg_run_progress(o->quiet, k + 1, n, correct, labelled);
        }
        erg_report rep;
        if (erg_report_build_amac(&rep, &ar, &ectx, backend, e)) goto out;
        rep.cls = cls;
        rep.frames = n;
        rep.correct = correct;
        rep.labelled = labelled;
        if (!all_ops) {
            const char **names = calloc((size_t)net->n_layers + 1, sizeof *names);
            int nn = 0;
            for (int i = 0; names && i < net->n_layers; i++)
                if (ar.l[i].where == ERG_AMAC_ON_UNIT) names[nn++] = net->layers[i].name;
            platform_json_ctx pj = {ar.be, n, names, nn};
            if (erg_systemc_stats(ar.be)) rep.extra_json = platform_json, rep.extra_ctx = &pj;
            erg_report_print(of->f, &rep, fmt);
            print_platform(of->f, ar.be, fmt, n, names, nn);
            free(names);
        } else {
            /* one line per point: accuracy, energy per frame, multiplication energy, saving */
            double mult = 0;
            for (int i = 0; i < rep.n; i++) mult += rep.l[i].e.part.mult;
            if (p == first) {
                e0 = rep.e.total;
                m0 = mult;
                if (strcmp(fmt, "csv") == 0)
                    fprintf(of->f, "op_point,frames,correct,accuracy,cycles,energy_j,uj_per_frame,"
                                   "mult_energy_j,mult_saving,energy_saving,tops_per_w\n");
                else if (strcmp(fmt, "table") == 0)
                    fprintf(of->f,
                            "chip %s, net %s, backend %s, %.3g V, %.4g MHz: every op point\n"
                            "%-12s %10s %10s %12s %12s %10s %10s %8s\n",
                            chip->name, net->name, backend, rep.volt, rep.freq_hz / 1e6, "op point",
                            "accuracy", "cycles", "uJ/frame", "mult. uJ", "mult.sav", "total sav",
                            "TOPS/W");
            }
            double acc = labelled ? (double)correct / (double)n : -1;
            if (strcmp(fmt, "csv") == 0)
                fprintf(of->f, "%s,%lld,%lld,%.6f,%llu,%.6e,%.6g,%.6e,%.6f,%.6f,%.6g\n",
                        net->ops[p].name, n, labelled ? correct : -1, acc,
                        (unsigned long long)rep.cycles, rep.e.total, rep.uj_per_frame, mult,
                        m0 > 0 ? 1 - mult / m0 : 0, e0 > 0 ? 1 - rep.e.total / e0 : 0,
                        rep.tops_per_w);
            else if (strcmp(fmt, "table") == 0 && !labelled)
                fprintf(of->f, "%-12s %10s %10llu %12.4f %12.4f %9.1f%% %9.1f%% %8.3f\n",
                        net->ops[p].name, "-", (unsigned long long)rep.cycles, rep.uj_per_frame,
                        mult * 1e6, m0 > 0 ? 100 * (1 - mult / m0) : 0.0,
                        e0 > 0 ? 100 * (1 - rep.e.total / e0) : 0.0, rep.tops_per_w);
            else if (strcmp(fmt, "table") == 0)
                fprintf(of->f, "%-12s %9.2f%% %10llu %12.4f %12.4f %9.1f%% %9.1f%% %8.3f\n",
                        net->ops[p].name, labelled ? 100 * acc : 0.0,
                        (unsigned long long)rep.cycles, rep.uj_per_frame, mult * 1e6,
                        m0 > 0 ? 100 * (1 - mult / m0) : 0.0,
                        e0 > 0 ? 100 * (1 - rep.e.total / e0) : 0.0, rep.tops_per_w);
            else {
                fprintf(of->f, "%s", p == first ? "[" : ",\n ");
                erg_report_print(of->f, &rep, "json");
                if (p == last) fprintf(of->f, "]\n");
            }
        }
        erg_report_free(&rep);
    }
    if (all_ops && strcmp(fmt, "table") == 0)
        fprintf(of->f, "(savings relative to the first point, %s; accuracy over %lld image%s)\n",
                net->ops[first].name, n, n == 1 ? "" : "s");
    rc = 0;
out:
    erg_amac_runner_free(&ar);
    return rc;
}

/* --peak: the chip's peak efficiency (erg_chip_peak). */
static int run_peak(const opts *o, const erg_chip *chip, erg_outfile *of, erg_error *e) {
    erg_peak p;
    if (erg_chip_peak(&p, chip, o->tech, e)) return -1;
    if (o->format && strcmp(o->format, "json") == 0) {
        fprintf(of->f, "{\"chip\": ");
        erg_json_str(of->f, chip->name);
        fprintf(of->f,
                ", \"peak_tops_per_w\": %.6g, \"voltage_v\": %.6g, \"freq_hz\": %.6g, "
                "\"cycles\": %llu, \"macs\": %llu}\n",
                p.tops_per_w, p.volt, p.freq_hz, (unsigned long long)p.c.v[ERG_CNT_cycles],
                (unsigned long long)p.c.v[ERG_CNT_bmac]);
    } else {
        fprintf(of->f,
                "peak of chip '%s': %.1f 1b-TOPS/W at %.3g V, %.4g MHz\n"
                "  layer: conv %dx%d, %d -> %d channels on a %dx%d map: %llu binary MACs in "
                "%llu cycles (%.1f %% of the array's peak rate)\n",
                chip->name, p.tops_per_w, p.volt, p.freq_hz / 1e6, p.k, p.k, p.channels, p.channels,
                p.hw, p.hw, (unsigned long long)p.c.v[ERG_CNT_bmac],
                (unsigned long long)p.c.v[ERG_CNT_cycles], 100.0 * p.utilization);
    }
    return 0;
}

int cmd_run(int argc, char **argv) {
    if (wants_help(argc, argv)) {
        fputs(RUN_HELP, stdout);
        return 0;
    }
    opts o;
    int rc = parse_opts("run", argc, argv, 2,
                        "--net --chip --backend --input --dataset --limit --seed --volt --freq "
                        "--tech --area --peak --trace --format --out --quiet --help --op-point "
                        "--concurrent ",
                        &o);
    if (rc) return rc;
    if (o.n_positional) return usage_error("run", "unexpected argument '%s'", o.positional[0]);
    if (o.peak && !o.chip) return usage_error("run", "--peak needs --chip CHIP.cfg");
    if (o.peak && o.op_point) return usage_error("run", "--peak takes no --op-point");
    if (!o.net && !o.peak) return usage_error("run", "--net NET.cfg is required");
    const char *backend = o.backend ? o.backend : (o.chip ? "cmodel" : "golden");
    if (strcmp(backend, "golden") == 0 && (o.volt || o.freq_hz || o.tech))
        return usage_error("run", "--volt, --freq and --tech price a chip run; add --chip");
    if (strcmp(backend, "golden") != 0 && !o.chip) {
        static const char *const backends[] = {"golden", "cmodel",  "rtl",
                                               "cosim",  "systemc", "systemc-ideal"};
        if (o.concurrent)
            return usage_error("run", "--concurrent NET2.cfg runs beside --net on a chip: add "
                                      "--chip and --backend systemc");
        for (int i = 1; i < 6; i++)
            if (strcmp(backend, backends[i]) == 0)
                return usage_error("run", "--backend %s runs a chip: add --chip CHIP.cfg", backend);
        const char *near = erg_nearest(backend, backends, 6);
        return usage_error("run",
                           "unknown backend '%s'%s%s%s; erg has: golden, cmodel, rtl, cosim, "
                           "systemc, systemc-ideal",
                           backend, near ? " (did you mean '" : "", near ? near : "",
                           near ? "'?)" : "");
    }
    if (o.input && o.images) return usage_error("run", "give --input or --dataset, not both");
    if (o.concurrent && (!o.chip || !o.net))
        return usage_error("run", "--concurrent NET2.cfg runs beside --net on a chip: add --chip "
                                  "and --backend systemc");
    if (o.concurrent && o.op_point)
        return usage_error("run", "--concurrent runs each net at its first op point; drop "
                                  "--op-point");

    erg_error e;
    erg_chip chip;
    if (o.chip && erg_chip_load(&chip, o.chip, &e)) return bad_input(&e);
    if (o.area && !o.chip) return usage_error("run", "--area prices a chip's leakage; add --chip");
    if (o.chip && apply_area(&o, &chip, &e)) return bad_input(&e);
    erg_outfile of;
    if (o.peak && erg_chip_has_amac(&chip))
        return usage_error("run",
                           "--peak is defined for chips with a bna unit; chip '%s' has an "
                           "amac unit",
                           chip.name);
    if (o.peak) {
        if (erg_outfile_open(&of, o.out, &e)) return bad_input(&e);
        if (run_peak(&o, &chip, &of, &e)) {
            erg_outfile_abort(&of);
            return bad_input(&e);
        }
        return erg_outfile_commit(&of, &e) ? bad_input(&e) : 0;
    }
    erg_net net;
    erg_weights wt;
    erg_array img = {0}, lab = {0};
    if (erg_net_load(&net, o.net, &e)) return bad_input(&e);
    rc = EXIT_BAD_INPUT;
    int have_wt = 0, have_of = 0, have_net2 = 0, have_wt2 = 0;
    erg_net net2;
    erg_weights wt2;
    long long n;
    /* an int8 net runs on the chip's amac unit; a binary one on its bna unit when it has one */
    int has_bna = o.chip && erg_chip_unit_of_kind(&chip, ERG_UNIT_BNA) >= 0;
    int amac = o.chip && strcmp(backend, "golden") != 0 && erg_chip_has_amac(&chip) &&
               !(has_bna && erg_net_is_binary(&net));
    int all_ops = o.op_point && strcmp(o.op_point, "all") == 0;
    /* a chip with a fixed front-end runs the int8 net as a hybrid (docs/fwfe.md) */
    int hybrid = amac && chip.has_fwfe && !o.concurrent;
    if (all_ops && hybrid) {
        erg_fail(&e,
                 "--op-point all: chip '%s' is a hybrid (fwfe unit '%s'); run one op point "
                 "at a time",
                 chip.name, chip.fwfe.name);
        goto fail;
    }
    if (all_ops && !amac) {
        erg_fail(&e, "--op-point all runs every op point on a chip's amac unit: add --chip with "
                     "an amac unit (e.g. configs/chips/amac8.cfg)");
        goto fail;
    }
    int op = o.op_point && !all_ops ? erg_net_op_find(&net, o.op_point, &e) : 0;
    if (op < 0) goto fail;
    /* A BNA chip runs exact products only: approximate ones need the MAC-array unit. */
    if (!amac && strcmp(backend, "golden") != 0 && erg_net_has_approx(&net) &&
        (o.op_point || erg_net_op_approx_share(&net, op) > 0)) {
        double share = erg_net_op_approx_share(&net, op);
        if (share > 0)
            erg_fail(&e,
                     "op point '%s' of net '%s' uses approximate multipliers (%.1f %% of its "
                     "multiplications): chip '%s' has no amac unit to run them on (e.g. "
                     "configs/chips/amac8.cfg; docs/amac-chip.md); or run op points with "
                     "--backend golden",
                     net.ops[op].name, net.name, 100.0 * share, chip.name);
        else
            erg_fail(&e,
                     "net '%s' has op points with approximate multipliers: chip '%s' has no "
                     "amac unit to run them on (e.g. configs/chips/amac8.cfg; "
                     "docs/amac-chip.md); or run op points with --backend golden",
                     net.name, chip.name);
        goto fail;
    }
    if (erg_weights_load(&wt, &net, &e)) goto fail;
    have_wt = 1;
    if (o.concurrent) { /* a second net at once (cli_run_concurrent.c) */
        if (erg_net_load(&net2, o.concurrent, &e)) goto fail;
        have_net2 = 1;
        if (erg_weights_load(&wt2, &net2, &e)) goto fail;
        have_wt2 = 1;
    }
    if (load_images(&o, &net, &img, &lab, &n, &e)) goto fail;
    if (erg_outfile_open(&of, o.out, &e)) goto fail;
    have_of = 1;
    int r = o.concurrent
                ? run_concurrent(&o, backend, &chip, &net, &wt, &net2, &wt2, &img, &lab, n, &of, &e)
            : strcmp(backend, "golden") == 0 ? run_golden(&o, &net, op, &wt, &img, &lab, n, &of, &e)
            : hybrid ? run_fixynn(&o, backend, &chip, &net, op, &wt, &img, &lab, n, &of, &e)
            : amac   ? run_amac(&o, backend, &chip, &net, op, all_ops, &wt, &img, &lab, n, &of, &e)
                     : run_chip(&o, backend, &chip, &net, &wt, &img, &lab, n, &of, &e);
    if (r) goto fail;
    have_of = 0;
    if (erg_outfile_commit(&of, &e)) goto fail;
    rc = 0;
fail:
    if (rc) fprintf(stderr, "erg: %s\n", e.msg);
    if (have_of) erg_outfile_abort(&of);
    if (have_wt) erg_weights_free(&wt);
    if (have_wt2) erg_weights_free(&wt2);
    if (have_net2) erg_net_free(&net2);
    erg_array_free(&img);
    erg_array_free(&lab);
    erg_net_free(&net);
    return rc;
}
