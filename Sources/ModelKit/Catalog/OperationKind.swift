/// A tensor operation recorded in a functional graph rather than a layer: Keras 3 saves
/// `x + 3.0` or `keras.ops.not_equal(x, 0)` as an operation node (module `keras.src.ops.*`,
/// not part of `model.layers`); tf.keras saves the same as a `TFOpLambda` layer.
///
/// Elementwise operations broadcast their tensor arguments (scalars are not tensors and do
/// not count); any other operation takes the shape Keras recorded in the file, when it did.
/// Operations own no weights and are not counted as multiply-accumulates.
public struct OperationKind: LayerKind {
    public static let className = "TFOpLambda"
    public static let aliases = ["SlicingOpLambda"]
    public static let category = LayerCategory.other
    public static let summary = "A tensor operation written inline in the model code (x + 3, tf.math.multiply); no weights."

    /// The operation's name: the Keras 3 class (`Add`) or the tf.keras function (`math.add`).
    public let operation: String
    /// The operation's saved calls (`inbound_nodes` entries as the file has them): tensor
    /// references and the constant arguments (`x + 3.0` keeps its 3.0 only here).
    public var callArguments: [JSONValue] = []
    /// The node's saved config (Keras 3 keeps an operation's arguments there: `Mean`'s
    /// `axis` and `keepdims`).
    public var config = JSONObject()

    /// Short names of operations whose output is the broadcast of their tensor arguments.
    static let elementwise: Set<String> = [
        "add", "sub", "subtract", "multiply", "mul", "truediv", "true_divide", "divide", "div", "floordiv",
        "floor_divide", "mod", "pow", "power", "maximum", "minimum", "equal", "not_equal", "greater",
        "greater_equal", "less", "less_equal", "logical_and", "logical_or", "logical_not", "negative", "neg",
        "abs", "absolute", "sqrt", "rsqrt", "square", "exp", "log", "log1p", "tanh", "sigmoid", "relu", "relu6",
        "hard_sigmoid", "hard_silu", "hard_swish", "silu", "swish", "gelu", "elu", "selu", "softplus", "softsign",
        "softmax", "log_softmax", "cast", "clip", "clip_by_value", "where", "sign", "round", "floor", "ceil",
        "sin", "cos", "erf", "reciprocal", "stop_gradient", "identity", "leaky_relu",
    ]

    public init(operation: String) { self.operation = operation }

    public init(config: LayerConfig) throws {
        operation = try config.string("function", default: config.layerName)
    }

    /// Operations that join tensors, with the merge layer class they act like.
    public static let mergeClass: [String: String] = [
        "add": "Add", "multiply": "Multiply", "mul": "Multiply", "subtract": "Subtract", "sub": "Subtract",
        "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "concat": "Concatenate",
    ]

    /// `math.multiply` -> `multiply`; `NotEqual` -> `not_equal`; `__operators__.add` -> `add`.
    public var shortName: String {
        let last = operation.split(separator: ".").last.map(String.init) ?? operation
        var out = ""
        for (i, ch) in last.enumerated() {
            if ch.isUppercase && i > 0 { out += "_" }
            out += ch.lowercased()
        }
        return out
    }

    /// Keyword arguments of the first saved call: Keras 3's `kwargs`, or the dictionary of
    /// a tf.keras entry (`[["x", 0, 0, {"axis": [1, 2], "keepdims": true}]]`; for a list
    /// argument such as `concat`'s, the first entry's).
    public var callKeywords: JSONObject {
        guard let call = callArguments.first else { return JSONObject() }
        if let kw = call["kwargs"]?.objectValue { return kw }
        guard let a = call.arrayValue else { return JSONObject() }
        let entry = a.first?.stringValue != nil ? call : a.first
        if let parts = entry?.arrayValue, parts.count > 3, let kw = parts[3].objectValue { return kw }
        return JSONObject()
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        if elementwise.contains(shortName), !inputs.isEmpty {
            return [try Self.broadcast(inputs, operation)]
        }
        if let shape = try keywordShape(inputs) { return [shape] }
        throw LayerError("operation \"\(operation)\" has no shape rule in Strata")
    }

    /// An argument of the operation: from the node's config (Keras 3) or the call's
    /// keywords (tf.keras).
    public func argument(_ key: String) -> JSONValue? {
        if let v = config[key], !v.isNull { return v }
        if let v = callKeywords[key], !v.isNull { return v }
        return nil
    }

    /// Shapes of the operations configured by arguments (reductions, concatenate, transpose,
    /// reshape: Keras 3 `Mean(axis, keepdims)`, tf.keras `tf.reduce_mean(x, axis=...)`); nil
    /// when the arguments are not there.
    private func keywordShape(_ inputs: [TensorShape]) throws -> TensorShape? {
        var name = shortName
        if name.hasPrefix("reduce_") { name = String(name.dropFirst("reduce_".count)) }
        switch name {
        case "mean", "sum", "max", "min", "prod":
            guard inputs.count == 1 else { return nil }
            let input = inputs[0]
            var axes = Set(0..<input.rank)
            if let v = argument("axis") {
                axes = try Set((v.arrayValue ?? [v]).map { e -> Int in
                    guard let a = e.intValue, let n = input.normalizedAxis(a) else {
                        throw LayerError("operation \"\(operation)\": axis \(v.brief) does not fit input \(input)")
                    }
                    return n
                })
            }
            if argument("initial") != nil { return nil }
            let keep = argument("keepdims")?.boolValue ?? argument("keep_dims")?.boolValue ?? false
            let dims = input.dims.enumerated().compactMap { i, d -> Int?? in
                axes.contains(i) ? (keep ? .some(1) : nil) : .some(d)
            }
            return TensorShape(dims)
        case "concat", "concatenate":
            guard let a = argument("axis")?.intValue, let first = inputs.first, let axis = first.normalizedAxis(a) else { return nil }
            var dims = first.dims
            var total: Int? = 0
            for s in inputs {
                guard s.rank == first.rank else { throw LayerError("operation \"\(operation)\": inputs of different ranks") }
                total = total.flatMap { t in s.dims[axis].map { t + $0 } }
            }
            dims[axis] = total
            return TensorShape(dims)
        case "transpose":
            guard inputs.count == 1, let perm = (argument("perm") ?? argument("axes"))?.arrayValue?.compactMap(\.intValue) else { return nil }
            guard perm.count == inputs[0].rank, Set(perm) == Set(0..<perm.count) else {
                throw LayerError("operation \"\(operation)\": perm \(perm) does not fit input \(inputs[0])")
            }
            return TensorShape(perm.map { inputs[0].dims[$0] })
        case "reshape":
            guard inputs.count == 1, let target = (argument("shape") ?? argument("newshape"))?.arrayValue?.compactMap(\.intValue),
                  let head = target.first, head == -1, target.dropFirst().allSatisfy({ $0 > 0 }) else { return nil }
            // [-1, d1, d2, ...]: the batch stays open, the rest is given.
            return TensorShape([nil] + target.dropFirst().map { $0 })
        default:
            return nil
        }
    }

    private var elementwise: Set<String> { Self.elementwise }

    /// NumPy broadcasting of several shapes (unknown dims stay unknown).
    static func broadcast(_ shapes: [TensorShape], _ what: String) throws -> TensorShape {
        let rank = shapes.map(\.rank).max() ?? 0
        var dims: [Int?] = Array(repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.rank
            for (i, d) in s.dims.enumerated() {
                let j = i + offset
                switch (dims[j], d) {
                case (_, 1?): continue
                case (1?, _): dims[j] = d
                case (nil, _), (_, nil): dims[j] = dims[j] ?? d
                case (let a?, let b?) where a == b: continue
                default:
                    throw LayerError("\(what): shapes \(shapes.map(\.description).joined(separator: " and ")) cannot be broadcast together")
                }
            }
        }
        return TensorShape(dims)
    }
}
