#!/usr/bin/env python3
"""make_bad_io.py — recreates the malformed .npy and IDX fixtures in tests/data/bad/{npy,idx}.

Plain python3 (struct, gzip); no numpy. Deterministic: running it again rewrites the same bytes
(the gzip fixtures use mtime=0; their exact bytes follow the zlib version, their defects do not).
Each fixture is named after its defect; tests/unit/test_npy.c and test_idx.c check the message
erg gives for each. Usage: python3 tests/data/bad/make_bad_io.py
"""
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
NPY_DIR = os.path.join(HERE, "npy")
IDX_DIR = os.path.join(HERE, "idx")


def npy(header, data=b"", version=(1, 0)):
    """A .npy file laid out as NumPy does: magic, version, header length, header padded with
    spaces and '\\n' so the data starts at a multiple of 64."""
    hb = header.encode("latin1")
    lenfmt = "<H" if version[0] == 1 else "<I"
    pre = 6 + 2 + struct.calcsize(lenfmt)
    hlen = len(hb) + 1
    pad = 64 - (pre + hlen) % 64
    hb = hb + b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack(lenfmt, len(hb)) + hb + data


def hdr(descr="<i4", fortran="False", shape="(4,)"):
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)


def i4(*vals):
    return struct.pack("<%di" % len(vals), *vals)


NPY = {
    # 4 int32 promised (16 bytes), 6 bytes present.
    "truncated_data.npy": npy(hdr(shape="(4,)"), i4(1) + b"\x02\x00"),
    # header length field says 118 bytes; the file stops 20 bytes into the header.
    "truncated_header.npy": npy(hdr(), i4(1, 2, 3, 4))[:30],
    "empty.npy": b"",
    "bad_magic.npy": b"NUMPY\x01\x00" + npy(hdr(), i4(1, 2, 3, 4))[7:],
    "zip_archive.npy": b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\x00" * 20,
    "version3.npy": npy(hdr(), i4(1, 2, 3, 4), version=(3, 0)),
    "version1_1.npy": npy(hdr(), i4(1, 2, 3, 4), version=(1, 1)),
    # v2.0 header length 0xffffffff: far longer than the file.
    "header_length_absurd.npy": b"\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr': '<i4', ",
    "big_endian_i4.npy": npy(hdr(descr=">i4"), struct.pack(">4i", 1, 2, 3, 4)),
    "float64.npy": npy(hdr(descr="<f8", shape="(2,)"), struct.pack("<2d", 1.0, 2.0)),
    "int64.npy": npy(hdr(descr="<i8", shape="(2,)"), struct.pack("<2q", 1, 2)),
    "bool.npy": npy(hdr(descr="|b1", shape="(2,)"), b"\x01\x00"),
    # What np.save writes for np.array([None, 1], dtype=object) (allow_pickle): a pickle.
    "object.npy": npy(hdr(descr="|O", shape="(2,)"), b"\x80\x02cnumpy.core.multiarray\n."),
    "unicode.npy": npy(hdr(descr="<U2", shape="(1,)"), b"a\x00\x00\x00b\x00\x00\x00"),
    "structured.npy": npy("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }",
                          i4(7)),
    "fortran_order.npy": npy(hdr(fortran="True", shape="(2, 3)"), i4(1, 4, 2, 5, 3, 6)),
    "not_a_dict.npy": npy("[('descr', '<i4'), ('shape', (4,))]", i4(1, 2, 3, 4)),
    "missing_shape.npy": npy("{'descr': '<i4', 'fortran_order': False, }", i4(1, 2, 3, 4)),
    "unknown_key.npy": npy("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), 'x': 1}",
                           i4(1, 2, 3, 4)),
    "shape_not_tuple.npy": npy(hdr(shape="(4)"), i4(1, 2, 3, 4)),
    "negative_shape.npy": npy(hdr(shape="(-1, 3)"), i4(1, 2, 3)),
    # 10^18 bytes promised by a 96-byte file: must fail as truncated, without allocating.
    "absurd_shape.npy": npy(hdr(descr="|u1", shape="(1000000000000, 1000000)"), b"\x00" * 32),
    "too_many_dims.npy": npy(hdr(descr="|u1", shape="(1, 1, 1, 1, 1, 1, 1, 1, 1)"), b"\x00"),
    "dim_out_of_range.npy": npy(hdr(shape="(99999999999999999999,)"), i4(1)),
    # 2^61 x 2 = 2^62 elements fit in size_t; 2^62 x 4 bytes = 2^64 do not.
    "bytes_overflow.npy": npy(hdr(shape="(2305843009213693952, 2)"), i4(1)),
    # 2^32 x 2^32 x 2 = 2^65 elements.
    "count_overflow.npy": npy(hdr(descr="|u1", shape="(4294967296, 4294967296, 2)"), b"\x00"),
    "trailing_data.npy": npy(hdr(), i4(1, 2, 3, 4, 5)),
}


def idx(typ, dims, data, ndim=None):
    ndim = len(dims) if ndim is None else ndim
    return bytes([0, 0, typ, ndim]) + struct.pack(">%dI" % len(dims), *dims) + data


def gz(b):
    return gzip.compress(b, compresslevel=9, mtime=0)


LABELS = idx(0x08, [10], bytes(range(10)))  # a small valid file: uint8 [10]
IMAGES = idx(0x08, [4, 8, 8], bytes((7 * i) % 256 for i in range(256)))  # uint8 [4, 8, 8]
_gz_images = gz(IMAGES)
_crc_broken = bytearray(gz(LABELS))
_crc_broken[-8] ^= 0xFF  # the CRC32 in the gzip trailer

IDX = {
    "empty.idx": b"",
    "bad_magic.idx": b"\x01\x02\x08\x01" + LABELS[4:],
    "float64.idx": idx(0x0E, [2], struct.pack(">2d", 1.0, 2.0)),
    "unknown_type.idx": idx(0x0A, [2], b"\x00\x01"),
    "zero_dims.idx": idx(0x08, [], b"\x00"),
    "nine_dims.idx": idx(0x08, [1] * 9, b"\x00"),
    "truncated_header.idx": idx(0x08, [4, 8, 8], b"")[:10],
    "truncated_data.idx": LABELS[:12],
    # Fashion-MNIST's image header [60000, 28, 28] with 16 bytes of pixels.
    "too_many_items.idx": idx(0x08, [60000, 28, 28], b"\x00" * 16),
    "too_many_items.idx.gz": gz(idx(0x08, [60000, 28, 28], b"\x00" * 16)),
    "bytes_overflow.idx": idx(0x0C, [0xFFFFFFFF] * 4, b""),
    "trailing_data.idx": LABELS + b"\x00\x00\x00",
    # The gzip stream of IMAGES cut in half: the deflate data ends early.
    "truncated.idx.gz": _gz_images[: len(_gz_images) // 2],
    # All the data but no 8-byte CRC32/size trailer.
    "no_trailer.idx.gz": gz(LABELS)[:-8],
    "bad_crc.idx.gz": bytes(_crc_broken),
}


def write_all(folder, files):
    os.makedirs(folder, exist_ok=True)
    for name, data in sorted(files.items()):
        assert len(data) < 2048, name
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write_all(NPY_DIR, NPY)
    write_all(IDX_DIR, IDX)
    print("wrote %d .npy and %d IDX fixtures" % (len(NPY), len(IDX)))
