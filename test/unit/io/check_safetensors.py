#!/usr/bin/env python3
"""Independent cross-check of Backprop Lab's safetensors files, written without any code from
the app: struct + json + numpy, and the `safetensors` package too when it is installed.

    check_safetensors.py verify FILE   strictly check a file Backprop Lab wrote; print its contents
    check_safetensors.py write FILE    write a file with F32, F64, F16 and BF16 tensors; print the
                                       float32 bits a reader must produce for each

Output is one JSON object on stdout. Values are given as float32 bit patterns (unsigned 32-bit
integers) so the comparison is exact, NaN and -0 included. On a problem: a message on stderr and
exit status 1.
"""
import json
import struct
import sys

import numpy as np


def fail(message):
    print(f"check_safetensors: {message}", file=sys.stderr)
    sys.exit(1)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        fail(f"duplicate keys in header: {keys}")
    return dict(pairs)


def other_readers():
    try:
        import safetensors  # noqa: F401
        from safetensors.numpy import load as load_numpy

        return f"safetensors {safetensors.__version__}", load_numpy
    except ImportError:
        return None, None


def verify(path):
    raw = open(path, "rb").read()
    if len(raw) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        fail(f"header length {n} beyond the file ({len(raw)} bytes)")
    if (8 + n) % 8 != 0:
        fail(f"8 + header length = {8 + n} is not a multiple of 8")
    header_bytes = raw[8 : 8 + n]
    if not header_bytes.startswith(b"{"):
        fail("header does not start with '{'")
    text = header_bytes.decode("utf-8")
    body = text.rstrip(" ")
    if not body.endswith("}"):
        fail("header padding is not spaces after the JSON object")
    header = json.loads(body, object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        fail(f"__metadata__ is not a map of strings: {metadata!r}")
    names = list(header.keys())
    if names != sorted(names):
        fail(f"tensors are not written in sorted order: {names}")
    data = raw[8 + n :]
    offset = 0
    tensors = {}
    for name in names:
        entry = header[name]
        if set(entry.keys()) != {"dtype", "shape", "data_offsets"}:
            fail(f"{name}: unexpected entry keys {sorted(entry.keys())}")
        if entry["dtype"] != "F32":
            fail(f"{name}: dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        if begin != offset:
            fail(f"{name}: begins at {begin}, previous tensor ended at {offset}")
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if end - begin != 4 * count:
            fail(f"{name}: byte range {end - begin} does not fit shape {entry['shape']}")
        offset = end
        values = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
        tensors[name] = {
            "dtype": entry["dtype"],
            "shape": list(values.shape),
            "bits": np.frombuffer(data[begin:end], dtype="<u4").tolist(),
        }
    if offset != len(data):
        fail(f"data section has {len(data)} bytes, tensors cover {offset}")
    checked_with = ["struct+json+numpy"]
    name, load = other_readers()
    if load is not None:
        loaded = load(raw)
        if sorted(loaded.keys()) != names:
            fail(f"{name} read tensors {sorted(loaded.keys())}, expected {names}")
        for key, array in loaded.items():
            bits = np.ascontiguousarray(array, dtype="<f4").view("<u4").ravel().tolist()
            if list(array.shape) != tensors[key]["shape"] or bits != tensors[key]["bits"]:
                fail(f"{name} disagrees about tensor {key}")
        checked_with.append(name)
    print(json.dumps({"metadata": metadata, "tensors": tensors, "checkedWith": checked_with}))


def f32_bits(values):
    return np.asarray(values, dtype="<f4").view("<u4").ravel().tolist()


def write(path):
    f32 = np.array([[1.5, -2.25, 3.0e-39], [0.1, -0.0, 65504.0]], dtype="<f4")
    f64 = np.array([1.0 / 3.0, -1.0e300, 2.0**-1074, np.pi], dtype="<f8")
    f16 = np.array([1.0, -2.0, 65504.0, 2.0**-24, np.inf, -0.0, 0.333], dtype="<f2")
    bf16_source = np.array([3.14159, -1.0e38, 1.0e-40, 7.0], dtype="<f4")
    bf16 = (bf16_source.view("<u4") >> 16).astype("<u2")  # truncation, the simplest bf16 rounding
    scalar = np.array(42.0, dtype="<f4")
    empty = np.zeros((3, 0), dtype="<f4")
    # Data order differs from header key order, and metadata comes last: a reader must use offsets.
    blobs = [
        ("zeta.f16", "F16", f16.shape, f16.tobytes()),
        ("alpha.f64", "F64", f64.shape, f64.tobytes()),
        ("mid.bf16", "BF16", bf16.shape, bf16.tobytes()),
        ("empty", "F32", empty.shape, b""),
        ("beta.f32", "F32", f32.shape, f32.tobytes()),
        ("scalar", "F32", (), scalar.tobytes()),
    ]
    entries = {}
    offset = 0
    for name, dtype, shape, blob in blobs:
        entries[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
    header = {name: entries[name] for name in sorted(entries, reverse=True)}
    header["__metadata__"] = {"format": "pt", "note": "written by check_safetensors.py"}
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + b"".join(blob for *_, blob in blobs))
    with np.errstate(over="ignore"):  # -1e300 becomes -inf in float32, as in any reader
        f64_as_f32 = f64.astype("<f4")
    expected = {
        "beta.f32": {"shape": list(f32.shape), "bits": f32_bits(f32)},
        "alpha.f64": {"shape": list(f64.shape), "bits": f32_bits(f64_as_f32)},
        "zeta.f16": {"shape": list(f16.shape), "bits": f32_bits(f16.astype("<f4"))},
        "mid.bf16": {"shape": list(bf16.shape), "bits": (bf16.astype("<u4") << 16).tolist()},
        "scalar": {"shape": [], "bits": f32_bits(scalar)},
        "empty": {"shape": [3, 0], "bits": []},
    }
    print(json.dumps({"metadata": header["__metadata__"], "tensors": expected}))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("verify", "write"):
        fail("usage: check_safetensors.py verify|write FILE")
    {"verify": verify, "write": write}[sys.argv[1]](sys.argv[2])
