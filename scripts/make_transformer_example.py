#!/usr/bin/env python3
"""Examples/text_transformer_encoder.keras: a small BERT-style classifier made with real
Keras 3 (3.15.1): token and position embeddings summed, six post-norm Transformer encoder
layers (MultiHeadAttention with 4 heads of 16, dropout, residual Add, LayerNormalization;
a GELU feed-forward of 256, dropout, residual Add, LayerNormalization), mean pooling and a
2-way softmax head; fixed-seed random weights. Each encoder layer's names begin with
`encoder_<i>_`, as a hand-written Keras transformer names them. It is the transformer of
the default `make report` run and of issue 16's page goal (a model built from repeated
blocks: one overview box for the six layers, one page for the block type).

    .venv-bench/bin/python scripts/make_transformer_example.py
"""
import os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers as L

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, LENGTH, WIDTH, HEADS, FFN, LAYERS = 2000, 64, 64, 4, 256, 6

keras.utils.set_random_seed(11)
tokens = keras.Input((LENGTH,), dtype="int32", name="token_ids")
positions = keras.Input((LENGTH,), dtype="int32", name="position_ids")
x = L.Add(name="embeddings")([L.Embedding(VOCAB, WIDTH, name="token_embedding")(tokens),
                               L.Embedding(LENGTH, WIDTH, name="position_embedding")(positions)])
x = L.LayerNormalization(epsilon=1e-12, name="embeddings_norm")(x)
for i in range(LAYERS):
    p = f"encoder_{i}_"
    a = L.MultiHeadAttention(HEADS, WIDTH // HEADS, name=p + "attention")(x, x)
    a = L.Dropout(0.1, name=p + "attention_dropout")(a)
    x = L.Add(name=p + "attention_add")([x, a])
    x = L.LayerNormalization(epsilon=1e-12, name=p + "attention_norm")(x)
    f = L.Dense(FFN, activation="gelu", name=p + "ffn_in")(x)
    f = L.Dense(WIDTH, name=p + "ffn_out")(f)
    f = L.Dropout(0.1, name=p + "ffn_dropout")(f)
    x = L.Add(name=p + "ffn_add")([x, f])
    x = L.LayerNormalization(epsilon=1e-12, name=p + "ffn_norm")(x)
x = L.GlobalAveragePooling1D(name="mean_pool")(x)
out = L.Dense(2, activation="softmax", name="classifier")(x)
model = keras.Model([tokens, positions], out, name="text_transformer_encoder")
path = os.path.join(HERE, "..", "Examples", "text_transformer_encoder.keras")
model.save(path)
ids = np.random.default_rng(0).integers(0, VOCAB, (2, LENGTH)).astype("int32")
pos = np.tile(np.arange(LENGTH, dtype="int32"), (2, 1))
print(path, len(model.layers), "layers,", model.count_params(), "parameters;", model([ids, pos]).numpy().round(4).tolist())
