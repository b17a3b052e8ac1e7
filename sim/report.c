/* report.c — building and printing the per-layer energy report of a chip run. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "erg_regs.h"
#include "outfile.h"
#include "tech.h"

static int kmax_of(const erg_unit_cfg *u) {
    int k = 0;
    for (int i = 0; i < u->n_kernels; i++)
        if (u->kernels[i] > k) k = u->kernels[i];
    return k;
}

/* The tech table and the operating point (supply, clock) a chip run is priced at. */
static int chip_op(erg_tech *tech, const erg_chip *chip, const char *tech_path, double *volt,
                   double *freq_hz, erg_error *err) {
    if (erg_tech_load(tech, tech_path ? tech_path : chip->tech, err)) return -1;
    double v[ERG_CHIP_MAX_OPS], f[ERG_CHIP_MAX_OPS];
    for (int i = 0; i < chip->n_ops; i++) {
        v[i] = chip->ops[i].voltage;
        f[i] = chip->ops[i].freq_hz;
    }
    if (*volt <= 0) *volt = v[chip->n_ops - 1];
    double fmax;
    if (erg_op_freq_check(v, f, chip->n_ops, *volt, &fmax, err)) return -1;
    if (*freq_hz <= 0) *freq_hz = fmax;
    if (*freq_hz > fmax * (1 + 1e-9))
        return erg_fail(err, "%.4g MHz exceeds chip '%s''s maximum clock at %.3g V (%.4g MHz)",
                        *freq_hz / 1e6, chip->name, *volt, fmax / 1e6);
    return 0;
}

int erg_chip_mac_energy(erg_mac_energy_ctx *e, erg_tech *tech, const erg_chip *chip,
                        const char *tech_path, double volt, double freq_hz, erg_error *err) {
    if (chip_op(tech, chip, tech_path, &volt, &freq_hz, err)) return -1;
    const erg_unit_cfg *u = NULL;
    for (int i = 0; i < chip->n_units && !u; i++)
        if (chip->units[i].kind == ERG_UNIT_AMAC) u = &chip->units[i];
    if (!u) return erg_fail(err, "chip '%s' has no amac unit", chip->name);
    erg_mac_energy_geom g = {.rows = u->amac.rows,
                             .cols = u->amac.cols,
                             .ifmap_sram_bytes = (double)u->amac.ifmap_sram_bytes,
                             .filter_sram_bytes = (double)u->amac.filter_sram_bytes,
                             .ofmap_sram_bytes = (double)u->amac.ofmap_sram_bytes,
                             .lmem_sram_bytes = u->lmem_on_chip ? (double)u->amac.lmem_bytes : 0};
    return erg_mac_energy_init(e, tech, &g, volt, freq_hz, chip->area_mm2, chip->energy_scale, err);
}

int erg_chip_energy(erg_energy_ctx *e, erg_tech *tech, const erg_chip *chip, const char *tech_path,
                    double volt, double freq_hz, erg_error *err) {
    if (chip_op(tech, chip, tech_path, &volt, &freq_hz, err)) return -1;
    const erg_unit_cfg *u = &chip->units[0];
    erg_bna_energy_geom g;
    if (erg_bna_energy_geom_init(&g, u->neurons, kmax_of(u), u->max_channels, u->weight_banks,
                                 u->weight_sram_bytes, u->fmap_sram_bytes, err))
        return -1;
    return erg_energy_init(e, tech, &g, volt, freq_hz, chip->area_mm2, chip->energy_scale, err);
}

int erg_report_build(erg_report *r, const erg_chip_runner *run, const erg_energy_ctx *e,
                     const char *backend, erg_error *err) {
    memset(r, 0, sizeof *r);
    const erg_net *net = run->net;
    r->chip = run->chip->name;
    r->net = net->name;
    r->backend = backend;
    r->tech = e->tech;
    r->volt = e->volt;
    r->freq_hz = e->freq_hz;
    r->area_mm2 = e->area_mm2;
    r->area_source = run->chip->area_source;
    r->n = net->n_layers;
    r->l = calloc((size_t)r->n, sizeof *r->l);
    if (!r->l) return erg_fail(err, "out of memory");
    const erg_unit_cfg *u = &run->chip->units[run->map.unit];
    int k = kmax_of(u);
    /* the array's peak: N neurons x Kmax^2 x C binary MACs per cycle */
    double peak_per_cycle = (double)u->neurons * k * k * u->max_channels;
    for (int i = 0; i < r->n; i++) {
        erg_report_layer *rl = &r->l[i];
        const erg_counters *c = &run->cnt[i];
        rl->name = net->layers[i].name;
        rl->unit = run->map.l[i].unit < 0 ? "-" : run->chip->units[run->map.l[i].unit].name;
        rl->cycles = c->v[ERG_CNT_cycles];
        rl->stall_cycles = c->v[ERG_CNT_stall_cycles];
        rl->macs = c->v[ERG_CNT_bmac];
        rl->ops = erg_energy_ops(c);
        erg_energy_layer(e, c, &rl->e);
        rl->tops_per_w = erg_energy_tops_per_w((double)rl->ops, rl->e.total);
        rl->utilization = rl->cycles ? (double)rl->macs / ((double)rl->cycles * peak_per_cycle) : 0;
        r->cycles += rl->cycles;
        r->macs += rl->macs;
        r->ops += rl->ops;
        erg_energy_add(&r->e, &rl->e);
    }
    r->fps = erg_energy_fps(e->freq_hz, r->cycles);
    r->uj_per_frame = erg_energy_uj_per_frame(r->e.total);
    r->power_w = erg_energy_power_w(r->e.total, r->fps);
    r->tops_per_w = erg_energy_tops_per_w((double)r->ops, r->e.total);
    r->scores = run->scores;
    r->n_scores = run->n_scores;
    return 0;
}

int erg_report_build_amac(erg_report *r, const erg_amac_runner *run, const erg_mac_energy_ctx *e,
                          const char *backend, erg_error *err) {
    memset(r, 0, sizeof *r);
    const erg_net *net = run->net;
    const erg_unit_cfg *u = &run->chip->units[run->unit];
    r->chip = run->chip->name;
    r->net = net->name;
    r->backend = backend;
    r->tech = e->tech;
    r->volt = e->volt;
    r->freq_hz = e->freq_hz;
    r->area_mm2 = e->area_mm2;
    r->area_source = run->chip->area_source;
    r->op_point = net->ops[run->op].name;
    r->int8 = 1;
    r->lmem_bytes = run->lmem_used;
    r->n = net->n_layers;
    r->l = calloc((size_t)r->n, sizeof *r->l);
    if (!r->l) return erg_fail(err, "out of memory");
    for (int i = 0; i < r->n; i++) {
        erg_report_layer *rl = &r->l[i];
        const erg_amac_map_layer *ml = &run->l[i];
        rl->name = net->layers[i].name;
        if (ml->where != ERG_AMAC_ON_UNIT) {
            rl->unit = ml->where == ERG_AMAC_ON_HOST ? "host" : "-";
            continue;
        }
        erg_mac_stats c;
        _Static_assert(sizeof c == sizeof run->cnt[i].v, "AMAC counters: driver and model differ");
        memcpy(&c, run->cnt[i].v, sizeof c);
        rl->unit = u->name;
        rl->mul = erg_amac_runner_mul_name(run, i);
        rl->cycles = c.cycles;
        rl->stall_cycles = c.stall_cycles;
        rl->macs = c.macs;
        rl->ops = erg_mac_energy_ops(&c);
        erg_mac_energy_layer(e, &c, erg_amac_runner_mul_rel_energy(run, i), &rl->e);
        rl->tops_per_w = erg_energy_tops_per_w((double)rl->ops, rl->e.total);
        rl->utilization =
            c.cycles ? (double)c.active_pe_cycles / ((double)c.cycles * u->amac.rows * u->amac.cols)
                     : 0;
        r->cycles += rl->cycles;
        r->macs += rl->macs;
        r->ops += rl->ops;
        erg_energy_add(&r->e, &rl->e);
    }
    r->fps = erg_energy_fps(e->freq_hz, r->cycles);
    r->uj_per_frame = erg_energy_uj_per_frame(r->e.total);
    r->power_w = erg_energy_power_w(r->e.total, r->fps);
    r->tops_per_w = erg_energy_tops_per_w((double)r->ops, r->e.total);
    r->scores = run->scores;
    r->n_scores = run->n_scores;
    return 0;
}

void erg_report_free(erg_report *r) {
    free(r->l);
    r->l = NULL;
}

const char *erg_report_si(double v, const char *unit, char *buf, size_t len) {
    static const char *const pre[] = {"p", "n", "u", "m", "", "k", "M", "G"};
    if (v == 0) {
        snprintf(buf, len, "0 %s", unit);
        return buf;
    }
    int e = (int)floor(log10(fabs(v)) / 3);
    if (e < -4) e = -4;
    if (e > 3) e = 3;
    snprintf(buf, len, "%.3g %s%s", v / pow(10, 3 * e), pre[e + 4], unit);
    return buf;
}

static void print_table(FILE *f, const erg_report *r) {
    char a[32], b[32], c[32], d[32];
    fprintf(f, "chip %s, net %s, backend %s, tech %s, %.3g V, %s, area %.3g mm^2 (%s)\n\n", r->chip,
            r->net, r->backend, r->tech, r->volt, erg_report_si(r->freq_hz, "Hz", a, sizeof a),
            r->area_mm2, r->area_source ? r->area_source : "?");
    if (r->op_point) fprintf(f, "op point %s\n\n", r->op_point);
    int muls = 0;
    for (int i = 0; i < r->n; i++) muls |= r->l[i].mul && r->l[i].mul[0];
    fprintf(f, "%-10s %-6s ", "layer", "unit");
    if (muls) fprintf(f, "%-8s ", "mult");
    fprintf(f, "%10s %8s %14s %10s %10s %10s %10s %10s %10s %10s %6s\n", "cycles", "stall", "MACs",
            "energy", "compute", "sram", "dram", "clock", "leak", "TOPS/W", "util");
    for (int i = 0; i < r->n; i++) {
        const erg_report_layer *l = &r->l[i];
        if (!l->cycles) {
            fprintf(f, "%-10s %-6s %s\n", l->name, l->unit,
                    strcmp(l->unit, "host") == 0 ? "(on the host, no unit cycles)"
                                                 : "(view, no cycles)");
            continue;
        }
        char e1[32], e2[32], e3[32], e4[32], e5[32], e6[32];
        fprintf(f, "%-10s %-6s ", l->name, l->unit);
        if (muls) fprintf(f, "%-8s ", l->mul ? l->mul : "");
        fprintf(f, "%10llu %8llu %14llu %10s %10s %10s %10s %10s %10s %10.1f %5.1f%%\n",
                (unsigned long long)l->cycles, (unsigned long long)l->stall_cycles,
                (unsigned long long)l->macs, erg_report_si(l->e.total, "J", e1, sizeof e1),
                erg_report_si(l->e.compute, "J", e2, sizeof e2),
                erg_report_si(l->e.sram, "J", e3, sizeof e3),
                erg_report_si(l->e.dram, "J", e6, sizeof e6),
                erg_report_si(l->e.clock, "J", e4, sizeof e4),
                erg_report_si(l->e.leak, "J", e5, sizeof e5), l->tops_per_w,
                100.0 * l->utilization);
    }
    fprintf(f, "%-10s %-6s ", "total", "");
    if (muls) fprintf(f, "%-8s ", "");
    fprintf(f, "%10llu %8s %14llu %10s\n", (unsigned long long)r->cycles, "",
            (unsigned long long)r->macs, erg_report_si(r->e.total, "J", a, sizeof a));
    fprintf(f, "\n%s/frame, %s frames/s, %s, %.*f %s\n",
            erg_report_si(r->e.total, "J", b, sizeof b), erg_report_si(r->fps, "", c, sizeof c),
            erg_report_si(r->power_w, "W", d, sizeof d), r->int8 ? 3 : 1, r->tops_per_w,
            r->int8 ? "TOPS/W (ops = 2 x int8 MACs)" : "1b-TOPS/W (ops = 2 x binary MACs)");
    if (r->lmem_bytes)
        fprintf(f, "local memory used: %llu bytes\n", (unsigned long long)r->lmem_bytes);
    fprintf(f, "energy by component:");
    for (int i = 0; i < ERG_EC_COUNT; i++)
        fprintf(f, " %s %s", erg_energy_component_name(i),
                erg_report_si(erg_energy_component(&r->e, i), "J", a, sizeof a));
    fprintf(f, "\n");
    if (r->labelled)
        fprintf(f, "accuracy %.2f %% (%lld / %lld correct)\n",
                100.0 * (double)r->correct / (double)r->frames, r->correct, r->frames);
    else if (r->frames == 1) {
        fprintf(f, "class %d, scores:", r->cls);
        for (int k = 0; k < r->n_scores; k++) fprintf(f, " %lld", (long long)r->scores[k]);
        fprintf(f, "\n");
    }
}

static void print_csv(FILE *f, const erg_report *r) {
    fprintf(f, "name,unit,cycles,stall_cycles,macs,ops,energy_j");
    for (int i = 0; i < ERG_EC_COUNT; i++) fprintf(f, ",%s_j", erg_energy_component_name(i));
    fprintf(f, ",tops_per_w,utilization%s\n", r->op_point ? ",op_point,multiplier" : "");
    for (int i = 0; i < r->n; i++) {
        const erg_report_layer *l = &r->l[i];
        fprintf(f, "%s,%s,%llu,%llu,%llu,%llu,%.6e", l->name, l->unit,
                (unsigned long long)l->cycles, (unsigned long long)l->stall_cycles,
                (unsigned long long)l->macs, (unsigned long long)l->ops, l->e.total);
        for (int k = 0; k < ERG_EC_COUNT; k++) fprintf(f, ",%.6e", erg_energy_component(&l->e, k));
        fprintf(f, ",%.6g,%.6g", l->tops_per_w, l->utilization);
        if (r->op_point) fprintf(f, ",%s,%s", r->op_point, l->mul ? l->mul : "");
        fprintf(f, "\n");
    }
    fprintf(f, "total,,%llu,,%llu,%llu,%.6e", (unsigned long long)r->cycles,
            (unsigned long long)r->macs, (unsigned long long)r->ops, r->e.total);
    for (int k = 0; k < ERG_EC_COUNT; k++) fprintf(f, ",%.6e", erg_energy_component(&r->e, k));
    fprintf(f, ",%.6g,", r->tops_per_w);
    if (r->op_point) fprintf(f, ",%s,", r->op_point);
    fprintf(f, "\n");
}

static void json_energy(FILE *f, const erg_energy_breakdown *e) {
    fprintf(f, "{");
    for (int k = 0; k < ERG_EC_COUNT; k++)
        fprintf(f, "%s\"%s\": %.6e", k ? ", " : "", erg_energy_component_name(k),
                erg_energy_component(e, k));
    fprintf(f, "}");
}

static void print_json(FILE *f, const erg_report *r) {
    fprintf(f, "{\"schema_version\": 1, \"chip\": ");
    erg_json_str(f, r->chip);
    fprintf(f, ", \"net\": ");
    erg_json_str(f, r->net);
    fprintf(f, ", \"backend\": ");
    erg_json_str(f, r->backend);
    fprintf(f, ", \"tech\": ");
    erg_json_str(f, r->tech);
    fprintf(f, ", \"voltage_v\": %.6g, \"freq_hz\": %.6g, \"area_mm2\": %.6g, \"area_source\": ",
            r->volt, r->freq_hz, r->area_mm2);
    erg_json_str(f, r->area_source ? r->area_source : "");
    if (r->op_point) {
        fprintf(f, ", \"op_point\": ");
        erg_json_str(f, r->op_point);
    }
    fprintf(f, ",\n \"layers\": [");
    for (int i = 0; i < r->n; i++) {
        const erg_report_layer *l = &r->l[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        erg_json_str(f, l->name);
        fprintf(f, ", \"unit\": ");
        erg_json_str(f, l->unit);
        fprintf(f,
                ", \"cycles\": %llu, \"stall_cycles\": %llu, \"macs\": %llu, \"ops\": %llu, "
                "\"energy_j\": %.6e, \"energy\": ",
                (unsigned long long)l->cycles, (unsigned long long)l->stall_cycles,
                (unsigned long long)l->macs, (unsigned long long)l->ops, l->e.total);
        json_energy(f, &l->e);
        fprintf(f, ", \"tops_per_w\": %.6g, \"utilization\": %.6g", l->tops_per_w, l->utilization);
        if (l->mul) {
            fprintf(f, ", \"multiplier\": ");
            erg_json_str(f, l->mul);
        }
        fprintf(f, "}");
    }
    fprintf(f, "],\n \"stages\": [");
    for (int i = 0; i < r->n_stages; i++) {
        const erg_report_stage *st = &r->stages[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        erg_json_str(f, st->name);
        fprintf(f, ", \"unit\": ");
        erg_json_str(f, st->unit);
        fprintf(f, ", \"first_layer\": ");
        erg_json_str(f, st->first);
        fprintf(f, ", \"last_layer\": ");
        erg_json_str(f, st->last);
        fprintf(f,
                ", \"cycles_per_frame\": %llu, \"busy_cycles\": %llu, \"stall_cycles\": %llu, "
                "\"run_cycles\": %llu, \"utilization\": %.6g, \"energy_j\": %.6e, \"ops\": %.6g, "
                "\"tops_per_w\": %.6g}",
                (unsigned long long)st->cycles_per_frame, (unsigned long long)st->busy_cycles,
                (unsigned long long)st->stall_cycles, (unsigned long long)r->run_cycles,
                st->utilization, st->energy_j, st->ops, st->tops_per_w);
    }
    fprintf(f,
            "],\n \"total\": {\"cycles\": %llu, \"macs\": %llu, \"ops\": %llu, "
            "\"energy_j\": %.6e, \"energy\": ",
            (unsigned long long)r->cycles, (unsigned long long)r->macs, (unsigned long long)r->ops,
            r->e.total);
    json_energy(f, &r->e);
    fprintf(f,
            ", \"uj_per_frame\": %.6g, \"fps\": %.6g, \"power_w\": %.6g, \"tops_per_w\": "
            "%.6g},\n \"outputs\": {\"class\": %d, \"scores\": [",
            r->uj_per_frame, r->fps, r->power_w, r->tops_per_w, r->cls);
    for (int k = 0; k < r->n_scores; k++)
        fprintf(f, "%s%lld", k ? ", " : "", (long long)r->scores[k]);
    fprintf(f, "]}");
    if (r->labelled)
        fprintf(f, ",\n \"accuracy\": %.6f, \"correct\": %lld",
                (double)r->correct / (double)r->frames, r->correct);
    fprintf(f, ", \"frames\": %lld", r->frames);
    if (r->extra_json) r->extra_json(f, r->extra_ctx);
    fprintf(f, "}\n");
}

void erg_report_print(FILE *f, const erg_report *r, const char *fmt) {
    if (strcmp(fmt, "csv") == 0)
        print_csv(f, r);
    else if (strcmp(fmt, "json") == 0)
        print_json(f, r);
    else
        print_table(f, r);
}

int erg_chip_peak(erg_peak *p, const erg_chip *chip, const char *tech_path, erg_error *e) {
    memset(p, 0, sizeof *p);
    const erg_unit_cfg *u = &chip->units[0];
    erg_backend *be = erg_backend_create("cmodel", chip, NULL, e);
    if (!be) return -1;
    erg_drv_bna_info info;
    erg_counters c = {{0}};
    int rc = -1;
    if (erg_drv_bna_probe(&be->bus, u->base, &info, e)) goto out;
    int k = 0;
    for (int i = 0; i < u->n_kernels; i++)
        if (u->kernels[i] > k) k = u->kernels[i];
    /* the largest map whose output fits one buffer, up to the unit's largest feature map */
    int hw = u->max_fmap_h < u->max_fmap_w ? u->max_fmap_h : u->max_fmap_w;
    int64_t words = (u->max_channels + 63) / 64;
    while (hw > k && (int64_t)hw * hw * words > info.fmap_words) hw--;
    erg_drv_layer l = {0};
    l.op = ERG_BNA_OP_CONV;
    l.in_h = l.in_w = (uint32_t)hw;
    l.in_c = l.out_c = (uint32_t)u->max_channels;
    l.k = (uint32_t)k;
    l.src = 0;
    l.dst = 1;
    if (erg_drv_run_layer(&be->bus, &info, &l, 1ull << 40, &c, e)) goto out;
    erg_tech tech;
    if (erg_tech_load(&tech, tech_path ? tech_path : chip->tech, e)) goto out;
    double v[ERG_CHIP_MAX_OPS], f[ERG_CHIP_MAX_OPS];
    for (int i = 0; i < chip->n_ops; i++) {
        v[i] = chip->ops[i].voltage;
        f[i] = chip->ops[i].freq_hz;
    }
    erg_bna_energy_geom g;
    if (erg_bna_energy_geom_init(&g, u->neurons, k, u->max_channels, u->weight_banks,
                                 u->weight_sram_bytes, u->fmap_sram_bytes, e))
        goto out;
    int best =
        erg_energy_best_op(&tech, &g, &c, v, f, chip->n_ops, chip->area_mm2, chip->energy_scale, e);
    if (best < 0) goto out;
    erg_energy_ctx ectx;
    if (erg_energy_init(&ectx, &tech, &g, v[best], f[best], chip->area_mm2, chip->energy_scale, e))
        goto out;
    erg_energy_breakdown b;
    erg_energy_layer(&ectx, &c, &b);
    p->tops_per_w = erg_energy_tops_per_w((double)erg_energy_ops(&c), b.total);
    p->volt = v[best];
    p->freq_hz = f[best];
    p->k = k;
    p->channels = u->max_channels;
    p->hw = hw;
    p->c = c;
    p->utilization = (double)c.v[ERG_CNT_bmac] /
                     ((double)c.v[ERG_CNT_cycles] * u->neurons * k * k * u->max_channels);
    rc = 0;
out:
    erg_backend_destroy(be);
    return rc;
}
