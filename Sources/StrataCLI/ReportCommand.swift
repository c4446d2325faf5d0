import ArgumentParser
import Foundation
import ModelKit
import Execution
import Reporting

/// `strata report [FOLDER...]`: the nightly batch over a models folder.
struct ReportCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on every model in the folders: PDF, SVGs, Markdown and JSON per model, an index, the change since the last run.",
        discussion: """
        With no folders, reads config/strata.yml (when present) and reports on its inputs \
        (default Examples/) into its output folder (default Output/). \
        Exit codes: 0 all reported; 1 some models failed (the others are still reported); \
        2 usage or configuration error; 3 a regression beyond a threshold with --fail-on-regression.
        """
    )

    @Argument(help: "Folders (or single files) to report on; default: the configuration's inputs.")
    var folders: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: config/strata.yml when present).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated: pdf, svg, md, json.", valueName: "formats"))
    var format: String?

    @Flag(name: .customLong("no-forward"), help: "Do not run the timed forward pass.")
    var noForward = false

    @Option(name: .long, help: ArgumentHelp("Threads for the forward pass.", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Models reported in parallel (default: the core count).", valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Report only shard K of N: every N-th model by id, starting with the K-th.", valueName: "K/N"))
    var shard: String?

    @Flag(name: .customLong("fail-on-regression"), help: "Exit with code 3 when a regression passes a threshold.")
    var failOnRegression = false

    @Option(name: .long, help: ArgumentHelp("Run date written into every output (ISO 8601); default: now.", valueName: "date"))
    var date: String?

    @Option(name: .customLong("model-timeout"), help: ArgumentHelp(
        "Seconds one model may take before its worker is stopped and the model fails (default: batch.model_timeout, 600).",
        valueName: "seconds"))
    var modelTimeout: Double?

    @Option(name: .customLong("model-memory"), help: ArgumentHelp(
        "Resident memory one model's worker may use, e.g. 8G or 512M (default: batch.model_memory, half the physical memory).",
        valueName: "bytes"))
    var modelMemory: String?

    @Flag(name: .long, help: "Redo every model, even those unchanged since their last report.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("For models built from repeated blocks: blocks (an overview and one diagram per block type) or full (every layer as well); default: report.detail.", valueName: "blocks|full"))
    var detail: String?

    @Option(name: .long, help: ArgumentHelp("What fills the overview's boxes of a timed model: params (their share of the parameters) or latency (their share of the time); default: report.shade.", valueName: "params|latency"))
    var shade: String?

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case folders, out, config, format, noForward, threads, jobs, shard, failOnRegression, date, modelTimeout, modelMemory, force, detail, shade }

    static func parseShard(_ text: String) throws -> (k: Int, n: Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
            throw ValidationError("--shard \"\(text)\": expected K/N with 1 <= K <= N, e.g. 2/4")
        }
        return (k, n)
    }

    func validate() throws {
        if let shard { _ = try Self.parseShard(shard) }
        if let detail, DiagramOptions.Detail(rawValue: detail.lowercased()) == nil {
            throw ValidationError("--detail \"\(detail)\": expected blocks or full")
        }
        if let shade, DiagramOptions.Shade(rawValue: shade.lowercased()) == nil {
            throw ValidationError("--shade \"\(shade)\": expected params or latency")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): expected at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): expected at least 1") }
        if let modelTimeout, !(modelTimeout >= 1) { throw ValidationError("--model-timeout \(modelTimeout): expected a number of seconds of at least 1") }
        if let modelMemory, (ModelRunSetup.parseBytes(modelMemory) ?? 0) < 1 {
            throw ValidationError("--model-memory \(modelMemory): expected a byte count such as 8G, 512M or 1000000")
        }
    }

    func execute() throws {
        let settings = try makeSettings()
        let runner = BatchRunner(settings: settings, sink: sink, live: BatchProgress.stderrIsTerminal && sink.isStandard)
        let outcome: BatchRunner.Outcome
        do { outcome = try runner.run() } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e)")
        }
        let ok = outcome.index.entries.filter { $0.status == .ok }.count
        var lines = ["Reported \(ok) of \(outcome.index.entries.count) models into \(settings.output) in \(String(format: "%.1f", outcome.seconds)) s."]
        let failed = outcome.index.entries.filter { $0.status != .ok }
        if !failed.isEmpty {
            lines.append("\(failed.count) failed:")
            for e in failed { lines.append("  \(e.id)\(e.status == .stale ? " (previous report kept, marked stale)" : ""): \(e.error ?? "")") }
        }
        let w = outcome.workers
        var run = "\(w.started) model(s) ran in worker processes"
        if w.started > 0 { run += String(format: ", the largest peak %.0f MB", Double(w.peakRSSKB) / 1024) + (w.peakModel.map { " (\($0))" } ?? "") }
        if w.reused > 0 { run += "; \(w.reused) unchanged model(s) kept their previous report (--force redoes them)" }
        lines.append(run + ".")
        if let peak = ForwardProfiler.peakRSSBytes() {
            lines.append(String(format: "Batch process peak memory: %.0f MB (%.1f models/s).", Double(peak) / 1_048_576,
                                Double(outcome.index.entries.count) / max(outcome.seconds, 0.001)))
        }
        if settings.forward {
            let timed = outcome.index.entries.filter { $0.latencyMs != nil }.count
            let notTimed = outcome.index.entries.filter { $0.notTimed != nil }
            lines.append("Timed \(timed) of \(ok) reported models\(notTimed.isEmpty ? "." : "; not timed:")")
            for e in notTimed { lines.append("  \(e.id): \(e.notTimed ?? "")") }
        }
        if !outcome.index.regressions.isEmpty {
            lines.append("\(outcome.index.regressions.count) regression(s):")
            for r in outcome.index.regressions { lines.append("  \(r.message)") }
        }
        for u in outcome.index.unavailable { lines.append("Unavailable: \(u)") }
        sink.out(lines.joined(separator: "\n"))
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// The effective configuration: config/strata.yml (or --config) with the options on top.
    func makeSettings() throws -> BatchSettings {
        let config: StrataConfig
        do {
            var overrides = ConfigOverrides(inputs: folders, output: out, forwardEnabled: noForward ? false : nil, threads: threads, jobs: jobs,
                                            modelTimeout: modelTimeout, modelMemory: modelMemory.flatMap(ModelRunSetup.parseBytes))
            if let format { overrides.formats = try ConfigOverrides.parseFormats(format) }
            overrides.detail = detail.flatMap { DiagramOptions.Detail(rawValue: $0.lowercased()) }
            overrides.shade = shade.flatMap { DiagramOptions.Shade(rawValue: $0.lowercased()) }
            try overrides.validate()
            config = try ConfigLoader.load(path: self.config).applying(overrides)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e)", code: 2)
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return BatchSettings(
            inputs: config.inputs, output: config.output, formats: Set(config.formats),
            forward: config.forward.enabled, forwardThreads: config.forward.resolvedThreads(coreCount: cores),
            warmup: config.forward.warmup, runs: config.forward.runs, budgetSeconds: config.forward.budgetSeconds,
            memoryLimit: config.forward.memoryLimit, seed: UInt64(max(0, config.forward.seed)),
            jobs: config.resolvedJobs(coreCount: cores),
            shard: try shard.map(Self.parseShard), historyPath: config.history, templates: config.templates,
            runDate: date ?? RenderCommand.isoNow(),
            latencyIncreasePercent: config.regression.latencyIncreasePercent,
            failOnParamChange: config.regression.failOnParamChange,
            failOnMissingModel: config.regression.failOnMissingModel,
            failOnRegression: failOnRegression,
            inputShapes: config.forward.inputShapes.mapValues { $0.map { $0.map(String.init).joined(separator: ",") } },
            modelTimeout: config.batch.modelTimeout, modelMemory: config.batch.modelMemory ?? WorkerExecutable.defaultModelMemory,
            retime: config.forward.retime, force: force, detail: config.detail, shade: config.shade)
    }
}
