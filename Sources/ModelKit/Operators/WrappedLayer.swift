/// A layer held inside another node (the layer a time-distributed or bidirectional wrapper
/// runs), decoded by the reader. Its weights are reported below its own name
/// (`td_dense/dense/kernel`: the wrapper's name is added by the analyzer, the inner name here).
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
