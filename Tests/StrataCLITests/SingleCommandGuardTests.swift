import Foundation
import Testing
@testable import StrataCLI

/// A single-model command (`summary`, `time`, `predict`, `render`) on a file that crashes a
/// native library, or that runs too long, ends with exit code 1 and one line naming the file
/// and the stage: never a signal, never a core dump. The crashes are real native faults made
/// at a stage (`STRATA_TEST_FAULT`); the hang is a real long run cut by `--model-timeout`.
@Suite struct SingleCommandGuardTests {
    static let seed = BatchIsolationTests.reference.appendingPathComponent("seed_resnet8/model.keras").path

    @Test(arguments: [
        (["summary"], "segv@reading the .keras archive", "crashed (SIGSEGV) while reading the .keras archive"),
        (["predict", "--input", "/nonexistent.npy", "--output", "/tmp/x.npy"], "abort@reading weights of conv2d_3",
         "crashed (SIGABRT) while reading weights of conv2d_3"),
        (["time", "--runs", "1", "--warmup", "0"], "segv@timing", "crashed (SIGSEGV) while timing the forward pass"),
        (["render", "--out", "/tmp/strata-guard-render"], "abort@analysing", "crashed (SIGABRT) while analysing"),
    ])
    func nativeCrashIsOneLineAndExitOne(command: [String], fault: String, message: String) throws {
        let r = try BatchIsolationTests.strata([command[0], Self.seed] + command.dropFirst(),
                                               environment: [WorkerFault.variable: "model.keras:" + fault])
        #expect(r.code == 1, "exit code 1, not a signal: \(r.code)\n\(r.err)")
        #expect(r.err.hasPrefix("strata: error: \(Self.seed): \(message)"), "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1, "one line: \(r.err)")
    }

    @Test func longRunIsStoppedByModelTimeout() throws {
        let resnet = BatchIsolationTests.reference.deletingLastPathComponent().appendingPathComponent("applications/ResNet50/model.json").path
        let start = Date()
        let r = try BatchIsolationTests.strata(["time", resnet, "--runs", "100000", "--warmup", "0", "--model-timeout", "2"])
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(r.code == 1, "\(r.err)")
        #expect(r.err.hasPrefix("strata: error: \(resnet): stopped after 2 s while "), "\(r.err)")
        #expect(r.err.contains("(--model-timeout)"))
    }
}
