/// Two versions of a model timed alternately in one process (`strata diff --forward`): the
/// whole pass and each layer, old against new, with the noise of each.
///
/// The rule for "measurable": a change counts only when the two medians differ by more than
/// the larger of the two interquartile ranges (p75 - p25 of the runs, or of a layer's
/// instrumented times). Within that, the two versions cannot be told apart on this machine
/// and the change is reported as "no measurable change".
public struct LatencyComparison: Sendable {
    /// One layer (by its new name; a removed layer by its old name), old and new medians.
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var className: String
        /// Median milliseconds; nil on the side that does not have the layer. A layer fused
        /// into another's step counts 0.
        public var oldMs: Double?
        public var newMs: Double?
        /// The larger of the two sides' interquartile ranges.
        public var noiseMs: Double
        public var deltaMs: Double { (newMs ?? 0) - (oldMs ?? 0) }
        public var measurable: Bool { LatencyComparison.measurable(deltaMs, noise: noiseMs) }
    }

    public var old: ForwardTiming
    public var new: ForwardTiming
    public var layers: [Layer]

    public var deltaMs: Double { new.medianMs - old.medianMs }
    public var noiseMs: Double { max(old.spreadMs, new.spreadMs) }
    public var measurable: Bool { Self.measurable(deltaMs, noise: noiseMs) }
    /// The change of the median in percent of the old median.
    public var percent: Double { old.medianMs > 0 ? deltaMs / old.medianMs * 100 : 0 }

    public static func measurable(_ delta: Double, noise: Double) -> Bool { abs(delta) > noise }

    /// Pairs the per-layer times through the comparison's matching (`nameMap`: old -> new).
    public init(old: ForwardTiming, new: ForwardTiming, nameMap: [String: String]) {
        self.old = old
        self.new = new
        var oldByNew: [String: ForwardTiming.LayerTime] = [:]
        var oldOrder: [String] = []
        for l in old.layers {
            // `name (call 2)`: the layer's new name with the same call suffix.
            let base = l.name.range(of: " (call ").map { String(l.name[..<$0.lowerBound]) } ?? l.name
            let suffix = String(l.name.dropFirst(base.count))
            let mapped = (nameMap[base] ?? base) + suffix
            oldByNew[mapped] = l
            oldOrder.append(mapped)
        }
        var out: [Layer] = []
        var seen = Set<String>()
        for l in new.layers {
            let o = oldByNew[l.name]
            seen.insert(l.name)
            out.append(Layer(name: l.name, className: l.className, oldMs: o?.medianMs, newMs: l.medianMs,
                             noiseMs: max(o?.spreadMs ?? 0, l.spreadMs)))
        }
        for name in oldOrder where !seen.contains(name) {
            // A removed layer: not in `nameMap`, so under its old name.
            let o = oldByNew[name]!
            out.append(Layer(name: name, className: o.className, oldMs: o.medianMs, newMs: nil, noiseMs: o.spreadMs))
        }
        layers = out
    }
}
