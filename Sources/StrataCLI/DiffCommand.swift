import ArgumentParser
import CairoRendering
import CLinux
import Execution
import Foundation
import GraphvizLayout
import ModelKit
import Reporting
import Tensors

/// `strata diff OLD NEW [--json] [--exit-code]`: what changed between two versions of a model.
struct DiffCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two versions of a model: layers added, removed, renamed and changed, and the totals.",
        discussion: """
        Layers (or ONNX nodes) are matched by name, then a renamed one by its class and settings. \
        For matched layers the output shapes, parameters, MACs, inputs, settings and (when both \
        files hold them) weights are compared; two serialisations of the same model (Keras 2 and \
        Keras 3) are not a change. Exit codes: 0 compared (with --exit-code: the same); 1 a model \
        could not be read; 2 usage error; 3 with --exit-code, the models differ (with --fail-on, a total moved beyond its threshold).
        """
    )

    @Argument(help: "OLD and NEW model files; with --git, the paths to look at (default: the whole repository).")
    var files: [String] = []

    @Option(name: .customLong("git"), help: ArgumentHelp(
        "Compare each model file changed between REV and the working tree (or between REV1 and REV2 with REV1..REV2), the old side read from git's objects.",
        valueName: "REV"))
    var gitRange: String?

    var old: String { files[0] }
    var new: String { files[1] }

    @Flag(name: .long, help: "Print JSON (schema strata-diff/1) instead of the table.")
    var json = false

    @Flag(name: .long, help: "Print Markdown sized for a pull-request comment instead of the table.")
    var markdown = false

    @Flag(name: .customLong("exit-code"), help: "Exit 3 when the models differ, 0 when they are the same.")
    var exitCode = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 3 only when a total moves by more than this: params>5%, trainable_params>1%, macs>10%, weight_bytes>5%, peak_activation_bytes>10%, layers>0%, and with --forward latency>10% (beyond the noise) (repeatable or comma-separated).",
        valueName: "rule"))
    var failOn: [String] = []

    @Option(name: .customLong("pdf"), help: ArgumentHelp("Write the comparison as a PDF: totals and changes, the new model's diagram with the changes marked, charts old and new.", valueName: "file"))
    var pdfFile: String?

    @Option(name: .customLong("svg"), help: ArgumentHelp("Write the new model's diagram with the changes marked as an SVG picture.", valueName: "file"))
    var svgFile: String?

    @Flag(name: .long, help: "Time both models' forward pass, alternately in one process, and compare the latency per layer (a change within the noise is reported as none).")
    var forward = false

    @Option(name: .long, help: "With --forward: timed runs of each model.")
    var runs = 30

    @Option(name: .long, help: "With --forward: warm-up runs of each model before timing.")
    var warmup = 5

    @Option(name: .long, help: "With --forward: threads (default: all cores).")
    var threads: Int?

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case files, gitRange, json, markdown, exitCode, failOn, pdfFile, svgFile, forward, runs, warmup, threads, timeout }

    func validate() throws {
        if json && markdown { throw ValidationError("give at most one of --json and --markdown") }
        if gitRange == nil && files.count != 2 { throw ValidationError("give two model files, OLD and NEW (or --git REV [PATH...])") }
        for rule in rules where Self.rule(rule) == nil {
            throw ValidationError("--fail-on takes TOTAL>PERCENT% with TOTAL one of \(ModelDiff.totalKeys.joined(separator: ", ")) or latency (with --forward), e.g. params>5%; given \(rule)")
        }
        if rules.contains(where: { Self.rule($0)?.total == "latency" }) && !forward { throw ValidationError("--fail-on latency>P% needs --forward (the models are not timed without it)") }
        if runs < 1 || warmup < 0 { throw ValidationError("--runs must be at least 1 and --warmup at least 0, given \(runs) and \(warmup)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, given \(threads)") }
        if (runs != 30 || warmup != 5 || threads != nil) && !forward { throw ValidationError("--runs, --warmup and --threads time the models: give --forward too") }
        for f in [pdfFile, svgFile].compactMap({ $0 }) where f.isEmpty { throw ValidationError("--pdf and --svg take a file name") }
    }

    var rules: [String] { failOn.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }

    /// `params>5%` as (total, percent); nil when malformed.
    static func rule(_ text: String) -> (total: String, percent: Double)? {
        let parts = text.split(separator: ">", maxSplits: 1).map(String.init)
        guard parts.count == 2, ModelDiff.totalKeys.contains(parts[0]) || parts[0] == "latency", parts[1].hasSuffix("%"), let p = Double(parts[1].dropLast()), p >= 0 else { return nil }
        return (parts[0], p)
    }

    /// The totals that moved by more than a --fail-on rule allows, as sentences.
    func breaches(_ d: ModelDiff, _ latency: LatencyComparison?) -> [String] {
        let all = d.totals
        return rules.compactMap(Self.rule).compactMap { r in
            if r.total == "latency" {
                guard let l = latency, l.measurable, abs(l.percent) > r.percent else { return nil }
                return String(format: "latency moved by %.1f%% (%.3f ms -> %.3f ms, noise ±%.3f ms), more than the %g%% allowed", l.percent, l.old.medianMs, l.new.medianMs, l.noiseMs, r.percent)
            }
            guard let t = all.first(where: { $0.key == r.total }), let a = t.old, let b = t.new else { return nil }
            let change = a == 0 ? (b == 0 ? 0 : Double.infinity) : abs(Double(b - a)) / Double(a) * 100
            return change > r.percent ? String(format: "%@ moved by %.1f%% (%@ -> %@), more than the %g%% allowed", r.total, change, String(a), String(b), r.percent) : nil
        }
    }

    /// Exit 3 for a difference (--exit-code) or a breached rule (--fail-on).
    func finish(_ diffs: [ModelDiff], latencies: [LatencyComparison?]) throws {
        if !rules.isEmpty {
            let broken = zip(diffs, latencies).flatMap { breaches($0, $1) }
            if !broken.isEmpty { throw CommandFailure(broken.map { "strata: diff: \($0)" }.joined(separator: "\n"), code: 3) }
            return
        }
        if exitCode && diffs.contains(where: { !$0.isEmpty }) { throw CommandFailure("", code: 3) }
    }

    func execute() throws {
        if let gitRange { return try executeGit(gitRange) }
        let a = try Self.open(old), b = try Self.open(new)
        let diff = ModelDiff.compare(a.input, b.input)
        let latency = forward ? try timeBoth(a, b, diff) : nil
        sink.out(render(diff, latency))
        try writePictures([(diff, a, b, latency)])
        try finish([diff], latencies: [latency])
    }

    func render(_ diff: ModelDiff, _ latency: LatencyComparison?) -> String {
        json ? DiffText.json(diff, latency: latency) : markdown ? DiffText.markdown(diff, latency: latency) : DiffText.table(diff, latency: latency)
    }

    /// One side of the comparison: the model opened, its analysis, its weights when read.
    struct Opened {
        var input: ModelDiff.Input
        var model: any OpenedModel
        var weights: WeightSet?
    }

    /// `--pdf` and `--svg`: the comparison's pages and marked diagram (several models under
    /// --git: one PDF with each comparison in turn, one SVG per model named after it).
    func writePictures(_ items: [(diff: ModelDiff, old: Opened, new: Opened, latency: LatencyComparison?)]) throws {
        guard pdfFile != nil || svgFile != nil, !items.isEmpty else { return }
        let measurer = PangoTextMeasurer()
        var pages: [Scene] = []
        for (i, item) in items.enumerated() {
            let out = DiffPages.render(item.diff, old: item.old.input.analysis, new: item.new.input.analysis, latency: item.latency,
                                       version: StrataVersion.current, measurer: measurer, engine: GraphvizLayoutEngine())
            for d in out.diagnostics { sink.error("strata: warning: \(d.message)") }
            pages += out.pages
            if let svgFile {
                let name = items.count == 1 ? svgFile
                    : ((svgFile as NSString).deletingPathExtension + "-" + ((item.new.input.file as NSString).lastPathComponent as NSString).deletingPathExtension
                       + "-\(i + 1).svg")
                try Self.write(try SVGWriter.data(scene: out.picture, file: name), to: name)
            }
        }
        if let pdfFile {
            let first = items[0].diff
            let metadata = PDFMetadata(title: "Model change: \(first.new.model)", subject: "strata diff \(first.old.file) \(first.new.file)",
                                       keywords: ["strata diff"], creator: "Strata \(StrataVersion.current)",
                                       date: ISO8601DateFormatter().string(from: Date()))
            try Self.write(try PDFWriter.data(pages: pages, metadata: metadata), to: pdfFile)
        }
    }

    /// Writes through a temporary name, so a reader never sees half a file.
    static func write(_ data: Data, to path: String) throws {
        let temp = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: data), rename(temp, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            throw CommandFailure("strata: error: \(path): cannot be written (does the folder exist? is it writable?)")
        }
    }

    /// `--forward`: both models built and timed alternately in this process.
    func timeBoth(_ a: Opened, _ b: Opened, _ diff: ModelDiff) throws -> LatencyComparison {
        var subjects: [(runner: any ForwardRunner, inputs: [Tensor])] = []
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        for side in [a, b] {
            let file = side.input.file
            do {
                let graph = side.model.graph
                let inputs = try ModelRunSetup.timingInputs(graph, shapes: Analyzer.declaredInputShapes(graph))
                let weights = try side.weights ?? ModelRunSetup.weights(side.model, analysis: side.input.analysis)
                if weights.seeded { sink.error(ModelRunSetup.seededNote(file)) }
                let (runner, _) = try ModelRunSetup.makeRunner(graph: graph, weights: weights.tensors, inputShapes: inputs.map(\.shape), threads: threadCount)
                subjects.append((runner, inputs))
            } catch let e as ExecutionError {
                throw CommandFailure("strata: error: \(file): cannot be timed: \(e.message)\(e.message.contains("dimension") ? " (strata time --input-shape times one model with stated sizes)" : "")")
            } catch let e as StrataError {
                throw CommandFailure("strata: error: \(e.inFile(file))")
            }
        }
        strata_release_free_memory()
        let profiler = ForwardProfiler(warmup: warmup, runs: runs, requestedThreads: threadCount)
        do {
            let t = try profiler.profileAlternately(subjects)
            return LatencyComparison(old: t[0], new: t[1], nameMap: diff.nameMap)
        } catch let e as ExecutionError {
            throw CommandFailure("strata: error: the forward pass failed: \(e.message)")
        }
    }

    /// `--git REV[..REV2] [PATH...]`: every model file git lists as changed, old side from
    /// git's objects (`git show REV:path`, no checkout), new side from the working tree or REV2.
    func executeGit(_ range: String) throws {
        let parts = range.components(separatedBy: "..")
        guard parts.count <= 2, !(parts.first ?? "").isEmpty else { throw CommandFailure("strata: error: --git takes REV or REV1..REV2, given \(range)", code: 2) }
        let (from, to) = (parts[0], parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil)
        // The repository holding the first path given (else the current folder).
        var base = FileManager.default.currentDirectoryPath
        if let first = files.first {
            var isDir: ObjCBool = false
            let abs = URL(fileURLWithPath: first).standardizedFileURL.path
            base = FileManager.default.fileExists(atPath: abs, isDirectory: &isDir) && isDir.boolValue ? abs : (abs as NSString).deletingLastPathComponent
        }
        let root = try Self.git(["-C", base, "rev-parse", "--show-toplevel"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let rootURL = URL(fileURLWithPath: root)
        var relative: [String] = []
        for p in files {
            let abs = URL(fileURLWithPath: p).standardizedFileURL.path
            guard abs == root || abs.hasPrefix(root + "/") else { throw CommandFailure("strata: error: \(p) is not in the repository at \(root)", code: 2) }
            relative.append(abs == root ? "." : String(abs.dropFirst(root.count + 1)))
        }
        let listed = try Self.git(["-C", root, "diff", "--name-only", from] + (to.map { [$0] } ?? []) + ["--"] + relative)
        let models = listed.split(separator: "\n").map(String.init).filter { FormatRegistry.standard.extensions.contains((($0 as NSString).pathExtension).lowercased()) }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("strata-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        func materialize(_ rev: String, _ path: String, _ side: String) throws -> String? {
            guard let data = try? Self.gitData(["-C", root, "show", "\(rev):\(path)"]) else { return nil }
            let dir = temp.appendingPathComponent(side).appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent((path as NSString).lastPathComponent)
            try data.write(to: url)
            return url.path
        }
        var differ = false
        var diffs: [ModelDiff] = []
        var latencies: [LatencyComparison?] = []
        var pictures: [(diff: ModelDiff, old: Opened, new: Opened, latency: LatencyComparison?)] = []
        var outputs: [String] = []
        if models.isEmpty { sink.out("No model file changed between \(from) and \(to ?? "the working tree").") }
        for path in models {
            let oldPath = try materialize(from, path, "old")
            let newPath: String? = try to.map { try materialize($0, path, "new") } ??
                (FileManager.default.fileExists(atPath: rootURL.appendingPathComponent(path).path) ? rootURL.appendingPathComponent(path).path : nil)
            guard let oldPath, let newPath else {
                differ = true
                outputs.append(json ? "{\"file\": \"\(path)\", \"status\": \"\(oldPath == nil ? "added" : "removed")\"}"
                                    : "\(path): \(oldPath == nil ? "added" : "removed") (no \(oldPath == nil ? "old" : "new") version to compare)")
                continue
            }
            // A file with a model's extension that is not one (a package.json) is passed over.
            if FormatRegistry.standard.sniff(newPath).format == nil && FormatRegistry.standard.sniff(oldPath).format == nil { continue }
            var a = try Self.open(oldPath), b = try Self.open(newPath)
            a.input.file = "\(path) @ \(from)"
            b.input.file = "\(path) @ \(to ?? "working tree")"
            let diff = ModelDiff.compare(a.input, b.input)
            let latency = forward ? try timeBoth(a, b, diff) : nil
            differ = differ || !diff.isEmpty
            diffs.append(diff)
            latencies.append(latency)
            pictures.append((diff, a, b, latency))
            outputs.append(render(diff, latency))
        }
        if !outputs.isEmpty { sink.out(json ? "[" + outputs.joined(separator: ",\n") + "]" : outputs.joined(separator: "\n\n")) }
        try writePictures(pictures)
        if !rules.isEmpty { return try finish(diffs, latencies: latencies) }
        if exitCode && differ { throw CommandFailure("", code: 3) }
    }

    static func git(_ args: [String]) throws -> String { String(decoding: try gitData(args), as: UTF8.self) }

    /// Runs the `git` binary; its error as one line naming the command.
    static func gitData(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw CommandFailure("strata: error: cannot run git: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CommandFailure("strata: error: git \(args.joined(separator: " ")): \(message.split(separator: "\n").first ?? "failed")")
        }
        return data
    }

    /// A model read with its analysis and, when the file holds them, its weights.
    static func open(_ path: String) throws -> Opened {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CommandFailure("strata: error: \(path): no such file") }
        guard !isDirectory.boolValue else { throw CommandFailure("strata: error: \(path): is a folder, not a model file") }
        do {
            let model = try FormatRegistry.standard.open(path)
            let analysis = Analyzer.analyze(model.graph)
            let weights = model.holdsWeights ? try? model.weights(analysis: analysis, seed: 0) : nil
            return Opened(input: ModelDiff.Input(file: path, graph: model.graph, analysis: analysis, weights: weights?.tensors), model: model, weights: weights)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(path))")
        }
    }
}
