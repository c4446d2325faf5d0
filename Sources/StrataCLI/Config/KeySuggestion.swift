/// The nearest allowed name to a mistyped one, for "did you mean" hints.
enum KeySuggestion {
    /// The allowed name closest to `typed` (optimal string alignment distance, so a swapped
    /// pair of letters counts once; case ignored), if it is close enough to be a typo: at most
    /// a third of the longer name's letters, and at least one. Ties go to the earlier name.
    static func nearest(to typed: String, in allowed: [String]) -> String? {
        let a = Array(typed.lowercased())
        var best: (name: String, distance: Int)?
        for name in allowed {
            let b = Array(name.lowercased())
            let d = distance(a, b)
            let limit = max(1, max(a.count, b.count) / 3)
            guard d <= limit else { continue }
            if best == nil || d < best!.distance { best = (name, d) }
        }
        return best?.name
    }

    /// Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
