// Kernels compute on the tensors of `Tensors`; a user of the kernels gets the type with them.
@_exported import Tensors
