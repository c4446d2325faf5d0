import ModelKit

extension BatchNormOp {
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
