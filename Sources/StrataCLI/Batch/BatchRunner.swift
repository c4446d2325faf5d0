import Foundation
import History
import Kernels
import Execution
import ModelKit
import Reporting

/// The nightly batch: discovers the models, reports each in a worker process of its own
/// (read, analyse, time, render; up to `jobs` at once, timed passes alone), publishes each
/// complete report, writes the index and records the run in the history. A model that fails,
/// whatever the way (an error, a crash in a native library, a hang, too much memory), keeps
/// its previous report (marked stale) and the others go on. The batch process holds only
/// small per-model results, so its memory does not grow with the models' sizes.
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
        public var workers: Workers
    }

    /// Figures of the run itself: how many workers ran, their peak memory, what was reused.
    public struct Workers: Sendable {
        public var started = 0
        /// The largest peak resident memory of one worker, in kB, and its model.
        public var peakRSSKB = 0
        public var peakModel: String?
        /// Models whose previous report was reused (unchanged file and configuration).
        public var reused = 0
    }

    public func run() throws -> Outcome {
        let start = Date()
        // A worker that dies while the batch writes to it must not take the batch with it.
        signal(SIGPIPE, SIG_IGN)
        let executable = try settings.workerExecutable ?? WorkerExecutable.resolve()
        // The output folder and the history's kept versions are never models to report.
        let versionFolder = settings.historyPath.map { ModelVersionStore(historyPath: $0).folder }
        let discovery = ModelDiscovery.discover(inputs: settings.inputs, excluding: [settings.output] + (versionFolder.map { [$0] } ?? []))
        var models = discovery.models
        if let s = settings.shard { models = ModelDiscovery.shard(models, k: s.k, of: s.n) }
        var problems = (discovery.problems + discovery.rejected).map(\.description)
        for p in discovery.problems { sink.error("strata: warning: \(p)") }
        for p in discovery.rejected { sink.error("strata: error: \(p)") }
        if !discovery.skipped.isEmpty {
            let shown = discovery.skipped.prefix(3).map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")
            sink.error("strata: skipped \(discovery.skipped.count) file(s) that are not models (\(shown)\(discovery.skipped.count > 3 ? ", …" : "")); the index lists them with the reason")
        }

        let publisher = try ReportPublisher(output: settings.output, runToken: "\(getpid())")
        defer { publisher.cleanUp() }
        let history = settings.historyPath.map { HistoryAccess(path: $0, sink: sink) }
        let previousRun = history?.previousModels() ?? []
        // Each reported version of a model, so that the next run can compare a changed file with it.
        let versions = history == nil ? nil : settings.historyPath.map(ModelVersionStore.init(historyPath:))
        var previousHashes: [String: String] = [:]
        let store = ModelResultStore(output: settings.output)
        let configurationBase = ModelResultStore.configurationBase(settings)

        let progress = BatchProgress(total: models.count, sink: sink, live: live)
        var entries: [BatchIndex.Entry] = []
        var workers = Workers()
        var queue = models.makeIterator()
        // What each running model's report is made from, stored with its result once published.
        var keys: [String: ModelResultStore.Key] = [:]
        let pool = WorkerPool(limits: .init(executable: executable, jobs: settings.jobs, timeoutSeconds: settings.modelTimeout,
                                            memoryBytes: settings.modelMemory))
        pool.run(next: {
            while let found = queue.next() {
                let folder = ModelDiscovery.reportFolder(for: found.id)
                let previousExists = FileManager.default.fileExists(atPath: (settings.output as NSString).appendingPathComponent(folder))
                let hash = FileHash.sha256(path: found.path)
                let change = history?.change(for: found.id, contentHash: hash)
                let key = hash.map { ModelResultStore.Key(contentHash: $0, strataVersion: StrataVersion.current,
                                                          configuration: ModelResultStore.configurationKey(base: configurationBase, inputShapes: settings.inputShapes[found.id])) }
                if let previous = change?.previousContentHash { previousHashes[found.id] = previous }
                if let key, previousExists, let reused = reuse(store.load(folder), key: key, folder: folder, change: change) {
                    versions?.save(found.path, hash: hash)
                    entries.append(reused)
                    workers.reused += 1
                    progress.finished(found.id, ok: true, detail: "unchanged since its last report; reused it")
                    continue
                }
                workers.started += 1
                keys[found.id] = key
                // A changed file is compared with the version last reported, when the store has it.
                let previousVersion = change.flatMap { c in c.contentChanged ? c.previousContentHash.flatMap { versions?.existing(hash: $0) } : nil }
                var job = WorkerProtocol.Job(
                    id: found.id, path: found.path, reportFolder: folder, stagingFolder: publisher.stagingFolder(for: folder),
                    contentHash: hash, previousExists: previousExists, change: change,
                    formats: settings.formats.sorted(), templates: settings.templates, runDate: settings.runDate,
                    inputShapes: settings.inputShapes[found.id], forward: settings.forward, forwardThreads: settings.forwardThreads,
                    warmup: settings.warmup, runs: settings.runs, budgetSeconds: settings.budgetSeconds,
                    memoryLimit: settings.memoryLimit, seed: settings.seed,
                    addressSpaceLimit: settings.modelMemory.map(WorkerExecutable.addressSpace(forResident:)), parentPid: getpid())
                job.previousVersion = previousVersion
                job.detail = settings.detail == .blocks ? nil : settings.detail.rawValue
                job.shade = settings.shade == .params ? nil : settings.shade.rawValue
                return job
            }
            return nil
        }, handle: { event in
            switch event {
            case .stage(let job, let stage):
                progress.stage(job.id, stage)
            case .log(let job, let text, let always):
                progress.stageResult(job.id, text, always: always)
            case .finished(let job, let outcome):
                let key = keys.removeValue(forKey: job.id)
                var result = outcome.result ?? ModelJob.failure(job, message: "\(job.path): \(outcome.failure ?? "failed")")
                if outcome.peakRSSKB > workers.peakRSSKB { workers.peakRSSKB = outcome.peakRSSKB; workers.peakModel = job.id }
                if result.entry.status == .ok {
                    do {
                        try publisher.publish(job.stagingFolder, to: job.reportFolder)
                        versions?.save(job.path, hash: job.contentHash)
                        if let key {
                            var entry = result.entry
                            entry.change = nil
                            store.save(.init(schema: ModelResultStore.schema, key: key, entry: entry, files: result.files), job.reportFolder)
                        }
                    } catch {
                        result = ModelJob.failure(job, error: error)
                    }
                } else {
                    try? FileManager.default.removeItem(atPath: job.stagingFolder)
                }
                if result.entry.status == .ok {
                    progress.finished(job.id, ok: true, detail: "\(Formatting.count(result.entry.params ?? 0)) parameters, \(result.files.count) files")
                } else {
                    progress.finished(job.id, ok: false, detail: result.entry.error ?? "failed")
                }
                entries.append(result.entry)
            }
        })
        progress.end()

        // Models of the previous run that are gone now.
        var regressions: [BatchIndex.Regression] = []
        let present = Set(models.map(\.id))
        if settings.shard == nil {
            for id in previousRun where !present.contains(id) {
                regressions.append(.init(id: id, message: "\(id) was reported in the previous run and is missing now"))
            }
        }
        entries.sort { $0.id < $1.id }
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
        let index = BatchIndex(runDate: settings.runDate, strataVersion: StrataVersion.current, entries: entries,
                               regressions: regressions, unavailable: [],
                               skipped: discovery.skipped.map { .init(file: $0.id, reason: $0.reason) })
        if settings.formats.contains(.md) {
            try publisher.writeFile(Data(try MarkdownIndex.render(index, templatesFolder: settings.templates).utf8), to: "index.md")
        }
        try publisher.writeFile(Data(IndexJSON.render(index).utf8), to: "index.json")
        history?.record(runDate: settings.runDate, shard: settings.shard.map { "\($0.k)/\($0.n)" }, entries.map(\.summary))
        if let versions, settings.shard == nil {
            // Kept: each reported model's version; a failed model's previous one (its next run compares with it).
            var keep = Set<String>()
            for e in entries {
                if e.status == .ok, let h = e.summary.contentHash { keep.insert(h) } else if let h = previousHashes[e.id] { keep.insert(h) }
            }
            versions.prune(keeping: keep)
        }

        let failed = entries.filter { $0.status != .ok }
        problems += failed.map { "\($0.id): \($0.error ?? "failed")" }
        var code: Int32 = failed.isEmpty && discovery.rejected.isEmpty ? 0 : 1
        let blocking = regressions.filter { r in settings.failOnMissingModel || !r.message.contains("is missing now") }
        if settings.failOnRegression && !blocking.isEmpty { code = 3 }
        return Outcome(index: index, problems: problems, seconds: Date().timeIntervalSince(start), exitCode: code, workers: workers)
    }

    /// The previous report of a model, when it can stand for this run: same content, Strata
    /// version and configuration, its report folder in place, and no forward pass to run
    /// again (`--no-forward`, or `forward.retime: changed`). Its index entry gets this run's
    /// change; its summary is recorded again for this run.
    func reuse(_ stored: ModelResultStore.Stored?, key: ModelResultStore.Key, folder: String, change: ModelChange?) -> BatchIndex.Entry? {
        guard !settings.force, let stored, stored.key == key, stored.entry.status == .ok,
              !settings.forward || settings.retime == .changed else { return nil }
        let fm = FileManager.default
        let reportPath = (settings.output as NSString).appendingPathComponent(folder)
        guard stored.files.allSatisfy({ fm.fileExists(atPath: (reportPath as NSString).appendingPathComponent($0)) }) else { return nil }
        var entry = stored.entry
        entry.change = change
        if var c = entry.change, let latency = entry.latencyMs {
            c.latencyTrendMs = Array((c.latencyTrendMs + [latency]).suffix(Self.trendRuns))
            entry.change = c
        }
        return entry
    }

    /// A latency median up by more than the configured percentage since the previous timed run.
    func latencyRegression(_ e: BatchIndex.Entry) -> BatchIndex.Regression? {
        guard let before = e.change?.previousLatencyMs, let now = e.latencyMs, before > 0 else { return nil }
        let percent = (now - before) / before * 100
        guard percent > settings.latencyIncreasePercent else { return nil }
        return .init(id: e.id, message: "\(e.id): latency median rose from \(ChangeFormatting.milliseconds(before)) to \(ChangeFormatting.milliseconds(now)) (\(String(format: "+%.1f%%", percent)), threshold \(String(format: "%g", settings.latencyIncreasePercent))%)")
    }

    /// Runs of a model the latency trend shows, this one included.
    static let trendRuns = 10
}

