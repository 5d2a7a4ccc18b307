#!/usr/bin/python3
"""Writes an ONNX model of one float32 matrix product, N x N times a constant N x N, for
ONNX Runtime to time: the CPU's attainable float32 rate (2 N^3 FLOP per run) in the same engine
and threads as the models (benchmarks/CnnDsl.Benchmarks, suite onnx). Debian's python3-onnx."""

import sys

import numpy
import onnx
from onnx import TensorProto, helper, numpy_helper

n = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
weight = numpy_helper.from_array(numpy.random.default_rng(1).standard_normal((n, n), dtype=numpy.float32), "b")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["input", "b"], ["output"])], "matmul",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", n])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", n])], [weight])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
