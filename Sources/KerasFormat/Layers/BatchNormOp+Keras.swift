import ModelKit

extension BatchNormOp {
    /// BatchNormalization and its aliases (keras/src/layers/normalization/batch_normalization.py,
    /// `build`; Keras 2: tf_keras/src/layers/normalization/batch_normalization.py): `axis`,
    /// `center`, `scale`, `renorm`, `epsilon` (default 0.001) and `virtual_batch_size`. Keras 2
    /// saves `axis` as a list (`[3]`); several axes and `virtual_batch_size` exist in Keras 2
    /// only. The weights come in Keras's order.
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        var center: Bool
        var scale: Bool
        var renorm: Bool
        var virtualBatch: Bool
        var epsilon: Double
        axis = try NormalizationAxes(config: config)
        center = try config.bool("center", default: true)
        scale = try config.bool("scale", default: true)
        renorm = try config.bool("renorm", default: false)
        epsilon = try config.double("epsilon", default: 0.001)
        if let v = try config.optionalInt("virtual_batch_size") {
            guard v > 0 else { throw config.error("virtual_batch_size", "must be positive, found \(v)") }
            virtualBatch = true
        } else {
            virtualBatch = false
        }
        self.init(axis: axis, center: center, scale: scale, renorm: renorm, virtualBatch: virtualBatch, epsilon: epsilon)
    }
}
