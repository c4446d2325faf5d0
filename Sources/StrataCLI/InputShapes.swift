import Foundation
import ModelKit

/// `--input-shape` and `--dim`: sizes for the dimensions a model leaves open.
///
/// `--input-shape` takes a shape with or without the batch (`1,3,224,224` or `3,224,224` for
/// an input of rank 4), optionally naming the input (`pixel_values=1,3,224,224`); it repeats
/// once per input in order, or once per named input. `--dim N=1` gives a size to every
/// dimension the file names `N`.
enum InputShapes {
    /// One `--input-shape` value: the input it names, if any, and its sizes.
    struct Given {
        var name: String?
        var dims: [Int]
    }

    /// `224,224,3` or `224x224x3` -> [224, 224, 3].
    static func parse(_ text: String) throws -> [Int] { try given(text).dims }

    /// `name=1,3,224,224` or `1,3,224,224`.
    static func given(_ text: String) throws -> Given {
        var name: String?
        var sizes = Substring(text)
        if let eq = text.lastIndex(of: "=") {
            name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
            sizes = text[text.index(after: eq)...]
            guard !(name ?? "").isEmpty else { throw StrataError("input shape \"\(text)\": nothing before \"=\"; write NAME=SIZES, e.g. input=1,3,224,224") }
        }
        let parts = sizes.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "X" })
        let dims = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, dims.count == parts.count, dims.allSatisfy({ $0 > 0 }) else {
            throw StrataError("input shape \"\(text)\": expected positive sizes separated by commas, e.g. 224,224,3 or input=1,3,224,224")
        }
        return Given(name: name, dims: dims)
    }

    /// `N=1` -> ("N", 1).
    static func binding(_ text: String) throws -> (name: String, size: Int) {
        guard let eq = text.lastIndex(of: "="), let size = Int(text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)), size > 0,
              !text[..<eq].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StrataError("dim \"\(text)\": expected NAME=SIZE with a positive size, e.g. --dim batch_size=1")
        }
        return (text[..<eq].trimmingCharacters(in: .whitespaces), size)
    }

    /// The declared input shapes with open dimensions filled in from `texts` (`--input-shape`)
    /// and `bindings` (`--dim`).
    static func fill(_ graph: ModelGraph, _ texts: [String], bindings: [String] = []) throws -> [TensorShape] {
        var sizes: [String: Int] = [:]
        for b in bindings { let (n, s) = try binding(b); sizes[n] = s }
        let names = graph.inputs.map { graph.name(of: $0) }
        var shapes: [TensorShape?] = Analyzer.declaredInputShapes(graph).map { s in
            s.map { shape in
                TensorShape(dimensions: shape.dimensions.map { d in
                    if case .symbolic(let n) = d, let v = sizes[n] { return .known(v) }
                    return d
                })
            }
        }
        let given = try texts.map(given)
        let named = given.filter { $0.name != nil }
        if !named.isEmpty && named.count != given.count {
            throw StrataError("input shapes: name all of them (input=1,3,224,224) or none")
        }
        if given.isEmpty { return try shapes.enumerated().map { i, s in try s ?? { throw StrataError("input \(i + 1) (\(names[i])) declares no shape; give one with --input-shape") }() } }
        var targets: [Int] = []
        if named.isEmpty {
            guard given.count == shapes.count else {
                throw StrataError("the model has \(shapes.count) input(s) (\(names.joined(separator: ", "))); \(given.count) input shape(s) were given")
            }
            targets = Array(shapes.indices)
        } else {
            for g in given {
                guard let i = names.firstIndex(of: g.name!) ?? graph.inputs.firstIndex(where: { graph.layers[$0.layer].name == g.name! }) else {
                    throw StrataError("input shape names \"\(g.name!)\", but the model's inputs are \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
                }
                targets.append(i)
            }
        }
        for (g, i) in zip(given, targets) {
            let label = "input \(i + 1) (\(names[i]))"
            guard let shape = shapes[i] else { shapes[i] = TensorShape([nil] + g.dims.map { $0 }); continue }
            let full = g.dims.count == shape.rank
            guard full || g.dims.count == shape.rank - 1 else {
                throw StrataError("\(label) has shape \(shape.formatted(unknown: "?")); input shape \(g.dims.map(String.init).joined(separator: ",")) gives \(g.dims.count) sizes, expected \(shape.rank) (or \(shape.rank - 1) without the batch)")
            }
            var out = shape
            for (k, d) in g.dims.enumerated() {
                let axis = full ? k : k + 1
                if let known = shape.dims[axis], known != d {
                    throw StrataError("\(label) declares \(known) on axis \(axis) of \(shape.formatted(unknown: "?")); input shape gives \(d)")
                }
                out.dims[axis] = d
                if axis < out.symbols.count { out.symbols[axis] = nil }
            }
            shapes[i] = out
        }
        return try shapes.enumerated().map { i, s in try s ?? { throw StrataError("input \(i + 1) (\(names[i])) declares no shape; give one with --input-shape") }() }
    }

    /// The open dimensions other than a leading batch, by input, for messages: `x: axis 2 (height)`.
    static func openDimensions(_ shapes: [TensorShape?], names: [String]) -> [String] {
        var out: [String] = []
        for (i, s) in shapes.enumerated() {
            guard let s else { out.append("\(names[i]): its whole shape"); continue }
            for (axis, d) in s.dimensions.enumerated() where axis > 0 && d.value == nil {
                out.append("\(names[i]): axis \(axis)" + (s.symbol(axis).map { " (\($0))" } ?? ""))
            }
        }
        return out
    }
}
