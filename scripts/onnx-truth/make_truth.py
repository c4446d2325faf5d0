#!/usr/bin/env python3
"""Write truth.json (schema "strata-onnx-truth/1") for one ONNX model.

Every number in the output comes from the ONNX tooling itself (onnx's protobuf
reader, checker and shape inference, and onnx-tool's profiler); nothing is
computed by Strata or by hand.  The field names follow the shared fixtures
(Tests/Fixtures/onnx/keras_seed_resnet8/truth.json); the ONNX Runtime outputs
and latencies of those fixtures are not written here.

Usage (run with the bench venv, which has onnx 1.23.2 and onnx-tool 1.0.1):

    .venv-bench/bin/python scripts/onnx-truth/make_truth.py MODEL.onnx OUT_DIR \
        --package silero-vad==6.2.3 \
        --archive silero_vad-6.2.3-py3-none-any.whl \
        --path-in-package silero_vad/data/silero_vad.onnx

It writes OUT_DIR/truth.json and nothing else.  No timestamps or absolute paths
are written, so a rerun with the same tool versions gives the same file.

Definitions (as in the shared fixtures' README):
  params                        elements of the FLOAT, FLOAT16, DOUBLE and BFLOAT16
                                initializers of the main graph (dense ones only)
  integer_initializer_elements  elements of the main graph's integer-typed
                                initializers (INT4..INT64, UINT4..UINT64; not BOOL)
  constant_node_float_elements  elements of the floating-point values held by the
                                main graph's Constant nodes (value, value_float,
                                value_floats, sparse_value)
  constant_node_float_elements_subgraphs
                                the same for the Constant nodes inside subgraphs
                                (If/Loop/Scan bodies, at any depth)
  constant_of_shape_output_elements
                                elements of the main graph's ConstantOfShape outputs
                                whose shape inference fully knows (others are counted
                                in constant_of_shape_outputs_unknown)
  nodes[].output_shapes         one entry per output, from
                                onnx.shape_inference.infer_shapes(model, data_prop=True):
                                a list of ints (dim_value), strings (dim_param) and
                                nulls (no value), or null when the shape is unknown
  nodes[].macs_onnx_tool        onnx-tool's MACs for that node, with every symbolic or
                                unknown input dim set to 1 (null when onnx-tool failed
                                or did not profile the node)
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import os
import sys
from importlib import metadata

import numpy as np
import onnx
from onnx import TensorProto, helper

SCHEMA = "strata-onnx-truth/1"
SCRIPT = "scripts/onnx-truth/make_truth.py"

FLOAT_TYPES = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16}
INTEGER_TYPES = {
    TensorProto.INT8, TensorProto.UINT8, TensorProto.INT16, TensorProto.UINT16,
    TensorProto.INT32, TensorProto.UINT32, TensorProto.INT64, TensorProto.UINT64,
    TensorProto.INT4, TensorProto.UINT4,
}


# ---------------------------------------------------------------- small helpers

def dtype_name(elem_type: int) -> str:
    return TensorProto.DataType.Name(elem_type)


def elements(dims) -> int:
    return int(math.prod(int(d) for d in dims))


def dim_json(dim):
    """One TensorShapeProto.Dimension: int, string (dim_param) or None."""
    if dim.HasField("dim_value"):
        return int(dim.dim_value)
    if dim.HasField("dim_param"):
        return dim.dim_param
    return None


def type_json(tp: onnx.TypeProto) -> tuple[str, str | None, list | None]:
    """(kind, elem_type name, shape) of a TypeProto."""
    kind = tp.WhichOneof("value") or "unknown"
    if kind == "tensor_type":
        tt = tp.tensor_type
        shape = [dim_json(d) for d in tt.shape.dim] if tt.HasField("shape") else None
        return "tensor", dtype_name(tt.elem_type), shape
    if kind == "sparse_tensor_type":
        tt = tp.sparse_tensor_type
        shape = [dim_json(d) for d in tt.shape.dim] if tt.HasField("shape") else None
        return "sparse_tensor", dtype_name(tt.elem_type), shape
    return kind.replace("_type", ""), None, None


def value_info_json(vi: onnx.ValueInfoProto) -> dict:
    kind, elem, shape = type_json(vi.type)
    return {"name": vi.name, "kind": kind, "elem_type": elem, "shape": shape}


def subgraphs_of(node: onnx.NodeProto):
    """(attribute name, GraphProto) for every graph held by a node's attributes."""
    for attr in node.attribute:
        if attr.type == onnx.AttributeProto.GRAPH:
            yield attr.name, attr.g
        elif attr.type == onnx.AttributeProto.GRAPHS:
            for g in attr.graphs:
                yield attr.name, g


def count_subgraph_nodes(graph: onnx.GraphProto, hist: collections.Counter) -> int:
    """Nodes held (at any depth) by the subgraphs of graph's nodes."""
    total = 0
    for node in graph.node:
        for _, sub in subgraphs_of(node):
            total += len(sub.node)
            hist.update(n.op_type for n in sub.node)
            total += count_subgraph_nodes(sub, hist)
    return total


def constant_float_elements(node: onnx.NodeProto) -> int:
    n = 0
    for attr in node.attribute:
        if attr.name == "value" and attr.t.data_type in FLOAT_TYPES:
            n += elements(attr.t.dims)
        elif attr.name == "sparse_value" and attr.sparse_tensor.values.data_type in FLOAT_TYPES:
            n += elements(attr.sparse_tensor.dims)
        elif attr.name == "value_float":
            n += 1
        elif attr.name == "value_floats":
            n += len(attr.floats)
    return n


def fully_known(shape) -> bool:
    """True when every dim is a non-negative int (a dim_value of -1, as some
    exporters write for "any size", is not a known size)."""
    return shape is not None and all(isinstance(d, int) and d >= 0 for d in shape)


def subgraph_constant_float_elements(graph: onnx.GraphProto) -> int:
    """Float elements of the Constant nodes held (at any depth) by graph's subgraphs."""
    n = 0
    for node in graph.node:
        for _, sub in subgraphs_of(node):
            n += sum(constant_float_elements(c) for c in sub.node if c.op_type == "Constant")
            n += subgraph_constant_float_elements(sub)
    return n


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


# ---------------------------------------------------------------- the parts of truth.json

def initializer_summary(graph: onnx.GraphProto) -> dict:
    by_dtype: dict[str, dict] = {}
    for t in graph.initializer:
        entry = by_dtype.setdefault(dtype_name(t.data_type), {"count": 0, "elements": 0})
        entry["count"] += 1
        entry["elements"] += elements(t.dims)
    return {
        "count": len(graph.initializer),
        "sparse_count": len(graph.sparse_initializer),
        "by_dtype": dict(sorted(by_dtype.items())),
    }


def run_shape_inference(model: onnx.ModelProto):
    """(inferred model or None, status string)."""
    try:
        inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
        return inferred, "ok"
    except Exception as e:  # the truth records the failure
        return None, f"{type(e).__name__}: {e}"


def inferred_shapes(inferred: onnx.ModelProto | None) -> dict:
    """Tensor name -> shape (list or None) from the main graph of the inferred model."""
    shapes: dict[str, list | None] = {}
    if inferred is None:
        return shapes
    g = inferred.graph
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        kind, _, shape = type_json(vi.type)
        if kind in ("tensor", "sparse_tensor"):
            shapes[vi.name] = shape
    return shapes


def input_feeds(graph_inputs: list[dict]):
    """Zero arrays for the graph inputs, every symbolic/unknown dim (and any
    negative dim_value) set to 1.  Returns (feeds, dims_used, shapes)."""
    feeds, dims_used, shapes = {}, {}, {}
    for vi in graph_inputs:
        if vi["kind"] != "tensor" or vi["elem_type"] is None:
            continue
        shape = []
        for axis, d in enumerate(vi["shape"] or []):
            if isinstance(d, int) and d >= 0:
                shape.append(d)
            else:
                dims_used[f"{vi['name']}:{axis}"] = 1
                shape.append(1)
        np_type = helper.tensor_dtype_to_np_dtype(TensorProto.DataType.Value(vi["elem_type"]))
        feeds[vi["name"]] = np.zeros(shape, dtype=np_type)
        shapes[vi["name"]] = shape
    return feeds, dims_used, shapes


def onnx_tool_profile(path: str, feeds: dict, graph: onnx.GraphProto):
    """Run onnx-tool's profiler.  Returns (summary dict, per-file-node MACs list)."""
    per_node: list[int | None] = [None] * len(graph.node)
    summary: dict = {"version": version_of("onnx-tool")}
    try:
        import onnx_tool

        model = onnx_tool.Model(path, {"verbose": False})
        g = model.graph
        g.graph_reorder_nodes()
        g.shape_infer(feeds)
        g.profile()
        if not g.valid_profile:
            raise RuntimeError("onnx-tool did not produce a valid profile")
        summary.update({
            "ok": True,
            "macs_total": int(round(g.macs[0])),
            "params_total": int(g.params),
        })
        # onnx-tool keys its nodes by name; an unnamed node is OPTYPE_<file index>.
        names = [n.name or f"{n.op_type}_{i}" for i, n in enumerate(graph.node)]
        counts = collections.Counter(names)
        for i, key in enumerate(names):
            node = g.nodemap.get(key)
            if counts[key] == 1 and node is not None and hasattr(node, "macs"):
                per_node[i] = int(round(node.macs[0]))
    except Exception as e:  # the truth records the failure
        summary.update({"ok": False, "error": f"{type(e).__name__}: {e}"})
    return summary, per_node


# ---------------------------------------------------------------- main

def make_truth(path: str, out_dir: str, args: argparse.Namespace) -> dict:
    model = onnx.load(path, load_external_data=False)
    graph = model.graph
    init_names = {t.name for t in graph.initializer} | {t.values.name for t in graph.sparse_initializer}

    inputs = [value_info_json(vi) for vi in graph.input if vi.name not in init_names]
    outputs = [value_info_json(vi) for vi in graph.output]

    try:
        onnx.checker.check_model(path)
        checker = "ok"
    except Exception as e:
        checker = f"{type(e).__name__}: {e}"

    sub_hist: collections.Counter = collections.Counter()
    subgraph_nodes = count_subgraph_nodes(graph, sub_hist)
    fn_hist = collections.Counter(n.op_type for f in model.functions for n in f.node)

    inferred, si_status = run_shape_inference(model)
    shapes = inferred_shapes(inferred)

    feeds, dims_used, feed_shapes = input_feeds(inputs)
    tool_summary, tool_macs = onnx_tool_profile(path, feeds, graph)

    nodes, not_fully_known, outputs_total = [], 0, 0
    cos_elements, cos_unknown = 0, 0
    for i, n in enumerate(graph.node):
        out_shapes = []
        for o in n.output:
            s = shapes.get(o) if o else None
            out_shapes.append(s)
            if o:
                outputs_total += 1
                if not fully_known(s):
                    not_fully_known += 1
        if n.op_type == "ConstantOfShape":
            s = out_shapes[0] if out_shapes else None
            if fully_known(s):
                cos_elements += elements(s)
            else:
                cos_unknown += 1
        entry = {
            "index": i,
            "name": n.name,
            "op_type": n.op_type,
            "domain": n.domain,
            "inputs": list(n.input),
            "outputs": list(n.output),
            "output_shapes": out_shapes,
        }
        sub_names = sorted({name for name, _ in subgraphs_of(n)})
        if sub_names:
            entry["subgraphs"] = sub_names
        entry["macs_onnx_tool"] = tool_macs[i]
        nodes.append(entry)

    names = [n.name for n in graph.node if n.name]
    duplicates = sorted(k for k, v in collections.Counter(names).items() if v > 1)
    external = sorted({e.value for t in graph.initializer
                       if t.data_location == TensorProto.EXTERNAL
                       for e in t.external_data if e.key == "location"})

    params = sum(elements(t.dims) for t in graph.initializer if t.data_type in FLOAT_TYPES)
    integer_elements = sum(elements(t.dims) for t in graph.initializer if t.data_type in INTEGER_TYPES)
    constant_floats = sum(constant_float_elements(n) for n in graph.node if n.op_type == "Constant")

    source = {
        "kind": "pypi-package",
        "package": args.package,
        "archive": args.archive,
        "path": args.path_in_package,
    }
    if args.licence:
        source["licence"] = args.licence
    if args.note:
        source["note"] = args.note

    return {
        "schema": SCHEMA,
        "name": args.name or os.path.basename(os.path.normpath(out_dir)),
        "file": "model.onnx",
        "source": source,
        "producer_name": model.producer_name,
        "producer_version": model.producer_version,
        "ir_version": model.ir_version,
        "opset_import": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
        "model_local_functions": [f"{f.domain}::{f.name}" for f in model.functions],
        "onnx_checker": checker,
        "inputs": inputs,
        "initializer_graph_inputs": sum(1 for vi in graph.input if vi.name in init_names),
        "outputs": outputs,
        "node_count": len(graph.node),
        "subgraph_node_count": subgraph_nodes,
        "op_histogram": dict(sorted(collections.Counter(n.op_type for n in graph.node).items())),
        "op_histogram_subgraphs": dict(sorted(sub_hist.items())),
        "op_histogram_functions": dict(sorted(fn_hist.items())),
        "initializers": initializer_summary(graph),
        "params": params,
        "integer_initializer_elements": integer_elements,
        "constant_node_float_elements": constant_floats,
        "constant_node_float_elements_subgraphs": subgraph_constant_float_elements(graph),
        "sha256": sha256_of(path),
        "file_bytes": os.path.getsize(path),
        "external_data_files": external,
        "shape_inference": {
            "data_prop": True,
            "status": si_status,
            "node_outputs_total": outputs_total,
            "node_outputs_not_fully_known": not_fully_known,
            "graph_outputs_inferred": [shapes.get(o.name) for o in graph.output],
        },
        "empty_node_names": sum(1 for n in graph.node if not n.name),
        "duplicate_node_names": duplicates,
        "constant_of_shape_output_elements": cos_elements,
        "constant_of_shape_outputs_unknown": cos_unknown,
        "input_recipe": {
            "recipe": {"values": "zeros", "open_dims": 1},
            "dims_used": dims_used,
            "shapes": feed_shapes,
        },
        "onnx_tool": tool_summary,
        "nodes": nodes,
        "generator": {
            "script": SCRIPT,
            "versions": {
                "onnx": version_of("onnx"),
                "onnx-tool": version_of("onnx-tool"),
                "numpy": version_of("numpy"),
                "protobuf": version_of("protobuf"),
                "python": sys.version.split()[0],
            },
        },
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="path of the .onnx file")
    p.add_argument("out_dir", help="folder that receives truth.json")
    p.add_argument("--name", help="fixture name (default: the out_dir's basename)")
    p.add_argument("--package", required=True, help="PyPI name==version the model came from")
    p.add_argument("--archive", required=True, help="file name of the wheel or sdist")
    p.add_argument("--path-in-package", required=True, help="path of the model inside the archive")
    p.add_argument("--licence", help="the package's licence, as it declares it")
    p.add_argument("--note", help="free text kept in source.note")
    args = p.parse_args()

    truth = make_truth(args.model, args.out_dir, args)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")
    tool = truth["onnx_tool"]
    print(f"{truth['name']}: {truth['node_count']} nodes (+{truth['subgraph_node_count']} in subgraphs), "
          f"params {truth['params']}, shape inference {truth['shape_inference']['status']}, "
          f"onnx-tool {'macs ' + str(tool['macs_total']) if tool.get('ok') else 'failed: ' + tool.get('error', '')}")


if __name__ == "__main__":
    main()
