import ModelKit

extension EdgeAmounts {
    /// Reads `key` from the config (the `padding` of ZeroPadding1D/2D/3D, the `cropping` of
    /// Cropping1D/2D/3D); `def` when absent or null. Every amount must be >= 0.
    ///
    /// Accepted forms, as Keras's constructors accept them
    /// (keras/src/layers/reshaping/zero_padding2d.py):
    /// - 1D: an int `n` (both ends) or a pair `[left, right]`;
    /// - 2D/3D: an int `n` (every end of every axis), a list of one entry per spatial axis,
    ///   each an int (both ends) or a pair `[before, after]`.
    public init(config: LayerConfig, key: String, spatialRank: Int, default def: [(Int, Int)]) throws {
        var pairs: [(before: Int, after: Int)]
        guard let v = config[key], !v.isNull else {
            self.init(pairs: def.map { (before: $0.0, after: $0.1) })
            return
        }
        func pair(_ item: JSONValue) throws -> (before: Int, after: Int) {
            if let i = item.intValue { return (i, i) }
            if let a = item.arrayValue, a.count == 2, let x = a[0].intValue, let y = a[1].intValue { return (x, y) }
            throw config.error(key, "expected a whole number or a pair of whole numbers, found \(item.brief) in \(v.brief)")
        }
        var out: [(before: Int, after: Int)]
        if spatialRank == 1 {
            out = [try pair(v)]
        } else if let i = v.intValue {
            out = Array(repeating: (i, i), count: spatialRank)
        } else if let a = v.arrayValue {
            guard a.count == spatialRank else {
                throw config.error(key, "expected \(spatialRank) entries (one per spatial axis), found \(a.count): \(v.brief)")
            }
            out = try a.map(pair)
        } else {
            throw config.error(key, "expected a whole number or a list, found \(v.brief)")
        }
        if let bad = out.first(where: { $0.before < 0 || $0.after < 0 }) {
            throw config.error(key, "amounts cannot be negative, found (\(bad.before), \(bad.after)) in \(v.brief)")
        }
        pairs = out
        self.init(pairs: pairs)
    }
}
