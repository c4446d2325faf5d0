import ModelKit

/// The activation functions Keras accepts by name, in one table so that every layer with an
/// `activation` key (Dense, convolutions, recurrent layers) validates it the same way.
///
/// Names come from keras/src/activations/__init__.py (`ALL_OBJECTS_DICT`, with the aliases
/// `swish` and `hard_swish`), plus names that older Keras 3 releases and Keras 2 (tf.keras)
/// saved (`crelu`, `softmax_v2`). Lookup is case-sensitive, as in Keras.
public enum Activations {
    /// Every activation name Strata accepts in a config.
    public static let names: Set<String> = [
        "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
        "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish",
        "relu", "relu6", "selu", "sigmoid", "silu", "swish", "soft_shrink", "softmax", "softplus",
        "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh",
        "tanh_shrink", "threshold",
        // Older Keras 3 releases and tf.keras.
        "crelu", "softmax_v2",
    ]

    /// Activation layer classes that Keras 2 saved as a serialized `activation` object
    /// (`Dense(activation=LeakyReLU())`).
    public static let layerClassNames: Set<String> = [
        "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "ThresholdedReLU",
    ]

    /// True when Keras knows `name` as an activation function.
    public static func isKnown(_ name: String) -> Bool { names.contains(name) }

    /// Reads the activation at `key` and validates it; nil when the key is absent or null
    /// (Keras's `linear`).
    ///
    /// Accepts a name (`"relu"`), a serialized builtin function
    /// (`{"class_name": "function", "config": "relu", "module": "keras.activations"}`), a
    /// serialized activation layer (Keras 2), and a custom function from a user module (kept by
    /// its name: it cannot change shapes as Keras reports them). An unknown builtin name is an
    /// error naming the key and the name.
    public static func validate(_ config: LayerConfig, key: String = "activation") throws -> String? {
        guard let value = config[key], !value.isNull else { return nil }
        if let name = value.stringValue {
            return try validate(name, config, key: key)
        }
        if let object = value.objectValue {
            let className = object["class_name"]?.stringValue
            if className == "function" || className == "builtins.function" {
                let name = object["config"]?.stringValue ?? object["config"]?["name"]?.stringValue
                guard let name else { throw config.error(key, "expected the function's name in \(value.brief)") }
                let module = object["module"]?.stringValue ?? "keras.activations"
                // A function from a user module is custom: Keras needs custom_objects to load it.
                if !module.hasPrefix("keras") && !module.hasPrefix("tensorflow") { return name }
                return try validate(name, config, key: key)
            }
            if className == "__lambda__" { return "lambda" }
            if let className, layerClassNames.contains(className) { return className }
            if let className, object["registered_name"]?.stringValue != nil || object["module"] != nil {
                // A registered custom activation object.
                return className
            }
        }
        throw config.error(key, "expected an activation name, found \(value.brief)")
    }

    private static func validate(_ name: String, _ config: LayerConfig, key: String) throws -> String {
        guard isKnown(name) else {
            throw config.error(key, "unknown activation \"\(name)\"; Keras knows \(names.sorted().joined(separator: ", "))")
        }
        return name
    }

    /// Length of the last axis after the activation runs, for executing a layer: `glu` halves
    /// it, `crelu` doubles it, every other activation keeps it. Keras's reported output shapes
    /// do NOT reflect this (Activation and Dense give `compute_output_shape` unchanged), so shape
    /// inference keeps the Keras shape; only an executor needs this.
    public static func runtimeLastAxis(_ name: String?, _ length: Int) -> Int {
        switch name {
        case "glu": return length / 2
        case "crelu": return length.multipliedReportingOverflow(by: 2).overflow ? length : length * 2
        default: return length
        }
    }
}

extension Activations {
    /// The function a validated Keras activation name stands for, in this dialect: nil (no
    /// activation) and `linear` are the identity; `hard_sigmoid` is `0.2x + 0.5` clipped in
    /// Keras 2 and `x/6 + 0.5` clipped in Keras 3; a name the engine has no kernel for is kept.
    public static func function(_ name: String?, isKeras2: Bool) -> ActivationFunction {
        guard let name else { return .linear }
        switch name {
        case "linear": return .linear
        case "relu": return .relu
        case "relu6": return .relu6
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "softmax", "softmax_v2": return .softmax
        case "elu": return .elu(alpha: 1)
        case "selu": return .selu
        case "softplus": return .softplus
        case "softsign": return .softsign
        case "swish", "silu": return .swish
        case "gelu": return .gelu
        case "hard_sigmoid": return isKeras2 ? .hardSigmoid(slope: 0.2, offset: 0.5) : .hardSigmoid(slope: 1.0 / 6, offset: 0.5)
        case "hard_swish", "hard_silu": return .hardSwish
        case "leaky_relu": return .leakyReLU(slope: 0.2)
        case "exponential": return .exponential
        case "mish": return .mish
        default: return .other(name)
        }
    }

    /// Reads and validates the activation at `key` and resolves it for the config's dialect.
    public static func function(_ config: LayerConfig, key: String = "activation") throws -> ActivationFunction {
        function(try validate(config, key: key), isKeras2: config.isKeras2)
    }
}
