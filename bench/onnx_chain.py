"""Writes a valid ONNX model of N Relu nodes in a chain (default 100,000), for `make bench`:
Strata must summarise it in seconds (no pass over the graph may be quadratic)."""
import sys

import onnx
from onnx import TensorProto, helper


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/strata-chain.onnx"
    nodes = [helper.make_node("Relu", ["x" if i == 0 else f"t{i - 1}"], ["y" if i == n - 1 else f"t{i}"], name=f"relu{i}")
             for i in range(n)]
    graph = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 16])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), out)
    print(out)


if __name__ == "__main__":
    main()
