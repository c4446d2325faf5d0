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
        #expect(missing.code == 1 && missing.err.contains("/nonexistent/model.keras: no such file"))
        let folder = run(["diff", Self.seed, FileManager.default.temporaryDirectory.path])
        #expect(folder.code == 1 && folder.err.contains("is a folder, not a model file"))
        #expect(run(["diff", Self.seed]).code == 2)
    }

    /// ResNet50 against ResNet101 (Keras's own configs): the 17 extra conv4 blocks are added
    /// (170 layers), the first conv5 block now reads the last of them, nothing else changes.
    @Test func resNet101AddsBlocksToResNet50() throws {
        let d = try json([Self.path("applications/ResNet50/model.json"), Self.path("applications/ResNet101/model.json")])
        let added = try #require(d["added"] as? [[String: Any]])
        #expect(added.count == 170)
        #expect(added.allSatisfy { ($0["name"] as? String)?.hasPrefix("conv4_block") == true })
        #expect((d["removed"] as? [Any])?.isEmpty == true && (d["renamed"] as? [Any])?.isEmpty == true)
        let changed = try #require(d["changed"] as? [[String: Any]])
        #expect(Set(changed.compactMap { $0["name"] as? String }) == ["conv5_block1_0_conv", "conv5_block1_1_conv"])
        for c in changed {
            let f = try #require((c["changes"] as? [[String: Any]])?.first)
            #expect(f["field"] as? String == "inputs" && f["old"] as? String == "conv4_block6_out" && f["new"] as? String == "conv4_block23_out")
        }
    }

    /// The Markdown for a pull request: the totals table, the changes with names escaped, and
    /// a long list folded and cut under 60,000 bytes with the count of what was left out.
    @Test func markdownStaysACommentsSize() throws {
        let small = run(["diff", Self.seed, Self.path("diff/renamed_dropout.keras"), "--markdown"])
        #expect(small.code == 0)
        #expect(small.out.contains("| Layers | 30 | 31 | +1 (+3.3%) |"))
        #expect(small.out.contains("- **renamed** conv2d\\_3 → stage2\\_conv (Conv2D)"))
        let big = run(["diff", Self.path("applications/NASNetMobile/model.json"), Self.path("applications/NASNetLarge/model.json"), "--markdown"])
        #expect(big.code == 0)
        #expect(big.out.utf8.count < 60_000)
        #expect(big.out.contains("<details><summary>"))
        #expect(big.out.contains("left out to keep this comment under 60000 characters"))
        #expect(run(["diff", Self.seed, Self.seed, "--markdown", "--json"]).code == 2)
    }

    /// `--git` on a repository with two commits gives the same answer as the two files; the
    /// working tree against a revision too; a path outside the repository is an error.
    @Test func gitRevisionsGiveTheSameAnswerAsTheFiles() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("strata-diff-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: repo) }
        let models = repo.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "git \(args)")
        }
        let file = models.appendingPathComponent("resnet.keras")
        try git("init", "-q")
        try FileManager.default.copyItem(atPath: Self.seed, toPath: file.path)
        try "{}".write(to: models.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
        try git("add", ".")
        try git("commit", "-q", "-m", "seed")
        try FileManager.default.removeItem(at: file)
        try FileManager.default.copyItem(atPath: Self.path("diff/renamed_dropout.keras"), toPath: file.path)
        try "{\"a\": 1}".write(to: models.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
        try git("commit", "-q", "-am", "rename and dropout")

        let byFiles = try json([Self.seed, Self.path("diff/renamed_dropout.keras")])
        let r = run(["diff", "--git", "HEAD~1..HEAD", repo.path, "--json"])
        #expect(r.code == 0, "\(r.err)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(list.count == 1, "only the model, not package.json")
        for key in ["added", "removed", "renamed", "changed"] {
            #expect((list.first?[key] as? NSArray)?.isEqual(byFiles[key]) == true, "\(key)")
        }
        #expect((list.first?["old"] as? [String: Any])?["file"] as? String == "models/resnet.keras @ HEAD~1")
        // Working tree against HEAD~1: the same change; --exit-code says they differ.
        #expect(run(["diff", "--git", "HEAD~1", repo.path, "--exit-code"]).code == 3)
        #expect(run(["diff", "--git", "HEAD", repo.path, "--exit-code"]).out.contains("No model file changed"))
        let outside = run(["diff", "--git", "HEAD", repo.path, "/tmp"])
        #expect(outside.code == 2 && outside.err.contains("is not in the repository"))
    }

    /// MobileNetV2 at alpha 1.0 against 0.75 (both configs written by Keras): the same 156
    /// layers, none added, removed or renamed; new shapes, counts and filter numbers. The
    /// totals are Keras's own: 3,538,984 and 2,663,064 parameters.
    @Test func mobileNetV2WidthChangesShapesNotLayers() throws {
        let d = try json([Self.path("applications/MobileNetV2/model.json"), Self.path("diff/mobilenetv2_alpha075.json")])
        for key in ["added", "removed", "renamed"] { #expect((d[key] as? [Any])?.isEmpty == true, "\(key)") }
        let params = try #require((d["totals"] as? [String: Any])?["params"] as? [String: Any])
        #expect(params["old"] as? Int == 3_538_984 && params["new"] as? Int == 2_663_064)
        let changed = try #require(d["changed"] as? [[String: Any]])
        let conv1 = try #require(changed.first { $0["name"] as? String == "Conv1" }?["changes"] as? [[String: Any]])
        #expect(Set(conv1.compactMap { $0["field"] as? String }) == ["output_shape", "params", "trainable_params", "macs", "config.filters"])
        #expect(conv1.contains { $0["field"] as? String == "config.filters" && $0["old"] as? String == "32" && $0["new"] as? String == "24" })
        #expect(((d["totals"] as? [String: Any])?["layers"] as? [String: Any])?["delta"] as? Int == 0)
    }

    /// --fail-on: exit 3 only beyond the thresholds (MobileNetV2 0.75 has 24.8 % fewer
    /// parameters and 30.1 % fewer MACs than 1.0); a malformed rule is a usage error.
    @Test func failOnThresholds() {
        let a = Self.path("applications/MobileNetV2/model.json"), b = Self.path("diff/mobilenetv2_alpha075.json")
        let within = run(["diff", a, b, "--fail-on", "params>30%,macs>31%"])
        #expect(within.code == 0, "\(within.err)")
        let beyond = run(["diff", a, b, "--fail-on", "params>30%", "--fail-on", "macs>10%"])
        #expect(beyond.code == 3)
        #expect(beyond.err.contains("macs moved by 30.1%") && !beyond.err.contains("params moved"), "\(beyond.err)")
        #expect(run(["diff", Self.seed, Self.path("diff/renamed_dropout.keras"), "--fail-on", "layers>0%"]).code == 3)
        #expect(run(["diff", a, b, "--fail-on", "latency>10%"]).code == 2)
    }
}
