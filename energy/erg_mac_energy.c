/* erg_mac_energy.c — the AMAC MAC array's counters × energy per action + leakage × time
 * (docs/energy.md, "MAC array (AMAC) energy"). */
#include "erg_mac_energy.h"

#include <stdio.h>
#include <string.h>

#define PJ 1e-12

int erg_mac_energy_init(erg_mac_energy_ctx *e, const erg_tech *t, const erg_mac_energy_geom *g,
                        double volt, double freq_hz, double area_mm2, double scale,
                        erg_error *err) {
    memset(e, 0, sizeof *e);
    if (erg_tech_check(t, err)) return -1;
    if (!(volt > 0 && volt <= 5))
        return erg_fail(err, "mac energy: expected a supply in (0, 5] V, found %g", volt);
    if (!(freq_hz > 0))
        return erg_fail(err, "mac energy: expected a clock > 0 Hz, found %g", freq_hz);
    if (!(area_mm2 >= 0))
        return erg_fail(err, "mac energy: expected an area >= 0 mm^2, found %g", area_mm2);
    if (!(scale > 0))
        return erg_fail(err, "mac energy: expected a calibration scale > 0, found %g", scale);
    if (g->rows < 1 || g->cols < 1 || !(g->ifmap_sram_bytes > 0) || !(g->filter_sram_bytes > 0) ||
        !(g->ofmap_sram_bytes > 0))
        return erg_fail(err,
                        "mac energy: expected rows, cols and the ifmap, filter and ofmap SRAM "
                        "sizes > 0, found %d, %d, %g, %g, %g bytes",
                        g->rows, g->cols, g->ifmap_sram_bytes, g->filter_sram_bytes,
                        g->ofmap_sram_bytes);
    e->g = *g;
    snprintf(e->tech, sizeof e->tech, "%s", t->name);
    e->vnom = t->vdd;
    e->volt = volt;
    e->freq_hz = freq_hz;
    e->area_mm2 = area_mm2;
    e->scale = scale;
    /* The voltage rule of erg_tech.h: every on-chip dynamic energy × (V/vdd)², leakage × V/vdd. */
    const double kv = erg_vscale_dynamic(volt, t->vdd) * PJ;
    e->e_mul8 = t->mul8 * kv;
    e->e_acc = t->add32 * kv;
    e->e_add32 = t->add32 * kv;
    /* Requantization: SRDHM's 32 × 32 → 64-bit product (mul32) and its rounding nudge (add32),
     * RDPOT's rounding add and the zero point folded into one more add32; the shift (wiring
     * of a barrel shifter's muxes) and the clamp are left out (docs/energy.md). */
    e->e_requant = (t->mul32 + 2 * t->add32) * kv;
    e->e_ifmap_rd_bit = erg_sram_bit_read_pj(t, g->ifmap_sram_bytes) * kv;
    e->e_ifmap_wr_bit = erg_sram_bit_write_pj(t, g->ifmap_sram_bytes) * kv;
    e->e_filter_rd_bit = erg_sram_bit_read_pj(t, g->filter_sram_bytes) * kv;
    e->e_filter_wr_bit = erg_sram_bit_write_pj(t, g->filter_sram_bytes) * kv;
    e->e_ofmap_rd_bit = erg_sram_bit_read_pj(t, g->ofmap_sram_bytes) * kv;
    e->e_ofmap_wr_bit = erg_sram_bit_write_pj(t, g->ofmap_sram_bytes) * kv;
    /* DRAM: the DRAM die and its interface run at their own supply, not the array's, so the
     * access energy does not follow the core voltage (nor the node: configs/tech/28nm.cfg). */
    e->e_dram_rd_byte = e->e_dram_wr_byte = t->dram64 / 8 * PJ;
    /* An on-chip local memory is one more SRAM macro, priced like the buffers. */
    if (g->lmem_sram_bytes > 0) {
        e->e_dram_rd_byte = 8 * erg_sram_bit_read_pj(t, g->lmem_sram_bytes) * kv;
        e->e_dram_wr_byte = 8 * erg_sram_bit_write_pj(t, g->lmem_sram_bytes) * kv;
    }
    e->e_ff_write = t->ff_write * kv;
    e->e_ff_clk = t->ff_clk * kv;
    e->p_leak_w = t->leak_w_per_mm2 * area_mm2 * erg_vscale_leak(volt, t->vdd);
    return 0;
}

void erg_mac_energy_layer(const erg_mac_energy_ctx *e, const erg_mac_stats *c,
                          double mul_rel_energy, erg_energy_breakdown *out) {
    const double s = e->scale;
    memset(out, 0, sizeof *out);

    /* A padded tap multiplies a constant zero the address generator injects (pad_injects): an
     * array multiplier fed a zero operand has all partial products 0 and stays static, so
     * pad_mults cost no multiplier energy; their accumulate (adding 0) is still counted. */
    const uint64_t real_mults = c->mults > c->pad_mults ? c->mults - c->pad_mults : 0;
    out->part.mult = s * (double)real_mults * e->e_mul8 * mul_rel_energy;
    out->part.acc = s * (double)c->macs * e->e_acc;
    out->part.add = s * (double)(c->psum_adds + c->bias_adds) * e->e_add32;
    out->part.requant = s * (double)c->requant_ops * e->e_requant;
    out->compute = out->part.mult + out->part.acc + out->part.add + out->part.requant;

    const double reg_bits = 8.0 * (double)c->pe_operand_reg_writes +
                            8.0 * (double)c->pe_stationary_reg_writes +
                            32.0 * (double)c->pe_acc_reg_writes;
    out->regs = s * reg_bits * e->e_ff_write;

    /* Bytes × 8 bit accesses of each buffer; the ofmap counters include the partial sums. */
    out->part.ifmap = s * 8.0 *
                      ((double)c->ifmap_sram_rd_bytes * e->e_ifmap_rd_bit +
                       (double)c->ifmap_sram_wr_bytes * e->e_ifmap_wr_bit);
    out->part.filter = s * 8.0 *
                       ((double)c->filter_sram_rd_bytes * e->e_filter_rd_bit +
                        (double)c->filter_sram_wr_bytes * e->e_filter_wr_bit);
    out->part.ofmap = s * 8.0 *
                      ((double)c->ofmap_sram_rd_bytes * e->e_ofmap_rd_bit +
                       (double)c->ofmap_sram_wr_bytes * e->e_ofmap_wr_bit);
    out->sram = out->part.ifmap + out->part.filter + out->part.ofmap;

    out->dram = s * ((double)c->dram_rd_bytes * e->e_dram_rd_byte +
                     (double)c->dram_wr_bytes * e->e_dram_wr_byte);

    /* Clock: the 48 flip-flops of every used PE (the rest clock-gated) and the control. */
    const double clk_bits =
        (double)c->used_pe_cycles * ERG_MAC_PE_CLK_BITS + (double)c->cycles * ERG_MAC_CTRL_BITS;
    out->clock = s * clk_bits * e->e_ff_clk;

    out->seconds = (double)c->cycles / e->freq_hz;
    out->leak = e->p_leak_w * out->seconds; /* not scaled: docs/energy.md, "Calibration" */

    out->total = out->compute + out->regs + out->sram + out->dram + out->clock + out->leak;
}

uint64_t erg_mac_energy_ops(const erg_mac_stats *c) {
    return 2 * c->macs;
}
