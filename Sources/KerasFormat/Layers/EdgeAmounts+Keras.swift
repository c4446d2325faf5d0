import ModelKit

extension EdgeAmounts {
    /// Reads `key` from the config; `def` when absent or null. Every amount must be >= 0.
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
