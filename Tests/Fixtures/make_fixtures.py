#!/usr/bin/env python3
"""Generate Strata's Keras reference fixtures (ground truth written by real Keras).

Every number in a `truth.json` is read from Keras objects (layer nodes, `count_params`,
`trainable_weights`, `non_trainable_weights`, variables); nothing is computed here.

Requirements (not needed to build or test Strata; CI does not run this script):

    pip install keras==3.15.1 tensorflow-cpu==2.21.0 tf-keras==2.21.0 h5py

Usage:

    python make_fixtures.py                       # every group
    python make_fixtures.py layers                # the small per-layer cases
    python make_fixtures.py applications --only ResNet50 VGG16
    python make_fixtures.py applications --no-keras2
    python make_fixtures.py manifest              # rewrite manifest.json from the folders

Output (default: the folder holding this script):

    applications/<Name>/model.json          Keras 3 `model.to_json()`, verbatim
    applications/<Name>/truth.json          ground truth read from the Keras 3 objects
    applications/<Name>/model_keras2.json   tf_keras (legacy Keras 2) `model.to_json()`
    applications/<Name>/truth_keras2.json   the same truth read from the tf_keras objects
    layers/<case>/...                       the same four files (+ summary.txt, Keras 3)
    manifest.json                           one entry per fixture folder: files and totals

Each application is built in its own child process (`--only` per model), so one
failure or a memory spike does not lose the others.
"""

import argparse
import gc
import json
import os
import subprocess
import sys
import time
import traceback

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = "keras-reference-truth/1"
LAYERS_SOURCE = "model.layers (Sequential: without its InputLayer)"
GROUPS = ["layers", "applications", "manifest"]

APPLICATIONS = [
    "ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge",
    "DenseNet121", "DenseNet169", "DenseNet201",
    "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3",
    "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
    "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
    "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L",
    "InceptionResNetV2", "InceptionV3",
    "MobileNet", "MobileNetV2", "MobileNetV3Small", "MobileNetV3Large",
    "NASNetMobile", "NASNetLarge",
    "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2",
    "VGG16", "VGG19", "Xception",
]


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def write_json(path, obj):
    """Compact JSON: no indentation, no spaces."""
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)
        if not text.endswith("\n"):
            f.write("\n")


def flatten(structure):
    """Flatten nested lists/tuples/dicts of tensors (dicts by sorted key, like Keras)."""
    if isinstance(structure, (list, tuple)):
        return [t for item in structure for t in flatten(item)]
    if isinstance(structure, dict):
        return [t for key in sorted(structure) for t in flatten(structure[key])]
    if structure is None:
        return []
    return [structure]


def shape_list(shape):
    """A tensor shape as a JSON list, null for an unknown dimension."""
    if hasattr(shape, "as_list"):  # tf.TensorShape (tf_keras)
        shape = shape.as_list()
    return [None if d is None else int(d) for d in shape]


def free_memory(*modules):
    for module in modules:
        module.backend.clear_session()
    gc.collect()


# --------------------------------------------------------------------------------------
# Reading the truth out of a Keras 3 model
# --------------------------------------------------------------------------------------


class Keras3Truth:
    """Reads the ground truth of a Keras 3 model from its objects."""

    def __init__(self, keras):
        from keras.src.models.functional import Functional
        from keras.src.ops.function import make_node_key
        from keras.src.utils.summary_utils import count_params, weight_memory_size

        self.keras = keras
        self.Functional = Functional
        self.make_node_key = make_node_key
        self.count_params = count_params
        self.weight_memory_size = weight_memory_size

    def graph_of(self, model):
        """The Functional graph holding the model's nodes (a Sequential keeps one inside)."""
        if isinstance(model, self.Functional):
            return model
        functional = getattr(model, "_functional", None)
        if functional is None:
            raise ValueError(f"model {model.name} is not built")
        return functional

    def kept_calls(self, layer, own_nodes):
        """(config_index, node) for every call of `layer` in this model.

        The config index is how the saved config's `inbound_nodes` refer to the call:
        the original node index minus the layer's nodes that belong to other graphs
        (functional.serialize_node). A nested model's own internal node is not counted.
        """
        calls = []
        for original_index, node in enumerate(layer._inbound_nodes):
            if self.make_node_key(layer, original_index) in own_nodes:
                calls.append((len(calls), node))
        return calls

    def config_ref(self, tensor, own_nodes):
        operation, node_index, tensor_index = tensor._keras_history
        irrelevant = sum(
            1
            for i in range(node_index)
            if self.make_node_key(operation, i) not in own_nodes
        )
        return {
            "layer": operation.name,
            "node_index": node_index - irrelevant,
            "tensor_index": tensor_index,
        }

    def io_ref(self, tensor, own_nodes):
        """A model input/output as `input_layers`/`output_layers` number it.

        Functional.get_config numbers those through `node_reindexing_map`, which starts a
        nested Functional's calls at 1 (unlike `inbound_nodes`, which start them at 0).
        """
        ref = self.config_ref(tensor, own_nodes)
        if isinstance(tensor._keras_history[0], self.Functional):
            ref["node_index"] += 1
        ref["shape"] = shape_list(tensor.shape)
        ref["dtype"] = str(tensor.dtype)
        return ref

    def output_shape(self, layer):
        """What model.summary() shows: the outputs of the layer's last node."""
        outputs = flatten(layer._inbound_nodes[-1].output_tensors)
        shapes = [shape_list(t.shape) for t in outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def weights(self, layer):
        trainable_ids = {id(v) for v in layer.trainable_weights}
        return [
            {
                "path": v.path,
                "shape": shape_list(v.shape),
                "dtype": str(v.dtype),
                "trainable": id(v) in trainable_ids,
            }
            for v in layer.weights
        ]

    def layer_truth(self, index, layer, own_nodes, is_layer=True):
        calls = []
        for config_index, node in self.kept_calls(layer, own_nodes):
            inputs = flatten(node.input_tensors)
            outputs = flatten(node.output_tensors)
            calls.append(
                {
                    "node_index": config_index,
                    "inbound": [self.config_ref(t, own_nodes) for t in inputs],
                    "input_shapes": [shape_list(t.shape) for t in inputs],
                    "output_shapes": [shape_list(t.shape) for t in outputs],
                    "output_dtypes": [str(t.dtype) for t in outputs],
                }
            )
        entry = {
            "index": index,
            "name": layer.name,
            "class_name": layer.__class__.__name__,
            "registered_name": self.keras.saving.get_registered_name(layer.__class__),
            "output_shape": self.output_shape(layer),
        }
        if is_layer:
            entry.update({
                "params": int(layer.count_params()),
                "trainable_params": self.count_params(layer.trainable_weights),
                "non_trainable_params": self.count_params(layer.non_trainable_weights),
                "trainable": bool(layer.trainable),
            })
        entry.update({
            "inbound_layers": [ref["layer"] for ref in calls[0]["inbound"]] if calls else [],
            "num_calls": len(calls),
            "calls": calls,
            "weights": self.weights(layer) if is_layer else [],
        })
        if isinstance(layer, self.keras.Model):
            entry["submodel"] = self.model_truth(layer)
        return entry

    def extra_operations(self, model, graph, own_nodes):
        """Operations the saved config lists as layers but model.layers leaves out
        (Keras 3 records e.g. the NotEqual op that computes an Embedding's mask)."""
        listed = {id(layer) for layer in model.layers}
        extras = []
        for operation in graph.operations:
            if id(operation) in listed or isinstance(operation, self.keras.layers.InputLayer):
                continue
            entry = self.layer_truth(len(extras), operation, own_nodes, is_layer=False)
            entry["module"] = operation.__class__.__module__
            extras.append(entry)
        return extras

    def model_truth(self, model):
        graph = self.graph_of(model)
        own_nodes = graph._nodes
        config = model.get_config() if isinstance(model, self.Functional) else {}
        truth = {
            "model_name": model.name,
            "model_class": model.__class__.__name__,
            "total_params": int(model.count_params()),
            "trainable_params": self.count_params(model.trainable_weights),
            "non_trainable_params": self.count_params(model.non_trainable_weights),
            "inputs": [self.io_ref(t, own_nodes) for t in flatten(graph._inputs_struct)],
            "outputs": [self.io_ref(t, own_nodes) for t in flatten(graph._outputs_struct)],
            "config_input_layers": config.get("input_layers"),
            "config_output_layers": config.get("output_layers"),
            "layers_source": LAYERS_SOURCE,
            "layer_count": len(model.layers),
            "layers": [
                self.layer_truth(i, layer, own_nodes) for i, layer in enumerate(model.layers)
            ],
        }
        extras = self.extra_operations(model, graph, own_nodes)
        if extras:
            truth["operations_not_in_layers"] = extras
        if config:
            check_io_against_config(truth, config["input_layers"], config["output_layers"])
            check_calls_against_config(truth, config)
        return truth

    def summary(self, model):
        """model.summary() as text, 120 columns wide (rich reads COLUMNS)."""
        lines = []
        columns = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "120"
        try:
            model.summary(line_length=120, print_fn=lambda text, **_: lines.append(text))
        finally:
            if columns is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = columns
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Reading the truth out of a tf_keras (legacy Keras 2) model
# --------------------------------------------------------------------------------------


class Keras2Truth:
    """Reads the ground truth of a tf_keras model from its objects."""

    def __init__(self, tf_keras):
        from tf_keras.src.engine import functional
        from tf_keras.src.utils.layer_utils import count_params

        self.tf_keras = tf_keras
        self.functional = functional
        self.count_params = count_params

    def conversion_map(self, model):
        """Node key -> config node index, exactly as functional.get_network_config does.

        A nested Functional built on an Input keeps its first (internal) node out of the
        config, so its first call in the outer model is node 1.
        """
        mapping = {}
        for layer in model.layers:
            kept = 1 if self.functional._should_skip_first_node(layer) else 0
            for original_index, _ in enumerate(layer._inbound_nodes):
                key = self.functional._make_node_key(layer.name, original_index)
                if key in model._network_nodes:
                    mapping[key] = kept
                    kept += 1
        return mapping

    def ref(self, tensor, mapping):
        """An inbound reference as Node.serialize writes it (unmapped nodes: 0)."""
        history = tensor._keras_history
        key = self.functional._make_node_key(history.layer.name, history.node_index)
        return {
            "layer": history.layer.name,
            "node_index": mapping.get(key, 0),
            "tensor_index": history.tensor_index,
        }

    def io_ref(self, tensor, mapping):
        ref = self.ref(tensor, mapping)
        ref["shape"] = shape_list(tensor.shape)
        ref["dtype"] = tensor.dtype.name
        return ref

    def output_shape(self, layer):
        outputs = flatten(layer._inbound_nodes[-1].outputs)
        shapes = [shape_list(t.shape) for t in outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def weights(self, layer):
        trainable_ids = {id(v) for v in layer.trainable_weights}
        return [
            {
                "name": v.name,
                "shape": shape_list(v.shape),
                "dtype": v.dtype.name,
                "trainable": id(v) in trainable_ids,
            }
            for v in layer.weights
        ]

    def layer_truth(self, index, layer, model, mapping):
        calls = []
        for original_index, node in enumerate(layer._inbound_nodes):
            key = self.functional._make_node_key(layer.name, original_index)
            if key not in model._network_nodes:
                continue
            inputs = [] if node.is_input else list(node.keras_inputs)
            outputs = flatten(node.outputs)
            calls.append(
                {
                    "node_index": mapping[key],
                    "inbound": [self.ref(t, mapping) for t in inputs],
                    "input_shapes": [shape_list(t.shape) for t in inputs],
                    "output_shapes": [shape_list(t.shape) for t in outputs],
                    "output_dtypes": [t.dtype.name for t in outputs],
                }
            )
        entry = {
            "index": index,
            "name": layer.name,
            "class_name": layer.__class__.__name__,
            "output_shape": self.output_shape(layer),
            "params": int(layer.count_params()),
            "trainable_params": int(self.count_params(layer.trainable_weights)),
            "non_trainable_params": int(self.count_params(layer.non_trainable_weights)),
            "trainable": bool(layer.trainable),
            "inbound_layers": [ref["layer"] for ref in calls[0]["inbound"]] if calls else [],
            "num_calls": len(calls),
            "calls": calls,
            "weights": self.weights(layer),
        }
        if isinstance(layer, self.tf_keras.Model):
            entry["submodel"] = self.model_truth(layer)
        return entry

    def model_truth(self, model):
        mapping = self.conversion_map(model)
        config = model.get_config() if model.__class__.__name__ == "Functional" else {}
        truth = {
            "model_name": model.name,
            "model_class": model.__class__.__name__,
            "total_params": int(model.count_params()),
            "trainable_params": int(self.count_params(model.trainable_weights)),
            "non_trainable_params": int(self.count_params(model.non_trainable_weights)),
            "inputs": [self.io_ref(t, mapping) for t in flatten(model.inputs)],
            "outputs": [self.io_ref(t, mapping) for t in flatten(model.outputs)],
            "config_input_layers": config.get("input_layers"),
            "config_output_layers": config.get("output_layers"),
            "layers_source": LAYERS_SOURCE,
            "layer_count": len(model.layers),
            "layers": [
                self.layer_truth(i, layer, model, mapping)
                for i, layer in enumerate(model.layers)
            ],
        }
        if config:
            check_io_against_config(truth, config["input_layers"], config["output_layers"])
            check_calls_against_config(truth, config)
        return truth


def config_refs(node_data):
    """Every (layer, node_index, tensor_index) a saved node refers to, in order.

    Keras 3 writes `{"args": ..., "kwargs": ...}` with `__keras_tensor__` objects holding
    `keras_history`; Keras 2 writes `[layer, node, tensor, kwargs]` lists whose kwargs may
    hold more such triples (e.g. an RNN's `initial_state`).
    """
    refs = []

    def visit(item):
        if isinstance(item, dict):
            if item.get("class_name") == "__keras_tensor__":
                refs.append(tuple(item["config"]["keras_history"]))
                return
            for key in sorted(item):
                visit(item[key])
        elif isinstance(item, (list, tuple)):
            if (len(item) in (3, 4) and isinstance(item[0], str)
                    and isinstance(item[1], int) and isinstance(item[2], int)):
                refs.append(tuple(item[:3]))
                if len(item) == 4:
                    visit(item[3])
                return
            for element in item:
                visit(element)

    visit(node_data)
    return refs


def check_calls_against_config(truth, config):
    """The calls we read must be the nodes the saved config lists, numbered the same."""
    saved = {layer["name"]: layer["inbound_nodes"] for layer in config["layers"]}
    listed = truth["layers"] + truth.get("operations_not_in_layers", [])
    if sorted(saved) != sorted(layer["name"] for layer in listed):
        raise AssertionError(f"config layers {sorted(saved)} differ from what we read")
    for layer in listed:
        nodes = saved[layer["name"]]
        calls = [c for c in layer["calls"] if c["inbound"]]
        if len(nodes) != len(calls):
            raise AssertionError(f"{layer['name']}: {len(calls)} calls, config {len(nodes)}")
        for call, node in zip(calls, nodes):
            ours = sorted((r["layer"], r["node_index"], r["tensor_index"])
                          for r in call["inbound"])
            if ours != sorted(config_refs(node)):
                raise AssertionError(f"{layer['name']}: read {ours}, config {node}")


def check_io_against_config(truth, input_layers, output_layers):
    """The inputs/outputs we read must be the ones the saved config names."""

    def triples(spec):
        if spec and isinstance(spec[0], str):
            return [list(spec)]
        return [t for item in spec for t in triples(item)]

    for key, spec in (("inputs", input_layers), ("outputs", output_layers)):
        ours = [[r["layer"], r["node_index"], r["tensor_index"]] for r in truth[key]]
        if ours != triples(spec):
            raise AssertionError(f"{key}: read {ours}, config says {spec}")


# --------------------------------------------------------------------------------------
# Writing one fixture folder
# --------------------------------------------------------------------------------------


def runtime_check(k, model, truth):
    """Run the model once on zeros (unknown batch: 2) and compare the output shapes with
    the symbolic ones. Where Keras's symbolic shape is wrong (it happens), the truth
    keeps what Keras's graph says and this records what a forward pass gives. If the
    whole model cannot run, each output is tried alone (a sub-model per output)."""
    inputs = []
    for spec in truth["inputs"]:
        shape = [2 if d is None else d for d in spec["shape"]]
        inputs.append(np.zeros(shape, dtype=spec["dtype"]))
    feed = inputs if len(inputs) > 1 else inputs[0]

    def error_text(error):
        lines = str(error).strip().splitlines() or [""]
        return f"{type(error).__name__}: {lines[0][:300]}"

    try:
        results = [np.shape(o) for o in flatten(model(feed, training=False))]
    except Exception:  # noqa: BLE001 - try the outputs one by one
        results = []
        for output in flatten(model.outputs):
            try:
                alone = k.Model(model.inputs, output)
                results.append(np.shape(alone(inputs, training=False)))
            except Exception as error:  # noqa: BLE001
                results.append(error_text(error))
    symbolic = [[2 if d is None else d for d in spec["shape"]] for spec in truth["outputs"]]
    shapes, failures, mismatches = [], [], []
    for i, result in enumerate(results):
        layer = truth["outputs"][i]["layer"]
        if isinstance(result, str):
            shapes.append(None)
            failures.append({"output": i, "layer": layer, "error": result})
            continue
        shapes.append(shape_list(result))
        if shapes[-1] != symbolic[i]:
            mismatches.append({"output": i, "layer": layer, "symbolic": symbolic[i],
                               "runtime": shapes[-1]})
    return {"batch_for_none": 2, "output_shapes": shapes, "mismatches": mismatches,
            "failures": failures}


def truth_header(group, description, keras2):
    if keras2:
        import tf_keras

        return {
            "schema": SCHEMA,
            "source": "tf_keras (legacy Keras 2)",
            "group": group,
            "description": description,
            "tf_keras_version": tf_keras.__version__,
        }
    import keras

    return {
        "schema": SCHEMA,
        "source": f"keras 3 ({keras.backend.backend()} backend)",
        "group": group,
        "description": description,
        "keras_version": keras.__version__,
    }


def write_keras3(folder, group, description, model, with_summary, notes=None):
    import keras

    reader = Keras3Truth(keras)
    truth = truth_header(group, description, keras2=False)
    truth["files"] = {"model_json": "model.json", "truth": "truth.json"}
    if with_summary:
        truth["files"]["summary"] = "summary.txt"
    truth["weights_bytes"] = int(reader.weight_memory_size(model.weights))
    truth["weights_included"] = False
    truth.update(reader.model_truth(model))
    if group == "layers":
        truth["runtime_check"] = runtime_check(keras, model, truth)
    if notes:
        truth["notes"] = notes
    write_text(os.path.join(folder, "model.json"), model.to_json())
    write_json(os.path.join(folder, "truth.json"), truth)
    if with_summary:
        write_text(os.path.join(folder, "summary.txt"), reader.summary(model))
    return truth


def write_keras2(folder, group, description, model, notes=None):
    import tf_keras

    reader = Keras2Truth(tf_keras)
    truth = truth_header(group, description, keras2=True)
    truth["files"] = {"model_json": "model_keras2.json", "truth": "truth_keras2.json"}
    truth["weights_included"] = False
    truth.update(reader.model_truth(model))
    if group == "layers":
        truth["runtime_check"] = runtime_check(tf_keras, model, truth)
    if notes:
        truth["notes"] = notes
    write_text(os.path.join(folder, "model_keras2.json"), model.to_json())
    write_json(os.path.join(folder, "truth_keras2.json"), truth)
    return truth


def remove_if_present(folder, *names):
    for name in names:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            os.remove(path)


# --------------------------------------------------------------------------------------
# Group: applications
# --------------------------------------------------------------------------------------


def make_application(out_dir, name, with_keras2=True):
    """Build keras.applications.<name>(weights=None) (and the tf_keras one) and write it."""
    import keras

    folder = os.path.join(out_dir, "applications", name)
    os.makedirs(folder, exist_ok=True)
    report = {"name": name}

    start = time.time()
    model = getattr(keras.applications, name)(weights=None)
    description = f"keras.applications.{name}(weights=None), default arguments"
    truth3 = write_keras3(folder, "applications", description, model, with_summary=False)
    report.update(keras3_params=truth3["total_params"], keras3_layers=truth3["layer_count"])
    report["keras3_seconds"] = round(time.time() - start, 1)
    del model, truth3
    free_memory(keras)

    if not with_keras2:
        return report
    import tf_keras

    start = time.time()
    model = getattr(tf_keras.applications, name)(weights=None)
    description = f"tf_keras.applications.{name}(weights=None), default arguments"
    truth2 = write_keras2(folder, "applications", description, model)
    report.update(keras2_params=truth2["total_params"], keras2_layers=truth2["layer_count"])
    report["keras2_seconds"] = round(time.time() - start, 1)
    if truth2["total_params"] != report["keras3_params"]:
        # Not the same architecture: do not pretend it is.
        remove_if_present(folder, "model_keras2.json", "truth_keras2.json")
        report["keras2_skipped"] = (
            f"tf_keras counts {truth2['total_params']} parameters, "
            f"Keras 3 {report['keras3_params']}"
        )
    del model, truth2
    free_memory(tf_keras)
    return report


def run_applications(out_dir, names, with_keras2, in_process):
    """Each application in a child process unless in_process (then: in this process).
    Returns the failures; a failure does not stop the others."""
    os.makedirs(os.path.join(out_dir, "applications"), exist_ok=True)
    failures = []
    for name in names:
        if in_process:
            try:
                report = make_application(out_dir, name, with_keras2)
            except Exception as error:  # noqa: BLE001 - report and go on
                traceback.print_exc()
                report = {"name": name, "error": f"{type(error).__name__}: {error}"}
                failures.append(report)
            print(json.dumps(report), flush=True)
            continue
        command = [sys.executable, os.path.abspath(__file__), "applications",
                   "--in-process", "--out", out_dir, "--only", name]
        if not with_keras2:
            command.append("--no-keras2")
        result = subprocess.run(command)
        if result.returncode != 0:
            failures.append({"name": name, "error": f"child exited {result.returncode}"})
    return failures


# --------------------------------------------------------------------------------------
# Group: layers (small Keras-made models, one or a few per layer class)
# --------------------------------------------------------------------------------------
#
# Each builder takes the Keras module (`keras` or `tf_keras`) and returns a built model,
# or (model, notes) where notes (a dict) is copied into the truth as "notes".
# `is_keras3(k)` tells a builder which one it has, for the few arguments that differ.

LAYER_CASES = []


def case(name, description, keras2=True, keras3=True):
    """Register a layer case. keras2=False: tf_keras does not support it (not tried).
    keras3=False: only tf_keras has the layer (only the Keras 2 files are written)."""

    def register(builder):
        LAYER_CASES.append(
            {"name": name, "description": description, "build": builder, "keras2": keras2,
             "keras3": keras3}
        )
        return builder

    return register


def is_keras3(k):
    return k.__name__ == "keras"


@case("input_layer_fixed_batch", "InputLayer with a fixed batch size and an int32 input.")
def input_layer_fixed_batch(k):
    L = k.layers
    x = k.Input(batch_shape=(4, 10), name="fixed_batch")
    ids = k.Input(shape=(3,), dtype="int32", name="int_ids")
    y = L.Dense(5, name="dense")(x)
    return k.Model([x, ids], [y, ids], name="input_layer_fixed_batch")


@case("dense_basic", "Dense with bias and activation on a 2D input.")
def dense_basic(k):
    L = k.layers
    x = k.Input(shape=(16,), name="x")
    y = L.Dense(8, activation="relu", name="hidden")(x)
    y = L.Dense(4, activation="softmax", name="out")(y)
    return k.Model(x, y, name="dense_basic")


@case("dense_3d_no_bias", "Dense(use_bias=False) on a 3D input: acts on the last axis.")
def dense_3d_no_bias(k):
    L = k.layers
    x = k.Input(shape=(5, 12), name="x")
    y = L.Dense(6, use_bias=False, name="no_bias")(x)
    y = L.Dense(3, name="with_bias")(y)
    return k.Model(x, y, name="dense_3d_no_bias")


def keras3_activation_names():
    from keras.src import activations

    return sorted(activations.ALL_OBJECTS_DICT)


def common_activation_names():
    import tf_keras

    names = []
    for name in keras3_activation_names():
        try:
            tf_keras.activations.get(name)
            names.append(name)
        except Exception:  # noqa: BLE001 - not known to tf_keras
            pass
    return names


def activation_model(k, names, model_name):
    """One Activation branch per name, every branch an output. Names Keras refuses to
    build are left out and listed in the model name's description by the caller."""
    L = k.layers
    x = k.Input(shape=(6, 4), name="x")
    outputs = []
    for name in names:
        outputs.append(L.Activation(name, name=f"act_{name}")(x))
    return k.Model(x, outputs, name=model_name)


def buildable_activations(k, names):
    """Names an Activation layer accepts in a functional model (e.g. `threshold` needs
    arguments a string cannot give)."""
    ok, refused = [], {}
    for name in names:
        try:
            activation_model(k, [name], "probe")
            ok.append(name)
        except Exception as error:  # noqa: BLE001
            refused[name] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return ok, refused


@case(
    "activation_all_keras3",
    "Activation with every name in keras.activations (Keras 3 only); one branch each.",
    keras2=False,
)
def activation_all_keras3(k):
    names, refused = buildable_activations(k, keras3_activation_names())
    model = activation_model(k, names, "activation_all_keras3")
    return model, {"activations": names, "refused_by_keras": refused}


@case(
    "activation_common",
    "Activation with every name both Keras 3 and tf_keras accept; one branch each.",
)
def activation_common(k):
    names, refused = buildable_activations(k, common_activation_names())
    model = activation_model(k, names, "activation_common")
    return model, {"activations": names, "refused_by_keras": refused}


@case("relu_leakyrelu_elu_softmax", "ReLU (max_value, negative_slope, threshold), "
      "LeakyReLU, ELU, Softmax(axis=1).")
def relu_leakyrelu_elu_softmax(k):
    L = k.layers
    x = k.Input(shape=(5, 6), name="x")
    a = L.ReLU(name="relu_plain")(x)
    b = L.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5, name="relu_capped")(x)
    slope = {"negative_slope": 0.2} if is_keras3(k) else {"alpha": 0.2}
    c = L.LeakyReLU(name="leaky", **slope)(x)
    d = L.ELU(alpha=0.5, name="elu")(x)
    e = L.Softmax(axis=1, name="softmax_axis1")(x)
    return k.Model(x, [a, b, c, d, e], name="relu_leakyrelu_elu_softmax")


@case("prelu_shared_axes", "PReLU per element, and with shared_axes=[1, 2] on 4D.")
def prelu_shared_axes(k):
    L = k.layers
    x = k.Input(shape=(4, 5, 3), name="x")
    a = L.PReLU(name="prelu_full")(x)
    b = L.PReLU(shared_axes=[1, 2], name="prelu_shared12")(x)
    return k.Model(x, [a, b], name="prelu_shared_axes")


@case("dropout_noise", "Dropout, SpatialDropout1D, SpatialDropout2D, GaussianNoise.")
def dropout_noise(k):
    L = k.layers
    seq = k.Input(shape=(10, 4), name="seq")
    img = k.Input(shape=(6, 6, 3), name="img")
    a = L.Dropout(0.5, name="dropout")(seq)
    a = L.SpatialDropout1D(0.3, name="spatial_dropout1d")(a)
    a = L.GaussianNoise(0.1, name="gaussian_noise")(a)
    b = L.SpatialDropout2D(0.2, name="spatial_dropout2d")(img)
    return k.Model([seq, img], [a, b], name="dropout_noise")


@case("reshape_permute_flatten_repeat", "Permute, Reshape with -1, Flatten, RepeatVector.")
def reshape_permute_flatten_repeat(k):
    L = k.layers
    x = k.Input(shape=(4, 6, 2), name="x")
    y = L.Permute((2, 1, 3), name="permute")(x)
    y = L.Reshape((-1, 4), name="reshape_minus1")(y)
    y = L.Flatten(name="flatten")(y)
    y = L.RepeatVector(3, name="repeat")(y)
    return k.Model(x, y, name="reshape_permute_flatten_repeat")


@case("conv1d_causal_strided_dilated", "Conv1D: causal + dilation 2, same + stride 2, "
      "valid + stride 3.")
def conv1d_causal_strided_dilated(k):
    L = k.layers
    x = k.Input(shape=(20, 3), name="x")
    y = L.Conv1D(4, 3, padding="causal", dilation_rate=2, name="causal_dilated")(x)
    y = L.Conv1D(6, 3, strides=2, padding="same", name="same_stride2")(y)
    y = L.Conv1D(5, 4, strides=3, padding="valid", use_bias=False, name="valid_stride3")(y)
    return k.Model(x, y, name="conv1d_causal_strided_dilated")


@case("conv2d_strided_same", "Conv2D stride 2 padding same on odd sizes, then valid.")
def conv2d_strided_same(k):
    L = k.layers
    x = k.Input(shape=(15, 13, 4), name="x")
    y = L.Conv2D(8, 3, strides=2, padding="same", name="same_stride2")(x)
    y = L.Conv2D(6, (3, 2), strides=(2, 1), padding="valid", name="valid_stride21")(y)
    return k.Model(x, y, name="conv2d_strided_same")


@case("conv2d_dilated_no_bias", "Conv2D with dilation (2, 1), use_bias=False, valid.")
def conv2d_dilated_no_bias(k):
    L = k.layers
    x = k.Input(shape=(12, 12, 3), name="x")
    y = L.Conv2D(5, 3, dilation_rate=(2, 1), use_bias=False, name="dilated")(x)
    y = L.Conv2D(4, 3, dilation_rate=2, padding="same", name="dilated_same")(y)
    return k.Model(x, y, name="conv2d_dilated_no_bias")


@case("conv2d_groups", "Conv2D with groups=4 and groups=2 (grouped convolution).")
def conv2d_groups(k):
    L = k.layers
    x = k.Input(shape=(8, 8, 8), name="x")
    y = L.Conv2D(8, 3, groups=4, name="groups4")(x)
    y = L.Conv2D(6, 1, groups=2, use_bias=False, name="groups2")(y)
    return k.Model(x, y, name="conv2d_groups")


@case("conv2d_channels_first", "Conv2D, BatchNormalization(axis=1), MaxPooling2D and "
      "GlobalAveragePooling2D with data_format channels_first.")
def conv2d_channels_first(k):
    L = k.layers
    x = k.Input(shape=(3, 16, 12), name="x")
    y = L.Conv2D(4, 3, strides=2, padding="same", data_format="channels_first",
                 name="conv_cf")(x)
    y = L.BatchNormalization(axis=1, name="bn_axis1")(y)
    y = L.MaxPooling2D(2, data_format="channels_first", name="pool_cf")(y)
    y = L.GlobalAveragePooling2D(data_format="channels_first", name="gap_cf")(y)
    return k.Model(x, y, name="conv2d_channels_first")


@case("conv3d", "Conv3D with strides (1, 2, 2) same, then kernel 2 valid.")
def conv3d(k):
    L = k.layers
    x = k.Input(shape=(6, 8, 8, 2), name="x")
    y = L.Conv3D(4, 3, strides=(1, 2, 2), padding="same", name="conv3d_same")(x)
    y = L.Conv3D(3, 2, name="conv3d_valid")(y)
    return k.Model(x, y, name="conv3d")


@case("conv2d_transpose", "Conv2DTranspose stride 2 same, stride 2 valid, output_padding 1.")
def conv2d_transpose(k):
    L = k.layers
    x = k.Input(shape=(5, 5, 4), name="x")
    a = L.Conv2DTranspose(3, 3, strides=2, padding="same", name="tconv_same")(x)
    b = L.Conv2DTranspose(2, 3, strides=2, padding="valid", name="tconv_valid")(x)
    c = L.Conv2DTranspose(2, 3, strides=2, padding="valid", output_padding=1,
                          use_bias=False, name="tconv_outpad")(x)
    d = L.Conv2DTranspose(2, (4, 3), strides=(2, 3), padding="same", output_padding=(1, 2),
                          name="tconv_same_outpad")(x)
    return k.Model(x, [a, b, c, d], name="conv2d_transpose")


@case("depthwise_separable", "DepthwiseConv2D depth_multiplier 2 stride 2, "
      "SeparableConv2D depth_multiplier 2.")
def depthwise_separable(k):
    L = k.layers
    x = k.Input(shape=(9, 9, 3), name="x")
    y = L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2,
                          name="depthwise")(x)
    y = L.SeparableConv2D(8, 3, depth_multiplier=2, name="separable")(y)
    y = L.DepthwiseConv2D(2, use_bias=False, name="depthwise_no_bias")(y)
    return k.Model(x, y, name="depthwise_separable")


@case("pooling_1d", "MaxPooling1D / AveragePooling1D, valid and same, with strides.")
def pooling_1d(k):
    L = k.layers
    x = k.Input(shape=(17, 4), name="x")
    return k.Model(x, [
        L.MaxPooling1D(2, name="max_default")(x),
        L.MaxPooling1D(3, strides=2, padding="same", name="max_same_s2")(x),
        L.AveragePooling1D(3, strides=2, padding="valid", name="avg_valid_s2")(x),
        L.AveragePooling1D(4, padding="same", name="avg_same")(x),
    ], name="pooling_1d")


@case("pooling_2d", "MaxPooling2D / AveragePooling2D, valid and same, with strides.")
def pooling_2d(k):
    L = k.layers
    x = k.Input(shape=(11, 10, 3), name="x")
    return k.Model(x, [
        L.MaxPooling2D(name="max_default")(x),
        L.MaxPooling2D((3, 2), strides=(2, 3), padding="same", name="max_same")(x),
        L.AveragePooling2D(3, strides=2, padding="valid", name="avg_valid_s2")(x),
        L.AveragePooling2D((2, 3), padding="same", name="avg_same")(x),
    ], name="pooling_2d")


@case("global_pooling", "GlobalAverage/MaxPooling 1D and 2D, keepdims True and False.")
def global_pooling(k):
    L = k.layers
    seq = k.Input(shape=(9, 4), name="seq")
    img = k.Input(shape=(7, 6, 5), name="img")
    return k.Model([seq, img], [
        L.GlobalAveragePooling1D(name="gap1d")(seq),
        L.GlobalAveragePooling1D(keepdims=True, name="gap1d_keep")(seq),
        L.GlobalMaxPooling1D(name="gmp1d")(seq),
        L.GlobalMaxPooling1D(keepdims=True, name="gmp1d_keep")(seq),
        L.GlobalAveragePooling2D(name="gap2d")(img),
        L.GlobalAveragePooling2D(keepdims=True, name="gap2d_keep")(img),
        L.GlobalMaxPooling2D(name="gmp2d")(img),
        L.GlobalMaxPooling2D(keepdims=True, name="gmp2d_keep")(img),
    ], name="global_pooling")


@case("padding_cropping", "ZeroPadding1D/2D asymmetric, Cropping1D/2D asymmetric.")
def padding_cropping(k):
    L = k.layers
    seq = k.Input(shape=(10, 4), name="seq")
    img = k.Input(shape=(8, 9, 2), name="img")
    a = L.ZeroPadding1D((1, 3), name="zpad1d")(seq)
    a = L.Cropping1D((2, 1), name="crop1d")(a)
    b = L.ZeroPadding2D(((1, 2), (3, 0)), name="zpad2d")(img)
    b = L.Cropping2D(((1, 0), (2, 3)), name="crop2d")(b)
    c = L.ZeroPadding2D(2, name="zpad2d_sym")(img)
    return k.Model([seq, img], [a, b, c], name="padding_cropping")


@case("upsampling", "UpSampling1D, UpSampling2D nearest (2, 3) and bilinear.")
def upsampling(k):
    L = k.layers
    seq = k.Input(shape=(5, 3), name="seq")
    img = k.Input(shape=(4, 5, 2), name="img")
    return k.Model([seq, img], [
        L.UpSampling1D(3, name="up1d")(seq),
        L.UpSampling2D((2, 3), interpolation="nearest", name="up2d_nearest")(img),
        L.UpSampling2D(2, interpolation="bilinear", name="up2d_bilinear")(img),
    ], name="upsampling")


@case("merge_elementwise", "Add, Subtract, Multiply, Average, Maximum, Minimum.")
def merge_elementwise(k):
    L = k.layers
    a = k.Input(shape=(6,), name="a")
    b = k.Input(shape=(6,), name="b")
    c = k.Input(shape=(6,), name="c")
    return k.Model([a, b, c], [
        L.Add(name="add3")([a, b, c]),
        L.Subtract(name="subtract")([a, b]),
        L.Multiply(name="multiply")([a, b, c]),
        L.Average(name="average")([a, b]),
        L.Maximum(name="maximum")([a, b, c]),
        L.Minimum(name="minimum")([b, c]),
    ], name="merge_elementwise")


@case("concatenate_axes", "Concatenate on axis -1 and on axis 1.")
def concatenate_axes(k):
    L = k.layers
    a = k.Input(shape=(4, 6), name="a")
    b = k.Input(shape=(3, 6), name="b")
    c = k.Input(shape=(4, 2), name="c")
    return k.Model([a, b, c], [
        L.Concatenate(axis=1, name="concat_axis1")([a, b]),
        L.Concatenate(axis=-1, name="concat_last")([a, c]),
    ], name="concatenate_axes")


@case("dot_axes_normalize", "Dot with axes=1 normalize=True, axes=2 and axes=(1, 1) on 3D.")
def dot_axes_normalize(k):
    L = k.layers
    u = k.Input(shape=(6,), name="u")
    v = k.Input(shape=(6,), name="v")
    p = k.Input(shape=(4, 6), name="p")
    q = k.Input(shape=(5, 6), name="q")
    r = k.Input(shape=(4, 3), name="r")
    return k.Model([u, v, p, q, r], [
        L.Dot(axes=1, normalize=True, name="cosine")([u, v]),
        L.Dot(axes=2, name="dot_axes2")([p, q]),
        L.Dot(axes=(1, 1), name="dot_axes11")([p, r]),
    ], name="dot_axes_normalize")


@case("batchnorm_variants", "BatchNormalization: default, scale=False, center=False, "
      "axis=1.")
def batchnorm_variants(k):
    L = k.layers
    x = k.Input(shape=(6, 5, 4), name="x")
    return k.Model(x, [
        L.BatchNormalization(name="bn_default")(x),
        L.BatchNormalization(scale=False, name="bn_no_scale")(x),
        L.BatchNormalization(center=False, name="bn_no_center")(x),
        L.BatchNormalization(axis=1, name="bn_axis1")(x),
    ], name="batchnorm_variants")


@case("layernorm_axes", "LayerNormalization on axis -1, [1, 2], [1, 2, 3] and "
      "center=False.")
def layernorm_axes(k):
    L = k.layers
    x = k.Input(shape=(5, 6, 4), name="x")
    return k.Model(x, [
        L.LayerNormalization(name="ln_last")(x),
        L.LayerNormalization(axis=[1, 2], name="ln_axes12")(x),
        L.LayerNormalization(axis=[1, 2, 3], center=False, name="ln_axes123")(x),
        L.LayerNormalization(axis=1, scale=False, name="ln_axis1_no_scale")(x),
    ], name="layernorm_axes")


@case("layernorm_rms_scaling", "LayerNormalization(rms_scaling=True) and "
      "RMSNormalization (Keras 3 only).", keras2=False)
def layernorm_rms_scaling(k):
    L = k.layers
    x = k.Input(shape=(5, 8), name="x")
    a = L.LayerNormalization(rms_scaling=True, name="ln_rms")(x)
    b = L.RMSNormalization(name="rms_norm")(x)
    c = L.RMSNormalization(axis=[1, 2], name="rms_norm_axes12")(x)
    return k.Model(x, [a, b, c], name="layernorm_rms_scaling")


@case("group_normalization", "GroupNormalization groups=4, and groups=2 center=False.")
def group_normalization(k):
    L = k.layers
    x = k.Input(shape=(6, 6, 8), name="x")
    return k.Model(x, [
        L.GroupNormalization(groups=4, name="gn4")(x),
        L.GroupNormalization(groups=2, center=False, name="gn2_no_center")(x),
    ], name="group_normalization")


@case("embedding", "Embedding on a 2D int input (no input_length), mask_zero variant.")
def embedding(k):
    L = k.layers
    ids = k.Input(shape=(7,), dtype="int32", name="ids")
    a = L.Embedding(50, 8, name="embed")(ids)
    b = L.Embedding(20, 4, mask_zero=True, name="embed_masked")(ids)
    b = L.GlobalAveragePooling1D(name="pool_masked")(b)
    return k.Model(ids, [a, b], name="embedding")


@case("simple_rnn", "SimpleRNN return_sequences=True, then the last state only.")
def simple_rnn(k):
    L = k.layers
    x = k.Input(shape=(10, 4), name="x")
    y = L.SimpleRNN(6, return_sequences=True, name="rnn_seq")(x)
    y = L.SimpleRNN(5, name="rnn_last")(y)
    return k.Model(x, y, name="simple_rnn")


@case("lstm_return_sequences", "LSTM return_sequences=True, then LSTM without bias.")
def lstm_return_sequences(k):
    L = k.layers
    x = k.Input(shape=(8, 5), name="x")
    y = L.LSTM(6, return_sequences=True, name="lstm_seq")(x)
    y = L.LSTM(4, use_bias=False, name="lstm_last")(y)
    return k.Model(x, y, name="lstm_return_sequences")


@case("lstm_return_state", "LSTM with return_sequences and return_state (3 outputs), "
      "all consumed: states seed a second LSTM, the cell state is concatenated.")
def lstm_return_state(k):
    L = k.layers
    x = k.Input(shape=(8, 5), name="x")
    seq, h, c = L.LSTM(6, return_sequences=True, return_state=True, name="encoder")(x)
    y = L.LSTM(6, name="decoder")(seq, initial_state=[h, c])
    z = L.Concatenate(name="concat_state")([y, c])
    out = L.Dense(3, name="head")(z)
    return k.Model(x, [out, h], name="lstm_return_state")


@case("gru_reset_after", "GRU reset_after=True (default) and reset_after=False with "
      "return_state (2 outputs).")
def gru_reset_after(k):
    L = k.layers
    x = k.Input(shape=(7, 4), name="x")
    y = L.GRU(6, return_sequences=True, name="gru_reset_after")(x)
    out, state = L.GRU(5, reset_after=False, return_state=True, name="gru_classic")(y)
    return k.Model(x, [out, state], name="gru_reset_after")


@case("bidirectional", "Bidirectional(LSTM) merge_mode concat, sum, and None "
      "(2 outputs), plus Bidirectional(GRU) mul.")
def bidirectional(k):
    L = k.layers
    x = k.Input(shape=(6, 4), name="x")
    y = L.Bidirectional(L.LSTM(4, return_sequences=True), merge_mode="concat",
                        name="bi_concat")(x)
    y = L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode="sum",
                        name="bi_sum")(y)
    fwd, bwd = L.Bidirectional(L.LSTM(3), merge_mode=None, name="bi_none")(y)
    g = L.Bidirectional(L.GRU(2), merge_mode="mul", name="bi_gru_mul")(x)
    return k.Model(x, [fwd, bwd, g], name="bidirectional")


@case("time_distributed", "TimeDistributed(Dense) and TimeDistributed(Conv2D).")
def time_distributed(k):
    L = k.layers
    seq = k.Input(shape=(5, 8), name="seq")
    clip = k.Input(shape=(4, 10, 10, 3), name="clip")
    a = L.TimeDistributed(L.Dense(3), name="td_dense")(seq)
    b = L.TimeDistributed(L.Conv2D(4, 3, strides=2), name="td_conv")(clip)
    return k.Model([seq, clip], [a, b], name="time_distributed")


@case("multi_head_attention", "MultiHeadAttention with query/value/key of different "
      "widths, value_dim and output_shape; and a self-attention without bias.")
def multi_head_attention(k):
    L = k.layers
    q = k.Input(shape=(6, 16), name="query")
    v = k.Input(shape=(9, 12), name="value")
    key = k.Input(shape=(9, 10), name="key")
    a = L.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=5, output_shape=7,
                             name="cross_attention")(q, v, key=key)
    b = L.MultiHeadAttention(num_heads=3, key_dim=8, use_bias=False,
                             name="self_attention")(q, q)
    return k.Model([q, v, key], [a, b], name="multi_head_attention")


@case("multi_head_attention_scores", "MultiHeadAttention return_attention_scores=True "
      "(2 outputs).")
def multi_head_attention_scores(k):
    L = k.layers
    q = k.Input(shape=(6, 8), name="query")
    v = k.Input(shape=(4, 8), name="value")
    out, scores = L.MultiHeadAttention(num_heads=2, key_dim=3, name="attention")(
        q, v, return_attention_scores=True)
    return k.Model([q, v], [out, scores], name="multi_head_attention_scores")


@case("resizing_rescaling", "Resizing (down, and crop_to_aspect_ratio), Rescaling with "
      "offset.")
def resizing_rescaling(k):
    L = k.layers
    x = k.Input(shape=(20, 24, 3), name="x")
    a = L.Resizing(10, 12, name="resize")(x)
    a = L.Rescaling(1.0 / 127.5, offset=-1.0, name="rescale")(a)
    b = L.Resizing(8, 8, crop_to_aspect_ratio=True, interpolation="nearest",
                   name="resize_crop")(x)
    return k.Model(x, [a, b], name="resizing_rescaling")


@case("normalization", "Normalization with mean/variance given, and adapted on data.")
def normalization(k):
    L = k.layers
    x = k.Input(shape=(5,), name="x")
    img = k.Input(shape=(4, 4, 3), name="img")
    given = L.Normalization(mean=[1.0, 2.0, 3.0, 4.0, 5.0],
                            variance=[1.0, 4.0, 9.0, 16.0, 25.0], name="norm_given")
    adapted = L.Normalization(axis=-1, name="norm_adapted")
    adapted.adapt(np.random.default_rng(0).normal(size=(32, 4, 4, 3)).astype("float32"))
    return k.Model([x, img], [given(x), adapted(img)], name="normalization")


@case("sequential_called_on_data", "Sequential without Input, built by calling it on "
      "a numpy batch of 1 (the batch size is recorded).")
def sequential_called_on_data(k):
    L = k.layers
    model = k.Sequential([L.Dense(8, activation="relu", name="d1"),
                          L.Dense(3, name="d2")], name="sequential_called_on_data")
    model(np.zeros((1, 5), dtype="float32"))
    return model


@case("sequential_with_input", "Sequential starting with an Input.")
def sequential_with_input(k):
    L = k.layers
    return k.Sequential([k.Input(shape=(12,), name="seq_input"),
                         L.Dense(8, activation="relu", name="d1"),
                         L.Dropout(0.1, name="drop"),
                         L.Dense(3, name="d2")], name="sequential_with_input")


@case("sequential_nested_in_functional", "A Sequential (with its own Input) used as a "
      "layer of a Functional model.")
def sequential_nested_in_functional(k):
    L = k.layers
    inner = k.Sequential([k.Input(shape=(8,), name="inner_input"),
                          L.Dense(6, name="inner_dense"),
                          L.BatchNormalization(name="inner_bn"),
                          L.Dense(4, name="inner_out")], name="inner_seq")
    x = k.Input(shape=(8,), name="x")
    y = inner(x)
    y = L.Dense(2, name="head")(y)
    return k.Model(x, y, name="sequential_nested_in_functional")


@case("sequential_without_input_nested", "A Sequential without Input, first built by "
      "the Functional model that calls it.")
def sequential_without_input_nested(k):
    L = k.layers
    inner = k.Sequential([L.Dense(6, name="inner_dense"),
                          L.Dense(4, name="inner_out")], name="inner_seq")
    x = k.Input(shape=(8,), name="x")
    y = inner(x)
    y = L.Dense(2, name="head")(y)
    return k.Model(x, y, name="sequential_without_input_nested")


@case("functional_nested_two_levels", "Functional inside Functional inside Functional.")
def functional_nested_two_levels(k):
    L = k.layers
    i2 = k.Input(shape=(6,), name="level2_input")
    level2 = k.Model(i2, L.BatchNormalization(name="level2_bn")(
        L.Dense(5, name="level2_dense")(i2)), name="level2")
    i1 = k.Input(shape=(6,), name="level1_input")
    level1 = k.Model(i1, L.Dense(4, name="level1_dense")(level2(i1)), name="level1")
    x = k.Input(shape=(6,), name="x")
    y = L.Dense(2, name="head")(level1(x))
    return k.Model(x, y, name="functional_nested_two_levels")


@case("functional_nested_as_output", "A nested Functional model whose call is the outer "
      "model's output (shows the output_layers node numbering).")
def functional_nested_as_output(k):
    L = k.layers
    i = k.Input(shape=(6,), name="sub_input")
    sub = k.Model(i, L.Dense(3, name="sub_dense")(i), name="sub")
    x = k.Input(shape=(4,), name="x")
    y = L.Dense(6, name="pre")(x)
    return k.Model(x, sub(y), name="functional_nested_as_output")


@case("submodel_called_twice", "One nested Functional model called on two inputs "
      "(two nodes of a model layer).")
def submodel_called_twice(k):
    L = k.layers
    i = k.Input(shape=(5,), name="enc_input")
    encoder = k.Model(i, L.Dense(3, name="enc_dense")(i), name="encoder")
    a = k.Input(shape=(5,), name="a")
    b = k.Input(shape=(5,), name="b")
    y = L.Concatenate(name="concat")([encoder(a), encoder(b)])
    return k.Model([a, b], y, name="submodel_called_twice")


@case("shared_layer_three_calls", "One Dense called three times, on different inputs.")
def shared_layer_three_calls(k):
    L = k.layers
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(4,), name="b")
    c = k.Input(shape=(4,), name="c")
    shared = L.Dense(3, name="shared")
    y = L.Add(name="add")([shared(a), shared(b), shared(c)])
    return k.Model([a, b, c], y, name="shared_layer_three_calls")


@case("shared_layer_different_shapes", "One Dense called on a 2D and a 3D input: the "
      "calls have different output shapes.")
def shared_layer_different_shapes(k):
    L = k.layers
    a = k.Input(shape=(4,), name="a")
    b = k.Input(shape=(7, 4), name="b")
    shared = L.Dense(3, name="shared")
    return k.Model([a, b], [shared(a), shared(b)], name="shared_layer_different_shapes")


@case("frozen_layers", "BatchNormalization and Dense with trainable=False.")
def frozen_layers(k):
    L = k.layers
    x = k.Input(shape=(8,), name="x")
    dense = L.Dense(6, name="frozen_dense")
    bn = L.BatchNormalization(name="frozen_bn")
    y = bn(dense(x))
    y = L.Dense(2, name="head")(y)
    dense.trainable = False
    bn.trainable = False
    return k.Model(x, y, name="frozen_layers")


@case("frozen_submodel", "A nested Functional model with trainable=False.")
def frozen_submodel(k):
    L = k.layers
    i = k.Input(shape=(6,), name="sub_input")
    sub = k.Model(i, L.BatchNormalization(name="sub_bn")(L.Dense(4, name="sub_dense")(i)),
                  name="frozen_sub")
    sub.trainable = False
    x = k.Input(shape=(6,), name="x")
    return k.Model(x, L.Dense(2, name="head")(sub(x)), name="frozen_submodel")


# -- Cases added to cover the rest of Strata's layer catalog ---------------------------


@case("pooling_3d_padding_cropping_upsampling", "MaxPooling3D / AveragePooling3D valid "
      "and same with uneven pools and strides, GlobalAverage/MaxPooling3D (keepdims, "
      "channels_first), ZeroPadding3D / Cropping3D asymmetric, UpSampling3D (2, 1, 3) and "
      "channels_first.")
def pooling_3d_padding_cropping_upsampling(k):
    L = k.layers
    x = k.Input(shape=(6, 7, 9, 2), name="vol")
    return k.Model(x, [
        L.MaxPooling3D(name="max3d_default")(x),
        L.MaxPooling3D((2, 2, 3), strides=(1, 2, 2), padding="valid", name="max3d_valid")(x),
        L.AveragePooling3D(3, strides=2, padding="same", name="avg3d_same_s2")(x),
        L.AveragePooling3D((1, 3, 2), padding="valid", name="avg3d_valid")(x),
        L.GlobalAveragePooling3D(name="gap3d")(x),
        L.GlobalAveragePooling3D(data_format="channels_first", name="gap3d_cf")(x),
        L.GlobalMaxPooling3D(keepdims=True, name="gmp3d_keep")(x),
        L.Cropping3D(((1, 2), (0, 1), (2, 3)), name="crop3d")(
            L.ZeroPadding3D(((1, 0), (2, 1), (0, 3)), name="zpad3d")(x)),
        L.ZeroPadding3D(1, name="zpad3d_sym")(x),
        L.Cropping3D(2, name="crop3d_sym")(x),
        L.UpSampling3D((2, 1, 3), name="up3d")(x),
        L.UpSampling3D(2, data_format="channels_first", name="up3d_cf")(x),
    ], name="pooling_3d_padding_cropping_upsampling")


@case("conv_transpose_1d_3d", "Conv1DTranspose stride 2 same, stride 3 valid with "
      "output_padding 2 and no bias, dilation 2; Conv3DTranspose strides (1, 2, 2) same "
      "and stride 2 valid with output_padding (1, 0, 1).")
def conv_transpose_1d_3d(k):
    L = k.layers
    seq = k.Input(shape=(7, 3), name="seq")
    vol = k.Input(shape=(3, 4, 5, 2), name="vol")
    return k.Model([seq, vol], [
        L.Conv1DTranspose(4, 3, strides=2, padding="same", name="tconv1d_same_s2")(seq),
        L.Conv1DTranspose(2, 4, strides=3, padding="valid", output_padding=2,
                          use_bias=False, name="tconv1d_valid_outpad")(seq),
        L.Conv1DTranspose(2, 3, dilation_rate=2, name="tconv1d_dilated")(seq),
        L.Conv3DTranspose(3, (2, 3, 3), strides=(1, 2, 2), padding="same",
                          name="tconv3d_same")(vol),
        L.Conv3DTranspose(2, 3, strides=2, padding="valid", output_padding=(1, 0, 1),
                          name="tconv3d_valid_outpad")(vol),
    ], name="conv_transpose_1d_3d")


@case("depthwise_separable_1d", "DepthwiseConv1D depth_multiplier 2 stride 2 same, and "
      "dilated without bias; SeparableConv1D depth_multiplier 2, and stride 2 without "
      "bias.")
def depthwise_separable_1d(k):
    L = k.layers
    x = k.Input(shape=(15, 3), name="seq")
    a = L.DepthwiseConv1D(3, strides=2, padding="same", depth_multiplier=2,
                          name="depthwise1d")(x)
    a = L.SeparableConv1D(5, 3, depth_multiplier=2, name="separable1d")(a)
    b = L.DepthwiseConv1D(3, dilation_rate=2, use_bias=False, name="depthwise1d_dilated")(x)
    b = L.SeparableConv1D(4, 2, strides=2, padding="same", use_bias=False,
                          name="separable1d_s2_no_bias")(b)
    return k.Model(x, [a, b], name="depthwise_separable_1d")


@case("attention_layers", "Attention (use_scale with a key given and a value narrower "
      "than the query; score_mode concat with return_attention_scores: 2 outputs) and "
      "AdditiveAttention (use_scale True on query/value, False as self-attention).")
def attention_layers(k):
    L = k.layers
    q = k.Input(shape=(5, 8), name="query")
    v = k.Input(shape=(7, 6), name="value")
    key = k.Input(shape=(7, 8), name="key")
    a = L.Attention(use_scale=True, name="dot_scaled")([q, v, key])
    b, scores = L.Attention(score_mode="concat", name="concat_scores")(
        [q, key], return_attention_scores=True)
    c = L.AdditiveAttention(name="additive_scaled")([q, key])
    d = L.AdditiveAttention(use_scale=False, name="additive_self")([q, q])
    return k.Model([q, v, key], [a, b, scores, c, d], name="attention_layers")


@case("additive_attention_value_width_keras3", "AdditiveAttention(use_scale=True) with "
      "a value narrower than query and key (Keras 3 only: tf_keras sizes the scale by the "
      "value and refuses this model; Keras 3 sizes it by the query).", keras2=False)
def additive_attention_value_width_keras3(k):
    L = k.layers
    q = k.Input(shape=(5, 8), name="query")
    v = k.Input(shape=(7, 6), name="value")
    key = k.Input(shape=(7, 8), name="key")
    y = L.AdditiveAttention(name="additive_scaled")([q, v, key])
    return k.Model([q, v, key], y, name="additive_attention_value_width_keras3")


@case("dropout_family", "AlphaDropout, GaussianDropout, SpatialDropout3D, "
      "ActivityRegularization (l1, l2) and Identity: shape-preserving, no weights.")
def dropout_family(k):
    L = k.layers
    seq = k.Input(shape=(6, 4), name="seq")
    vol = k.Input(shape=(3, 4, 5, 2), name="vol")
    a = L.AlphaDropout(0.2, name="alpha_dropout")(seq)
    a = L.GaussianDropout(0.3, name="gaussian_dropout")(a)
    a = L.ActivityRegularization(l1=0.01, l2=0.001, name="activity_reg")(a)
    a = L.Dense(3, name="dense")(a)
    b = L.SpatialDropout3D(0.25, name="spatial_dropout3d")(vol)
    b = L.Identity(name="identity")(b)
    return k.Model([seq, vol], [a, b], name="dropout_family")


@case("unit_normalization", "UnitNormalization on the last axis and on axes [1, 2].")
def unit_normalization(k):
    L = k.layers
    x = k.Input(shape=(4, 5, 3), name="x")
    return k.Model(x, [
        L.UnitNormalization(name="unit_norm_last")(x),
        L.UnitNormalization(axis=[1, 2], name="unit_norm_axes12")(x),
    ], name="unit_normalization")


@case("random_augmentation", "RandomFlip, RandomRotation, RandomTranslation, RandomZoom, "
      "RandomContrast, RandomBrightness (shape-preserving), RandomCrop (smaller), "
      "CenterCrop (smaller, and larger than the input).")
def random_augmentation(k):
    L = k.layers
    x = k.Input(shape=(8, 9, 3), name="img")
    y = L.RandomFlip("horizontal", seed=1, name="flip")(x)
    y = L.RandomRotation(0.1, fill_mode="constant", seed=2, name="rotate")(y)
    y = L.RandomTranslation(0.1, (-0.2, 0.3), fill_mode="nearest", seed=3,
                            name="translate")(y)
    y = L.RandomZoom(0.2, width_factor=(-0.1, 0.1), seed=4, name="zoom")(y)
    y = L.RandomContrast(0.3, seed=5, name="contrast")(y)
    y = L.RandomBrightness(0.2, value_range=(0, 1), seed=6, name="brightness")(y)
    return k.Model(x, [
        y,
        L.RandomCrop(6, 5, seed=7, name="random_crop")(y),
        L.CenterCrop(5, 7, name="center_crop")(x),
        L.CenterCrop(10, 12, name="center_crop_larger")(x),
    ], name="random_augmentation")


@case("rnn_generic_cells", "keras.layers.RNN with a SimpleRNNCell (return_sequences), an "
      "LSTMCell (go_backwards, return_state: 3 outputs), StackedRNNCells of a "
      "GRUCell(reset_after=False) and an LSTMCell, and StackedRNNCells of a SimpleRNNCell "
      "and a GRUCell with return_sequences and return_state.")
def rnn_generic_cells(k):
    L = k.layers
    x = k.Input(shape=(6, 5), name="seq")
    a = L.RNN(L.SimpleRNNCell(4), return_sequences=True, name="rnn_simple_cell")(x)
    b, h, c = L.RNN(L.LSTMCell(3), go_backwards=True, return_state=True,
                    name="rnn_lstm_cell_state")(x)
    d = L.RNN(L.StackedRNNCells([L.GRUCell(4, reset_after=False), L.LSTMCell(3)]),
              name="rnn_stacked")(a)
    stacked = L.RNN(L.StackedRNNCells([L.SimpleRNNCell(2), L.GRUCell(3, use_bias=False)]),
                    return_sequences=True, return_state=True,
                    name="rnn_stacked_state")(x)
    return k.Model(x, [a, b, h, c, d] + flatten(stacked), name="rnn_generic_cells")


@case("conv_lstm", "ConvLSTM1D stride 2 same with return_sequences; ConvLSTM2D kernel "
      "(3, 2) valid, and return_state (3 outputs); ConvLSTM3D without bias, "
      "return_sequences.")
def conv_lstm(k):
    L = k.layers
    seq1 = k.Input(shape=(5, 10, 3), name="seq1d")
    seq2 = k.Input(shape=(4, 8, 7, 2), name="seq2d")
    seq3 = k.Input(shape=(3, 4, 5, 6, 1), name="seq3d")
    a = L.ConvLSTM1D(4, 3, strides=2, padding="same", return_sequences=True,
                     name="convlstm1d")(seq1)
    b = L.ConvLSTM2D(3, (3, 2), padding="valid", name="convlstm2d")(seq2)
    out, h, c = L.ConvLSTM2D(2, 3, padding="same", return_state=True,
                             name="convlstm2d_state")(seq2)
    d = L.ConvLSTM3D(2, 2, use_bias=False, return_sequences=True, name="convlstm3d")(seq3)
    return k.Model([seq1, seq2, seq3], [a, b, out, h, c, d], name="conv_lstm")


@case("einsum_dense", "EinsumDense: plain matmul with bias, a 3D output with bias on two "
      "axes, an ellipsis equation, and a kernel over the sequence axis without bias.")
def einsum_dense(k):
    L = k.layers
    flat = k.Input(shape=(8,), name="flat")
    seq = k.Input(shape=(6, 8), name="seq")
    return k.Model([flat, seq], [
        L.EinsumDense("ab,bc->ac", output_shape=5, bias_axes="c", name="ed_matmul")(flat),
        L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de",
                      activation="relu", name="ed_heads")(seq),
        L.EinsumDense("...b,bc->...c", output_shape=3, bias_axes="c",
                      name="ed_ellipsis")(seq),
        L.EinsumDense("abc,bd->adc", output_shape=(3, 8), name="ed_over_seq")(seq),
    ], name="einsum_dense")


def convnext_parts(k):
    if is_keras3(k):
        from keras.src.applications.convnext import LayerScale, StochasticDepth
    else:
        from tf_keras.src.applications.convnext import LayerScale, StochasticDepth
    return LayerScale, StochasticDepth


@case("convnext_block_stochastic_depth", "A small ConvNeXt block as keras.applications "
      "builds it with drop_path_rate > 0: DepthwiseConv2D 7, LayerNormalization, Dense, "
      "gelu, Dense, LayerScale, StochasticDepth(0.1) (the classes of "
      "applications/convnext.py), residual Add.")
def convnext_block_stochastic_depth(k):
    L = k.layers
    LayerScale, StochasticDepth = convnext_parts(k)
    x = k.Input(shape=(8, 8, 4), name="x")
    y = L.DepthwiseConv2D(7, padding="same", name="block_depthwise_conv")(x)
    y = L.LayerNormalization(epsilon=1e-6, name="block_layernorm")(y)
    y = L.Dense(16, name="block_pointwise_conv_1")(y)
    y = L.Activation("gelu", name="block_gelu")(y)
    y = L.Dense(4, name="block_pointwise_conv_2")(y)
    y = LayerScale(1e-6, 4, name="block_layer_scale")(y)
    y = StochasticDepth(0.1, name="block_stochastic_depth")(y)
    y = L.Add(name="block_add")([x, y])
    return k.Model(x, y, name="convnext_block_stochastic_depth")


@case("thresholded_relu_keras2", "ThresholdedReLU(theta=0.5) (tf_keras only: Keras 3 "
      "removed the layer; only the Keras 2 files exist).", keras3=False)
def thresholded_relu_keras2(k):
    L = k.layers
    x = k.Input(shape=(5, 4), name="x")
    y = L.ThresholdedReLU(theta=0.5, name="thresholded_relu")(x)
    y = L.Dense(3, name="dense")(y)
    return k.Model(x, y, name="thresholded_relu_keras2")


def make_layer_case(out_dir, spec, with_keras2=True):
    folder = os.path.join(out_dir, "layers", spec["name"])
    os.makedirs(folder, exist_ok=True)
    report = {"name": spec["name"]}

    if spec["keras3"]:
        import keras

        keras.utils.set_random_seed(1234)
        model, notes = built(spec["build"](keras))
        truth = write_keras3(folder, "layers", spec["description"], model,
                             with_summary=True, notes=notes)
        report.update(keras3_params=truth["total_params"],
                      keras3_layers=truth["layer_count"])
        del model
        free_memory(keras)
    else:
        remove_if_present(folder, "model.json", "truth.json", "summary.txt")
        report["keras3_skipped"] = "not in Keras 3 (tf_keras only)"

    remove_if_present(folder, "model_keras2.json", "truth_keras2.json")
    if not with_keras2:
        return report
    if not spec["keras2"]:
        report["keras2_skipped"] = "not supported by tf_keras (not tried)"
        return report
    import tf_keras

    try:
        tf_keras.utils.set_random_seed(1234)
        model, notes = built(spec["build"](tf_keras))
        truth = write_keras2(folder, "layers", spec["description"], model, notes=notes)
        report.update(keras2_params=truth["total_params"], keras2_layers=truth["layer_count"])
        del model
    except Exception as error:  # noqa: BLE001 - the Keras 3 files stand alone
        remove_if_present(folder, "model_keras2.json", "truth_keras2.json")
        report["keras2_skipped"] = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    free_memory(tf_keras)
    return report


def built(result):
    """A builder's result as (model, notes)."""
    return result if isinstance(result, tuple) else (result, None)


def run_layers(out_dir, names, with_keras2):
    """Every layer case (or those named). Returns the failures."""
    os.makedirs(os.path.join(out_dir, "layers"), exist_ok=True)
    failures = []
    for spec in LAYER_CASES:
        if names is not None and spec["name"] not in names:
            continue
        try:
            report = make_layer_case(out_dir, spec, with_keras2)
        except Exception as error:  # noqa: BLE001 - report and go on
            traceback.print_exc()
            report = {"name": spec["name"], "error": f"{type(error).__name__}: {error}"}
            failures.append(report)
        print(json.dumps(report), flush=True)
    return failures


# --------------------------------------------------------------------------------------
# manifest.json: what exists, read back from the folders
# --------------------------------------------------------------------------------------


def write_manifest(out_dir):
    entries = []
    for group in ("applications", "layers"):
        root = os.path.join(out_dir, group)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            folder = os.path.join(root, name)
            if not os.path.isdir(folder):
                continue
            entry = {"group": group, "name": name, "files": sorted(os.listdir(folder))}
            for filename, prefix in (("truth.json", "keras3"), ("truth_keras2.json", "keras2")):
                path = os.path.join(folder, filename)
                if os.path.exists(path):
                    with open(path) as f:
                        truth = json.load(f)
                    entry[f"{prefix}_model_name"] = truth["model_name"]
                    entry[f"{prefix}_total_params"] = truth["total_params"]
                    entry[f"{prefix}_trainable_params"] = truth["trainable_params"]
                    entry[f"{prefix}_non_trainable_params"] = truth["non_trainable_params"]
                    entry[f"{prefix}_layer_count"] = truth["layer_count"]
            entries.append(entry)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"fixtures": entries}, f, indent=1)
        f.write("\n")
    return entries


# --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("groups", nargs="*", metavar="GROUP",
                        help="layers, applications and/or manifest (default: all three)")
    parser.add_argument("--out", default=HERE, help="output folder (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only these applications and/or layer cases")
    parser.add_argument("--no-keras2", action="store_true",
                        help="skip the tf_keras (Keras 2) files")
    parser.add_argument("--in-process", action="store_true",
                        help="build applications in this process (no child per model)")
    parser.add_argument("--list", action="store_true",
                        help="list the applications and layer cases, then exit")
    args = parser.parse_args()
    groups = args.groups or GROUPS
    if set(groups) - set(GROUPS):
        parser.error(f"unknown groups: {sorted(set(groups) - set(GROUPS))}")

    case_names = [spec["name"] for spec in LAYER_CASES]
    if args.list:
        print("\n".join(["applications:"] + APPLICATIONS + ["", "layers:"] + case_names))
        return 0
    only = set(args.only) if args.only else None
    if only and only - set(APPLICATIONS) - set(case_names):
        parser.error(f"unknown names: {sorted(only - set(APPLICATIONS) - set(case_names))}")

    failures = []
    if "layers" in groups:
        names = None if only is None else only & set(case_names)
        failures += run_layers(args.out, names, not args.no_keras2)
    if "applications" in groups:
        names = [n for n in APPLICATIONS if only is None or n in only]
        failures += run_applications(args.out, names, not args.no_keras2, args.in_process)
    if "manifest" in groups:
        write_manifest(args.out)
    for failure in failures:
        print("FAILED", json.dumps(failure), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
