#!/usr/bin/env python3
"""Preprocessing and augmentation fixtures, written by real Keras 3 (15.1).

execution/augmentation/<case>/ the random augmentation layers Keras 3.15 added (AugMix,
                            CutMix, MixUp, RandAugment, RandomColor*, RandomElasticTransform,
                            RandomErasing, RandomGaussianBlur, RandomGrayscale, RandomHue,
                            RandomInvert, RandomPerspective, RandomPosterization,
                            RandomSaturation, RandomSharpness, RandomShear, Solarization) in one
                            model: all the identity at inference, as Keras's outputs show.
execution/preprocessing/<case>/ adaptive average and max pooling (1-D, 2-D channels first and
                            last, 3-D; sizes that do not divide the input) and Discretization.

Each case folder: model.keras (fixed-seed random weights), model.json (its config, so the
class appears among the configs), input.npy, output.npy (Keras's outputs at inference,
integers stored as float32), truth.json: {"layers": [{name, class, output_shape, params,
trainable_params, non_trainable_params, mask}], "totals": {...}} from Keras's own objects.
Saved files are reloaded and rerun before writing. (The padding-mask, ConvLSTM and custom-
layer fixtures come from make_execution_masks.py.)

    .venv-bench/bin/python Tests/Fixtures/make_execution_preprocessing.py
"""
import json, os, shutil, sys, tempfile
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L
from keras.src import backend as KB

HERE = os.path.dirname(os.path.abspath(__file__))


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


if __name__ == "__main__":
    main()
