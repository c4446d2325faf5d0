import ModelKit

extension L2NormalizeOp {
    public init(config: LayerConfig) throws {
        var axis: NormalizationAxes
        axis = try NormalizationAxes(config: config)
        self.init(axis: axis)
    }
}
