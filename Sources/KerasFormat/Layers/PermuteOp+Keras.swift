import ModelKit

extension PermuteOp {
    /// Permute (keras/src/layers/reshaping/permute.py): `dims`, 1-based, the batch axis fixed.
    public init(config: LayerConfig) throws {
        var dims: [Int]
        guard let d = try config.intList("dims") else { throw config.error("dims", "missing key \"dims\"") }
        guard d.sorted() == Array(1...max(d.count, 1)), !d.isEmpty else {
            throw config.error("dims", "must be a permutation of 1...\(d.count) (the batch axis 0 cannot move), found \(d)")
        }
        dims = d
        self.init(dims: dims)
    }
}
