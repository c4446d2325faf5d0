import ModelKit

/// Inline tensor operations as Keras saves them: Keras 3 operation nodes (`x + 3.0` saved as
/// class `Add` from `keras.src.ops.numpy`, its arguments in the node's config and its call in
/// `inbound_nodes`) and tf.keras `TFOpLambda` layers (`math.multiply`, arguments as the
/// keywords of the saved call). Resolved here into the neutral `TensorFunctionOp`.
///
/// The arguments the engine takes are those of keras/src/ops/numpy.py's `Mean(axis,
/// keepdims)` (and the other reductions), `Concatenate(axis)`, `Transpose(axes)` and
/// `Reshape(newshape)`, and of their tf.keras forms (`reduce_*`, `concat`, `transpose(perm)`,
/// `reshape(shape)`), filed under the neutral keys `axis`, `keepdims`, `perm` and `shape`.
enum KerasOperations {
    /// Operations that join tensors, with the merge layer class they act like.
    static let mergeClass: [String: String] = [
        "add": "Add", "multiply": "Multiply", "mul": "Multiply", "subtract": "Subtract", "sub": "Subtract",
        "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "concat": "Concatenate",
    ]

    /// Unary operations that are an activation function of the same name.
    static let activationNames: Set<String> = [
        "sigmoid", "relu", "relu6", "silu", "swish", "hard_sigmoid", "hard_silu", "hard_swish", "softplus", "softsign", "elu", "selu",
    ]

    /// `math.multiply` -> `multiply`; `NotEqual` -> `not_equal`; `__operators__.add` -> `add`.
    static func shortName(_ operation: String) -> String {
        let last = operation.split(separator: ".").last.map(String.init) ?? operation
        var out = ""
        for (i, ch) in last.enumerated() {
            if ch.isUppercase && i > 0 { out += "_" }
            out += ch.lowercased()
        }
        return out
    }

    /// The operation `operation` with its saved calls (`inbound_nodes`) and its node config.
    static func function(_ operation: String, calls: [JSONValue], config: JSONObject, isKeras2: Bool) -> TensorFunctionOp {
        let short = shortName(operation)
        var function = short
        if function.hasPrefix("reduce_") { function = String(function.dropFirst("reduce_".count)) }
        let keywords = callKeywords(calls)
        func argument(_ key: String) -> JSONValue? {
            if let v = config[key], !v.isNull { return v }
            if let v = keywords[key], !v.isNull { return v }
            return nil
        }
        var attributes = JSONObject()
        if let v = argument("axis") { attributes.append("axis", v) }
        if let v = argument("keepdims") ?? argument("keep_dims") { attributes.append("keepdims", v) }
        if let v = argument("perm") ?? argument("axes") { attributes.append("perm", v) }
        if let v = argument("shape") ?? argument("newshape") { attributes.append("shape", v) }
        if let v = argument("initial") { attributes.append("initial", v) }
        var op = TensorFunctionOp(name: operation, function: function, operands: operands(calls.first, operation),
                                  attributes: attributes, joinsAs: mergeClass[short])
        if activationNames.contains(function) { op.activation = Activations.function(function, isKeras2: isKeras2) }
        return op
    }

    /// Keyword arguments of the first saved call: Keras 3's `kwargs`, or the dictionary of a
    /// tf.keras entry (`[["x", 0, 0, {"axis": [1, 2], "keepdims": true}]]`; for a list
    /// argument such as `concat`'s, the first entry's).
    static func callKeywords(_ calls: [JSONValue]) -> JSONObject {
        guard let call = calls.first else { return JSONObject() }
        if let kw = call["kwargs"]?.objectValue { return kw }
        guard let a = call.arrayValue else { return JSONObject() }
        let entry = a.first?.stringValue != nil ? call : a.first
        if let parts = entry?.arrayValue, parts.count > 3, let kw = parts[3].objectValue { return kw }
        return JSONObject()
    }

    /// The operands of a saved call in call order (positional arguments, then keyword
    /// arguments; Keras 2: each tensor entry, then its keyword arguments); nil without a call.
    static func operands(_ call: JSONValue?, _ operation: String) -> [TensorFunctionOp.Operand]? {
        guard let call else { return nil }
        var out: [TensorFunctionOp.Operand] = []
        func isTriple(_ v: JSONValue) -> Bool {
            guard let a = v.arrayValue, a.count >= 3, a.count <= 4 else { return false }
            return a[0].stringValue != nil && a[1].intValue != nil && a[2].intValue != nil
        }
        func visit(_ v: JSONValue, keras2: Bool) {
            switch v {
            case .number(let d): out.append(.scalar(d))
            case .bool(let b): out.append(.scalar(b ? 1 : 0))
            case .null: return
            case .object(let o):
                if o["class_name"]?.stringValue == "__keras_tensor__" { out.append(.tensor); return }
                out.append(.unsupported("operation \"\(operation)\" with an argument \(v.brief)"))
            case .array where keras2 && isTriple(v): out.append(.tensor)
            case .array, .string:
                out.append(.unsupported("operation \"\(operation)\" with an argument \(v.brief)"))
            }
        }
        if let o = call.objectValue {
            for a in o["args"]?.arrayValue ?? [] { visit(a, keras2: false) }
            for e in o["kwargs"]?.objectValue?.entries ?? [] where e.key != "name" && !e.key.lowercased().hasSuffix("mask") {
                visit(e.value, keras2: false)
            }
        } else if let a = call.arrayValue {
            let entries = a.first?.stringValue != nil ? [call] : a
            for entry in entries {
                guard let parts = entry.arrayValue, parts.count >= 3 else {
                    out.append(.unsupported("saved call \(entry.brief)"))
                    continue
                }
                if parts[0].stringValue == "_CONSTANT_VALUE", let v = parts[2].doubleValue {
                    // tf.keras: `2.0 - x` is saved as ["_CONSTANT_VALUE", -1, 2.0, {"y": x}].
                    out.append(.scalar(v))
                } else if isTriple(entry) {
                    out.append(.tensor)
                } else {
                    out.append(.unsupported("saved call \(entry.brief)"))
                }
                if parts.count > 3, let kwargs = parts[3].objectValue {
                    for e in kwargs.entries where e.key != "name" && !e.key.lowercased().hasSuffix("mask") {
                        visit(e.value, keras2: true)
                    }
                }
            }
        }
        return out
    }
}
