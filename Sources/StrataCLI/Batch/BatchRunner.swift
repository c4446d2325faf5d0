import Foundation
import KerasFormat
import ModelKit
import Reporting

/// The nightly batch: discovers the models, reports each (read, analyse, render, publish;
/// in parallel up to `jobs`), writes the index and records the run in the history.
/// A model that fails keeps its previous report (marked stale); the others go on.
public struct BatchRunner: Sendable {
    public var settings: BatchSettings
    public var sink: OutputSink
    public var live: Bool

    public init(settings: BatchSettings, sink: OutputSink, live: Bool = false) {
        self.settings = settings
        self.sink = sink
        self.live = live
    }

    /// What happened, for the summary and the exit code.
    public struct Outcome: Sendable {
        public var index: BatchIndex
        public var problems: [String]
        public var seconds: Double
        /// 0 all reported; 1 some models failed; 3 a regression with fail-on-regression.
        public var exitCode: Int32
    }

    /// The result of one model.
    struct ModelResult: Sendable {
        var found: ModelDiscovery.Found
        var entry: BatchIndex.Entry
        var record: HistoryEntry?
    }

    public func run() throws -> Outcome {
        let start = Date()
        let discovery = ModelDiscovery.discover(inputs: settings.inputs, excluding: [settings.output])
        var models = discovery.models
        if let s = settings.shard { models = ModelDiscovery.shard(models, k: s.k, of: s.n) }
        var problems = (discovery.problems + discovery.rejected).map(\.description)
        for p in discovery.problems { sink.error("strata: warning: \(p)") }
        for p in discovery.rejected { sink.error("strata: error: \(p)") }
        if !discovery.skipped.isEmpty {
            let shown = discovery.skipped.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            sink.error("strata: skipped \(discovery.skipped.count) file(s) that are not models (\(shown)\(discovery.skipped.count > 3 ? ", …" : ""))")
        }

        let publisher = try ReportPublisher(output: settings.output, runToken: "\(getpid())")
        defer { publisher.cleanUp() }
        let history = settings.historyPath.map { HistoryAccess(path: $0, sink: sink) }
        let previousRun = history?.previousModels() ?? []

        let progress = BatchProgress(total: models.count, sink: sink, live: live)
        let results = try runAll(models, publisher: publisher, history: history, progress: progress)
        progress.end()

        var entries = results.map(\.entry)
        // Models of the previous run that are gone now.
        var regressions: [BatchIndex.Regression] = []
        let present = Set(models.map(\.id))
        if settings.shard == nil {
            for id in previousRun where !present.contains(id) {
                regressions.append(.init(id: id, message: "\(id) was reported in the previous run and is missing now"))
            }
        }
        for e in entries {
            guard let change = e.change, !change.isNew else { continue }
            if settings.failOnParamChange, let before = change.previousParams, let now = e.params, before != now {
                regressions.append(.init(id: e.id, message: "\(e.id): parameters changed from \(Formatting.count(before)) to \(Formatting.count(now)) (\(now > before ? "+" : "−")\(Formatting.count(abs(now - before))))"))
            }
        }
        entries.sort { $0.id < $1.id }
        var unavailable: [String] = []
        if settings.forward { unavailable.append("timing: the batch does not run the timed forward pass yet (strata time does, one model at a time), so no latency figures are shown") }
        let index = BatchIndex(runDate: settings.runDate, strataVersion: StrataVersion.current, entries: entries,
                               regressions: regressions, unavailable: unavailable)
        if settings.formats.contains("md") {
            try publisher.writeFile(Data(try MarkdownIndex.render(index, templatesFolder: settings.templates).utf8), to: "index.md")
        }
        try publisher.writeFile(Data(IndexJSON.render(index).utf8), to: "index.json")
        history?.record(runDate: settings.runDate, shard: settings.shard.map { "\($0.k)/\($0.n)" }, results.compactMap(\.record))

        let failed = entries.filter { $0.status != .ok }
        problems += failed.map { "\($0.id): \($0.error ?? "failed")" }
        var code: Int32 = failed.isEmpty && discovery.rejected.isEmpty ? 0 : 1
        let blocking = regressions.filter { r in settings.failOnMissingModel || !r.message.contains("is missing now") }
        if settings.failOnRegression && !blocking.isEmpty { code = 3 }
        return Outcome(index: index, problems: problems, seconds: Date().timeIntervalSince(start), exitCode: code)
    }

    /// Reports every model, at most `jobs` at a time.
    func runAll(_ models: [ModelDiscovery.Found], publisher: ReportPublisher, history: HistoryAccess?,
                progress: BatchProgress) throws -> [ModelResult] {
        let jobs = max(1, settings.jobs)
        let results = LockedArray<ModelResult>()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = jobs
        for found in models {
            queue.addOperation {
                results.append(self.report(found, publisher: publisher, history: history, progress: progress))
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return results.values
    }

    /// One model, start to finish; never throws: failures become a failed or stale entry.
    func report(_ found: ModelDiscovery.Found, publisher: ReportPublisher, history: HistoryAccess?, progress: BatchProgress) -> ModelResult {
        let folder = ModelDiscovery.reportFolder(for: found.id)
        let previousExists = FileManager.default.fileExists(atPath: (settings.output as NSString).appendingPathComponent(folder))
        let hash = FileHash.sha256(path: found.path)
        do {
            progress.stage(found.id, "read")
            let graph = try ModelFileReader.read(found.path)
            progress.stage(found.id, "analyse")
            var analysis: ModelAnalysis
            if let dims = settings.inputShapes[found.id] {
                analysis = Analyzer.analyze(graph, inputShapes: try InputShapes.fill(graph, dims))
            } else {
                analysis = Analyzer.analyze(graph)
            }
            analysis.source.file = found.id
            if let error = analysis.diagnostics.first(where: { $0.severity == .error }) {
                throw StrataError(file: found.path, error.message)
            }
            var doc = ReportDocument(analysis: analysis, generatedAt: settings.runDate)
            doc.change = history?.change(for: found.id, contentHash: hash, analysis: analysis)
            progress.stage(found.id, "render")
            var files: [(name: String, data: Data)] = []
            var formats = Set<ModelRenderer.Format>()
            if settings.formats.contains("pdf") { formats.insert(.pdf) }
            if settings.formats.contains("svg") { formats.insert(.svg) }
            if !formats.isEmpty {
                let rendered = try ModelRenderer(formats: formats).render(doc)
                files += rendered.files
            }
            if settings.formats.contains("md") {
                files.append(("report.md", Data(try MarkdownReport.render(doc, templatesFolder: settings.templates).utf8)))
            }
            if settings.formats.contains("json") {
                files.append(("report.json", Data(ReportJSON.render(doc, timingUnavailable: settings.forward).utf8)))
            }
            progress.stage(found.id, "publish")
            let staged = try publisher.stage(files, for: folder)
            try publisher.publish(staged, to: folder)
            progress.finished(found.id, ok: true, detail: "\(Formatting.count(analysis.totals.params)) parameters, \(files.count) files")
            let entry = BatchIndex.Entry(id: found.id, reportFolder: folder, name: found.id, file: found.id, status: .ok,
                                         params: analysis.totals.params, macs: analysis.totals.macs, change: doc.change)
            return ModelResult(found: found, entry: entry,
                               record: HistoryEntry(id: found.id, name: analysis.modelName, file: found.id, hash: hash, ok: true,
                                                    totals: analysis.totals, error: nil))
        } catch {
            let message = (error as? StrataError).map { $0.inFile(found.path).description } ?? String(describing: error)
            progress.finished(found.id, ok: false, detail: message)
            let entry = BatchIndex.Entry(id: found.id, reportFolder: folder, name: found.id,
                                         file: found.id, status: previousExists ? .stale : .failed, error: message)
            return ModelResult(found: found, entry: entry,
                               record: HistoryEntry(id: found.id, name: found.id, file: found.id, hash: hash, ok: false,
                                                    totals: nil, error: message))
        }
    }
}

/// An array appended to from several threads.
final class LockedArray<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ x: T) { lock.lock(); items.append(x); lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return items }
}
