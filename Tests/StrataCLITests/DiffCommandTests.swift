import Foundation
import Testing
@testable import StrataCLI

/// `strata diff` on pairs made with Keras itself (Tests/Fixtures/diff, scripts/make_diff_fixtures.py):
/// each pair's expected answer is what was done to make it.
@Suite struct DiffCommandTests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }
    static let seed = path("reference/seed_resnet8/model.keras")

    func json(_ args: [String]) throws -> [String: Any] {
        let r = run(["diff"] + args + ["--json"])
        #expect(r.code == 0, "\(r.err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    /// One convolution renamed and a Dropout inserted before the Flatten, weights copied:
    /// 1 renamed, 1 added, the Flatten now reading the Dropout, no weight changed.
    @Test func renamedConvolutionAndInsertedDropout() throws {
        let d = try json([Self.seed, Self.path("diff/renamed_dropout.keras")])
        #expect(d["schema"] as? String == "strata-diff/1")
        let renamed = try #require(d["renamed"] as? [[String: Any]])
        #expect(renamed.count == 1)
        #expect(renamed.first?["old"] as? String == "conv2d_3" && renamed.first?["new"] as? String == "stage2_conv")
        let added = try #require(d["added"] as? [[String: Any]])
        #expect(added.map { $0["name"] as? String } == ["dropout_inserted"] && added.first?["type"] as? String == "Dropout")
        #expect((d["removed"] as? [Any])?.isEmpty == true)
        let changed = try #require(d["changed"] as? [[String: Any]])
        #expect(changed.map { $0["name"] as? String } == ["flatten"])
        let fields = (changed.first?["changes"] as? [[String: Any]])?.map { $0["field"] as? String }
        #expect(fields == ["inputs"])
        let params = try #require((d["totals"] as? [String: Any])?["params"] as? [String: Any])
        #expect(params["delta"] as? Int == 0 && params["old"] as? Int == 78_666)
        #expect(run(["diff", Self.seed, Self.path("diff/renamed_dropout.keras"), "--exit-code"]).code == 3)
    }

    /// One kernel changed: only that layer, only its weights.
    @Test func retrainedKernelChangesOnlyItsWeights() throws {
        let d = try json([Self.seed, Self.path("diff/retrained_kernel.keras")])
        let changed = try #require(d["changed"] as? [[String: Any]])
        #expect(changed.map { $0["name"] as? String } == ["conv2d_5"])
        let changes = try #require(changed.first?["changes"] as? [[String: Any]])
        #expect(changes.map { $0["field"] as? String } == ["weights"])
        #expect((changes.first?["new"] as? String)?.contains("relative L2 change") == true)
        #expect(d["unchanged"] as? Int == 29)
    }

    /// The same model saved by Keras 3 (.keras) and by Keras 2 (.h5), and a file against its
    /// copy: no differences (axis -1 and 3, a list of one axis, the saving tool's name for the
    /// input are form, not change).
    @Test func sameModelInTwoFormsAndACopyAreTheSame() throws {
        let forms = run(["diff", Self.seed, Self.path("reference/seed_resnet8/model_keras2.h5"), "--exit-code"])
        #expect(forms.code == 0, "\(forms.out)")
        #expect(forms.out.contains("No differences: 30 layers match."))
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("strata-diff-copy-\(UUID().uuidString).keras")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(atPath: Self.seed, toPath: copy.path)
        #expect(run(["diff", Self.seed, copy.path, "--exit-code"]).code == 0)
    }

    @Test func unreadableAndUsageErrors() {
        let missing = run(["diff", Self.seed, "/nonexistent/model.keras"])
        #expect(missing.code == 1 && missing.err.contains("/nonexistent/model.keras"))
        #expect(run(["diff", Self.seed]).code == 2)
    }
}
