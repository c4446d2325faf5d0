/// An element-wise activation function, resolved by the reader from the file's own spelling
/// (a function name and the format version that gives it its meaning, an op type), so the
/// engine never needs to know which format or version meant what.
public enum ActivationFunction: Hashable, Sendable, CustomStringConvertible {
    /// The identity (no activation).
    case linear
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6
    /// `x >= 0 ? x : slope * x`.
    case leakyReLU(slope: Double)
    /// `x > 0 ? x : alpha * (exp(x) - 1)`.
    case elu(alpha: Double)
    /// Scaled ELU with the fixed constants of Klambauer et al. (2017).
    case selu
    case sigmoid
    /// `clip(slope * x + offset, 0, 1)`: versions differ in the slope (1/6 or 0.2).
    case hardSigmoid(slope: Double, offset: Double)
    case tanh
    /// Softmax over the last axis.
    case softmax
    /// `log(1 + exp(x))`.
    case softplus
    /// `x / (1 + |x|)`.
    case softsign
    /// `x * sigmoid(x)` (also called SiLU).
    case swish
    /// The exact GELU, `x * Φ(x)` with the normal CDF through erf.
    case gelu
    /// `x * relu6(x + 3) / 6`.
    case hardSwish
    case exponential
    /// `x * tanh(softplus(x))`.
    case mish
    /// A function the engine has no kernel for, by the name the file gives it (a custom
    /// function, `glu`, `crelu`): shapes and counts are unaffected, running it is an error.
    case other(String)

    /// The function's conventional lower-case name, for messages and step descriptions.
    public var description: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .relu6: return "relu6"
        case .leakyReLU(let s): return "leaky_relu(\(s))"
        case .elu(let a): return a == 1 ? "elu" : "elu(\(a))"
        case .selu: return "selu"
        case .sigmoid: return "sigmoid"
        case .hardSigmoid(let s, let o): return "hard_sigmoid(\(s), \(o))"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .softplus: return "softplus"
        case .softsign: return "softsign"
        case .swish: return "swish"
        case .gelu: return "gelu"
        case .hardSwish: return "hard_swish"
        case .exponential: return "exponential"
        case .mish: return "mish"
        case .other(let name): return name
        }
    }

    /// True for the identity.
    public var isLinear: Bool { self == .linear }
}
