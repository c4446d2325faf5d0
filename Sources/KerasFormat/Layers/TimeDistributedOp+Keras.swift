import ModelKit

extension TimeDistributedOp {
    public init(config: LayerConfig) throws {
        var inner: WrappedLayer
        inner = try WrappedLayer(config, key: "layer")
        self.init(inner: inner)
    }
}
