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

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard elementwise.contains(shortName), !inputs.isEmpty else {
            throw LayerError("operation \"\(operation)\" has no shape rule in Strata")
        }
        return [try Self.broadcast(inputs, operation)]
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
