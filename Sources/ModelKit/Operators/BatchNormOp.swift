/// Batch normalization at inference: `gamma * (x - mean) / sqrt(variance + epsilon) + beta`
/// with the moving statistics of each channel along `axis`.
///
/// Output shape = input shape. Weights, one value per channel of `axis` (each of shape
/// `(C,)`), in this order: `gamma` (trainable, if `scale`), `beta` (trainable, if `center`),
/// `moving_mean`, `moving_variance` (non-trainable); with `renorm` also `moving_stddev`,
/// `renorm_mean`, `renorm_stddev` (non-trainable). Several axes give weights of the input's
/// rank with 1 on the other axes, and `virtualBatch` adds a leading 1 to that shape.
/// MACs: 1 per output element (by convention for normalization layers).
public struct BatchNormOp: Operator {
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .normalization }
    public var family: String { "batch_normalization" }


    public let axis: NormalizationAxes
    public let center: Bool
    public let scale: Bool
    public let renorm: Bool
    public let virtualBatch: Bool
    /// Added to the variance before its square root.
    public let epsilon: Double


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, sourceClass) }

    /// Shape of each of the layer's weights.
    func parameterShape(_ input: TensorShape) throws -> [Int] {
        let sizes = try axis.sizes(input, axes: axis.axes, sourceClass)
        if sizes.count == 1 && !virtualBatch { return sizes }
        var shape = Array(repeating: 1, count: input.rank)
        for (a, d) in zip(axis.axes, sizes) { shape[input.normalizedAxis(a)!] = d }
        if virtualBatch { shape.insert(1, at: 1) }
        return shape
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let shape = try parameterShape(Shapes.single(inputs, sourceClass))
        var w: [WeightSpec] = []
        if scale { w.append(WeightSpec("gamma", shape)) }
        if center { w.append(WeightSpec("beta", shape)) }
        w.append(WeightSpec("moving_mean", shape, trainable: false))
        w.append(WeightSpec("moving_variance", shape, trainable: false))
        if renorm {
            w.append(WeightSpec("moving_stddev", shape, trainable: false))
            w.append(WeightSpec("renorm_mean", shape, trainable: false))
            w.append(WeightSpec("renorm_stddev", shape, trainable: false))
        }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(axis: NormalizationAxes, center: Bool, scale: Bool, renorm: Bool, virtualBatch: Bool, epsilon: Double) {
        self.axis = axis
        self.center = center
        self.scale = scale
        self.renorm = renorm
        self.virtualBatch = virtualBatch
        self.epsilon = epsilon
    }
}
