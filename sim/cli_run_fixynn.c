/* cli_run_fixynn.c — `erg run` on a hybrid chip (a fwfe unit in front of an amac unit,
 * docs/fwfe.md "Hybrid system"): every frame through the fixed front-end and the programmable
 * back-end (fixynn.h), and through the all-programmable chip of the same silicon area for the
 * comparison; then the per-layer report of both stages, each stage's busy time, utilization
 * and energy, and the comparison table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amac_run.h"
#include "cli.h"
#include "erg_array.h"
#include "erg_fwfe_energy.h"
#include "fixynn.h"
#include "fwfe_net.h"
#include "json.h"
#include "net.h"
#include "outfile.h"
#include "report.h"

/* What the comparison needs beyond the report (the JSON "fixynn" key and the table). */
typedef struct fix_summary {
    const erg_chip *chip, *iso;
    const erg_fixynn *h;
    const erg_report *rep, *irep, *prep; /* hybrid, iso-area, the back-end chip alone */
    int iso_rows, iso_cols, base_rows, base_cols, budget;
    uint64_t period, latency;
    double e_front, ops_front;         /* the fixed layers on the fwfe, one frame (busy) */
    double e_back, ops_back;           /* the back-end's layers, one frame (busy) */
    double e_front_iso, ops_front_iso; /* the same layers on the iso-area array */
    uint64_t cyc_front_iso;
    double df_tops_per_w; /* DeepFreeze analytic, 16 nm */
    double idle_leak;     /* leakage of the stage that waits, per frame */
    long long correct_iso, correct_plain;
} fix_summary;

static double ratio(double a, double b) {
    return b > 0 ? a / b : 0;
}

static void fix_json(FILE *f, const void *vctx) {
    const fix_summary *s = vctx;
    const erg_report *r = s->rep, *i = s->irep;
    fprintf(f,
            ",\n \"fixynn\": {\"period_cycles\": %llu, \"latency_cycles\": %llu, "
            "\"front_period_cycles\": %llu, \"front_latency_cycles\": %llu, ",
            (unsigned long long)s->period, (unsigned long long)s->latency,
            (unsigned long long)s->h->front_period, (unsigned long long)s->h->front_cycles);
    fprintf(f, "\"fifo_bytes\": %llu, \"fifo_slots\": %d, \"map_bytes\": %llu, ",
            (unsigned long long)s->chip->fwfe.fifo_bytes, s->h->slots,
            (unsigned long long)s->h->map_bytes);
    fprintf(f, "\"bottleneck\": \"%s\", \"idle_leak_j\": %.6e,\n",
            s->h->front_period > s->h->back_cycles ? "front" : "back", s->idle_leak);
    fprintf(f,
            "  \"fixed\": {\"energy_j\": %.6e, \"ops\": %.6g, \"tops_per_w\": %.6g, "
            "\"deepfreeze_16nm_tops_per_w\": %.6g, \"iso_array_energy_j\": %.6e, "
            "\"iso_array_cycles\": %llu, \"iso_array_tops_per_w\": %.6g, \"tops_per_w_ratio\": "
            "%.6g},\n",
            s->e_front, s->ops_front, ratio(s->ops_front, s->e_front) / 1e12, s->df_tops_per_w,
            s->e_front_iso, (unsigned long long)s->cyc_front_iso,
            ratio(s->ops_front_iso, s->e_front_iso) / 1e12,
            ratio(ratio(s->ops_front, s->e_front), ratio(s->ops_front_iso, s->e_front_iso)));
    fprintf(f, "  \"iso_area\": {\"chip\": ");
    erg_json_str(f, s->iso->name);
    fprintf(f,
            ", \"rows\": %d, \"cols\": %d, \"area_mm2\": %.6g, \"cycles\": %llu, \"fps\": %.6g, "
            "\"uj_per_frame\": %.6g, \"tops_per_w\": %.6g",
            s->iso_rows, s->iso_cols, s->iso->area_mm2, (unsigned long long)i->cycles, i->fps,
            i->uj_per_frame, i->tops_per_w);
    if (r->labelled)
        fprintf(f, ", \"accuracy\": %.6f, \"correct\": %lld",
                (double)s->correct_iso / (double)r->frames, s->correct_iso);
    fprintf(f, ", \"pe_budget\": %d},\n  \"programmable_only\": {\"rows\": %d, \"cols\": %d, ",
            s->budget, s->base_rows, s->base_cols);
    fprintf(f,
            "\"area_mm2\": %.6g, \"cycles\": %llu, \"fps\": %.6g, \"uj_per_frame\": %.6g, "
            "\"tops_per_w\": %.6g",
            s->prep->area_mm2, (unsigned long long)s->prep->cycles, s->prep->fps,
            s->prep->uj_per_frame, s->prep->tops_per_w);
    if (r->labelled)
        fprintf(f, ", \"accuracy\": %.6f, \"correct\": %lld",
                (double)s->correct_plain / (double)r->frames, s->correct_plain);
    fprintf(f,
            "},\n  \"hybrid_vs_iso\": {\"fps_ratio\": %.6g, \"energy_ratio\": %.6g, "
            "\"tops_per_w_ratio\": %.6g}}",
            ratio(r->fps, i->fps), ratio(r->e.total, i->e.total),
            ratio(r->tops_per_w, i->tops_per_w));
}

static void fix_table(FILE *f, const fix_summary *s) {
    const erg_report *r = s->rep, *i = s->irep;
    const erg_fixynn *h = s->h;
    const erg_fwfe_unit_cfg *u = &s->chip->fwfe;
    const erg_net *net = h->net;
    char a[32], b[32];
    fprintf(f,
            "\nhybrid: %s (%s..%s, fixed weights) -> FIFO %llu bytes (%d map%s of %llu) -> %s "
            "(%s..%s)\n",
            u->name, net->layers[h->first].name, net->layers[h->last].name,
            (unsigned long long)u->fifo_bytes, h->slots, h->slots == 1 ? "" : "s",
            (unsigned long long)h->map_bytes, s->chip->units[h->back.unit].name,
            net->layers[h->last + 1].name, net->layers[net->n_layers - 1].name);
    fprintf(f, "%-6s %-8s %-16s %12s %14s %12s %7s %11s %9s\n", "stage", "unit", "layers",
            "cycles/frame", "busy cycles", "stall cyc", "util", "energy", "TOPS/W");
    for (int k = 0; k < r->n_stages; k++) {
        const erg_report_stage *st = &r->stages[k];
        char lay[64];
        snprintf(lay, sizeof lay, "%s..%s", st->first, st->last);
        fprintf(f, "%-6s %-8s %-16s %12llu %14llu %12llu %6.1f%% %11s %9.3f\n", st->name, st->unit,
                lay, (unsigned long long)st->cycles_per_frame, (unsigned long long)st->busy_cycles,
                (unsigned long long)st->stall_cycles, 100 * st->utilization,
                erg_report_si(st->energy_j, "J", a, sizeof a), st->tops_per_w);
    }
    fprintf(f,
            "run: %lld frame%s in %llu cycles; period max(%llu, %llu) = %llu cycles (bottleneck: "
            "the %s), latency %llu + %llu = %llu cycles; %s frames/s; idle-stage leakage "
            "%s/frame\n",
            r->frames, r->frames == 1 ? "" : "s", (unsigned long long)r->run_cycles,
            (unsigned long long)h->front_period, (unsigned long long)h->back_cycles,
            (unsigned long long)s->period, h->front_period > h->back_cycles ? "front" : "back-end",
            (unsigned long long)h->front_cycles, (unsigned long long)h->back_cycles,
            (unsigned long long)s->latency, erg_report_si(r->fps, "", a, sizeof a),
            erg_report_si(s->idle_leak, "J", b, sizeof b));
    fprintf(f,
            "(the front-end takes a frame every %llu cycles, frames back to back in its "
            "pipeline; each takes %llu cycles from its first beat to its last output)\n",
            (unsigned long long)h->front_period, (unsigned long long)h->front_cycles);

    fprintf(f,
            "\nagainst the all-programmable chip of the same area (%.4g mm^2): %s without the "
            "fixed front-end, its %.4g mm^2 spent on PEs (%d PEs at most), shaped %dx%d (the "
            "fewest cycles for this net), and against %s alone (%dx%d, %.4g mm^2)\n",
            s->chip->area_mm2, s->chip->units[h->back.unit].name, u->area_mm2, s->budget,
            s->iso_rows, s->iso_cols, s->chip->units[h->back.unit].name, s->base_rows, s->base_cols,
            s->prep->area_mm2);
    fprintf(f, "%-34s %12s %12s %11s %9s %9s\n", "", "cycles/frame", "frames/s", "uJ/frame",
            "TOPS/W", "accuracy");
    const erg_report *rows[3] = {r, i, s->prep};
    long long corr[3] = {r->correct, s->correct_iso, s->correct_plain};
    char names[3][64];
    snprintf(names[0], sizeof names[0], "hybrid (%s + %dx%d)", u->name, s->base_rows, s->base_cols);
    snprintf(names[1], sizeof names[1], "all-programmable, iso-area (%dx%d)", s->iso_rows,
             s->iso_cols);
    snprintf(names[2], sizeof names[2], "programmable only (%dx%d)", s->base_rows, s->base_cols);
    for (int k = 0; k < 3; k++) {
        char acc[16] = "-";
        if (r->labelled)
            snprintf(acc, sizeof acc, "%.2f%%", 100.0 * (double)corr[k] / (double)r->frames);
        fprintf(f, "%-34s %12llu %12.1f %11.4f %9.3f %9s\n", names[k],
                (unsigned long long)(k ? rows[k]->cycles : s->period), rows[k]->fps,
                rows[k]->uj_per_frame, rows[k]->tops_per_w, acc);
    }
    fprintf(f, "%-34s %12s %11.3fx %10.3fx %8.3fx\n", "hybrid / iso-area", "",
            ratio(r->fps, i->fps), ratio(r->uj_per_frame, i->uj_per_frame),
            ratio(r->tops_per_w, i->tops_per_w));
    double tf = ratio(s->ops_front, s->e_front) / 1e12,
           ti = ratio(s->ops_front_iso, s->e_front_iso) / 1e12;
    fprintf(f,
            "fixed layers %s..%s: %s/frame, %.3f TOPS/W on %s; %s/frame, %.3f TOPS/W in %llu "
            "cycles on the %dx%d array: %.2fx the TOPS/W (FixyNN reports up to 4.81x)\n",
            net->layers[h->first].name, net->layers[h->last].name,
            erg_report_si(s->e_front, "J", a, sizeof a), tf, u->name,
            erg_report_si(s->e_front_iso, "J", b, sizeof b), ti,
            (unsigned long long)s->cyc_front_iso, s->iso_rows, s->iso_cols, ratio(tf, ti));
    fprintf(f,
            "DeepFreeze's analytic model of the fixed layers (16 nm constants, 810 MHz): %.2f "
            "TOPS/W (FixyNN reports up to 26.6 TOPS/W for its fixed part)\n",
            s->df_tops_per_w);
}

int run_fixynn(const opts *o, const char *backend, const erg_chip *chip, const erg_net *net, int op,
               const erg_weights *wt, const erg_array *img, const erg_array *lab, long long n,
               erg_outfile *of, erg_error *e) {
    const erg_fwfe_unit_cfg *u = &chip->fwfe;
    if (strcmp(backend, "cmodel") != 0 && strcmp(backend, "rtl") != 0 &&
        strcmp(backend, "cosim") != 0)
        return erg_fail(e,
                        "chip '%s' is a hybrid (fwfe unit '%s'): its back-end runs on backend "
                        "cmodel, rtl or cosim, not '%s' (the SystemC platform does not model the "
                        "fixed front-end)",
                        chip->name, u->name, backend);
    if (o->trace)
        return erg_fail(e,
                        "--trace: chip '%s' is a hybrid; trace its back-end on a chip without "
                        "the fwfe unit, or the front-end with `erg gen fwfe --vectors` and "
                        "its testbench",
                        chip->name);
    if (!(chip->area_mm2 > u->area_mm2))
        return erg_fail(e,
                        "%s: area_mm2 = %g is the whole chip and must exceed fwfe unit '%s''s "
                        "area_mm2 = %g (line %u)",
                        chip->path, chip->area_mm2, u->name, u->area_mm2, u->line);
    /* the back-end's energy with its own area (the chip's minus the front-end's) */
    erg_chip back_chip = *chip;
    back_chip.area_mm2 = chip->area_mm2 - u->area_mm2;
    erg_tech tech;
    erg_mac_energy_ctx ectx, ictx;
    if (erg_chip_mac_energy(&ectx, &tech, &back_chip, o->tech, o->volt, o->freq_hz, e)) return -1;
    erg_chip *iso = malloc(sizeof *iso);
    if (!iso) return erg_fail(e, "out of memory");
    int budget = 0;
    int rc = -1, have_h = 0, have_i = 0, have_rep = 0, have_irep = 0;
    erg_fixynn h;
    erg_amac_runner ir, pr;
    erg_report rep, irep, prep;
    int have_p = 0, have_prep = 0;
    erg_report_stage stages[2];
    erg_fwfe_ppa *ppa = NULL;
    if (erg_fixynn_iso_chip(chip, net, wt, op, iso, &budget, e)) goto out;
    if (erg_chip_mac_energy(&ictx, &tech, iso, o->tech, o->volt, o->freq_hz, e)) goto out;
    if (erg_fixynn_init(&h, net, wt, chip, backend, op, e)) goto out;
    have_h = 1;
    if (erg_amac_runner_init(&ir, net, wt, iso, "cmodel", NULL, op, e)) {
        erg_error_prefix(e, "the all-programmable chip of the same area (%s)", iso->name);
        goto out;
    }
    have_i = 1;
    back_chip.has_fwfe = 0;
    if (erg_amac_runner_init(&pr, net, wt, &back_chip, "cmodel", NULL, op, e)) goto out;
    have_p = 1;
    size_t img_bytes = (size_t)erg_shape_count(net->input);
    int labelled = lab->data != NULL;
    long long correct = 0, correct_iso = 0, correct_plain = 0;
    int cls = -1;
    for (long long k = 0; k < n; k++) {
        const uint8_t *im = (const uint8_t *)img->data + (size_t)k * img_bytes;
        cls = erg_fixynn_run(&h, im, e);
        if (cls < 0) goto out;
        int ci = erg_amac_runner_run(&ir, im, e);
        if (ci < 0) goto out;
        int cp = erg_amac_runner_run(&pr, im, e);
        if (cp < 0) goto out;
        if (labelled) {
            uint8_t want = ((const uint8_t *)lab->data)[k];
            correct += cls == want;
            correct_iso += ci == want;
            correct_plain += cp == want;
        }
        erg_run_progress(o->quiet, k + 1, n, correct, labelled);
    }

    if (erg_report_build_amac(&rep, &h.back, &ectx, backend, e)) goto out;
    have_rep = 1;
    if (erg_report_build_amac(&irep, &ir, &ictx, "cmodel", e)) goto out;
    have_irep = 1;
    if (erg_report_build_amac(&prep, &pr, &ectx, "cmodel", e)) goto out;
    have_prep = 1;
    prep.area_mm2 = back_chip.area_mm2;
    rep.chip = chip->name;
    rep.area_mm2 = chip->area_mm2;
    rep.frames = irep.frames = n;
    rep.correct = correct;
    rep.labelled = labelled;
    rep.cls = cls;

    /* the fixed layers' rows: the FWFE's counters priced on the same table and point; leakage
     * of the front-end's area, shared among its layers as DeepFreeze's area estimate shares it */
    int nf = h.last - h.first + 1;
    ppa = calloc((size_t)nf, sizeof *ppa);
    if (!ppa) {
        erg_fail(e, "out of memory");
        goto out;
    }
    erg_fwfe_ppa df;
    erg_fwfe_ppa_chain(h.fwfe, ppa, &df);
    fix_summary s = {.chip = chip, .iso = iso, .h = &h, .rep = &rep, .irep = &irep, .prep = &prep};
    s.budget = budget;
    s.df_tops_per_w = df.tops_per_w;
    /* the system's period and the leakage of the stage that waits for the other (clock-gated,
     * still leaking): booked on that stage's layers, by area share (front) or cycles (back) */
    s.period = h.front_period > h.back_cycles ? h.front_period : h.back_cycles;
    s.latency = h.front_cycles + h.back_cycles;
    double p_front = tech.leak_w_per_mm2 * u->area_mm2 * erg_vscale_leak(ectx.volt, tech.vdd);
    double idle_front = p_front * (double)(s.period - h.front_period) / ectx.freq_hz;
    double idle_back = ectx.p_leak_w * (double)(s.period - h.back_cycles) / ectx.freq_hz;
    s.idle_leak = idle_front + idle_back;
    s.e_back = rep.e.total;
    s.ops_back = (double)rep.ops;
    for (int i = h.last + 1; i < rep.n && h.back_cycles; i++) {
        erg_report_layer *rl = &rep.l[i];
        double x = idle_back * (double)rl->cycles / (double)h.back_cycles;
        rl->e.leak += x;
        rl->e.total += x;
        rl->tops_per_w = erg_energy_tops_per_w((double)rl->ops, rl->e.total);
    }
    uint64_t prev_out = 0; /* a fixed layer's cycles: what it adds to the front-end's frame */
    for (int i = 0; i < nf; i++) {
        erg_report_layer *rl = &rep.l[h.first + i];
        erg_fwfe_energy_in in;
        erg_fixynn_energy_in(&h, i, &in);
        double share = df.area_mm2 > 0 ? ppa[i].area_mm2 / df.area_mm2 : 1.0 / nf;
        if (erg_fwfe_energy_layer(&tech, ectx.volt, ectx.freq_hz, chip->energy_scale,
                                  u->area_mm2 * share, &in, &rl->e, e))
            goto out;
        s.e_front += rl->e.total;
        rl->e.leak += idle_front * share;
        rl->e.total += idle_front * share;
        rl->unit = u->name;
        rl->mul = "csd";
        uint64_t end = i == nf - 1 ? h.front_cycles : h.fst[i].last_out_cycle + 1;
        rl->cycles = end - prev_out;
        prev_out = end;
        rl->macs = (uint64_t)erg_fwfe_layer_macs(h.fwfe, i);
        rl->ops = 2 * rl->macs;
        rl->tops_per_w = erg_energy_tops_per_w((double)rl->ops, rl->e.total);
        rl->utilization = (double)h.fst[i].outputs / (double)h.front_cycles;
        s.ops_front += (double)rl->ops;
        const erg_report_layer *il = &irep.l[h.first + i];
        s.e_front_iso += il->e.total;
        s.ops_front_iso += (double)il->ops;
        s.cyc_front_iso += il->cycles;
    }
    /* totals: the sum over the layers (the report schema), the rate from the period */
    memset(&rep.e, 0, sizeof rep.e);
    rep.cycles = rep.macs = rep.ops = 0;
    for (int i = 0; i < rep.n; i++) {
        erg_energy_add(&rep.e, &rep.l[i].e);
        rep.cycles += rep.l[i].cycles;
        rep.macs += rep.l[i].macs;
        rep.ops += rep.l[i].ops;
    }
    rep.fps = erg_energy_fps(ectx.freq_hz, s.period);
    rep.uj_per_frame = erg_energy_uj_per_frame(rep.e.total);
    rep.power_w = erg_energy_power_w(rep.e.total, rep.fps);
    rep.tops_per_w = erg_energy_tops_per_w((double)rep.ops, rep.e.total);
    rep.run_cycles = h.sched.end;
    const erg_fixynn_sched *sc = &h.sched;
    stages[0] = (erg_report_stage){.name = "front",
                                   .unit = u->name,
                                   .first = net->layers[h.first].name,
                                   .last = net->layers[h.last].name,
                                   .cycles_per_frame = h.front_period,
                                   .busy_cycles = sc->front_busy,
                                   .stall_cycles = sc->front_stall,
                                   .utilization = ratio((double)sc->front_busy, (double)sc->end),
                                   .energy_j = s.e_front,
                                   .ops = s.ops_front,
                                   .tops_per_w = erg_energy_tops_per_w(s.ops_front, s.e_front)};
    stages[1] = (erg_report_stage){.name = "back",
                                   .unit = chip->units[h.back.unit].name,
                                   .first = net->layers[h.last + 1].name,
                                   .last = net->layers[net->n_layers - 1].name,
                                   .cycles_per_frame = h.back_cycles,
                                   .busy_cycles = sc->back_busy,
                                   .stall_cycles = sc->back_wait,
                                   .utilization = ratio((double)sc->back_busy, (double)sc->end),
                                   .energy_j = s.e_back,
                                   .ops = s.ops_back,
                                   .tops_per_w = erg_energy_tops_per_w(s.ops_back, s.e_back)};
    rep.stages = stages;
    rep.n_stages = 2;
    s.correct_iso = correct_iso;
    s.correct_plain = correct_plain;
    s.base_rows = chip->units[h.back.unit].amac.rows;
    const erg_unit_cfg *iu = &iso->units[ir.unit];
    s.iso_rows = iu->amac.rows;
    s.iso_cols = iu->amac.cols;
    s.base_cols = chip->units[h.back.unit].amac.cols;
    rep.extra_json = fix_json;
    rep.extra_ctx = &s;
    const char *fmt = o->format ? o->format : "table";
    erg_report_print(of->f, &rep, fmt);
    if (strcmp(fmt, "table") == 0) fix_table(of->f, &s);
    rc = 0;
out:
    free(ppa);
    if (have_rep) erg_report_free(&rep);
    if (have_irep) erg_report_free(&irep);
    if (have_i) erg_amac_runner_free(&ir);
    if (have_p) erg_amac_runner_free(&pr);
    if (have_prep) erg_report_free(&prep);
    if (have_h) erg_fixynn_free(&h);
    free(iso);
    return rc;
}
