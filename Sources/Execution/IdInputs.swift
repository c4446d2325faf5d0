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

    /// For each graph input of strings, the words synthetic texts are made of and how many
    /// to join per element (the vocabulary of the layer that reads it; a text to split gets
    /// as many words as its sequence length, or 16); nil for inputs of numbers.
    public static func textSamples(_ graph: ModelGraph) -> [(words: [String], perElement: Int)?] {
        graph.inputs.map { ref in
            guard (graph.layers[ref.layer].kind as? InputOp)?.dtype.name == "string" else { return nil }
            var words: [String] = []
            var perElement = 1
            for layer in graph.layers where layer.calls.contains(where: { $0.contains { $0.layer == ref.layer && $0.call == ref.call } }) {
                switch layer.kind {
                case let k as VocabularyLookupOp: words += k.texts ?? []
                case let k as TextVectorizationOp:
                    words += k.lookup.texts ?? []
                    if k.split != nil { perElement = max(perElement, k.sequenceLength ?? 16) }
                default: break
                }
            }
            return (words.isEmpty ? ["text"] : words, perElement)
        }
    }

    /// `inputs` with each input of strings made from uniform [-1, 1) values: each element
    /// joins `perElement` of the words, chosen by the values, deterministically.
    public static func applyTexts(_ inputs: [Tensor], samples: [(words: [String], perElement: Int)?]) -> [Tensor] {
        zip(inputs, samples).map { x, sample in
            guard let sample, !sample.words.isEmpty else { return x }
            let n = sample.words.count
            let texts = x.data.enumerated().map { i, v -> String in
                (0..<sample.perElement).map { k in
                    let u = (v + 1) / 2 * Float(n) + Float(k * 7 + i)
                    return sample.words[Int(u.rounded(.down)) % n]
                }.joined(separator: " ")
            }
            return Tensor(shape: x.shape, text: texts)
        }
    }
}
