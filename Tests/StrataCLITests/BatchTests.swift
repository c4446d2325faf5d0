import Foundation
import Testing
@testable import StrataCLI

/// The nightly batch end to end, in-process: a folder of good and bad models, the files,
/// the index, exit codes, a second run's deltas, stale reports, regressions.
@Suite(.serialized) struct BatchTests: CLISuite {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")


    static func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-batch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// models/: two good models, two bad ones, a hidden folder and a symlink loop.
    static func modelsFolder() throws -> String {
        let root = try tempDir() + "/models"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/vision", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/broken", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.hidden", withIntermediateDirectories: true)
        try fm.copyItem(atPath: reference.appendingPathComponent("seed_resnet8/model.keras").path, toPath: root + "/vision/resnet8.keras")
        try fm.copyItem(atPath: reference.appendingPathComponent("case_nested/model.json").path, toPath: root + "/nested.json")
        try fm.copyItem(atPath: reference.appendingPathComponent("case_nested/model.json").path, toPath: root + "/.hidden/skipped.json")
        fm.createFile(atPath: root + "/broken/truncated.json", contents: Data("{\"class_name\": \"Functional\", \"config\": {\"layers\": [".utf8))
        fm.createFile(atPath: root + "/broken/notes.json", contents: Data("{\"epochs\": 3}".utf8))
        try fm.createSymbolicLink(atPath: root + "/vision/loop", withDestinationPath: root)
        return root
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func firstRunReportsGoodModelsAndListsBadOnes() throws {
        let models = try Self.modelsFolder()
        let out = try Self.tempDir() + "/out"
        let r = run(["report", models, "--out", out, "--date", "2026-01-01T00:00:00Z", "--no-forward", "--jobs", "2"])
        #expect(r.code == 1, "some models failed: \(r.err)")
        for folder in ["vision/resnet8_keras", "nested_json"] {
            for file in ["report.pdf", "diagram.svg", "params.svg", "report.md", "report.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(out)/\(folder)/\(file)"), "\(folder)/\(file)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/_hidden"))
        let index = try read(out + "/index.md")
        #expect(index.contains("resnet8"))
        #expect(index.contains("nested"))
        #expect(index.contains("broken/truncated.json"))
        // A JSON file that is not a model config is not reported, but listed as skipped with the reason.
        #expect(index.contains("## Files that are not models\n\n- broken/notes.json: a JSON file that is not a Keras model config"), "\(index)")
        #expect(r.err.contains("skipped 1 file(s) that are not models (notes.json); the index lists them with the reason"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try read(out + "/index.json").utf8)) as? [String: Any])
        let entries = try #require(json["models"] as? [[String: Any]] ?? json["entries"] as? [[String: Any]])
        #expect(entries.count == 3)
        let skipped = try #require(json["skipped"] as? [[String: String]])
        #expect(skipped.map { $0["file"] } == ["broken/notes.json"])
        #expect(skipped.first?["reason"]?.hasPrefix("a JSON file that is not a Keras model config") == true)
        #expect(r.err.contains("symbolic link loop"))
        #expect(r.out.contains("Reported 2 of 3 models"))
        #expect(r.err.contains("truncated.json"))
        // No staging leftovers.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".strata-staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func secondRunShowsDeltasStaleReportsAndRegressions() throws {
        let models = try Self.modelsFolder()
        let fm = FileManager.default
        try fm.removeItem(atPath: models + "/broken")
        let out = try Self.tempDir() + "/out"
        #expect(run(["report", models, "--out", out, "--date", "2026-01-01T00:00:00Z", "--no-forward"]).code == 0)
        let previousPDF = fm.contents(atPath: out + "/vision/resnet8_keras/report.pdf")
        #expect(previousPDF != nil)

        // Night two: resnet8 is now broken (its previous report must stay, marked stale),
        // nested.json became a different model (parameters changed).
        fm.createFile(atPath: models + "/vision/resnet8.keras", contents: Data("not a zip".utf8))
        try fm.removeItem(atPath: models + "/nested.json")
        try fm.copyItem(atPath: Self.reference.appendingPathComponent("case_shared_layer/model.json").path, toPath: models + "/nested.json")
        let r = run(["report", models, "--out", out, "--date", "2026-01-02T00:00:00Z", "--no-forward"])
        #expect(r.code == 1)
        #expect(fm.contents(atPath: out + "/vision/resnet8_keras/report.pdf") == previousPDF, "previous report kept whole")
        let index = try read(out + "/index.md")
        #expect(index.lowercased().contains("stale"))
        #expect(index.contains("1,099"))   // nested: 1,099 params before
        #expect(index.contains("224"))     // now the shared-layer model: 224 params
        let report = try read(out + "/nested_json/report.md")
        #expect(report.contains("2026-01-01"), "the change since the previous run names its date")

        // With --fail-on-regression a parameter change exits 3.
        fm.createFile(atPath: models + "/vision/resnet8.keras", contents: fm.contents(atPath: Self.reference.appendingPathComponent("seed_resnet8/model.keras").path))
        try fm.removeItem(atPath: models + "/nested.json")
        try fm.copyItem(atPath: Self.reference.appendingPathComponent("case_nested/model.json").path, toPath: models + "/nested.json")
        let r3 = run(["report", models, "--out", out, "--date", "2026-01-03T00:00:00Z", "--no-forward", "--fail-on-regression"])
        #expect(r3.code == 3, "\(r3.out)")
        #expect(r3.out.contains("parameters changed"))
    }

    @Test func disappearedModelIsARegression() throws {
        let models = try Self.modelsFolder()
        let fm = FileManager.default
        try fm.removeItem(atPath: models + "/broken")
        let out = try Self.tempDir() + "/out"
        #expect(run(["report", models, "--out", out, "--date", "2026-01-01", "--no-forward", "--format", "md,json"]).code == 0)
        try fm.removeItem(atPath: models + "/nested.json")
        let r = run(["report", models, "--out", out, "--date", "2026-01-02", "--no-forward", "--format", "md,json", "--fail-on-regression"])
        #expect(r.code == 3)
        #expect(r.out.contains("nested.json was reported in the previous run and is missing now"))
    }

    @Test func shardsSplitTheModels() throws {
        let models = try Self.modelsFolder()
        try FileManager.default.removeItem(atPath: models + "/broken")
        let a = try Self.tempDir(), b = try Self.tempDir()
        #expect(run(["report", models, "--out", a, "--shard", "1/2", "--date", "2026-01-01", "--no-forward", "--format", "json"]).code == 0)
        #expect(run(["report", models, "--out", b, "--shard", "2/2", "--date", "2026-01-01", "--no-forward", "--format", "json"]).code == 0)
        let inA = FileManager.default.fileExists(atPath: a + "/nested_json/report.json")
        let inB = FileManager.default.fileExists(atPath: b + "/nested_json/report.json")
        #expect(inA != inB, "each model in exactly one shard")
        #expect(run(["report", models, "--shard", "3/2"]).code == 2)

        // Merged: both models, one index, both histories.
        let merged = try Self.tempDir() + "/merged"
        let m = run(["merge", a, b, "--out", merged])
        #expect(m.code == 0, "\(m.err)")
        #expect(m.out.contains("Merged 2 models from 2 shard(s)"))
        for folder in ["nested_json", "vision/resnet8_keras"] {
            #expect(FileManager.default.fileExists(atPath: "\(merged)/\(folder)/report.json"), "\(folder)")
        }
        let index = try #require(try JSONSerialization.jsonObject(with: Data(try read(merged + "/index.json").utf8)) as? [String: Any])
        #expect((index["models"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["nested.json", "vision/resnet8.keras"])
        #expect(FileManager.default.fileExists(atPath: merged + "/history.sqlite"))
        #expect(run(["merge", models, "--out", merged]).code == 1, "a folder without index.json is not a shard")
    }

    /// Two files whose ids map to the same report folder: the second is refused with a clear
    /// message, the first is reported, the run exits 1.
    @Test func reportFolderCollisionIsRefused() throws {
        let models = try Self.tempDir() + "/m"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        let nested = Self.reference.appendingPathComponent("case_nested/model.json").path
        try FileManager.default.copyItem(atPath: nested, toPath: models + "/a b.json")
        try FileManager.default.copyItem(atPath: nested, toPath: models + "/a_b.json")
        let out = try Self.tempDir()
        let r = run(["report", models, "--out", out, "--no-forward", "--format", "json"])
        #expect(r.code == 1)
        #expect(r.err.contains("would share its report folder a_b_json"))
        #expect(FileManager.default.fileExists(atPath: out + "/a_b_json/report.json"))
    }

    /// A corrupt history database is kept aside, a new one started, with a warning; the
    /// reports are written.
    @Test func corruptHistoryIsKeptAside() throws {
        let models = try Self.modelsFolder()
        try FileManager.default.removeItem(atPath: models + "/broken")
        let out = try Self.tempDir()
        FileManager.default.createFile(atPath: out + "/history.sqlite", contents: Data(repeating: 0x5A, count: 4096))
        let r = run(["report", models, "--out", out, "--no-forward", "--format", "json", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("history.sqlite"))
        #expect(FileManager.default.fileExists(atPath: out + "/history.sqlite.corrupt-1"))
        #expect(FileManager.default.fileExists(atPath: out + "/nested_json/report.json"))
    }

    @Test func unwritableOutputIsAClearError() throws {
        let models = try Self.modelsFolder()
        let blocker = try Self.tempDir() + "/file"
        FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let r = run(["report", models, "--out", blocker + "/out", "--no-forward"])
        #expect(r.code == 1)
        #expect(r.err.contains("strata: error:"))
        #expect(r.err.contains(blocker))
    }
}

/// Which files with a model extension discovery takes for models.
@Suite struct DiscoveryTests {
    @Test func notModelsAreSkipped() throws {
        let dir = try BatchTests.tempDir()
        let fm = FileManager.default
        fm.createFile(atPath: dir + "/labels.json", contents: Data(#"["cat", "dog"]"#.utf8))
        fm.createFile(atPath: dir + "/model.weights.h5", contents: Data("x".utf8))
        fm.createFile(atPath: dir + "/broken.json", contents: Data(#"{"class_name": "Functional", "config": {"#.utf8))
        fm.createFile(atPath: dir + "/broken.h5", contents: Data("x".utf8))
        fm.createFile(atPath: dir + "/README.md", contents: Data("# models".utf8))
        // A FIFO would block whoever reads it: never opened, listed as skipped.
        #expect(mkfifo(dir + "/pipe.h5", 0o644) == 0)
        let r = ModelDiscovery.discover(inputs: [dir])
        #expect(r.models.map(\.id) == ["broken.h5", "broken.json"], "broken models are still reported (as failed)")
        #expect(r.skipped.map(\.id) == ["README.md", "labels.json", "model.weights.h5", "pipe.h5"], "every file that is not a model is listed")
        let reasons = Dictionary(uniqueKeysWithValues: r.skipped.map { ($0.id, $0.reason) })
        #expect(reasons["README.md"] == "a .md file, not a model: Strata reads .json, .keras, .h5, .hdf5 and .onnx files")
        #expect(reasons["labels.json"]?.contains("not a Keras model config") == true)
        #expect(reasons["model.weights.h5"]?.contains("weights-only") == true)
        #expect(reasons["pipe.h5"] == "a FIFO, not a regular file: never opened")
    }

    @Test func shardsTakeEveryNthModel() {
        let models = (0..<7).map { ModelDiscovery.Found(id: "m\($0)", path: "/m\($0)") }
        #expect(ModelDiscovery.shard(models, k: 1, of: 3).map(\.id) == ["m0", "m3", "m6"])
        #expect(ModelDiscovery.shard(models, k: 3, of: 3).map(\.id) == ["m2", "m5"])
        #expect(ModelDiscovery.reportFolder(for: "vision/res net.v2.keras") == "vision/res_net_v2_keras")
    }
}
