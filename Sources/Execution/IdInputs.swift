import ModelKit
import Foundation
import Kernels

/// Model inputs that hold integer ids (token or category numbers) rather than values: those a
/// lookup node reads directly (its operator's `idInputRange`).
/// Synthetic inputs for timing must be valid ids there, or the lookup refuses them.
public enum IdInputs {
    /// For each graph input, the valid ids when every layer that reads it directly is a
    /// lookup (the narrowest range among them; an embedding that masks id 0 starts at 1),
    /// otherwise nil.
    public static func ranges(_ graph: ModelGraph) -> [Range<Int>?] {
        graph.inputs.map { ref in
            var range: Range<Int>? = nil
            for layer in graph.layers {
                for call in layer.calls where call.contains(where: { $0.layer == ref.layer && $0.call == ref.call && $0.tensor == ref.tensor }) {
                    let r: Range<Int>
                    if let ids = layer.kind.idInputRange {
                        guard !ids.isEmpty else { return nil }
                        r = ids
                    } else if let op = layer.kind as? TensorFunctionOp, op.function == "not_equal" {
                        continue  // the padding mask recorded beside a lookup that masks id 0
                    } else {
                        return nil
                    }
                    guard let current = range else { range = r; continue }
                    guard current.overlaps(r) else { return nil }
                    range = current.clamped(to: r)
                }
            }
            return range
        }
    }

    /// `inputs` with each input that has a range mapped from uniform [-1, 1) values to whole
    /// ids in that range (others unchanged), deterministically.
    public static func apply(_ inputs: [Tensor], ranges: [Range<Int>?]) -> [Tensor] {
        zip(inputs, ranges).map { x, range in
            guard let range, !range.isEmpty else { return x }
            var y = x
            let n = Float(range.count), low = Float(range.lowerBound)
            for i in y.data.indices {
                y.data[i] = low + min(n - 1, max(0, ((y.data[i] + 1) / 2 * n).rounded(.down)))
            }
            return y
        }
    }
}
