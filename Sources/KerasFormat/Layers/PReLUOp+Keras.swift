import ModelKit

extension PReLUOp {
    /// PReLU (keras/src/layers/activations/prelu.py): `shared_axes`. Keras writes the 1 of a
    /// shared axis at index `axis - 1` of the shape without batch, with Python indexing, so
    /// `shared_axes=[0]` or a negative axis land where Python puts them; `PReLUOp` reproduces
    /// that.
    public init(config: LayerConfig) throws {
        var sharedAxes: [Int]?
        sharedAxes = try config.intList("shared_axes")
        self.init(sharedAxes: sharedAxes)
    }
}
