#!/usr/bin/python3
"""ONNX's own checker on an exported file (Debian's python3-onnx, ONNX 1.12).

The checker runs on the file as written. Its full check adds strict shape inference, which on a
model with hundreds of megabytes of weights spends most of a minute copying them: it runs here on
the same graph with the data of the large initializers left out (their names, types and shapes
kept, which is all shape inference reads of them), so the check is the full one at a fraction of
the cost."""

import sys

import onnx
from onnx import shape_inference


def main(path):
    onnx.checker.check_model(path)
    model = onnx.load(path)
    for tensor in model.graph.initializer:
        if len(tensor.raw_data) > 4096:
            tensor.ClearField("raw_data")
    inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    dims = [d.dim_param or d.dim_value for d in inferred.graph.output[0].type.tensor_type.shape.dim]
    print("onnx", onnx.__version__, "checker passed, strict shape inference passed, output", dims)


if __name__ == "__main__":
    main(*sys.argv[1:])
