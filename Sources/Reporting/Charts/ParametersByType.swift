import ModelKit

/// Parameters summed per layer class (nested models opened), trainable and non-trainable
/// stacked, largest first: the summary page's "Parameters by layer type".
public enum ParametersByType {
    public static let defaultLimit = 12

    /// One class's share.
    public struct Entry: Hashable, Sendable {
        public var className: String
        public var layers: Int
        public var trainable: Int
        public var nonTrainable: Int
        /// Parameters whose trainability the file does not record.
        public var unknown: Int = 0
        public var total: Int { trainable + nonTrainable + unknown }
    }

    /// Classes whose layers own parameters, largest total first, ties by name. Layers whose
    /// count is unknown are left out, as the totals leave them out.
    public static func entries(_ a: ModelAnalysis) -> [Entry] {
        var byClass: [String: Entry] = [:]
        for r in a.leafRows {
            guard let p = r.params, p > 0 else { continue }
            let (t, n, u) = ParameterChart.split(r)
            var e = byClass[r.className] ?? Entry(className: r.className, layers: 0, trainable: 0, nonTrainable: 0)
            e.layers += 1
            e.trainable += t
            e.nonTrainable += n
            e.unknown += u
            byClass[r.className] = e
        }
        return byClass.values.sorted { $0.total != $1.total ? $0.total > $1.total : $0.className < $1.className }
    }

    /// Classes none of whose layers own parameters, by name.
    public static func weightlessClasses(_ a: ModelAnalysis) -> [String] {
        let weighted = Set(entries(a).map(\.className))
        return Set(a.leafRows.filter { $0.params == 0 }.map(\.className)).subtracting(weighted).sorted()
    }

    /// Bars labelled `Conv2D ×9`; beyond `limit` classes the smallest fold into one bar.
    public static func bars(_ a: ModelAnalysis, limit: Int = defaultLimit) -> [BarChart.Bar] {
        let all = entries(a)
        let fold = all.count > max(1, limit)
        let shown = fold ? Array(all.prefix(max(1, limit) - 1)) : all
        var out = shown.map {
            BarChart.Bar(label: "\($0.className) ×\($0.layers)", values: [$0.trainable, $0.nonTrainable, $0.unknown],
                         valueLabel: ParameterChart.valueLabel(trainable: $0.trainable, nonTrainable: $0.nonTrainable, unknown: $0.unknown))
        }
        if fold {
            let rest = all.dropFirst(shown.count)
            let t = rest.reduce(0) { $0 + $1.trainable }, n = rest.reduce(0) { $0 + $1.nonTrainable }, u = rest.reduce(0) { $0 + $1.unknown }
            out.append(BarChart.Bar(label: "\(rest.count) other types", values: [t, n, u], valueLabel: ParameterChart.valueLabel(trainable: t, nonTrainable: n, unknown: u)))
        }
        return out
    }

    public static func chart(_ a: ModelAnalysis, theme: Theme, limit: Int = defaultLimit) -> BarChart {
        BarChart(series: ParameterChart.series(theme), bars: bars(a, limit: limit))
    }
}
