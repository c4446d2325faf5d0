#!/usr/bin/env python3
"""Forward-pass fixtures for the core layers no other execution script covers (dropout and
noise layers, which are the identity at inference; ELU, ThresholdedReLU, Softmax; Subtract,
Minimum, Average; Reshape; GlobalMaxPooling2D; the random image-augmentation layers, also
the identity at inference), written by real Keras with the helpers of
make_execution_sequence.py (fixed seeds, every weight randomised, saved files reloaded and
checked, Keras 2 twins where tf_keras has the layers).

    /work/kerasenv/bin/python Tests/Fixtures/make_execution_core.py [case ...]

Output, per case, in execution/core/<case>/ (same files as execution/sequence/).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_execution_sequence as base  # noqa: E402

import numpy as np  # noqa: E402

base.OUT = os.path.join(base.HERE, "execution", "core")
CASES = []


def case(name, inputs, keras2=True, keras3=True):
    def wrap(build):
        CASES.append((name, build, inputs, keras2, keras3))
        return build
    return wrap


@case("dropout_noise_identity", base.normal(2, 8))
def _(k):
    x = k.Input((8,))
    y = k.layers.Dense(6)(x)
    y = k.layers.Dropout(0.3)(y)
    y = k.layers.GaussianNoise(0.2)(y)
    y = k.layers.GaussianDropout(0.2)(y)
    y = k.layers.AlphaDropout(0.1)(y)
    y = k.layers.ActivityRegularization(l1=0.01)(y)
    if hasattr(k.layers, "Identity"):
        y = k.layers.Identity()(y)
    return k.Model(x, k.layers.Dense(3)(y))


@case("spatial_dropouts", base.several((2, 5, 4), (2, 4, 4, 3), (2, 3, 3, 3, 2)))
def _(k):
    a, b, c = k.Input((5, 4)), k.Input((4, 4, 3)), k.Input((3, 3, 3, 2))
    ya = k.layers.Dense(3)(k.layers.SpatialDropout1D(0.5)(a))
    yb = k.layers.Dense(3)(k.layers.SpatialDropout2D(0.5)(b))
    yc = k.layers.Dense(3)(k.layers.SpatialDropout3D(0.5)(c))
    return k.Model([a, b, c], [ya, yb, yc])


@case("elu_softmax", base.normal(2, 6))
def _(k):
    x = k.Input((6,))
    y = k.layers.ELU(alpha=0.7)(k.layers.Dense(5)(x))
    y = k.layers.Softmax(axis=-1)(k.layers.Dense(4)(y))
    return k.Model(x, y)


@case("thresholded_relu", base.normal(2, 6), keras3=False)
def _(k):
    x = k.Input((6,))
    return k.Model(x, k.layers.ThresholdedReLU(theta=0.3)(k.layers.Dense(5)(x)))


@case("subtract_minimum_average", base.several((2, 4), (2, 4)))
def _(k):
    a, b = k.Input((4,)), k.Input((4,))
    da, db = k.layers.Dense(5)(a), k.layers.Dense(5)(b)
    s = k.layers.Subtract()([da, db])
    m = k.layers.Minimum()([da, db])
    v = k.layers.Average()([da, db, s])
    return k.Model([a, b], [s, m, v])


@case("reshape_global_max", base.normal(2, 4, 4, 3))
def _(k):
    x = k.Input((4, 4, 3))
    y = k.layers.Conv2D(6, 3, padding="same")(x)
    g = k.layers.GlobalMaxPooling2D()(y)
    r = k.layers.Reshape((2, 3))(g)
    return k.Model(x, k.layers.Dense(2)(r))


@case("random_augmentation_inference", base.normal(2, 8, 8, 3), keras2=False)
def _(k):
    x = k.Input((8, 8, 3))
    y = k.layers.RandomFlip()(x)
    y = k.layers.RandomRotation(0.2)(y)
    y = k.layers.RandomZoom(0.2)(y)
    y = k.layers.RandomTranslation(0.1, 0.1)(y)
    y = k.layers.RandomContrast(0.3)(y)
    y = k.layers.RandomBrightness(0.2)(y)
    return k.Model(x, k.layers.Conv2D(4, 3)(y))


@case("stochastic_depth", base.normal(2, 4, 4, 3), keras2=False)
def _(k):
    from keras.src.applications.convnext import StochasticDepth
    x = k.Input((4, 4, 3))
    y = k.layers.Conv2D(3, 1)(x)
    return k.Model(x, k.layers.Add()([x, StochasticDepth(0.5)(y)]))


def main(argv):
    only = set(argv)
    os.makedirs(base.OUT, exist_ok=True)
    for name, build, inputs, keras2, keras3 in CASES:
        if only and name not in only:
            continue
        base.make(name, build, inputs, keras2, keras3)


if __name__ == "__main__":
    main(sys.argv[1:])
