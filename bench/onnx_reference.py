"""onnx's own read + shape inference on an ONNX file, the reference for Strata's ONNX analysis
in `make bench`: onnx.load (weights included, as Strata maps them) and
onnx.shape_inference.infer_shapes(data_prop=True), median of the rounds."""
import argparse
import os
import statistics
import time

import onnx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    for f in args.files:
        times = []
        nodes = 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            m = onnx.load(f)
            inferred = onnx.shape_inference.infer_shapes(m, data_prop=True)
            nodes = len(inferred.graph.node)
            times.append(time.perf_counter() - t0)
        print(f"onnx {onnx.__version__}: load + infer_shapes(data_prop=True) {os.path.basename(f)} ({nodes} nodes): "
              f"median {statistics.median(times):.3f} s over {args.rounds} rounds (min {min(times):.3f} s)")


if __name__ == "__main__":
    main()
