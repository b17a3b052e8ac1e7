#!/usr/bin/env python3
"""gen_mobilenet025_front.py — seeded synthetic int8 weights for configs/nets/mobilenet025_front.cfg,
the front of a MobileNet-v1-0.25 (Howard et al. 2017, width multiplier 0.25: 8, 16, 32 channels)
on a 32x32x3 input: conv 3x3 s2 -> 3 depthwise-separable blocks (dw 3x3 + pw 1x1).

Not trained: the weights exercise the fixed-weight feature extractor (docs/fwfe.md) with the
statistics of an exported int8 net. Per output channel: Gaussian float weights, magnitude-pruned
(30 % zeros, as a FixyNN-style front-end would be), quantized symmetric to -127..127 with the
channel's largest weight at +-127 (docs/numerics.md); a small int32 bias; and a requantization
(gemmlowp m0, shift) calibrated on seeded random uint8 images so that the channel's 99th-percentile
accumulator maps to 255 (the outputs spread over 0..255 instead of clamping). Everything comes from
one splitmix64 stream (no numpy, no downloads): the same seed gives byte-identical .npy files.

usage: scripts/gen_mobilenet025_front.py [--seed N] [--out DIR]   (default: seed 1, the config's folder)
"""
import argparse
import math
import os
import struct

# (name, type, kernel, stride, out_c); in_c follows from the previous layer; all `same` padding
LAYERS = [
    ("conv1", "conv2d", 3, 2, 8),
    ("dw1", "depthwise", 3, 1, 8),
    ("pw1", "conv2d", 1, 1, 16),
    ("dw2", "depthwise", 3, 2, 16),
    ("pw2", "conv2d", 1, 1, 32),
    ("dw3", "depthwise", 3, 1, 32),
    ("pw3", "conv2d", 1, 1, 32),
]
INPUT = (32, 32, 3)
PRUNE = 0.30
CALIB_IMAGES = 4

M64 = (1 << 64) - 1


class SplitMix64:
    """splitmix64 (Steele, Lea, Flood 2014): a tiny, well-mixed, portable 64-bit generator."""

    def __init__(self, seed):
        self.s = seed & M64

    def u64(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self):  # [0, 1)
        return (self.u64() >> 11) / float(1 << 53)

    def gauss(self):  # Box-Muller
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def byte(self):
        return self.u64() >> 56


def same_geom(in_h, in_w, k, s):
    """TF SAME padding as erg_conv_geom_init: the extra row/column goes to the bottom/right."""
    out_h, out_w = -(-in_h // s), -(-in_w // s)
    ph = max((out_h - 1) * s + k - in_h, 0)
    pw = max((out_w - 1) * s + k - in_w, 0)
    return out_h, out_w, ph // 2, pw // 2


# ---- gemmlowp requantization, exactly as docs/numerics.md (Python ints) ----


def srdhm(a, b):
    if a == b == -(1 << 31):
        return (1 << 31) - 1
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    q = ab + nudge
    # truncating division by 2^31 (toward zero)
    return q // (1 << 31) if q >= 0 else -((-q) // (1 << 31))


def rdpot(x, e):
    if e == 0:
        return x
    mask = (1 << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if rem > thr else 0)


def requant(acc, m0, shift, zp=0):
    return max(0, min(255, zp + rdpot(srdhm(acc, m0), shift)))


def quantize_multiplier(m):
    """Q31 m0 and right shift >= 0 for a real 0 < m < 1 (as erg's weights.c)."""
    mant, e = math.frexp(m)
    q = int(round(mant * (1 << 31)))
    if q == 1 << 31:
        q //= 2
        e += 1
    if e > 0:  # keep shift >= 0: saturate just below 1
        return (1 << 31) - 1, 0
    return q, -e


# ---- the layers ----


def conv_acc(img, shape, w, bias, k, s, dw, out_c):
    """int32 accumulators of a same-padded conv / depthwise over an NHWC image (flat list)."""
    in_h, in_w, in_c = shape
    out_h, out_w, pt, pl = same_geom(in_h, in_w, k, s)
    acc = [0] * (out_h * out_w * out_c)
    for oh in range(out_h):
        for ow in range(out_w):
            base = (oh * out_w + ow) * out_c
            for oc in range(out_c):
                a = bias[oc]
                for kh in range(k):
                    r = oh * s + kh - pt
                    if r < 0 or r >= in_h:
                        continue
                    for kw in range(k):
                        c = ow * s + kw - pl
                        if c < 0 or c >= in_w:
                            continue
                        px = (r * in_w + c) * in_c
                        if dw:
                            a += w[(oc * k + kh) * k + kw] * img[px + oc]
                        else:
                            wb = ((oc * k + kh) * k + kw) * in_c
                            for ic in range(in_c):
                                a += w[wb + ic] * img[px + ic]
                acc[base + oc] = a
    return acc, (out_h, out_w, out_c)


def make_weights(rng, n_per_ch, out_c):
    w = []
    for _ in range(out_c):
        f = [rng.gauss() for _ in range(n_per_ch)]
        # magnitude pruning: the smallest PRUNE share of the channel becomes zero
        order = sorted(range(n_per_ch), key=lambda i: abs(f[i]))
        for i in order[: int(PRUNE * n_per_ch)]:
            f[i] = 0.0
        mx = max(abs(v) for v in f) or 1.0
        w.extend(int(round(v * 127.0 / mx)) for v in f)
    return w


def npy_bytes(descr, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr,
        ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""),
    )
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    fmt = {"|i1": "b", "<i4": "<i"}[descr]
    data = struct.pack("<%d%s" % (len(values), fmt[-1]), *values)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def write(path, blob):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "configs", "nets", "mobilenet025_front"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = SplitMix64(a.seed)
    imgs = [[rng.byte() for _ in range(INPUT[0] * INPUT[1] * INPUT[2])] for _ in range(CALIB_IMAGES)]
    shape = INPUT
    summary = []
    for name, typ, k, s, out_c in LAYERS:
        dw = typ == "depthwise"
        in_c = shape[2]
        n_per_ch = k * k * (1 if dw else in_c)
        w = make_weights(rng, n_per_ch, out_c)
        # bias: up to +-1/8 of a typical accumulator (Σ|w| * 64)
        bias = []
        for oc in range(out_c):
            aw = sum(abs(v) for v in w[oc * n_per_ch : (oc + 1) * n_per_ch])
            span = max(1, aw * 8)
            bias.append(int(rng.u64() % (2 * span + 1)) - span)
        accs = []
        outs_shape = None
        for img in imgs:
            acc, outs_shape = conv_acc(img, shape, w, bias, k, s, dw, out_c)
            accs.append(acc)
        m0s, shifts = [], []
        for oc in range(out_c):
            vals = sorted(acc[p] for acc in accs for p in range(oc, len(acc), out_c))
            p99 = max(vals[int(0.99 * (len(vals) - 1))], 1)
            m0, sh = quantize_multiplier(min(255.0 / p99, 0.999))
            m0s.append(m0)
            shifts.append(sh)
        imgs = [[requant(v, m0s[p % out_c], shifts[p % out_c]) for p, v in enumerate(acc)] for acc in accs]
        wshape = (out_c, k, k, 1 if dw else in_c)
        write(os.path.join(a.out, name + ".w.npy"), npy_bytes("|i1", wshape, w))
        write(os.path.join(a.out, name + ".b.npy"), npy_bytes("<i4", (out_c,), bias))
        write(os.path.join(a.out, name + ".m0.npy"), npy_bytes("<i4", (out_c,), m0s))
        write(os.path.join(a.out, name + ".shift.npy"), npy_bytes("<i4", (out_c,), shifts))
        flat = [v for img in imgs for v in img]
        nz = sum(1 for v in w if v)
        summary.append(
            "%s: %s %dx%d s%d -> %dx%dx%d, %d weights (%d non-zero), outputs: %.1f %% zero, %.1f %% at 255, mean %.1f"
            % (name, typ, k, k, s, outs_shape[0], outs_shape[1], outs_shape[2], len(w), nz,
               100.0 * flat.count(0) / len(flat), 100.0 * flat.count(255) / len(flat), sum(flat) / len(flat))
        )
        shape = outs_shape
    text = "generator = scripts/gen_mobilenet025_front.py\nseed = %d\n" % a.seed + "".join(
        "# %s\n" % s for s in summary
    )
    write(os.path.join(a.out, "export.txt"), text.encode())
    print(text, end="")


if __name__ == "__main__":
    main()
