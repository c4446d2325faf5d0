#!/usr/bin/env python3
"""Writes small table-driven ONNX operator fixtures to Tests/Fixtures/onnx/ops/.

For every case it builds a tiny model with onnx.helper (one node, or a few when the op needs
them), checks it with onnx.checker.check_model(full_check=True), draws deterministic inputs
with numpy (np.random.default_rng seeded from the case name's CRC-32; float32 roughly in
[-2, 2] unless the op needs something else), and runs it with ONNX Runtime
(CPUExecutionProvider, ORT_DISABLE_ALL, one thread). When ONNX Runtime refuses a case, the
truth comes from onnx.reference.ReferenceEvaluator instead. Each case folder holds

    model.onnx, input_<i>.npy (graph input order), output_<i>.npy (graph output order)

and ops/cases.json lists every case (op, opset, engine, input/output shapes, what it tests).
Weights are initializers; only activations, runtime indices and control values are inputs.
The model is first run with its graph outputs declared without shapes; the saved model declares
the concrete output shapes the engine produced and is what the checker (full_check, i.e. with
strict shape inference) validates.

Run from the repository root (the output is byte-identical from run to run):

    .venv-bench/bin/python scripts/onnx-truth/make_op_cases.py [out_dir]

out_dir defaults to Tests/Fixtures/onnx/ops; it is emptied first (only if it holds a
cases.json written by this script, or is empty/missing).
"""
import json
import os
import shutil
import sys
import zlib

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

F = TensorProto.FLOAT
I64 = TensorProto.INT64
I32 = TensorProto.INT32
U8 = TensorProto.UINT8
I8 = TensorProto.INT8
B = TensorProto.BOOL

ORT_ENGINE = f"onnxruntime {ort.__version__}"
REF_ENGINE = f"onnx reference evaluator {onnx.__version__}"

CASES = []


def case(name, op, note, opset=17):
    """Registers a case builder: fn(rng) -> dict(nodes, inputs, outputs, inits=...)."""
    def deco(fn):
        CASES.append(dict(name=name, op=op, note=note, opset=opset, build=fn))
        return fn
    return deco


# ---------------------------------------------------------------- helpers for inputs

def u(r, shape, lo=-2.0, hi=2.0):
    return r.uniform(lo, hi, size=shape).astype(np.float32)


def pos(r, shape, lo=0.1, hi=2.0):
    return u(r, shape, lo, hi)


def away_from_zero(r, shape, lo=0.5, hi=2.0):
    mag = r.uniform(lo, hi, size=shape)
    sign = np.where(r.random(size=shape) < 0.5, -1.0, 1.0)
    return (mag * sign).astype(np.float32)


def i64(v):
    return np.array(v, dtype=np.int64)


def f32(v):
    return np.array(v, dtype=np.float32)


def node(op, ins, outs, **attrs):
    return helper.make_node(op, ins, outs, name=f"{op.lower()}_{outs[0] or 'n'}", **attrs)


def single(op, inputs, outputs, inits=None, node_inputs=None, **attrs):
    """One node whose inputs are graph inputs then initializers (or node_inputs if given)."""
    inits = inits or {}
    ins = node_inputs if node_inputs is not None else [n for n, _ in inputs] + list(inits)
    return dict(nodes=[node(op, ins, [n for n, _ in outputs], **attrs)],
                inputs=inputs, outputs=outputs, inits=inits)


def unary(op, x, **attrs):
    return single(op, [("x", x)], [("y", F)], **attrs)


# ---------------------------------------------------------------- Conv

@case("conv_pads_strides", "Conv", "explicit asymmetric pads [1,0,2,1], strides 2, bias")
def _(r):
    return single("Conv", [("x", u(r, (1, 3, 7, 8)))], [("y", F)],
                  {"w": u(r, (4, 3, 3, 3), -1, 1), "b": u(r, (4,))}, pads=[1, 0, 2, 1], strides=[2, 2])


@case("conv_group_dilation", "Conv", "group 3 (3 channels in, 6 out), dilations 2, bias")
def _(r):
    return single("Conv", [("x", u(r, (1, 3, 9, 9)))], [("y", F)],
                  {"w": u(r, (6, 1, 3, 3), -1, 1), "b": u(r, (6,))}, group=3, dilations=[2, 2])


@case("conv_same_upper", "Conv", "auto_pad SAME_UPPER, kernel 2x2 (odd total padding: extra at the end)")
def _(r):
    return single("Conv", [("x", u(r, (1, 2, 5, 6)))], [("y", F)],
                  {"w": u(r, (3, 2, 2, 2), -1, 1), "b": u(r, (3,))}, auto_pad="SAME_UPPER")


@case("conv_same_lower_stride2", "Conv", "auto_pad SAME_LOWER, strides 2, kernel 3x3 (odd total padding: extra at the start)")
def _(r):
    return single("Conv", [("x", u(r, (1, 2, 6, 7)))], [("y", F)],
                  {"w": u(r, (3, 2, 3, 3), -1, 1), "b": u(r, (3,))}, auto_pad="SAME_LOWER", strides=[2, 2])


@case("conv_1d", "Conv", "1-D Conv (N,C,L), pads [1,2], strides 2, bias")
def _(r):
    return single("Conv", [("x", u(r, (1, 3, 10)))], [("y", F)],
                  {"w": u(r, (4, 3, 3), -1, 1), "b": u(r, (4,))}, pads=[1, 2], strides=[2])


@case("conv_no_bias", "Conv", "no bias input, default attributes (kernel_shape inferred from W)")
def _(r):
    return single("Conv", [("x", u(r, (1, 3, 5, 6)))], [("y", F)], {"w": u(r, (2, 3, 3, 3), -1, 1)})


# ---------------------------------------------------------------- ConvTranspose

@case("convtranspose_strides_output_padding", "ConvTranspose", "strides 2, output_padding [1,1], bias")
def _(r):
    return single("ConvTranspose", [("x", u(r, (1, 2, 3, 4)))], [("y", F)],
                  {"w": u(r, (2, 3, 3, 3), -1, 1), "b": u(r, (3,))}, strides=[2, 2], output_padding=[1, 1])


@case("convtranspose_group", "ConvTranspose", "group 2 (4 channels in, 4 out), pads 1")
def _(r):
    return single("ConvTranspose", [("x", u(r, (1, 4, 3, 3)))], [("y", F)],
                  {"w": u(r, (4, 2, 3, 3), -1, 1), "b": u(r, (4,))}, group=2, pads=[1, 1, 1, 1])


@case("convtranspose_dilations", "ConvTranspose", "dilations 2, no bias")
def _(r):
    return single("ConvTranspose", [("x", u(r, (1, 2, 4, 4)))], [("y", F)],
                  {"w": u(r, (2, 2, 3, 3), -1, 1)}, dilations=[2, 2])


@case("convtranspose_same_upper", "ConvTranspose", "auto_pad SAME_UPPER, strides 2, kernel 3 (output = input*stride, odd total padding)")
def _(r):
    return single("ConvTranspose", [("x", u(r, (1, 2, 3, 4)))], [("y", F)],
                  {"w": u(r, (2, 2, 3, 3), -1, 1), "b": u(r, (2,))}, auto_pad="SAME_UPPER", strides=[2, 2])


@case("convtranspose_output_shape", "ConvTranspose", "explicit output_shape [8,8] with strides 2 (pads derived from it)")
def _(r):
    return single("ConvTranspose", [("x", u(r, (1, 2, 3, 3)))], [("y", F)],
                  {"w": u(r, (2, 3, 3, 3), -1, 1), "b": u(r, (3,))}, strides=[2, 2], output_shape=[8, 8])


# ---------------------------------------------------------------- Gemm / MatMul

@case("gemm_transb_alpha_beta", "Gemm", "transA 0, transB 1, alpha 0.5, beta 2, C of shape (N,) broadcast")
def _(r):
    return single("Gemm", [("a", u(r, (3, 4)))], [("y", F)],
                  {"b": u(r, (5, 4)), "c": u(r, (5,))}, transA=0, transB=1, alpha=0.5, beta=2.0)


@case("gemm_transa", "Gemm", "transA 1 (A stored (K,M)), C of shape (M,1) broadcast")
def _(r):
    return single("Gemm", [("a", u(r, (4, 3)))], [("y", F)], {"b": u(r, (4, 5)), "c": u(r, (3, 1))}, transA=1)


@case("matmul_2d", "MatMul", "2-D x 2-D, weight initializer")
def _(r):
    return single("MatMul", [("a", u(r, (3, 4)))], [("y", F)], {"b": u(r, (4, 5))})


@case("matmul_batched_3d", "MatMul", "batched 3-D x 3-D, both graph inputs")
def _(r):
    return single("MatMul", [("a", u(r, (2, 3, 4))), ("b", u(r, (2, 4, 5)))], [("y", F)])


@case("matmul_broadcast", "MatMul", "broadcast batch dims (2,1,3,4) x (5,4,2) -> (2,5,3,2)")
def _(r):
    return single("MatMul", [("a", u(r, (2, 1, 3, 4))), ("b", u(r, (5, 4, 2)))], [("y", F)])


@case("matmul_1d_2d", "MatMul", "1-D x 2-D (vector promoted then squeezed) -> (5,)")
def _(r):
    return single("MatMul", [("a", u(r, (4,)))], [("y", F)], {"b": u(r, (4, 5))})


# ---------------------------------------------------------------- element-wise binary / variadic

for _op in ["Add", "Sub", "Mul", "Div"]:
    def _mk(op):
        @case(f"{op.lower()}_broadcast", op, "broadcast (1,3,4,5) with (3,1,1), both graph inputs")
        def _(r):
            b = away_from_zero(r, (3, 1, 1)) if op == "Div" else u(r, (3, 1, 1))
            return single(op, [("a", u(r, (1, 3, 4, 5))), ("b", b)], [("y", F)])
    _mk(_op)


@case("pow_broadcast", "Pow", "positive base (2,3,4) to a float exponent (4,) broadcast")
def _(r):
    return single("Pow", [("a", pos(r, (2, 3, 4))), ("b", u(r, (4,)))], [("y", F)])


@case("pow_integer_exponent", "Pow", "negative bases to exponents 2 and 3 (initializer (2,1))")
def _(r):
    return single("Pow", [("a", u(r, (2, 5)))], [("y", F)], {"b": f32([[2.0], [3.0]])})


for _op in ["Max", "Min", "Sum", "Mean"]:
    def _mk(op):
        @case(f"{op.lower()}_3_inputs", op, "three inputs broadcast: (2,3,4), (3,4), (1,4)")
        def _(r):
            return single(op, [("a", u(r, (2, 3, 4))), ("b", u(r, (3, 4))), ("c", u(r, (1, 4)))], [("y", F)])
    _mk(_op)


# ---------------------------------------------------------------- element-wise unary

def _halves(r):
    x = u(r, (2, 3, 4))
    x.flat[:10] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.0, -0.0, 1.0, -2.0]
    return x


_UNARY = [
    ("Sqrt", lambda r: pos(r, (2, 3, 4), 0.0, 4.0), "non-negative inputs"),
    ("Exp", lambda r: u(r, (2, 3, 4)), ""),
    ("Log", lambda r: pos(r, (2, 3, 4), 0.05, 4.0), "positive inputs"),
    ("Abs", lambda r: u(r, (2, 3, 4)), ""),
    ("Neg", lambda r: u(r, (2, 3, 4)), ""),
    ("Reciprocal", lambda r: away_from_zero(r, (2, 3, 4), 0.25, 2.0), "inputs away from 0"),
    ("Floor", _halves, "includes exact halves, integers and -0"),
    ("Ceil", _halves, "includes exact halves, integers and -0"),
    ("Round", _halves, "exact halves round to even (0.5->0, 1.5->2, 2.5->2)"),
    ("Sign", _halves, "includes 0 and -0"),
    ("Erf", lambda r: u(r, (2, 3, 4)), ""),
    ("Sin", lambda r: u(r, (2, 3, 4), -4, 4), ""),
    ("Cos", lambda r: u(r, (2, 3, 4), -4, 4), ""),
    ("Tanh", lambda r: u(r, (2, 3, 4), -3, 3), ""),
    ("Sigmoid", lambda r: u(r, (2, 3, 4), -4, 4), ""),
    ("Relu", lambda r: u(r, (2, 3, 4)), ""),
]
for _op, _gen, _note in _UNARY:
    def _mk(op, gen, note):
        @case(op.lower(), op, ("unary, (2,3,4)" + (", " + note if note else "")))
        def _(r):
            return unary(op, gen(r))
    _mk(_op, _gen, _note)


# ---------------------------------------------------------------- activations

_ACT = [
    ("leakyrelu_alpha", "LeakyRelu", {"alpha": 0.1}, "alpha 0.1", 17),
    ("elu", "Elu", {"alpha": 0.7}, "alpha 0.7", 17),
    ("selu", "Selu", {}, "default alpha/gamma", 17),
    ("celu", "Celu", {"alpha": 0.8}, "alpha 0.8", 17),
    ("hardsigmoid", "HardSigmoid", {"alpha": 0.25, "beta": 0.4}, "alpha 0.25, beta 0.4", 17),
    ("hardswish", "HardSwish", {}, "x*max(0,min(1,x/6+0.5))", 17),
    ("mish", "Mish", {}, "x*tanh(softplus(x))", 18),
    ("softplus", "Softplus", {}, "log(1+exp(x))", 17),
    ("softsign", "Softsign", {}, "x/(1+|x|)", 17),
    ("gelu_none", "Gelu", {"approximate": "none"}, "approximate none (erf)", 20),
    ("gelu_tanh", "Gelu", {"approximate": "tanh"}, "approximate tanh", 20),
    ("thresholdedrelu", "ThresholdedRelu", {"alpha": 0.5}, "alpha 0.5", 17),
]
for _name, _op, _attrs, _note, _opset in _ACT:
    def _mk(name, op, attrs, note, opset):
        @case(name, op, note + ", (2,3,4) in [-4,4]", opset=opset)
        def _(r):
            return unary(op, u(r, (2, 3, 4), -4, 4), **attrs)
    _mk(_name, _op, _attrs, _note, _opset)


@case("prelu_slope", "PRelu", "slope initializer (3,1,1) broadcast over (1,3,4,5)")
def _(r):
    return single("PRelu", [("x", u(r, (1, 3, 4, 5)))], [("y", F)], {"slope": u(r, (3, 1, 1), -0.5, 0.5)})


@case("clip_min_max_inputs", "Clip", "min -0.5 and max 0.8 as scalar initializer inputs", opset=13)
def _(r):
    return single("Clip", [("x", u(r, (2, 3, 4)))], [("y", F)], {"min": f32(-0.5), "max": f32(0.8)})


@case("clip_max_only", "Clip", "min absent (empty name), max 0.3 as scalar initializer", opset=13)
def _(r):
    return single("Clip", [("x", u(r, (2, 3, 4)))], [("y", F)], {"max": f32(0.3)},
                  node_inputs=["x", "", "max"])


@case("clip_opset6_attributes", "Clip", "opset 6 min -0.5 / max 0.8 as attributes", opset=6)
def _(r):
    return unary("Clip", u(r, (2, 3, 4)), min=-0.5, max=0.8)


# ---------------------------------------------------------------- normalization

@case("batchnorm_inference", "BatchNormalization", "inference (training_mode 0), epsilon 1e-3, per-channel scale/B/mean/var", opset=15)
def _(r):
    return single("BatchNormalization", [("x", u(r, (2, 3, 4, 5)))], [("y", F)],
                  {"scale": u(r, (3,)), "b": u(r, (3,)), "mean": u(r, (3,), -0.5, 0.5), "var": pos(r, (3,), 0.2, 2.0)},
                  epsilon=1e-3)


@case("layernorm_axis_last", "LayerNormalization", "axis -1, scale/B (4,), epsilon 1e-5; only Y output")
def _(r):
    return single("LayerNormalization", [("x", u(r, (2, 3, 4)))], [("y", F)],
                  {"scale": u(r, (4,)), "b": u(r, (4,))}, axis=-1, epsilon=1e-5)


@case("layernorm_axis1", "LayerNormalization", "axis 1 (normalize over last two dims), scale/B (3,4), epsilon 1e-3")
def _(r):
    return single("LayerNormalization", [("x", u(r, (2, 3, 4)))], [("y", F)],
                  {"scale": u(r, (3, 4)), "b": u(r, (3, 4))}, axis=1, epsilon=1e-3)


@case("instancenorm", "InstanceNormalization", "per-channel scale/B (3,), epsilon 1e-5")
def _(r):
    return single("InstanceNormalization", [("x", u(r, (2, 3, 4, 5)))], [("y", F)],
                  {"scale": u(r, (3,)), "b": u(r, (3,))}, epsilon=1e-5)


@case("groupnorm", "GroupNormalization", "opset 21: num_groups 2 over 4 channels, per-channel scale/bias (4,)", opset=21)
def _(r):
    return single("GroupNormalization", [("x", u(r, (2, 4, 3, 3)))], [("y", F)],
                  {"scale": u(r, (4,)), "bias": u(r, (4,))}, num_groups=2, epsilon=1e-5)


# ---------------------------------------------------------------- pools

@case("maxpool_pads_strides", "MaxPool", "kernel 3x3, asymmetric pads [1,0,2,1], strides 2")
def _(r):
    return single("MaxPool", [("x", u(r, (1, 2, 7, 8)))], [("y", F)], kernel_shape=[3, 3], pads=[1, 0, 2, 1], strides=[2, 2])


@case("maxpool_ceil_mode", "MaxPool", "kernel 3x3, strides 2, ceil_mode 1 (last window partly outside)")
def _(r):
    return single("MaxPool", [("x", u(r, (1, 2, 6, 7)))], [("y", F)], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)


@case("maxpool_dilations", "MaxPool", "kernel 2x2, dilations 2, strides 1")
def _(r):
    return single("MaxPool", [("x", u(r, (1, 2, 6, 6)))], [("y", F)], kernel_shape=[2, 2], dilations=[2, 2])


@case("maxpool_indices", "MaxPool", "kernel 2x2, strides 2, second output Indices (int64, flattened NCHW offsets)")
def _(r):
    return single("MaxPool", [("x", u(r, (1, 2, 4, 6)))], [("y", F), ("indices", I64)], kernel_shape=[2, 2], strides=[2, 2])


@case("maxpool_1d", "MaxPool", "1-D (N,C,L), kernel 3, strides 2, pads [1,1]")
def _(r):
    return single("MaxPool", [("x", u(r, (1, 3, 10)))], [("y", F)], kernel_shape=[3], strides=[2], pads=[1, 1])


@case("averagepool_pads_exclude", "AveragePool", "kernel 3x3, pads 1, strides 2, count_include_pad 0")
def _(r):
    return single("AveragePool", [("x", u(r, (1, 2, 5, 6)))], [("y", F)], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                  strides=[2, 2], count_include_pad=0)


@case("averagepool_pads_include", "AveragePool", "kernel 3x3, pads 1, strides 2, count_include_pad 1")
def _(r):
    return single("AveragePool", [("x", u(r, (1, 2, 5, 6)))], [("y", F)], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                  strides=[2, 2], count_include_pad=1)


@case("averagepool_ceil_mode", "AveragePool", "kernel 3x3, strides 2, ceil_mode 1, no pads (last window partly outside)")
def _(r):
    return single("AveragePool", [("x", u(r, (1, 2, 6, 7)))], [("y", F)], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)


@case("globalaveragepool", "GlobalAveragePool", "(1,3,5,6) -> (1,3,1,1)")
def _(r):
    return unary("GlobalAveragePool", u(r, (1, 3, 5, 6)))


@case("globalmaxpool", "GlobalMaxPool", "(1,3,5,6) -> (1,3,1,1)")
def _(r):
    return unary("GlobalMaxPool", u(r, (1, 3, 5, 6)))


# ---------------------------------------------------------------- reductions

@case("reducemean_axes_input", "ReduceMean", "opset 18 axes input [2,3], keepdims 1", opset=18)
def _(r):
    return single("ReduceMean", [("x", u(r, (1, 3, 5, 6)))], [("y", F)], {"axes": i64([2, 3])}, keepdims=1)


@case("reducesum_keepdims0", "ReduceSum", "opset 13 axes input [1], keepdims 0", opset=13)
def _(r):
    return single("ReduceSum", [("x", u(r, (2, 3, 4)))], [("y", F)], {"axes": i64([1])}, keepdims=0)


@case("reducemax_axes_attr", "ReduceMax", "opset 13 axes attribute [1,3], keepdims 1", opset=13)
def _(r):
    return single("ReduceMax", [("x", u(r, (2, 3, 4, 5)))], [("y", F)], axes=[1, 3], keepdims=1)


@case("reducemin_negative_axis", "ReduceMin", "opset 18 axes input [-1], keepdims 0", opset=18)
def _(r):
    return single("ReduceMin", [("x", u(r, (2, 3, 4)))], [("y", F)], {"axes": i64([-1])}, keepdims=0)


@case("reduceprod", "ReduceProd", "opset 18 axes input [1], keepdims 1", opset=18)
def _(r):
    return single("ReduceProd", [("x", u(r, (2, 4, 3)))], [("y", F)], {"axes": i64([1])}, keepdims=1)


@case("reducel2", "ReduceL2", "opset 13 axes attribute [2], keepdims 0", opset=13)
def _(r):
    return single("ReduceL2", [("x", u(r, (2, 3, 4)))], [("y", F)], axes=[2], keepdims=0)


@case("reducesumsquare_all", "ReduceSumSquare", "opset 18 no axes (reduce all), keepdims 0 -> scalar", opset=18)
def _(r):
    return single("ReduceSumSquare", [("x", u(r, (2, 3, 4)))], [("y", F)], keepdims=0)


@case("reducelogsumexp", "ReduceLogSumExp", "opset 18 axes input [1], keepdims 1", opset=18)
def _(r):
    return single("ReduceLogSumExp", [("x", u(r, (2, 3, 4)))], [("y", F)], {"axes": i64([1])}, keepdims=1)


@case("argmax_keepdims0", "ArgMax", "axis 1, keepdims 0, int64 output")
def _(r):
    return single("ArgMax", [("x", u(r, (2, 5, 4)))], [("y", I64)], axis=1, keepdims=0)


@case("argmin_select_last_index", "ArgMin", "axis -1, keepdims 1, select_last_index 1 on inputs with ties")
def _(r):
    x = r.integers(-2, 2, size=(3, 6)).astype(np.float32)
    return single("ArgMin", [("x", x)], [("y", I64)], axis=-1, keepdims=1, select_last_index=1)


# ---------------------------------------------------------------- softmax

@case("softmax_axis1_opset11", "Softmax", "opset 11 axis 1 on rank 3: flattens to (2, 12), unlike per-axis softmax", opset=11)
def _(r):
    return unary("Softmax", u(r, (2, 3, 4)), axis=1)


@case("softmax_axis1_opset13", "Softmax", "opset 13 axis 1 on rank 3: per-axis softmax", opset=13)
def _(r):
    return unary("Softmax", u(r, (2, 3, 4)), axis=1)


@case("logsoftmax_last_axis", "LogSoftmax", "opset 13, axis -1", opset=13)
def _(r):
    return unary("LogSoftmax", u(r, (2, 3, 4)), axis=-1)


# ---------------------------------------------------------------- shape / layout ops

@case("concat_axis1", "Concat", "three inputs (1,2,3), (1,3,3), (1,1,3) on axis 1")
def _(r):
    return single("Concat", [("a", u(r, (1, 2, 3))), ("b", u(r, (1, 3, 3))), ("c", u(r, (1, 1, 3)))], [("y", F)], axis=1)


@case("split_sizes_input", "Split", "opset 13 split input [2,1] on axis 1", opset=13)
def _(r):
    return single("Split", [("x", u(r, (2, 3, 4)))], [("y0", F), ("y1", F)], {"split": i64([2, 1])}, axis=1)


@case("split_num_outputs_equal", "Split", "opset 18 num_outputs 3 on axis 2 of length 6 -> 2,2,2", opset=18)
def _(r):
    return single("Split", [("x", u(r, (2, 3, 6)))], [("y0", F), ("y1", F), ("y2", F)], axis=2, num_outputs=3)


@case("split_num_outputs_uneven", "Split", "opset 18 num_outputs 3 on axis -1 of length 7 -> 3,3,1", opset=18)
def _(r):
    return single("Split", [("x", u(r, (2, 7)))], [("y0", F), ("y1", F), ("y2", F)], axis=-1, num_outputs=3)


@case("slice_negative_starts", "Slice", "opset 13 starts [-3,1] ends [-1,1000] axes [0,2] (clamped end)", opset=13)
def _(r):
    return single("Slice", [("x", u(r, (4, 3, 5)))], [("y", F)],
                  {"starts": i64([-3, 1]), "ends": i64([-1, 1000]), "axes": i64([0, 2])})


@case("slice_step_neg1", "Slice", "opset 13 reverse axis 1 (starts -1, ends INT64_MIN, steps -1), axes input", opset=13)
def _(r):
    return single("Slice", [("x", u(r, (2, 5, 3)))], [("y", F)],
                  {"starts": i64([-1]), "ends": i64([np.iinfo(np.int64).min]), "axes": i64([1]), "steps": i64([-1])})


@case("slice_step2", "Slice", "opset 13 steps 2 on axes [1,2] (axes given), starts [0,1] ends [5,6]", opset=13)
def _(r):
    return single("Slice", [("x", u(r, (2, 5, 6)))], [("y", F)],
                  {"starts": i64([0, 1]), "ends": i64([5, 6]), "axes": i64([1, 2]), "steps": i64([2, 2])})


@case("gather_axis0_negative_indices", "Gather", "axis 0, data initializer (5,4) like an embedding, int64 indices input (2,3) with negatives")
def _(r):
    idx = i64([[-1, 0, 2], [4, -5, -2]])
    return single("Gather", [("indices", idx)], [("y", F)], {"data": u(r, (5, 4))},
                  node_inputs=["data", "indices"], axis=0)


@case("gather_axis1_negative_indices", "Gather", "axis 1, data input (2,5,3), indices initializer [-1,1,-4]")
def _(r):
    return single("Gather", [("data", u(r, (2, 5, 3)))], [("y", F)], {"indices": i64([-1, 1, -4])}, axis=1)


@case("gatherelements", "GatherElements", "axis 1, data (3,4) and int64 indices (3,3) inputs, some negative")
def _(r):
    idx = r.integers(-4, 4, size=(3, 3)).astype(np.int64)
    return single("GatherElements", [("data", u(r, (3, 4))), ("indices", idx)], [("y", F)], axis=1)


@case("reshape_zero_minus_one", "Reshape", "shape initializer [0,-1,2]: 0 copies dim, -1 inferred -> (2,6,2)")
def _(r):
    return single("Reshape", [("x", u(r, (2, 3, 4)))], [("y", F)], {"shape": i64([0, -1, 2])})


@case("flatten_axis2", "Flatten", "axis 2: (2,3,4,5) -> (6,20)")
def _(r):
    return unary("Flatten", u(r, (2, 3, 4, 5)), axis=2)


@case("transpose_nhwc", "Transpose", "perm [0,2,3,1]")
def _(r):
    return unary("Transpose", u(r, (1, 3, 4, 5)), perm=[0, 2, 3, 1])


@case("squeeze_axes_input", "Squeeze", "opset 13 axes input [0,-2] on (1,3,1,5)", opset=13)
def _(r):
    return single("Squeeze", [("x", u(r, (1, 3, 1, 5)))], [("y", F)], {"axes": i64([0, -2])})


@case("unsqueeze_axes_input", "Unsqueeze", "opset 13 axes input [0,-1] on (3,4) -> (1,3,4,1)", opset=13)
def _(r):
    return single("Unsqueeze", [("x", u(r, (3, 4)))], [("y", F)], {"axes": i64([0, -1])})


@case("squeeze_axes_attr", "Squeeze", "opset 11 axes attribute [2] on (2,3,1,4)", opset=11)
def _(r):
    return unary("Squeeze", u(r, (2, 3, 1, 4)), axes=[2])


@case("unsqueeze_axes_attr", "Unsqueeze", "opset 11 axes attribute [1,3] on (2,3) -> (2,1,3,1)", opset=11)
def _(r):
    return unary("Unsqueeze", u(r, (2, 3)), axes=[1, 3])


@case("expand", "Expand", "(3,1) expanded by shape [2,1,4] -> (2,3,4)")
def _(r):
    return single("Expand", [("x", u(r, (3, 1)))], [("y", F)], {"shape": i64([2, 1, 4])})


@case("tile", "Tile", "(2,3) repeats [2,3] -> (4,9)")
def _(r):
    return single("Tile", [("x", u(r, (2, 3)))], [("y", F)], {"repeats": i64([2, 3])})


@case("pad_constant_value", "Pad", "mode constant, pads [0,0,1,2,0,0,2,1], constant_value 0.5 input")
def _(r):
    return single("Pad", [("x", u(r, (1, 2, 4, 5)))], [("y", F)],
                  {"pads": i64([0, 0, 1, 2, 0, 0, 2, 1]), "value": f32(0.5)}, mode="constant")


@case("pad_reflect", "Pad", "mode reflect, pads [0,0,2,1,1,3]")
def _(r):
    return single("Pad", [("x", u(r, (1, 2, 4, 5)))], [("y", F)], {"pads": i64([0, 0, 2, 1, 0, 0, 1, 3])}, mode="reflect")


@case("pad_edge", "Pad", "mode edge, pads [0,0,2,1,0,0,1,3]")
def _(r):
    return single("Pad", [("x", u(r, (1, 2, 4, 5)))], [("y", F)], {"pads": i64([0, 0, 2, 1, 0, 0, 1, 3])}, mode="edge")


@case("pad_axes_input", "Pad", "opset 18 axes input [-1,2] with pads [1,0,2,1], constant 0", opset=18)
def _(r):
    return single("Pad", [("x", u(r, (1, 2, 4, 5)))], [("y", F)], {"pads": i64([1, 0, 2, 1]), "axes": i64([-1, 2])},
                  node_inputs=["x", "pads", "", "axes"], mode="constant")


def resize(r, shape, scales=None, sizes=None, **attrs):
    inits = {}
    ins = ["x", ""]
    if scales is not None:
        inits["scales"] = f32(scales)
        ins.append("scales")
    else:
        inits["sizes"] = i64(sizes)
        ins += ["", "sizes"]
    return single("Resize", [("x", u(r, shape))], [("y", F)], inits, node_inputs=ins, **attrs)


@case("resize_nearest_asymmetric_floor", "Resize", "nearest, asymmetric, floor; scales [1,1,2,1.5]")
def _(r):
    return resize(r, (1, 2, 3, 4), scales=[1, 1, 2, 1.5], mode="nearest",
                  coordinate_transformation_mode="asymmetric", nearest_mode="floor")


@case("resize_nearest_half_pixel_round_prefer_floor", "Resize", "nearest, half_pixel, round_prefer_floor; scales [1,1,1.5,2.5]")
def _(r):
    return resize(r, (1, 2, 4, 4), scales=[1, 1, 1.5, 2.5], mode="nearest",
                  coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")


@case("resize_linear_half_pixel", "Resize", "linear, half_pixel; scales [1,1,2,2]")
def _(r):
    return resize(r, (1, 2, 3, 4), scales=[1, 1, 2, 2], mode="linear", coordinate_transformation_mode="half_pixel")


@case("resize_linear_half_pixel_down", "Resize", "linear, half_pixel, downsample; scales [1,1,0.5,0.75]")
def _(r):
    return resize(r, (1, 2, 6, 8), scales=[1, 1, 0.5, 0.75], mode="linear", coordinate_transformation_mode="half_pixel")


@case("resize_linear_align_corners", "Resize", "linear, align_corners; sizes [1,2,5,7]")
def _(r):
    return resize(r, (1, 2, 3, 4), sizes=[1, 2, 5, 7], mode="linear", coordinate_transformation_mode="align_corners")


@case("resize_linear_pytorch_half_pixel", "Resize", "linear, pytorch_half_pixel; sizes [1,2,6,1] (output length 1 maps to 0)")
def _(r):
    return resize(r, (1, 2, 3, 4), sizes=[1, 2, 6, 1], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")


@case("resize_cubic_scales", "Resize", "cubic, half_pixel, cubic_coeff_a -0.75 (default); scales [1,1,2,2]")
def _(r):
    return resize(r, (1, 2, 3, 4), scales=[1, 1, 2, 2], mode="cubic", coordinate_transformation_mode="half_pixel")


@case("resize_cubic_sizes", "Resize", "cubic, half_pixel, cubic_coeff_a -0.5; sizes [1,2,5,7]")
def _(r):
    return resize(r, (1, 2, 3, 4), sizes=[1, 2, 5, 7], mode="cubic", coordinate_transformation_mode="half_pixel",
                  cubic_coeff_a=-0.5)


@case("upsample_nearest", "Upsample", "opset 9 nearest, scales input [1,1,2,3]", opset=9)
def _(r):
    return single("Upsample", [("x", u(r, (1, 2, 3, 4)))], [("y", F)], {"scales": f32([1, 1, 2, 3])}, mode="nearest")


@case("depthtospace_dcr", "DepthToSpace", "blocksize 2, mode DCR")
def _(r):
    return unary("DepthToSpace", u(r, (1, 8, 2, 3)), blocksize=2, mode="DCR")


@case("depthtospace_crd", "DepthToSpace", "blocksize 2, mode CRD")
def _(r):
    return unary("DepthToSpace", u(r, (1, 8, 2, 3)), blocksize=2, mode="CRD")


@case("spacetodepth", "SpaceToDepth", "blocksize 2: (1,2,4,6) -> (1,8,2,3)")
def _(r):
    return unary("SpaceToDepth", u(r, (1, 2, 4, 6)), blocksize=2)


# ---------------------------------------------------------------- misc

@case("einsum_batched_matmul", "Einsum", "equation bij,bjk->bik")
def _(r):
    return single("Einsum", [("a", u(r, (2, 3, 4))), ("b", u(r, (2, 4, 5)))], [("y", F)], equation="bij,bjk->bik")


@case("einsum_transpose", "Einsum", "equation ij->ji")
def _(r):
    return single("Einsum", [("a", u(r, (3, 4)))], [("y", F)], equation="ij->ji")


@case("topk_largest", "TopK", "K=3 (initializer), axis -1, largest 1, sorted; values + int64 indices")
def _(r):
    return single("TopK", [("x", u(r, (2, 3, 6)))], [("values", F), ("indices", I64)], {"k": i64([3])}, axis=-1, largest=1)


@case("topk_smallest", "TopK", "K=3 (initializer), axis -1, largest 0, sorted; values + int64 indices")
def _(r):
    return single("TopK", [("x", u(r, (2, 3, 6)))], [("values", F), ("indices", I64)], {"k": i64([3])}, axis=-1, largest=0)


@case("where_broadcast", "Where", "bool condition input (3,1), X (2,3,4), Y (4,) broadcast")
def _(r):
    cond = r.random((3, 1)) < 0.5
    cond[0, 0], cond[1, 0] = True, False
    return single("Where", [("cond", cond), ("a", u(r, (2, 3, 4))), ("b", u(r, (4,)))], [("y", F)])


@case("cast_float_to_int64", "Cast", "float -> int64 truncates toward zero")
def _(r):
    x = u(r, (3, 4), -5, 5)
    x.flat[:4] = [2.5, -2.5, 0.999, -0.999]
    return single("Cast", [("x", x)], [("y", I64)], to=I64)


@case("cast_int64_to_float", "Cast", "int64 -> float")
def _(r):
    return single("Cast", [("x", r.integers(-100, 100, size=(3, 4)).astype(np.int64))], [("y", F)], to=F)


@case("range_int64", "Range", "int64 scalar inputs start 10, limit -3, delta -4 -> [10,6,2,-2]")
def _(r):
    return single("Range", [("start", i64(10)), ("limit", i64(-3)), ("delta", i64(-4))], [("y", I64)])


@case("range_float", "Range", "float scalar inputs start 0.5, limit 3.2, delta 0.4 -> 7 values")
def _(r):
    return single("Range", [("start", f32(0.5)), ("limit", f32(3.2)), ("delta", f32(0.4))], [("y", F)])


@case("constantofshape", "ConstantOfShape", "Shape(x) feeds ConstantOfShape with value 1.5 (float)")
def _(r):
    return dict(nodes=[node("Shape", ["x"], ["s"]),
                       node("ConstantOfShape", ["s"], ["y"], value=numpy_helper.from_array(f32([1.5]), "value"))],
                inputs=[("x", u(r, (2, 3, 4)))], outputs=[("y", F)], inits={})


@case("shape_start_end", "Shape", "opset 15 start 1, end -1 on (2,3,4,5) -> [3,4] int64", opset=15)
def _(r):
    return single("Shape", [("x", u(r, (2, 3, 4, 5)))], [("y", I64)], start=1, end=-1)


@case("size", "Size", "(2,3,4) -> int64 scalar 24")
def _(r):
    return single("Size", [("x", u(r, (2, 3, 4)))], [("y", I64)])


@case("cumsum_exclusive", "CumSum", "axis 1 (int64 scalar initializer), exclusive 1")
def _(r):
    return single("CumSum", [("x", u(r, (3, 4)))], [("y", F)], {"axis": i64(1)}, exclusive=1)


@case("cumsum_reverse", "CumSum", "axis 0, reverse 1")
def _(r):
    return single("CumSum", [("x", u(r, (3, 4)))], [("y", F)], {"axis": i64(0)}, reverse=1)


@case("cumsum_exclusive_reverse", "CumSum", "axis -1, exclusive 1 and reverse 1")
def _(r):
    return single("CumSum", [("x", u(r, (3, 4)))], [("y", F)], {"axis": i64(-1)}, exclusive=1, reverse=1)


for _op in ["Equal", "Greater", "Less"]:
    def _mk(op):
        @case(f"{op.lower()}_where", op, f"{op}(a,b) -> bool feeding Where(cond, a, b); a (2,3,4), b (3,4); inputs with ties")
        def _(r):
            a = r.integers(-2, 3, size=(2, 3, 4)).astype(np.float32) * 0.5
            b = r.integers(-2, 3, size=(3, 4)).astype(np.float32) * 0.5
            return dict(nodes=[node(op, ["a", "b"], ["cond"]), node("Where", ["cond", "a", "b"], ["y"])],
                        inputs=[("a", a), ("b", b)], outputs=[("y", F)], inits={})
    _mk(_op)


# ---------------------------------------------------------------- recurrent

SEQ, BATCH, INP = 4, 2, 3


def w(r, shape):
    return u(r, shape, -1, 1)


@case("lstm_forward_seq_lens", "LSTM", "forward, hidden 5, bias, initial_h/initial_c inputs, sequence_lens [4,2] int32 input (the spec types it int32); Y, Y_h, Y_c")
def _(r):
    H = 5
    return single("LSTM", [("x", u(r, (SEQ, BATCH, INP))), ("seq_lens", np.array([4, 2], dtype=np.int32)),
                           ("h0", u(r, (1, BATCH, H), -1, 1)), ("c0", u(r, (1, BATCH, H), -1, 1))],
                  [("y", F), ("y_h", F), ("y_c", F)],
                  {"w": w(r, (1, 4 * H, INP)), "r": w(r, (1, 4 * H, H)), "b": w(r, (1, 8 * H))},
                  node_inputs=["x", "w", "r", "b", "seq_lens", "h0", "c0"], hidden_size=H)


@case("lstm_bidirectional", "LSTM", "bidirectional, hidden 4, bias, no initial states; Y, Y_h, Y_c")
def _(r):
    H = 4
    return single("LSTM", [("x", u(r, (SEQ, BATCH, INP)))], [("y", F), ("y_h", F), ("y_c", F)],
                  {"w": w(r, (2, 4 * H, INP)), "r": w(r, (2, 4 * H, H)), "b": w(r, (2, 8 * H))},
                  hidden_size=H, direction="bidirectional")


@case("lstm_peepholes", "LSTM", "forward, hidden 3, bias and peepholes P (1,9), optional inputs between left empty; Y, Y_h")
def _(r):
    H = 3
    return single("LSTM", [("x", u(r, (SEQ, BATCH, INP)))], [("y", F), ("y_h", F)],
                  {"w": w(r, (1, 4 * H, INP)), "r": w(r, (1, 4 * H, H)), "b": w(r, (1, 8 * H)), "p": w(r, (1, 3 * H))},
                  node_inputs=["x", "w", "r", "b", "", "", "", "p"], hidden_size=H)


@case("gru_lbr0", "GRU", "forward, hidden 4, bias, initial_h input, linear_before_reset 0; Y, Y_h")
def _(r):
    H = 4
    return single("GRU", [("x", u(r, (SEQ, BATCH, INP))), ("h0", u(r, (1, BATCH, H), -1, 1))], [("y", F), ("y_h", F)],
                  {"w": w(r, (1, 3 * H, INP)), "r": w(r, (1, 3 * H, H)), "b": w(r, (1, 6 * H))},
                  node_inputs=["x", "w", "r", "b", "", "h0"], hidden_size=H, linear_before_reset=0)


@case("gru_lbr1", "GRU", "forward, hidden 4, bias, initial_h input, linear_before_reset 1; Y, Y_h")
def _(r):
    H = 4
    return single("GRU", [("x", u(r, (SEQ, BATCH, INP))), ("h0", u(r, (1, BATCH, H), -1, 1))], [("y", F), ("y_h", F)],
                  {"w": w(r, (1, 3 * H, INP)), "r": w(r, (1, 3 * H, H)), "b": w(r, (1, 6 * H))},
                  node_inputs=["x", "w", "r", "b", "", "h0"], hidden_size=H, linear_before_reset=1)


@case("gru_reverse", "GRU", "direction reverse, hidden 3, bias; Y, Y_h")
def _(r):
    H = 3
    return single("GRU", [("x", u(r, (SEQ, BATCH, INP)))], [("y", F), ("y_h", F)],
                  {"w": w(r, (1, 3 * H, INP)), "r": w(r, (1, 3 * H, H)), "b": w(r, (1, 6 * H))},
                  hidden_size=H, direction="reverse")


@case("rnn_tanh", "RNN", "forward, hidden 3, Tanh (default), bias, initial_h input; Y, Y_h")
def _(r):
    H = 3
    return single("RNN", [("x", u(r, (SEQ, BATCH, INP))), ("h0", u(r, (1, BATCH, H), -1, 1))], [("y", F), ("y_h", F)],
                  {"w": w(r, (1, H, INP)), "r": w(r, (1, H, H)), "b": w(r, (1, 2 * H))},
                  node_inputs=["x", "w", "r", "b", "", "h0"], hidden_size=H, activations=["Tanh"])


# ---------------------------------------------------------------- quantized

@case("quantize_dequantize_uint8", "QuantizeLinear", "per-tensor uint8: scale 0.02, zero point 128; outputs q (uint8) and DequantizeLinear(q)")
def _(r):
    x = u(r, (2, 3, 4), -3, 3)  # some values saturate at 0 / 255
    x.flat[:3] = [0.01, -0.01, 0.03]  # halfway points round to even
    return dict(nodes=[node("QuantizeLinear", ["x", "scale", "zp"], ["q"]),
                       node("DequantizeLinear", ["q", "scale", "zp"], ["y"])],
                inputs=[("x", x)], outputs=[("q", U8), ("y", F)],
                inits={"scale": f32(0.02), "zp": np.array(128, dtype=np.uint8)})


@case("quantize_dequantize_int8_per_channel", "QuantizeLinear", "per-channel int8 on axis 1: scale (3,), zero points (3,); outputs q (int8) and DequantizeLinear(q)")
def _(r):
    return dict(nodes=[node("QuantizeLinear", ["x", "scale", "zp"], ["q"], axis=1),
                       node("DequantizeLinear", ["q", "scale", "zp"], ["y"], axis=1)],
                inputs=[("x", u(r, (1, 3, 4, 5)))], outputs=[("q", I8), ("y", F)],
                inits={"scale": f32([0.01, 0.02, 0.015]), "zp": np.array([0, -10, 5], dtype=np.int8)})


@case("dynamicquantizelinear", "DynamicQuantizeLinear", "three outputs: y (uint8), y_scale, y_zero_point (uint8 scalar)")
def _(r):
    return single("DynamicQuantizeLinear", [("x", u(r, (3, 4)))], [("y", U8), ("y_scale", F), ("y_zero_point", U8)])


@case("convinteger", "ConvInteger", "uint8 x input (1,2,5,5), uint8 w initializer (3,2,3,3), x_zero_point 120, w_zero_point 128, pads 1; int32 output")
def _(r):
    x = r.integers(0, 256, size=(1, 2, 5, 5)).astype(np.uint8)
    return single("ConvInteger", [("x", x)], [("y", I32)],
                  {"w": r.integers(0, 256, size=(3, 2, 3, 3)).astype(np.uint8),
                   "x_zp": np.array(120, dtype=np.uint8), "w_zp": np.array(128, dtype=np.uint8)},
                  pads=[1, 1, 1, 1])


@case("matmulinteger", "MatMulInteger", "uint8 A (3,4) and B (4,5) graph inputs, zero points 100 / 130 initializers; int32 output")
def _(r):
    a = r.integers(0, 256, size=(3, 4)).astype(np.uint8)
    b = r.integers(0, 256, size=(4, 5)).astype(np.uint8)
    return single("MatMulInteger", [("a", a), ("b", b)], [("y", I32)],
                  {"a_zp": np.array(100, dtype=np.uint8), "b_zp": np.array(130, dtype=np.uint8)})


# ---------------------------------------------------------------- control flow

def if_case(r, cond):
    vi = helper.make_tensor_value_info
    then_g = helper.make_graph([helper.make_node("Mul", ["x", "x"], ["t"], name="then_mul")], "then_branch", [],
                               [vi("t", F, [2, 3])])
    else_g = helper.make_graph([helper.make_node("Sub", ["x", "one"], ["e"], name="else_sub")], "else_branch", [],
                               [vi("e", F, [2, 3])])
    return dict(nodes=[node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g)],
                inputs=[("cond", np.array(cond)), ("x", u(r, (2, 3)))], outputs=[("y", F)],
                inits={"one": f32(1.0)})


@case("if_cond_true", "If", "bool scalar cond input = true: then branch x*x (outer x), else branch x - one (outer initializer)")
def _(r):
    return if_case(r, True)


@case("if_cond_false", "If", "bool scalar cond input = false: then branch x*x (outer x), else branch x - one (outer initializer)")
def _(r):
    return if_case(r, False)


@case("loop_trip_count", "Loop", "trip count int64 input M=3, cond absent, carried acc = acc*0.5 + x, scan output acc + float(i)")
def _(r):
    vi = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Mul", ["acc_in", "half"], ["m"], name="body_mul"),
         helper.make_node("Add", ["m", "x"], ["acc_out"], name="body_add"),
         helper.make_node("Cast", ["i"], ["fi"], name="body_cast", to=F),
         helper.make_node("Add", ["acc_out", "fi"], ["emit"], name="body_emit"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="body_cond")],
        "loop_body",
        [vi("i", I64, []), vi("cond_in", B, []), vi("acc_in", F, [2, 3])],
        [vi("cond_out", B, []), vi("acc_out", F, [2, 3]), vi("emit", F, [2, 3])])
    return dict(nodes=[node("Loop", ["m_trip", "", "acc0"], ["acc", "scans"], body=body)],
                inputs=[("m_trip", i64(3)), ("x", u(r, (2, 3))), ("acc0", u(r, (2, 3)))],
                outputs=[("acc", F), ("scans", F)], inits={"half": f32(0.5)})


@case("scan_sequence", "Scan", "one state (3,) and one scan input (5,3): s = s + v, emits s * v")
def _(r):
    vi = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "v"], ["s_out"], name="body_add"),
         helper.make_node("Mul", ["s_out", "v"], ["emit"], name="body_mul")],
        "scan_body",
        [vi("s_in", F, [3]), vi("v", F, [3])],
        [vi("s_out", F, [3]), vi("emit", F, [3])])
    return dict(nodes=[node("Scan", ["s0", "seq"], ["final", "emits"], body=body, num_scan_inputs=1)],
                inputs=[("s0", u(r, (3,))), ("seq", u(r, (5, 3)))], outputs=[("final", F), ("emits", F)], inits={})


@case("scan_reverse", "Scan", "scan_input_directions [1] (reverse), scan_output_directions [1]: running sum emitted")
def _(r):
    vi = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "v"], ["s_out"], name="body_add"),
         helper.make_node("Identity", ["s_out"], ["emit"], name="body_emit")],
        "scan_body",
        [vi("s_in", F, [3]), vi("v", F, [3])],
        [vi("s_out", F, [3]), vi("emit", F, [3])])
    return dict(nodes=[node("Scan", ["s0", "seq"], ["final", "emits"], body=body, num_scan_inputs=1,
                            scan_input_directions=[1], scan_output_directions=[1])],
                inputs=[("s0", u(r, (3,))), ("seq", u(r, (5, 3)))], outputs=[("final", F), ("emits", F)], inits={})


# ---------------------------------------------------------------- driver

def build_model(c, spec, out_shapes=None):
    vi = helper.make_tensor_value_info
    g_inputs = [vi(n, helper.np_dtype_to_tensor_dtype(a.dtype), list(a.shape)) for n, a in spec["inputs"]]
    g_outputs = [vi(n, t, None if out_shapes is None else list(out_shapes[i])) for i, (n, t) in enumerate(spec["outputs"])]
    inits = [numpy_helper.from_array(np.asarray(a), n) for n, a in spec.get("inits", {}).items()]
    graph = helper.make_graph(spec["nodes"], c["name"], g_inputs, g_outputs, inits)
    model = helper.make_model_gen_version(graph, opset_imports=[helper.make_opsetid("", c["opset"])],
                                          producer_name="strata make_op_cases.py")
    if out_shapes is not None:  # the checker wants every graph output to carry a shape
        onnx.checker.check_model(model, full_check=True)
    return model


def run_ort(model, feeds):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def run_ref(model, feeds):
    return ReferenceEvaluator(model).run(None, feeds)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/onnx/ops"
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        if not os.path.isfile(os.path.join(out_dir, "cases.json")):
            sys.exit(f"{out_dir} is not empty and has no cases.json; refusing to clear it")
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    with open(os.path.join(out_dir, "cases.json"), "w") as f:  # marks the folder as ours, even after a failed run
        f.write("[]\n")

    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    table, failures, disagreements = [], [], []
    for c in CASES:
        name = c["name"]
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        try:
            spec = c["build"](rng)
            model = build_model(c, spec)
        except Exception as e:  # noqa: BLE001 - report and continue
            failures.append((name, f"build/check: {type(e).__name__}: {e}"))
            continue
        feeds = {n: a for n, a in spec["inputs"]}
        engine, outs, ort_err = ORT_ENGINE, None, None
        try:
            outs = run_ort(model, feeds)
        except Exception as e:  # noqa: BLE001
            ort_err = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        ref_outs, ref_err = None, None
        try:
            ref_outs = run_ref(model, feeds)
        except Exception as e:  # noqa: BLE001
            ref_err = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        if outs is None:
            if ref_outs is None:
                failures.append((name, f"onnxruntime: {ort_err}; reference: {ref_err}"))
                continue
            engine, outs = REF_ENGINE, ref_outs
            print(f"  {name}: onnxruntime refused ({ort_err}); using the reference evaluator")
        elif ref_outs is not None:
            for i, (a, b) in enumerate(zip(outs, ref_outs)):
                b = np.asarray(b)
                if a.shape != b.shape:
                    disagreements.append((name, i, f"shape {a.shape} vs reference {b.shape}"))
                elif a.size and not np.allclose(a.astype(np.float64), b.astype(np.float64), rtol=1e-4, atol=1e-5):
                    d = np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))
                    disagreements.append((name, i, f"max |ort - reference| = {d:.3g}"))
        else:
            print(f"  {name}: reference evaluator failed ({ref_err}); onnxruntime's truth kept")

        outs = [np.asarray(o) for o in outs]
        ok = True
        for i, ((oname, otype), o) in enumerate(zip(spec["outputs"], outs)):
            want = helper.tensor_dtype_to_np_dtype(otype)
            if o.dtype != want:
                failures.append((name, f"output {i} dtype {o.dtype}, graph says {want}"))
                ok = False
            if o.dtype.kind == "f" and not np.all(np.isfinite(o)):
                failures.append((name, f"output {i} not finite"))
                ok = False
        if not ok:
            continue
        try:
            model = build_model(c, spec, [o.shape for o in outs])
        except Exception as e:  # noqa: BLE001
            failures.append((name, f"check with concrete output shapes: {type(e).__name__}: {e}"))
            continue

        d = os.path.join(out_dir, name)
        os.makedirs(d)
        onnx.save(model, os.path.join(d, "model.onnx"))
        for i, (_, a) in enumerate(spec["inputs"]):
            np.save(os.path.join(d, f"input_{i}.npy"), a)
        for i, o in enumerate(outs):
            np.save(os.path.join(d, f"output_{i}.npy"), o.copy(order="C"))
        # every file must load back identically
        for i, (_, a) in enumerate(spec["inputs"]):
            back = np.load(os.path.join(d, f"input_{i}.npy"))
            assert back.dtype == a.dtype and np.array_equal(back, a), (name, i)
        for i, o in enumerate(outs):
            back = np.load(os.path.join(d, f"output_{i}.npy"))
            assert back.dtype == o.dtype and np.array_equal(back, o), (name, i)
        onnx.checker.check_model(onnx.load(os.path.join(d, "model.onnx")), full_check=True)

        table.append({"case": name, "op": c["op"], "opset": c["opset"], "engine": engine,
                      "inputs": [list(map(int, a.shape)) for _, a in spec["inputs"]],
                      "outputs": [list(map(int, o.shape)) for o in outs],
                      "note": c["note"]})

    with open(os.path.join(out_dir, "cases.json"), "w") as f:  # one case per line
        f.write("[\n" + ",\n".join(json.dumps(t) for t in table) + "\n]\n")

    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(out_dir) for fn in fns)
    print(f"wrote {len(table)} cases to {out_dir} ({total} bytes)")
    ref_cases = [t["case"] for t in table if t["engine"] == REF_ENGINE]
    print(f"reference evaluator used for: {ref_cases or 'none'}")
    for name, i, msg in disagreements:
        print(f"  disagreement (onnxruntime kept): {name} output {i}: {msg}")
    for name, msg in failures:
        print(f"  FAILED {name}: {msg}")
    if total > 3 * 1024 * 1024:
        sys.exit("fixtures exceed 3 MB")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
