/// A layer serialized inside another layer's config (`Bidirectional.layer`,
/// `TimeDistributed.layer`): `{"class_name": ..., "config": {...}}`, decoded through the
/// catalog. Its weights are reported below its own name, as Keras 3 paths them
/// (`td_dense/dense/kernel`: the wrapper's name is added by the analyzer, the inner name here).
///
/// Upstream: keras/src/layers/core/wrapper.py (`Wrapper.from_config`).
public struct WrappedLayer: Sendable {
    /// The wrapped layer's class name as saved.
    public let className: String
    /// The name its weights are reported below.
    public let name: String
    /// The decoded wrapped layer.
    public let kind: any LayerKind
    /// The inner layer's own config object (for wrapper checks such as `go_backwards`).
    public let config: LayerConfig

    /// Decodes `config[key]`; an unknown class is an error naming it and the key.
    public init(_ outer: LayerConfig, key: String) throws {
        let object = try outer.nested(key)
        guard let cls = object["class_name"]?.stringValue else {
            throw outer.error(key, "the wrapped layer has no \"class_name\"")
        }
        guard let kindType = LayerCatalog.kind(named: cls) else {
            throw outer.error("\(key).class_name", "the wrapped layer has class \"\(cls)\", which Strata does not know")
        }
        guard let inner = object["config"]?.objectValue else {
            throw outer.error("\(key).config", "expected the wrapped layer's config object, found \(object["config"]?.brief ?? "nothing")")
        }
        let name = inner["name"]?.stringValue ?? WrappedLayer.defaultName(cls)
        let innerConfig = LayerConfig(object: inner, path: "\(outer.path).\(key).config", layerName: name, isKeras2: outer.isKeras2)
        self.className = cls
        self.name = name
        self.config = innerConfig
        self.kind = try kindType.init(config: innerConfig)
    }

    init(className: String, name: String, kind: any LayerKind, config: LayerConfig) {
        self.className = className
        self.name = name
        self.kind = kind
        self.config = config
    }

    /// The inner layer's weights with its name in front (`dense/kernel`).
    public func weights(_ inputs: [TensorShape], prefix: String? = nil) throws -> [WeightSpec] {
        try kind.weights(inputs).map { w in
            var w = w
            w.name = "\(prefix ?? name)/\(w.name)"
            return w
        }
    }

    /// Keras's automatic layer name for a class: `SimpleRNN` -> `simple_rnn`, `LSTM` -> `lstm`.
    static func defaultName(_ className: String) -> String {
        let base = className.split(separator: ".").last.map(String.init) ?? className
        let chars = Array(base)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let prevLower = chars[i - 1].isLowercase
                let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if prevLower || (chars[i - 1].isUppercase && nextLower) { out.append("_") }
            }
            out.append(Character(c.lowercased()))
        }
        return out
    }
}
