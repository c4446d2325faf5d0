import Foundation
import History
import Testing
@testable import StrataCLI

/// Incremental runs: a model whose file, Strata version and effective configuration are
/// unchanged keeps its published report (no worker, files untouched), a changed one is
/// redone, `--force` redoes all, a changed setting redoes all, and with the forward pass on
/// an unchanged model is timed again unless `forward.retime: changed`.
@Suite(.serialized) struct BatchIncrementalTests: CLISuite {
    static let reference = BatchIsolationTests.reference

    func modified(_ path: String) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    @Test func unchangedModelsKeepTheirReportsChangedOnesAreRedone() throws {
        let root = try BatchIsolationTests.folder(["a.json": "case_nested/model.json", "b.keras": "seed_resnet8/model.keras",
                                                   "c.json": "case_shared_layer/model.json"])
        let models = root + "/models", out = root + "/out"
        let args = ["report", models, "--out", out, "--no-forward", "--jobs", "2"]
        let first = run(args + ["--date", "2026-01-01T00:00:00Z"])
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out.contains("3 model(s) ran in worker processes"), "\(first.out)")
        let pdf = out + "/b_keras/report.pdf"
        let before = try modified(pdf)
        let stored = try #require(ModelResultStore(output: out).load("b_keras"))
        #expect(stored.key.contentHash == (try SHA256.hexDigest(ofFileAt: models + "/b.keras")))
        #expect(stored.entry.params == 78_666)

        // Night two: nothing changed, nothing is redone.
        Thread.sleep(forTimeInterval: 0.05)
        let second = run(args + ["--date", "2026-01-02T00:00:00Z"])
        #expect(second.code == 0, "\(second.err)")
        #expect(second.out.contains("0 model(s) ran in worker processes; 3 unchanged model(s) kept their previous report"), "\(second.out)")
        #expect(try modified(pdf) == before, "the report's files are not rewritten")
        let index = try BatchIsolationTests.indexEntries(out)
        #expect(index["b.keras"]?["params"] as? Int == 78_666)
        let change = try #require(index["b.keras"]?["change"] as? [String: Any])
        #expect(change["previous_run_date"] as? String == "2026-01-01T00:00:00Z", "the change is this run's, against the previous run")
        #expect(change["previous_params"] as? Int == 78_666)
        let history = try HistoryStore.open(path: out + "/history.sqlite").store
        #expect(try history.runs().count == 2, "the reused models are recorded for this run too")
        #expect(try history.latest(modelId: "b.keras")?.model.params == 78_666)

        // Night three: one file changed, only it is redone.
        try FileManager.default.removeItem(atPath: models + "/a.json")
        try FileManager.default.copyItem(atPath: Self.reference.appendingPathComponent("case_seq_with_input/model.json").path, toPath: models + "/a.json")
        let third = run(args + ["--date", "2026-01-03T00:00:00Z"])
        #expect(third.code == 0, "\(third.err)")
        #expect(third.out.contains("1 model(s) ran in worker processes, the largest peak"), "\(third.out)")
        #expect(third.out.contains("; 2 unchanged model(s) kept their previous report"), "\(third.out)")
        let changed = try #require(try BatchIsolationTests.indexEntries(out)["a.json"]?["change"] as? [String: Any])
        #expect(changed["content_changed"] as? Bool == true)

        // --force redoes everything; a setting that changes the reports does too.
        let forced = run(args + ["--date", "2026-01-04T00:00:00Z", "--force"])
        #expect(forced.out.contains("3 model(s) ran in worker processes, the largest peak"), "\(forced.out)")
        #expect(!forced.out.contains("unchanged model(s) kept"), "\(forced.out)")
        #expect(try modified(pdf) > before)
        let reformatted = run(args + ["--date", "2026-01-05T00:00:00Z", "--format", "json,md"])
        #expect(reformatted.out.contains("3 model(s) ran in worker processes, the largest peak"), "\(reformatted.out)")
        #expect(!reformatted.out.contains("unchanged model(s) kept"), "\(reformatted.out)")
        #expect(!FileManager.default.fileExists(atPath: pdf), "the report now has only the formats asked for")
    }

    @Test func forwardPassRunsAgainUnlessRetimeIsChanged() throws {
        let root = try BatchIsolationTests.folder(["a.json": "case_nested/model.json", "b.json": "case_shared_layer/model.json"])
        let models = root + "/models", out = root + "/out"
        try "forward:\n  warmup: 0\n  runs: 2\n".write(toFile: root + "/always.yml", atomically: true, encoding: .utf8)
        try "forward:\n  warmup: 0\n  runs: 2\n  retime: changed\n".write(toFile: root + "/changed.yml", atomically: true, encoding: .utf8)
        let first = run(["report", models, "--out", out, "--config", root + "/always.yml", "--date", "2026-01-01T00:00:00Z"])
        #expect(first.code == 0, "\(first.err)")
        let again = run(["report", models, "--out", out, "--config", root + "/always.yml", "--date", "2026-01-02T00:00:00Z"])
        #expect(again.out.contains("2 model(s) ran in worker processes, the largest peak"), "timed again: \(again.out)")
        #expect(!again.out.contains("unchanged model(s) kept"), "\(again.out)")
        #expect(again.out.contains("Timed 2 of 2"))
        let changedOnly = run(["report", models, "--out", out, "--config", root + "/changed.yml", "--date", "2026-01-03T00:00:00Z"])
        // retime is not part of what a report says, so the reports made with "always" stand.
        #expect(changedOnly.out.contains("0 model(s) ran in worker processes; 2 unchanged model(s) kept their previous report"), "\(changedOnly.out)")
        let entries = try BatchIsolationTests.indexEntries(out)
        #expect(entries["a.json"]?["latency_ms"] as? Double != nil, "the kept report keeps its timing")
    }
}
