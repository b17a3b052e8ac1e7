#!/usr/bin/python3
"""Train and export the two Fashion-MNIST reference networks of erg.

  fmnist_bnn   binary CNN in the BinarEye style (thermometer input, 2x2 binary convs,
               BN + sign folded to integer thresholds, binary dense classifier + BN)
  fmnist_int8  small int8 CNN (per-channel int8 weights, uint8 activations,
               gemmlowp requantization)

Uses Debian's PyTorch (torch 1.13 CPU) and NumPy; reads the IDX files of the Debian
package fashion-mnist from /usr/share/datasets/fashion-mnist.  The exporter evaluates its
integer networks itself, with the integer arithmetic of docs/numerics.md (NUMERICS.md)
written out in int64 NumPy, and writes

  configs/nets/<net>/<layer>.{w,thr,flip,s,o,b,m0,shift}.npy, configs/nets/<net>/export.txt
  configs/nets/<net>.cfg
  tests/data/fmnist/t10k-1000-{images-idx3,labels-idx1}-ubyte.gz (first 1000 test images)

Run from anywhere:  /usr/bin/python3 scripts/train_fmnist.py
(--out DIR writes the same tree under DIR instead of the repository, for experiments).
"""

import argparse
import ctypes
import gzip
import io
import math
import multiprocessing
import os
import sys
import time

# Sleep, rather than spin, in OpenMP barriers.  On a shared 2-core machine a spinning thread
# whose partner has been preempted burns its whole time slice: with other jobs running,
# training with the default policy was 3-5x slower than with this one.  Must be set before
# torch (libgomp) is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 20240611
THREADS = 2
EVAL_CHUNK = 250  # images per integer-evaluation batch
INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1

# ---------------------------------------------------------------------------------------
# Architectures (both the torch models, the exporters and the .cfg writers read these).
# ---------------------------------------------------------------------------------------

BNN_LEVELS = 32  # thermometer planes of the single input channel
BNN_ARCH = [
    ("conv", "conv1", 64),
    ("pool", "pool1"),
    ("conv", "conv2", 64),
    ("pool", "pool2"),
    ("conv", "conv3", 64),
    ("conv", "conv4", 64),
    ("flatten", "flat"),
    ("dense", "fc", 10),
]
BNN_EPOCHS = 8
BNN_BATCH = 128
BNN_LR = 3e-3

INT8_ARCH = [  # (kind, name, filters, kernel, padding)
    ("conv", "conv1", 16, 3, "same"),
    ("pool", "pool1"),
    ("conv", "conv2", 32, 3, "same"),
    ("pool", "pool2"),
    ("flatten", "flat"),
    ("dense", "fc", 10),
]
INT8_EPOCHS = 8
INT8_BATCH = 128
INT8_LR = 2e-3
INT8_CALIB_IMAGES = 2000
INT8_CALIB_PERCENTILE = 99.99


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


def load_idx(path):
    """Read a gzip'ed IDX file (unsigned byte data only) into a NumPy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: size mismatch")
    return arr.reshape(dims).copy()


def write_idx_gz(path, arr):
    """Write a uint8 array as a deterministic gzip'ed IDX file (mtime 0)."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 0x08, arr.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in arr.shape
    )
    buf = io.BytesIO()
    name = os.path.basename(path)[: -len(".gz")]
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, compresslevel=9, mtime=0) as g:
        g.write(header + arr.tobytes())
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def load_data():
    d = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        d[split + "_x"] = load_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
        d[split + "_y"] = load_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    assert d["train_x"].shape == (60000, 28, 28) and d["test_x"].shape == (10000, 28, 28)
    return d


# ---------------------------------------------------------------------------------------
# Integer arithmetic of the numeric contract (int64 NumPy)
# ---------------------------------------------------------------------------------------


def srdhm(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul on int32 values held in int64 arrays."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    low31 = np.int64((1 << 31) - 1)
    ab = a * b
    # nudge = 2^30 if ab >= 0 else 1 - 2^30 = 2^30 - (2^31 - 1)
    x = ab + (np.int64(1 << 30) - ((ab >> 63) & low31))
    # (x / 2^31) truncated toward zero, as C integer division: add 2^31 - 1 to negatives
    q = (x + ((x >> 63) & low31)) >> 31
    overflow = (a == INT32_MIN) & (b == INT32_MIN)
    if np.any(overflow):
        q = np.where(overflow, np.int64(INT32_MAX), q)
    return q


def rdpot(x, e):
    """gemmlowp RoundingDivideByPOT (round half away from zero), exponent 0 <= e <= 31."""
    x = np.asarray(x, dtype=np.int64)
    e = np.asarray(e, dtype=np.int64)
    mask = (np.int64(1) << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (x < 0).astype(np.int64)
    return (x >> e) + (rem > thr).astype(np.int64)


def requant(acc, m0, shift):
    acc = np.asarray(acc, dtype=np.int64)
    assert acc.min() >= INT32_MIN and acc.max() <= INT32_MAX, "accumulator overflows int32"
    return np.clip(rdpot(srdhm(acc, m0), shift), 0, 255)


def _selftest_int_arith():
    """Compare the vectorized helpers with a scalar transcription of gemmlowp."""

    def srdhm_ref(a, b):
        if a == b == INT32_MIN:
            return INT32_MAX
        ab = a * b
        nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
        v = ab + nudge
        q = abs(v) // (1 << 31)  # C division truncates toward zero
        return q if v >= 0 else -q

    def rdpot_ref(x, e):
        mask = (1 << e) - 1
        rem = x & mask
        thr = (mask >> 1) + (1 if x < 0 else 0)
        return (x >> e) + (1 if rem > thr else 0)

    rng = np.random.default_rng(1)
    a = np.concatenate([rng.integers(INT32_MIN, INT32_MAX, 2000, endpoint=True),
                        [INT32_MIN, INT32_MAX, 0, -1, 1, -(1 << 30), 1 << 30]])
    b = np.concatenate([rng.integers(1 << 30, INT32_MAX, 2000, endpoint=True),
                        [INT32_MIN, INT32_MAX, 1 << 30, 1 << 30, INT32_MAX, 1 << 30, 1 << 30]])
    got = srdhm(a, b)
    for ai, bi, gi in zip(a.tolist(), b.tolist(), got.tolist()):
        want = srdhm_ref(ai, bi)
        assert gi == want, (ai, bi, gi, want)
    xs = np.concatenate([rng.integers(INT32_MIN, INT32_MAX, 500, endpoint=True),
                         np.arange(-40, 41)])
    for e in range(0, 32):
        got = rdpot(xs, e)
        for xi, gi in zip(xs.tolist(), got.tolist()):
            assert gi == rdpot_ref(xi, e), (xi, e)
    assert rdpot(-3, 1) == -2 and rdpot(3, 1) == 2 and rdpot(-5, 2) == -1 and rdpot(5, 2) == 1


def quantize_multiplier(m):
    """Real multiplier 0 < m < 1 -> (M0 in [2^30, 2^31), shift >= 0), m ~ M0 * 2^(-31-shift)."""
    m = float(m)
    assert 0.0 < m < 1.0, f"requantization multiplier {m} not in (0, 1)"
    q, e = math.frexp(m)  # m = q * 2^e, q in [0.5, 1)
    m0 = int(round(q * (1 << 31)))
    if m0 == (1 << 31):
        m0 //= 2
        e += 1
    shift = -e
    assert (1 << 30) <= m0 < (1 << 31) and 0 <= shift <= 31, (m, m0, shift)
    return m0, shift


def im2col_nhwc(x, k, stride=1, pad=(0, 0, 0, 0), pad_value=0):
    """x [n, H, W, C] -> [n, Ho, Wo, k*k*C], patch order (kh, kw, c) like [Cout,KH,KW,Cin]."""
    top, bottom, left, right = pad
    if any(pad):
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))  # n,Ho,Wo,C,k,k
    win = win[:, ::stride, ::stride]
    n, ho, wo, c = win.shape[:4]
    return np.ascontiguousarray(win.transpose(0, 1, 2, 4, 5, 3)).reshape(n, ho, wo, k * k * c)


def same_pad(size, k, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def exact_dot(patches, w2d, bound):
    """Integer dot products patches @ w2d.T, returned as int64.

    The operands are small integers; the products and every partial sum are integers of
    magnitude <= bound < 2^53, so the float64 BLAS product is exact (NumPy's own integer
    matmul is ~3x slower).  The exporters re-do a few images in pure int64 (einsum) and compare."""
    assert bound < (1 << 53)
    r = patches.astype(np.float64) @ w2d.astype(np.float64).T
    return r.astype(np.int64)


def maxpool_nhwc(x, size, stride):
    n, h, w, c = x.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = None
    for i in range(size):
        for j in range(size):
            v = x[:, i : i + stride * (ho - 1) + 1 : stride, j : j + stride * (wo - 1) + 1 : stride]
            out = v if out is None else np.maximum(out, v)
    return out


def argmax_lowest(scores):
    return np.argmax(scores, axis=1)  # NumPy returns the first maximum: ties -> lowest index


# ---------------------------------------------------------------------------------------
# Binary network
# ---------------------------------------------------------------------------------------


def thermo_thresholds(levels):
    return np.array([((j + 1) * 256) // (levels + 1) for j in range(levels)], dtype=np.int64)


class SignSTE(torch.autograd.Function):
    """sign (sign(0) = +1) with the straight-through estimator clipped at |x| <= 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x.abs() <= 1)
        return (x >= 0).to(x.dtype).mul_(2).sub_(1)

    @staticmethod
    def backward(ctx, g):
        (m,) = ctx.saved_tensors
        return g * m


class BinNet(nn.Module):
    def __init__(self, arch, levels):
        super().__init__()
        self.arch = arch
        self.register_buffer("thr", torch.tensor(thermo_thresholds(levels), dtype=torch.float32))
        self.convs = nn.ModuleDict()
        self.bns = nn.ModuleDict()
        c, h = levels, 28
        for layer in arch:
            if layer[0] == "conv":
                self.convs[layer[1]] = nn.Conv2d(c, layer[2], 2, bias=False)
                self.bns[layer[1]] = nn.BatchNorm2d(layer[2])
                c, h = layer[2], h - 1
            elif layer[0] == "pool":
                h //= 2
            elif layer[0] == "dense":
                self.fc_name = layer[1]
                self.fc = nn.Linear(c * h * h, layer[2], bias=False)
                self.fc_bn = nn.BatchNorm1d(layer[2])
        for p in list(self.convs.parameters()) + [self.fc.weight]:
            nn.init.uniform_(p, -0.1, 0.1)

    def encode(self, x_u8):
        x = x_u8.to(torch.float32).unsqueeze(1)  # [B,1,28,28]
        return (x >= self.thr.view(1, -1, 1, 1)).to(torch.float32).mul_(2).sub_(1)

    def forward(self, x_u8):
        h = self.encode(x_u8)
        for layer in self.arch:
            if layer[0] == "conv":
                w = SignSTE.apply(self.convs[layer[1]].weight)
                h = SignSTE.apply(self.bns[layer[1]](F.conv2d(h, w)))
            elif layer[0] == "pool":
                h = F.max_pool2d(h, 2)
            elif layer[0] == "flatten":
                h = h.permute(0, 2, 3, 1).flatten(1)  # NHWC flatten
            elif layer[0] == "dense":
                h = self.fc_bn(F.linear(h, SignSTE.apply(self.fc.weight)))
        return h

    def clip_latent(self):
        with torch.no_grad():
            for p in list(self.convs.parameters()) + [self.fc.weight]:
                p.clamp_(-1, 1)


def bn_params64(bn):
    """BatchNorm (eval) parameters as float64 arrays: gamma, beta, mean, var, eps."""
    g = lambda t: t.detach().double().numpy()
    return g(bn.weight), g(bn.bias), g(bn.running_mean), g(bn.running_var), float(bn.eps)


def fold_bn_sign(bn, n):
    """Per-channel (thr, flip) reproducing sign(BN(x)) for every reachable dot x = n - 2k.

    Same rule as erg_golden_fold_bn_sign (docs/numerics.md): the float reference is
    y = gamma * (x - mean) / sqrt(var + eps) + beta in float64, in this order, +1 iff y >= 0;
    a constant result (zero scale, or the same sign at every reachable x) is flip 0 with
    thr INT32_MIN (always +1) or INT32_MAX (always -1); otherwise a positive scale gives
    flip 0 and thr = the smallest reachable x giving +1, a negative scale flip 1 and
    thr = the largest reachable x giving +1 (out = dot <= thr)."""
    gamma, beta, mean, var, eps = bn_params64(bn)
    xs = np.arange(-n, n + 1, 2, dtype=np.int64)
    xf = xs.astype(np.float64)
    cout = gamma.shape[0]
    thr = np.zeros(cout, dtype=np.int64)
    flip = np.zeros(cout, dtype=np.int64)
    for ch in range(cout):
        y = gamma[ch] * (xf - mean[ch]) / np.sqrt(var[ch] + eps) + beta[ch]
        pos = y >= 0  # sign(0) = +1; NaN gives -1
        if pos.all():
            thr[ch], flip[ch] = INT32_MIN, 0
        elif not pos.any():
            thr[ch], flip[ch] = INT32_MAX, 0
        elif gamma[ch] > 0:
            thr[ch], flip[ch] = xs[pos].min(), 0
        elif gamma[ch] < 0:
            thr[ch], flip[ch] = xs[pos].max(), 1
        else:
            raise RuntimeError(f"channel {ch}: zero scale but a non-constant sign")
        got = (xs >= thr[ch]) if flip[ch] == 0 else (xs <= thr[ch])
        if not np.array_equal(got, pos):
            raise RuntimeError(f"BN+sign of channel {ch} is not a threshold function")
    return thr.astype(np.int32), flip.astype(np.uint8)


def save_npys(outdir, files):
    """Replace the folder's .npy files (none left over from an older architecture)."""
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith(".npy"):
            os.remove(os.path.join(outdir, f))
    for key, arr in files.items():
        np.save(os.path.join(outdir, key + ".npy"), arr)


def export_bnn(model, outdir, test_x, test_y):
    """Fold, save and evaluate (in integers) the binary network; return (correct, slice, info)."""
    model.eval()
    files = {}
    layers = []  # integer-side description used by the evaluator
    c, h = BNN_LEVELS, 28
    info = {}
    for layer in model.arch:
        kind, name = layer[0], layer[1]
        if kind == "conv":
            wt = model.convs[name].weight.detach().numpy()  # [Cout,Cin,2,2]
            wb = np.where(wt >= 0, 1, -1).astype(np.int8).transpose(0, 2, 3, 1).copy()
            n = 4 * c
            thr, flip = fold_bn_sign(model.bns[name], n)
            files[f"{name}.w"] = wb
            files[f"{name}.thr"] = thr
            files[f"{name}.flip"] = flip
            layers.append(("conv", name, wb, thr, flip))
            c, h = layer[2], h - 1
        elif kind == "pool":
            layers.append(("pool", name))
            h //= 2
        elif kind == "flatten":
            layers.append(("flatten", name))
        elif kind == "dense":
            wt = model.fc.weight.detach().numpy()  # [10, h*w*c] in NHWC order already
            wb = np.where(wt >= 0, 1, -1).astype(np.int8)
            gamma, beta, mean, var, eps = bn_params64(model.fc_bn)
            a = gamma / np.sqrt(var + eps)  # BN(dot) = a * dot + b
            b = beta - mean * a
            big = max(np.abs(a).max(), np.abs(b).max())
            s_bits = 24
            while s_bits > 0 and big * 2.0**s_bits >= 2.0**30:
                s_bits -= 1
            s = np.round(a * 2.0**s_bits).astype(np.int64)
            o = np.round(b * 2.0**s_bits).astype(np.int64)
            assert np.abs(s).max() < 2**31 and np.abs(o).max() < 2**31
            files[f"{name}.w"] = wb
            files[f"{name}.s"] = s.astype(np.int32)
            files[f"{name}.o"] = o.astype(np.int32)
            info["classifier_S"] = s_bits
            layers.append(("dense", name, wb, s, o))
    save_npys(outdir, files)

    # Cross-check the conv1 table path and the float64-BLAS dots with a pure int64 run.
    sc_fast = bnn_forward(layers, test_x[:64])
    sc_gen = bnn_forward(layers, test_x[:64], generic_conv1=True)
    assert np.array_equal(sc_fast, sc_gen)
    check_dot_exact_bnn(layers, test_x[:16], sc_fast[:16])

    preds = predict_all(bnn_forward, layers, test_x)
    correct = int((preds == test_y).sum())
    sl = int((preds[:1000] == test_y[:1000]).sum())
    return correct, sl, info, files


def bnn_forward(layers, x_u8, generic_conv1=False):
    """Integer binary network on uint8 images [n,28,28] -> int64 scores [n,10]."""
    levels = thermo_thresholds(BNN_LEVELS)
    x_u8 = x_u8.astype(np.int64)
    act = None
    for lay in layers:
        if lay[0] == "conv":
            _, name, wb, thr, flip = lay
            cout, k, _, cin = wb.shape
            if act is None and not generic_conv1:
                # conv1 on the thermometer code: a pixel value v contributes
                # T[kh,kw,v,c] = sum_j w[c,kh,kw,j] * (v >= t_j ? +1 : -1) to the dot.
                planes = np.where(np.arange(256)[:, None] >= levels[None, :], 1, -1)
                table = np.einsum("vj,ckmj->kmvc", planes, wb.astype(np.int64))
                ho = x_u8.shape[1] - k + 1
                dot = np.zeros((x_u8.shape[0], ho, ho, cout), dtype=np.int64)
                for i in range(k):
                    for j in range(k):
                        dot += table[i, j][x_u8[:, i : i + ho, j : j + ho]]
            else:
                if act is None:
                    act = np.where(x_u8[..., None] >= levels, 1, -1).astype(np.int8)
                p = im2col_nhwc(act, k)
                dot = exact_dot(p, wb.reshape(cout, -1), k * k * cin)
            t = thr.astype(np.int64)
            out = np.where(flip == 0, dot >= t, dot <= t)
            act = np.where(out, 1, -1).astype(np.int8)
        elif lay[0] == "pool":
            act = maxpool_nhwc(act, 2, 2)
        elif lay[0] == "flatten":
            act = act.reshape(act.shape[0], -1)
        elif lay[0] == "dense":
            _, name, wb, s, o = lay
            dot = exact_dot(act, wb, act.shape[1])
            return s[None, :] * dot + o[None, :]


def check_dot_exact_bnn(layers, x_u8, want):
    """Pure int64 evaluation (einsum, no BLAS) of a few images; must equal `want`."""
    levels = thermo_thresholds(BNN_LEVELS)
    act = np.where(x_u8.astype(np.int64)[..., None] >= levels, 1, -1).astype(np.int64)
    for lay in layers:
        if lay[0] == "conv":
            _, _, wb, thr, flip = lay
            cout, k = wb.shape[0], wb.shape[1]
            p = im2col_nhwc(act, k)
            dot = np.einsum("nhwk,ck->nhwc", p, wb.reshape(cout, -1).astype(np.int64))
            t = thr.astype(np.int64)
            act = np.where(np.where(flip == 0, dot >= t, dot <= t), 1, -1)
        elif lay[0] == "pool":
            act = maxpool_nhwc(act, 2, 2)
        elif lay[0] == "flatten":
            act = act.reshape(act.shape[0], -1)
        elif lay[0] == "dense":
            _, _, wb, s, o = lay
            dot = np.einsum("nk,ck->nc", act, wb.astype(np.int64))
            got = s[None, :] * dot + o[None, :]
            assert np.array_equal(got, want), "int64 check of the binary network failed"


# ---------------------------------------------------------------------------------------
# int8 network
# ---------------------------------------------------------------------------------------


class IntNet(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        self.convs = nn.ModuleDict()
        c, h = 1, 28
        for layer in arch:
            if layer[0] == "conv":
                _, name, f, k, pad = layer
                self.convs[name] = nn.Conv2d(c, f, k, padding=(k // 2 if pad == "same" else 0))
                assert pad == "valid" or k % 2 == 1  # torch symmetric pad == TF SAME, odd k
                c, h = f, (h if pad == "same" else h - k + 1)
            elif layer[0] == "pool":
                h //= 2
            elif layer[0] == "dense":
                self.fc_name = layer[1]
                self.fc = nn.Linear(c * h * h, layer[2])

    def forward(self, x_u8, taps=None):
        h = x_u8.to(torch.float32).unsqueeze(1) / 255.0
        for layer in self.arch:
            if layer[0] == "conv":
                h = F.relu(self.convs[layer[1]](h))
                if taps is not None:
                    taps[layer[1]] = h
            elif layer[0] == "pool":
                h = F.max_pool2d(h, 2)
            elif layer[0] == "flatten":
                h = h.permute(0, 2, 3, 1).flatten(1)  # NHWC flatten
            elif layer[0] == "dense":
                h = self.fc(h)
        return h


def export_int8(model, outdir, calib_x, test_x, test_y):
    model.eval()
    with torch.no_grad():
        taps = {}
        model(torch.from_numpy(calib_x), taps)
    files = {}
    layers = []
    s_in = 1.0 / 255.0  # raw uint8 pixels, float model sees x / 255
    info = {"act_scales": {}}
    for layer in model.arch:
        kind, name = layer[0], layer[1]
        if kind in ("conv", "dense"):
            mod = model.convs[name] if kind == "conv" else model.fc
            w = mod.weight.detach().double().numpy()
            b = mod.bias.detach().double().numpy()
            if kind == "conv":
                w = w.transpose(0, 2, 3, 1)  # [Cout,KH,KW,Cin]
            cout = w.shape[0]
            wmax = np.abs(w.reshape(cout, -1)).max(axis=1)
            if kind == "dense":
                # The last layer has no requantization: its int32 accumulators are the scores,
                # so all classes must share one weight scale for argmax to match the float net.
                wmax = np.full(cout, wmax.max())
            s_w = np.where(wmax > 0, wmax / 127.0, 1.0)
            wq = np.clip(np.round(w / s_w.reshape((-1,) + (1,) * (w.ndim - 1))), -127, 127)
            wq = wq.astype(np.int8)
            bq = np.round(b / (s_w * s_in))
            assert np.abs(bq).max() < 2**31
            files[f"{name}.w"] = wq
            files[f"{name}.b"] = bq.astype(np.int32)
            if kind == "conv":
                a = taps[name].detach().double().numpy().ravel()
                amax = float(np.percentile(a, INT8_CALIB_PERCENTILE))
                s_out = amax / 255.0
                info["act_scales"][name] = s_out
                m0 = np.zeros(cout, dtype=np.int64)
                sh = np.zeros(cout, dtype=np.int64)
                for ch in range(cout):
                    m0[ch], sh[ch] = quantize_multiplier(s_w[ch] * s_in / s_out)
                files[f"{name}.m0"] = m0.astype(np.int32)
                files[f"{name}.shift"] = sh.astype(np.int32)
                layers.append(("conv", name, wq, bq.astype(np.int64), m0, sh, layer[3], layer[4]))
                s_in = s_out
            else:
                layers.append(("dense", name, wq, bq.astype(np.int64)))
        elif kind == "pool":
            layers.append(("pool", name))
        elif kind == "flatten":
            layers.append(("flatten", name))
    save_npys(outdir, files)

    assert np.array_equal(int8_forward(layers, test_x[:32]),
                          int8_forward(layers, test_x[:32], pure_int=True))
    preds = predict_all(int8_forward, layers, test_x)
    correct = int((preds == test_y).sum())
    sl = int((preds[:1000] == test_y[:1000]).sum())
    return correct, sl, info, files


def int8_forward(layers, x_u8, pure_int=False):
    """Integer int8 network on uint8 images [n,28,28] -> int32 scores (as int64) [n,10]."""
    act = x_u8.astype(np.int64)[..., None]  # NHWC uint8 values
    for lay in layers:
        if lay[0] == "conv":
            _, name, wq, bq, m0, sh, k, pad = lay
            cout, cin = wq.shape[0], wq.shape[3]
            if pad == "same":
                t, bo = same_pad(act.shape[1], k, 1)
                l, r = same_pad(act.shape[2], k, 1)
                p = im2col_nhwc(act, k, 1, (t, bo, l, r), 0)
            else:
                p = im2col_nhwc(act, k)
            w2 = wq.reshape(cout, -1)
            if pure_int:
                acc = np.einsum("nhwk,ck->nhwc", p, w2.astype(np.int64))
            else:
                acc = exact_dot(p, w2, k * k * cin * 127 * 255)
            act = requant(acc + bq, m0, sh)
        elif lay[0] == "pool":
            act = maxpool_nhwc(act, 2, 2)
        elif lay[0] == "flatten":
            act = act.reshape(act.shape[0], -1)
        elif lay[0] == "dense":
            _, name, wq, bq = lay
            if pure_int:
                acc = np.einsum("nk,ck->nc", act, wq.astype(np.int64))
            else:
                acc = exact_dot(act, wq, act.shape[1] * 127 * 255)
            acc = acc + bq
            assert acc.min() >= INT32_MIN and acc.max() <= INT32_MAX
            return acc


# ---------------------------------------------------------------------------------------
# Batched, parallel integer evaluation (fork: the workers inherit the job, NumPy only)
# ---------------------------------------------------------------------------------------

_JOB = None


def _predict_chunk(i):
    fn, layers, x = _JOB
    return argmax_lowest(fn(layers, x[i : i + EVAL_CHUNK]))


def predict_all(fn, layers, x):
    global _JOB
    _JOB = (fn, layers, x)
    starts = list(range(0, len(x), EVAL_CHUNK))
    try:
        with multiprocessing.get_context("fork").Pool(THREADS) as pool:
            parts = pool.map(_predict_chunk, starts)
    finally:
        _JOB = None
    return np.concatenate(parts)


# ---------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------


def float_accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 100):
            out = model(torch.from_numpy(x[i : i + 100]))
            correct += int((out.argmax(1).numpy() == y[i : i + 100]).sum())
    return correct / len(x)


def train(model, data, epochs, batch, lr, clip=None, verbose=False, tag=""):
    x = torch.from_numpy(data["train_x"])
    y = torch.from_numpy(data["train_y"].astype(np.int64))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(x) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    gen = torch.Generator().manual_seed(SEED)
    for ep in range(epochs):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(x), generator=gen)
        tot, nb = 0.0, 0
        for i in range(0, len(x), batch):
            idx = perm[i : i + batch]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if clip is not None:
                clip()
            tot += float(loss)
            nb += 1
        msg = f"[{tag}] epoch {ep + 1}/{epochs} loss {tot / nb:.4f} ({time.time() - t0:.1f} s)"
        if verbose:
            msg += f" test {float_accuracy(model, data['test_x'], data['test_y']):.4f}"
        print(msg, flush=True)


# ---------------------------------------------------------------------------------------
# Config writers
# ---------------------------------------------------------------------------------------


def write_export_txt(path, facc, correct, sl, seconds):
    with open(path, "w") as f:
        f.write(f"float_accuracy = {facc:.4f}\n")
        f.write(f"int_correct_10000 = {correct}\n")
        f.write(f"slice_correct_1000 = {sl}\n")
        f.write(f"train_seconds = {seconds:.0f}\n")
        f.write(f"torch = {torch.__version__}\n")


def write_bnn_cfg(path, facc, correct, sl, s_bits):
    lines = [
        "# configs/nets/fmnist_bnn.cfg — BinarEye-style binary CNN for Fashion-MNIST "
        "(thermometer input, 2x2 binary convs); trained by scripts/train_fmnist.py",
        f"# float accuracy {facc:.4f}; integer export {correct}/10000 on t10k, "
        f"{sl}/1000 on the first 1000 (fmnist_bnn/export.txt)",
        f"# classifier: score = s*dot + o in int64, s/o = BN affine scaled by 2^{s_bits}",
        'name = "fmnist-bnn";',
        f'input = {{ shape = [28, 28, 1]; encode = "thermometer"; levels = {BNN_LEVELS}; }};'
        f"   # -> 28x28x{BNN_LEVELS} binary",
        'weights = "fmnist_bnn";        # folder of .npy files, relative to this config file',
        "layers = (",
    ]
    c, h = BNN_LEVELS, 28
    entries = []
    for layer in BNN_ARCH:
        kind, name = layer[0], layer[1]
        if kind == "conv":
            c, h = layer[2], h - 1
            entries.append(
                (f'  {{ name = "{name}"; type = "conv2d"; kernel = 2; filters = {c}; stride = 1; '
                 f'padding = "valid";\n'
                 f'    weight_bits = 1; act_bits = 1; activation = "bn_sign"; }}',
                 f"{h}x{h}x{c}"))
        elif kind == "pool":
            h //= 2
            entries.append((f'  {{ name = "{name}"; type = "maxpool"; size = 2; stride = 2; }}',
                            f"{h}x{h}x{c}"))
        elif kind == "flatten":
            entries.append((f'  {{ name = "{name}"; type = "flatten"; }}', f"{h * h * c}"))
        elif kind == "dense":
            entries.append(
                (f'  {{ name = "{name}"; type = "dense"; units = {layer[2]}; weight_bits = 1; '
                 f'act_bits = 1; activation = "bn"; }}', f"{layer[2]} scores (int64)"))
    for i, (text, shape) in enumerate(entries):
        comma = "," if i + 1 < len(entries) else ""
        lines.append(f"{text}{comma}   # -> {shape}")
    lines.append(");")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_int8_cfg(path, facc, correct, sl):
    lines = [
        "# configs/nets/fmnist_int8.cfg — small int8 CNN for Fashion-MNIST (per-channel int8 "
        "weights, uint8 activations); trained by scripts/train_fmnist.py",
        f"# float accuracy {facc:.4f}; integer export {correct}/10000 on t10k, "
        f"{sl}/1000 on the first 1000 (fmnist_int8/export.txt)",
        'name = "fmnist-int8";',
        'input = { shape = [28, 28, 1]; encode = "none"; };   # raw uint8 pixels',
        'weights = "fmnist_int8";        # folder of .npy files, relative to this config file',
        "layers = (",
    ]
    c, h = 1, 28
    entries = []
    for layer in INT8_ARCH:
        kind, name = layer[0], layer[1]
        if kind == "conv":
            _, _, f, k, pad = layer
            c, h = f, (h if pad == "same" else h - k + 1)
            entries.append(
                (f'  {{ name = "{name}"; type = "conv2d"; kernel = {k}; filters = {f}; stride = 1; '
                 f'padding = "{pad}";\n    weight_bits = 8; act_bits = 8; activation = "relu"; }}',
                 f"{h}x{h}x{c} uint8"))
        elif kind == "pool":
            h //= 2
            entries.append((f'  {{ name = "{name}"; type = "maxpool"; size = 2; stride = 2; }}',
                            f"{h}x{h}x{c} uint8"))
        elif kind == "flatten":
            entries.append((f'  {{ name = "{name}"; type = "flatten"; }}', f"{h * h * c}"))
        elif kind == "dense":
            entries.append(
                (f'  {{ name = "{name}"; type = "dense"; units = {layer[2]}; weight_bits = 8; '
                 f'act_bits = 8; activation = "none"; }}', f"{layer[2]} scores (int32)"))
    for i, (text, shape) in enumerate(entries):
        comma = "," if i + 1 < len(entries) else ""
        lines.append(f"{text}{comma}   # -> {shape}")
    lines.append(");")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------


def tune_malloc():
    """Keep glibc from returning the big per-batch tensors to the kernel after every step.

    Without this every training step re-faults ~25 MB of fresh pages: on this machine that
    cost half the CPU time in the kernel and made epochs 35-100 % slower."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD (glibc's maximum)
    except (OSError, AttributeError):
        pass


def seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)


def main():
    global BNN_EPOCHS, INT8_EPOCHS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=ROOT, help="root of the output tree (default: repository)")
    ap.add_argument("--only", choices=["bnn", "int8"], help="train one network only")
    ap.add_argument("--bnn-epochs", type=int, default=BNN_EPOCHS)
    ap.add_argument("--int8-epochs", type=int, default=INT8_EPOCHS)
    ap.add_argument("--verbose", action="store_true", help="test accuracy after every epoch")
    args = ap.parse_args()
    BNN_EPOCHS, INT8_EPOCHS = args.bnn_epochs, args.int8_epochs

    tune_malloc()
    torch.set_num_threads(THREADS)
    t_start = time.time()
    _selftest_int_arith()
    data = load_data()
    nets = os.path.join(args.out, "configs", "nets")
    tdir = os.path.join(args.out, "tests", "data", "fmnist")
    os.makedirs(nets, exist_ok=True)
    os.makedirs(tdir, exist_ok=True)
    write_idx_gz(os.path.join(tdir, "t10k-1000-images-idx3-ubyte.gz"), data["test_x"][:1000])
    write_idx_gz(os.path.join(tdir, "t10k-1000-labels-idx1-ubyte.gz"), data["test_y"][:1000])
    print(f"torch {torch.__version__}, numpy {np.__version__}, {THREADS} threads", flush=True)

    if args.only in (None, "int8"):
        t0 = time.time()
        seed_all(SEED)
        model = IntNet(INT8_ARCH)
        train(model, data, INT8_EPOCHS, INT8_BATCH, INT8_LR, verbose=args.verbose, tag="int8")
        facc = float_accuracy(model, data["test_x"], data["test_y"])
        calib = data["train_x"][:INT8_CALIB_IMAGES]
        outdir = os.path.join(nets, "fmnist_int8")
        correct, sl, info, files = export_int8(model, outdir, calib, data["test_x"], data["test_y"])
        secs = time.time() - t0
        write_export_txt(os.path.join(outdir, "export.txt"), facc, correct, sl, secs)
        write_int8_cfg(os.path.join(nets, "fmnist_int8.cfg"), facc, correct, sl)
        print(f"fmnist_int8: float test accuracy {facc:.4f}, integer {correct}/10000, "
              f"slice {sl}/1000, {secs:.0f} s; act scales {info['act_scales']}", flush=True)
        for k, v in files.items():
            extra = ""
            if k.endswith(".shift"):
                extra = f" range {v.min()}..{v.max()}"
            print(f"  {k}: {v.dtype} {list(v.shape)}{extra}")

    if args.only in (None, "bnn"):
        t0 = time.time()
        seed_all(SEED)
        model = BinNet(BNN_ARCH, BNN_LEVELS)
        train(model, data, BNN_EPOCHS, BNN_BATCH, BNN_LR, clip=model.clip_latent,
              verbose=args.verbose, tag="bnn")
        facc = float_accuracy(model, data["test_x"], data["test_y"])
        outdir = os.path.join(nets, "fmnist_bnn")
        correct, sl, info, files = export_bnn(model, outdir, data["test_x"], data["test_y"])
        secs = time.time() - t0
        write_export_txt(os.path.join(outdir, "export.txt"), facc, correct, sl, secs)
        write_bnn_cfg(os.path.join(nets, "fmnist_bnn.cfg"), facc, correct, sl, info["classifier_S"])
        print(f"fmnist_bnn: float test accuracy {facc:.4f}, integer {correct}/10000, "
              f"slice {sl}/1000, {secs:.0f} s; classifier S = {info['classifier_S']}", flush=True)
        for k, v in files.items():
            extra = ""
            if k.endswith(".thr"):
                extra = f" range {v.min()}..{v.max()}"
            print(f"  {k}: {v.dtype} {list(v.shape)}{extra}")

    total = 0
    for net in ("fmnist_bnn", "fmnist_int8"):
        d = os.path.join(nets, net)
        if os.path.isdir(d):
            total += sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
                         if f.endswith(".npy"))
    print(f".npy total {total} bytes; total time {time.time() - t_start:.0f} s", flush=True)
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    sys.exit(main())
