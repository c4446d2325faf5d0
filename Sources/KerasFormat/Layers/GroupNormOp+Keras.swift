import ModelKit

extension GroupNormOp {
    /// GroupNormalization (keras/src/layers/normalization/group_normalization.py, `build`, and
    /// `call` for the values the engine computes): `groups` (default 32, -1 for instance
    /// normalization), `axis` (default -1), `center`, `scale`, `epsilon` (default 1e-3).
    public init(config: LayerConfig) throws {
        var groups: Int
        var axis: Int
        var center: Bool
        var scale: Bool
        groups = try config.int("groups", default: 32)
        guard groups > 0 || groups == -1 else {
            throw config.error("groups", "must be a positive number (or -1 for instance normalization), found \(groups)")
        }
        axis = try config.int("axis", default: -1)
        center = try config.bool("center", default: true)
        scale = try config.bool("scale", default: true)
        self.init(groups: groups, axis: axis, center: center, scale: scale)
        epsilon = try config.double("epsilon", default: 1e-3)
    }
}
