/* erg_fwfe_energy.c — a fixed-weight layer's counters x the technology table (erg_fwfe_energy.h).
 */
#include "erg_fwfe_energy.h"

#include <string.h>

#define PJ 1e-12

int erg_fwfe_energy_layer(const erg_tech *t, double volt, double freq_hz, double scale,
                          double area_mm2, const erg_fwfe_energy_in *in, erg_energy_breakdown *out,
                          erg_error *err) {
    memset(out, 0, sizeof *out);
    if (erg_tech_check(t, err)) return -1;
    if (!(volt > 0 && volt <= 5))
        return erg_fail(err, "fwfe energy: expected a supply in (0, 5] V, found %g", volt);
    if (!(freq_hz > 0))
        return erg_fail(err, "fwfe energy: expected a clock > 0 Hz, found %g", freq_hz);
    if (!(scale > 0))
        return erg_fail(err, "fwfe energy: expected a calibration scale > 0, found %g", scale);
    if (!(area_mm2 >= 0))
        return erg_fail(err, "fwfe energy: expected an area >= 0 mm^2, found %g", area_mm2);
    const double k = erg_vscale_dynamic(volt, t->vdd) * PJ * scale;
    out->part.add = in->adder_bits * in->outputs * t->fa_bit * k;
    out->part.requant = in->requant_ops * (t->mul32 + 2 * t->add32) * k;
    out->compute = out->part.add + out->part.requant;
    out->regs = in->reg_bits_written * t->ff_write * k;
    if (in->lb_bytes > 0)
        out->sram = (in->lb_bits_read * erg_sram_bit_read_pj(t, in->lb_bytes) +
                     in->lb_bits_written * erg_sram_bit_write_pj(t, in->lb_bytes)) *
                    k;
    out->clock = in->ff_bits * in->cycles * t->ff_clk * k;
    out->seconds = in->cycles / freq_hz;
    out->leak = t->leak_w_per_mm2 * area_mm2 * erg_vscale_leak(volt, t->vdd) * out->seconds;
    out->total = out->compute + out->regs + out->sram + out->clock + out->leak;
    return 0;
}
