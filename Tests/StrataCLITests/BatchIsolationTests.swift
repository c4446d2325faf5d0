import Foundation
import History
import Testing
@testable import StrataCLI

/// The batch survives whatever happens inside one model's worker: a native crash (SIGSEGV
/// from a null-pointer write in C, SIGABRT as glibc raises on heap corruption), a hang, a
/// memory blow-up, an exit without a result, a kill from outside. Each such model fails
/// alone with the reason and the stage it was in, in the log, index.md, index.json and the
/// history; the good models are reported with their timing; the exit code is 1.
///
/// The faults are real ones made on demand in the worker (`STRATA_TEST_FAULT`, see
/// `WorkerFault`), at the stage a damaged file would cause them; the fuzz fixtures that crash
/// libhdf5 itself are run in `FuzzFixtureBatchTests`.
@Suite(.serialized) struct BatchIsolationTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    struct Run {
        var code: Int32
        var out: String
        var err: String
    }

    /// Runs the strata executable with `arguments` and extra environment; waits for it.
    static func strata(_ arguments: [String], environment: [String: String] = [:], onStart: ((Process) -> Void)? = nil) throws -> Run {
        let executable = try #require(BatchKillTests.executable, "the strata executable is built beside the tests")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("strata-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("strata-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        onStart?(p)
        p.waitUntilExit()
        let out = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outFile)
        try? FileManager.default.removeItem(at: errFile)
        return Run(code: p.terminationStatus, out: out, err: err)
    }

    /// A folder with the given copies of reference models: name in the folder -> fixture path.
    static func folder(_ files: [String: String]) throws -> String {
        let root = try BatchTests.tempDir()
        try FileManager.default.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
        for (name, fixture) in files {
            try FileManager.default.copyItem(atPath: reference.appendingPathComponent(fixture).path, toPath: root + "/models/" + name)
        }
        return root
    }

    static func indexEntries(_ out: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/index.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let models = try #require(json["models"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: models.map { ($0["id"] as! String, $0) })
    }

    static func config(_ root: String) throws -> String {
        let path = root + "/strata.yml"
        try "forward:\n  warmup: 1\n  runs: 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func everyFailureKindFailsItsModelOnlyWithReasonAndStage() throws {
        let root = try Self.folder([
            "good.keras": "seed_resnet8/model.keras",
            "good_nested.json": "case_nested/model.json",
            "good_multi.keras": "case_multi_io/model.keras",
            "segv.keras": "seed_resnet8/model.keras",
            "abort.keras": "seed_resnet8/model.keras",
            "hang.json": "case_nested/model.json",
            "memory.json": "case_nested/model.json",
            "quits.json": "case_nested/model.json",
        ])
        let faults = [
            "segv.keras:segv@reading weights of conv2d_3",
            "abort.keras:abort@reading weights of batch_normalization",
            "hang.json:hang@analysing",
            "memory.json:memory@analysing",
            "quits.json:exit@rendering",
        ].joined(separator: ";")
        let out = root + "/out"
        let start = Date()
        let r = try Self.strata(["report", root + "/models", "--out", out, "--config", try Self.config(root), "--date", "2026-01-01T00:00:00Z",
                                 "--model-timeout", "5", "--model-memory", "400M", "--jobs", "2"],
                                environment: [WorkerFault.variable: faults])
        #expect(Date().timeIntervalSince(start) < 120, "the hang is cut by the time limit")
        #expect(r.code == 1, "models failed: exit code 1\n\(r.out)\n\(r.err)")
        #expect(r.out.contains("Reported 3 of 8 models"), "\(r.out)")
        #expect(r.out.contains("Timed 3 of 3 reported models"), "the good models are timed: \(r.out)")

        let expected: [String: String] = [
            "segv.keras": "crashed (SIGSEGV) while reading weights of conv2d_3",
            "abort.keras": "crashed (SIGABRT) while reading weights of batch_normalization",
            "hang.json": "stopped after 5 s while analysing",
            "memory.json": "stopped at the 400 MiB memory limit while analysing",
            "quits.json": "the worker ended with exit code 7 while rendering",
        ]
        let entries = try Self.indexEntries(out)
        #expect(entries.count == 8)
        for good in ["good.keras", "good_nested.json", "good_multi.keras"] {
            #expect(entries[good]?["status"] as? String == "ok", "\(good): \(entries[good] ?? [:])")
            #expect(entries[good]?["latency_ms"] as? Double != nil, "\(good) timed")
            let folder = ModelDiscovery.reportFolder(for: good)
            for file in ["report.pdf", "diagram.svg", "report.md", "report.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/\(file)"), "\(folder)/\(file)")
            }
        }
        let indexMD = try String(contentsOfFile: out + "/index.md", encoding: .utf8)
        let history = try HistoryStore.open(path: out + "/history.sqlite").store
        for (id, reason) in expected {
            let error = entries[id]?["error"] as? String ?? ""
            #expect(entries[id]?["status"] as? String == "failed", "\(id)")
            #expect(error.contains(reason), "\(id): \(error)")
            #expect(error.contains(root + "/models/" + id), "the error names the file: \(error)")
            #expect(r.out.contains(reason), "the run's summary says why \(id) failed")
            #expect(r.err.contains(reason), "the log says why \(id) failed")
            #expect(indexMD.contains(id))
            let recorded = try history.latest(modelId: id)?.model
            #expect(recorded?.status == .failed && recorded?.error?.contains(reason) == true, "history of \(id): \(String(describing: recorded))")
            // Nothing of a failed model is published.
            #expect(!FileManager.default.fileExists(atPath: out + "/" + ModelDiscovery.reportFolder(for: id)))
        }
        // No staging leftovers, no worker left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".strata-staging") }
        #expect(leftovers.isEmpty)
    }

    /// A worker killed from outside (kill -9) is one failed model, not a dead batch.
    @Test func workerKilledFromOutsideIsAFailedModel() throws {
        let root = try Self.folder(["a.json": "case_nested/model.json", "victim.json": "case_nested/model.json", "z.json": "case_nested/model.json"])
        let out = root + "/out"
        let r = try Self.strata(["report", root + "/models", "--out", out, "--no-forward", "--date", "2026-01-01T00:00:00Z", "--jobs", "1"],
                                environment: [WorkerFault.variable: "victim.json:hang@analysing"]) { batch in
            // The hanging worker is the one child that lives long: the others take a
            // fraction of a second each (--jobs 1, one at a time).
            var firstSeen: [Int32: Date] = [:]
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                for child in Self.children(of: batch.processIdentifier) {
                    let seen = firstSeen[child] ?? Date()
                    firstSeen[child] = seen
                    if Date().timeIntervalSince(seen) > 2 { kill(child, SIGKILL); return }
                }
                usleep(50_000)
            }
        }
        #expect(r.code == 1, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("Reported 2 of 3 models"), "\(r.out)")
        let entries = try Self.indexEntries(out)
        let error = entries["victim.json"]?["error"] as? String ?? ""
        #expect(error.contains("killed (SIGKILL) from outside while analysing"), "\(error)")
    }

    /// Child process ids of `pid` (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0) }
        }
    }
}
