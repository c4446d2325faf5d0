/// A layer wrapped by spectral normalization. During training the wrapper divides the inner
/// layer's kernel by its largest singular value (estimated by power iteration with the
/// stored vector `u`); at inference it runs the inner layer with the kernel as stored, so
/// the forward pass is the inner layer's.
///
/// Weights: `vector_u (1, kernel's last dim)`, not trainable, then the inner layer's, below
/// its name. MACs: the inner layer's.
public struct SpectralNormalizationOp: Operator {
    public var family: String { "spectral_normalization" }
    public var sourceClass: String = ""
    public var category: LayerCategory { inner.kind.category }
    /// The normalized layer.
    public let inner: WrappedLayer

    public init(inner: WrappedLayer) { self.inner = inner }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try inner.kind.outputShapes(inputs) }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let own = try inner.weights(inputs)
        guard let kernel = own.first, let width = kernel.shape.last else {
            throw LayerError("the wrapped \(inner.className) \"\(inner.name)\" has no kernel to normalize")
        }
        return [WeightSpec("vector_u", [1, width], trainable: false)] + own
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { inner.kind.macs(inputs, outputs) }
}
