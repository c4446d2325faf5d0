import Foundation
import ModelKit

/// One Keras initializer as configured (`{"class_name": "GlorotUniform", "config": {...}}` or
/// a Keras 2 string such as `"glorot_uniform"`), with Keras's defaults for missing arguments.
public enum InitializerSpec: Equatable, Sendable {
    public enum Mode: String, Sendable { case fanIn = "fan_in", fanOut = "fan_out", fanAvg = "fan_avg" }
    public enum Distribution: String, Sendable {
        case uniform, truncatedNormal = "truncated_normal", untruncatedNormal = "untruncated_normal"
    }

    case zeros
    case ones
    case constant(Double)
    case randomUniform(min: Double, max: Double)
    case randomNormal(mean: Double, stddev: Double)
    /// Normal redrawn beyond two standard deviations from the mean.
    case truncatedNormal(mean: Double, stddev: Double)
    /// Also GlorotUniform/GlorotNormal, HeUniform/HeNormal, LecunUniform/LecunNormal.
    case varianceScaling(scale: Double, mode: Mode, distribution: Distribution)
    case orthogonal(gain: Double)
    case identity(gain: Double)

    /// Keras's `glorot_uniform`.
    public static let glorotUniform = InitializerSpec.varianceScaling(scale: 1, mode: .fanAvg, distribution: .uniform)
    /// Keras's `he_uniform` (LoRA's `lora_kernel_a`).
    public static let heUniform = InitializerSpec.varianceScaling(scale: 2, mode: .fanIn, distribution: .uniform)

    /// Thrown for an initializer Strata does not know or a malformed argument; the caller adds
    /// layer and weight.
    public struct Unknown: Error, Sendable { public var message: String }

    /// Parses a configured initializer. Returns the spec and the config's `seed` (an integer or
    /// nil). Class names are matched without case or underscores, so `GlorotUniform`,
    /// `glorot_uniform` and Keras 2's aliases (`zero`, `one`, `uniform`, `normal`) all work.
    public static func parse(_ value: JSONValue) throws -> (InitializerSpec, seed: Int?) {
        let name: String
        var config = JSONObject()
        switch value {
        case .string(let s): name = s
        case .object(let o):
            guard let n = (o["class_name"] ?? o["registered_name"])?.stringValue else {
                throw Unknown(message: "an initializer object without a \"class_name\"")
            }
            name = n
            if let c = o["config"]?.objectValue { config = c }
        default:
            throw Unknown(message: "expected an initializer name or object, found \(value.typeName)")
        }
        func number(_ key: String, _ fallback: Double) throws -> Double {
            guard let v = config[key], !v.isNull else { return fallback }
            guard let d = v.doubleValue, d.isFinite else {
                throw Unknown(message: "\(name): \"\(key)\" must be a number, found \(v.brief)")
            }
            return d
        }
        let seed = config["seed"]?.intValue
        let key = name.split(separator: ">").last.map(String.init)?.lowercased().replacingOccurrences(of: "_", with: "") ?? ""
        let spec: InitializerSpec
        switch key {
        case "zeros", "zero": spec = .zeros
        case "ones", "one": spec = .ones
        case "constant": spec = .constant(try number("value", 0))
        case "randomuniform", "uniform":
            spec = .randomUniform(min: try number("minval", -0.05), max: try number("maxval", 0.05))
        case "randomnormal", "normal":
            spec = .randomNormal(mean: try number("mean", 0), stddev: try number("stddev", 0.05))
        case "truncatednormal":
            spec = .truncatedNormal(mean: try number("mean", 0), stddev: try number("stddev", 0.05))
        case "glorotuniform": spec = .glorotUniform
        case "glorotnormal": spec = .varianceScaling(scale: 1, mode: .fanAvg, distribution: .truncatedNormal)
        case "heuniform": spec = .heUniform
        case "henormal": spec = .varianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal)
        case "lecununiform": spec = .varianceScaling(scale: 1, mode: .fanIn, distribution: .uniform)
        case "lecunnormal": spec = .varianceScaling(scale: 1, mode: .fanIn, distribution: .truncatedNormal)
        case "variancescaling":
            let scale = try number("scale", 1)
            guard scale > 0 else { throw Unknown(message: "\(name): \"scale\" must be positive, found \(scale)") }
            let modeText = config["mode"]?.stringValue?.lowercased() ?? "fan_in"
            guard let mode = Mode(rawValue: modeText) else {
                throw Unknown(message: "\(name): unknown mode \"\(modeText)\" (fan_in, fan_out or fan_avg)")
            }
            let distText = config["distribution"]?.stringValue?.lowercased() ?? "truncated_normal"
            let distribution: Distribution
            switch distText {
            case "uniform": distribution = .uniform
            case "truncated_normal", "normal": distribution = .truncatedNormal  // Keras 2's "normal" is truncated
            case "untruncated_normal": distribution = .untruncatedNormal
            default: throw Unknown(message: "\(name): unknown distribution \"\(distText)\"")
            }
            spec = .varianceScaling(scale: scale, mode: mode, distribution: distribution)
        case "orthogonal": spec = .orthogonal(gain: try number("gain", 1))
        case "identity", "identityinitializer": spec = .identity(gain: try number("gain", 1))
        default:
            throw Unknown(message: "unknown initializer class \"\(name)\"")
        }
        return (spec, seed)
    }

    /// `fan_in` and `fan_out` as Keras computes them (`compute_fans`): rank 0 → (1, 1); rank 1
    /// → (n, n); rank 2 → (in, out); higher ranks are convolution kernels
    /// `(..., in, out)` whose leading dimensions form the receptive field.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        case 2: return (shape[0], shape[1])
        default:
            let receptive = shape.dropLast(2).reduce(1, *)
            return (shape[shape.count - 2] * receptive, shape[shape.count - 1] * receptive)
        }
    }
}
