import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// One `ModelRunSummary` carries a model's figures from the worker to the index and the
/// history; the index entry adds only what the index shows besides.
@Suite struct ModelRunSummaryTests {
    @Test func aReportedModelsFigures() throws {
        let doc = MarkdownReportTests.timed(try MarkdownReportTests.seed(), 4.5)
        let s = ModelRunSummary(modelId: "vision/resnet8.keras", file: "vision/resnet8.keras", contentHash: "ab",
                                analysis: doc.analysis, timing: doc.timing)
        #expect(s.status == .ok)
        #expect(s.modelName == "functional")
        #expect([s.params, s.trainableParams, s.nonTrainableParams, s.macs] == [78_666, 78_186, 480, 12_575_360])
        #expect(s.latencyMedianMs == 4.5)
        #expect(s.latencyP90Ms == doc.timing?.p90Ms)
        #expect(s.latencySpreadMs == doc.timing?.spreadMs)
        #expect(s.error == nil)
        let untimed = ModelRunSummary(modelId: "m", file: "m", contentHash: nil, analysis: doc.analysis, timing: nil)
        #expect(untimed.latencyMedianMs == nil && untimed.latencyP90Ms == nil && untimed.latencySpreadMs == nil)
    }

    @Test func entryStatusComesFromTheSummary() {
        let failed = ModelRunSummary.failed(modelId: "x.h5", file: "x.h5", contentHash: nil, error: "bad")
        #expect(BatchIndex.Entry(summary: failed, name: "x.h5", reportFolder: "x_h5").status == .failed)
        #expect(BatchIndex.Entry(summary: failed, name: "x.h5", reportFolder: "x_h5", keepsPreviousReport: true).status == .stale)
        let ok = ModelRunSummary(modelId: "y.json", modelName: "y", file: "y.json", contentHash: nil, status: .ok, params: 3)
        #expect(BatchIndex.Entry(summary: ok, name: "y.json", reportFolder: "y_json", keepsPreviousReport: true).status == .ok)
        let stale = BatchIndex.Entry(id: "z", reportFolder: "z", name: "z", file: "z", status: .stale, error: "gone")
        #expect(stale.summary.status == .failed && stale.keepsPreviousReport && stale.status == .stale)
    }

    /// What a worker sends: the entry, summary included, comes through JSON unchanged.
    @Test func entryCodesWithItsSummary() throws {
        let summary = ModelRunSummary(modelId: "a.keras", modelName: "net", file: "a.keras", contentHash: "ff", status: .ok,
                                      params: 10, trainableParams: 8, nonTrainableParams: 2, macs: 100,
                                      latencyMedianMs: 1.5, latencyP90Ms: 2, latencySpreadMs: 0.25)
        let entry = BatchIndex.Entry(summary: summary, name: "a.keras", reportFolder: "a_keras", notTimed: nil,
                                     change: ModelChange(previousRunDate: "d", previousParams: 9, latencyTrendMs: [1, 1.5]))
        let back = try JSONDecoder().decode(BatchIndex.Entry.self, from: try JSONEncoder().encode(entry))
        #expect(back.summary == summary)
        #expect(back.name == "a.keras" && back.reportFolder == "a_keras" && back.change == entry.change)
        let keys = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(summary)) as? [String: Any]).keys
        #expect(keys.contains("model_id") && keys.contains("latency_p90_ms") && !keys.contains("modelId"))
    }

    /// index.json (schema strata-index/1, unchanged) reads back into the same entries.
    @Test func indexJSONReadsBack() throws {
        let index = MarkdownIndexTests.sample()
        let parsed = try IndexJSON.parse(try JSONParser.parse(IndexJSON.render(index)), file: "index.json")
        #expect(parsed.entries.map(\.status) == index.entries.map(\.status))
        #expect(parsed.entries.map(\.summary) == index.entries.map(\.summary))
        #expect(parsed.entries.map(\.change) == index.entries.map(\.change))
        #expect(parsed.entries.map(\.reportFolder) == index.entries.map(\.reportFolder))
    }

    /// The change since a previous run's summary.
    @Test func changeSinceAPreviousSummary() {
        let previous = ModelRunSummary(modelId: "m", modelName: "m", file: "m", contentHash: "aa", status: .ok,
                                       params: 5, macs: 50, latencyMedianMs: 2)
        let same = ModelChange(since: previous, runDate: "2026-01-01", contentHash: "aa", latencyTrendMs: [2])
        var expected = ModelChange(previousRunDate: "2026-01-01", previousParams: 5, previousMACs: 50, previousLatencyMs: 2,
                                   contentChanged: false, latencyTrendMs: [2])
        // The previous version's hash, to find it in the history's version store.
        expected.previousContentHash = "aa"
        #expect(same == expected)
        #expect(ModelChange(since: previous, runDate: "d", contentHash: "bb", latencyTrendMs: []).contentChanged)
        #expect(!ModelChange(since: previous, runDate: "d", contentHash: nil, latencyTrendMs: []).contentChanged)
    }
}
