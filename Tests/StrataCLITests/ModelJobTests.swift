import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import StrataCLI

/// Counts what the worker's job asks of a format: how often it sniffs, opens the file and
/// asks the opened model for weights.
private final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func add(_ what: String) { lock.withLock { counts[what, default: 0] += 1 } }
    subscript(_ what: String) -> Int { lock.withLock { counts[what, default: 0] } }
}

/// The Keras format, counted.
private struct CountingKeras: ModelFormat {
    let keras = KerasModelFormat()
    let calls: Calls
    var id: String { keras.id }
    var displayName: String { keras.displayName }
    var fileExtensions: [String] { keras.fileExtensions }
    func sniff(path: String, head: [UInt8]) -> FormatSniff { calls.add("sniff"); return keras.sniff(path: path, head: head) }
    func open(path: String) throws -> any OpenedModel {
        calls.add("open")
        return CountingModel(inner: try keras.open(path: path), calls: calls)
    }
}

private struct CountingModel: OpenedModel {
    let inner: any OpenedModel
    let calls: Calls
    var path: String { inner.path }
    var graph: ModelGraph { inner.graph }
    var holdsWeights: Bool { inner.holdsWeights }
    func weights(analysis: ModelAnalysis, seed: UInt64) throws -> WeightSet {
        calls.add("weights")
        return try inner.weights(analysis: analysis, seed: seed)
    }
}

/// A batch model is opened once: the worker's job reads the graph and takes the timing's
/// weights from the same opened model.
@Suite struct ModelJobTests {
    static func fixture(_ name: String, _ file: String) -> String {
        FormatRegistryTests.fixtures.appendingPathComponent("\(name)/\(file)").path
    }

    func job(_ path: String, staging: String, probe: Bool? = nil) -> WorkerProtocol.Job {
        WorkerProtocol.Job(id: (path as NSString).lastPathComponent, path: path, reportFolder: "m", stagingFolder: staging,
                           contentHash: nil, previousExists: false, change: nil, formats: [.json], templates: nil,
                           runDate: "2026-01-01T00:00:00Z", inputShapes: nil, forward: probe == nil, forwardThreads: 1,
                           warmup: 0, runs: 1, budgetSeconds: nil, memoryLimit: nil, seed: 0, addressSpaceLimit: nil,
                           parentPid: getpid(), probe: probe)
    }

    @Test(arguments: [("seed_resnet8", "model.keras"), ("seed_resnet8", "model.json"), ("seed_resnet8", "model_keras2.h5")])
    func timedJobOpensTheFileOnce(_ fixture: String, _ file: String) throws {
        let staging = try BatchTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let calls = Calls()
        let result = ModelJob(job: job(Self.fixture(fixture, file), staging: staging), emit: { _ in }, waitForTurn: {},
                              registry: FormatRegistry(formats: [CountingKeras(calls: calls)])).run()
        #expect(result.entry.status == .ok, "\(result.entry.error ?? "")")
        #expect(result.entry.latencyMs != nil, "timed: \(result.entry.notTimed ?? "")")
        #expect(calls["sniff"] == 1 && calls["open"] == 1, "one look at the head, one opening")
        #expect(calls["weights"] == 1, "the timing's weights come from the opened model")
    }

    @Test func probeReadsTheWeightsFromTheOpenedModel() throws {
        let calls = Calls()
        let registry = FormatRegistry(formats: [CountingKeras(calls: calls)])
        let stored = ModelJob(job: job(Self.fixture("seed_resnet8", "model.keras"), staging: "", probe: true),
                              emit: { _ in }, waitForTurn: {}, registry: registry).run()
        #expect(stored.entry.status == .ok)
        #expect(calls["open"] == 1 && calls["weights"] == 1)
        // A config holds no weights: the probe has nothing to check and seeds nothing.
        let config = ModelJob(job: job(Self.fixture("seed_resnet8", "model.json"), staging: "", probe: true),
                              emit: { _ in }, waitForTurn: {}, registry: registry).run()
        #expect(config.entry.status == .ok)
        #expect(calls["open"] == 2 && calls["weights"] == 1)
    }
}
