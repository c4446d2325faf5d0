#!/usr/bin/env python3
"""Layers that read strings, written by real Keras 3 (3.15.1, TensorFlow backend):
execution/text/<case>/ StringLookup (vocabulary in the config and learnt by adapt, a mask
token, two out-of-vocabulary indices hashed by FarmHash, multi-hot, inverted to strings,
feeding an Embedding),
TextVectorization (the default standardization and whitespace split with a fixed sequence
length, no standardization with a character split, 1- and 2-grams with multi-hot and count
outputs, a vocabulary learnt by adapt) and Hashing (strings and integers of many lengths, a
mask value, one-hot and multi-hot outputs) and HashedCrossing (strings with strings, integers
with strings, one-hot).

String inputs are unicode .npy arrays (input.npy, dtype <U); the rest as in
make_execution_preprocessing.py (model.keras, model.json, output*.npy, truth.json). The
texts mix cases, punctuation, runs of spaces, tabs, non-ASCII letters and words outside the
vocabulary, and lengths from 0 to over 64 bytes (FarmHash's four paths).

    .venv-bench/bin/python Tests/Fixtures/make_execution_text.py [case ...]
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L
import make_execution_preprocessing as base
from make_execution_preprocessing import HERE, write

_run = base.run


def run_text(model, inputs):
    # String outputs (an inverse lookup) come back as bytes objects: store them as unicode.
    out = []
    for y in _run(model, inputs):
        if y.dtype == object or y.dtype.kind == "S":
            y = np.vectorize(lambda v: v.decode("utf-8") if isinstance(v, bytes) else str(v))(y).astype("U")
        out.append(y)
    return out


base.run = run_text
_allclose = np.allclose
# The reload check compares string outputs for equality.
np.allclose = lambda a, b, **kw: bool(np.array_equal(a, b)) if np.asarray(a).dtype.kind == "U" else _allclose(a, b, **kw)

OUT = os.path.join(HERE, "execution", "text")

TEXTS = np.array([["The quick brown fox, the LAZY dog!"], ["  jumps\tover   the-dog's fence...  "],
                  ["Ünïcode wörds and émigré café"], [""],
                  ["a very long sentence that keeps going well past sixty four bytes of text, for the hash's long path"]])
WORDS = np.array([["fox", "dog", "", "cat"], ["the", "zebra", "fox", "exactly16bytes!!"],
                  ["seventeen bytes..", "a string of thirty-three bytes!!!", "x" * 70, "ü"]])


ONLY = set(sys.argv[1:])


def case(name, build, inputs):
    if ONLY and name not in ONLY:
        return
    keras.utils.set_random_seed(1)
    model = build()
    write(os.path.join(OUT, name), model, inputs)
    print(f"text/{name}")


def main():
    vocab = ["the", "fox", "dog", "quick", "over"]

    def lookup(**kw):
        def build():
            x = keras.Input((4,), dtype="string")
            return keras.Model(x, L.StringLookup(vocabulary=vocab, **kw)(x))
        return build
    case("string_lookup", lookup(), [WORDS])
    case("string_lookup_mask_two_oov", lookup(mask_token="", num_oov_indices=2), [WORDS])
    case("string_lookup_multi_hot", lookup(output_mode="multi_hot"), [WORDS])

    def lookup_invert():
        x = keras.Input((3,), dtype="int32")
        return keras.Model(x, L.StringLookup(vocabulary=vocab, invert=True)(x))
    case("string_lookup_invert", lookup_invert, [np.array([[0, 1, 5], [3, 9, 2]], dtype="int32")])

    def lookup_embedding():
        x = keras.Input((4,), dtype="string")
        return keras.Model(x, L.Embedding(8, 3)(L.StringLookup(vocabulary=vocab)(x)))
    case("string_lookup_then_embedding", lookup_embedding, [WORDS])

    def lookup_adapted():
        layer = L.StringLookup()
        layer.adapt(np.array([["b", "a", "b"], ["c", "b", "a"]]))
        x = keras.Input((4,), dtype="string")
        return keras.Model(x, layer(x))
    case("string_lookup_adapted", lookup_adapted, [np.array([["a", "b", "c", "d"], ["b", "b", "zz", ""]])])

    def vectorize(**kw):
        def build():
            x = keras.Input((1,), dtype="string")
            tv = L.TextVectorization(vocabulary=["the", "fox", "dog", "quick", "over", "jumps", "wörds", "café"], **kw)
            y = tv(x)
            if kw.get("output_mode", "int") == "int":
                y = L.Embedding(12, 4)(y)
                y = L.GlobalAveragePooling1D()(y)
            return keras.Model(x, y)
        return build
    case("text_vectorization_default", vectorize(output_sequence_length=7), [TEXTS])
    case("text_vectorization_lower_multi_hot", vectorize(standardize="lower", output_mode="multi_hot"), [TEXTS])

    def chars():
        x = keras.Input((1,), dtype="string")
        tv = L.TextVectorization(standardize=None, split="character", vocabulary=list("abcdeéfo Ü"), output_sequence_length=12)
        return keras.Model(x, tv(x))
    case("text_vectorization_characters", chars, [TEXTS])

    def bigrams():
        x = keras.Input((1,), dtype="string")
        tv = L.TextVectorization(ngrams=2, output_mode="count", vocabulary=["the", "fox", "the quick", "quick brown", "lazy dog", "dog"])
        return keras.Model(x, tv(x))
    case("text_vectorization_bigrams_count", bigrams, [TEXTS])

    def adapted():
        tv = L.TextVectorization(max_tokens=10, output_sequence_length=5)
        tv.adapt(np.array(["the fox and the dog", "a dog, a fox; the end"]))
        x = keras.Input((1,), dtype="string")
        return keras.Model(x, tv(x))
    case("text_vectorization_adapted", adapted, [TEXTS])

    def hashing(**kw):
        def build():
            x = keras.Input((4,), dtype="string")
            return keras.Model(x, L.Hashing(**kw)(x))
        return build
    case("hashing_strings", hashing(num_bins=1000), [WORDS])
    case("hashing_strings_mask_multi_hot", hashing(num_bins=9, mask_value="", output_mode="multi_hot"), [WORDS])

    def hashing_ints():
        x = keras.Input((5,), dtype="int32")
        return keras.Model(x, L.Hashing(num_bins=7, mask_value=0, output_mode="one_hot")(x))
    case("hashing_integers_one_hot", hashing_ints, [np.array([[0, 1, -5, 123456, 42], [7, 7, 0, 99, -16777216]], dtype="int32")])

    def crossing(kind, **kw):
        def build():
            a = keras.Input((1,), dtype="string")
            b = keras.Input((1,), dtype=kind)
            return keras.Model([a, b], L.HashedCrossing(num_bins=11, **kw)((a, b)))
        return build
    colours = np.array([["red"], ["blue"], [""], ["a colour name longer than thirty-two bytes"]])
    case("hashed_crossing_strings", crossing("string"), [colours, np.array([["S"], ["M"], ["XL"], [""]])])
    case("hashed_crossing_integers_one_hot", crossing("int32", output_mode="one_hot"),
         [colours, np.array([[3], [-7], [0], [16777216]], dtype="int32")])


if __name__ == "__main__":
    main()
