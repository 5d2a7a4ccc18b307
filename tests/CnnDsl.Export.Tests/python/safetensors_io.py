"""The .safetensors format (an 8-byte little-endian header length, a JSON header naming each
tensor's dtype, shape and byte range, then the bytes), read and written with numpy: Debian's
PyTorch 1.13 has no safetensors package, and torch.save/torch.load of a large state_dict through
pickle costs the tests tens of seconds."""

import json
import struct

import numpy
import torch

_DTYPES = {"F32": (numpy.float32, torch.float32), "I64": (numpy.int64, torch.int64), "F64": (numpy.float64, torch.float64)}


def load(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = numpy.frombuffer(data, dtype=_DTYPES[entry["dtype"]][0], count=(end - begin) // numpy.dtype(_DTYPES[entry["dtype"]][0]).itemsize, offset=begin)
        tensors[name] = torch.from_numpy(array.copy()).reshape(entry["shape"])
    return tensors


def save(tensors, path):
    names = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64"}
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        raw = tensor.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": names[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in blobs:
            f.write(raw)
