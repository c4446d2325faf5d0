#!/usr/bin/env python3
"""Quantizes the seed ResNet-8's tf2onnx export to int8 with ONNX Runtime's own quantizer,
in both of its formats, and writes their truth with make_truth.py:

  quant_qdq_resnet8       QuantizeLinear/DequantizeLinear pairs around float ops (the weights
                          int8 initializers, each Conv reading a DequantizeLinear's output)
  quant_qoperator_resnet8 QLinearConv, QLinearAdd ... (the weights int8 inputs of the ops)

Static quantization, calibrated on 8 fixed random inputs (seed 0); per-tensor weights.

    .venv-bench/bin/python scripts/onnx-truth/make_quantized.py Examples/resnet8_cifar10_tf2onnx.onnx Tests/Fixtures/onnx
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process


class Reader(CalibrationDataReader):
    def __init__(self, name, shape):
        rng = np.random.default_rng(0)
        self.items = iter([{name: rng.standard_normal(shape).astype(np.float32)} for _ in range(8)])

    def get_next(self):
        return next(self.items, None)


def main():
    source, folder = sys.argv[1], sys.argv[2]
    model = onnx.load(source)
    inp = model.graph.input[0]
    shape = [d.dim_value if d.dim_value > 0 else 1 for d in inp.type.tensor_type.shape.dim]
    pre = "/tmp/strata-quant-pre.onnx"
    quant_pre_process(source, pre, skip_symbolic_shape=True)
    for name, fmt in [("quant_qdq_resnet8", QuantFormat.QDQ), ("quant_qoperator_resnet8", QuantFormat.QOperator)]:
        d = os.path.join(folder, name)
        os.makedirs(d, exist_ok=True)
        out = os.path.join(d, "model.onnx")
        quantize_static(pre, out, Reader(inp.name, shape), quant_format=fmt, weight_type=QuantType.QInt8,
                        activation_type=QuantType.QUInt8, per_channel=False)
        onnx.checker.check_model(onnx.load(out))
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_truth.py"), out, d,
                        "--package", f"onnxruntime=={onnxruntime.__version__} quantize_static ({fmt.name}) of {os.path.basename(source)}",
                        "--archive", "none", "--path-in-package", name], check=True)


if __name__ == "__main__":
    main()
