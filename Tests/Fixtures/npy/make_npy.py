"""Makes the tiny .npy fixtures of Tests/KernelsTests/NPYTests.swift (python3 + numpy)."""
import numpy as np

np.save("float64.npy", np.array([[1.5, -2.25, 3.0], [0.1, 1e-3, -7.0]], dtype="<f8"))
np.save("int32.npy", np.array([[1, -2, 3], [2147483647, -2147483648, 0]], dtype="<i4"))
np.save("int64.npy", np.array([10, -20, 30, 40], dtype="<i8"))
np.save("float32_be.npy", np.array([[1.5, -2.0], [0.25, 1000.0]], dtype=">f4"))
np.save("fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("bool.npy", np.array([True, False, True]))
np.save("uint8.npy", np.array([0, 7, 255], dtype="u1"))
np.save("scalar.npy", np.array(2.5, dtype="<f4"))
# What NPY.data(_:) must produce byte for byte: the same arrays saved by NumPy.
np.save("written_float32.npy", np.array([[0.5, -1.0, 3.25], [1e-8, 65504.0, -0.0]], dtype="<f4"))
np.save("written_int32.npy", np.array([1, -2, 2147483647], dtype="<i4"))
