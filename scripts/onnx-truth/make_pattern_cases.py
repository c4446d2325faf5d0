"""Small models with the patterns exporters write out node by node, which Strata's plan
fuses (Tests/Fixtures/onnx/patterns/<case>/: model.onnx, input_0.npy, ONNX Runtime's
output_0.npy). Run once from the repository root:

    .venv-bench/bin/python scripts/onnx-truth/make_pattern_cases.py

- silu: Conv -> Sigmoid -> Mul(x, sigmoid(x)) (PyTorch's SiLU, YOLOv8), then a residual Add.
- hardswish: Conv -> Add(+3) -> Clip(0, 6) -> Mul(x, .) -> Div(/6) (Paddle's hard swish),
  then Mul and Add by per-channel constants held in Constant nodes (PP-OCR's learnable
  affine), then Split on channels, Resize (nearest, scales) and Concat.
- channel_attention: Conv -> GlobalAveragePool -> Conv 1x1 -> HardSigmoid -> Mul with the
  feature map (a (n, c, 1, 1) scale broadcast), then Transpose/Reshape to the graph output.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = "Tests/Fixtures/onnx/patterns"


def conv(name, x, cin, cout, rng, k=3, group=1):
    w = numpy_helper.from_array(rng.normal(0, 0.3, (cout, cin // group, k, k)).astype(np.float32), name + "_w")
    b = numpy_helper.from_array(rng.normal(0, 0.1, (cout,)).astype(np.float32), name + "_b")
    node = helper.make_node("Conv", [x, w.name, b.name], [name], name=name, pads=[k // 2] * 4, group=group)
    return node, [w, b]


def const(name, array):
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(np.asarray(array, np.float32), name + "_v"))


def silu(rng):
    nodes, inits = [], []
    n, i = conv("c1", "x", 3, 8, rng); nodes.append(n); inits += i
    nodes += [helper.make_node("Sigmoid", ["c1"], ["s1"], name="s1"), helper.make_node("Mul", ["c1", "s1"], ["m1"], name="m1")]
    n, i = conv("c2", "m1", 8, 8, rng); nodes.append(n); inits += i
    nodes += [helper.make_node("Sigmoid", ["c2"], ["s2"], name="s2"), helper.make_node("Mul", ["s2", "c2"], ["m2"], name="m2"),
              helper.make_node("Add", ["m2", "m1"], ["y"], name="add")]
    return nodes, inits, [1, 3, 12, 10], [1, 8, 12, 10]


def hardswish(rng):
    nodes, inits = [], []
    n, i = conv("c1", "x", 3, 6, rng); nodes.append(n); inits += i
    nodes += [const("three", 3.0), const("six", 6.0), const("zero", 0.0), const("sixc", 6.0),
              helper.make_node("Add", ["c1", "three"], ["a"], name="a"),
              helper.make_node("Clip", ["a", "zero", "sixc"], ["cl"], name="cl"),
              helper.make_node("Mul", ["c1", "cl"], ["m"], name="m"),
              helper.make_node("Div", ["m", "six"], ["hs"], name="hs"),
              const("scale", rng.normal(1, 0.2, (6, 1, 1))), const("shift", rng.normal(0, 0.2, (6, 1, 1))),
              helper.make_node("Mul", ["scale", "hs"], ["sc"], name="sc"),
              helper.make_node("Add", ["sc", "shift"], ["af"], name="af")]
    split = numpy_helper.from_array(np.array([2, 4], np.int64), "split")
    scales = numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")
    inits += [split, scales]
    nodes += [helper.make_node("Split", ["af", "split"], ["p0", "p1"], name="split", axis=1),
              helper.make_node("Resize", ["p0", "", "scales"], ["r0"], name="resize", mode="nearest"),
              helper.make_node("Resize", ["p1", "", "scales"], ["r1"], name="resize1", mode="nearest"),
              helper.make_node("Concat", ["r1", "r0"], ["y"], name="concat", axis=1)]
    return nodes, inits, [1, 3, 8, 9], [1, 6, 16, 18]


def channel_attention(rng):
    nodes, inits = [], []
    n, i = conv("c1", "x", 3, 8, rng); nodes.append(n); inits += i
    nodes.append(helper.make_node("Relu", ["c1"], ["r"], name="relu"))
    nodes.append(helper.make_node("GlobalAveragePool", ["r"], ["g"], name="gap"))
    n, i = conv("c2", "g", 8, 8, rng, k=1); nodes.append(n); inits += i
    nodes += [helper.make_node("HardSigmoid", ["c2"], ["hsig"], name="hsig", alpha=0.2, beta=0.5),
              helper.make_node("Mul", ["r", "hsig"], ["att"], name="att"),
              helper.make_node("Transpose", ["att"], ["t"], name="t", perm=[0, 2, 3, 1])]
    shape = numpy_helper.from_array(np.array([1, -1, 8], np.int64), "shape")
    inits.append(shape)
    nodes.append(helper.make_node("Reshape", ["t", "shape"], ["y"], name="reshape"))
    return nodes, inits, [1, 3, 7, 6], [1, 42, 8]


def main():
    for seed, (name, make) in enumerate([("silu", silu), ("hardswish", hardswish), ("channel_attention", channel_attention)]):
        rng = np.random.default_rng(2000 + seed)
        nodes, inits, xs, ys = make(rng)
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, xs)],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ys)], initializer=inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="strata-make-pattern-cases")
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        folder = os.path.join(ROOT, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "model.onnx")
        onnx.save(model, path)
        x = rng.uniform(-2, 2, xs).astype(np.float32)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        y = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
        np.save(os.path.join(folder, "input_0.npy"), x)
        np.save(os.path.join(folder, "output_0.npy"), y)
        print(name, list(y.shape))


if __name__ == "__main__":
    main()
