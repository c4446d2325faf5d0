import Testing
@testable import ModelKit

/// The pairing and the noise rule of `strata diff --forward`, on timings written by hand.
@Suite struct LatencyComparisonTests {
    static func layer(_ name: String, _ ms: Double, spread: Double) -> ForwardTiming.LayerTime {
        var l = ForwardTiming.LayerTime(name: name, className: "Dense", medianMs: ms)
        l.spreadMs = spread
        return l
    }

    static func timing(_ runs: [Double], _ layers: [ForwardTiming.LayerTime]) -> ForwardTiming {
        ForwardTiming(runs: runs.count, requestedRuns: runs.count, warmup: 0, threads: 1, requestedThreads: 1, runMs: runs,
                      layers: layers, instrumentedRuns: runs.count, peakRSSBytes: nil, backend: "test")
    }

    @Test func layersPairThroughTheMatchingAndNoiseDecides() {
        // old: a 1.0 ms (IQR 0.1), b 2.0 (0.5), shared s and its second call, d (removed later).
        let old = Self.timing([10, 10, 10, 10], [Self.layer("a", 1.0, spread: 0.1), Self.layer("b", 2.0, spread: 0.5),
                                                 Self.layer("s", 0.3, spread: 0.01), Self.layer("s (call 2)", 0.3, spread: 0.01),
                                                 Self.layer("d", 0.4, spread: 0.05)])
        // new: a renamed a2 at 1.5 ms, b at 2.2 (within b's old IQR of 0.5), s renamed t, c added.
        let new = Self.timing([11, 12, 12, 13], [Self.layer("a2", 1.5, spread: 0.1), Self.layer("b", 2.2, spread: 0.3),
                                                 Self.layer("t", 0.3, spread: 0.01), Self.layer("t (call 2)", 0.6, spread: 0.01),
                                                 Self.layer("c", 0.5, spread: 0.02)])
        let c = LatencyComparison(old: old, new: new, nameMap: ["a": "a2", "b": "b", "s": "t"])
        #expect(c.layers.map(\.name) == ["a2", "b", "t", "t (call 2)", "c", "d"])
        let by = Dictionary(uniqueKeysWithValues: c.layers.map { ($0.name, $0) })
        #expect(by["a2"]?.oldMs == 1.0 && by["a2"]?.deltaMs == 0.5 && by["a2"]?.measurable == true)
        #expect(by["b"]?.noiseMs == 0.5 && by["b"]?.measurable == false)
        #expect(by["t"]?.measurable == false && by["t (call 2)"]?.oldMs == 0.3 && by["t (call 2)"]?.measurable == true)
        #expect(by["c"]?.oldMs == nil && by["c"]?.newMs == 0.5)
        #expect(by["d"]?.newMs == nil && by["d"]?.deltaMs == -0.4)
        // Totals: medians 10 and 12 (NumPy's linear percentile), IQRs 0 and 0.5 → +2 ms, +20 %, measurable.
        #expect(c.deltaMs == 2 && c.noiseMs == 0.5 && c.measurable && c.percent == 20)
    }
}
