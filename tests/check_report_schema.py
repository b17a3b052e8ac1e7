#!/usr/bin/env python3
"""Validates an `erg run --format json` report (read from stdin) against the report schema of
DESIGN.md: required keys and their types, per layer and in total, and that the per-layer
figures add up to the totals. Exit status 0 when valid, 1 with the reasons otherwise."""
import json
import sys

NUM = (int, float)
TOP = {"schema_version": int, "chip": str, "net": str, "backend": str, "tech": str,
       "voltage_v": NUM, "freq_hz": NUM, "layers": list, "stages": list, "total": dict,
       "outputs": dict, "frames": int}
LAYER = {"name": str, "unit": str, "cycles": int, "stall_cycles": int, "macs": int, "ops": int,
         "energy_j": NUM, "energy": dict, "tops_per_w": NUM, "utilization": NUM}
TOTAL = {"cycles": int, "macs": int, "ops": int, "energy_j": NUM, "uj_per_frame": NUM,
         "fps": NUM, "power_w": NUM, "tops_per_w": NUM}
COMPONENTS = ["compute", "regs", "sram", "dram", "clock", "leak"]


def check(obj, schema, where, errors):
    for key, typ in schema.items():
        if key not in obj:
            errors.append(f"{where}: missing key '{key}'")
        elif not isinstance(obj[key], typ) or isinstance(obj[key], bool):
            errors.append(f"{where}.{key}: expected {typ}, found {type(obj[key]).__name__}")


def main():
    rep = json.load(sys.stdin)
    errors = []
    check(rep, TOP, "report", errors)
    if rep.get("schema_version") != 1:
        errors.append("schema_version is not 1")
    for i, layer in enumerate(rep.get("layers", [])):
        check(layer, LAYER, f"layers[{i}]", errors)
        for c in COMPONENTS:
            if c not in layer.get("energy", {}):
                errors.append(f"layers[{i}].energy: missing component '{c}'")
        parts = sum(layer.get("energy", {}).values())
        if abs(parts - layer.get("energy_j", 0)) > 1e-6 * max(abs(parts), 1e-30):
            errors.append(f"layers[{i}]: components add up to {parts}, energy_j is {layer.get('energy_j')}")
    total = rep.get("total", {})
    check(total, TOTAL, "total", errors)
    layers = rep.get("layers", [])
    for key in ("cycles", "macs", "ops"):
        if sum(l.get(key, 0) for l in layers) != total.get(key):
            errors.append(f"total.{key} is not the sum over layers")
    e = sum(l.get("energy_j", 0) for l in layers)
    if abs(e - total.get("energy_j", 0)) > 1e-6 * max(e, 1e-30):
        errors.append(f"total.energy_j {total.get('energy_j')} is not the sum over layers {e}")
    if abs(total.get("uj_per_frame", 0) - 1e6 * total.get("energy_j", 0)) > 1e-5 * max(1e-30, total.get("uj_per_frame", 0)):
        errors.append("total.uj_per_frame is not energy_j in microjoules")
    out = rep.get("outputs", {})
    if not isinstance(out.get("class"), int) or not isinstance(out.get("scores"), list):
        errors.append("outputs: expected class (int) and scores (list)")
    for err in errors:
        print(err)
    print(f"report schema: {len(layers)} layers, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
