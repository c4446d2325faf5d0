import Foundation
import History
import ModelKit
import Reporting

/// The batch's view of the run database: the change since the previous run for each model,
/// the previous run's models, and recording this run. A database that cannot be opened is a
/// warning, never the end of the batch (the reports are still written, without deltas).
final class HistoryAccess: @unchecked Sendable {
    private let store: HistoryStore?
    private let sink: OutputSink

    init(path: String, sink: OutputSink) {
        self.sink = sink
        do {
            let opened = try HistoryStore.open(path: path)
            if let w = opened.warning { sink.error("strata: warning: \(w)") }
            store = opened.store
        } catch {
            sink.error("strata: warning: history database \(path) cannot be used (\(error)); this run's deltas are not shown and it is not recorded")
            store = nil
        }
    }

    /// Models of the latest recorded run (to find the ones that disappeared).
    func previousModels() -> [String] {
        (try? store?.modelsInLatestRun()) ?? []
    }

    /// The change since the latest recorded run of this model; `ModelChange()` (new) when there is none.
    func change(for id: String, contentHash: String?) -> ModelChange? {
        guard let store else { return nil }
        guard let latest = try? store.latest(modelId: id) else { return ModelChange() }
        let (previous, run) = latest
        return ModelChange(since: previous.summary, runDate: run.runDate, contentHash: contentHash,
                           latencyTrendMs: (try? store.latencyTrend(modelId: id, limit: BatchRunner.trendRuns - 1)) ?? [])
    }

    /// Records this run: one history record per model's summary.
    func record(runDate: String, shard: String?, _ models: [ModelRunSummary]) {
        guard let store else { return }
        do {
            _ = try store.record(run: RunRecord(runDate: runDate, strataVersion: StrataVersion.current, shard: shard),
                                 models: models.map { ModelRunRecord(summary: $0) })
        } catch {
            sink.error("strata: warning: this run could not be recorded in the history: \(error)")
        }
    }
}

/// Content hashes of model files (SHA-256, streamed: a 2 GB file is not read into memory).
enum FileHash {
    static func sha256(path: String) -> String? { try? SHA256.hexDigest(ofFileAt: path) }
}
