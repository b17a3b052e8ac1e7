#!/usr/bin/python3
"""Recreates tests/data/bad/weights/*: small weight folders for the net_weights_*.cfg fixtures
(a 4x4x1 thermometer input with 2 levels, a 2x2 binary conv with 4 filters, a 2-class binary
classifier), each broken in one way. Deterministic; run from anywhere."""
import os
import shutil

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")


def good(rng):
    return {
        "conv1.w": rng.choice([-1, 1], size=(4, 2, 2, 2)).astype(np.int8),
        "conv1.thr": np.array([0, 1, -1, 2], dtype=np.int32),
        "conv1.flip": np.array([0, 0, 1, 0], dtype=np.uint8),
        "fc.w": rng.choice([-1, 1], size=(2, 36)).astype(np.int8),
        "fc.s": np.array([3, -2], dtype=np.int32),
        "fc.o": np.array([10, 20], dtype=np.int32),
    }


def write(name, arrays):
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for k, v in arrays.items():
        np.save(os.path.join(d, k + ".npy"), v)
    return d


def main():
    rng = np.random.default_rng(7)
    base = good(rng)
    write("ok", base)
    a = dict(base, **{"conv1.w": rng.choice([-1, 1], size=(4, 2, 2, 3)).astype(np.int8)})
    write("wrong_shape", a)
    a = dict(base)
    del a["conv1.thr"]
    write("missing_file", a)
    w = base["fc.w"].copy()
    w.flat[5] = 3
    write("not_binary", dict(base, **{"fc.w": w}))
    write("wrong_dtype", dict(base, **{"conv1.thr": base["conv1.thr"].astype(np.int16)}))
    write("bad_flip", dict(base, **{"conv1.flip": np.array([0, 1, 7, 0], dtype=np.uint8)}))
    d = write("truncated", base)
    p = os.path.join(d, "conv1.w.npy")
    data = open(p, "rb").read()
    open(p, "wb").write(data[:-5])


if __name__ == "__main__":
    main()
