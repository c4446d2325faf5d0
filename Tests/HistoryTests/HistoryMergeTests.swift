import Foundation
import History
import ModelKit
import Testing

@Suite struct HistoryMergeTests {
    /// Two shards of two nights: shard 1 reports a and b, shard 2 reports c.
    static func shards(in folder: TempFolder) throws -> (String, String) {
        let one = folder.path("shard-1/history.sqlite")
        let two = folder.path("shard-2/history.sqlite")
        let storeOne = try HistoryStore.open(path: one).store
        let storeTwo = try HistoryStore.open(path: two).store
        for (night, latency) in [("2025-06-01T02:00:00Z", 10.0), ("2025-06-02T02:00:00Z", 11.0)] {
            _ = try storeOne.record(run: Samples.run(night, shard: "1/2"),
                                    models: [Samples.model("a.json", latency: latency), Samples.failed("b.json")])
            _ = try storeTwo.record(run: Samples.run(night, shard: "2/2"),
                                    models: [Samples.model("c.json", params: 77, latency: latency * 2)])
        }
        return (one, two)
    }

    @Test func mergingTwoShardsTwiceHasNoDuplicates() throws {
        let folder = TempFolder("merge")
        let (one, two) = try Self.shards(in: folder)
        let merged = try HistoryStore.open(path: folder.path("merged/history.sqlite")).store

        #expect(try merged.merge(from: one) == MergeSummary(runsAdded: 2, runsAlreadyPresent: 0, modelRunsAdded: 4))
        #expect(try merged.merge(from: two) == MergeSummary(runsAdded: 2, runsAlreadyPresent: 0, modelRunsAdded: 2))
        #expect(try merged.merge(from: one) == MergeSummary(runsAdded: 0, runsAlreadyPresent: 2, modelRunsAdded: 0))
        #expect(try merged.merge(from: two) == MergeSummary(runsAdded: 0, runsAlreadyPresent: 2, modelRunsAdded: 0))

        let runs = try merged.runs()
        #expect(runs.map { "\($0.runDate) \($0.shard ?? "-")" } == [
            "2025-06-01T02:00:00Z 1/2", "2025-06-01T02:00:00Z 2/2",
            "2025-06-02T02:00:00Z 1/2", "2025-06-02T02:00:00Z 2/2",
        ])
        let modelIds = try runs.map { try merged.modelRuns(runId: try #require($0.id)).map(\.modelId) }
        #expect(modelIds == [["a.json", "b.json"], ["c.json"], ["a.json", "b.json"], ["c.json"]])

        // Figures survive the copy, and the merged history answers like the shards did.
        #expect(try merged.latencyTrend(modelId: "a.json", limit: 5) == [10, 11])
        #expect(try merged.latencyTrend(modelId: "c.json", limit: 5) == [20, 22])
        let lastShardTwo = try #require(runs[3].id)
        let previousC = try #require(try merged.previous(modelId: "c.json", before: lastShardTwo))
        #expect(previousC.params == 77)
        #expect(previousC.runId == runs[1].id)
        #expect(previousC.file == "Examples/c.json")

        // A whole run the next night compares with both shards of the night before.
        let whole = try merged.record(run: Samples.run("2025-06-03T02:00:00Z"), models: [Samples.model("a.json")])
        #expect(try merged.modelsInPreviousRun(before: whole) == ["a.json", "b.json", "c.json"])
    }

    @Test func theShardFilesAreOnlyRead() throws {
        let folder = TempFolder("merge-read-only")
        let (one, _) = try Self.shards(in: folder)
        let before = FileManager.default.contents(atPath: one)
        let merged = try HistoryStore.open(path: folder.path("merged.sqlite")).store
        _ = try merged.merge(from: one)
        #expect(FileManager.default.contents(atPath: one) == before)
    }

    @Test func aMissingShardIsAnErrorNamingIt() throws {
        let folder = TempFolder("merge-missing")
        let merged = try HistoryStore.open(path: folder.path("merged.sqlite")).store
        let missing = folder.path("shard-9/history.sqlite")
        #expect(throws: StrataError(file: missing, "no history database to merge (the file does not exist)")) {
            try merged.merge(from: missing)
        }
    }

    @Test func aCorruptShardIsAnErrorAndIsLeftAlone() throws {
        let folder = TempFolder("merge-corrupt")
        let merged = try HistoryStore.open(path: folder.path("merged.sqlite")).store
        let bad = folder.path("shard.sqlite")
        let garbage = Data(repeating: 0x5a, count: 2048)
        try garbage.write(to: URL(fileURLWithPath: bad))
        do {
            _ = try merged.merge(from: bad)
            Issue.record("merging garbage should fail")
        } catch let error as StrataError {
            #expect(error.file == bad)
            #expect(error.message.contains("cannot read the history database to merge"))
        }
        #expect(FileManager.default.contents(atPath: bad) == garbage)
        #expect(!FileManager.default.fileExists(atPath: bad + ".corrupt-1"))
        #expect(try merged.runs() == [])
    }

    @Test func anEmptySQLiteFileIsNotAHistory() throws {
        let folder = TempFolder("merge-empty")
        let merged = try HistoryStore.open(path: folder.path("merged.sqlite")).store
        let empty = folder.path("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(throws: StrataError(file: empty, "not a Strata history database of schema v1, v2 (its migrations: none)")) {
            try merged.merge(from: empty)
        }
    }
}
