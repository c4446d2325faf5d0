import Foundation
import Testing
@testable import StrataCLI

/// Real damaged files that crash or hang libhdf5 (Tests/Fixtures/fuzz, see its README):
/// a folder of three good models and eleven such files gives a complete index, the good
/// models reported with their timing and each damaged one failed with its reason and stage;
/// each single command on each file ends with exit code 1 and a line naming the file.
@Suite(.serialized) struct FuzzFixtureTests {
    static let fuzz = BatchIsolationTests.reference.deletingLastPathComponent().appendingPathComponent("fuzz").path

    static var damaged: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fuzz)) ?? []).filter { $0.hasSuffix(".h5") }.sorted()
    }

    @Test func damagedFilesAreEightCrashesAndThreeHangs() {
        #expect(Self.damaged.filter { $0.hasPrefix("crash-") }.count == 8)
        #expect(Self.damaged.filter { $0.hasPrefix("hang-") }.count == 3)
    }

    /// findings.tsv lists exactly the files of the folder.
    @Test func findingsListEveryFile() throws {
        let tsv = try String(contentsOfFile: Self.fuzz + "/findings.tsv", encoding: .utf8)
        let listed = tsv.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.split(separator: "\t")[0]) }
        #expect(listed.sorted() == Self.damaged)
    }

    /// Inputs libFuzzer found in the Swift-side readers (none so far) read to a clean error.
    @Test func swiftReaderFindingsReadCleanly() throws {
        let folder = Self.fuzz + "/swift"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !name.hasPrefix(".") {
            let r = try BatchIsolationTests.strata(["summary", folder + "/" + name, "--model-timeout", "10"])
            #expect(r.code == 0 || r.code == 1, "\(name): \(r.err)")
            #expect(!r.err.contains("crashed (") && !r.err.contains("stopped after"), "\(name): \(r.err)")
        }
    }

    @Test func batchOverGoodAndDamagedModelsCompletes() throws {
        let root = try BatchIsolationTests.folder(["good.keras": "seed_resnet8/model.keras", "good_nested.json": "case_nested/model.json",
                                                   "good_multi.keras": "case_multi_io/model.keras"])
        for name in Self.damaged {
            try FileManager.default.copyItem(atPath: Self.fuzz + "/" + name, toPath: root + "/models/" + name)
        }
        let out = root + "/out"
        let start = Date()
        let r = try BatchIsolationTests.strata(["report", root + "/models", "--out", out, "--config", try BatchIsolationTests.config(root),
                                                "--date", "2026-01-01T00:00:00Z", "--model-timeout", "8", "--model-memory", "1G",
                                                "--format", "json,md"])
        #expect(Date().timeIntervalSince(start) < 180, "within minutes")
        #expect(r.code == 1, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("Reported 3 of 14 models"), "\(r.out)")
        #expect(r.out.contains("Timed 3 of 3 reported models"), "\(r.out)")
        let entries = try BatchIsolationTests.indexEntries(out)
        #expect(entries.count == 14)
        for good in ["good.keras", "good_nested.json", "good_multi.keras"] {
            #expect(entries[good]?["status"] as? String == "ok")
            #expect(entries[good]?["latency_ms"] as? Double != nil)
        }
        for name in Self.damaged {
            let error = entries[name]?["error"] as? String ?? ""
            #expect(entries[name]?["status"] as? String == "failed", "\(name)")
            if name.hasPrefix("crash-") {
                #expect(error.contains("crashed (SIG") && error.contains("while reading the HDF5 attribute"), "\(name): \(error)")
            } else {
                // A hang that also allocates (hang-nested-1045) may meet the memory limit first.
                #expect(error.contains("stopped after 8 s while") || error.contains("memory limit while"), "\(name): \(error)")
            }
        }
    }

    @Test(arguments: ["time", "summary"])
    func singleCommandsExitOneNamingTheFile(command: String) throws {
        for name in Self.damaged {
            let path = Self.fuzz + "/" + name
            let extra = command == "time" ? ["--runs", "1", "--warmup", "0"] : []
            let r = try BatchIsolationTests.strata([command, path, "--model-timeout", "3"] + extra)
            // `summary` reads no weights: the files whose damage is in the weights' attributes read fine.
            if command == "summary" && r.code == 0 { continue }
            #expect(r.code == 1, "\(name): \(r.err)")
            #expect(r.err.hasPrefix("strata: error: \(path): "), "\(name): \(r.err)")
            #expect(r.err.contains(name.hasPrefix("crash-") ? "crashed (SIG" : "stopped after 3 s while"), "\(name): \(r.err)")
        }
    }
}
