#!/usr/bin/env python3
"""Writes small ONNX models of the control flow Strata reads (a Loop with a scan output, a
Scan, a model-local function called twice with an attribute), each checked by onnx's checker,
then their truth with make_truth.py (onnx's shape inference and onnx-tool):

    .venv-bench/bin/python scripts/onnx-truth/make_control_flow.py Tests/Fixtures/onnx
"""
import os
import subprocess
import sys

import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np


def save(model, folder, name):
    onnx.checker.check_model(model)
    d = os.path.join(folder, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    onnx.save(model, path)
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_truth.py"), path, d,
                    "--package", "none (written by scripts/onnx-truth/make_control_flow.py)", "--archive", "none",
                    "--path-in-package", name], check=True)


def loop_model():
    # for i in range(3): acc = acc + x; emit acc * 2  →  final acc (2, 4), scans (3, 2, 4)
    body = helper.make_graph(
        [helper.make_node("Add", ["acc_in", "x"], ["acc_out"], name="body_add"),
         helper.make_node("Mul", ["acc_out", "two"], ["scan_out"], name="body_mul"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="body_cond")],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []), helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [2, 4])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [2, 4]),
         helper.make_tensor_value_info("scan_out", TensorProto.FLOAT, [2, 4])],
        [numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")])
    g = helper.make_graph(
        [helper.make_node("Loop", ["M", "cond", "acc0"], ["acc", "scans"], name="loop", body=body),
         helper.make_node("Relu", ["acc"], ["y"], name="relu")],
        "loop_graph",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4]), helper.make_tensor_value_info("acc0", TensorProto.FLOAT, [2, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None]), helper.make_tensor_value_info("scans", TensorProto.FLOAT, [None, None, None])],
        [numpy_helper.from_array(np.array(3, dtype=np.int64), "M"), numpy_helper.from_array(np.array(True), "cond")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def scan_model():
    # running sum over a sequence of 5 vectors of 3: state (3,), scan output (5, 3)
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "v"], ["s_out"], name="body_add"),
         helper.make_node("Identity", ["s_out"], ["emit"], name="body_emit")],
        "scan_body",
        [helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [3]), helper.make_tensor_value_info("v", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("s_out", TensorProto.FLOAT, [3]), helper.make_tensor_value_info("emit", TensorProto.FLOAT, [3])])
    g = helper.make_graph(
        [helper.make_node("Scan", ["s0", "seq"], ["final", "sums"], name="scan", body=body, num_scan_inputs=1)],
        "scan_graph",
        [helper.make_tensor_value_info("s0", TensorProto.FLOAT, [3]), helper.make_tensor_value_info("seq", TensorProto.FLOAT, [5, 3])],
        [helper.make_tensor_value_info("final", TensorProto.FLOAT, [None]), helper.make_tensor_value_info("sums", TensorProto.FLOAT, [None, None])])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def function_model():
    # local.ScaledRelu(x, w) = Relu(MatMul(x, w)) then LeakyRelu with the call's alpha.
    alpha = helper.make_attribute_ref("alpha", onnx.AttributeProto.FLOAT)
    leaky = helper.make_node("LeakyRelu", ["r"], ["out"])
    leaky.attribute.append(alpha)
    fn = helper.make_function("local", "ScaledRelu", ["x", "w"], ["out"],
                              [helper.make_node("MatMul", ["x", "w"], ["m"]), helper.make_node("Relu", ["m"], ["r"]), leaky],
                              [helper.make_opsetid("", 17)], attributes=["alpha"])
    g = helper.make_graph(
        [helper.make_node("ScaledRelu", ["x", "w1"], ["h"], domain="local", name="block1", alpha=0.1),
         helper.make_node("ScaledRelu", ["h", "w2"], ["y"], domain="local", name="block2", alpha=0.2)],
        "function_graph",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, None])],
        [numpy_helper.from_array(np.ones((8, 16), np.float32), "w1"), numpy_helper.from_array(np.ones((16, 4), np.float32), "w2")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)], functions=[fn])


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/onnx"
    save(loop_model(), folder, "node_loop")
    save(scan_model(), folder, "node_scan")
    save(function_model(), folder, "local_function")


if __name__ == "__main__":
    main()
