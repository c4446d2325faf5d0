import Foundation

/// Formats changes since the previous run: signed deltas (`+666`, `−1,234`, using the minus
/// sign U+2212), percentages and latencies. Shared by the Markdown report and index.
public enum ChangeFormatting {
    /// The minus sign used in deltas.
    public static let minus = "\u{2212}"

    /// `666` -> `+666`, `-1234` -> `−1,234`, `0` -> `0`.
    public static func signedCount(_ delta: Int) -> String {
        delta == 0 ? "0" : (delta > 0 ? "+" : minus) + Formatting.count(Int(delta.magnitude))
    }

    /// `1_200_000` -> `+1.20 M`, `-442_000` -> `−442 k`, `0` -> `0`.
    public static func signedSI(_ delta: Int) -> String {
        delta == 0 ? "0" : (delta > 0 ? "+" : minus) + Formatting.si(Int(delta.magnitude))
    }

    /// The relative change from `previous` to `now` with one decimal (`+0.8%`), nil when
    /// `previous` is zero.
    public static func signedPercent(from previous: Double, to now: Double) -> String? {
        guard previous != 0 else { return nil }
        let p = (now - previous) * 100 / abs(previous)
        let text = String(format: "%.1f%%", abs(p))
        if text == "0.0%" { return "0.0%" }
        return (p > 0 ? "+" : minus) + text
    }

    /// A latency in milliseconds with three significant digits: `0.00912 ms`, `0.0890 ms`,
    /// `0.412 ms`, `4.12 ms`, `41.2 ms`, `412 ms` (at most six decimals; 0 is `0 ms`). Small
    /// models run in microseconds: fixed decimals would show them all as `0.000 ms`.
    public static func milliseconds(_ ms: Double) -> String {
        let a = abs(ms)
        guard a > 0, a.isFinite else { return a == 0 ? "0 ms" : "\(ms) ms" }
        let decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : min(6, 2 - Int((log10(a)).rounded(.down)))
        return String(format: "%.\(decimals)f", ms) + " ms"
    }

    /// `+0.52 ms`, `−3.10 ms`, `0 ms`.
    public static func signedMilliseconds(_ delta: Double) -> String {
        if delta == 0 { return "0 ms" }
        return (delta > 0 ? "+" : minus) + milliseconds(abs(delta))
    }

    /// A count delta with its percentage: `+666 (+0.8%)`, or `0`.
    static func countDelta(from previous: Int, to now: Int) -> String {
        let d = now - previous
        guard d != 0 else { return "0" }
        return signedCount(d) + (signedPercent(from: Double(previous), to: Double(now)).map { " (\($0))" } ?? "")
    }

    /// A MACs delta with decimal prefixes and its percentage: `+1.20 M (+9.5%)`, or `0`.
    static func siDelta(from previous: Int, to now: Int) -> String {
        let d = now - previous
        guard d != 0 else { return "0" }
        return signedSI(d) + (signedPercent(from: Double(previous), to: Double(now)).map { " (\($0))" } ?? "")
    }

    /// A latency delta with its percentage: `+0.52 ms (+4.3%)`.
    static func latencyDelta(from previous: Double, to now: Double) -> String {
        signedMilliseconds(now - previous) + (signedPercent(from: previous, to: now).map { " (\($0))" } ?? "")
    }

    /// One cell for the index: `new`, `no change`, or the changes joined by `; `
    /// (`params +666 (+0.8%); MACs +1.20 M (+9.5%); file changed`); `—` outside a batch.
    /// Latency appears only when both runs were timed.
    public static func summary(_ change: ModelChange?, params: Int?, macs: Int?, latencyMs: Double?) -> String {
        guard let change else { return "—" }
        if change.isNew { return "new" }
        var parts: [String] = []
        if let p = change.previousParams, let n = params, p != n { parts.append("params " + countDelta(from: p, to: n)) }
        if let p = change.previousMACs, let n = macs, p != n { parts.append("MACs " + siDelta(from: p, to: n)) }
        if let p = change.previousLatencyMs, let n = latencyMs { parts.append("latency " + latencyDelta(from: p, to: n)) }
        if change.contentChanged { parts.append(change.structure.map { "file changed: " + $0 } ?? "file changed") }
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }
}
