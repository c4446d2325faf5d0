import ArgumentParser
import Foundation
import ModelKit
import Reporting

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
        "Exit 3 only when a total moves by more than this: params>5%, trainable_params>1%, macs>10%, weight_bytes>5%, layers>0% (repeatable or comma-separated).",
        valueName: "rule"))
    var failOn: [String] = []

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case files, gitRange, json, markdown, exitCode, failOn, timeout }

    func validate() throws {
        if json && markdown { throw ValidationError("give at most one of --json and --markdown") }
        if gitRange == nil && files.count != 2 { throw ValidationError("give two model files, OLD and NEW (or --git REV [PATH...])") }
        for rule in rules where Self.rule(rule) == nil {
            throw ValidationError("--fail-on takes TOTAL>PERCENT% with TOTAL one of \(Self.totalNames.joined(separator: ", ")), e.g. params>5%; given \(rule)")
        }
    }

    var rules: [String] { failOn.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }

    /// The totals compared: JSON key (and --fail-on name), label, and where a side has it.
    static let totalKinds: [(key: String, label: String, value: @Sendable (ModelDiff.Side) -> Int?)] = [
        ("params", "Parameters", { $0.totals.params }),
        ("trainable_params", "Trainable", { $0.totals.trainableParams }),
        ("non_trainable_params", "Non-trainable", { $0.totals.nonTrainableParams }),
        ("macs", "MACs", { $0.totals.macs }),
        ("weight_bytes", "Weight bytes", { $0.totals.weightBytes }),
        ("layers", "Layers", { $0.layers }),
    ]

    static var totalNames: [String] { totalKinds.map(\.key) }

    /// The totals old and new, in `totalKinds`' order.
    static func totals(_ d: ModelDiff) -> [(key: String, label: String, old: Int?, new: Int?)] {
        totalKinds.map { ($0.key, $0.label, $0.value(d.old), $0.value(d.new)) }
    }

    /// `params>5%` as (total, percent); nil when malformed.
    static func rule(_ text: String) -> (total: String, percent: Double)? {
        let parts = text.split(separator: ">", maxSplits: 1).map(String.init)
        guard parts.count == 2, totalNames.contains(parts[0]), parts[1].hasSuffix("%"), let p = Double(parts[1].dropLast()), p >= 0 else { return nil }
        return (parts[0], p)
    }

    /// The totals that moved by more than a --fail-on rule allows, as sentences.
    func breaches(_ d: ModelDiff) -> [String] {
        let all = Self.totals(d)
        return rules.compactMap(Self.rule).compactMap { r in
            guard let t = all.first(where: { $0.key == r.total }), let a = t.old, let b = t.new else { return nil }
            let change = a == 0 ? (b == 0 ? 0 : Double.infinity) : abs(Double(b - a)) / Double(a) * 100
            return change > r.percent ? String(format: "%@ moved by %.1f%% (%@ -> %@), more than the %g%% allowed", r.total, change, String(a), String(b), r.percent) : nil
        }
    }

    /// Exit 3 for a difference (--exit-code) or a breached rule (--fail-on).
    func finish(_ diffs: [ModelDiff]) throws {
        if !rules.isEmpty {
            let broken = diffs.flatMap(breaches)
            if !broken.isEmpty { throw CommandFailure(broken.map { "strata: diff: \($0)" }.joined(separator: "\n"), code: 3) }
            return
        }
        if exitCode && diffs.contains(where: { !$0.isEmpty }) { throw CommandFailure("", code: 3) }
    }

    func execute() throws {
        if let gitRange { return try executeGit(gitRange) }
        let a = try Self.input(old), b = try Self.input(new)
        let diff = ModelDiff.compare(a, b)
        sink.out(render(diff))
        try finish([diff])
    }

    func render(_ diff: ModelDiff) -> String { json ? Self.json(diff) : markdown ? Self.markdownText(diff) : Self.table(diff) }

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
            var a = try Self.input(oldPath), b = try Self.input(newPath)
            a.file = "\(path) @ \(from)"
            b.file = "\(path) @ \(to ?? "working tree")"
            let diff = ModelDiff.compare(a, b)
            differ = differ || !diff.isEmpty
            diffs.append(diff)
            outputs.append(render(diff))
        }
        if !outputs.isEmpty { sink.out(json ? "[" + outputs.joined(separator: ",\n") + "]" : outputs.joined(separator: "\n\n")) }
        if !rules.isEmpty { return try finish(diffs) }
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
    static func input(_ path: String) throws -> ModelDiff.Input {
        do {
            let model = try FormatRegistry.standard.open(path)
            let analysis = Analyzer.analyze(model.graph)
            let weights = model.holdsWeights ? (try? model.weights(analysis: analysis, seed: 0))?.tensors : nil
            return ModelDiff.Input(file: path, graph: model.graph, analysis: analysis, weights: weights)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(path))")
        }
    }

    static func count(_ v: Int?) -> String { v.map { Formatting.count($0) } ?? "unknown" }

    static func delta(_ a: Int?, _ b: Int?) -> String {
        guard let a, let b else { return "" }
        let d = b - a
        guard d != 0 else { return "=" }
        let pct = a != 0 ? String(format: " (%+.1f%%)", Double(d) / Double(a) * 100) : ""
        return (d > 0 ? "+" : "−") + Formatting.count(abs(d)) + pct
    }

    /// The terminal form: totals, then one line per change.
    static func table(_ d: ModelDiff) -> String {
        var lines = ["Old: \(d.old.file) (\(d.old.model))", "New: \(d.new.file) (\(d.new.model))", ""]
        let rows = totals(d).map { ($0.label, $0.old, $0.new) }
        let w0 = rows.map(\.0.count).max()!, w1 = rows.map { count($0.1).count }.max()!, w2 = rows.map { count($0.2).count }.max()!
        for (name, a, b) in rows {
            lines.append(name.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + String(repeating: " ", count: w1 - count(a).count) + count(a)
                         + "  →  " + String(repeating: " ", count: w2 - count(b).count) + count(b) + "  " + delta(a, b))
        }
        lines.append("")
        if d.isEmpty {
            lines.append("No differences: \(d.unchanged) layers match.")
            return lines.joined(separator: "\n")
        }
        for l in d.added { lines.append("+ added    \(l.name) (\(l.type))") }
        for l in d.removed { lines.append("- removed  \(l.name) (\(l.type))") }
        for r in d.renamed { lines.append("~ renamed  \(r.old) → \(r.new) (\(r.type))") }
        for c in d.changed {
            lines.append("* changed  \(c.name) (\(c.type))")
            for f in c.changes { lines.append(f.field == "weights" ? "      weights: \(f.new)" : "      \(f.field): \(f.old) → \(f.new)") }
        }
        lines.append("")
        lines.append("\(d.added.count) added, \(d.removed.count) removed, \(d.renamed.count) renamed, \(d.changed.count) changed, \(d.unchanged) unchanged.")
        return lines.joined(separator: "\n")
    }

    /// `strata-diff/1`.
    static func json(_ d: ModelDiff) -> String {
        func n(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        func total(_ a: Int?, _ b: Int?) -> JSONValue {
            .object(JSONObject([("old", n(a)), ("new", n(b)), ("delta", a != nil && b != nil ? .number(Double(b! - a!)) : .null)]))
        }
        func side(_ s: ModelDiff.Side) -> JSONValue {
            .object(JSONObject([("file", .string(s.file)), ("model", .string(s.model)), ("params", n(s.totals.params))]))
        }
        let root = JSONObject([
            ("schema", .string("strata-diff/1")),
            ("old", side(d.old)), ("new", side(d.new)),
            ("totals", .object(JSONObject(totals(d).map { ($0.key, total($0.old, $0.new)) }))),
            ("added", .array(d.added.map { .object(JSONObject([("name", .string($0.name)), ("type", .string($0.type))])) })),
            ("removed", .array(d.removed.map { .object(JSONObject([("name", .string($0.name)), ("type", .string($0.type))])) })),
            ("renamed", .array(d.renamed.map { .object(JSONObject([("old", .string($0.old)), ("new", .string($0.new)), ("type", .string($0.type))])) })),
            ("changed", .array(d.changed.map { c in
                .object(JSONObject([("name", .string(c.name)), ("type", .string(c.type)),
                                    ("changes", .array(c.changes.map { .object(JSONObject([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))])) }))]))
            })),
            ("unchanged", .number(Double(d.unchanged))),
        ])
        return JSONWriter.write(.object(root))
    }

    /// The most characters the Markdown may take (a pull-request comment holds 65,536).
    static let markdownLimit = 60_000

    /// Markdown for a pull-request comment: the totals, the changes, the unchanged count;
    /// long lists cut with their count, names escaped as in the wiki pages.
    static func markdownText(_ d: ModelDiff) -> String {
        func e(_ s: String) -> String { MarkdownEscaping.text(s) }
        var out = "### Model change: \(e(d.new.model))\n\n"
        out += "\(e(d.old.file)) → \(e(d.new.file))\n\n"
        out += "| | Old | New | Change |\n|:---|---:|---:|---:|\n"
        // The comment keeps to counts: the weights' bytes follow from the parameters.
        for t in totals(d) where t.key != "weight_bytes" {
            out += "| \(t.label) | \(count(t.old)) | \(count(t.new)) | \(delta(t.old, t.new)) |\n"
        }
        out += "\n"
        if d.isEmpty { return out + "No differences: \(d.unchanged) layers match.\n" }
        out += "\(d.added.count) added, \(d.removed.count) removed, \(d.renamed.count) renamed, \(d.changed.count) changed, \(d.unchanged) unchanged.\n\n"
        var lines: [String] = []
        lines += d.added.map { "- **added** \(e($0.name)) (\(e($0.type)))" }
        lines += d.removed.map { "- **removed** \(e($0.name)) (\(e($0.type)))" }
        lines += d.renamed.map { "- **renamed** \(e($0.old)) → \(e($0.new)) (\(e($0.type)))" }
        for c in d.changed {
            let fields = c.changes.map { f in f.field == "weights" ? "weights: \(e(f.new))" : "\(e(f.field)): \(e(f.old)) → \(e(f.new))" }
            lines.append("- **changed** \(e(c.name)) (\(e(c.type))): " + fields.joined(separator: "; "))
        }
        // The first changes shown; the rest folded, and cut (with their count) to stay under the limit.
        let shown = 20
        out += lines.prefix(shown).joined(separator: "\n") + "\n"
        if lines.count > shown {
            var folded = "\n<details><summary>\(lines.count - shown) more changes</summary>\n\n"
            var kept = 0
            for line in lines.dropFirst(shown) {
                guard out.utf8.count + folded.utf8.count + line.utf8.count + 200 < markdownLimit else { break }
                folded += line + "\n"
                kept += 1
            }
            if kept < lines.count - shown { folded += "\n… and \(lines.count - shown - kept) more, left out to keep this comment under \(markdownLimit) characters.\n" }
            out += folded + "\n</details>\n"
        }
        return out
    }
}
