#!/usr/bin/python3
"""Train the QNN family of the minimum-energy study on Fashion-MNIST and record test accuracies.

The family (docs/estimate.md, "The QNN family"; REFERENCES.md, Moons et al.): 3 blocks, each of
`nl` 3x3 'same' convolutions with `nf` filters and a 2x2 max-pool, then a dense classifier; all
weights and activations at `bits` (1 = binary, 2, 4, 8), the first layer taking the 8-bit
image. erg builds the same networks (erg estimate --qnn bits=B,nl=N,nf=F1:F2:F3) and estimates
their energy; this script supplies the accuracy axis of that study:

  configs/qnn/fmnist_qnn.csv   bits,nl,nf1,nf2,nf3,accuracy,params,epochs,seconds

Quantization-aware training with straight-through estimators: weights quantized per output
channel (binary: sign times the mean magnitude; b bits: symmetric uniform, 2^(b-1) - 1 levels
each side), activations by a clipped uniform quantizer (2^b - 1 levels on [0, 1] after a
hard-tanh clip; binary: sign), batch norm after every convolution, the dense layer's output
in float (its scores). Accuracy is the fake-quantized PyTorch model's on the 10,000 test images:
these networks are for the energy/accuracy study and are not exported as erg nets.

Budget: the whole grid within 2 hours on 2 cores (a few epochs, small widths; --epochs,
--grid choose). Runs once by hand, never in CI:

  /usr/bin/python3 scripts/train_qnn_fmnist.py            # the documented grid
  /usr/bin/python3 scripts/train_qnn_fmnist.py --grid quick --epochs 1 --out /tmp/q.csv
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist as tf  # noqa: E402  (data loading, the training loop, threads, malloc)

torch, nn, F, np = tf.torch, tf.nn, tf.F, tf.np

ROOT = tf.ROOT
OUT_CSV = os.path.join(ROOT, "configs", "qnn", "fmnist_qnn.csv")

# The grid: (bits, nl, (nf1, nf2, nf3)). Widths double per block; two depths.
GRIDS = {
    "default": [
        (b, nl, (w, 2 * w, 4 * w))
        for b in (1, 2, 4, 8)
        for nl in (1, 2)
        for w in (8, 16, 32)
    ],
    "quick": [(b, 1, (8, 16, 32)) for b in (1, 4, 8)],
}


class QuantW(torch.autograd.Function):
    """Per-output-channel weight quantizer with a straight-through gradient."""

    @staticmethod
    def forward(ctx, w, bits):
        dims = tuple(range(1, w.dim()))
        if bits == 1:
            scale = w.abs().mean(dim=dims, keepdim=True)
            return torch.where(w >= 0, scale, -scale)
        levels = 2 ** (bits - 1) - 1
        scale = w.abs().amax(dim=dims, keepdim=True).clamp(min=1e-8) / levels
        return torch.round(w / scale).clamp(-levels, levels) * scale

    @staticmethod
    def backward(ctx, g):
        return g, None


class QuantA(torch.autograd.Function):
    """Activation quantizer on a clipped input: binary sign, or 2^b - 1 uniform levels on [0, 1]."""

    @staticmethod
    def forward(ctx, x, bits):
        if bits == 1:
            return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))
        levels = 2**bits - 1
        return torch.round(x.clamp(0, 1) * levels) / levels

    @staticmethod
    def backward(ctx, g):
        return g, None


class QConv(nn.Conv2d):
    def __init__(self, cin, cout, bits):
        super().__init__(cin, cout, 3, padding=1, bias=False)
        self.bits = bits

    def forward(self, x):
        return F.conv2d(x, QuantW.apply(self.weight, self.bits), None, 1, 1)


class QNN(nn.Module):
    def __init__(self, bits, nl, nf):
        super().__init__()
        self.bits = bits
        mods, self.plan, c = [], [], 1
        for blk in range(3):
            for _ in range(nl):
                mods += [QConv(c, nf[blk], bits), nn.BatchNorm2d(nf[blk])]
                self.plan.append("conv")
                c = nf[blk]
            self.plan.append("pool")
        self.body = nn.ModuleList(mods)
        self.fc = nn.Linear(c * 3 * 3, 10)
        self.fc_bn = nn.BatchNorm1d(10)

    def act(self, x):
        if self.bits == 1:
            return QuantA.apply(F.hardtanh(x), 1)
        return QuantA.apply(F.hardtanh(x, 0, 1), self.bits)

    def forward(self, x_u8):
        # the image at 8 bits, as erg's first layer takes it
        h = x_u8.to(torch.float32).unsqueeze(1) / 255.0
        mods = iter(self.body)
        for step in self.plan:
            if step == "pool":
                h = F.max_pool2d(h, 2)
            else:
                conv, bn = next(mods), next(mods)
                h = self.act(bn(conv(h)))
        h = h.flatten(1)
        w = QuantW.apply(self.fc.weight, self.bits)
        return self.fc_bn(F.linear(h, w, self.fc.bias))


def params(bits, nl, nf):
    c, n = 1, 0
    for blk in range(3):
        for _ in range(nl):
            n += 9 * c * nf[blk]
            c = nf[blk]
    return n + c * 9 * 10


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--grid", choices=sorted(GRIDS), default="default")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--out", default=OUT_CSV, help="CSV to write (default: %(default)s)")
    args = ap.parse_args()
    tf.tune_malloc()
    torch.set_num_threads(tf.THREADS)
    data = tf.load_data()
    rows = []
    t_all = time.time()
    tmp = args.out + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    for bits, nl, nf in GRIDS[args.grid]:
        tf.seed_all(tf.SEED)
        model = QNN(bits, nl, nf)
        t0 = time.time()
        tag = f"b{bits} nl{nl} nf{nf[0]}:{nf[1]}:{nf[2]}"
        tf.train(model, data, args.epochs, 128, 3e-3 if bits > 1 else 5e-3, tag=tag)
        acc = tf.float_accuracy(model, data["test_x"], data["test_y"])
        secs = time.time() - t0
        print(f"[{tag}] test accuracy {acc:.4f} ({secs:.0f} s)", flush=True)
        rows.append((bits, nl, nf, acc, params(bits, nl, nf), args.epochs, secs))
        # written after every network, so an interrupted run keeps what it finished
        with open(tmp, "w") as f:
            f.write("# configs/qnn/fmnist_qnn.csv — written by scripts/train_qnn_fmnist.py: the\n")
            f.write("# QNN family's Fashion-MNIST test accuracy (fake-quantized PyTorch, 10,000\n")
            f.write(f"# test images), {args.epochs} epochs each, grid '{args.grid}'.\n")
            f.write("bits,nl,nf1,nf2,nf3,accuracy,params,epochs,seconds\n")
            for b, n, w, a, p, e, s in rows:
                f.write(f"{b},{n},{w[0]},{w[1]},{w[2]},{a:.4f},{p},{e},{s:.0f}\n")
        os.replace(tmp, args.out)
    print(f"{len(rows)} networks in {time.time() - t_all:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
