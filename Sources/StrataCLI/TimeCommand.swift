import ArgumentParser
import Foundation
import Kernels
import Execution
import ModelKit
import Reporting

/// `strata time FILE [--threads N] [--warmup N] [--runs N] [--json] [--input-shape dims]...`:
/// times the forward pass at batch 1 on deterministic pseudo-random inputs, with the per-layer
/// table from a separate instrumented run set.
struct TimeCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "time",
        abstract: "Time a model's forward pass (batch 1) with its stored weights, per layer too.",
        discussion: """
        Runs --warmup untimed passes, then --runs timed passes of the whole model (median, min, \
        p90 and the spread, the interquartile range p75 - p25), then as many separate \
        instrumented passes that time each layer call; the sum of the per-layer medians is \
        shown beside the total. Inputs are pseudo-random values from a fixed seed, shaped like \
        the model's inputs at batch 1 (whole ids where an Embedding or CategoryEncoding reads \
        the input). Peak RSS is the process's VmHWM. The reference backend \
        is single-threaded: the threads used are recorded as 1 whatever --threads asks. \
        Exit codes: 0 done; 1 the model or its weights could not be read or run (a .json model \
        holds no weights); 2 usage error (including open input dimensions without --input-shape).
        """
    )

    @Argument(help: "A Keras model with weights: .keras archive or Keras 2 .h5.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Threads to ask for (default: the core count). The reference backend uses 1.", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Untimed warm-up runs.", valueName: "n"))
    var warmup: Int = 5

    @Option(name: .long, help: ArgumentHelp("Timed runs.", valueName: "n"))
    var runs: Int = 30

    @Option(name: .long, help: ArgumentHelp("Stop timed runs once they have taken this many seconds (at least one runs).", valueName: "seconds"))
    var budget: Double?

    @Flag(name: .customLong("show-plan"), help: "Print the execution plan's steps (what ran on oneDNN, what was fused, what fell back to the interpreter) on stderr.")
    var showPlan = false

    @Flag(name: .long, help: "Print one JSON object instead of the table.")
    var json = false

    @Option(name: .customLong("input-shape"), help: ArgumentHelp(
        "An input's shape, with or without the batch: 224,224,3 or 1,3,224,224, optionally naming the input (pixel_values=1,3,224,224). Repeat once per input, in order, or once per named input.",
        valueName: "dims"))
    var inputShapes: [String] = []

    @Option(name: .customLong("dim"), help: ArgumentHelp(
        "A size for every dimension the file names NAME (a symbolic dimension such as batch_size or N). Repeatable.",
        valueName: "NAME=SIZE"))
    var dims: [String] = []

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "Most bytes the execution plan may hold (packed weights, activations, scratchpad): 2G, 512M or a number. Default: half the physical memory.",
        valueName: "bytes"))
    var memoryLimit: String?

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case file, threads, warmup, runs, budget, showPlan, json, inputShapes, dims, memoryLimit, timeout }

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, given \(runs)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more, given \(warmup)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, given \(threads)") }
        if let memoryLimit, ModelRunSetup.parseBytes(memoryLimit) == nil {
            throw ValidationError("--memory-limit must be a byte count such as 2G, 512M or 1000000, given \(memoryLimit)")
        }
        if let budget, !(budget > 0) { throw ValidationError("--budget must be a positive number of seconds, given \(budget)") }
        for text in inputShapes {
            do { _ = try InputShapes.parse(text) } catch let e as StrataError { throw ValidationError("--" + e.message) }
        }
        for text in dims {
            do { _ = try InputShapes.binding(text) } catch let e as StrataError { throw ValidationError("--" + e.message) }
        }
    }

    func execute() throws {
        let model: any OpenedModel
        do {
            model = try FormatRegistry.standard.open(file)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
        let graph = model.graph
        var shapes: [TensorShape?] = Analyzer.declaredInputShapes(graph)
        let stated = !inputShapes.isEmpty || !dims.isEmpty
        if stated {
            do { shapes = try InputShapes.fill(graph, inputShapes, bindings: dims) } catch let e as StrataError {
                throw CommandFailure("strata: error: \(file): \(e.message.replacingOccurrences(of: "input shape ", with: "--input-shape "))", code: 2)
            }
        }
        let inputs: [Tensor]
        do { inputs = try ModelRunSetup.timingInputs(graph, shapes: shapes) } catch let e as ExecutionError {
            throw CommandFailure("strata: error: \(file): \(e.message); give the sizes with --input-shape (e.g. --input-shape 224,224,3 or --input-shape input=1,3,224,224), once per input, or name a symbolic size with --dim NAME=SIZE", code: 2)
        }
        let weights: WeightSet
        do {
            let analysis = !stated ? Analyzer.analyze(graph) : Analyzer.analyze(graph, inputShapes: shapes.map { $0! })
            weights = try ModelRunSetup.weights(model, analysis: analysis)
            if weights.seeded { sink.error(ModelRunSetup.seededNote(file)) }
            for d in weights.diagnostics { sink.error("strata: warning: \(d.message)") }
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let profiler = ForwardProfiler(warmup: warmup, runs: runs, requestedThreads: threadCount,
                                       budget: ModelRunSetup.budget(seconds: budget))
        let timing: ForwardTiming
        do {
            timing = try ModelRunSetup.time(graph: graph, weights: consume weights, inputs: inputs, profiler: profiler, threads: threadCount,
                                            memoryLimit: memoryLimit.flatMap(ModelRunSetup.parseBytes),
                                            showPlan: showPlan ? { steps in sink.error((["Execution plan (\(steps.count) steps):"] + steps.map { "  " + $0 }).joined(separator: "\n")) } : nil)
        } catch let e as ExecutionError {
            throw CommandFailure("strata: error: \(file): \(e.message)")
        }
        sink.out(json ? Self.json(timing, model: file) : Self.table(timing, model: file, budget: budget))
    }

    // MARK: - Output

    static func ms(_ v: Double) -> String { String(format: "%.3f", v) }

    /// The human table: totals, the per-layer sum beside them, then one row per layer call in
    /// execution order (name, class, median ms, share of the median total).
    static func table(_ t: ForwardTiming, model: String, budget: Double?) -> String {
        var lines: [String] = []
        lines.append("Model: \(model)")
        let threadNote = t.requestedThreads == t.threads ? "" : " (asked for \(t.requestedThreads); the reference backend is single-threaded; light layers run in plain Swift on one thread)"
        lines.append("Backend: \(t.backend), threads used: \(t.threads)\(threadNote)")
        var runsLine = "Runs: \(t.runs) timed after \(t.warmup) warm-up, batch 1, pseudo-random inputs (fixed seed)"
        if t.runs < t.requestedRuns, let budget { runsLine += "; stopped at the \(budget) s budget (\(t.requestedRuns) asked for)" }
        lines.append(runsLine)
        lines.append("Total: median \(ms(t.medianMs)) ms, min \(ms(t.minMs)) ms, p90 \(ms(t.p90Ms)) ms, spread (IQR, p75 - p25) \(ms(t.spreadMs)) ms")
        let share = t.medianMs > 0 ? String(format: " (%.1f%% of the median total)", t.layerSumMs / t.medianMs * 100) : ""
        lines.append("Sum of per-layer times: \(ms(t.layerSumMs)) ms\(share), medians over \(t.instrumentedRuns) separate instrumented run(s)")
        if let build = t.planBuildMs {
            var plan = "Plan: built in \(ms(build)) ms (not in the run times)"
            if let total = t.planBytes {
                plan += ", holds \(total) bytes"
                if let w = t.planWeightBytes, let a = t.planActivationBytes {
                    plan += " (packed weights \(w), activation buffers \(a), scratchpad \(total - w - a))"
                }
            }
            lines.append(plan)
        }
        if let rss = t.peakRSSBytes {
            lines.append("Peak RSS: \(rss) bytes (\(String(format: "%.1f", Double(rss) / 1e6)) MB)")
        } else {
            lines.append("Peak RSS: not available")
        }
        if let load = t.otherCPULoad {
            lines.append(String(format: "Other processes: %.2f cores' worth of CPU during the runs", load)
                         + (t.disturbanceWarning.map { ". " + $0 } ?? ""))
        }
        lines.append("")
        let header = ["#", "Layer", "Class", "Median ms", "Share"]
        var rows: [[String]] = []
        for (i, l) in t.layers.enumerated() {
            let pct = t.medianMs > 0 ? String(format: "%.1f%%", l.medianMs / t.medianMs * 100) : "-"
            if let into = l.fusedInto {
                rows.append([String(i + 1), l.name, l.className, "fused into \(into)", "-"])
            } else {
                rows.append([String(i + 1), l.name, l.className, ms(l.medianMs), pct])
            }
        }
        rows.append(["", "Sum of per-layer times", "", ms(t.layerSumMs), t.medianMs > 0 ? String(format: "%.1f%%", t.layerSumMs / t.medianMs * 100) : "-"])
        rows.append(["", "Total (median)", "", ms(t.medianMs), "100.0%"])
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        let rightAligned: Set<Int> = [0, 3, 4]
        func format(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return rightAligned.contains(c) ? pad + s : s + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        lines.append(format(header))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in rows.dropLast(2) { lines.append(format(r)) }
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in rows.suffix(2) { lines.append(format(r)) }
        let modules = t.moduleTimes
        if !modules.isEmpty {
            // The same times summed per module of the exported model (from its node names).
            lines.append("")
            let mh = ["Module", "Nodes", "Median ms", "Share"]
            let mrows = modules.map { m in
                [m.module, String(m.nodes), ms(m.medianMs), t.medianMs > 0 ? String(format: "%.1f%%", m.medianMs / t.medianMs * 100) : "-"]
            }
            let mw = mh.indices.map { c in ([mh] + mrows).map { $0[c].count }.max() ?? 0 }
            func mformat(_ r: [String]) -> String {
                r.enumerated().map { c, s in
                    let pad = String(repeating: " ", count: mw[c] - s.count)
                    return c == 0 ? s + pad : pad + s
                }.joined(separator: "  ")
            }
            lines.append(mformat(mh))
            lines.append(mw.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            for r in mrows { lines.append(mformat(r)) }
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object on one line, keys in a fixed order (see the README for the schema);
    /// `report.json`'s `timing` carries the same keys.
    static func json(_ t: ForwardTiming, model: String) -> String { TimingJSON.render(t, model: model) }
}
