import ModelKit

extension RescaleOp {
    /// Rescaling (keras/src/layers/preprocessing/rescaling.py): `scale` (required) and
    /// `offset`, numbers or per-channel lists, which the engine reads from the config.
    public init(config: LayerConfig) throws {
        guard config["scale"] != nil else { throw config.error("scale", "missing key \"scale\"") }
        self.init(scale: try KerasConstants.numbers(config, "scale", default: 1),
                  offset: try KerasConstants.numbers(config, "offset", default: 0))
    }
}

/// Numbers a preprocessing config gives as one number or a list (`scale`, `mean`).
enum KerasConstants {
    /// The number or list at `key`, `[def]` when absent or null; an error naming the key and
    /// the value otherwise.
    static func numbers(_ config: LayerConfig, _ key: String, default def: Double) throws -> [Double] {
        guard let v = config[key], !v.isNull else { return [def] }
        if let d = v.doubleValue { return [d] }
        if let list = v.arrayValue {
            return try list.map { e in
                guard let d = e.doubleValue else { throw config.error(key, "holds \(e.brief), not a number") }
                return d
            }
        }
        throw config.error(key, "is \(v.brief), not a number or a list of numbers")
    }
}
