import Foundation
import Tensors
import ModelKit

/// Generates a model's weights from a seed, following each layer's configured initializers,
/// for models saved without weights (a `.json` config): runs repeat and timings are honest.
///
/// Each weight's initializer is the layer config's `<key>_initializer` for its name
/// (`kernel` → `kernel_initializer`, `recurrent_kernel` → `recurrent_initializer`,
/// `depthwise_kernel` → `depthwise_initializer`, `gamma`, `beta`, `moving_mean`,
/// `moving_variance`, `embeddings`, `alpha`, ...); the name's last component counts, so
/// `query/kernel` and `lstm_cell/kernel` use `kernel_initializer`. A wrapper's inner layer
/// config (`layer`, `cell`) is consulted when the layer's own config lacks the key. Without a
/// configured initializer, Keras's default for that weight is used (kernels glorot_uniform,
/// recurrent kernels orthogonal, biases and beta and moving means zeros, gamma and moving
/// variances ones, embeddings uniform ±0.05); an unrecognised weight name gets zeros (or
/// glorot_uniform when it ends in `kernel`).
///
/// Values come from SplitMix64 seeded by the run's seed, the initializer's own `seed` and a
/// stable hash of layer path and weight name: the same seed gives the same bytes, and a
/// layer's values do not depend on the rest of the model. They follow Keras's distributions,
/// not Keras's random streams (the values differ from what Keras would draw).
public struct WeightInitializer: Sendable {
    public var seed: UInt64

    /// Largest `rows × cols²` for which `Orthogonal` is computed exactly (Gram–Schmidt);
    /// beyond it, a Gaussian with standard deviation `gain / sqrt(max(rows, cols))` (nearly
    /// orthogonal for large matrices) is used instead.
    public static let orthogonalExactLimit = 1 << 27

    public init(seed: UInt64 = 0) { self.seed = seed }

    /// Config key and Keras default for a weight name.
    static func rule(weight: String, className: String, config: JSONObject) -> (key: String?, fallback: InitializerSpec) {
        let leaf = weight.split(separator: "/").last.map(String.init) ?? weight
        switch leaf {
        case "kernel": return ("kernel_initializer", .glorotUniform)
        case "recurrent_kernel": return ("recurrent_initializer", .orthogonal(gain: 1))
        case "bias": return ("bias_initializer", .zeros)
        case "depthwise_kernel": return ("depthwise_initializer", .glorotUniform)
        case "pointwise_kernel": return ("pointwise_initializer", .glorotUniform)
        case "embeddings": return ("embeddings_initializer", .randomUniform(min: -0.05, max: 0.05))
        case "gamma": return ("gamma_initializer", .ones)
        case "beta": return ("beta_initializer", .zeros)
        case "moving_mean": return ("moving_mean_initializer", .zeros)
        case "moving_variance": return ("moving_variance_initializer", .ones)
        case "alpha": return ("alpha_initializer", .zeros)
        case "scale": return (nil, className == "AdditiveAttention" ? .glorotUniform : .ones)
        case "mean", "count", "renorm_mean": return (nil, .zeros)
        case "variance", "moving_stddev", "renorm_stddev", "concat_score_weight": return (nil, .ones)
        case "lora_kernel_a", "lora_embeddings_a": return (nil, .heUniform)
        case "lora_kernel_b", "lora_embeddings_b": return (nil, .zeros)
        case "variable" where className == "LayerScale":
            return (nil, .constant(config["init_values"]?.doubleValue ?? 0))
        default: return (nil, leaf.hasSuffix("kernel") ? .glorotUniform : .zeros)
        }
    }

    /// The configured value for `key`: the layer's own config, else a wrapped layer's or cell's.
    static func configured(_ key: String, in config: JSONObject) -> JSONValue? {
        if let v = config[key], !v.isNull { return v }
        for inner in ["layer", "cell", "forward_layer"] {
            if let c = config[inner]?["config"]?.objectValue, let v = configured(key, in: c) { return v }
        }
        return nil
    }

    /// The initializer of one weight of a layer and its config seed. Throws `InitializerSpec.Unknown`.
    static func initializer(weight: String, className: String, config: JSONObject) throws -> (InitializerSpec, seed: Int?) {
        let (key, fallback) = rule(weight: weight, className: className, config: config)
        guard let key, let value = configured(key, in: config) else { return (fallback, nil) }
        return try InitializerSpec.parse(value)
    }

    /// Values for one weight of the layer at `layerPath` (`conv2d`, `encoder/dense`).
    /// Throws `StrataError` naming layer, weight and initializer class when the configured
    /// initializer is unknown or cannot fill the shape.
    public func values(layerPath: String, className: String, config: JSONObject, weight: WeightSpec, file: String? = nil) throws -> Tensor {
        let place = "layer \"\(layerPath)\""
        guard let count = weight.count else {
            throw StrataError(file: file, place: place, "weight \"\(weight.name)\" has a shape \(weight.shape) too large to initialise")
        }
        do {
            let (spec, configSeed) = try Self.initializer(weight: weight.name, className: className, config: config)
            var rng = SeededGenerator(seed: seed, configSeed: configSeed, layerPath: layerPath, weight: weight.name)
            var data = try Self.generate(spec, shape: weight.shape, count: count, rng: &rng)
            let leaf = weight.name.split(separator: "/").last.map(String.init) ?? weight.name
            if leaf == "bias", Self.configured("unit_forget_bias", in: config)?.boolValue == true, weight.shape.count == 1, count % 4 == 0 {
                // LSTM: the forget gate's bias (second quarter) starts at one.
                for i in (count / 4)..<(count / 2) { data[i] = 1 }
            }
            return Tensor(shape: weight.shape, data: data)
        } catch let e as InitializerSpec.Unknown {
            throw StrataError(file: file, place: place, "weight \"\(weight.name)\" (\(className)): \(e.message)")
        }
    }

    /// Fills `count` values of `shape` from `spec`.
    static func generate(_ spec: InitializerSpec, shape: [Int], count: Int, rng: inout SeededGenerator) throws -> [Float] {
        switch spec {
        case .zeros: return [Float](repeating: 0, count: count)
        case .ones: return [Float](repeating: 1, count: count)
        case .constant(let v): return [Float](repeating: Float(v), count: count)
        case .randomUniform(let lo, let hi): return (0..<count).map { _ in Float(rng.uniform(lo, hi)) }
        case .randomNormal(let mean, let sd): return (0..<count).map { _ in Float(mean + sd * rng.normal()) }
        case .truncatedNormal(let mean, let sd): return (0..<count).map { _ in Float(mean + sd * rng.truncatedNormal()) }
        case .varianceScaling(let scale, let mode, let distribution):
            let (fanIn, fanOut) = InitializerSpec.fans(shape)
            let n: Double
            switch mode {
            case .fanIn: n = max(1, Double(fanIn))
            case .fanOut: n = max(1, Double(fanOut))
            case .fanAvg: n = max(1, Double(fanIn + fanOut) / 2)
            }
            let s = scale / n
            switch distribution {
            case .uniform:
                let limit = (3 * s).squareRoot()
                return (0..<count).map { _ in Float(rng.uniform(-limit, limit)) }
            case .truncatedNormal:
                // Keras: the standard deviation of a normal truncated at ±2σ is 0.8796…σ.
                let sd = s.squareRoot() / 0.87962566103423978
                return (0..<count).map { _ in Float(sd * rng.truncatedNormal()) }
            case .untruncatedNormal:
                let sd = s.squareRoot()
                return (0..<count).map { _ in Float(sd * rng.normal()) }
            }
        case .identity(let gain):
            guard shape.count == 2 else {
                throw InitializerSpec.Unknown(message: "Identity needs a 2-D weight, found shape \(shape)")
            }
            var data = [Float](repeating: 0, count: count)
            for i in 0..<min(shape[0], shape[1]) { data[i * shape[1] + i] = Float(gain) }
            return data
        case .orthogonal(let gain):
            guard shape.count >= 2 else {
                throw InitializerSpec.Unknown(message: "Orthogonal needs a weight of rank 2 or more, found shape \(shape)")
            }
            return orthogonal(rows: count / max(1, shape[shape.count - 1]), cols: shape[shape.count - 1], gain: gain, rng: &rng)
        }
    }

    /// Keras's `Orthogonal`: a Gaussian (max × min) matrix made orthonormal by columns
    /// (Gram–Schmidt, equivalent to QR with a positive diagonal), transposed when there are
    /// fewer rows than columns, times `gain`; reshaped to (rows = product of all but the last
    /// dimension, cols = last dimension).
    static func orthogonal(rows: Int, cols: Int, gain: Double, rng: inout SeededGenerator) -> [Float] {
        let m = max(rows, cols), n = min(rows, cols)
        guard m > 0, n > 0 else { return [] }
        guard m.multipliedReportingOverflow(by: n * n).overflow == false, m * n * n <= orthogonalExactLimit else {
            let sd = gain / Double(m).squareRoot()
            return (0..<(rows * cols)).map { _ in Float(sd * rng.normal()) }
        }
        // Columns of length m, stored one after another.
        var q = (0..<(m * n)).map { _ in rng.normal() }
        for j in 0..<n {
            // Modified Gram–Schmidt, twice for stability.
            for _ in 0..<2 {
                for k in 0..<j {
                    var dot = 0.0
                    for i in 0..<m { dot += q[k * m + i] * q[j * m + i] }
                    for i in 0..<m { q[j * m + i] -= dot * q[k * m + i] }
                }
            }
            var norm = 0.0
            for i in 0..<m { norm += q[j * m + i] * q[j * m + i] }
            norm = norm.squareRoot()
            if norm < 1e-12 {
                // Degenerate draw (practically impossible): start the column again.
                for i in 0..<m { q[j * m + i] = rng.normal() }
                norm = 1
            }
            for i in 0..<m { q[j * m + i] /= norm }
        }
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                // rows >= cols: out = Q (m × n); else out = Qᵀ (n × m).
                out[r * cols + c] = Float(gain * (rows >= cols ? q[c * m + r] : q[r * m + c]))
            }
        }
        return out
    }
}

extension ModelWeights {
    /// Weights generated from `seed` following each layer's configured initializers (see
    /// `WeightInitializer`), with the same structure as `load(path:analysis:)`: every leaf
    /// layer of `analysis` (nested models' layers as `outer/inner`) with its tensors in the
    /// analysis's weight order and shapes. `graph` is the model the analysis was made from:
    /// it supplies the layer configs. `layout` is nil and `file` is the graph's source file.
    /// Throws `StrataError` naming layer, weight and class for an unknown initializer.
    public static func initialized(graph: ModelGraph, analysis: ModelAnalysis, seed: UInt64 = 0) throws -> ModelWeights {
        let initializer = WeightInitializer(seed: seed)
        let file = graph.source.file
        var paths: [String] = []
        var tensors: [String: [Tensor]] = [:]
        var specs: [String: [WeightSpec]] = [:]
        func walk(_ rows: [LayerRow], _ graph: ModelGraph?, prefix: String) throws {
            for row in rows where !row.isOperation {
                let path = prefix + row.name
                let layer = graph?.layers.first { $0.name == row.name }
                if !row.children.isEmpty || row.className == "Functional" || row.className == "Sequential" {
                    try walk(row.children, layer?.nestedGraph, prefix: path + "/")
                    continue
                }
                let config = layer?.config ?? JSONObject()
                var list: [Tensor] = []
                for spec in row.weights {
                    list.append(try initializer.values(layerPath: path, className: row.className, config: config, weight: spec, file: file))
                }
                paths.append(path)
                tensors[path] = list
                specs[path] = row.weights
            }
        }
        try walk(analysis.rows, graph, prefix: "")
        return ModelWeights(file: file, layout: nil, layerPaths: paths, tensors: tensors, specs: specs, diagnostics: [])
    }
}
