#!/usr/bin/env python3
"""Examples/review_classifier_text.keras: a sentiment classifier that takes raw review text,
made with real Keras 3 (3.15.1): TextVectorization (vocabulary adapted on a small corpus,
20 tokens) -> Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense(sigmoid), fixed-seed
random weights. It shows a model whose input is strings and whose padding mask flows, in the
default `make report` run.

    .venv-bench/bin/python scripts/make_text_example.py
"""
import os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = [
    "a wonderful film with a moving story", "the plot was dull and the acting worse",
    "great music, great cast, great fun", "I wanted my two hours back", "not bad at all",
    "the best thing I have seen this year", "boring, slow and far too long", "funny and warm",
]

keras.utils.set_random_seed(7)
vectorize = L.TextVectorization(max_tokens=64, output_sequence_length=20, name="vectorize")
vectorize.adapt(np.array(CORPUS))
text = keras.Input((1,), dtype="string", name="review")
x = L.Embedding(64, 16, mask_zero=True, name="embed")(vectorize(text))
x = L.Bidirectional(L.LSTM(16), name="read_both_ways")(x)
model = keras.Model(text, L.Dense(1, activation="sigmoid", name="positive")(x), name="review_classifier_text")
out = os.path.join(HERE, "..", "Examples", "review_classifier_text.keras")
model.save(out)
print(out, model(np.array([["a wonderful story"], ["dull"]])).numpy().ravel())
