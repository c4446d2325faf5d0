import CairoRendering
import Foundation
import GraphvizLayout
import History
import Kernels
import Execution
import ModelKit
import Reporting

/// One model's work in the batch, as a worker runs it: read, analyse, time the forward pass
/// (when the job asks and the batch says go), render, and write the files into the job's
/// staging folder. Never throws: a model that fails becomes a failed (or stale) result.
struct ModelJob {
    var job: WorkerProtocol.Job
    /// Sends one message to the batch.
    var emit: (WorkerProtocol.Message) -> Void
    /// Blocks until the batch lets this worker time its model (nothing else runs then).
    var waitForTurn: () -> Void
    /// The formats the model is opened through.
    var registry: FormatRegistry = .standard

    /// Runs the job and returns its result.
    func run() -> WorkerProtocol.Result {
        let model: any OpenedModel
        var doc: ReportDocument
        let inputShapes: [TensorShape?]
        do {
            (model, doc, inputShapes) = try prepare()
        } catch {
            return Self.failure(job, error: error)
        }
        if job.probe == true { return probe(model, doc: doc) }
        if job.forward {
            emit(.init(.readyToTime))
            waitForTurn()
            time(model, doc: &doc, inputShapes: inputShapes)
            emit(.init(.timed))
        }
        let diffFiles = compareWithPrevious(model, doc: &doc)
        do {
            return try render(doc, extra: diffFiles)
        } catch {
            return Self.failure(job, error: error)
        }
    }

    /// Weights above this many bytes (either version) are not compared value by value: both
    /// versions' weights would have to be held at once within the worker's memory limit.
    static let weightComparisonLimit = 512 << 20

    /// When the file changed since the last recorded run and the history keeps the version
    /// reported then: the two compared as `strata diff` compares them, into `diff.md`,
    /// `diff.pdf` and `diff.json` (as the run's formats ask), and what changed into the
    /// report's change. A previous version that cannot be read is a warning, not a failure.
    func compareWithPrevious(_ model: any OpenedModel, doc: inout ReportDocument) -> [(name: String, data: Data)] {
        guard let previous = job.previousVersion else { return [] }
        WorkStage.enter("comparing with the previous version")
        do {
            let old = try registry.open(previous)
            var oldAnalysis: ModelAnalysis
            if let dims = job.inputShapes, let shapes = try? InputShapes.fill(old.graph, dims) {
                oldAnalysis = Analyzer.analyze(old.graph, inputShapes: shapes)
            } else {
                oldAnalysis = Analyzer.analyze(old.graph)
            }
            oldAnalysis.source.file = job.id
            let new = doc.analysis
            let small = { (a: ModelAnalysis) in (a.totals.weightBytes ?? .max) <= Self.weightComparisonLimit }
            let weighed = old.holdsWeights && model.holdsWeights && small(oldAnalysis) && small(new)
            let oldWeights = weighed ? (try? old.weights(analysis: oldAnalysis, seed: job.seed))?.tensors : nil
            let newWeights = weighed ? (try? model.weights(analysis: new, seed: job.seed))?.tensors : nil
            let when = job.change?.previousRunDate ?? "the previous run"
            let diff = ModelDiff.compare(ModelDiff.Input(file: "\(job.id) as of \(when)", graph: old.graph, analysis: oldAnalysis, weights: oldWeights),
                                         ModelDiff.Input(file: "\(job.id) as of \(job.runDate)", graph: model.graph, analysis: new, weights: newWeights))
            var files: [(name: String, data: Data)] = []
            if job.formats.contains(.md) { files.append(("diff.md", Data(DiffText.markdown(diff).utf8))) }
            if job.formats.contains(.pdf) {
                let out = DiffPages.render(diff, old: oldAnalysis, new: new, version: StrataVersion.current,
                                           measurer: PangoTextMeasurer(), engine: GraphvizLayoutEngine())
                let metadata = PDFMetadata(title: "Model change: \(job.id)", subject: "What changed in \(job.id) since \(when)",
                                           keywords: ["strata diff"], creator: "Strata \(StrataVersion.current)", date: job.runDate)
                files.append(("diff.pdf", try PDFWriter.data(pages: out.pages, metadata: metadata)))
            }
            if job.formats.contains(.json) { files.append(("diff.json", Data(DiffText.json(diff).utf8))) }
            let counts = [(diff.added.count, "added"), (diff.removed.count, "removed"), (diff.renamed.count, "renamed"), (diff.changed.count, "changed")]
                .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            let structure = counts.isEmpty ? "no layer changed" : counts.joined(separator: ", ")
            doc.change?.structure = structure
            doc.change?.diffFile = files.first?.name
            log("compared with the version of \(when): \(structure)")
            return files
        } catch {
            log("warning: not compared with the version of \(job.change?.previousRunDate ?? "the previous run"): \((error as? StrataError)?.message ?? String(describing: error))", always: true)
            return []
        }
    }

    /// The fuzzer's job: the model's weights read and checked against its analysis (when the
    /// file carries any), and nothing else.
    func probe(_ model: any OpenedModel, doc: ReportDocument) -> WorkerProtocol.Result {
        do {
            if model.holdsWeights {
                _ = try model.weights(analysis: doc.analysis, seed: job.seed)
            }
        } catch {
            return Self.failure(job, error: error)
        }
        let summary = ModelRunSummary(modelId: job.id, file: job.id, contentHash: job.contentHash, analysis: doc.analysis, timing: nil)
        return WorkerProtocol.Result(entry: BatchIndex.Entry(summary: summary, name: job.id, reportFolder: job.reportFolder), files: [])
    }

    func log(_ text: String, always: Bool = false) { emit(.init(.log, text: text, always: always)) }

    /// Opens (once) and analyses the model.
    func prepare() throws -> (any OpenedModel, ReportDocument, [TensorShape?]) {
        let model = try registry.open(job.path)
        let graph = model.graph
        var analysis: ModelAnalysis
        var shapes = Analyzer.declaredInputShapes(graph)
        if let dims = job.inputShapes {
            shapes = try InputShapes.fill(graph, dims)
            analysis = Analyzer.analyze(graph, inputShapes: shapes.map { $0! })
        } else {
            analysis = Analyzer.analyze(graph)
        }
        analysis.source.file = job.id
        if let error = analysis.diagnostics.first(where: { $0.severity == .error }) {
            throw StrataError(file: job.path, error.message)
        }
        var doc = ReportDocument(analysis: analysis, generatedAt: job.runDate)
        doc.change = job.change
        if !job.forward { doc.timingUnavailable = "the forward pass was turned off for this run (--no-forward, or forward.enabled: false in the configuration)" }
        return (model, doc, shapes)
    }

    /// Times the model's forward pass (its weights, or weights from the seed for a config
    /// without them). A model that cannot run is still reported, with the reason instead of
    /// a timing; nothing is estimated.
    func time(_ model: any OpenedModel, doc: inout ReportDocument, inputShapes: [TensorShape?]) {
        let graph = model.graph
        do {
            WorkStage.enter("preparing the forward pass")
            let inputs: [Tensor]
            do { inputs = try ModelRunSetup.timingInputs(graph, shapes: inputShapes) } catch let e as ExecutionError {
                throw ExecutionError("\(e.message); give its sizes under forward.input_shapes in the configuration")
            }
            let weights = try ModelRunSetup.weights(model, analysis: doc.analysis, seed: job.seed)
            // NaN or infinite weights do not stop the run; the report shows them.
            doc.analysis.diagnostics += weights.diagnostics
            for d in weights.diagnostics { log("warning: \(d.message)", always: true) }
            let profiler = ForwardProfiler(warmup: job.warmup, runs: job.runs, requestedThreads: job.forwardThreads,
                                           budget: ModelRunSetup.budget(seconds: job.budgetSeconds))
            let timing = try ModelRunSetup.time(graph: graph, weights: consume weights, inputs: inputs, profiler: profiler,
                                                threads: job.forwardThreads, memoryLimit: job.memoryLimit)
            doc.timing = timing
            if var change = doc.change {
                change.latencyTrendMs = Array((change.latencyTrendMs + [timing.medianMs]).suffix(BatchRunner.trendRuns))
                doc.change = change
            }
            log("timed: median \(ChangeFormatting.milliseconds(timing.medianMs)) over \(timing.runs) runs, \(timing.threads) thread(s)"
                + (timing.disturbanceWarning.map { ". " + $0 } ?? ""), always: timing.disturbed)
        } catch {
            let reason: String
            switch error {
            case let e as ExecutionError: reason = e.message
            // The place in the file (an HDF5 path) but not the file: the index names it already.
            case let e as StrataError: reason = e.place.map { $0.isEmpty ? e.message : "\($0): \(e.message)" } ?? e.message
            default: reason = String(describing: error)
            }
            doc.timingUnavailable = reason
            log("not timed: \(reason)", always: true)
        }
    }

    /// Renders the report's files into the staging folder.
    func render(_ doc: ReportDocument, extra: [(name: String, data: Data)] = []) throws -> WorkerProtocol.Result {
        var files: [(name: String, data: Data)] = []
        let detail = job.detail.flatMap(DiagramOptions.Detail.init(rawValue:)) ?? .blocks
        let shade = job.shade.flatMap(DiagramOptions.Shade.init(rawValue:)) ?? .params
        for renderer in ReportRenderers.renderers(for: job.formats, templates: job.templates, detail: detail, shade: shade) {
            WorkStage.enter(renderer.stage)
            files += try renderer.render(doc)
        }
        files += extra
        WorkStage.enter("writing the report's files")
        try ReportPublisher.writeStaged(files, into: job.stagingFolder)
        var summary = ModelRunSummary(modelId: job.id, file: job.id, contentHash: job.contentHash, analysis: doc.analysis, timing: doc.timing)
        summary.structureChange = doc.change?.structure
        let entry = BatchIndex.Entry(summary: summary, name: job.id, reportFolder: job.reportFolder,
                                     notTimed: job.forward && doc.timing == nil ? doc.timingUnavailable : nil, change: doc.change)
        return WorkerProtocol.Result(entry: entry, files: files.map(\.name))
    }

    /// The result of a model that failed: stale when an earlier report is kept, else failed.
    static func failure(_ job: WorkerProtocol.Job, message: String) -> WorkerProtocol.Result {
        let summary = ModelRunSummary.failed(modelId: job.id, file: job.id, contentHash: job.contentHash, error: message)
        let entry = BatchIndex.Entry(summary: summary, name: job.id, reportFolder: job.reportFolder, keepsPreviousReport: job.previousExists)
        return WorkerProtocol.Result(entry: entry, files: [])
    }

    static func failure(_ job: WorkerProtocol.Job, error: Error) -> WorkerProtocol.Result {
        failure(job, message: (error as? StrataError).map { $0.inFile(job.path).description } ?? String(describing: error))
    }
}
