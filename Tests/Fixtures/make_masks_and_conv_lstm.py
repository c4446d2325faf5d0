#!/usr/bin/env python3
"""Padding-mask, ConvLSTM and custom-layer fixtures, written by real Keras 3.

execution/masks/<case>/     models whose padding masks change the result (Embedding with
                            mask_zero, Masking) through recurrent layers, Bidirectional,
                            TimeDistributed, merges, average pooling over time and attention.
                            For every case the script checks that the same model with the
                            mask removed (mask_zero=False, or no Masking layer; same weights)
                            gives other outputs, so a forward pass that ignores masks fails.
execution/conv_lstm/<case>/ ConvLSTM1D/2D/3D stacks (no masks).
execution/augmentation/<case>/ the random augmentation layers Keras 3.15 added (AugMix,
                            CutMix, MixUp, RandAugment, RandomColor*, RandomElasticTransform,
                            RandomErasing, RandomGaussianBlur, RandomGrayscale, RandomHue,
                            RandomInvert, RandomPerspective, RandomPosterization,
                            RandomSaturation, RandomSharpness, RandomShear, Solarization) in one
                            model: all the identity at inference, as Keras's outputs show.
execution/preprocessing/<case>/ adaptive average and max pooling (1-D, 2-D channels first and
                            last, 3-D; sizes that do not divide the input) and Discretization.
custom/<case>/              a model with a user-defined layer (ScaledDense: a trainable kernel
                            and a non-trainable scale), saved as .keras, Keras 3's legacy .h5
                            and JSON, read by a tool that does not have the Python class.

Each case folder: model.keras (fixed-seed random weights), model.json (its config, so the
class appears among the configs), input.npy / input_<i>.npy (integer ids stored as float32),
output.npy / output_<i>.npy (Keras's outputs), truth.json: {"layers": [{name, class,
output_shape, params, trainable_params, non_trainable_params, mask}], "totals": {params,
trainable_params, non_trainable_params}} from Keras's own objects (`mask`: Keras attached a
mask to the layer's symbolic output). Saved files are reloaded and rerun before writing.

    .venv-bench/bin/python Tests/Fixtures/make_masks_and_conv_lstm.py
"""
import json, os, shutil, sys, tempfile
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L
from keras.src import backend as KB

HERE = os.path.dirname(os.path.abspath(__file__))


@keras.saving.register_keras_serializable(package="strata_test")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units, **kw):
        super().__init__(**kw)
        self.units = units

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], self.units), name="kernel", trainable=True)
        self.scale = self.add_weight(shape=(self.units,), name="scale", initializer="ones", trainable=False)

    def call(self, x):
        return keras.ops.matmul(x, self.kernel) * self.scale

    def get_config(self):
        return {**super().get_config(), "units": self.units}


IDS = np.array([[5, 3, 9, 2, 0, 0, 0, 0], [0, 0, 7, 1, 4, 8, 6, 2]], dtype="float32")
IDS2 = np.array([[1, 2, 3, 0, 0, 0, 0, 0], [4, 4, 0, 0, 5, 6, 0, 0]], dtype="float32")


def floats(rng, shape, pad):
    x = rng.standard_normal(shape).astype("float32")
    for (b, sl) in pad:
        x[b, sl] = 0
    return x


def emb(i, dim=8, mask=True, vocab=40):
    return L.Embedding(vocab, dim, mask_zero=mask)(i)


def mask_cases(rng):
    fl = floats(rng, (2, 7, 4), [(0, slice(5, None)), (1, slice(0, 2))])
    fl6 = floats(rng, (2, 6, 3), [(0, slice(4, None)), (1, slice(0, 1))])
    fl5 = floats(rng, (2, 5, 3), [(0, slice(3, None))])

    def text_classifier(m):
        i = keras.Input((8,)); x = emb(i, mask=m); x = L.Bidirectional(L.LSTM(6))(x)
        return keras.Model(i, L.Dense(3, activation="softmax")(x))

    def masking_gru_average(m):
        i = keras.Input((7, 4)); x = L.Masking(0.0)(i) if m else i
        x = L.GRU(5, return_sequences=True)(x); x = L.GlobalAveragePooling1D()(x)
        return keras.Model(i, L.Dense(2)(x))

    def self_attention(causal):
        def build(m):
            i = keras.Input((8,)); x = emb(i, mask=m, vocab=30)
            x = L.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=causal)
            x = L.GlobalAveragePooling1D()(x)
            return keras.Model(i, L.Dense(2)(x))
        return build

    def lstm_sequences_stack(m):
        i = keras.Input((8,)); x = emb(i, mask=m); x = L.LSTM(5, return_sequences=True)(x); x = L.LSTM(4)(x)
        return keras.Model(i, L.Dense(2)(x))

    def simple_rnn_backwards(m):
        i = keras.Input((8,)); x = emb(i, mask=m)
        x = L.SimpleRNN(4, go_backwards=True, return_sequences=True)(x); x = L.GlobalMaxPooling1D()(x)
        return keras.Model(i, L.Dense(2)(x))

    def bidirectional_sequences_timedistributed(m):
        i = keras.Input((6, 3)); x = L.Masking(0.0)(i) if m else i
        x = L.Bidirectional(L.GRU(4, return_sequences=True), merge_mode="sum")(x)
        return keras.Model(i, L.TimeDistributed(L.Dense(2))(x))

    def masked_merge(m):
        a = keras.Input((8,)); b = keras.Input((8,))
        x = L.Add()([emb(a, 6, m), emb(b, 6, m)]); x = L.LSTM(3)(x)
        return keras.Model([a, b], L.Dense(1)(x))

    def masking_dense_lstm(m):
        i = keras.Input((5, 3)); x = L.Masking(0.0)(i) if m else i
        x = L.Dense(4)(x); x = L.LSTM(3)(x)
        return keras.Model(i, L.Dense(1)(x))

    def dot_attention(m):
        i = keras.Input((8,)); x = emb(i, mask=m, vocab=30); x = L.Attention()([x, x])
        x = L.GlobalAveragePooling1D()(x)
        return keras.Model(i, L.Dense(2)(x))

    def concatenate_masked(m):
        a = keras.Input((8,)); b = keras.Input((8,))
        x = L.Concatenate()([emb(a, 4, m), emb(b, 3, m)]); x = L.GRU(3)(x)
        return keras.Model([a, b], L.Dense(1)(x))

    return [
        ("text_classifier", text_classifier, [IDS]),
        ("masking_gru_average", masking_gru_average, [fl]),
        ("masked_self_attention", self_attention(False), [IDS]),
        ("masked_causal_attention", self_attention(True), [IDS]),
        ("lstm_sequences_stack", lstm_sequences_stack, [IDS]),
        ("simple_rnn_backwards", simple_rnn_backwards, [IDS]),
        ("bidirectional_sequences_timedistributed", bidirectional_sequences_timedistributed, [fl6]),
        ("masked_merge", masked_merge, [IDS, IDS2]),
        ("masking_dense_lstm", masking_dense_lstm, [fl5]),
        ("dot_attention", dot_attention, [IDS]),
        ("concatenate_masked", concatenate_masked, [IDS, IDS2]),
    ]


def conv_lstm_cases(rng):
    def c1():
        i = keras.Input((4, 10, 3))
        x = L.ConvLSTM1D(4, 3, padding="same", return_sequences=True)(i); x = L.ConvLSTM1D(3, 3, padding="valid")(x)
        return keras.Model(i, L.Dense(2)(L.Flatten()(x)))

    def c2():
        i = keras.Input((3, 8, 8, 2))
        x = L.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True)(i)
        x = L.ConvLSTM2D(2, (3, 3), strides=(2, 2), padding="valid", go_backwards=True)(x)
        return keras.Model(i, L.Dense(2)(L.GlobalAveragePooling2D()(x)))

    def c2s():
        i = keras.Input((3, 6, 6, 2))
        return keras.Model(i, L.ConvLSTM2D(3, (2, 2), return_state=True)(i))

    def c3():
        i = keras.Input((2, 4, 4, 4, 1))
        return keras.Model(i, L.Dense(1)(L.Flatten()(L.ConvLSTM3D(2, (2, 2, 2), padding="same")(i))))

    n = lambda *s: [rng.standard_normal(s).astype("float32")]
    return [("conv_lstm1d_stack", c1, n(2, 4, 10, 3)), ("conv_lstm2d_stack", c2, n(2, 3, 8, 8, 2)),
            ("conv_lstm2d_state", c2s, n(2, 3, 6, 6, 2)), ("conv_lstm3d_small", c3, n(2, 2, 4, 4, 4, 1))]


def randomise(model, rng):
    for w in model.weights:
        w.assign(rng.standard_normal(w.shape).astype("float32") * 0.5)


def run(model, inputs):
    y = model(inputs if len(inputs) > 1 else inputs[0], training=False)
    ys = y if isinstance(y, (list, tuple)) else [y]
    return [np.asarray(v) for v in ys]


def truth(model):
    rows = []
    for layer in model.layers:
        out = layer.output
        mask = any(KB.get_keras_mask(t) is not None for t in (out if isinstance(out, (list, tuple)) else [out]))
        shape = out[0].shape if isinstance(out, (list, tuple)) else out.shape
        rows.append({"name": layer.name, "class": layer.__class__.__name__, "output_shape": list(shape),
                     "params": int(layer.count_params()) if layer.built else 0,
                     "trainable_params": int(sum(np.prod(w.shape) for w in layer.trainable_weights)),
                     "non_trainable_params": int(sum(np.prod(w.shape) for w in layer.non_trainable_weights)),
                     "mask": bool(mask)})
    return {"layers": rows, "totals": {
        "params": int(model.count_params()),
        "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        "non_trainable_params": int(sum(np.prod(w.shape) for w in model.non_trainable_weights))}}


def write(folder, model, inputs, extra_saves=()):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    outputs = run(model, inputs)
    model.save(os.path.join(folder, "model.keras"))
    again = keras.saving.load_model(os.path.join(folder, "model.keras"))
    for a, b in zip(run(again, inputs), outputs):
        assert np.allclose(a, b, atol=1e-6), folder
    with open(os.path.join(folder, "model.json"), "w") as f:
        f.write(model.to_json())
    for name in extra_saves:
        model.save(os.path.join(folder, name))
    for k, x in enumerate(inputs):
        np.save(os.path.join(folder, "input.npy" if len(inputs) == 1 else f"input_{k}.npy"), x)
    for k, y in enumerate(outputs):
        y = y.astype("float32") if np.issubdtype(y.dtype, np.integer) else y
        np.save(os.path.join(folder, "output.npy" if len(outputs) == 1 else f"output_{k}.npy"), y)
    with open(os.path.join(folder, "truth.json"), "w") as f:
        json.dump(truth(model), f, indent=1)


def main():
    rng = np.random.default_rng(20261204)
    for name, build, inputs in mask_cases(rng):
        keras.utils.set_random_seed(1)
        masked, plain = build(True), build(False)
        randomise(masked, rng)
        plain.set_weights(masked.get_weights())
        diff = max(float(np.abs(a - b).max()) for a, b in zip(run(masked, inputs), run(plain, inputs)))
        assert diff > 1e-3, f"{name}: the mask changes nothing ({diff})"
        write(os.path.join(HERE, "execution", "masks", name), masked, inputs)
        print(f"masks/{name}: mask changes outputs by up to {diff:.3g}")
    for name, build, inputs in conv_lstm_cases(rng):
        keras.utils.set_random_seed(1)
        model = build()
        randomise(model, rng)
        write(os.path.join(HERE, "execution", "conv_lstm", name), model, inputs)
        print(f"conv_lstm/{name}")
    keras.utils.set_random_seed(1)
    i = keras.Input((16, 16, 3)); x = i
    for cls, kw in [("AugMix", {}), ("CutMix", {}), ("MixUp", {}), ("RandAugment", {}), ("RandomColorDegeneration", {"factor": 0.5}),
                    ("RandomColorJitter", {"brightness_factor": 0.2}), ("RandomElasticTransform", {}), ("RandomErasing", {}),
                    ("RandomGaussianBlur", {}), ("RandomGrayscale", {}), ("RandomHue", {"factor": 0.5}), ("RandomInvert", {}),
                    ("RandomPerspective", {}), ("RandomPosterization", {"factor": (1, 4)}), ("RandomSaturation", {"factor": 0.5}),
                    ("RandomSharpness", {"factor": 0.5}), ("RandomShear", {}), ("Solarization", {})]:
        x = getattr(L, cls)(**kw)(x)
    model = keras.Model(i, L.Conv2D(2, 3)(x))
    randomise(model, rng)
    image = rng.uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    write(os.path.join(HERE, "execution", "augmentation", "random_layers_identity"), model, [image])
    print("augmentation/random_layers_identity")
    def adaptive(shape, layer):
        def build():
            i = keras.Input(shape[1:])
            return keras.Model(i, layer()(i))
        return build, [rng.standard_normal(shape).astype("float32")]
    pre = [
        ("adaptive_average_1d", *adaptive((2, 10, 3), lambda: L.AdaptiveAveragePooling1D(4))),
        ("adaptive_max_1d", *adaptive((2, 7, 3), lambda: L.AdaptiveMaxPooling1D(3))),
        ("adaptive_average_2d", *adaptive((2, 7, 10, 3), lambda: L.AdaptiveAveragePooling2D((3, 4)))),
        ("adaptive_max_2d_channels_first", *adaptive((2, 3, 9, 5), lambda: L.AdaptiveMaxPooling2D((4, 2), data_format="channels_first"))),
        ("adaptive_average_3d", *adaptive((2, 5, 6, 7, 2), lambda: L.AdaptiveAveragePooling3D((2, 4, 3)))),
        ("adaptive_max_3d", *adaptive((2, 4, 5, 6, 2), lambda: L.AdaptiveMaxPooling3D(3))),
    ]
    for name, build, inputs in pre:
        keras.utils.set_random_seed(1)
        model = build()
        write(os.path.join(HERE, "execution", "preprocessing", name), model, inputs)
        print(f"preprocessing/{name}")
    keras.utils.set_random_seed(1)
    i = keras.Input((5,))
    disc = keras.Model(i, L.Discretization(bin_boundaries=[-1.0, 0.0, 0.5, 2.0])(i))
    values = np.array([[-3, -1, -0.5, 0, 0.25], [0.5, 1.9, 2, 7, -1.0000001]], dtype="float32")
    write(os.path.join(HERE, "execution", "preprocessing", "discretization"), disc, [values])
    print("preprocessing/discretization")
    for name, frozen in [("scaled_dense", False), ("scaled_dense_frozen", True)]:
        keras.utils.set_random_seed(1)
        i = keras.Input((12,)); x = L.Dense(6)(i)
        custom = ScaledDense(6, name="scaled_dense")
        x = custom(x)
        model = keras.Model(i, L.Dense(2)(x))
        randomise(model, rng)
        custom.trainable = not frozen
        write(os.path.join(HERE, "custom", name), model, [rng.standard_normal((2, 12)).astype("float32")],
              extra_saves=("model_legacy.h5",))
        print(f"custom/{name}: {truth(model)['totals']}")


if __name__ == "__main__":
    main()
