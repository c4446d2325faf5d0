import ModelKit

extension WrappedLayer {
    /// Decodes `config[key]`, returning the inner layer's config too (for wrapper checks
    /// such as `go_backwards`); an unknown class is an error naming it and the key.
    ///
    /// The wrapped layer is serialized inside the wrapper's config (`Bidirectional.layer`,
    /// `TimeDistributed.layer`) as `{"class_name": ..., "config": {...}}`
    /// (keras/src/layers/core/wrapper.py, `Wrapper.from_config`) and decoded through the
    /// catalog; Keras 3 paths its weights below its own name.
    static func decode(_ outer: LayerConfig, key: String) throws -> (layer: WrappedLayer, config: LayerConfig) {
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
        let name = inner["name"]?.stringValue ?? defaultName(cls)
        let innerConfig = LayerConfig(object: inner, path: "\(outer.path).\(key).config", layerName: name, isKeras2: outer.isKeras2)
        return (WrappedLayer(className: cls, name: name, kind: try kindType.decodeOperator(innerConfig)), innerConfig)
    }

    /// Decodes `config[key]`; an unknown class is an error naming it and the key.
    public init(_ outer: LayerConfig, key: String) throws {
        self = try Self.decode(outer, key: key).layer
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
