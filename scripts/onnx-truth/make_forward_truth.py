"""ONNX Runtime's outputs for the ONNX fixtures that have none yet, for the forward-pass
agreement tests (Tests/ONNXFormatTests/ONNXForwardAgreementTests.swift).

For each case below: seeded inputs (float32 uniform in [-1, 1) unless the case says
otherwise) saved as input_<i>.npy in graph input order, and ONNX Runtime 1.32.0's outputs
(CPU, graph optimisations off) as output_<i>.npy in graph output order. Nothing is computed
by Strata. Run once from the repository root:

    .venv-bench/bin/python scripts/onnx-truth/make_forward_truth.py
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

ROOT = "Tests/Fixtures/onnx"

# case -> {input name: (shape, dtype, maker)}; shapes for the symbolic sizes.
CASES = {
    "real/ppocr_cls": {"x": ([1, 3, 48, 192], np.float32, None)},
    "real/silero_vad": {
        "input": ([1, 512], np.float32, None),
        "state": ([2, 1, 128], np.float32, lambda rng, s: np.zeros(s, np.float32)),
        "sr": ([], np.int64, lambda rng, s: np.array(16000, np.int64)),
    },
    # real/qonnx_espcn_quant is left out: its onnx.brevitas:Quant nodes run nowhere but in
    # QONNX's own executor (ONNX Runtime refuses the model, and so does Strata, by name).
    "quant_qdq_resnet8": {"input_layer": ([1, 32, 32, 3], np.float32, None)},
    "quant_qoperator_resnet8": {"input_layer": ([1, 32, 32, 3], np.float32, None)},
    "node_loop": {"x": ([2, 4], np.float32, None), "acc0": ([2, 4], np.float32, None)},
    "node_scan": {"s0": ([3], np.float32, None), "seq": ([5, 3], np.float32, None)},
    "local_function": {"x": ([2, 8], np.float32, None)},
}


def main():
    for seed, (case, spec) in enumerate(sorted(CASES.items())):
        folder = os.path.join(ROOT, case)
        path = os.path.join(folder, "model.onnx")
        model = onnx.load(path, load_external_data=False)
        initializers = {i.name for i in model.graph.initializer}
        names = [i.name for i in model.graph.input if i.name not in initializers]
        rng = np.random.default_rng(1000 + seed)
        feeds = {}
        for name in names:
            shape, dtype, maker = spec[name]
            feeds[name] = maker(rng, shape) if maker else rng.uniform(-1, 1, shape).astype(dtype)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.log_severity_level = 3
        session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
        outputs = session.run(None, feeds)
        for i, name in enumerate(names):
            np.save(os.path.join(folder, f"input_{i}.npy"), feeds[name])
        for i, out in enumerate(outputs):
            np.save(os.path.join(folder, f"output_{i}.npy"), out)
        print(f"{case}: inputs {[list(feeds[n].shape) for n in names]}, outputs {[list(o.shape) for o in outputs]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
