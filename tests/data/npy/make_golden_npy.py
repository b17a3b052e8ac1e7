#!/usr/bin/env python3
"""make_golden_npy.py — recreates the NumPy-written golden .npy files in tests/data/npy.

Needs numpy (written with the system numpy 1.24). tests/unit/test_npy.c reads these and checks
that erg_npy_write produces the same bytes. Usage: python3 tests/data/npy/make_golden_npy.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

GOLDEN = {
    "arange6_i8.npy": np.arange(6, dtype=np.int8).reshape(2, 3),
    "u8_4d.npy": (np.arange(24, dtype=np.int64) * 11 % 256).astype(np.uint8).reshape(1, 2, 3, 4),
    "i16_extremes.npy": np.array([-32768, -1, 0, 1, 32767], dtype="<i2"),
    "f32_scalar.npy": np.array(3.5, dtype="<f4"),
    "f32_2x3.npy": np.array([[0.5, -1.25, 1024.0], [-0.0, np.inf, 1e-45]], dtype="<f4"),
    "u8_empty_0x3.npy": np.zeros((0, 3), dtype=np.uint8),
}

if __name__ == "__main__":
    for name, a in GOLDEN.items():
        np.save(os.path.join(HERE, name), a)
    # Format 2.0 (4-byte header length); np.save picks 1.0, so write it explicitly.
    with open(os.path.join(HERE, "i32_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.array([-2147483648, 0, 2147483647], dtype="<i4"),
                                  version=(2, 0))
    print("wrote %d golden .npy files with numpy %s" % (len(GOLDEN) + 1, np.__version__))
