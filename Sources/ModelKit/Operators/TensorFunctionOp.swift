/// A tensor function written inline in the model rather than as a layer (`x + 3.0`,
/// `mean(x, axis)`, `transpose(x, perm)`): the reader resolves its name to a neutral short
/// name, its constant operands and its arguments.
///
/// Element-wise functions broadcast their tensor operands (scalars are not tensors and do
/// not count); reductions, concatenation, transpose and reshape take their shape from their
/// arguments; any other function takes the shape the file recorded, when it did.
/// No weights; not counted as multiply-accumulates.
public struct TensorFunctionOp: Operator {
    /// One operand of the saved call, in call order.
    public enum Operand: Sendable, Hashable {
        /// The next tensor input of the node.
        case tensor
        /// A number written in the call (`x + 3.0` keeps its 3.0 here).
        case scalar(Double)
        /// An argument the engine cannot take (a string, a nested structure), as written.
        case unsupported(String)
        /// A tensor the file holds (a constant operand): its shape, and its contents when
        /// small. When it is one of the node's weights, the layer's `initializerNames` name
        /// it for the engine.
        case constant(TensorValue)
        /// An optional argument left out (its position still counts).
        case absent
    }

    /// The function as the file names it (`math.multiply`, `NotEqual`), for messages.
    public var name: String
    /// The neutral short name the engine and shape rules use (`multiply`, `not_equal`,
    /// `mean`; the reader strips prefixes such as `reduce_`).
    public var function: String
    /// The operands in call order; nil when the file keeps no call (the tensors are the
    /// operands).
    public var operands: [Operand]?
    /// Named arguments under neutral keys: `axis` (int or list), `keepdims` (bool), `perm`
    /// (list), `shape` (list, -1 for one inferred size), `initial`.
    public var attributes: JSONObject
    /// When the function joins branches like a merge layer, that layer's display name as the
    /// reader words it (`Add`, `Concat`).
    public var joinsAs: String?
    /// When the function is an activation applied element-wise (`sigmoid`, `hard_sigmoid`),
    /// that activation as the reader resolved it for the file's version.
    public var activation: ActivationFunction?
    public var sourceClass: String
    /// The kind of work, as the reader judges it from the node (a format whose every step is
    /// a function node says which are activations, merges or reshapes); `.other` by default.
    public var role: LayerCategory = .other

    public init(name: String, function: String, operands: [Operand]? = nil, attributes: JSONObject = JSONObject(),
                joinsAs: String? = nil, sourceClass: String = "", role: LayerCategory = .other) {
        self.role = role
        self.name = name
        self.function = function
        self.operands = operands
        self.attributes = attributes
        self.joinsAs = joinsAs
        self.sourceClass = sourceClass
    }

    public var family: String { "function" }
    public var category: LayerCategory { role }

    /// Short names of functions whose output is the broadcast of their tensor operands.
    public static let elementwise: Set<String> = [
        "add", "sub", "subtract", "multiply", "mul", "truediv", "true_divide", "divide", "div", "floordiv",
        "floor_divide", "mod", "pow", "power", "maximum", "minimum", "equal", "not_equal", "greater",
        "greater_equal", "less", "less_equal", "logical_and", "logical_or", "logical_not", "negative", "neg",
        "abs", "absolute", "sqrt", "rsqrt", "square", "exp", "log", "log1p", "tanh", "sigmoid", "relu", "relu6",
        "hard_sigmoid", "hard_silu", "hard_swish", "silu", "swish", "gelu", "elu", "selu", "softplus", "softsign",
        "softmax", "log_softmax", "cast", "clip", "clip_by_value", "where", "sign", "round", "floor", "ceil",
        "sin", "cos", "erf", "reciprocal", "stop_gradient", "identity", "leaky_relu",
    ]

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try outputShapes(inputs, values: [])
    }

    /// The rules for the functions the arguments configure, the old way: element-wise ones
    /// and those of `argumentShape`.
    func basicOutputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        if Self.elementwise.contains(function), !inputs.isEmpty {
            return [try Self.broadcast(inputs, name)]
        }
        if let shape = try argumentShape(inputs) { return [shape] }
        throw LayerError("operation \"\(name)\" has no shape rule in Strata")
    }

    /// A named argument, nil when absent or null.
    public func argument(_ key: String) -> JSONValue? {
        guard let v = attributes[key], !v.isNull else { return nil }
        return v
    }

    /// Shapes of the functions configured by arguments (reductions, concatenate, transpose,
    /// reshape); nil when the arguments are not there.
    private func argumentShape(_ inputs: [TensorShape]) throws -> TensorShape? {
        switch function {
        case "mean", "sum", "max", "min", "prod":
            guard inputs.count == 1 else { return nil }
            let input = inputs[0]
            var axes = Set(0..<input.rank)
            if let v = argument("axis") {
                axes = try Set((v.arrayValue ?? [v]).map { e -> Int in
                    guard let a = e.intValue, let n = input.normalizedAxis(a) else {
                        throw LayerError("operation \"\(name)\": axis \(v.brief) does not fit input \(input)")
                    }
                    return n
                })
            }
            if argument("initial") != nil { return nil }
            let keep = argument("keepdims")?.boolValue ?? false
            let dims = input.dims.enumerated().compactMap { i, d -> Int?? in
                axes.contains(i) ? (keep ? .some(1) : nil) : .some(d)
            }
            return TensorShape(dims)
        case "concat", "concatenate":
            guard let a = argument("axis")?.intValue, let first = inputs.first, let axis = first.normalizedAxis(a) else { return nil }
            var dims = first.dims
            var total: Int? = 0
            for s in inputs {
                guard s.rank == first.rank else { throw LayerError("operation \"\(name)\": inputs of different ranks") }
                total = total.flatMap { t in s.dims[axis].map { t + $0 } }
            }
            dims[axis] = total
            return TensorShape(dims)
        case "transpose":
            guard inputs.count == 1, let perm = argument("perm")?.arrayValue?.compactMap(\.intValue) else { return nil }
            guard perm.count == inputs[0].rank, Set(perm) == Set(0..<perm.count) else {
                throw LayerError("operation \"\(name)\": perm \(perm) does not fit input \(inputs[0])")
            }
            return TensorShape(perm.map { inputs[0].dims[$0] })
        case "reshape":
            guard inputs.count == 1, let target = argument("shape")?.arrayValue?.compactMap(\.intValue),
                  let head = target.first, head == -1, target.dropFirst().allSatisfy({ $0 > 0 }) else { return nil }
            // [-1, d1, d2, ...]: the batch stays open, the rest is given.
            return TensorShape([nil] + target.dropFirst().map { $0 })
        default:
            return nil
        }
    }

    /// NumPy broadcasting of several shapes (unknown dims stay unknown).
    public static func broadcast(_ shapes: [TensorShape], _ what: String) throws -> TensorShape {
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
