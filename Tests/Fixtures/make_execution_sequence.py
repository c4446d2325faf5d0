#!/usr/bin/env python3
"""Forward-pass fixtures for sequence, text and attention layers, written by real Keras.

Each case is a small functional model built with a fixed seed. Every weight (biases, gates,
scales included) is overwritten with fixed-seed random values, so a forward pass that swaps
gate order or ignores a bias does not match. Keras computes the outputs; nothing here is
computed by hand.

Run with the project's Keras venv (CI does not run it; its output is committed):

    /work/kerasenv/bin/python Tests/Fixtures/make_execution_sequence.py [case ...]

Output, per case, in execution/sequence/<case>/:

    model.keras          Keras 3 archive with the randomised weights
    input.npy            float32 input (input_0.npy, input_1.npy, ... for several inputs,
                         in model.inputs order; integer ids are stored as float32)
    output.npy           Keras 3's output (output_0.npy, ... for several)
    model_keras2.h5      where tf_keras (legacy Keras 2) has every layer: the same model
                         built with tf_keras, given the same weights; its own outputs are
                         checked equal to Keras 3's (so the same output files apply).
                         A tf_keras-only case (`keras3=False`) has no model.keras and its
                         outputs are tf_keras's.

Both saved files are reloaded and run again before anything is written, so the files hold
what was checked.
"""

import os
import shutil
import sys
import tempfile

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "execution", "sequence")

CASES = []


def case(name, inputs, keras2=True, keras3=True):
    """Registers `build(k) -> model` under `name`. `inputs(rng)` gives the numpy inputs.
    `keras3=False`: tf_keras only (no model.keras; the outputs are tf_keras's)."""
    def wrap(build):
        CASES.append((name, build, inputs, keras2, keras3))
        return build
    return wrap


def normal(*shape):
    return lambda rng: [rng.standard_normal(shape).astype(np.float32)]


def several(*shapes):
    return lambda rng: [rng.standard_normal(s).astype(np.float32) for s in shapes]


def ids(shape, low, high):
    return lambda rng: [rng.integers(low, high, size=shape).astype(np.int32)]


# --------------------------------------------------------------------------------------
# Recurrent layers
# --------------------------------------------------------------------------------------


@case("lstm_sequences_state", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    out = k.layers.LSTM(4, return_sequences=True, return_state=True, name="lstm")(x)
    return k.Model(x, out)


@case("lstm_backwards_nobias_relu", normal(2, 6, 3))
def _(k):
    x = k.Input((6, 3))
    y = k.layers.LSTM(4, go_backwards=True, use_bias=False, activation="relu",
                      recurrent_activation="sigmoid", return_sequences=True, name="lstm")(x)
    return k.Model(x, y)


# hard_sigmoid differs between Keras 3 (x/6 + 1/2) and Keras 2 (0.2 x + 0.5): one case each.
@case("lstm_hard_sigmoid_keras3", normal(2, 4, 3), keras2=False)
def _(k):
    x = k.Input((4, 3))
    y = k.layers.LSTM(3, recurrent_activation="hard_sigmoid", name="lstm")(x)
    return k.Model(x, y)


@case("lstm_hard_sigmoid_keras2", normal(2, 4, 3), keras3=False)
def _(k):
    x = k.Input((4, 3))
    y = k.layers.LSTM(3, recurrent_activation="hard_sigmoid", name="lstm")(x)
    return k.Model(x, y)


@case("lstm_initial_state", several((2, 4, 3), (2, 5), (2, 5)))
def _(k):
    x = k.Input((4, 3))
    h = k.Input((5,))
    c = k.Input((5,))
    y = k.layers.LSTM(5, name="lstm")(x, initial_state=[h, c])
    return k.Model([x, h, c], y)


@case("gru_reset_after", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    y = k.layers.GRU(4, return_sequences=True, name="gru")(x)
    return k.Model(x, y)


@case("gru_reset_before_state_backwards", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    out = k.layers.GRU(4, reset_after=False, return_state=True, go_backwards=True, name="gru")(x)
    return k.Model(x, out)


@case("simple_rnn_stack", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    y = k.layers.SimpleRNN(6, return_sequences=True, activation="relu", name="rnn1")(x)
    out = k.layers.SimpleRNN(3, return_state=True, name="rnn2")(y)
    return k.Model(x, out)


@case("stacked_lstm_gru", normal(2, 6, 4))
def _(k):
    x = k.Input((6, 4))
    y = k.layers.LSTM(5, return_sequences=True, name="lstm")(x)
    y = k.layers.GRU(3, name="gru")(y)
    y = k.layers.Dense(2, name="head")(y)
    return k.Model(x, y)


@case("embedding_mask_zero_lstm", ids((2, 6), 1, 12))
def _(k):
    x = k.Input((6,), dtype="int32")
    y = k.layers.Embedding(12, 4, mask_zero=True, name="embedding")(x)
    y = k.layers.LSTM(3, name="lstm")(y)
    return k.Model(x, y)


@case("rnn_cells", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    y = k.layers.RNN(k.layers.LSTMCell(4), return_sequences=True, name="rnn_lstm")(x)
    cells = [k.layers.GRUCell(3), k.layers.SimpleRNNCell(2, activation="relu")]
    out = k.layers.RNN(cells, return_state=True, go_backwards=True, name="rnn_stack")(y)
    return k.Model(x, out)


# --------------------------------------------------------------------------------------
# Wrappers
# --------------------------------------------------------------------------------------


@case("bidirectional_lstm_concat", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    y = k.layers.Bidirectional(k.layers.LSTM(4, return_sequences=True), name="bidi")(x)
    return k.Model(x, y)


@case("bidirectional_lstm_sum", normal(2, 5, 3))
def _(k):
    x = k.Input((5, 3))
    y = k.layers.Bidirectional(k.layers.LSTM(3), merge_mode="sum", name="bidi")(x)
    return k.Model(x, y)


@case("bidirectional_gru_mul", normal(2, 4, 3))
def _(k):
    x = k.Input((4, 3))
    y = k.layers.Bidirectional(k.layers.GRU(3, return_sequences=True), merge_mode="mul", name="bidi")(x)
    return k.Model(x, y)


@case("bidirectional_rnn_ave", normal(2, 4, 3))
def _(k):
    x = k.Input((4, 3))
    y = k.layers.Bidirectional(k.layers.SimpleRNN(3, return_sequences=True), merge_mode="ave", name="bidi")(x)
    return k.Model(x, y)


@case("bidirectional_gru_none", normal(2, 4, 3))
def _(k):
    x = k.Input((4, 3))
    out = k.layers.Bidirectional(k.layers.GRU(3, return_sequences=True), merge_mode=None, name="bidi")(x)
    return k.Model(x, out)


@case("bidirectional_lstm_state", normal(2, 4, 3))
def _(k):
    x = k.Input((4, 3))
    out = k.layers.Bidirectional(k.layers.LSTM(3, return_state=True), name="bidi")(x)
    return k.Model(x, out)


@case("bidirectional_lstm_initial_state", several((2, 4, 3), (2, 3), (2, 3), (2, 3), (2, 3)))
def _(k):
    x = k.Input((4, 3))
    states = [k.Input((3,)) for _ in range(4)]
    y = k.layers.Bidirectional(k.layers.LSTM(3, return_sequences=True), name="bidi")(x, initial_state=states)
    return k.Model([x] + states, y)


@case("time_distributed_dense", normal(2, 4, 3))
def _(k):
    x = k.Input((4, 3))
    y = k.layers.TimeDistributed(k.layers.Dense(5, activation="tanh"), name="td")(x)
    return k.Model(x, y)


@case("time_distributed_conv2d", normal(2, 3, 5, 5, 2))
def _(k):
    x = k.Input((3, 5, 5, 2))
    y = k.layers.TimeDistributed(k.layers.Conv2D(3, 3, activation="relu"), name="td")(x)
    return k.Model(x, y)


# --------------------------------------------------------------------------------------
# Embedding and attention
# --------------------------------------------------------------------------------------


@case("embedding_dense", ids((2, 5), 0, 20))
def _(k):
    x = k.Input((5,), dtype="int32")
    y = k.layers.Embedding(20, 6, name="embedding")(x)
    y = k.layers.Dense(3, name="dense")(y)
    return k.Model(x, y)


@case("category_encoding", lambda rng: [rng.integers(0, 6, size=(3, 4)).astype(np.int32),
                                        rng.integers(0, 6, size=(3, 1)).astype(np.int32)])
def _(k):
    x = k.Input((4,), dtype="int32")
    one = k.Input((1,), dtype="int32")
    a = k.layers.CategoryEncoding(6, output_mode="multi_hot", name="multi_hot")(x)
    b = k.layers.CategoryEncoding(6, output_mode="count", name="count")(x)
    c = k.layers.CategoryEncoding(6, output_mode="one_hot", name="one_hot")(one)
    return k.Model([x, one], [a, b, c])


@case("einsum_dense", normal(2, 3, 4))
def _(k):
    x = k.Input((3, 4))
    a = k.layers.EinsumDense("abc,cd->abd", output_shape=(None, 5), bias_axes="d", name="proj")(x)
    b = k.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", name="heads")(x)
    b = k.layers.EinsumDense("abde,dec->abc", output_shape=(None, 4), bias_axes="c", activation="relu", name="merge")(b)
    c = k.layers.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c", activation="tanh", name="elided")(x)
    d = k.layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), name="no_bias")(x)
    return k.Model(x, [a, b, c, d])


def einsum_inner_bias(k):
    x = k.Input((3, 4))
    y = k.layers.EinsumDense("abc,cd->abd", output_shape=(3, 3), bias_axes="b", name="bias_b")(x)
    return k.Model(x, y)


# A bias on an axis before the last (bias shape (3, 1)): tf_keras broadcasts it over d as
# numpy would; Keras 3.15 adds it along d instead. Strata follows tf_keras and refuses the
# Keras 3 file (the Keras 3 case is kept as a refusal test).
case("einsum_dense_inner_bias_keras2", normal(2, 3, 4), keras3=False)(einsum_inner_bias)
case("einsum_dense_inner_bias_keras3", normal(2, 3, 4), keras2=False)(einsum_inner_bias)


@case("mha_self", normal(2, 5, 8))
def _(k):
    x = k.Input((5, 8))
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(x, x)
    return k.Model(x, y)


@case("mha_cross_key_nobias", several((2, 4, 5), (2, 6, 7), (2, 6, 3)))
def _(k):
    q = k.Input((4, 5))
    v = k.Input((6, 7))
    key = k.Input((6, 3))
    y = k.layers.MultiHeadAttention(num_heads=3, key_dim=4, value_dim=2, output_shape=6, use_bias=False,
                                    name="mha")(q, v, key=key)
    return k.Model([q, v, key], y)


@case("mha_scores", several((2, 4, 6), (2, 4, 6)))
def _(k):
    q = k.Input((4, 6))
    v = k.Input((4, 6))
    out = k.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(q, v, return_attention_scores=True)
    return k.Model([q, v], list(out))


@case("mha_rank4_axes", normal(2, 3, 4, 5))
def _(k):
    x = k.Input((3, 4, 5))
    a = k.layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(2,), name="mha_axis2")(x, x)
    b = k.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha_all")(x, x)
    y = k.layers.Concatenate(name="concat")([a, b])
    return k.Model(x, y)


@case("mha_causal", normal(2, 5, 6))
def _(k):
    x = k.Input((5, 6))
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(x, x, use_causal_mask=True)
    return k.Model(x, y)


@case("mha_gate_keras3", several((2, 4, 6), (2, 5, 6)), keras2=False)
def _(k):
    q = k.Input((4, 6))
    v = k.Input((5, 6))
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2, use_gate=True, name="mha")(q, v)
    return k.Model([q, v], y)


# Refused by Strata (masks are not applied): the test expects a clear error, not these outputs.
@case("mha_attention_mask", lambda rng: [rng.standard_normal((2, 3, 4)).astype(np.float32),
                                         (rng.random((2, 3, 3)) > 0.3)])
def _(k):
    x = k.Input((3, 4))
    m = k.Input((3, 3), dtype="bool")
    y = k.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")(x, x, attention_mask=m)
    return k.Model([x, m], y)


@case("attention_causal", several((2, 4, 3), (2, 4, 3)))
def _(k):
    q = k.Input((4, 3))
    v = k.Input((4, 3))
    y = k.layers.Attention(name="attention")([q, v], use_causal_mask=True)
    return k.Model([q, v], y)


@case("attention_dot_scale", several((2, 3, 4), (2, 5, 6), (2, 5, 4)))
def _(k):
    q = k.Input((3, 4))
    v = k.Input((5, 6))
    key = k.Input((5, 4))
    y = k.layers.Attention(use_scale=True, name="attention")([q, v, key])
    return k.Model([q, v, key], y)


@case("attention_concat_scores", several((2, 3, 4), (2, 5, 4)))
def _(k):
    q = k.Input((3, 4))
    v = k.Input((5, 4))
    out = k.layers.Attention(score_mode="concat", use_scale=True, name="attention")([q, v], return_attention_scores=True)
    return k.Model([q, v], list(out))


# tf_keras sizes AdditiveAttention's scale by the value width, so it cannot build a value
# wider than the query: Keras 3 only.
@case("additive_attention_keras3", several((2, 3, 4), (2, 5, 6), (2, 5, 4)), keras2=False)
def _(k):
    q = k.Input((3, 4))
    v = k.Input((5, 6))
    key = k.Input((5, 4))
    y = k.layers.AdditiveAttention(name="attention")([q, v, key])
    return k.Model([q, v, key], y)


@case("additive_attention_scores", several((2, 3, 4), (2, 5, 4)))
def _(k):
    q = k.Input((3, 4))
    v = k.Input((5, 4))
    out = k.layers.AdditiveAttention(name="attention")([q, v], return_attention_scores=True)
    return k.Model([q, v], list(out))


@case("transformer_block", ids((2, 6), 0, 30))
def _(k):
    x = k.Input((6,), dtype="int32")
    e = k.layers.Embedding(30, 8, name="embedding")(x)
    a = k.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(e, e)
    h = k.layers.Add(name="add1")([e, a])
    h = k.layers.LayerNormalization(epsilon=1e-6, name="ln1")(h)
    f = k.layers.Dense(16, activation="relu", name="ffn1")(h)
    f = k.layers.Dense(8, name="ffn2")(f)
    h = k.layers.Add(name="add2")([h, f])
    h = k.layers.LayerNormalization(epsilon=1e-6, name="ln2")(h)
    y = k.layers.Dense(3, name="head")(h)
    return k.Model(x, y)


# --------------------------------------------------------------------------------------
# Normalization and reshaping
# --------------------------------------------------------------------------------------


@case("layer_norm_axes", normal(2, 3, 4))
def _(k):
    x = k.Input((3, 4))
    a = k.layers.LayerNormalization(epsilon=1e-3, name="ln_last")(x)
    b = k.layers.LayerNormalization(axis=[1, 2], center=False, name="ln_both")(x)
    c = k.layers.LayerNormalization(axis=1, scale=False, name="ln_mid")(x)
    y = k.layers.Concatenate(name="concat")([a, b, c])
    return k.Model(x, y)


@case("layer_norm_rms_keras3", normal(2, 3, 4), keras2=False)
def _(k):
    x = k.Input((3, 4))
    a = k.layers.LayerNormalization(rms_scaling=True, name="ln_rms")(x)
    b = k.layers.RMSNormalization(name="rms")(x)
    c = k.layers.RMSNormalization(axis=[1, 2], epsilon=1e-3, name="rms_both")(x)
    y = k.layers.Concatenate(name="concat")([a, b, c])
    return k.Model(x, y)


@case("group_unit_norm", normal(2, 3, 6))
def _(k):
    x = k.Input((3, 6))
    a = k.layers.GroupNormalization(groups=3, epsilon=1e-3, name="gn")(x)
    b = k.layers.GroupNormalization(groups=2, axis=1, center=False, name="gn_axis1")(k.layers.Permute((2, 1))(x))
    b = k.layers.Permute((2, 1), name="back")(b)
    c = k.layers.UnitNormalization(name="un")(x)
    d = k.layers.UnitNormalization(axis=[1, 2], name="un_both")(x)
    y = k.layers.Concatenate(name="concat")([a, b, c, d])
    return k.Model(x, y)


@case("dot_repeat_permute", several((2, 3, 4), (2, 5, 4), (2, 4)))
def _(k):
    a = k.Input((3, 4))
    b = k.Input((5, 4))
    v = k.Input((4,))
    d = k.layers.Dot(axes=(2, 2), name="dot")([a, b])              # (2, 3, 5)
    r = k.layers.RepeatVector(3, name="repeat")(v)                  # (2, 3, 4)
    p = k.layers.Permute((2, 1), name="permute")(r)                 # (2, 4, 3)
    cos = k.layers.Dot(axes=2, normalize=True, name="cosine")([a, r])  # (2, 3, 3)
    return k.Model([a, b, v], [d, p, cos])


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


def check_close(name, what, a, b, atol=1e-5, rtol=1e-4):
    assert len(a) == len(b), f"{name}: {what}: {len(a)} outputs vs {len(b)}"
    for i, (x, y) in enumerate(zip(a, b)):
        assert x.shape == y.shape, f"{name}: {what}: output {i} shape {x.shape} vs {y.shape}"
        err = float(np.max(np.abs(x - y))) if x.size else 0.0
        assert np.allclose(x, y, atol=atol, rtol=rtol), f"{name}: {what}: output {i} differs by {err}"


def save_numbered(folder, stem, arrays):
    arrays = [np.asarray(a) for a in arrays]
    if len(arrays) == 1:
        np.save(os.path.join(folder, f"{stem}.npy"), arrays[0].astype(np.float32))
    else:
        for i, a in enumerate(arrays):
            np.save(os.path.join(folder, f"{stem}_{i}.npy"), a.astype(np.float32))


def make_keras2_only(name, build, inputs):
    import tf_keras
    seed = sum(ord(c) for c in name)
    tf_keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    xs = inputs(rng)
    model = build(tf_keras)
    randomise(model, rng)
    feed = xs if len(xs) > 1 else xs[0]
    want = as_list(model(feed, training=False))
    tmp = tempfile.mkdtemp()
    try:
        path2 = os.path.join(tmp, "model_keras2.h5")
        model.save(path2, save_format="h5")
        back = tf_keras.models.load_model(path2)
        check_close(name, "reloaded tf_keras .h5", as_list(back(feed, training=False)), want, atol=0, rtol=0)
        folder = os.path.join(OUT, name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        shutil.copy(path2, os.path.join(folder, "model_keras2.h5"))
        save_numbered(folder, "input", xs)
        save_numbered(folder, "output", want)
        print(f"{name}: {len(xs)} input(s), outputs {[w.shape for w in want]} (tf_keras only)")
    finally:
        shutil.rmtree(tmp)


def make(name, build, inputs, keras2, keras3=True):
    if not keras3:
        return make_keras2_only(name, build, inputs)
    import keras
    seed = sum(ord(c) for c in name)
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    xs = inputs(rng)
    model = build(keras)
    randomise(model, rng)
    feed = xs if len(xs) > 1 else xs[0]
    want = as_list(model(feed, training=False))

    tmp = tempfile.mkdtemp()
    try:
        path3 = os.path.join(tmp, "model.keras")
        model.save(path3)
        again = keras.saving.load_model(path3)
        check_close(name, "reloaded .keras", as_list(again(feed, training=False)), want, atol=0, rtol=0)
        path2 = None
        if keras2:
            import tf_keras
            tf_keras.utils.set_random_seed(seed)
            m2 = build(tf_keras)
            m2.set_weights(model.get_weights())
            check_close(name, "tf_keras", as_list(m2(feed, training=False)), want)
            path2 = os.path.join(tmp, "model_keras2.h5")
            m2.save(path2, save_format="h5")
            back = tf_keras.models.load_model(path2)
            check_close(name, "reloaded tf_keras .h5", as_list(back(feed, training=False)), want)
        folder = os.path.join(OUT, name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        shutil.copy(path3, os.path.join(folder, "model.keras"))
        if path2:
            shutil.copy(path2, os.path.join(folder, "model_keras2.h5"))
        save_numbered(folder, "input", xs)
        save_numbered(folder, "output", want)
        print(f"{name}: {len(xs)} input(s), outputs {[w.shape for w in want]}"
              f"{' + keras2' if path2 else ''}")
    finally:
        shutil.rmtree(tmp)


def main(argv):
    only = set(argv)
    known = {c[0] for c in CASES}
    unknown = only - known
    if unknown:
        sys.exit(f"unknown case(s): {sorted(unknown)}; known: {sorted(known)}")
    os.makedirs(OUT, exist_ok=True)
    for name, build, inputs, keras2, keras3 in CASES:
        if only and name not in only:
            continue
        make(name, build, inputs, keras2, keras3)


if __name__ == "__main__":
    main(sys.argv[1:])
