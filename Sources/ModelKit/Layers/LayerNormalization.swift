/// Keras `LayerNormalization` (keras/src/layers/normalization/layer_normalization.py, `build`,
/// Keras 3.15).
///
/// Output shape = input shape. Weights of shape `(sizes on axis)`: an int axis gives
/// `(input[axis],)`; a list gives the sizes on the sorted axes. `gamma` (trainable) when
/// `scale` or the deprecated `rms_scaling`, then `beta` (trainable) when `center` and not
/// `rms_scaling`. MACs: 1 per output element (by convention for normalization layers).
public struct LayerNormalization: LayerKind {
    public static let className = "LayerNormalization"
    public static let category = LayerCategory.normalization
    public static let summary = "Normalizes each sample over its features (mean 0, variance 1), then applies a learned scale and offset per feature."

    public let axis: NormalizationAxes
    public let center: Bool
    public let scale: Bool
    public let rmsScaling: Bool

    public init(config: LayerConfig) throws {
        axis = try NormalizationAxes(config: config)
        center = try config.bool("center", default: true)
        scale = try config.bool("scale", default: true)
        rmsScaling = try config.bool("rms_scaling", default: false)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] { try axis.outputShapes(inputs, Self.className) }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, Self.className)
        let shape = try axis.featureShape(input, Self.className)
        var w: [WeightSpec] = []
        if scale || rmsScaling { w.append(WeightSpec("gamma", shape)) }
        if center && !rmsScaling { w.append(WeightSpec("beta", shape)) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }
}
