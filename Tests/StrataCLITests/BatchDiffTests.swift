import Foundation
import History
import Testing
@testable import StrataCLI

/// The nightly batch and `strata diff`: the history keeps each reported version of a model
/// by content hash, and a model whose file changed is compared with the version it last
/// reported: the comparison is published beside the report, linked from the index and
/// recorded in the history.
@Suite(.serialized) struct BatchDiffTests: CLISuite {
    @Test func changedModelIsComparedWithItsPreviousVersion() throws {
        let root = try BatchIsolationTests.folder(["m.keras": "seed_resnet8/model.keras", "other.json": "case_nested/model.json"])
        let models = root + "/models", out = root + "/out"
        let args = ["report", models, "--out", out, "--no-forward"]
        let first = run(args + ["--date", "2026-01-01T00:00:00Z"])
        #expect(first.code == 0, "\(first.err)")
        let seedHash = try SHA256.hexDigest(ofFileAt: models + "/m.keras")
        let versions = ModelVersionStore(historyPath: out + "/history.sqlite")
        #expect(versions.existing(hash: seedHash) == versions.folder + "/" + seedHash + "/m.keras")
        #expect(!FileManager.default.fileExists(atPath: out + "/m_keras/diff.md"), "a first run has nothing to compare with")

        // The file now holds the seed with a convolution renamed and a Dropout inserted.
        try FileManager.default.removeItem(atPath: models + "/m.keras")
        try FileManager.default.copyItem(atPath: DiffCommandTests.path("diff/renamed_dropout.keras"), toPath: models + "/m.keras")
        let second = run(args + ["--date", "2026-01-02T00:00:00Z"])
        #expect(second.code == 0, "\(second.err)")
        #expect(second.err.contains("m.keras: compared with the version of 2026-01-01T00:00:00Z: 1 added, 1 renamed, 1 changed"), "\(second.err)")
        let markdown = try String(contentsOfFile: out + "/m_keras/diff.md", encoding: .utf8)
        #expect(markdown.contains("- **renamed** conv2d\\_3 → stage2\\_conv (Conv2D)"))
        #expect(markdown.contains("- **added** dropout\\_inserted (Dropout)"))
        let pdf = try Data(contentsOf: URL(fileURLWithPath: out + "/m_keras/diff.pdf"))
        #expect(pdf.prefix(5) == Data("%PDF-".utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/m_keras/diff.json"))) as? [String: Any])
        #expect((json["renamed"] as? [[String: Any]])?.first?["new"] as? String == "stage2_conv")

        let change = try #require(try BatchIsolationTests.indexEntries(out)["m.keras"]?["change"] as? [String: Any])
        #expect(change["content_changed"] as? Bool == true && change["previous_content_hash"] as? String == seedHash)
        #expect(change["structure"] as? String == "1 added, 1 renamed, 1 changed" && change["diff"] as? String == "diff.md")
        let index = try String(contentsOfFile: out + "/index.md", encoding: .utf8)
        #expect(index.contains("file changed: 1 added, 1 renamed, 1 changed ([what changed](m_keras/diff.md))"))
        let report = try String(contentsOfFile: out + "/m_keras/report.md", encoding: .utf8)
        #expect(report.contains("the model file has changed since then: 1 added, 1 renamed, 1 changed ([what changed](diff.md))"))
        let history = try HistoryStore.open(path: out + "/history.sqlite").store
        #expect(try history.latest(modelId: "m.keras")?.model.summary.structureChange == "1 added, 1 renamed, 1 changed")
        #expect(try history.latest(modelId: "other.json")?.model.summary.structureChange == nil)
        // The old version is no longer needed: only the reported versions are kept.
        let newHash = try SHA256.hexDigest(ofFileAt: models + "/m.keras")
        #expect(versions.existing(hash: seedHash) == nil && versions.existing(hash: newHash) != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: versions.folder).count == 2)
    }

    /// A version store's name comes from the history database: a hash that is not one names no file.
    @Test func versionStoreOpensOnlyHashNamedFolders() {
        let store = ModelVersionStore(historyPath: "/tmp/x/history.sqlite")
        #expect(store.folder == "/tmp/x/model-versions")
        #expect(store.existing(hash: "../../etc") == nil)
        #expect(!ModelVersionStore.isHash(String(repeating: "A", count: 64)))
        #expect(ModelVersionStore.isHash(String(repeating: "0a", count: 32)))
    }
}
