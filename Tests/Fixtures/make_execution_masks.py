#!/usr/bin/env python3
"""Forward-pass fixtures for padding masks, ConvLSTM stacks and a user-defined layer, written
by real Keras.

Each case is a small functional model built with a fixed seed (the sum of the case name's
character codes). Every weight (biases, gates, scales, the custom layer's non-trainable scale
included) is overwritten with fixed-seed random values. Keras computes the outputs and the
counts; nothing here is computed by hand.

Run with the project's Keras venv (keras 3.15.1, tensorflow-cpu 2.21.0, tf_keras 2.21.0; CI does
not run it, its output is committed):

    .venv-bench/bin/python Tests/Fixtures/make_execution_masks.py [case ...]
    .venv-bench/bin/python Tests/Fixtures/make_execution_masks.py --list
    .venv-bench/bin/python Tests/Fixtures/make_execution_masks.py --out /tmp/fixtures   # elsewhere

Three groups of cases, one folder each:

    execution/masks/<case>/      models whose padding masks change the result: an Embedding
                                 with mask_zero=True (integer ids, 0 is padding) or a
                                 Masking(0.0) layer (float steps that are all 0.0), feeding
                                 LSTM/GRU/SimpleRNN (stacked, go_backwards), Bidirectional,
                                 TimeDistributed, Add/Concatenate, GlobalAveragePooling1D,
                                 MultiHeadAttention (padding only, causal, and with an explicit
                                 attention_mask input) and Attention. Batch 2: one row padded at
                                 the end, the other at the start (or elsewhere). For every case
                                 the script builds the same model without the mask
                                 (mask_zero=False, or no Masking layer), copies the weights over
                                 by layer name and asserts that the outputs differ by more than
                                 1e-3, so a forward pass that ignores masks fails.
    execution/conv_lstm/<case>/  ConvLSTM1D/2D/3D stacks (no masks): same-padding sequences,
                                 valid padding with strides and go_backwards, return_state.
    custom/<case>/               a model with a user-defined layer, `ScaledDense` (registered as
                                 "strata_test>ScaledDense": a trainable `kernel`, a
                                 non-trainable `scale`), plain and frozen (trainable=False), for
                                 a reader that does not have the Python class.

Files per case folder:

    model.keras        Keras 3 archive with the randomised weights
    model.json         Keras 3 model.to_json(), verbatim
    input.npy          float32 input (input_0.npy, input_1.npy, ... for several inputs, in
                       model.inputs order; integer ids and boolean masks stored as float32)
    output.npy         Keras 3's output (output_0.npy, ... for several)
    truth.json         {"layers": [{name, class, output_shape, params, trainable_params,
                       non_trainable_params, mask}, ...] in model.layers order, "totals":
                       {params, trainable_params, non_trainable_params}}, read from Keras's
                       objects (count_params(), trainable_weights, non_trainable_weights).
                       output_shape has null for the batch; a layer with several outputs has a
                       list of shapes. mask: Keras attached a mask to the layer's symbolic output
                       (keras.src.backend.get_keras_mask; any of its outputs).
    model_legacy.h5    custom/ only: Keras 3's legacy HDF5 save (model.save("....h5")).
    model_keras2.h5    masks/ and conv_lstm/, where tf_keras (legacy Keras 2) builds the same
                       model: given the same weights, its own outputs are checked equal to Keras
                       3's (so the same output files apply). Cases marked keras2=False say why.

Every saved model file is reloaded and run again, and must give the in-memory model's outputs,
before anything is written, so the files hold what was checked.
"""

import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.backend import get_keras_mask  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDERS = {"masks": os.path.join("execution", "masks"),
           "conv_lstm": os.path.join("execution", "conv_lstm"),
           "custom": "custom"}

CASES = []


def case(name, group, inputs, keras2=True, freeze=()):
    """Registers `build(k, masked=True) -> model` under `name` in `group` (a key of FOLDERS).
    `inputs(rng)` gives the numpy inputs. A `masks` case must build the same model without its
    mask when `masked=False` (same layer names), for the check that the mask matters.
    `keras2=False`: no model_keras2.h5 (tf_keras cannot build it or computes otherwise).
    `freeze`: names of layers set to trainable=False after the weights are randomised."""
    def wrap(build):
        CASES.append((name, group, build, inputs, keras2, tuple(freeze)))
        return build
    return wrap


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------


def padded_ids(length, vocab, pads):
    """Integer ids in [1, vocab), one row per `(leading, trailing)` pair of zero counts."""
    def make(rng):
        x = rng.integers(1, vocab, size=(len(pads), length))
        for row, (lead, trail) in enumerate(pads):
            x[row, :lead] = 0
            if trail:
                x[row, length - trail:] = 0
        return [x.astype(np.int32)]
    return make


def padded_steps(shape, pads):
    """Normal floats; in row b every step of `pads[b]` (a list of indices) is all 0.0."""
    def make(rng):
        x = rng.standard_normal(shape).astype(np.float32)
        for row, steps in enumerate(pads):
            x[row, steps] = 0.0
        return [x]
    return make


def normal(*shape):
    return lambda rng: [rng.standard_normal(shape).astype(np.float32)]


def together(*makers):
    return lambda rng: [x for make in makers for x in make(rng)]


def attention_mask(batch, length):
    """A random boolean (batch, length, length) mask with the diagonal allowed, so every
    query keeps at least one key (itself) whatever the padding."""
    def make(rng):
        m = rng.random((batch, length, length)) > 0.4
        m[:, np.arange(length), np.arange(length)] = True
        return [m]
    return make


# Row 0 padded at the end, row 1 at the start: a forward pass that only trims the end, or
# treats both rows alike, fails.
IDS8 = padded_ids(8, 40, [(0, 3), (2, 0)])
IDS8_SMALL_VOCAB = padded_ids(8, 30, [(0, 3), (2, 0)])
# Second input of the merges: other padding, so the OR of the two masks differs from each.
IDS8_OTHER = padded_ids(8, 40, [(0, 5), (1, 1)])


def embed(k, x, vocab, dim, masked, name):
    return k.layers.Embedding(vocab, dim, mask_zero=masked, name=name)(x)


def masking(k, x, masked):
    return k.layers.Masking(mask_value=0.0, name="masking")(x) if masked else x


# --------------------------------------------------------------------------------------
# execution/masks: padding masks that change the result
# --------------------------------------------------------------------------------------


@case("text_classifier", "masks", IDS8)
def _(k, masked=True):
    x = k.Input((8,), dtype="int32")
    y = embed(k, x, 40, 8, masked, "embedding")
    y = k.layers.Bidirectional(k.layers.LSTM(6), name="bidi")(y)
    y = k.layers.Dense(3, activation="softmax", name="head")(y)
    return k.Model(x, y)


@case("masking_gru_average", "masks", padded_steps((2, 7, 4), [[5, 6], [0, 1, 2]]))
def _(k, masked=True):
    x = k.Input((7, 4))
    y = masking(k, x, masked)
    y = k.layers.GRU(5, return_sequences=True, name="gru")(y)
    y = k.layers.GlobalAveragePooling1D(name="average")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


def self_attention(causal):
    def build(k, masked=True):
        x = k.Input((8,), dtype="int32")
        e = embed(k, x, 30, 8, masked, "embedding")
        y = k.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(e, e, use_causal_mask=causal)
        y = k.layers.GlobalAveragePooling1D(name="average")(y)
        y = k.layers.Dense(2, name="head")(y)
        return k.Model(x, y)
    return build


case("masked_self_attention", "masks", IDS8_SMALL_VOCAB)(self_attention(False))
case("masked_causal_attention", "masks", IDS8_SMALL_VOCAB)(self_attention(True))


@case("lstm_sequences_stack", "masks", IDS8)
def _(k, masked=True):
    x = k.Input((8,), dtype="int32")
    y = embed(k, x, 40, 8, masked, "embedding")
    y = k.layers.LSTM(5, return_sequences=True, name="lstm1")(y)
    y = k.layers.LSTM(4, name="lstm2")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


@case("simple_rnn_backwards", "masks", IDS8)
def _(k, masked=True):
    x = k.Input((8,), dtype="int32")
    y = embed(k, x, 40, 8, masked, "embedding")
    y = k.layers.SimpleRNN(4, go_backwards=True, return_sequences=True, name="rnn")(y)
    y = k.layers.GlobalMaxPooling1D(name="max")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


@case("bidirectional_sequences_timedistributed", "masks", padded_steps((2, 6, 3), [[4, 5], [0]]))
def _(k, masked=True):
    x = k.Input((6, 3))
    y = masking(k, x, masked)
    y = k.layers.Bidirectional(k.layers.GRU(4, return_sequences=True), merge_mode="sum", name="bidi")(y)
    y = k.layers.TimeDistributed(k.layers.Dense(2), name="td")(y)
    return k.Model(x, y)


# Keras 3's Add ORs its inputs' masks; tf_keras's ANDs them (base_merge.compute_mask), so the
# same weights give other outputs in Keras 2: no Keras 2 file.
@case("masked_merge", "masks", together(IDS8, IDS8_OTHER), keras2=False)
def _(k, masked=True):
    a = k.Input((8,), dtype="int32")
    b = k.Input((8,), dtype="int32")
    y = k.layers.Add(name="add")([embed(k, a, 40, 6, masked, "embedding_a"),
                                  embed(k, b, 40, 6, masked, "embedding_b")])
    y = k.layers.LSTM(3, name="lstm")(y)
    y = k.layers.Dense(1, name="head")(y)
    return k.Model([a, b], y)


@case("masking_dense_lstm", "masks", padded_steps((2, 5, 3), [[3, 4], [0]]))
def _(k, masked=True):
    x = k.Input((5, 3))
    y = masking(k, x, masked)
    y = k.layers.Dense(4, name="dense")(y)
    y = k.layers.LSTM(3, name="lstm")(y)
    y = k.layers.Dense(1, name="head")(y)
    return k.Model(x, y)


# The padding mask of the ids and an explicit attention_mask (a boolean model input) together:
# Keras ANDs them.
@case("masked_attention_explicit_mask", "masks", together(IDS8_SMALL_VOCAB, attention_mask(2, 8)))
def _(k, masked=True):
    x = k.Input((8,), dtype="int32")
    m = k.Input((8, 8), dtype="bool")
    e = embed(k, x, 30, 8, masked, "embedding")
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(e, e, attention_mask=m)
    y = k.layers.GlobalAveragePooling1D(name="average")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model([x, m], y)


# A case the first version of these fixtures had: kept so that every folder of
# execution/masks/ comes from here.
@case("dot_attention", "masks", IDS8_SMALL_VOCAB)
def _(k, masked=True):
    x = k.Input((8,), dtype="int32")
    e = embed(k, x, 30, 8, masked, "embedding")
    y = k.layers.Attention(name="attention")([e, e])
    y = k.layers.GlobalAveragePooling1D(name="average")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


# Concatenate's mask is likewise an OR in Keras 3 and an AND in tf_keras: no Keras 2 file.
@case("concatenate_masked", "masks", together(IDS8, IDS8_OTHER), keras2=False)
def _(k, masked=True):
    a = k.Input((8,), dtype="int32")
    b = k.Input((8,), dtype="int32")
    y = k.layers.Concatenate(name="concat")([embed(k, a, 40, 4, masked, "embedding_a"),
                                             embed(k, b, 40, 3, masked, "embedding_b")])
    y = k.layers.GRU(3, name="gru")(y)
    y = k.layers.Dense(1, name="head")(y)
    return k.Model([a, b], y)


# --------------------------------------------------------------------------------------
# execution/conv_lstm: convolutional recurrent stacks
# --------------------------------------------------------------------------------------


# Keras 3's ConvLSTM default recurrent_activation is sigmoid, tf_keras's hard_sigmoid: saying
# it makes both build the same model (Keras 3's config is unchanged: it always writes it).
SIGMOID = "sigmoid"


@case("conv_lstm1d_stack", "conv_lstm", normal(2, 4, 10, 3))
def _(k, masked=True):
    x = k.Input((4, 10, 3))
    y = k.layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True, recurrent_activation=SIGMOID,
                            name="conv_lstm1")(x)
    y = k.layers.ConvLSTM1D(3, 3, padding="valid", recurrent_activation=SIGMOID, name="conv_lstm2")(y)
    y = k.layers.Flatten(name="flatten")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


@case("conv_lstm2d_stack", "conv_lstm", normal(2, 3, 8, 8, 2))
def _(k, masked=True):
    x = k.Input((3, 8, 8, 2))
    y = k.layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True, recurrent_activation=SIGMOID,
                            name="conv_lstm1")(x)
    y = k.layers.ConvLSTM2D(2, (3, 3), strides=(2, 2), padding="valid", go_backwards=True,
                            recurrent_activation=SIGMOID, name="conv_lstm2")(y)
    y = k.layers.GlobalAveragePooling2D(name="average")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


@case("conv_lstm2d_state", "conv_lstm", normal(2, 3, 6, 6, 2))
def _(k, masked=True):
    x = k.Input((3, 6, 6, 2))
    out = k.layers.ConvLSTM2D(3, (2, 2), return_state=True, recurrent_activation=SIGMOID, name="conv_lstm")(x)
    return k.Model(x, list(out))


@case("conv_lstm3d_small", "conv_lstm", normal(2, 2, 4, 4, 4, 1))
def _(k, masked=True):
    x = k.Input((2, 4, 4, 4, 1))
    y = k.layers.ConvLSTM3D(2, (2, 2, 2), padding="same", recurrent_activation=SIGMOID, name="conv_lstm")(x)
    y = k.layers.Flatten(name="flatten")(y)
    y = k.layers.Dense(1, name="head")(y)
    return k.Model(x, y)


# --------------------------------------------------------------------------------------
# custom: a user-defined layer, made the way a Keras user would
# --------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="strata_test")
class ScaledDense(keras.layers.Layer):
    """x @ kernel, scaled per unit by a non-trainable `scale`."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform", trainable=True)
        self.scale = self.add_weight(name="scale", shape=(self.units,), initializer="ones",
                                     trainable=False)

    def call(self, x):
        return keras.ops.matmul(x, self.kernel) * self.scale

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


def scaled_dense_model(k, masked=True):
    x = k.Input((12,))
    y = k.layers.Dense(6, name="dense")(x)
    y = ScaledDense(6, name="scaled_dense")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


# ScaledDense exists only for Keras 3 here (the point is a reader without the class): no
# Keras 2 file. The frozen case sets trainable=False after the weights are randomised and
# before saving, as a user freezing a trained layer would.
case("scaled_dense", "custom", normal(2, 12), keras2=False)(scaled_dense_model)
case("scaled_dense_frozen", "custom", normal(2, 12), keras2=False,
     freeze=["scaled_dense"])(scaled_dense_model)


# --------------------------------------------------------------------------------------


def randomise(model, rng):
    for w in model.weights:
        shape = tuple(w.shape)
        w.assign(rng.uniform(-0.6, 0.6, size=shape).astype(np.float32))


def as_list(y):
    if isinstance(y, (list, tuple)):
        return [np.asarray(t) for t in y]
    if isinstance(y, dict):
        raise ValueError("dict outputs are not used here")
    return [np.asarray(y)]


def run(model, xs):
    return as_list(model(xs if len(xs) > 1 else xs[0], training=False))


def check_close(name, what, a, b, atol=1e-5, rtol=1e-4):
    assert len(a) == len(b), f"{name}: {what}: {len(a)} outputs vs {len(b)}"
    for i, (x, y) in enumerate(zip(a, b)):
        assert x.shape == y.shape, f"{name}: {what}: output {i} shape {x.shape} vs {y.shape}"
        err = float(np.max(np.abs(x - y))) if x.size else 0.0
        assert np.allclose(x, y, atol=atol, rtol=rtol), f"{name}: {what}: output {i} differs by {err}"


def copy_weights_by_name(source, target):
    """Copies every layer's weights to the layer of the same name (the unmasked model lacks
    the Masking layer, which has none)."""
    by_name = {layer.name: layer for layer in source.layers}
    for layer in target.layers:
        if layer.weights:
            layer.set_weights(by_name[layer.name].get_weights())


def mask_effect(name, build, model, xs):
    """Largest output difference between the model and the same model without its mask."""
    import keras as k
    plain = build(k, masked=False)
    copy_weights_by_name(model, plain)
    assert not any(row["mask"] for row in truth(plain)["layers"]), f"{name}: the plain model has a mask"
    return max(float(np.max(np.abs(a - b))) for a, b in zip(run(model, xs), run(plain, xs)))


def count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def shape_of(t):
    return [None if d is None else int(d) for d in t.shape]


def truth(model):
    layers = []
    for layer in model.layers:
        out = layer.output
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        shapes = [shape_of(t) for t in outs]
        layers.append({
            "name": layer.name,
            "class": layer.__class__.__name__,
            "output_shape": shapes[0] if len(shapes) == 1 else shapes,
            "params": int(layer.count_params()),
            "trainable_params": count(layer.trainable_weights),
            "non_trainable_params": count(layer.non_trainable_weights),
            "mask": any(get_keras_mask(t) is not None for t in outs),
        })
    return {"layers": layers,
            "totals": {"params": int(model.count_params()),
                       "trainable_params": count(model.trainable_weights),
                       "non_trainable_params": count(model.non_trainable_weights)}}


def save_numbered(folder, stem, arrays):
    arrays = [np.asarray(a) for a in arrays]
    if len(arrays) == 1:
        np.save(os.path.join(folder, f"{stem}.npy"), arrays[0].astype(np.float32))
    else:
        for i, a in enumerate(arrays):
            np.save(os.path.join(folder, f"{stem}_{i}.npy"), a.astype(np.float32))


def make(root, name, group, build, inputs, keras2, freeze):
    import keras as k
    seed = sum(ord(c) for c in name)
    k.backend.clear_session()  # auto-generated names (inputs) then depend on this case only
    k.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    xs = inputs(rng)
    model = build(k)
    randomise(model, rng)
    for layer_name in freeze:
        model.get_layer(layer_name).trainable = False
    want = run(model, xs)
    facts = truth(model)
    note = ""
    if group == "masks":
        effect = mask_effect(name, build, model, xs)
        assert effect > 1e-3, f"{name}: without its mask the model gives the same outputs ({effect})"
        assert any(row["mask"] for row in facts["layers"]), f"{name}: Keras attaches no mask"
        note = f", mask changes outputs by up to {effect:.3g}"

    tmp = tempfile.mkdtemp()
    try:
        files = {}
        files["model.keras"] = os.path.join(tmp, "model.keras")
        model.save(files["model.keras"])
        again = k.saving.load_model(files["model.keras"])
        check_close(name, "reloaded .keras", run(again, xs), want, atol=0, rtol=0)
        assert truth(again)["totals"] == facts["totals"], f"{name}: reloaded .keras counts differ"
        files["model.json"] = os.path.join(tmp, "model.json")
        with open(files["model.json"], "w") as f:
            f.write(model.to_json())
        if group == "custom":
            files["model_legacy.h5"] = os.path.join(tmp, "model_legacy.h5")
            model.save(files["model_legacy.h5"])
            back = k.saving.load_model(files["model_legacy.h5"])
            check_close(name, "reloaded legacy .h5", run(back, xs), want, atol=0, rtol=0)
            assert truth(back)["totals"] == facts["totals"], f"{name}: reloaded .h5 counts differ"
        if keras2:
            import tf_keras
            tf_keras.backend.clear_session()
            tf_keras.utils.set_random_seed(seed)
            m2 = build(tf_keras)
            copy_weights_by_name(model, m2)
            check_close(name, "tf_keras", run(m2, xs), want)
            files["model_keras2.h5"] = os.path.join(tmp, "model_keras2.h5")
            m2.save(files["model_keras2.h5"], save_format="h5")
            back = tf_keras.models.load_model(files["model_keras2.h5"])
            check_close(name, "reloaded tf_keras .h5", run(back, xs), want)

        folder = os.path.join(root, FOLDERS[group], name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        for file, path in files.items():
            shutil.copy(path, os.path.join(folder, file))
        save_numbered(folder, "input", xs)
        save_numbered(folder, "output", want)
        with open(os.path.join(folder, "truth.json"), "w") as f:
            json.dump(facts, f, indent=1)
            f.write("\n")
        masked = [row["name"] for row in facts["layers"] if row["mask"]]
        print(f"{FOLDERS[group]}/{name}: {len(xs)} input(s), outputs {[w.shape for w in want]}, "
              f"totals {facts['totals']}{note}{', masks on ' + str(masked) if masked else ''}"
              f"{' + keras2' if keras2 else ''}")
    finally:
        shutil.rmtree(tmp)


def main(argv):
    root = HERE
    if "--out" in argv:
        i = argv.index("--out")
        root = os.path.abspath(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    known = [c[0] for c in CASES]
    if "--list" in argv:
        for name, group, *_ in CASES:
            print(f"{FOLDERS[group]}/{name}")
        return
    only = set(argv)
    unknown = only - set(known)
    if unknown:
        sys.exit(f"unknown case(s): {sorted(unknown)}; known: {known}")
    for name, group, build, inputs, keras2, freeze in CASES:
        if only and name not in only:
            continue
        make(root, name, group, build, inputs, keras2, freeze)


if __name__ == "__main__":
    main(sys.argv[1:])
