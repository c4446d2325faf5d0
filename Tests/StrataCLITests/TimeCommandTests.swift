import Foundation
import Testing
@testable import StrataCLI
import ModelKit
import Execution

/// `strata time` end to end (never asserts how fast anything is: only the shape of the figures).
@Suite struct TimeCommandTests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }


    @Test func jsonHasTheKeysAndConsistentFigures() throws {
        let r = run(["time", Self.path("seed_resnet8/model.keras"), "--runs", "3", "--warmup", "1", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        for key in ["model", "threads", "warmup", "runs", "median_ms", "min_ms", "p90_ms", "peak_rss_bytes", "layers"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["runs"] as? Int == 3)
        #expect(object["warmup"] as? Int == 1)
        // oneDNN runs the model as an execution plan with the threads asked for (default: the cores).
        #expect(object["backend"] as? String == "ExecutionPlan (oneDNN)")
        #expect((object["plan_bytes"] as? Int ?? 0) > 0)
        let planWeights = try #require(object["plan_weight_bytes"] as? Int)
        let planActivations = try #require(object["plan_activation_bytes"] as? Int)
        #expect(planWeights > 0 && planActivations > 0 && planWeights + planActivations <= (object["plan_bytes"] as? Int ?? 0))
        #expect((object["plan_build_ms"] as? Double ?? 0) > 0)
        #expect(object["threads"] as? Int == object["threads_requested"] as? Int)
        #expect((object["run_ms"] as? [Double])?.count == 3)
        let median = try #require(object["median_ms"] as? Double)
        let minimum = try #require(object["min_ms"] as? Double)
        let p90 = try #require(object["p90_ms"] as? Double)
        #expect(minimum > 0)
        #expect(minimum <= median && median <= p90)
        #expect((object["peak_rss_bytes"] as? Int ?? 0) > 0)
        let layers = try #require(object["layers"] as? [[String: Any]])
        // The seed model has 30 Keras layers, one of them the InputLayer: every other layer
        // (called once each) is one entry, in execution order.
        #expect(layers.count == 29)
        #expect(Set(layers.compactMap { $0["name"] as? String }).count == 29)
        #expect(!layers.contains { ($0["class"] as? String) == "InputLayer" })
        // A layer fused into another (BN folded, activation or Add as post-op) has time 0 and
        // names that layer, which is timed; the seed model's first conv takes its BN and ReLU.
        let names = Set(layers.compactMap { $0["name"] as? String })
        for l in layers {
            if let into = l["fused_into"] as? String {
                #expect((l["median_ms"] as? Double) == 0, "\(l)")
                #expect(names.contains(into), "\(l)")
            } else {
                #expect(((l["median_ms"] as? Double) ?? 0) > 0, "\(l)")
            }
        }
        let fused = Dictionary(uniqueKeysWithValues: layers.compactMap { l in (l["fused_into"] as? String).map { ((l["name"] as? String) ?? "", $0) } })
        #expect(fused["batch_normalization"] == "conv2d")
        #expect(fused["activation"] == "conv2d")
        #expect(fused["add"] == "conv2d_2")
        let sum = layers.reduce(0.0) { $0 + (($1["median_ms"] as? Double) ?? 0) }
        #expect(abs(sum - ((object["layer_sum_ms"] as? Double) ?? -1)) < 1e-9 * max(1, sum))
    }

    @Test func tableShowsTotalsAndTheSumOfLayerTimes() {
        let r = run(["time", Self.path("seed_resnet8/model.keras"), "--runs", "2", "--warmup", "0"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Sum of per-layer times"), "\(r.out)")
        #expect(r.out.contains("median") && r.out.contains("min") && r.out.contains("p90"), "\(r.out)")
        #expect(r.out.contains("Backend: ExecutionPlan (oneDNN), threads used: \(ProcessInfo.processInfo.activeProcessorCount)"), "\(r.out)")
        #expect(r.out.contains("fused into conv2d"), "\(r.out)")
        #expect(r.out.contains("Plan: built in"), "\(r.out)")
        #expect(r.out.contains("Peak RSS"), "\(r.out)")
    }

    @Test func memoryLimitRefusesThePlan() {
        let r = run(["time", Self.path("seed_resnet8/model.keras"), "--runs", "1", "--warmup", "0", "--memory-limit", "1K"])
        #expect(r.code == 1, "\(r.err)")
        #expect(r.err.contains("needs") && r.err.contains("above the memory limit of 1024 bytes"), "\(r.err)")
        let bad = run(["time", Self.path("seed_resnet8/model.keras"), "--memory-limit", "lots"])
        #expect(bad.code == 2, "\(bad.err)")
        let ok = run(["time", Self.path("seed_resnet8/model.keras"), "--runs", "1", "--warmup", "0", "--memory-limit", "2G"])
        #expect(ok.code == 0, "\(ok.err)")
    }

    @Test func byteCountsParse() {
        #expect(ModelRunSetup.parseBytes("1000") == 1000)
        #expect(ModelRunSetup.parseBytes("512M") == 512 << 20)
        #expect(ModelRunSetup.parseBytes("2G") == 2 << 30)
        #expect(ModelRunSetup.parseBytes("1.5k") == 1536)
        #expect(ModelRunSetup.parseBytes("3GiB") == 3 << 30)
        #expect(ModelRunSetup.parseBytes("x") == nil)
        #expect(ModelRunSetup.parseBytes("") == nil)
    }

    @Test func budgetStopsTimedRunsEarly() throws {
        // A budget of a microsecond is spent by the first run: exactly one timed run.
        let r = run(["time", Self.path("seed_resnet8/model.keras"), "--runs", "50", "--warmup", "0", "--budget", "0.000001", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["runs"] as? Int == 1)
        #expect(object["runs_requested"] as? Int == 50)
    }

    /// A JSON config has no weights: they are initialised from the fixed seed, and the run
    /// says so.
    @Test func jsonModelRunsOnSeededWeights() throws {
        let r = run(["time", Self.path("seed_resnet8/model.json"), "--runs", "1", "--warmup", "0", "--json"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("holds no weights") && r.err.contains("seed 0"), "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["runs"] as? Int == 1)
    }

    @Test(arguments: [["--runs", "0"], ["--warmup", "-1"], ["--threads", "0"], ["--budget", "0"], ["--input-shape", "a,b"]])
    func badOptionsAreUsageErrors(_ extra: [String]) {
        let r = run(["time", Self.path("seed_resnet8/model.keras")] + extra)
        #expect(r.code == 2, "\(extra): \(r.err)")
    }

    @Test func inputsAreDeterministicBatchOneAndRejectOpenDimensions() throws {
        let a = try ForwardProfiler.inputs(for: [TensorShape([nil, 4, 4, 3]), TensorShape([nil, 7])])
        let b = try ForwardProfiler.inputs(for: [TensorShape([nil, 4, 4, 3]), TensorShape([nil, 7])])
        #expect(a.map(\.shape) == [[1, 4, 4, 3], [1, 7]])
        #expect(a.map(\.data) == b.map(\.data))
        #expect(a[0].data.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(Set(a[0].data).count > 40, "values vary")
        #expect(throws: ExecutionError.self) { try ForwardProfiler.inputs(for: [TensorShape([nil, nil, nil, 3])]) }
        #expect(throws: ExecutionError.self) { try ForwardProfiler.inputs(for: [nil]) }
    }

    @Test func percentilesInterpolateLikeNumPy() {
        // numpy.percentile([1, 2, 3, 4], [50, 90, 25, 75]) == [2.5, 3.7, 1.75, 3.25]
        let t = ForwardTiming(runs: 4, requestedRuns: 4, warmup: 0, threads: 1, requestedThreads: 1, runMs: [4, 1, 3, 2],
                              layers: [.init(name: "a", className: "Dense", medianMs: 1), .init(name: "b", className: "ReLU", medianMs: 0.5)],
                              instrumentedRuns: 4, peakRSSBytes: nil, backend: "ReferenceBackend")
        #expect(t.medianMs == 2.5 && t.minMs == 1)
        #expect(abs(t.p90Ms - 3.7) < 1e-12 && abs(t.spreadMs - 1.5) < 1e-12)
        #expect(t.layerSumMs == 1.5)
        #expect(ForwardProfiler.peakRSSBytes() ?? 0 > 0)
    }
}
