#!/usr/bin/env python3
"""Generate forward-pass fixtures for Strata's spatial and preprocessing layers.

Every output here is computed by real Keras; nothing is computed by this script.

Requirements (CI does not run this script; its output is committed):

    pip install keras==3.15.1 tensorflow-cpu==2.21.0 tf-keras==2.21.0 h5py

Usage (from anywhere):

    /work/kerasenv/bin/python Tests/Fixtures/make_execution_spatial.py [case ...]

Output, per case, in `Tests/Fixtures/execution/spatial/<case>/`:

    model.keras          Keras 3 archive (config + weights)
    model_keras2.h5      the same architecture built with tf_keras, the same weights
                         (only where tf_keras has every layer of the case; for a
                         tf_keras-only case, the only model, and the outputs are its own)
    input.npy            fixed-seed batch-2 input (input_0.npy, ... for several inputs)
    output.npy           Keras 3 `model(x, training=False)` (output_0.npy, ... for several);
                         the Keras 2 model is checked against it before anything is written

Every weight is set to a random value (biases, BatchNormalization statistics, adapted
Normalization statistics, PReLU slopes, LayerScale factors), so a forward pass that ignores
one of them does not match.
"""

import os
import shutil
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "execution", "spatial")
CASES = []


def case(name, keras2=True, input_range=None, keras3=True):
    """Register a case. `build(k, keras3)` returns a model built with module `k` (keras
    or tf_keras). keras2=False: tf_keras lacks a layer of the case (no .h5 written).
    keras3=False: tf_keras only (model_keras2.h5 and its own outputs, no model.keras).
    input_range: (low, high) for a uniform input instead of a standard normal one."""

    def register(build):
        CASES.append({"name": name, "build": build, "keras2": keras2, "input_range": input_range,
                      "keras3": keras3})
        return build

    return register


# --- convolutions ------------------------------------------------------------------------

@case("conv1d_causal_dilated_groups")
def conv1d(k, keras3):
    L = k.layers
    x = k.Input(shape=(16, 3))
    y = L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu", name="causal")(x)
    y = L.Conv1D(6, 3, strides=2, padding="same", groups=2, name="grouped_same_s2")(y)
    y = L.Conv1D(5, 2, padding="valid", use_bias=False, name="valid")(y)
    return k.Model(x, y)


@case("conv3d_same_valid_strided")
def conv3d(k, keras3):
    L = k.layers
    x = k.Input(shape=(6, 5, 7, 2))
    y = L.Conv3D(3, 3, padding="same", activation="tanh", name="same")(x)
    y = L.Conv3D(4, (2, 3, 2), strides=(2, 1, 2), padding="valid", name="valid_s2")(y)
    y = L.Conv3D(2, 2, padding="same", dilation_rate=(1, 2, 1), name="dilated")(y)
    return k.Model(x, y)


@case("conv2d_transpose_stride2_output_padding")
def conv2d_transpose(k, keras3):
    L = k.layers
    x = k.Input(shape=(5, 4, 3))
    y = L.Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1, name="same_s2_op1")(x)
    y = L.Conv2DTranspose(3, (3, 2), strides=(2, 1), padding="valid", activation="relu", name="valid_s21")(y)
    y = L.Conv2DTranspose(2, 4, strides=2, padding="same", name="same_s2_k4")(y)
    y = L.Conv2DTranspose(2, 3, strides=3, padding="valid", output_padding=(2, 1), use_bias=False, name="valid_s3_op")(y)
    return k.Model(x, y)


@case("conv1d_conv3d_transpose")
def conv_transpose_1d_3d(k, keras3):
    L = k.layers
    a = k.Input(shape=(7, 3))
    y = L.Conv1DTranspose(4, 3, strides=2, padding="same", name="t1_same_s2")(a)
    y = L.Conv1DTranspose(2, 4, strides=3, padding="valid", output_padding=2, name="t1_valid_op")(y)
    b = k.Input(shape=(3, 2, 3, 2))
    z = L.Conv3DTranspose(3, 3, strides=2, padding="same", output_padding=1, name="t3_same_op")(b)
    z = L.Conv3DTranspose(2, (2, 1, 3), strides=(1, 2, 1), padding="valid", name="t3_valid")(z)
    return k.Model([a, b], [y, z])


@case("depthwise_separable_conv1d")
def depthwise_separable_1d(k, keras3):
    L = k.layers
    x = k.Input(shape=(12, 4))
    y = L.DepthwiseConv1D(3, depth_multiplier=2, padding="same", name="dw_same")(x)
    y = L.SeparableConv1D(5, 3, strides=2, padding="valid", activation="relu", name="sep_valid_s2")(y)
    y = L.DepthwiseConv1D(2, dilation_rate=2, padding="valid", use_bias=False, name="dw_dilated")(y)
    return k.Model(x, y)


# --- pooling, resampling, cropping --------------------------------------------------------

@case("upsampling_nearest_bilinear")
def upsampling(k, keras3):
    L = k.layers
    a = k.Input(shape=(4, 5, 3))
    bilinear = L.UpSampling2D(2, interpolation="bilinear", name="bilinear2")(a)
    bilinear3 = L.UpSampling2D((3, 2), interpolation="bilinear", name="bilinear32")(a)
    nearest = L.UpSampling2D((2, 3), name="nearest23")(a)
    b = k.Input(shape=(5, 2))
    one = L.UpSampling1D(3, name="up1d")(b)
    c = k.Input(shape=(2, 3, 2, 2))
    three = L.UpSampling3D((2, 1, 3), name="up3d")(c)
    return k.Model([a, b, c], [bilinear, bilinear3, nearest, one, three])


@case("cropping_zero_padding_1d_2d_3d")
def cropping_padding(k, keras3):
    L = k.layers
    a = k.Input(shape=(10, 3))
    y1 = L.Cropping1D((2, 1), name="crop1")(L.ZeroPadding1D((1, 2), name="pad1")(a))
    b = k.Input(shape=(6, 7, 2))
    y2 = L.Cropping2D(((1, 0), (2, 1)), name="crop2")(b)
    c = k.Input(shape=(4, 5, 6, 2))
    y3 = L.ZeroPadding3D(((1, 0), (0, 2), (1, 1)), name="pad3")(c)
    y3 = L.Cropping3D(((0, 1), (1, 1), (2, 0)), name="crop3")(y3)
    return k.Model([a, b, c], [y1, y2, y3])


@case("pooling_1d_3d_global")
def pooling(k, keras3):
    L = k.layers
    a = k.Input(shape=(11, 3))
    p = L.MaxPooling1D(3, strides=2, padding="same", name="max1_same")(a)
    p = L.AveragePooling1D(2, padding="same", name="avg1_same")(p)
    q = L.AveragePooling1D(3, strides=1, padding="valid", name="avg1_valid")(a)
    g1 = L.GlobalAveragePooling1D(name="gap1")(q)
    m1 = L.GlobalMaxPooling1D(keepdims=True, name="gmp1")(a)
    b = k.Input(shape=(5, 6, 7, 2))
    r = L.MaxPooling3D(2, padding="same", name="max3_same")(b)
    r = L.AveragePooling3D((2, 2, 3), strides=1, padding="same", name="avg3_same")(r)
    s = L.AveragePooling3D(2, strides=(1, 2, 2), padding="valid", name="avg3_valid")(b)
    g3 = L.GlobalAveragePooling3D(name="gap3")(r)
    m3 = L.GlobalMaxPooling3D(name="gmp3")(s)
    return k.Model([a, b], [p, g1, m1, g3, m3])


# --- preprocessing, activations, merges, operations ----------------------------------------

@case("efficientnet_stem_rescaling_normalization", input_range=(0, 255))
def efficientnet_stem(k, keras3):
    L = k.layers
    x = k.Input(shape=(9, 9, 3))
    y = L.Rescaling(1.0 / 255.0, name="rescale")(x)
    y = L.Normalization(axis=-1, name="normalize")(y)  # adapted: mean/variance/count weights
    y = L.Rescaling([1.0 / 0.229, 1.0 / 0.224, 1.0 / 0.225], offset=0.1, name="rescale_list")(y)
    y = L.Normalization(axis=-1, mean=[0.4, 0.5, 0.6], variance=[0.2, 0.3, 0.1], invert=True, name="invert")(y)
    y = L.Normalization(axis=None, mean=0.25, variance=4.0, name="scalar")(y)
    y = L.ZeroPadding2D(((0, 1), (0, 1)), name="stem_pad")(y)
    y = L.Conv2D(4, 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(y)
    y = L.BatchNormalization(name="stem_bn")(y)
    y = L.Activation("swish", name="stem_act")(y)
    return k.Model(x, y)


@case("prelu_shared_and_full")
def prelu(k, keras3):
    L = k.layers
    x = k.Input(shape=(5, 6, 3))
    y = L.Conv2D(4, 3, padding="same", name="conv")(x)
    y = L.PReLU(shared_axes=[1, 2], name="prelu_channel")(y)
    y = L.Conv2D(3, 1, name="conv1")(y)
    y = L.PReLU(name="prelu_full")(y)
    return k.Model(x, y)


@case("squeeze_excite_block")
def squeeze_excite(k, keras3):
    L = k.layers
    x = k.Input(shape=(6, 6, 8))
    h = L.DepthwiseConv2D(3, padding="same", name="dw")(x)
    h = L.BatchNormalization(name="bn")(h)
    h = L.Activation("swish", name="act")(h)
    # EfficientNet style: GAP, Reshape, two 1x1 convs, Multiply broadcast over (1, 1, C).
    s = L.GlobalAveragePooling2D(name="se_squeeze")(h)
    s = L.Reshape((1, 1, 8), name="se_reshape")(s)
    s = L.Conv2D(2, 1, activation="swish", name="se_reduce")(s)
    s = L.Conv2D(8, 1, activation="sigmoid", name="se_expand")(s)
    y = L.Multiply(name="se_excite")([h, s])
    # GAP keepdims, ReLU, sigmoid, Multiply the other way round (hard_sigmoid differs between the Kerases).
    t = L.GlobalAveragePooling2D(keepdims=True, name="se2_squeeze")(y)
    t = L.Conv2D(4, 1, activation="relu", name="se2_reduce")(t)
    t = L.Conv2D(8, 1, activation="sigmoid", name="se2_expand")(t)
    y = L.Multiply(name="se2_excite")([t, y])
    y = L.Add(name="residual")([y, x])
    return k.Model(x, y)


def hard_swish(k, keras3, x, prefix):
    """MobileNetV3's hard swish as both Kerases save it: operation nodes (Keras 3) or
    TFOpLambda layers (tf.keras)."""
    L = k.layers
    if keras3:
        a = k.ops.add(x, 3.0)
    else:
        a = x + 3.0
    r = L.ReLU(6.0, name=prefix + "_relu6")(a)
    if keras3:
        m = k.ops.multiply(r, 1.0 / 6.0)
    else:
        import tensorflow as tf
        m = tf.math.multiply(r, 1.0 / 6.0)
    return L.Multiply(name=prefix + "_mul")([x, m])


@case("convnext_block_ops")
def convnext_block(k, keras3):
    L = k.layers
    x = k.Input(shape=(7, 7, 8))
    if keras3:
        from keras.src.applications.convnext import LayerScale
    else:
        from tf_keras.src.applications.convnext import LayerScale
    h = L.DepthwiseConv2D(7, padding="same", name="dw7")(x)
    h = L.Dense(16, name="pw_expand")(h)
    h = L.Activation("gelu", name="gelu")(h)
    h = L.Dense(8, name="pw_project")(h)
    h = LayerScale(1e-1, 8, name="layer_scale")(h)
    # ConvNeXt's residual: an `add` operation node in Keras 3, TFOpLambda in tf.keras.
    y = k.ops.add(x, h) if keras3 else x + h
    y = hard_swish(k, keras3, y, "hs")
    if keras3:
        y = k.ops.subtract(2.0, y)
        y = k.ops.divide(y, 4.0)
    else:
        y = 2.0 - y
        y = y / 4.0
    return k.Model(x, y)


@case("inception_resnet_custom_scale")
def custom_scale(k, keras3):
    L = k.layers
    if keras3:
        from keras.src.applications.inception_resnet_v2 import CustomScaleLayer
    else:
        from tf_keras.src.applications.inception_resnet_v2 import CustomScaleLayer
    x = k.Input(shape=(5, 5, 4))
    b = L.Conv2D(4, 3, padding="same", name="branch")(x)
    y = CustomScaleLayer(0.17, name="scaled_sum")([x, b])
    return k.Model(x, y)


@case("keras3_ops_resizing_channels_first", keras2=False)
def keras3_ops(k, keras3):
    """Keras 3 operation nodes with their arguments in the config (reductions, concatenate,
    transpose), channels_first convolutions and pooling, Resizing and CenterCrop."""
    L, ops = k.layers, k.ops
    x = k.Input(shape=(6, 8, 3))
    mean = ops.mean(x, axis=[1, 2], keepdims=True)
    total = ops.sum(x, axis=-1)
    top = ops.max(x, axis=1)
    joined = ops.concatenate([x, ops.multiply(x, 2.0)], axis=-1)
    first = ops.transpose(x, [0, 3, 1, 2])
    # 5 filters on an output 4 wide: with filters == width, TF 2.21 on CPU adds the bias of
    # a channels_first Conv2D along the width (a TF-side bug, checked by hand), not the channels.
    conv = L.Conv2D(5, 3, strides=2, padding="same", data_format="channels_first", name="conv_cf")(first)
    seq = ops.transpose(ops.reshape(x, (-1, 48, 3)), [0, 2, 1])
    conv1 = L.Conv1D(2, 3, padding="same", data_format="channels_first", name="conv1d_cf")(seq)
    pool1 = L.MaxPooling1D(2, data_format="channels_first", name="pool1d_cf")(conv1)
    cf = L.ZeroPadding2D(((1, 0), (0, 2)), data_format="channels_first", name="pad_cf")(conv)
    cf = L.MaxPooling2D(2, padding="same", data_format="channels_first", name="max_cf")(cf)
    cf = L.AveragePooling2D(2, strides=1, padding="valid", data_format="channels_first", name="avg_cf")(cf)
    cf_avg = L.GlobalAveragePooling2D(data_format="channels_first", name="gap_cf")(cf)
    cf_max = L.GlobalMaxPooling2D(data_format="channels_first", keepdims=True, name="gmp_cf")(conv)
    small = L.Resizing(5, 4, interpolation="bilinear", name="resize_bilinear")(x)
    large = L.Resizing(9, 11, interpolation="nearest", name="resize_nearest")(x)
    crop = L.CenterCrop(4, 5, name="center_crop")(x)
    return k.Model(x, [mean, total, top, joined, conv, pool1, small, large, crop, cf_avg, cf_max])


@case("channels_first_layers", keras2=False)
def channels_first_layers(k, keras3):
    """channels_first through the layers that permute to channels_last and back (Keras 3
    computes these on CPU; filters differ from the last axis, see keras3_ops above)."""
    L = k.layers
    a = k.Input(shape=(3, 4, 5))
    t = L.Conv2DTranspose(5, 3, strides=2, padding="same", data_format="channels_first", name="t2_cf")(a)
    u = L.UpSampling2D(2, interpolation="bilinear", data_format="channels_first", name="up_cf")(a)
    c = L.Cropping2D(((1, 0), (0, 2)), data_format="channels_first", name="crop_cf")(a)
    b = k.Input(shape=(2, 3, 4, 5))
    v = L.Conv3D(3, 2, padding="same", data_format="channels_first", name="conv3_cf")(b)
    v = L.MaxPooling3D(2, data_format="channels_first", name="max3_cf")(v)
    w = L.UpSampling3D((1, 2, 1), data_format="channels_first", name="up3_cf")(b)
    w = L.ZeroPadding3D(1, data_format="channels_first", name="pad3_cf")(w)
    g = L.GlobalAveragePooling3D(data_format="channels_first", name="gap3_cf")(b)
    return k.Model([a, b], [t, u, c, v, w, g])


@case("tf_keras_ops", keras3=False)
def tf_keras_ops(k, keras3):
    """tf.keras TFOpLambda layers whose arguments are keyword arguments of the saved call."""
    import tensorflow as tf
    x = k.Input(shape=(4, 5, 3))
    mean = tf.reduce_mean(x, axis=[1, 2], keepdims=True)
    top = tf.math.reduce_max(x, axis=-1)
    joined = tf.concat([x, x * 2.0], axis=-1)
    swapped = tf.transpose(x, perm=[0, 2, 1, 3])
    flat = tf.reshape(x, [-1, 20, 3])
    clipped = tf.nn.relu6(x * 4.0)
    scaled = k.layers.Multiply(name="se_like")([x, tf.math.sigmoid(mean)])
    return k.Model(x, [mean, top, joined, swapped, flat, clipped, scaled])


# --- machinery ----------------------------------------------------------------------------

def randomize(model, rng):
    """Random weights everywhere; variances positive, counts left as they are."""
    for layer in model.layers:
        ws = layer.get_weights()
        if not ws:
            continue
        names = [w.path if hasattr(w, "path") else w.name for w in layer.weights]
        new = []
        for name, w in zip(names, ws):
            if "count" in name:
                new.append(w)
            elif "variance" in name:
                new.append(rng.uniform(0.5, 1.5, w.shape).astype(w.dtype))
            else:
                new.append((rng.standard_normal(w.shape) * 0.5).astype(w.dtype))
        layer.set_weights(new)
        if hasattr(layer, "finalize_state"):
            # Keras 3 Normalization reads its adapted statistics into `mean`/`variance`
            # only here (as it does after loading a file).
            layer.finalize_state()


def make(c, keras, tf_keras):
    name = c["name"]
    folder = os.path.join(OUT, name)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    seed = sum(map(ord, name))
    if not c["keras3"]:
        make_keras2_only(c, tf_keras, folder, seed)
        return
    keras.utils.set_random_seed(seed)
    model = c["build"](keras, True)
    rng = np.random.default_rng(seed)
    randomize(model, rng)
    inputs = model.inputs
    xs = []
    for t in inputs:
        shape = (2,) + tuple(t.shape[1:])
        if c["input_range"]:
            xs.append(rng.uniform(*c["input_range"], shape).astype("float32"))
        else:
            xs.append(rng.standard_normal(shape).astype("float32"))
    ys = model(xs if len(xs) > 1 else xs[0], training=False)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    ys = [np.asarray(y) for y in ys]
    model.save(os.path.join(folder, "model.keras"))
    # The file, read back by Keras, gives the same outputs.
    from keras.src.applications.convnext import LayerScale
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer
    reread = keras.models.load_model(os.path.join(folder, "model.keras"), compile=False,
                                     custom_objects={"LayerScale": LayerScale, "CustomScaleLayer": CustomScaleLayer})
    rs = reread(xs if len(xs) > 1 else xs[0], training=False)
    rs = rs if isinstance(rs, (list, tuple)) else [rs]
    for y, r in zip(ys, rs):
        np.testing.assert_allclose(np.asarray(r), y, rtol=1e-5, atol=1e-6)

    def save(stem, arrays):
        if len(arrays) == 1:
            np.save(os.path.join(folder, stem + ".npy"), arrays[0])
        else:
            for i, a in enumerate(arrays):
                np.save(os.path.join(folder, f"{stem}_{i}.npy"), a)

    save("input", xs)
    save("output", ys)
    note = "Keras 3 only"
    if c["keras2"]:
        tf_keras.utils.set_random_seed(seed)
        legacy = c["build"](tf_keras, False)
        by_name = {l.name: l for l in model.layers}
        for l in legacy.layers:
            if l.get_weights():
                l.set_weights(by_name[l.name].get_weights())
        zs = legacy(xs if len(xs) > 1 else xs[0], training=False)
        zs = zs if isinstance(zs, (list, tuple)) else [zs]
        for y, z in zip(ys, zs):
            np.testing.assert_allclose(np.asarray(z), y, rtol=1e-4, atol=1e-4)
        legacy.save(os.path.join(folder, "model_keras2.h5"))
        note = "Keras 3 + tf_keras .h5 (outputs agree)"
    print(f"{name}: inputs {[x.shape for x in xs]} outputs {[y.shape for y in ys]}; {note}")


def make_keras2_only(c, tf_keras, folder, seed):
    tf_keras.utils.set_random_seed(seed)
    model = c["build"](tf_keras, False)
    rng = np.random.default_rng(seed)
    randomize(model, rng)
    xs = [rng.standard_normal((2,) + tuple(t.shape[1:])).astype("float32") for t in model.inputs]
    ys = model(xs if len(xs) > 1 else xs[0], training=False)
    ys = [np.asarray(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
    path = os.path.join(folder, "model_keras2.h5")
    model.save(path)
    reread = tf_keras.models.load_model(path, compile=False)
    rs = reread(xs if len(xs) > 1 else xs[0], training=False)
    for y, r in zip(ys, rs if isinstance(rs, (list, tuple)) else [rs]):
        np.testing.assert_allclose(np.asarray(r), y, rtol=1e-5, atol=1e-6)
    for stem, arrays in (("input", xs), ("output", ys)):
        if len(arrays) == 1:
            np.save(os.path.join(folder, stem + ".npy"), arrays[0])
        else:
            for i, a in enumerate(arrays):
                np.save(os.path.join(folder, f"{stem}_{i}.npy"), a)
    print(f"{c['name']}: inputs {[x.shape for x in xs]} outputs {[y.shape for y in ys]}; tf_keras only")


def main():
    import keras
    import tf_keras
    wanted = set(sys.argv[1:])
    for c in CASES:
        if wanted and c["name"] not in wanted:
            continue
        make(c, keras, tf_keras)


if __name__ == "__main__":
    main()
