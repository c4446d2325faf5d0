import ModelKit

extension PReLUOp {
    public init(config: LayerConfig) throws {
        var sharedAxes: [Int]?
        sharedAxes = try config.intList("shared_axes")
        self.init(sharedAxes: sharedAxes)
    }
}
