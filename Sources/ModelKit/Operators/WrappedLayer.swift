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
    public let kind: any Operator



    /// The inner layer's weights with its name in front (`dense/kernel`).
    public func weights(_ inputs: [TensorShape], prefix: String? = nil) throws -> [WeightSpec] {
        try kind.weights(inputs).map { w in
            var w = w
            w.name = "\(prefix ?? name)/\(w.name)"
            return w
        }
    }

    /// Every property, as a reader sets them.
    public init(className: String, name: String, kind: any Operator) {
        self.className = className
        self.name = name
        self.kind = kind
    }
}
