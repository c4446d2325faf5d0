/// A measured forward pass for the summary's headline figures (made from
/// `ReportDocument.timing`): layouts show nothing when there is none, never an estimate.
public struct LatencyFigure: Hashable, Sendable {
    /// Median wall time of one forward pass at batch 1, in seconds.
    public var medianSeconds: Double
    /// CPU threads the pass ran on.
    public var threads: Int
    /// Timed runs behind the median, when known.
    public var runs: Int?

    public init(medianSeconds: Double, threads: Int, runs: Int? = nil) {
        self.medianSeconds = medianSeconds
        self.threads = threads
        self.runs = runs
    }

    /// `12.3 ms`, `850 µs`, `1.24 s`: three significant digits.
    public var medianText: String {
        let s = medianSeconds
        func three(_ v: Double) -> String {
            v >= 100 ? String(format: "%.0f", v) : v >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
        }
        if s >= 1 { return three(s) + " s" }
        if s >= 1e-3 { return three(s * 1e3) + " ms" }
        return three(s * 1e6) + " µs"
    }
}
