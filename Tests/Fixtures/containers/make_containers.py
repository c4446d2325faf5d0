"""Makes the small container fixtures of ContainerTests (run with keras 3.15.1, tf_keras 2.21,
h5py; outputs are committed, CI does not run this).

- wrappers.keras: Bidirectional(LSTM), MultiHeadAttention, LayerNormalization, a nested
  Sequential, TimeDistributed(Dense): the nested weight layouts of Keras 3.
- dtypes.keras: Dense layers with float16 and float64 variables set to known values.
- weights_only_keras2.h5: tf.keras save_weights of a small model (no model_config).
- userblock.h5: an HDF5 file with a 512-byte user block, a float64 dataset, a fixed-length
  and a variable-length string attribute.
"""
import os
os.environ["CUDA_VISIBLE_DEVICES"] = ""
import numpy as np
import h5py
import keras

inp = keras.Input((5, 4))
x = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True), name="bidi")(inp)
x = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")(x, x)
x = keras.layers.LayerNormalization(name="ln")(x)
x = keras.Sequential([keras.layers.Dense(2, name="in_d")], name="seqin")(x)
x = keras.layers.TimeDistributed(keras.layers.Dense(2, name="td_d"), name="td")(x)
m = keras.Model(inp, x, name="wrappers")
m.save("wrappers.keras")
with open("wrappers_weights.txt", "w") as f:
    for l in m.layers:
        f.write(l.name + " " + repr([(w.path, list(w.shape), w.dtype) for w in l.weights]) + "\n")

m2 = keras.Sequential([keras.Input((3,)),
                       keras.layers.Dense(2, dtype="float16", name="d16"),
                       keras.layers.Dense(2, dtype="float64", name="d64")], name="dtypes")
m2.get_layer("d16").set_weights([np.array([[0.5, -1.25], [2.0, 0.125], [-3.0, 65504.0]], np.float16),
                                 np.array([1.5, -0.5], np.float16)])
m2.get_layer("d64").set_weights([np.array([[0.1, 0.2], [0.3, 0.4]], np.float64), np.array([1e-3, -2.5], np.float64)])
m2.save("dtypes.keras")

import tf_keras
k2 = tf_keras.Sequential([tf_keras.Input((3,)), tf_keras.layers.Dense(2, name="dense_a")])
k2.save_weights("weights_only_keras2.h5")

with h5py.File("userblock.h5", "w", userblock_size=512) as f:
    f.attrs["vlen"] = "variable length"
    f.attrs["fixed"] = np.bytes_("fixed length")
    f.attrs["names"] = [b"a", b"bc"]
    f.create_dataset("g/values", data=np.arange(6, dtype=np.float64).reshape(2, 3) / 4)
    f.create_dataset("g/ints", data=np.arange(4, dtype=np.int32))
