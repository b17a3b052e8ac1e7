/* fixynn.c — the FixyNN-style hybrid chip (fixynn.h): the fixed front-end, the FIFO schedule
 * and the programmable back-end on the amac unit. */
#include "fixynn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fwfe_net.h"

/* ---- schedule ---- */

int erg_fixynn_sched_init(erg_fixynn_sched *s, int slots, erg_error *err) {
    memset(s, 0, sizeof *s);
    if (slots < 1) return erg_fail(err, "fixynn: expected at least one FIFO slot, found %d", slots);
    s->back_start = calloc((size_t)slots, sizeof *s->back_start);
    if (!s->back_start) return erg_fail(err, "out of memory");
    s->slots = slots;
    return 0;
}

void erg_fixynn_sched_frame(erg_fixynn_sched *s, uint64_t t_front, uint64_t p_front,
                            uint64_t c_back) {
    uint64_t k = s->frames;
    uint64_t *ring = &s->back_start[k % (uint64_t)s->slots]; /* b_{k-D}, then b_k */
    uint64_t start = s->front_free;
    if (k >= (uint64_t)s->slots && *ring > start) start = *ring;
    s->front_stall += start - s->front_free;
    uint64_t done = start + t_front;
    uint64_t b = done > s->back_done ? done : s->back_done;
    s->back_wait += b - s->back_done;
    *ring = b;
    s->front_free = start + p_front;
    s->back_done = b + c_back;
    s->front_busy += p_front;
    s->back_busy += c_back;
    s->end = s->back_done;
    s->frames++;
}

void erg_fixynn_sched_free(erg_fixynn_sched *s) {
    free(s->back_start);
    memset(s, 0, sizeof *s);
}

/* ---- the hybrid ---- */

static int unit_fail(const erg_chip *chip, erg_error *err) {
    return erg_error_prefix(err, "%s:%u: fwfe unit '%s'", chip->path, chip->fwfe.line,
                            chip->fwfe.name);
}

int erg_fixynn_init(erg_fixynn *h, const erg_net *net, const erg_weights *wt, const erg_chip *chip,
                    const char *backend, int op, erg_error *err) {
    memset(h, 0, sizeof *h);
    h->net = net;
    h->chip = chip;
    const erg_fwfe_unit_cfg *u = &chip->fwfe;
    if (!chip->has_fwfe) return erg_fail(err, "chip '%s' has no fwfe unit", chip->name);
    if (strcmp(u->net, net->name) != 0) {
        erg_fail(err,
                 "it hard-wires the weights of net '%s', and --net is net '%s' (a fixed "
                 "front-end runs the net it was generated from only)",
                 u->net, net->name);
        return unit_fail(chip, err);
    }
    if (erg_fwfe_net_range(net, u->layers, &h->first, &h->last, err)) return unit_fail(chip, err);
    if (h->first != 0) {
        erg_fail(err,
                 "layers = \"%s\" starts at layer %d '%s'; a front-end starts at the net's "
                 "first layer '%s' (the image streams into it)",
                 u->layers, h->first + 1, net->layers[h->first].name, net->layers[0].name);
        return unit_fail(chip, err);
    }
    if (h->last == net->n_layers - 1) {
        erg_fail(err,
                 "layers = \"%s\" fixes every layer of net '%s'; the hybrid leaves the layers "
                 "after the front-end to the amac unit (end the range before '%s')",
                 u->layers, net->name, net->layers[h->last].name);
        return unit_fail(chip, err);
    }
    for (int i = h->first; i <= h->last; i++) {
        int m = net->n_ops > 0 && net->ops[op].mul ? net->ops[op].mul[i] : -1;
        if (m >= 0 && !net->muls[m].exact) {
            erg_fail(err,
                     "op point '%s' multiplies layer '%s' with '%s'; the front-end's shift-add "
                     "products are exact (choose a point that keeps '%s' exact)",
                     net->ops[op].name, net->layers[i].name, net->muls[m].spec,
                     net->layers[i].name);
            return unit_fail(chip, err);
        }
    }
    h->fwfe = erg_fwfe_net_build(net, wt, h->first, h->last, u->acc_bits, u->tree, err);
    if (!h->fwfe) return unit_fail(chip, err);
    int n = h->last - h->first + 1;
    h->fst = calloc((size_t)n, sizeof *h->fst);
    const erg_layer *ll = &net->layers[h->last];
    h->map_bytes = (uint64_t)erg_shape_count(ll->out);
    h->map = malloc(h->map_bytes);
    if (!h->fst || !h->map) {
        erg_fail(err, "out of memory");
        goto fail;
    }
    h->front_cycles = erg_fwfe_timing(h->fwfe, h->fst);
    h->front_period = erg_fwfe_period(h->fwfe);
    if (u->fifo_bytes < h->map_bytes) {
        erg_fail(err,
                 "fifo = %" PRIu64 " bytes holds less than one output map of '%s' (%dx%dx%d = "
                 "%" PRIu64 " bytes); the back-end runs layer by layer and needs a whole map",
                 u->fifo_bytes, ll->name, ll->out.h, ll->out.w, ll->out.c, h->map_bytes);
        unit_fail(chip, err);
        goto fail;
    }
    h->slots = (int)(u->fifo_bytes / h->map_bytes > 1024 ? 1024 : u->fifo_bytes / h->map_bytes);
    if (erg_fixynn_sched_init(&h->sched, h->slots, err)) goto fail;
    if (erg_amac_runner_init_back(&h->back, net, wt, chip, backend, op, h->last + 1, err)) {
        erg_error_prefix(err, "the back-end of chip '%s'", chip->name);
        goto fail;
    }
    return 0;
fail:
    erg_fixynn_free(h);
    return -1;
}

int erg_fixynn_run(erg_fixynn *h, const uint8_t *image, erg_error *err) {
    uint64_t t = erg_fwfe_run(h->fwfe, image, h->map, h->fst);
    if (!t) return erg_fail(err, "fwfe unit '%s': out of memory", h->chip->fwfe.name);
    h->front_cycles = t;
    int cls = erg_amac_runner_run(&h->back, h->map, err);
    if (cls < 0) return -1;
    uint64_t c = erg_amac_runner_cycles(&h->back);
    h->back_cycles = c;
    erg_fixynn_sched_frame(&h->sched, t, h->front_period, c);
    return cls;
}

void erg_fixynn_free(erg_fixynn *h) {
    if (h->back.l) erg_amac_runner_free(&h->back);
    erg_fwfe_free(h->fwfe);
    free(h->fst);
    free(h->map);
    erg_fixynn_sched_free(&h->sched);
    memset(h, 0, sizeof *h);
}

void erg_fixynn_energy_in(const erg_fixynn *h, int i, erg_fwfe_energy_in *in) {
    const erg_fwfe_stats *st = &h->fst[i];
    const erg_conv_geom *g = erg_fwfe_layer_geom(h->fwfe, i);
    memset(in, 0, sizeof *in);
    in->adder_bits = (double)st->adder_bits;
    in->outputs = (double)st->outputs;
    in->requant_ops = (double)st->requant_ops;
    in->reg_bits_written = (double)st->reg_bits_written;
    /* the requant stage's registers: the 64-bit SRDHM product and the 8-bit output per channel
     * (the model's reg_bits_written counts the same 72 bits per output) */
    in->ff_bits = (double)(st->window_bits + st->tree_reg_bits + (uint64_t)g->out_c * 72u);
    in->lb_bits_read = (double)st->lb_bits_read;
    in->lb_bits_written = (double)st->lb_bits_written;
    in->lb_bytes = (double)st->line_buffer_bits / 8.0;
    /* frames back to back: the pipeline is clocked (and leaks) P_f cycles per frame */
    in->cycles = (double)h->front_period;
}

/* The unit cycles of one frame of the whole net on chip c (a zero image: the cycles do not
 * depend on the data); 0 when the net does not map onto the shape (e.g. buffers too small). */
static uint64_t net_cycles(const erg_chip *c, const erg_net *net, const erg_weights *wt, int op,
                           const uint8_t *zero) {
    erg_amac_runner r;
    erg_error e;
    uint64_t cyc = 0;
    if (erg_amac_runner_init(&r, net, wt, c, "cmodel", NULL, op, &e)) return 0;
    if (erg_amac_runner_run(&r, zero, &e) >= 0) cyc = erg_amac_runner_cycles(&r);
    erg_amac_runner_free(&r);
    return cyc;
}

int erg_fixynn_iso_chip(const erg_chip *hybrid, const erg_net *net, const erg_weights *wt, int op,
                        erg_chip *iso, int *budget, erg_error *err) {
    *iso = *hybrid;
    iso->has_fwfe = 0;
    int u = erg_chip_unit_of_kind(hybrid, ERG_UNIT_AMAC);
    if (u < 0) return erg_fail(err, "chip '%s' has no amac unit", hybrid->name);
    erg_unit_cfg *a = &iso->units[u];
    if (!(a->pe_area_mm2 > 0))
        return erg_fail(err,
                        "%s:%u: unit '%s': the iso-area comparison needs pe_area_mm2 (the area of "
                        "one PE with its multipliers) to size the all-programmable array",
                        hybrid->path, a->line, a->name);
    int64_t pes = (int64_t)a->amac.rows * a->amac.cols +
                  (int64_t)(hybrid->fwfe.area_mm2 / a->pe_area_mm2 + 1e-9);
    if (pes > 65536) pes = 65536;
    *budget = (int)pes;
    uint8_t *zero = calloc((size_t)erg_shape_count(net->input), 1);
    if (!zero) return erg_fail(err, "out of memory");
    snprintf(iso->name, sizeof iso->name, "%.100s-iso", hybrid->name);
    /* every maximal shape: for each row count the most columns, for each column count the most
     * rows; the fewest cycles, then the fewest PEs, then the squarer shape */
    uint64_t best = 0;
    int br = 0, bc = 0;
    for (int k = 1; k <= pes; k++)
        for (int t = 0; t < 2; t++) {
            int r = t ? (int)(pes / k) : k, c = t ? k : (int)(pes / k);
            if (r < 1 || c < 1 || (t && pes / r == c)) continue; /* the second is the first's */
            a->amac.rows = r;
            a->amac.cols = c;
            uint64_t cyc = net_cycles(iso, net, wt, op, zero);
            if (!cyc) continue;
            int better = !best || cyc < best ||
                         (cyc == best &&
                          ((int64_t)r * c < (int64_t)br * bc ||
                           ((int64_t)r * c == (int64_t)br * bc && abs(r - c) < abs(br - bc))));
            if (better) best = cyc, br = r, bc = c;
        }
    free(zero);
    if (!best)
        return erg_fail(err, "net '%s' maps onto no array of %d PEs with unit '%s''s buffers",
                        net->name, (int)pes, a->name);
    a->amac.rows = br;
    a->amac.cols = bc;
    return 0;
}
