/// Layer normalization: each sample normalised to zero mean and unit variance over `axis`
/// (`epsilon` added to the variance), then scaled by `gamma` and shifted by `beta`. With
/// `rmsScaling` the input is divided by the root of the centred variance without subtracting
/// the mean, and there is no `beta`.
///
/// Output shape = input shape. Weights of shape (sizes on `axis`): one axis gives
/// `(input[axis],)`; a list gives the sizes on the sorted axes. `gamma` (trainable) when
/// `scale` or `rmsScaling`, then `beta` (trainable) when `center` and not `rmsScaling`.
/// MACs: 1 per output element (by convention for normalization layers).
public struct LayerNormOp: Operator {
    public var family: String { "layer_norm" }
    /// Added to the variance before the square root.
    public var epsilon: Double = 1e-3
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .normalization }


    public let axis: NormalizationAxes
    public let center: Bool
    public let scale: Bool
    public let rmsScaling: Bool


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, sourceClass) }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        let shape = try axis.featureShape(input, sourceClass)
        var w: [WeightSpec] = []
        if scale || rmsScaling { w.append(WeightSpec("gamma", shape)) }
        if center && !rmsScaling { w.append(WeightSpec("beta", shape)) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(axis: NormalizationAxes, center: Bool, scale: Bool, rmsScaling: Bool) {
        self.axis = axis
        self.center = center
        self.scale = scale
        self.rmsScaling = rmsScaling
    }
}
