import Foundation
import History
import ModelKit
import Testing

@Suite struct HistoryStoreTests {
    @Test func twoRunsGivePreviousAndTrend() throws {
        let folder = TempFolder("two-runs")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        let first = try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [
            Samples.model("a.json", params: 1000, latency: 10.0, hash: "h1"),
            Samples.model("b.json", params: 500),
        ])
        let second = try store.record(run: Samples.run("2025-06-02T02:00:00Z"), models: [
            Samples.model("a.json", params: 1200, latency: 12.5, hash: "h2"),
            Samples.model("b.json", params: 500),
        ])
        #expect(first != second)

        let previous = try #require(try store.previous(modelId: "a.json", before: second))
        #expect(previous.runId == first)
        #expect(previous.params == 1000)
        #expect(previous.contentHash == "h1")
        #expect(previous.latencyMedianMs == 10.0)
        #expect(previous.status == .ok)
        #expect(try store.previous(modelId: "a.json", before: first) == nil)
        #expect(try store.previous(modelId: "new.json", before: second) == nil)
        #expect(try store.run(id: first)?.runDate == "2025-06-01T02:00:00Z")

        #expect(try store.latencyTrend(modelId: "a.json", limit: 10) == [10.0, 12.5])
        #expect(try store.latencyTrend(modelId: "a.json", limit: 1) == [12.5])
        #expect(try store.latencyTrend(modelId: "a.json", limit: 10, through: first) == [10.0])
        #expect(try store.latencyTrend(modelId: "a.json", limit: 0) == [])
        // b.json was never timed: no trend, and nothing made up.
        #expect(try store.latencyTrend(modelId: "b.json", limit: 10) == [])
    }

    @Test func recordedFiguresComeBackUnchanged() throws {
        let folder = TempFolder("round-trip")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        let models = [Samples.model("z/deep.keras", params: 7, macs: 9, latency: 1.25, hash: "ff"), Samples.failed("a.h5")]
        let run = Samples.run("2025-06-01T02:00:00Z", shard: "1/3")
        let id = try store.record(run: run, models: models)
        var expectedRun = run
        expectedRun.id = id
        #expect(try store.runs() == [expectedRun])
        let stored = try store.modelRuns(runId: id)
        #expect(stored.map(\.runId) == [id, id])
        // Sorted by model id.
        #expect(stored.map(Samples.withoutIds) == [models[1], models[0]])
    }

    @Test func trendLeavesOutUntimedAndFailedRuns() throws {
        let folder = TempFolder("trend")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        _ = try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("a.json", latency: 10)])
        _ = try store.record(run: Samples.run("2025-06-02T02:00:00Z"), models: [Samples.model("a.json")])
        let failed = try store.record(run: Samples.run("2025-06-03T02:00:00Z"), models: [Samples.failed("a.json")])
        let last = try store.record(run: Samples.run("2025-06-04T02:00:00Z"), models: [Samples.model("a.json", latency: 14)])
        #expect(try store.latencyTrend(modelId: "a.json", limit: 5) == [10, 14])
        #expect(try store.latencyTrend(modelId: "a.json", limit: 5, through: failed) == [10])

        // The previous run is the latest whatever its status: here the failed one.
        let previous = try #require(try store.previous(modelId: "a.json", before: last))
        #expect(previous.status == .failed)
        #expect(previous.runId == failed)
        #expect(previous.params == nil)
        #expect(previous.error == "Examples/x.json: line 3: unexpected end")
    }

    @Test func runsAreOrderedByDateNotByRecordingOrder() throws {
        let folder = TempFolder("order")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        let later = try store.record(run: Samples.run("2025-06-03T02:00:00Z"), models: [Samples.model("a.json", params: 3)])
        let earlier = try store.record(run: Samples.run("2025-06-02T02:00:00Z"), models: [Samples.model("a.json", params: 2)])
        #expect(try store.previous(modelId: "a.json", before: later)?.runId == earlier)
        #expect(try store.previous(modelId: "a.json", before: earlier) == nil)
        #expect(try store.runs().map(\.runDate) == ["2025-06-02T02:00:00Z", "2025-06-03T02:00:00Z"])
    }

    @Test func modelsOfThePreviousRunShowWhatDisappeared() throws {
        let folder = TempFolder("disappeared")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        let first = try store.record(run: Samples.run("2025-06-01T02:00:00Z"),
                                     models: [Samples.model("c.json"), Samples.model("a.json"), Samples.failed("b.json")])
        let second = try store.record(run: Samples.run("2025-06-02T02:00:00Z"),
                                      models: [Samples.model("a.json"), Samples.model("c.json")])
        #expect(try store.modelsInPreviousRun(before: first) == [])
        #expect(try store.modelsInPreviousRun(before: second) == ["a.json", "b.json", "c.json"])
        let current = Set(try store.modelRuns(runId: second).map(\.modelId))
        #expect(try store.modelsInPreviousRun(before: second).filter { !current.contains($0) } == ["b.json"])
    }

    @Test func aShardRunComparesWithTheSameShard() throws {
        let folder = TempFolder("shard-previous")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        _ = try store.record(run: Samples.run("2025-06-01T02:00:00Z", shard: "1/2"), models: [Samples.model("a.json")])
        _ = try store.record(run: Samples.run("2025-06-01T02:00:00Z", shard: "2/2"), models: [Samples.model("b.json")])
        let shard1 = try store.record(run: Samples.run("2025-06-02T02:00:00Z", shard: "1/2"), models: [Samples.model("a.json")])
        let whole = try store.record(run: Samples.run("2025-06-03T02:00:00Z"), models: [Samples.model("a.json")])
        #expect(try store.modelsInPreviousRun(before: shard1) == ["a.json"])
        // The whole run before the 3rd compares with every run of the latest earlier date (the 2nd: shard 1 only).
        #expect(try store.modelsInPreviousRun(before: whole) == ["a.json"])
    }

    @Test func theSameRunTwiceIsAnErrorAndChangesNothing() throws {
        let folder = TempFolder("same-run")
        let path = folder.path("history.sqlite")
        let store = try HistoryStore.open(path: path).store
        let id = try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("a.json")])
        let expected = StrataError(file: path, "a run dated 2025-06-01T02:00:00Z (shard none, Strata 0.1.0) is already recorded as run \(id)")
        #expect(throws: expected) {
            try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("b.json")])
        }
        #expect(try store.runs().count == 1)
        #expect(try store.modelRuns(runId: id).map(\.modelId) == ["a.json"])
    }

    @Test func aModelIdTwiceInOneRunRecordsNothing() throws {
        let folder = TempFolder("same-model")
        let path = folder.path("history.sqlite")
        let store = try HistoryStore.open(path: path).store
        #expect(throws: StrataError(file: path, "model id a.json appears twice in the run dated 2025-06-01T02:00:00Z")) {
            try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("a.json"), Samples.model("a.json")])
        }
        #expect(try store.runs() == [])
    }

    @Test func anUnknownRunIsAnError() throws {
        let folder = TempFolder("unknown-run")
        let path = folder.path("history.sqlite")
        let store = try HistoryStore.open(path: path).store
        #expect(throws: StrataError(file: path, "there is no run 42 in the history")) {
            try store.previous(modelId: "a.json", before: 42)
        }
    }

    @Test func aReopenedHistoryKeepsItsRuns() throws {
        let folder = TempFolder("reopen")
        let path = folder.path("nested/deeper/history.sqlite")
        let id = try HistoryStore.open(path: path).store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("a.json", latency: 3)])
        let reopened = try HistoryStore.open(path: path)
        #expect(reopened.warning == nil)
        #expect(try reopened.store.modelRuns(runId: id).map(\.latencyMedianMs) == [3])
    }
}
