import Kernels
import ModelKit
import Tensors

extension Executor {
    /// Adaptive pooling, axis by axis (as Keras pools them): each output position reduces its
    /// window along one spatial axis (`AdaptivePoolingOp.window`).
    func adaptivePool(_ layer: Layer, _ k: AdaptivePoolingOp, _ input: Tensor) throws -> Tensor {
        let rank = k.outputSize.count
        guard input.shape.count == rank + 2 else { throw fail(layer, "expected an input of rank \(rank + 2), found \(input.shape)") }
        var x = k.channelsFirst ? input.permuted([0] + Array(2..<(rank + 2)) + [1]) : input
        for axis in 1...rank {
            let length = x.shape[axis], size = k.outputSize[axis - 1]
            let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
            var shape = x.shape
            shape[axis] = size
            var y = Tensor(zeros: shape)
            for o in 0..<outer {
                for i in 0..<size {
                    let w = AdaptivePoolingOp.window(i, length: length, size: size)
                    for j in 0..<inner {
                        var acc: Float = k.reduction == .max ? -.infinity : 0
                        for p in w {
                            let v = x.data[(o * length + p) * inner + j]
                            acc = k.reduction == .max ? max(acc, v) : acc + v
                        }
                        y.data[(o * size + i) * inner + j] = k.reduction == .max ? acc : acc / Float(w.count)
                    }
                }
            }
            x = y
        }
        return k.channelsFirst ? x.permuted([0, rank + 1] + Array(1...rank)) : x
    }
}
