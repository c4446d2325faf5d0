import Foundation
import Kernels
import ModelKit

// Convolutions of channels-first tensors (the layout graph formats such as ONNX write):
// any of 1 to 3 spatial axes, explicit per-side pads, `same` padding with the extra cell
// after (or before, `sameLower`).
extension Executor {
    /// The pads before and after each spatial axis of a window over `spatial`.
    static func sidePads(_ g: ConvolutionGeometry, spatial: [Int]) -> (before: [Int], after: [Int]) {
        let rank = g.rank
        if let pads = g.pads { return (pads.before, pads.after) }
        guard g.padding == "same" else { return ([Int](repeating: 0, count: rank), [Int](repeating: 0, count: rank)) }
        var before: [Int] = [], after: [Int] = []
        for i in 0..<rank {
            let out = (spatial[i] + g.strides[i] - 1) / g.strides[i]
            let total = max((out - 1) * g.strides[i] + (g.kernelSize[i] - 1) * g.dilation[i] + 1 - spatial[i], 0)
            let b = g.sameLower ? total - total / 2 : total / 2
            before.append(b)
            after.append(total - b)
        }
        return (before, after)
    }

    func convolutionChannelsFirst(_ layer: Layer, _ c: ConvolutionOp, _ x: Tensor) throws -> Tensor {
        let g = c.geometry
        guard x.shape.count == g.rank + 2 else { throw fail(layer, "expects an input of rank \(g.rank + 2), found shape \(x.shape)") }
        guard ["same", "valid", "explicit"].contains(g.padding) else { throw fail(layer, "not runnable yet: padding \"\(g.padding)\"") }
        let w = try params(layer, c.useBias ? 2 : 1)
        let (before, after) = Self.sidePads(g, spatial: Array(x.shape[2...]))
        let y = try channelsFirstConvolution(layer, x, kernelSpatialFirst: w[0], bias: c.useBias ? w[1] : nil, strides: g.strides,
                                             dilations: g.dilation, before: before, after: after, groups: c.groups)
        return try ActivationFunctions.apply(c.activation, y, context: "layer \"\(prefix)\(layer.name)\" (\(layer.className))")
    }
}
