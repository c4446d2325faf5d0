"""Small Keras-made models for the execution plan's tests (Tests/KerasFormatTests/ExecutionPlanTests.swift).

Run with real Keras 3 (the project's venv): /work/kerasenv/bin/python Tests/Fixtures/make_plan_fixtures.py

    plan/conv_bn/model.json      Input (1, 1, 2) -> Conv2D(1, 1x1) -> BatchNormalization; the test sets
                                 weights by hand and checks the folded result on paper.
    plan/dense_chain/model.json  Input (8,) -> Dense(16) -> Dense(4) -> Dense(2); the test checks the
                                 plan's activation bytes by hand.
    plan/residual/               Input (5, 5, 3) -> Conv2D(3, 3x3, relu) -> Conv2D(3, 3x3) -> BN ->
                                 Add(with the input) -> ReLU -> Conv2D(4, 1x1, bias) -> BN -> ReLU6 ->
                                 ZeroPadding2D -> DepthwiseConv2D (valid) -> BN -> Activation(swish) -> GlobalAveragePooling2D -> Dense(3, softmax)
                                 model.keras with random weights (BN statistics set non-trivially),
                                 input.npy and Keras's output.npy.
    plan/standalone/             Layers that do not fuse: Conv2D(relu) -> BN (standalone) used three
                                 times -> sigmoid, LeakyReLU -> Multiply -> Maximum with the BN ->
                                 Concatenate with the BN -> Flatten -> Dense; same files as residual.
"""
import os
import numpy as np
import keras
from keras import layers

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plan")


def folder(name):
    path = os.path.join(HERE, name)
    os.makedirs(path, exist_ok=True)
    return path


def conv_bn():
    x = keras.Input((1, 1, 2), name="x")
    y = layers.Conv2D(1, 1, use_bias=True, name="conv")(x)
    y = layers.BatchNormalization(epsilon=0.25, name="bn")(y)
    m = keras.Model(x, y, name="conv_bn")
    open(os.path.join(folder("conv_bn"), "model.json"), "w").write(m.to_json())


def dense_chain():
    x = keras.Input((8,), name="x")
    y = layers.Dense(16, name="d1")(x)
    y = layers.Dense(4, name="d2")(y)
    y = layers.Dense(2, name="d3")(y)
    m = keras.Model(x, y, name="dense_chain")
    open(os.path.join(folder("dense_chain"), "model.json"), "w").write(m.to_json())


def residual():
    keras.utils.set_random_seed(7)
    x = keras.Input((5, 5, 3), name="x")
    y = layers.Conv2D(3, 3, padding="same", activation="relu", name="c1")(x)
    y = layers.Conv2D(3, 3, padding="same", use_bias=False, name="c2")(y)
    y = layers.BatchNormalization(name="bn2")(y)
    y = layers.Add(name="add")([y, x])
    y = layers.ReLU(name="relu")(y)
    y = layers.Conv2D(4, 1, name="c3")(y)
    y = layers.BatchNormalization(name="bn3")(y)
    y = layers.ReLU(6.0, name="relu6")(y)
    y = layers.ZeroPadding2D(((0, 1), (0, 1)), name="pad")(y)
    y = layers.DepthwiseConv2D(3, strides=2, padding="valid", use_bias=False, name="dw")(y)
    y = layers.BatchNormalization(name="bn4")(y)
    y = layers.Activation("swish", name="swish")(y)
    y = layers.GlobalAveragePooling2D(name="gap")(y)
    y = layers.Dense(3, activation="softmax", name="fc")(y)
    m = keras.Model(x, y, name="residual")
    rng = np.random.default_rng(7)
    for layer in m.layers:
        if isinstance(layer, layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 1.5, c), rng.uniform(-0.5, 0.5, c),
                               rng.uniform(-0.3, 0.3, c), rng.uniform(0.5, 2.0, c)])
    out = folder("residual")
    inp = rng.uniform(-1, 1, (2, 5, 5, 3)).astype(np.float32)
    m.save(os.path.join(out, "model.keras"))
    np.save(os.path.join(out, "input.npy"), inp)
    np.save(os.path.join(out, "output.npy"), np.asarray(m.predict(inp, verbose=0), dtype=np.float32))


def standalone():
    keras.utils.set_random_seed(11)
    x = keras.Input((4, 4, 3), name="x")
    c = layers.Conv2D(4, 3, padding="same", activation="relu", name="c1")(x)
    bn = layers.BatchNormalization(name="bn")(c)
    sig = layers.Activation("sigmoid", name="sig")(bn)
    lr = layers.LeakyReLU(negative_slope=0.1, name="lrelu")(bn)
    m = layers.Multiply(name="mul")([sig, lr])
    mx = layers.Maximum(name="max")([m, bn])
    cat = layers.Concatenate(name="cat")([mx, bn])
    y = layers.Flatten(name="flat")(cat)
    y = layers.Dense(2, name="fc")(y)
    model = keras.Model(x, y, name="standalone")
    rng = np.random.default_rng(11)
    layer = model.get_layer("bn")
    layer.set_weights([rng.uniform(0.5, 1.5, 4), rng.uniform(-0.5, 0.5, 4), rng.uniform(-0.3, 0.3, 4), rng.uniform(0.5, 2.0, 4)])
    out = folder("standalone")
    inp = rng.uniform(-1, 1, (2, 4, 4, 3)).astype(np.float32)
    model.save(os.path.join(out, "model.keras"))
    np.save(os.path.join(out, "input.npy"), inp)
    np.save(os.path.join(out, "output.npy"), np.asarray(model.predict(inp, verbose=0), dtype=np.float32))


if __name__ == "__main__":
    conv_bn()
    dense_chain()
    residual()
    standalone()
