"""Pairs of model versions made with Keras itself, for `strata diff`'s tests
(Tests/Fixtures/diff/). From the seed ResNet-8 (Tests/Fixtures/reference/seed_resnet8/model.keras):

- renamed_dropout.keras: the convolution `conv2d_3` renamed `stage2_conv` and a Dropout(0.25)
  inserted before the Flatten, every weight copied from the seed (1 renamed, 1 added, weights
  unchanged);
- retrained_kernel.keras: the seed with the kernel of `conv2d_5` changed (as if retrained),
  everything else as is (only that layer's weights differ).

- mobilenetv2_alpha075.json: keras.applications.MobileNetV2(alpha=0.75) as a config.

Run once from the repository root: .venv-bench/bin/python scripts/make_diff_fixtures.py (and with
STRATA_DIFF_ALPHA=1 for the MobileNetV2 config)
"""
import copy
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

SEED = "Tests/Fixtures/reference/seed_resnet8/model.keras"
OUT = "Tests/Fixtures/diff"


def rename_refs(obj, old, new):
    if isinstance(obj, dict):
        if obj.get("class_name") == "__keras_tensor__":
            hist = obj["config"]["keras_history"]
            if hist[0] == old:
                obj["config"]["keras_history"] = [new] + list(hist[1:])
        for v in obj.values():
            rename_refs(v, old, new)
    elif isinstance(obj, (list, tuple)):
        if isinstance(obj, list) and len(obj) == 3 and obj[0] == old and isinstance(obj[1], int):
            obj[0] = new
        for v in obj:
            rename_refs(v, old, new)


def main():
    os.makedirs(OUT, exist_ok=True)
    seed = keras.models.load_model(SEED)
    cfg = copy.deepcopy(seed.get_config())
    layers = cfg["layers"]
    # Rename conv2d_3.
    for layer in layers:
        if layer["name"] == "conv2d_3":
            layer["name"] = "stage2_conv"
            layer["config"]["name"] = "stage2_conv"
    rename_refs(layers, "conv2d_3", "stage2_conv")
    rename_refs(cfg["output_layers"], "conv2d_3", "stage2_conv")
    # Insert a Dropout before the Flatten: the Flatten reads the dropout, which reads what the
    # Flatten read.
    flat = next(i for i, l in enumerate(layers) if l["class_name"] == "Flatten")
    source = copy.deepcopy(layers[flat]["inbound_nodes"])
    dropout = {"module": "keras.layers", "class_name": "Dropout", "registered_name": None,
               "config": {"name": "dropout_inserted", "trainable": True, "dtype": layers[flat]["config"].get("dtype"), "rate": 0.25,
                          "seed": None, "noise_shape": None},
               "name": "dropout_inserted", "inbound_nodes": source}
    feed = copy.deepcopy(source)

    def point(obj):
        if isinstance(obj, dict):
            if obj.get("class_name") == "__keras_tensor__":
                obj["config"]["keras_history"] = ["dropout_inserted", 0, 0]
            for v in obj.values():
                point(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                point(v)
    point(feed)
    layers[flat]["inbound_nodes"] = feed
    layers.insert(flat, dropout)
    renamed = keras.Model.from_config(cfg)
    for layer in renamed.layers:
        name = "conv2d_3" if layer.name == "stage2_conv" else layer.name
        if layer.weights:
            layer.set_weights(seed.get_layer(name).get_weights())
    renamed.save(os.path.join(OUT, "renamed_dropout.keras"))
    # Retrain one kernel.
    retrained = keras.models.load_model(SEED)
    layer = retrained.get_layer("conv2d_5")
    kernel, bias = layer.get_weights()
    rng = np.random.default_rng(5)
    layer.set_weights([kernel + rng.normal(0, 0.01, kernel.shape).astype(np.float32), bias])
    retrained.save(os.path.join(OUT, "retrained_kernel.keras"))
    x = np.random.default_rng(0).uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32)
    print("renamed_dropout: same outputs as the seed at inference:", np.allclose(seed(x), renamed(x, training=False), atol=1e-5))
    print("layers:", [l.name for l in renamed.layers])


if __name__ == "__main__":
    main()


def mobilenet_alpha():
    """MobileNetV2 at alpha 0.75 (weights=None), the config only: against the alpha 1.0 config
    in Tests/Fixtures/applications/MobileNetV2 the same layers with new shapes and counts."""
    model = keras.applications.MobileNetV2(alpha=0.75, weights=None)
    with open(os.path.join(OUT, "mobilenetv2_alpha075.json"), "w") as f:
        f.write(model.to_json())


if __name__ == "__main__" and os.environ.get("STRATA_DIFF_ALPHA"):
    mobilenet_alpha()
