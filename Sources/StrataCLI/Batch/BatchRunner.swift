import Foundation
import KerasFormat
import Kernels
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
        for e in entries {
            guard let regression = latencyRegression(e) else { continue }
            regressions.append(regression)
        }
        entries.sort { $0.id < $1.id }
        let unavailable: [String] = []
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

    /// A model read and analysed, waiting for its forward pass and its rendering.
    struct Prepared: Sendable {
        var found: ModelDiscovery.Found
        var folder: String
        var previousExists: Bool
        var hash: String?
        var graph: ModelGraph
        var inputShapes: [TensorShape?]
        var doc: ReportDocument
    }

    /// A latency median up by more than the configured percentage since the previous timed run.
    func latencyRegression(_ e: BatchIndex.Entry) -> BatchIndex.Regression? {
        guard let before = e.change?.previousLatencyMs, let now = e.latencyMs, before > 0 else { return nil }
        let percent = (now - before) / before * 100
        guard percent > settings.latencyIncreasePercent else { return nil }
        return .init(id: e.id, message: "\(e.id): latency median rose from \(ChangeFormatting.milliseconds(before)) to \(ChangeFormatting.milliseconds(now)) (\(String(format: "+%.1f%%", percent)), threshold \(String(format: "%g", settings.latencyIncreasePercent))%)")
    }

    /// Reports every model in three phases: read and analyse (in parallel, at most `jobs` at
    /// a time), time the forward passes one model at a time with nothing else running (so
    /// they do not disturb each other), then render and publish (in parallel again).
    func runAll(_ models: [ModelDiscovery.Found], publisher: ReportPublisher, history: HistoryAccess?,
                progress: BatchProgress) throws -> [ModelResult] {
        let prepared = parallel(models) { self.prepare($0, history: history, progress: progress) }
        var ready: [Prepared] = []
        var results: [ModelResult] = []
        for p in prepared {
            switch p {
            case .success(let model): ready.append(model)
            case .failure(let failed): results.append(failed.result)
            }
        }
        if settings.forward {
            for i in ready.indices { time(&ready[i], progress: progress, position: (i + 1, ready.count)) }
        }
        results += parallel(ready) { self.publish($0, publisher: publisher, progress: progress) }
        return results
    }

    /// `body` over `items`, at most `jobs` at a time; results in the order of `items`.
    func parallel<In: Sendable, Out: Sendable>(_ items: [In], _ body: @escaping @Sendable (In) -> Out) -> [Out] {
        let results = LockedArray<(Int, Out)>()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, settings.jobs)
        for (i, item) in items.enumerated() {
            queue.addOperation { results.append((i, body(item))) }
        }
        queue.waitUntilAllOperationsAreFinished()
        return results.values.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A model that failed before it could be rendered.
    struct Failed: Error { var result: ModelResult }

    /// Reads and analyses one model; never throws: a failure becomes a failed or stale entry.
    func prepare(_ found: ModelDiscovery.Found, history: HistoryAccess?, progress: BatchProgress) -> Result<Prepared, Failed> {
        let folder = ModelDiscovery.reportFolder(for: found.id)
        let previousExists = FileManager.default.fileExists(atPath: (settings.output as NSString).appendingPathComponent(folder))
        let hash = FileHash.sha256(path: found.path)
        do {
            progress.stage(found.id, "read")
            let graph = try ModelFileReader.read(found.path)
            progress.stage(found.id, "analyse")
            var analysis: ModelAnalysis
            var shapes = Analyzer.declaredInputShapes(graph)
            if let dims = settings.inputShapes[found.id] {
                shapes = try InputShapes.fill(graph, dims)
                analysis = Analyzer.analyze(graph, inputShapes: shapes.map { $0! })
            } else {
                analysis = Analyzer.analyze(graph)
            }
            analysis.source.file = found.id
            if let error = analysis.diagnostics.first(where: { $0.severity == .error }) {
                throw StrataError(file: found.path, error.message)
            }
            var doc = ReportDocument(analysis: analysis, generatedAt: settings.runDate)
            doc.change = history?.change(for: found.id, contentHash: hash, analysis: analysis)
            if !settings.forward { doc.timingUnavailable = "the forward pass was turned off for this run (--no-forward, or forward.enabled: false in the configuration)" }
            return .success(Prepared(found: found, folder: folder, previousExists: previousExists, hash: hash, graph: graph,
                                     inputShapes: shapes, doc: doc))
        } catch {
            return .failure(Failed(result: failure(found, folder: folder, previousExists: previousExists, hash: hash, error: error, progress: progress)))
        }
    }

    /// Times one model's forward pass (its weights, or weights from the seed for a config
    /// without them). A model that cannot run is still reported, with the reason instead of
    /// a timing; nothing is estimated.
    func time(_ p: inout Prepared, progress: BatchProgress, position: (k: Int, n: Int)) {
        let id = p.found.id
        progress.stage(id, "forward pass, model \(position.k) of \(position.n) timed one at a time")
        do {
            let inputs: [Tensor]
            do { inputs = try ModelRunSetup.timingInputs(p.graph, shapes: p.inputShapes) } catch let e as ExecutionError {
                throw ExecutionError("\(e.message); give its sizes under forward.input_shapes in the configuration")
            }
            let weights = try ModelRunSetup.weights(file: p.found.path, graph: p.graph, analysis: p.doc.analysis, seed: settings.seed).weights
            // NaN or infinite weights do not stop the run; the report shows them.
            p.doc.analysis.diagnostics += weights.diagnostics
            for d in weights.diagnostics { progress.stageResult(id, "warning: \(d.message)", always: true) }
            let profiler = ForwardProfiler(warmup: settings.warmup, runs: settings.runs, requestedThreads: settings.forwardThreads,
                                           budget: ModelRunSetup.budget(seconds: settings.budgetSeconds))
            let timing = try ModelRunSetup.time(graph: p.graph, weights: consume weights, inputs: inputs, profiler: profiler,
                                                threads: settings.forwardThreads, memoryLimit: settings.memoryLimit)
            p.doc.timing = timing
            if var change = p.doc.change {
                change.latencyTrendMs = Array((change.latencyTrendMs + [timing.medianMs]).suffix(Self.trendRuns))
                p.doc.change = change
            }
            progress.stageResult(id, "timed: median \(ChangeFormatting.milliseconds(timing.medianMs)) over \(timing.runs) runs, \(timing.threads) thread(s)"
                                 + (timing.disturbanceWarning.map { ". " + $0 } ?? ""),
                                 always: timing.disturbed)
        } catch {
            let reason: String
            switch error {
            case let e as ExecutionError: reason = e.message
            case let e as StrataError: reason = e.message
            default: reason = String(describing: error)
            }
            p.doc.timingUnavailable = reason
            progress.stageResult(id, "not timed: \(reason)", always: true)
        }
    }

    /// Runs of a model the latency trend shows, this one included.
    static let trendRuns = 10

    /// Renders and publishes one model; never throws: a failure becomes a failed or stale entry.
    func publish(_ p: Prepared, publisher: ReportPublisher, progress: BatchProgress) -> ModelResult {
        let found = p.found
        let doc = p.doc
        let analysis = doc.analysis
        do {
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
                files.append(("report.json", Data(ReportJSON.render(doc).utf8)))
            }
            progress.stage(found.id, "publish")
            let staged = try publisher.stage(files, for: p.folder)
            try publisher.publish(staged, to: p.folder)
            progress.finished(found.id, ok: true, detail: "\(Formatting.count(analysis.totals.params)) parameters, \(files.count) files")
            let entry = BatchIndex.Entry(id: found.id, reportFolder: p.folder, name: found.id, file: found.id, status: .ok,
                                         params: analysis.totals.params, macs: analysis.totals.macs, latencyMs: doc.timing?.medianMs,
                                         notTimed: settings.forward && doc.timing == nil ? doc.timingUnavailable : nil, change: doc.change)
            return ModelResult(found: found, entry: entry,
                               record: HistoryEntry(id: found.id, name: analysis.modelName, file: found.id, hash: p.hash, ok: true,
                                                    totals: analysis.totals, timing: doc.timing, error: nil))
        } catch {
            return failure(found, folder: p.folder, previousExists: p.previousExists, hash: p.hash, error: error, progress: progress)
        }
    }

    /// The entry of a model that failed: stale when an earlier report is kept, else failed.
    func failure(_ found: ModelDiscovery.Found, folder: String, previousExists: Bool, hash: String?, error: Error,
                 progress: BatchProgress) -> ModelResult {
        let message = (error as? StrataError).map { $0.inFile(found.path).description } ?? String(describing: error)
        progress.finished(found.id, ok: false, detail: message)
        let entry = BatchIndex.Entry(id: found.id, reportFolder: folder, name: found.id,
                                     file: found.id, status: previousExists ? .stale : .failed, error: message)
        return ModelResult(found: found, entry: entry,
                           record: HistoryEntry(id: found.id, name: found.id, file: found.id, hash: hash, ok: false,
                                                totals: nil, timing: nil, error: message))
    }
}

/// An array appended to from several threads.
final class LockedArray<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ x: T) { lock.lock(); items.append(x); lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return items }
}
