#!/usr/bin/env python3
"""One Keras-made model per layer class that the forward pass learned to run for issue 15,
written by real Keras 3 (3.15.1, TensorFlow backend).

execution/classes/<case>/: GroupedQueryAttention (self, cross with a separate key, causal
with a sliding window and a gate, behind a padding mask), MultiHeadAttention with a sliding
window, SpectralNormalization around Dense and Conv2D, Pipeline, AutoContrast,
CategoryEncoding, IntegerLookup (vocabulary in the config and learnt by adapt, one-hot,
multi-hot with a mask token, inverted) and ReversibleEmbedding (tied and untied, called
forward and in reverse), STFTSpectrogram (log, magnitude, psd, stft, angle; valid and same
padding, channels first and expanded), MelSpectrogram (dB and power; hann and hamming) and
ContrastLimitedAdaptiveHistogramEqualization, and padding masks into and out of nested models
(masked_*_nested_model), and a masked Softmax. (Equalization cannot be saved in an inference
graph: Keras returns its input unchanged, so a model records no node for it.)

Each case folder: model.keras (fixed-seed random weights), model.json, input*.npy,
output*.npy (Keras's outputs at inference, integers stored as float32) and truth.json as in
make_execution_preprocessing.py, whose helpers this script uses.

    .venv-bench/bin/python Tests/Fixtures/make_execution_classes.py [case ...]

(Cases named on the command line are written alone; the random inputs of the others are
drawn in order, so a new case goes last.)
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L
from make_execution_preprocessing import HERE, randomise, write, run

OUT = os.path.join(HERE, "execution", "classes")


ONLY = set(sys.argv[1:])


def case(name, build, inputs, rng, check_mask_matters=None):
    if ONLY and name not in ONLY:
        return
    keras.utils.set_random_seed(1)
    model = build()
    randomise(model, rng)
    if check_mask_matters is not None:
        # The padding must change the result: the same inputs with the padding replaced by
        # other tokens give other outputs.
        other = check_mask_matters(inputs)
        assert not np.allclose(run(model, inputs)[0], run(model, other)[0]), name
    write(os.path.join(OUT, name), model, inputs)
    print(f"classes/{name}")


def main():
    rng = np.random.default_rng(20261204)
    seq = lambda *shape: rng.standard_normal(shape).astype("float32")

    def gqa_self():
        x = keras.Input((6, 8))
        return keras.Model(x, L.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)(x, x))
    case("gqa_self", gqa_self, [seq(2, 6, 8)], rng)

    def gqa_cross():
        q, v, k = keras.Input((5, 8)), keras.Input((7, 8)), keras.Input((7, 6))
        att = L.GroupQueryAttention(head_dim=3, num_query_heads=6, num_key_value_heads=2, use_bias=False)
        return keras.Model([q, v, k], att(q, v, key=k))
    case("gqa_cross_key", gqa_cross, [seq(2, 5, 8), seq(2, 7, 8), seq(2, 7, 6)], rng)

    def gqa_window():
        x = keras.Input((7, 6))
        att = L.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=1, use_gate=True, sliding_window=3)
        return keras.Model(x, att(x, x, use_causal_mask=True))
    case("gqa_causal_window_gate", gqa_window, [seq(2, 7, 6)], rng)

    def gqa_masked():
        x = keras.Input((7,), dtype="int32")
        e = L.Embedding(20, 8, mask_zero=True)(x)
        a = L.GroupQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1)(e, e)
        return keras.Model(x, L.GlobalAveragePooling1D()(a))
    tokens = np.array([[3, 5, 7, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7]], dtype="int32")
    case("gqa_padding_mask", gqa_masked, [tokens], rng,
         check_mask_matters=lambda i: [np.where(i[0] == 0, 9, i[0]).astype("int32")])

    def mha_window():
        x = keras.Input((7, 6))
        return keras.Model(x, L.MultiHeadAttention(num_heads=2, key_dim=3, sliding_window=2)(x, x))
    case("mha_sliding_window", mha_window, [seq(2, 7, 6)], rng)

    def sn_dense():
        x = keras.Input((5,))
        return keras.Model(x, L.SpectralNormalization(L.Dense(4, activation="tanh"))(x))
    case("spectral_normalization_dense", sn_dense, [seq(3, 5)], rng)

    def sn_conv():
        x = keras.Input((6, 6, 3))
        return keras.Model(x, L.SpectralNormalization(L.Conv2D(4, 3, padding="same"), power_iterations=2)(x))
    case("spectral_normalization_conv2d", sn_conv, [seq(2, 6, 6, 3)], rng)

    def pipeline():
        x = keras.Input((8, 8, 3))
        p = L.Pipeline([L.Rescaling(1 / 127.5, offset=-1), L.RandomFlip(), L.CenterCrop(6, 6)])
        return keras.Model(x, L.Conv2D(2, 3)(p(x)))
    case("pipeline", pipeline, [rng.uniform(0, 255, (2, 8, 8, 3)).astype("float32")], rng)

    def auto_contrast():
        x = keras.Input((5, 6, 3))
        return keras.Model(x, L.AutoContrast(value_range=(0, 255))(x))
    case("auto_contrast", auto_contrast, [rng.uniform(20, 200, (2, 5, 6, 3)).astype("float32")], rng)

    def auto_contrast_unit():
        x = keras.Input((4, 4, 2))
        return keras.Model(x, L.AutoContrast(value_range=(0, 1))(x))
    case("auto_contrast_unit_range", auto_contrast_unit, [rng.uniform(0.2, 0.7, (2, 4, 4, 2)).astype("float32")], rng)

    ids = np.array([[12, 36, 5, 1138], [42, 42, 7, 12]], dtype="int32")
    for name, kw in [("integer_lookup", {}), ("integer_lookup_one_hot", {"output_mode": "one_hot"}),
                     ("integer_lookup_multi_hot_mask", {"output_mode": "multi_hot", "mask_token": 0}),
                     ("integer_lookup_count_two_oov", {"output_mode": "count", "num_oov_indices": 2})]:
        def lookup(kw=kw):
            x = keras.Input((4,), dtype="int32")
            return keras.Model(x, L.IntegerLookup(vocabulary=[12, 36, 1138, 42], **kw)(x))
        data = ids if name != "integer_lookup_multi_hot_mask" else np.array([[12, 0, 5, 1138], [42, 0, 0, 12]], dtype="int32")
        case(name, lookup, [data], rng)

    def lookup_adapted():
        layer = L.IntegerLookup()
        layer.adapt(np.array([[3, 3, 3, 9], [9, 4, 3, 8]], dtype="int64"))
        x = keras.Input((3,), dtype="int32")
        return keras.Model(x, L.Embedding(8, 2)(layer(x)))
    case("integer_lookup_adapted", lookup_adapted, [np.array([[3, 9, 4], [8, 100, 3]], dtype="int32")], rng)

    def lookup_invert():
        x = keras.Input((3,), dtype="int32")
        return keras.Model(x, L.IntegerLookup(vocabulary=[12, 36, 1138], invert=True)(x))
    case("integer_lookup_invert", lookup_invert, [np.array([[0, 1, 2], [3, 1, 0]], dtype="int32")], rng)

    def category():
        x = keras.Input((3,), dtype="int32")
        return keras.Model(x, L.CategoryEncoding(num_tokens=6, output_mode="count")(x))
    case("category_encoding_count", category, [np.array([[0, 5, 5], [2, 2, 1]], dtype="int32")], rng)

    def reversible(tie, cap):
        def build():
            x = keras.Input((5,), dtype="int32")
            emb = L.ReversibleEmbedding(11, 4, tie_weights=tie, logit_soft_cap=cap)
            h = L.Dense(4, activation="tanh")(emb(x))
            return keras.Model(x, emb(h, reverse=True))
        return build
    words = np.array([[1, 4, 10, 0, 3], [7, 7, 2, 9, 5]], dtype="int32")
    case("reversible_embedding_tied", reversible(True, None), [words], rng)
    case("reversible_embedding_untied_soft_cap", reversible(False, 2.0), [words], rng)

    audio = lambda *shape: (rng.standard_normal(shape) * 0.3).astype("float32")
    for name, kw, shape in [("stft_log", {"frame_length": 16, "frame_step": 5}, (2, 50, 2)),
                            ("stft_magnitude_same", {"mode": "magnitude", "frame_length": 12, "frame_step": 4, "fft_length": 16, "padding": "same", "window": "hamming"}, (2, 37, 1)),
                            ("stft_psd_expanded", {"mode": "psd", "frame_length": 8, "expand_dims": True, "scaling": "spectrum", "periodic": True}, (2, 30, 3)),
                            ("stft_stft_channels_first", {"mode": "stft", "frame_length": 8, "frame_step": 3, "data_format": "channels_first"}, (2, 2, 25)),
                            ("stft_angle", {"mode": "angle", "frame_length": 10, "frame_step": 4, "scaling": None}, (2, 40, 1))]:
        def stft(kw=kw, shape=shape):
            x = keras.Input(shape[1:])
            return keras.Model(x, L.STFTSpectrogram(**kw)(x))
        case(name, stft, [audio(*shape)], rng)
    for name, kw, shape in [("mel_spectrogram_db", {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 12, "sampling_rate": 8000}, (2, 300)),
                            ("mel_spectrogram_power_hamming", {"fft_length": 32, "sequence_length": 24, "sequence_stride": 10, "window": "hamming", "num_mel_bins": 8,
                                                               "sampling_rate": 16000, "min_freq": 100.0, "max_freq": 6000, "power_to_db": False, "mag_exp": 1.0}, (3, 123))]:
        def mel(kw=kw, shape=shape):
            x = keras.Input(shape[1:])
            return keras.Model(x, L.MelSpectrogram(**kw)(x))
        case(name, mel, [audio(*shape)], rng)

    for name, kw, shape in [("clahe", {}, (2, 20, 18, 3)), ("clahe_unit_range_grid", {"value_range": (0, 1), "clip_limit": 2.0, "tile_grid_size": (3, 4)}, (2, 13, 10, 1))]:
        def clahe(kw=kw, shape=shape):
            x = keras.Input(shape[1:])
            return keras.Model(x, L.ContrastLimitedAdaptiveHistogramEqualization(**kw)(x))
        high = 1.0 if kw.get("value_range") == (0, 1) else 255.0
        case(name, clahe, [(rng.uniform(0.1, 0.6, shape) * high).astype("float32")], rng)

    # Padding masks into and out of nested models (Keras passes a mask given to a nested
    # model to its inputs, and gives back the masks of its outputs).
    tokens = np.array([[4, 9, 2, 0, 0, 0], [7, 1, 3, 5, 8, 2]], dtype="int32")
    refill = lambda i: [np.where(i[0] == 0, 6, i[0]).astype("int32")]

    def masked_into_nested():
        inner_in = keras.Input((6, 8))
        encoder = keras.Model(inner_in, L.GlobalAveragePooling1D()(L.LSTM(5, return_sequences=True)(inner_in)), name="encoder")
        x = keras.Input((6,), dtype="int32")
        return keras.Model(x, L.Dense(3)(encoder(L.Embedding(10, 8, mask_zero=True)(x))))
    case("masked_into_nested_model", masked_into_nested, [tokens], rng, check_mask_matters=refill)

    def masked_out_of_nested():
        ids = keras.Input((6,), dtype="int32")
        embed = keras.Model(ids, L.Embedding(10, 8, mask_zero=True)(ids), name="embedder")
        x = keras.Input((6,), dtype="int32")
        return keras.Model(x, L.Dense(2)(L.GRU(4)(embed(x))))
    case("masked_out_of_nested_model", masked_out_of_nested, [tokens], rng, check_mask_matters=refill)

    def masked_softmax():
        # Keras broadcasts the (batch, time) mask onto the input from the right, so it applies
        # only where those axes line up; here batch = time = features = 6.
        x = keras.Input((6,), dtype="int32")
        return keras.Model(x, L.Softmax()(L.Dense(6)(L.Embedding(10, 4, mask_zero=True)(x))))
    case("masked_softmax", masked_softmax, [np.array([[4, 9, 2, 0, 0, 0], [7, 1, 3, 5, 8, 2], [1, 0, 0, 0, 0, 0],
                                                      [3, 3, 3, 3, 0, 0], [2, 4, 6, 8, 1, 0], [9, 8, 7, 6, 5, 4]], dtype="int32")], rng)


if __name__ == "__main__":
    main()
