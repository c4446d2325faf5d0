import ModelKit

extension ReshapeOp {
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
