import History
import Testing

@Suite struct ModelRunDeltaTests {
    @Test func differencesOfEveryFigure() {
        var previous = Samples.model("a.json", params: 1000, macs: 50_000, latency: 8.0, hash: "aa")
        previous.trainableParams = 900
        previous.nonTrainableParams = 100
        var current = Samples.model("a.json", params: 1200, macs: 56_000, latency: 10.0, hash: "bb")
        current.trainableParams = 1100
        current.nonTrainableParams = 100
        let delta = ModelRunDelta(current: current, previous: previous)
        #expect(delta.params == 200)
        #expect(delta.trainableParams == 200)
        #expect(delta.nonTrainableParams == 0)
        #expect(delta.macs == 6000)
        #expect(delta.latencyMedianMs == 2.0)
        #expect(delta.latencyMedianPercent == 25.0) // (10 - 8) / 8 = 25 %
        #expect(delta.contentChanged)
        #expect(delta.previousStatus == .ok)
    }

    @Test func fasterIsNegative() {
        let delta = ModelRunDelta(current: Samples.model("a.json", params: 900, latency: 6.0),
                                  previous: Samples.model("a.json", params: 1000, latency: 8.0))
        #expect(delta.params == -100)
        #expect(delta.latencyMedianMs == -2.0)
        #expect(delta.latencyMedianPercent == -25.0)
        #expect(!delta.contentChanged) // same hash "aa"
    }

    @Test func untimedRunsHaveNoLatencyChange() {
        let delta = ModelRunDelta(current: Samples.model("a.json", latency: 9.0), previous: Samples.model("a.json"))
        #expect(delta.latencyMedianMs == nil)
        #expect(delta.latencyMedianPercent == nil)
        #expect(delta.params == 0)
    }

    @Test func aFailedPreviousRunHasNoFigures() {
        let delta = ModelRunDelta(current: Samples.model("a.json", latency: 9.0), previous: Samples.failed("a.json"))
        #expect(delta.params == nil)
        #expect(delta.macs == nil)
        #expect(delta.latencyMedianMs == nil)
        #expect(!delta.contentChanged) // the failed run has no hash to compare
        #expect(delta.previousStatus == .failed)
    }

    @Test func zeroPreviousLatencyHasNoPercentage() {
        let delta = ModelRunDelta(current: Samples.model("a.json", latency: 1.5), previous: Samples.model("a.json", latency: 0))
        #expect(delta.latencyMedianMs == 1.5)
        #expect(delta.latencyMedianPercent == nil)
    }

    @Test func deltaAgainstTheStoredPreviousRun() throws {
        let folder = TempFolder("delta-store")
        let store = try HistoryStore.open(path: folder.path("history.sqlite")).store
        _ = try store.record(run: Samples.run("2025-06-01T02:00:00Z"), models: [Samples.model("a.json", params: 1000, macs: 4000, latency: 20.0)])
        let current = Samples.model("a.json", params: 1000, macs: 5000, latency: 23.0, hash: "bb")
        let id = try store.record(run: Samples.run("2025-06-02T02:00:00Z"), models: [current])
        let previous = try #require(try store.previous(modelId: "a.json", before: id))
        let delta = ModelRunDelta(current: current, previous: previous)
        #expect(delta.params == 0)
        #expect(delta.macs == 1000)
        #expect(delta.latencyMedianMs == 3.0)
        #expect(abs(try #require(delta.latencyMedianPercent) - 15.0) < 1e-9) // 3 / 20
        #expect(delta.contentChanged)
    }
}
