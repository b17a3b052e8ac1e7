/* cli_run_concurrent.c — `erg run --backend systemc --net A.cfg --concurrent B.cfg`: two
 * networks at the same time on two units of one chip, on the SystemC platform (docs/systemc.md,
 * "Concurrency"). Each net has its own host CPU (its own driver, DMA engine and DRAM buffers);
 * the units, the interconnect and the DRAM are shared. The report gives each net's own report
 * (its last frame) and then the platform's view of the run: every unit's busy time,
 * utilization, stalls and DRAM traffic, the time both units were busy at once (the overlap)
 * and the bottleneck (the unit busy longest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "amac_run.h"
#include "chip_run.h"
#include "cli.h"
#include "erg_array.h"
#include "json.h"
#include "net.h"
#include "outfile.h"
#include "report.h"
#include "sc_platform.h"
#include "tech.h"

typedef struct conc_net {
    const erg_net *net;
    const erg_weights *wt;
    int amac; /* 1: on the chip's amac unit (int8); 0: on its bna unit (binary) */
    erg_chip_runner cr;
    erg_amac_runner ar;
    int unit; /* the chip's unit it runs on */
    int cls;
    long long correct;
    erg_error e;
} conc_net;

typedef struct conc_run {
    conc_net t[2];
    const erg_array *img, *lab;
    long long frames;
    int quiet;
} conc_run;

/* One driver: every frame of net i, on CPU i (a SystemC process of erg_systemc_parallel). */
static int frames_of(void *ctx, int i, erg_backend *host) {
    conc_run *c = ctx;
    conc_net *t = &c->t[i];
    (void)host; /* the runner holds this CPU's view already */
    size_t ib = (size_t)erg_shape_count(t->net->input);
    int labelled = c->lab->data != NULL;
    for (long long k = 0; k < c->frames; k++) {
        const uint8_t *im = (const uint8_t *)c->img->data + (size_t)k * ib;
        t->cls = t->amac ? erg_amac_runner_run(&t->ar, im, &t->e)
                         : erg_chip_runner_run(&t->cr, im, &t->e);
        if (t->cls < 0) {
            erg_error_prefix(&t->e, "net '%s', frame %lld", t->net->name, k);
            return -1;
        }
        if (labelled) t->correct += t->cls == ((const uint8_t *)c->lab->data)[k];
        if (i == 0 && !c->quiet && isatty(2) && c->frames >= 200 &&
            ((k + 1) % 100 == 0 || k + 1 == c->frames))
            fprintf(stderr, "\r  %lld/%lld frames of each net", k + 1, c->frames);
    }
    if (i == 0 && !c->quiet && isatty(2) && c->frames >= 200) fputc('\n', stderr);
    return 0;
}

/* The time both units were busy at once: layers of one unit never overlap each other, and
 * the platform logs them in end order per unit, so a merge of the two lists suffices. */
static uint64_t overlap_cycles(const erg_sc_stats *s, int ua, int ub) {
    uint64_t ov = 0;
    int i = 0, j = 0;
    for (;;) {
        while (i < s->n_layers && s->layers[i].unit != ua) i++;
        while (j < s->n_layers && s->layers[j].unit != ub) j++;
        if (i >= s->n_layers || j >= s->n_layers) break;
        const erg_sc_layer *a = &s->layers[i], *b = &s->layers[j];
        uint64_t lo = a->start > b->start ? a->start : b->start;
        uint64_t hi = a->end < b->end ? a->end : b->end;
        if (hi > lo) ov += hi - lo;
        if (a->end < b->end)
            i++;
        else
            j++;
    }
    return ov;
}

typedef struct unit_use {
    uint64_t busy, stall, dram, layers, elapsed;
} unit_use;

/* The platform's view of the frames (after t0: what came before is set-up, e.g. weight loads;
 * s0 is the statistics at t0). */
static void print_system(FILE *f, const char *fmt, const erg_chip *chip, const conc_run *c,
                         const erg_sc_stats *s, const erg_sc_stats *s0, double freq_hz) {
    uint64_t t0 = s0->now;
    unit_use u[2] = {{0}};
    for (int k = 0; k < s->n_layers; k++) {
        const erg_sc_layer *l = &s->layers[k];
        if (l->end <= t0) continue;
        for (int i = 0; i < 2; i++)
            if (l->unit == c->t[i].unit) {
                u[i].busy += l->end - l->start;
                u[i].stall += l->stall_cycles;
                u[i].dram += l->dram_bytes;
                u[i].layers++;
            }
    }
    for (int i = 0; i < 2; i++) u[i].elapsed = s->host_last[i] > t0 ? s->host_last[i] - t0 : 0;
    uint64_t run = s->now - t0, ov = overlap_cycles(s, c->t[0].unit, c->t[1].unit);
    uint64_t serial = u[0].elapsed + u[1].elapsed;
    uint64_t dram = u[0].dram + u[1].dram, dma = s->dma_bytes - s0->dma_bytes;
    int bn = u[1].elapsed > u[0].elapsed; /* the net whose driver took longest */
    double fr = (double)c->frames, fps = run ? fr * freq_hz / (double)run : 0;
    double dram_j = (double)dram * s->dram_pj_per_byte * 1e-12;
    char ej[32];
    if (strcmp(fmt, "json") == 0) {
        fprintf(f,
                " \"platform\": {\"ideal\": %s, \"frames\": %lld, \"run_cycles\": %llu, "
                "\"overlap_cycles\": %llu, \"serial_cycles\": %llu, \"bottleneck\": ",
                s->ideal ? "true" : "false", c->frames, (unsigned long long)run,
                (unsigned long long)ov, (unsigned long long)serial);
        erg_json_str(f, c->t[bn].net->name);
        fprintf(f,
                ", \"frames_per_s\": %.6g, \"dram_bytes\": %llu, \"dram_energy_j\": %.6e, "
                "\"dma_bytes\": %llu,\n  \"units\": [",
                fps, (unsigned long long)dram, dram_j, (unsigned long long)dma);
        for (int i = 0; i < 2; i++) {
            fprintf(f, "%s{\"unit\": ", i ? ", " : "");
            erg_json_str(f, chip->units[c->t[i].unit].name);
            fprintf(f, ", \"net\": ");
            erg_json_str(f, c->t[i].net->name);
            fprintf(f,
                    ", \"layers\": %llu, \"busy_cycles\": %llu, \"utilization\": %.6f, "
                    "\"stall_cycles\": %llu, \"dram_bytes\": %llu, \"driver_cycles\": %llu}",
                    (unsigned long long)u[i].layers, (unsigned long long)u[i].busy,
                    run ? (double)u[i].busy / (double)run : 0, (unsigned long long)u[i].stall,
                    (unsigned long long)u[i].dram, (unsigned long long)u[i].elapsed);
        }
        fprintf(f, "]}}\n");
        return;
    }
    if (strcmp(fmt, "csv") == 0) {
        fprintf(f, "unit,net,layers,busy_cycles,utilization,stall_cycles,dram_bytes,driver_cycles,"
                   "run_cycles,overlap_cycles,bottleneck\n");
        for (int i = 0; i < 2; i++)
            fprintf(f, "%s,%s,%llu,%llu,%.6f,%llu,%llu,%llu,%llu,%llu,%d\n",
                    chip->units[c->t[i].unit].name, c->t[i].net->name,
                    (unsigned long long)u[i].layers, (unsigned long long)u[i].busy,
                    run ? (double)u[i].busy / (double)run : 0, (unsigned long long)u[i].stall,
                    (unsigned long long)u[i].dram, (unsigned long long)u[i].elapsed,
                    (unsigned long long)run, (unsigned long long)ov, i == bn);
        return;
    }
    fprintf(f,
            "\nSystemC platform (%s): both nets at once, %lld frame%s each, one host CPU per "
            "net\n",
            s->ideal ? "ideal memory system" : "the chip's platform group", c->frames,
            c->frames == 1 ? "" : "s");
    fprintf(f, "%-8s %-14s %7s %13s %7s %11s %11s %13s\n", "unit", "net", "layers", "unit busy",
            "util", "stall cyc", "DRAM bytes", "driver cyc");
    for (int i = 0; i < 2; i++)
        fprintf(f, "%-8s %-14s %7llu %13llu %6.1f%% %11llu %11llu %13llu\n",
                chip->units[c->t[i].unit].name, c->t[i].net->name, (unsigned long long)u[i].layers,
                (unsigned long long)u[i].busy, run ? 100.0 * (double)u[i].busy / (double)run : 0,
                (unsigned long long)u[i].stall, (unsigned long long)u[i].dram,
                (unsigned long long)u[i].elapsed);
    fprintf(f,
            "run: %llu cycles, %.4g frames/s of each net at %.4g MHz; both units busy at once "
            "%llu cycles (%.1f %% of the run)\n"
            "bottleneck: %s (its driver: %llu cycles, its unit busy %.1f %% of them; the rest is "
            "host work and DMA)\n"
            "one net after the other: %llu + %llu = %llu cycles; at once: %.2fx the throughput\n"
            "DRAM: %llu bytes from the units (%s at the tech table's dram64, in the nets' dram "
            "energy above), %llu bytes of DMA\n",
            (unsigned long long)run, fps, freq_hz / 1e6, (unsigned long long)ov,
            run ? 100.0 * (double)ov / (double)run : 0, c->t[bn].net->name,
            (unsigned long long)u[bn].elapsed,
            u[bn].elapsed ? 100.0 * (double)u[bn].busy / (double)u[bn].elapsed : 0,
            (unsigned long long)u[0].elapsed, (unsigned long long)u[1].elapsed,
            (unsigned long long)serial, run ? (double)serial / (double)run : 0,
            (unsigned long long)dram, erg_report_si(dram_j, "J", ej, sizeof ej),
            (unsigned long long)dma);
}

int run_concurrent(const opts *o, const char *backend, const erg_chip *chip, const erg_net *na,
                   const erg_weights *wa, const erg_net *nb, const erg_weights *wb,
                   const erg_array *img, const erg_array *lab, long long n, erg_outfile *of,
                   erg_error *e) {
    if (strcmp(backend, "systemc") != 0 && strcmp(backend, "systemc-ideal") != 0)
        return erg_fail(e, "--concurrent runs two nets at once on the SystemC platform: add "
                           "--backend systemc (or systemc-ideal)");
    if (na->input.h != nb->input.h || na->input.w != nb->input.w || na->input.c != nb->input.c) {
        char a[32], b[32];
        return erg_fail(
            e, "--concurrent: net '%s' takes %s images and net '%s' %s: they share the inputs",
            na->name, erg_shape_str(na->input, a, sizeof a), nb->name,
            erg_shape_str(nb->input, b, sizeof b));
    }
    conc_run c;
    memset(&c, 0, sizeof c);
    c.img = img, c.lab = lab, c.frames = n, c.quiet = o->quiet;
    c.t[0].net = na, c.t[0].wt = wa;
    c.t[1].net = nb, c.t[1].wt = wb;
    for (int i = 0; i < 2; i++) {
        c.t[i].amac = !erg_net_is_binary(c.t[i].net);
        int has_bna = erg_chip_unit_of_kind(chip, ERG_UNIT_BNA) >= 0;
        if (c.t[i].amac && !erg_chip_has_amac(chip))
            return erg_fail(e, "--concurrent: net '%s' is int8 and chip '%s' has no amac unit",
                            c.t[i].net->name, chip->name);
        if (!c.t[i].amac && !has_bna)
            return erg_fail(e, "--concurrent: net '%s' is binary and chip '%s' has no bna unit",
                            c.t[i].net->name, chip->name);
    }
    if (c.t[0].amac == c.t[1].amac)
        return erg_fail(e,
                        "--concurrent: nets '%s' and '%s' would both run on the chip's %s unit; "
                        "give one binary net (a bna unit) and one int8 net (an amac unit)",
                        na->name, nb->name, c.t[0].amac ? "amac" : "bna");
    erg_tech tech[2];
    erg_energy_ctx ebna;
    erg_mac_energy_ctx emac;
    double freq_hz = 0;
    for (int i = 0; i < 2; i++) {
        int bad = c.t[i].amac
                      ? erg_chip_mac_energy(&emac, &tech[i], chip, o->tech, o->volt, o->freq_hz, e)
                      : erg_chip_energy(&ebna, &tech[i], chip, o->tech, o->volt, o->freq_hz, e);
        if (bad) return -1;
    }
    erg_backend *be = erg_backend_create(backend, chip, o->trace, e);
    if (!be) return -1;
    int rc = -1, inited[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        conc_net *t = &c.t[i];
        erg_backend *h = erg_systemc_host(be, i, -1);
        int bad = t->amac ? erg_amac_runner_init_on(&t->ar, t->net, t->wt, chip, h, 0, e)
                          : erg_chip_runner_init_on(&t->cr, t->net, t->wt, chip, h, e);
        if (bad) goto out;
        inited[i] = 1;
        t->unit = t->amac ? t->ar.unit : t->cr.map.unit;
        erg_systemc_host(be, i, t->unit); /* CPU i takes its unit's interrupt alone */
    }
    erg_sc_stats s0 = *erg_systemc_stats(be);
    if (erg_systemc_parallel(be, 2, frames_of, &c)) {
        for (int i = 0; i < 2; i++)
            if (c.t[i].cls < 0) *e = c.t[i].e;
        goto out;
    }
    const char *fmt = o->format ? o->format : "table";
    if (strcmp(fmt, "json") == 0) fprintf(of->f, "{\"concurrent\": [");
    for (int i = 0; i < 2; i++) {
        conc_net *t = &c.t[i];
        erg_report rep;
        int bad = t->amac ? erg_report_build_amac(&rep, &t->ar, &emac, backend, e)
                          : erg_report_build(&rep, &t->cr, &ebna, backend, e);
        if (bad) goto out;
        rep.cls = t->cls;
        rep.frames = n;
        rep.correct = t->correct;
        rep.labelled = lab->data != NULL;
        if (!freq_hz) freq_hz = rep.freq_hz;
        if (strcmp(fmt, "table") == 0 && i) fputc('\n', of->f);
        if (strcmp(fmt, "json") == 0 && i) fprintf(of->f, ",\n");
        erg_report_print(of->f, &rep, fmt);
        erg_report_free(&rep);
    }
    if (strcmp(fmt, "json") == 0) fprintf(of->f, "],\n");
    print_system(of->f, fmt, chip, &c, erg_systemc_stats(be), &s0, freq_hz);
    rc = 0;
out:
    for (int i = 0; i < 2; i++)
        if (inited[i]) {
            if (c.t[i].amac)
                erg_amac_runner_free(&c.t[i].ar);
            else
                erg_chip_runner_free(&c.t[i].cr);
        }
    erg_backend_destroy(be);
    return rc;
}
