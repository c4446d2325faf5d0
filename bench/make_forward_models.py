"""Models for the forward section of `make bench`, made with real Keras and a fixed seed.

For each model it writes into the cache folder (default `.bench-cache/forward/`, git-ignored):

    <name>.keras        the model with its weights (Keras 3 archive)
    <name>.onnx         the same model exported by Keras (`model.export(format="onnx")`,
                        which runs tf2onnx on the TensorFlow graph)
    <name>.input.npy    one fixed float32 input at batch 1
    <name>.output.npy   Keras's own output for that input (`model(x, training=False)`)

Models:
- `seed_resnet8`: the seed model with its stored weights, loaded from
  Tests/Fixtures/reference/seed_resnet8/model.keras.
- `mobilenetv2`, `resnet50`: `keras.applications.*(weights=None)` (224x224x3, 1000 classes,
  softmax), weights initialised by Keras's initializers under `keras.utils.set_random_seed`,
  then every BatchNormalization made non-trivial: gamma ~ U(0.5, 1.5), beta ~ N(0, 0.1), and
  moving mean / variance set from the real per-channel statistics of that layer's input on a
  calibration batch (momentum 0 for one training-mode call), then perturbed (mean + N(0, 0.1)
  x std, variance x U(0.8, 1.25)). So folding BatchNorm into the convolutions is exercised
  with realistic values and activations stay in a sane range through 50 layers.

A model whose four files are all present is not made again (delete the folder to rebuild).
Run by `make bench` inside .venv-bench (keras, tensorflow-cpu, tf2onnx, onnx).
"""
import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import numpy as np  # noqa: E402
import keras  # noqa: E402

SEED = 1234
HERE = os.path.dirname(os.path.abspath(__file__))
SEED_MODEL = os.path.join(HERE, "..", "Tests", "Fixtures", "reference", "seed_resnet8", "model.keras")
MODELS = ["seed_resnet8", "mobilenetv2", "resnet50"]


def files(cache, name):
    return {ext: os.path.join(cache, f"{name}.{ext}") for ext in ("keras", "onnx", "input.npy", "output.npy")}


def calibrate_batchnorm(model, rng, batch):
    """Gives every BatchNormalization non-trivial, realistic weights (see the module note)."""
    bns = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in bns:
        gamma, beta, mean, var = layer.get_weights()
        c = gamma.shape[0]
        layer.set_weights([
            rng.uniform(0.5, 1.5, c).astype(np.float32),
            rng.normal(0.0, 0.1, c).astype(np.float32),
            mean, var,
        ])
    # One training-mode call with momentum 0 sets each moving mean / variance to the
    # statistics of that layer's real input on the calibration batch.
    saved = [layer.momentum for layer in bns]
    for layer in bns:
        layer.momentum = 0.0
    model(batch, training=True)
    for layer, momentum in zip(bns, saved):
        layer.momentum = momentum
    for layer in bns:
        gamma, beta, mean, var = layer.get_weights()
        c = mean.shape[0]
        std = np.sqrt(var + layer.epsilon)
        mean = mean + rng.normal(0.0, 0.1, c).astype(np.float32) * std
        var = var * rng.uniform(0.8, 1.25, c).astype(np.float32)
        layer.set_weights([gamma, beta, mean.astype(np.float32), var.astype(np.float32)])
    return len(bns)


def build(name, rng):
    if name == "seed_resnet8":
        model = keras.models.load_model(SEED_MODEL, compile=False)
        shape = tuple(model.inputs[0].shape[1:])
        x = rng.standard_normal((1,) + shape).astype(np.float32)
        return model, x, 0
    keras.utils.set_random_seed(SEED)
    if name == "mobilenetv2":
        model = keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3))
    elif name == "resnet50":
        model = keras.applications.ResNet50(weights=None, input_shape=(224, 224, 3))
    else:
        raise ValueError(name)
    calibration = rng.standard_normal((8, 224, 224, 3)).astype(np.float32)
    count = calibrate_batchnorm(model, rng, calibration)
    x = rng.standard_normal((1, 224, 224, 3)).astype(np.float32)
    return model, x, count


def make(name, cache):
    out = files(cache, name)
    if all(os.path.exists(p) for p in out.values()):
        print(f"{name}: cached in {cache}")
        return
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    model, x, bn_count = build(name, rng)
    y = np.asarray(model(x, training=False)).astype(np.float32)
    model.save(out["keras"])
    # Keras's ONNX export (tf2onnx underneath); it needs a model that has been called.
    model.export(out["onnx"], format="onnx", verbose=False)
    np.save(out["input.npy"], x)
    np.save(out["output.npy"], y)
    # The saved .keras must give back the same output (no weight lost on the way).
    again = keras.models.load_model(out["keras"], compile=False)
    y2 = np.asarray(again(x, training=False))
    err = float(np.max(np.abs(y2 - y)))
    if err > 1e-5 * max(1.0, float(np.max(np.abs(y)))):
        sys.exit(f"{name}: the reloaded .keras differs from the model by {err}")
    print(f"{name}: {model.count_params():,} params, {bn_count} BatchNormalization calibrated, "
          f"input {x.shape}, output {y.shape} (max {float(y.max()):.4g}); "
          f"made in {time.perf_counter() - start:.1f} s")
    keras.backend.clear_session()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=".bench-cache/forward")
    parser.add_argument("--only", nargs="*", choices=MODELS, default=MODELS)
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    for name in args.only:
        make(name, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
