import Foundation

/// Progress of a batch run on standard error: on a terminal, one live line (models done of
/// total, current model and stage, elapsed, estimate); otherwise one log line per model
/// and stage result.
public final class BatchProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: OutputSink
    private let live: Bool
    private let total: Int
    private var done = 0
    private let start = Date()

    public init(total: Int, sink: OutputSink, live: Bool) {
        self.total = total
        self.sink = sink
        self.live = live
    }

    /// Whether standard error is a terminal.
    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private func elapsed() -> String { String(format: "%.1fs", Date().timeIntervalSince(start)) }

    /// A model started a stage (read, analyse, render, publish).
    public func stage(_ id: String, _ stage: String) {
        guard live else { return }
        lock.lock(); defer { lock.unlock() }
        let rate = done > 0 ? Date().timeIntervalSince(start) / Double(done) : 0
        let eta = done > 0 ? String(format: ", about %.0fs left", rate * Double(total - done)) : ""
        let line = "[\(done)/\(total)] \(id): \(stage) (\(elapsed())\(eta))"
        sink.errorRaw("\r\u{1B}[2K" + String(line.prefix(160)))
    }

    /// The result of one stage worth a log line (the forward pass's median, or why the model
    /// was not timed): logged when not live; on a terminal only `always` results are shown.
    public func stageResult(_ id: String, _ text: String, always: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        if live {
            if always { sink.errorRaw("\r\u{1B}[2K"); sink.error("strata: \(id): \(text)") }
        } else {
            sink.error("strata: \(id): \(text)")
        }
    }

    /// A model finished (ok or with an error).
    public func finished(_ id: String, ok: Bool, detail: String) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        if live {
            if !ok { sink.errorRaw("\r\u{1B}[2K"); sink.error("strata: \(id): \(detail)") }
        } else {
            sink.error("strata: [\(done)/\(total)] \(id): \(ok ? "reported" : "failed"): \(detail)")
        }
    }

    /// Ends the live line.
    public func end() {
        if live { lock.lock(); sink.errorRaw("\r\u{1B}[2K"); lock.unlock() }
    }
}
