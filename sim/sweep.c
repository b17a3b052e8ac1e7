/* sweep.c — the sweep specification, its points and their evaluation (sweep.h, docs/sweep.md). */
#include "sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "amac_run.h"
#include "cfg.h"
#include "chip.h"
#include "erg_rng.h"
#include "net.h"
#include "outfile.h"
#include "platform.h"
#include "qnn.h"
#include "report.h"
#include "tech.h"
#include "weights.h"

static const char *const EVALS[] = {"estimate", "cmodel", NULL};
static const char *const OBJS[] = {"energy_j", "cycles", "tops_per_w", "fps", "area_mm2", NULL};

static const erg_key PARAM_KEYS[] = {
    {.name = "key", .kind = ERG_K_STRING, .required = 1},
    {.name = "values", .kind = ERG_K_ANY, .required = 1}, /* numbers or strings: read_values */
    {0}};

static const erg_key AREA_KEYS[] = {
    {.name = "pe_transistors", .kind = ERG_K_FLOAT, .required = 1, .fmin = 1, .fmax = 1e9},
    {.name = "other_mm2", .kind = ERG_K_FLOAT, .fmin = 0, .fmax = 1e4},
    {0}};

static const erg_key SWEEP_KEYS[] = {
    {.name = "name", .kind = ERG_K_STRING, .required = 1},
    {.name = "description", .kind = ERG_K_STRING},
    {.name = "evaluator", .kind = ERG_K_ENUM, .required = 1, .enums = EVALS},
    {.name = "platform", .kind = ERG_K_STRING},
    {.name = "chip", .kind = ERG_K_STRING},
    {.name = "nets", .kind = ERG_K_STRINGS, .nmin = 1, .nmax = ERG_SWEEP_MAX_NETS},
    {.name = "qnn", .kind = ERG_K_STRINGS, .nmin = 1, .nmax = ERG_SWEEP_MAX_NETS},
    {.name = "params",
     .kind = ERG_K_GROUPS,
     .children = PARAM_KEYS,
     .nmax = ERG_SWEEP_MAX_PARAMS,
     .item = "parameter"},
    {.name = "objectives", .kind = ERG_K_STRINGS, .nmin = 2, .nmax = 2},
    {.name = "area", .kind = ERG_K_GROUP, .children = AREA_KEYS},
    {0}};

/* The parameter keys of each evaluator (levels.NAME.FIELD for the platform's levels). */
static const char *const EST_KEYS[] = {"voltage",      "freq_mhz",       "area_mm2",
                                       "energy_scale", "array.rows",     "array.cols",
                                       "array.vector", "array.dataflow", "bits"};
static const char *const LEVEL_FIELDS[] = {"bytes",          "ifmap_bytes", "filter_bytes",
                                           "ofmap_bytes",    "bank_bytes",  "word_bits",
                                           "bytes_per_cycle"};
static const char *const CM_KEYS[] = {
    "voltage",          "unit.rows",       "unit.cols", "unit.ifmap_sram",
    "unit.filter_sram", "unit.ofmap_sram", "unit.lmem", "unit.dram_bytes_per_cycle",
    "op_point"};
#define N_OF(a) (int)(sizeof(a) / sizeof((a)[0]))

static int value_is_size(const char *key) {
    const char *dot = strrchr(key, '.');
    const char *f = dot ? dot + 1 : key;
    return strstr(f, "bytes") && strcmp(f, "bytes_per_cycle") != 0 ? 1
           : strcmp(f, "ifmap_sram") == 0 || strcmp(f, "filter_sram") == 0 ||
                   strcmp(f, "ofmap_sram") == 0 || strcmp(f, "lmem") == 0
               ? 1
               : 0;
}

/* The key is one the evaluator knows; else a message with the nearest. */
static int check_key(const erg_sweep *s, const erg_est_platform *plat, const erg_sweep_param *p,
                     const config_setting_t *g, const char *path, erg_error *err) {
    const char *k = p->key;
    if (s->eval == ERG_SWEEP_CMODEL) {
        for (int i = 0; i < N_OF(CM_KEYS); i++)
            if (!strcmp(k, CM_KEYS[i])) return 0;
        const char *near = erg_nearest(k, CM_KEYS, N_OF(CM_KEYS));
        return erg_cfg_fail(err, g, path, "unknown parameter '%s' for the cmodel evaluator%s%s%s",
                            k, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    for (int i = 0; i < N_OF(EST_KEYS); i++)
        if (!strcmp(k, EST_KEYS[i])) return 0;
    if (!strncmp(k, "levels.", 7)) {
        const char *name = k + 7, *dot = strchr(name, '.');
        if (dot) {
            int lv = -1;
            for (int i = 0; i < plat->n_levels; i++)
                if ((size_t)(dot - name) == strlen(plat->levels[i].name) &&
                    !strncmp(name, plat->levels[i].name, (size_t)(dot - name)))
                    lv = i;
            if (lv < 0)
                return erg_cfg_fail(err, g, path,
                                    "parameter '%s': the platform has no level '%.*s'", k,
                                    (int)(dot - name), name);
            for (int i = 0; i < N_OF(LEVEL_FIELDS); i++)
                if (!strcmp(dot + 1, LEVEL_FIELDS[i])) return 0;
            const char *near = erg_nearest(dot + 1, LEVEL_FIELDS, N_OF(LEVEL_FIELDS));
            return erg_cfg_fail(err, g, path, "parameter '%s': a level has no field '%s'%s%s%s", k,
                                dot + 1, near ? " (did you mean '" : "", near ? near : "",
                                near ? "'?)" : "");
        }
    }
    const char *near = erg_nearest(k, EST_KEYS, N_OF(EST_KEYS));
    return erg_cfg_fail(
        err, g, path,
        "unknown parameter '%s' for the estimate evaluator (or levels.NAME.FIELD)%s%s%s", k,
        near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

static int read_values(erg_sweep_param *p, const config_setting_t *g, const char *path,
                       erg_error *err) {
    const config_setting_t *v = config_setting_get_member(g, "values");
    char vpath[96];
    snprintf(vpath, sizeof vpath, "%s.values", path);
    if (!v) return erg_cfg_fail(err, g, path, "parameter '%s' has no values = [...]", p->key);
    int t = config_setting_type(v);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return erg_cfg_fail(err, v, vpath, "expected a list of values [a, b, ...]");
    p->n = config_setting_length(v);
    if (p->n < 1)
        return erg_cfg_fail(err, v, vpath, "parameter '%s': an empty range (no values)", p->key);
    if (p->n > ERG_SWEEP_MAX_VALUES)
        return erg_cfg_fail(err, v, vpath, "parameter '%s': %d values, at most %d", p->key, p->n,
                            ERG_SWEEP_MAX_VALUES);
    for (int i = 0; i < p->n; i++) {
        const config_setting_t *e = config_setting_get_elem(v, (unsigned)i);
        erg_sweep_value *x = &p->v[i];
        int et = config_setting_type(e);
        if (et == CONFIG_TYPE_STRING) {
            snprintf(x->str, sizeof x->str, "%s", config_setting_get_string(e));
            x->is_str = 1;
            if (value_is_size(p->key)) { /* "32 KiB" */
                int64_t b = erg_parse_size(x->str);
                if (b < 1)
                    return erg_cfg_fail(err, e, vpath, "'%s' is not a size like 4096 or \"32 KiB\"",
                                        x->str);
                x->num = (double)b, x->is_str = 0;
            }
        } else if (et == CONFIG_TYPE_INT || et == CONFIG_TYPE_INT64 || et == CONFIG_TYPE_FLOAT) {
            x->num = et == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                             : (double)config_setting_get_int64(e);
            if (!(x->num >= 0))
                return erg_cfg_fail(err, e, vpath, "parameter '%s': value %g is negative", p->key,
                                    x->num);
        } else {
            return erg_cfg_fail(err, e, vpath, "expected a number or a string");
        }
        int want_str = !strcmp(p->key, "array.dataflow") || !strcmp(p->key, "op_point");
        if (want_str != x->is_str)
            return erg_cfg_fail(err, e, vpath, "parameter '%s' takes %s", p->key,
                                want_str ? "strings" : "numbers (or sizes)");
        if (!strcmp(p->key, "bits")) {
            int b = (int)x->num;
            if (x->num != b || (b != 1 && b != 2 && b != 4 && b != 8 && b != 16))
                return erg_cfg_fail(err, e, vpath,
                                    "bits = %g: the estimator prices 1, 2, 4, 8 and 16 bits",
                                    x->num);
        }
        if (!strcmp(p->key, "array.dataflow") && strcmp(x->str, "os") && strcmp(x->str, "ws") &&
            strcmp(x->str, "is"))
            return erg_cfg_fail(err, e, vpath, "dataflow '%s': expected os, ws or is", x->str);
    }
    return 0;
}

static void resolve(char *out, size_t n, const char *dir, const char *p) {
    snprintf(out, n, "%s%s", p[0] == '/' ? "" : dir, p);
}

int erg_sweep_load(erg_sweep *s, const char *path, erg_error *err) {
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    erg_cfg cfg;
    if (erg_cfg_load(&cfg, path, SWEEP_KEYS, err)) return -1;
    int rc = -1;
    const config_setting_t *root = config_root_setting(&cfg.lc);
    snprintf(s->name, sizeof s->name, "%s", erg_cfg_str(root, "name", "?"));
    s->eval = (erg_sweep_eval)erg_cfg_enum(root, "evaluator", EVALS, 0);
    const char *bkey = s->eval == ERG_SWEEP_ESTIMATE ? "platform" : "chip";
    const char *base = erg_cfg_str(root, bkey, NULL);
    if (!base) {
        erg_cfg_fail(err, root, "", "the %s evaluator needs %s = \"...\"", EVALS[s->eval], bkey);
        goto out;
    }
    resolve(s->base, sizeof s->base, cfg.dir, base);
    erg_est_platform plat;
    erg_chip chip;
    if (s->eval == ERG_SWEEP_ESTIMATE ? erg_platform_load(&plat, s->base, err)
                                      : erg_chip_load(&chip, s->base, err)) {
        erg_error_prefix(err, path);
        goto out;
    }
    if (s->eval == ERG_SWEEP_CMODEL && !erg_chip_has_amac(&chip)) {
        erg_cfg_fail(err, config_setting_get_member(root, "chip"), "chip",
                     "the cmodel evaluator sweeps chips with an amac unit; %s has none", s->base);
        goto out;
    }
    const config_setting_t *nets = config_setting_get_member(root, "nets");
    const config_setting_t *qnn = config_setting_get_member(root, "qnn");
    if (!nets && !qnn) {
        erg_cfg_fail(err, root, "",
                     "no networks: give nets = [\"NET.cfg\", ...] or qnn = [\"SPEC\", ...]");
        goto out;
    }
    if (qnn && s->eval == ERG_SWEEP_CMODEL) {
        erg_cfg_fail(err, qnn, "qnn", "QNN family nets have no weights to run: estimate only");
        goto out;
    }
    for (int i = 0; nets && i < config_setting_length(nets); i++) {
        const char *np = config_setting_get_string_elem(nets, i);
        snprintf(s->net_label[s->n_nets], sizeof s->net_label[0], "%s", np);
        resolve(s->nets[s->n_nets++], sizeof s->nets[0], cfg.dir, np);
    }
    for (int i = 0; qnn && i < config_setting_length(qnn); i++) {
        if (s->n_nets == ERG_SWEEP_MAX_NETS) {
            erg_cfg_fail(err, qnn, "qnn", "more than %d networks", ERG_SWEEP_MAX_NETS);
            goto out;
        }
        const char *spec = config_setting_get_string_elem(qnn, i);
        erg_qnn_spec q;
        erg_error e;
        if (erg_qnn_parse(spec, &q, &e)) {
            char p[32];
            snprintf(p, sizeof p, "qnn[%d]", i);
            erg_cfg_fail(err, config_setting_get_elem(qnn, (unsigned)i), p, "%s", e.msg);
            goto out;
        }
        snprintf(s->nets[s->n_nets], sizeof s->nets[0], "%s", spec);
        snprintf(s->net_label[s->n_nets], sizeof s->net_label[0], "%s", spec);
        s->net_is_qnn[s->n_nets++] = 1;
    }
    const config_setting_t *ps = config_setting_get_member(root, "params");
    s->n_params = ps ? config_setting_length(ps) : 0;
    int has_bits = 0;
    for (int i = 0; i < s->n_params; i++) {
        const config_setting_t *g = config_setting_get_elem(ps, (unsigned)i);
        erg_sweep_param *p = &s->p[i];
        char gpath[32];
        snprintf(gpath, sizeof gpath, "params[%d]", i);
        const char *key = erg_cfg_str(g, "key", NULL);
        if (!key) {
            erg_cfg_fail(err, g, gpath, "a parameter needs key = \"...\"");
            goto out;
        }
        snprintf(p->key, sizeof p->key, "%s", key);
        p->line = config_setting_source_line(g);
        for (int j = 0; j < i; j++)
            if (!strcmp(s->p[j].key, p->key)) {
                erg_cfg_fail(err, g, gpath, "parameter '%s' is already swept (line %u)", p->key,
                             s->p[j].line);
                goto out;
            }
        if (check_key(s, &plat, p, g, gpath, err) || read_values(p, g, gpath, err)) goto out;
        has_bits |= !strcmp(p->key, "bits");
    }
    if (has_bits)
        for (int n = 0; n < s->n_nets; n++)
            if (!s->net_is_qnn[n]) {
                erg_cfg_fail(err, ps, "params",
                             "parameter 'bits' sets the width of QNN family nets (qnn = [...]); "
                             "%s is a net config with its own widths",
                             s->nets[n]);
                goto out;
            }
    const config_setting_t *ar = config_setting_get_member(root, "area");
    if (ar) {
        erg_tech ctech;
        if (s->eval == ERG_SWEEP_CMODEL && erg_tech_load(&ctech, chip.tech, err)) {
            erg_error_prefix(err, path);
            goto out;
        }
        const erg_tech *t = s->eval == ERG_SWEEP_ESTIMATE ? &plat.tech : &ctech;
        if (!(t->area_logic_mtr_per_mm2 > 0) || !(t->area_sram_bit_um2 > 0)) {
            erg_cfg_fail(err, ar, "area",
                         "the area model needs the tech table's area = { logic_mtr_per_mm2; "
                         "sram_bit_um2; ... } figures, and %s has none",
                         t->path);
            goto out;
        }
        s->mtr_per_mm2 = t->area_logic_mtr_per_mm2;
        s->sram_bit_um2 = t->area_sram_bit_um2;
        s->logic_util = t->area_logic_utilization > 0 ? t->area_logic_utilization : 1;
        s->sram_eff = t->area_sram_array_efficiency > 0 ? t->area_sram_array_efficiency : 1;
        s->pe_transistors = erg_cfg_float(ar, "pe_transistors", 0);
        s->other_mm2 = erg_cfg_float(ar, "other_mm2", 0);
    }
    s->obj[0] = ERG_OBJ_ENERGY, s->obj[1] = ERG_OBJ_CYCLES;
    const config_setting_t *ob = config_setting_get_member(root, "objectives");
    erg_error oe;
    if (ob && erg_sweep_objectives(s, config_setting_get_string_elem(ob, 0),
                                   config_setting_get_string_elem(ob, 1), &oe)) {
        erg_cfg_fail(err, ob, "objectives", "%s", oe.msg);
        goto out;
    }
    s->n_points = (uint64_t)s->n_nets;
    for (int i = 0; i < s->n_params; i++) s->n_points *= (uint64_t)s->p[i].n;
    rc = 0;
out:
    erg_cfg_free(&cfg);
    return rc;
}

int erg_sweep_objectives(erg_sweep *s, const char *first, const char *second, erg_error *err) {
    const char *o[2] = {first, second};
    erg_sweep_obj k[2];
    for (int i = 0; i < 2; i++) {
        int j = 0;
        while (OBJS[j] && strcmp(OBJS[j], o[i])) j++;
        if (!OBJS[j]) {
            const char *near = erg_nearest(o[i], OBJS, ERG_OBJ_COUNT);
            return erg_fail(err,
                            "unknown objective '%s'%s%s%s (energy_j, cycles, tops_per_w, fps, "
                            "area_mm2)",
                            o[i], near ? " (did you mean '" : "", near ? near : "",
                            near ? "'?)" : "");
        }
        if (j == ERG_OBJ_AREA && !(s->pe_transistors > 0))
            return erg_fail(err,
                            "objective 'area_mm2' needs an area = { pe_transistors = N; } group");
        k[i] = (erg_sweep_obj)j;
    }
    if (k[0] == k[1]) return erg_fail(err, "the two objectives are both '%s'", o[0]);
    s->obj[0] = k[0], s->obj[1] = k[1];
    return 0;
}

void erg_sweep_point(const erg_sweep *s, uint64_t index, int *net, int *vals) {
    for (int i = s->n_params - 1; i >= 0; i--) {
        vals[i] = (int)(index % (uint64_t)s->p[i].n);
        index /= (uint64_t)s->p[i].n;
    }
    *net = (int)index;
}

/* ---- evaluation ---- */

static int apply_platform(erg_est_platform *p, const char *key, const erg_sweep_value *v,
                          erg_error *err) {
    if (!strcmp(key, "voltage"))
        p->volt = v->num;
    else if (!strcmp(key, "freq_mhz"))
        p->freq_hz = v->num * 1e6;
    else if (!strcmp(key, "area_mm2"))
        p->area_mm2 = v->num;
    else if (!strcmp(key, "energy_scale"))
        p->scale = v->num;
    else if (!strcmp(key, "array.rows"))
        p->rows = (int)v->num;
    else if (!strcmp(key, "array.cols"))
        p->cols = (int)v->num;
    else if (!strcmp(key, "array.vector"))
        p->vector = (int)v->num;
    else if (!strcmp(key, "array.dataflow"))
        p->dataflow = !strcmp(v->str, "os")   ? ERG_EST_OS
                      : !strcmp(v->str, "ws") ? ERG_EST_WS
                                              : ERG_EST_IS;
    else if (!strncmp(key, "levels.", 7)) {
        const char *name = key + 7, *dot = strchr(name, '.');
        for (int i = 0; i < p->n_levels; i++) {
            erg_est_level *l = &p->levels[i];
            if ((size_t)(dot - name) != strlen(l->name) ||
                strncmp(name, l->name, (size_t)(dot - name)))
                continue;
            const char *f = dot + 1;
            if (!strcmp(f, "bytes")) {
                /* a resized buffer keeps its split in proportion */
                if (i == p->local && l->bytes > 0) {
                    double k = v->num / l->bytes;
                    l->ifmap_bytes *= k, l->filter_bytes *= k, l->ofmap_bytes *= k;
                    if (l->bank_bytes > 0) l->bank_bytes *= k;
                }
                l->bytes = v->num;
            } else if (!strcmp(f, "ifmap_bytes"))
                l->ifmap_bytes = v->num;
            else if (!strcmp(f, "filter_bytes"))
                l->filter_bytes = v->num;
            else if (!strcmp(f, "ofmap_bytes"))
                l->ofmap_bytes = v->num;
            else if (!strcmp(f, "bank_bytes"))
                l->bank_bytes = v->num;
            else if (!strcmp(f, "word_bits"))
                l->word_bits = (int)v->num;
            else if (!strcmp(f, "bytes_per_cycle"))
                l->bytes_per_cycle = v->num;
        }
    } else if (strcmp(key, "bits") != 0) {
        return erg_fail(err, "unknown parameter '%s'", key);
    }
    return 0;
}

static int eval_estimate(const erg_sweep *s, int net, const int *vals, erg_sweep_result *r,
                         erg_error *err) {
    erg_est_platform p;
    if (erg_platform_load(&p, s->base, err)) return -1;
    int bits = 0;
    for (int i = 0; i < s->n_params; i++) {
        if (!strcmp(s->p[i].key, "bits")) bits = (int)s->p[i].v[vals[i]].num;
        if (apply_platform(&p, s->p[i].key, &s->p[i].v[vals[i]], err)) return -1;
    }
    if (s->pe_transistors > 0) {
        double sram = 0;
        for (int i = 0; i < p.n_levels; i++)
            if (p.levels[i].kind == ERG_EST_SRAM) sram += p.levels[i].bytes;
        p.area_mm2 = erg_sweep_area_mm2(s, (double)p.rows * p.cols, sram);
    }
    if (erg_est_platform_init(&p, err)) return -1;
    erg_net n;
    if (s->net_is_qnn[net]) {
        erg_qnn_spec q;
        if (erg_qnn_parse(s->nets[net], &q, err)) return -1;
        if (bits) q.bits = bits;
        if (erg_qnn_load(&n, &q, err)) return -1;
    } else if (erg_net_load_any_bits(&n, s->nets[net], err)) {
        return -1;
    }
    erg_est_result *lr = calloc((size_t)n.n_layers, sizeof *lr), t;
    int rc = lr ? erg_platform_estimate(&p, &n, lr, &t, err) : erg_fail(err, "out of memory");
    if (!rc) {
        double secs = t.cycles / p.freq_hz;
        r->energy_j = t.total, r->cycles = t.cycles, r->macs = t.macs;
        r->uj_per_frame = t.total * 1e6;
        r->fps = secs > 0 ? 1 / secs : 0;
        r->tops_per_w = t.total > 0 ? 2 * t.macs / t.total / 1e12 : 0;
        r->area_mm2 = p.area_mm2;
    }
    free(lr);
    erg_net_free(&n);
    return rc;
}

static int eval_cmodel(const erg_sweep *s, int net, const int *vals, erg_sweep_result *r,
                       erg_error *err) {
    erg_chip chip;
    if (erg_chip_load(&chip, s->base, err)) return -1;
    int u = 0;
    while (u < chip.n_units && chip.units[u].kind != ERG_UNIT_AMAC) u++;
    erg_amac_params *a = &chip.units[u].amac;
    double volt = 0;
    const char *op_name = NULL;
    for (int i = 0; i < s->n_params; i++) {
        const char *k = s->p[i].key;
        const erg_sweep_value *v = &s->p[i].v[vals[i]];
        if (!strcmp(k, "voltage"))
            volt = v->num;
        else if (!strcmp(k, "op_point"))
            op_name = v->str;
        else if (!strcmp(k, "unit.rows"))
            a->rows = (int)v->num;
        else if (!strcmp(k, "unit.cols"))
            a->cols = (int)v->num;
        else if (!strcmp(k, "unit.ifmap_sram"))
            a->ifmap_sram_bytes = (uint64_t)v->num;
        else if (!strcmp(k, "unit.filter_sram"))
            a->filter_sram_bytes = (uint64_t)v->num;
        else if (!strcmp(k, "unit.ofmap_sram"))
            a->ofmap_sram_bytes = (uint64_t)v->num;
        else if (!strcmp(k, "unit.lmem"))
            a->lmem_bytes = (uint64_t)v->num;
        else if (!strcmp(k, "unit.dram_bytes_per_cycle"))
            a->dram_bytes_per_cycle = v->num;
    }
    erg_net n;
    erg_weights wt;
    if (erg_net_load(&n, s->nets[net], err)) return -1;
    if (erg_weights_load(&wt, &n, err)) {
        erg_net_free(&n);
        return -1;
    }
    int op = 0, rc = -1;
    if (op_name && (op = erg_net_op_find(&n, op_name, err)) < 0) goto out_net;
    if (s->pe_transistors > 0)
        chip.area_mm2 = erg_sweep_area_mm2(
            s, (double)a->rows * a->cols,
            (double)(a->ifmap_sram_bytes + a->filter_sram_bytes + a->ofmap_sram_bytes) +
                (chip.units[u].lmem_on_chip ? (double)a->lmem_bytes : 0));
    erg_tech tech;
    erg_mac_energy_ctx ectx;
    if (erg_chip_mac_energy(&ectx, &tech, &chip, NULL, volt, 0, err)) goto out_net;
    erg_amac_runner ar;
    if (erg_amac_runner_init(&ar, &n, &wt, &chip, "cmodel", NULL, op, err)) goto out_net;
    /* one seeded random frame: the unit's counters do not depend on the data */
    size_t bytes = (size_t)erg_shape_count(n.input);
    uint8_t *img = malloc(bytes);
    erg_rng rng;
    erg_rng_seed(&rng, 1);
    for (size_t k = 0; img && k < bytes; k++) img[k] = (uint8_t)erg_rng_range(&rng, 0, 255);
    erg_report rep;
    if (img && erg_amac_runner_run(&ar, img, err) >= 0 &&
        erg_report_build_amac(&rep, &ar, &ectx, "cmodel", err) == 0) {
        r->energy_j = rep.e.total, r->cycles = (double)rep.cycles, r->macs = (double)rep.macs;
        r->uj_per_frame = rep.uj_per_frame, r->fps = rep.fps, r->tops_per_w = rep.tops_per_w;
        r->area_mm2 = chip.area_mm2;
        erg_report_free(&rep);
        rc = 0;
    }
    free(img);
    erg_amac_runner_free(&ar);
out_net:
    erg_weights_free(&wt);
    erg_net_free(&n);
    return rc;
}

int erg_sweep_eval_point(const erg_sweep *s, uint64_t index, erg_sweep_result *r, erg_error *err) {
    int net, vals[ERG_SWEEP_MAX_PARAMS];
    memset(r, 0, sizeof *r);
    erg_sweep_point(s, index, &net, vals);
    int rc = s->eval == ERG_SWEEP_ESTIMATE ? eval_estimate(s, net, vals, r, err)
                                           : eval_cmodel(s, net, vals, r, err);
    if (rc) {
        char what[64];
        snprintf(what, sizeof what, "point %llu", (unsigned long long)index);
        erg_error_prefix(err, what);
    }
    return rc;
}

double erg_sweep_area_mm2(const erg_sweep *s, double pes, double sram_bytes) {
    return pes * s->pe_transistors / (s->mtr_per_mm2 * 1e6) / s->logic_util +
           sram_bytes * 8 * s->sram_bit_um2 * 1e-6 / s->sram_eff + s->other_mm2;
}

/* ---- output ---- */

void erg_sweep_json_line(FILE *f, const erg_sweep *s, uint64_t index, const erg_sweep_result *r) {
    erg_sweep_json_obj(f, s, index, r);
    fputc('\n', f);
}

void erg_sweep_json_obj(FILE *f, const erg_sweep *s, uint64_t index, const erg_sweep_result *r) {
    int net, vals[ERG_SWEEP_MAX_PARAMS];
    erg_sweep_point(s, index, &net, vals);
    fprintf(f, "{\"index\": %llu, \"net\": ", (unsigned long long)index);
    erg_json_str(f, s->net_label[net]);
    fprintf(f, ", \"params\": {");
    for (int i = 0; i < s->n_params; i++) {
        fprintf(f, "%s", i ? ", " : "");
        erg_json_str(f, s->p[i].key);
        const erg_sweep_value *v = &s->p[i].v[vals[i]];
        if (v->is_str) {
            fprintf(f, ": ");
            erg_json_str(f, v->str);
        } else {
            fprintf(f, ": %.10g", v->num);
        }
    }
    fprintf(f,
            "}, \"energy_j\": %.9e, \"cycles\": %.0f, \"macs\": %.0f, \"uj_per_frame\": %.9g, "
            "\"fps\": %.9g, \"tops_per_w\": %.9g, \"area_mm2\": %.9g}",
            r->energy_j, r->cycles, r->macs, r->uj_per_frame, r->fps, r->tops_per_w, r->area_mm2);
}

static int field(const char *line, const char *name, double *v) {
    char key[40];
    snprintf(key, sizeof key, "\"%s\": ", name);
    const char *p = strstr(line, key);
    if (!p) return -1;
    char *end;
    *v = strtod(p + strlen(key), &end);
    return end == p + strlen(key) ? -1 : 0;
}

int erg_sweep_parse_line(const char *line, uint64_t *index, erg_sweep_result *r) {
    double idx;
    if (strncmp(line, "{\"index\": ", 10) || field(line, "index", &idx) ||
        field(line, "energy_j", &r->energy_j) || field(line, "cycles", &r->cycles) ||
        field(line, "macs", &r->macs) || field(line, "uj_per_frame", &r->uj_per_frame) ||
        field(line, "fps", &r->fps) || field(line, "tops_per_w", &r->tops_per_w) ||
        field(line, "area_mm2", &r->area_mm2))
        return -1;
    size_t n = strlen(line);
    if (n < 2 || line[n - 1] != '\n' || line[n - 2] != '}') return -1;
    *index = (uint64_t)idx;
    return 0;
}

const char *erg_sweep_obj_name(erg_sweep_obj o) {
    return (unsigned)o < ERG_OBJ_COUNT ? OBJS[o] : "?";
}

/* as a quantity to minimize */
double erg_sweep_objective(erg_sweep_obj o, const erg_sweep_result *r) {
    switch (o) {
    case ERG_OBJ_ENERGY:
        return r->energy_j;
    case ERG_OBJ_CYCLES:
        return r->cycles;
    case ERG_OBJ_TOPS_W:
        return -r->tops_per_w;
    case ERG_OBJ_AREA:
        return r->area_mm2;
    default:
        return -r->fps;
    }
}

typedef struct pareto_key {
    double a0, a1;
    uint64_t idx;
    int i;
} pareto_key;

static int pareto_cmp(const void *x, const void *y) {
    const pareto_key *a = x, *b = y;
    if (a->a0 != b->a0) return a->a0 < b->a0 ? -1 : 1;
    if (a->a1 != b->a1) return a->a1 < b->a1 ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorted by (first objective, second, index), a point is on the front when its second objective
 * is strictly below that of every point before it: O(n log n). Of equal points only the lowest
 * index stays. The front comes out sorted by the first objective. */
void erg_sweep_pareto(const erg_sweep *s, const uint64_t *idx, const erg_sweep_result *r, int n,
                      int *front, int *m) {
    *m = 0;
    pareto_key *k = malloc((size_t)(n > 0 ? n : 1) * sizeof *k);
    if (!k) return;
    for (int i = 0; i < n; i++)
        k[i] = (pareto_key){erg_sweep_objective(s->obj[0], &r[i]),
                            erg_sweep_objective(s->obj[1], &r[i]), idx[i], i};
    qsort(k, (size_t)n, sizeof *k, pareto_cmp);
    double best = 0;
    for (int i = 0; i < n; i++)
        if (*m == 0 || k[i].a1 < best) {
            front[(*m)++] = k[i].i;
            best = k[i].a1;
        }
    free(k);
}
