import ModelKit

extension ReshapeOp {
    /// Reshape (keras/src/layers/reshaping/reshape.py): `target_shape`, at most one -1; the
    /// shape rule is keras/src/ops/operation_utils.py, `compute_reshape_output_shape`.
    public init(config: LayerConfig) throws {
        var targetShape: [Int?]
        guard let t = try config.shape("target_shape") else {
            throw config.error("target_shape", "missing key \"target_shape\"")
        }
        guard t.filter({ $0 == -1 }).count <= 1 else {
            throw config.error("target_shape", "at most one dimension can be -1, found \(Self.text(t))")
        }
        targetShape = t
        self.init(targetShape: targetShape)
    }
}
