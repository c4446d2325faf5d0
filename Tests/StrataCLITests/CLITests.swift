import Foundation
import Testing
@testable import StrataCLI

/// The command line as a user meets it: output, exit codes, errors.
@Suite struct CLITests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }


    @Test func summaryOfTheSeedModel() {
        let r = run(["summary", Self.path("seed_resnet8/model.keras")])
        #expect(r.code == 0)
        #expect(r.err.isEmpty)
        #expect(r.out.contains("Total params:         78,666"))
        #expect(r.out.contains("Non-trainable params: 480"))
        #expect(r.out.contains("conv2d (Conv2D)"))
        #expect(r.out.contains("add (Add)"))
        #expect(r.out.contains("     30  Keras layers"))
        #expect(r.out.contains("      8  depth"))
        #expect(r.out.contains("BatchNormalization layers do carry weights"))
    }

    /// --weights lists each weight tensor under its layer: BatchNormalization's four, two of
    /// them non-trainable, as Keras's truth.json lists them.
    @Test func summaryListsWeightTensors() {
        let r = run(["summary", Self.path("seed_resnet8/model.json"), "--weights"])
        #expect(r.code == 0)
        #expect(r.out.contains("  · kernel (3, 3, 3, 16) 432 trainable\n  · bias (16,) 16 trainable"))
        #expect(r.out.contains("  · moving_mean (16,) 16 non-trainable\n  · moving_variance (16,) 16 non-trainable"))
        #expect(!run(["summary", Self.path("seed_resnet8/model.json")]).out.contains("· kernel"))
    }

    @Test func summaryJSONFollowsTheSchema() throws {
        let r = run(["summary", Self.path("case_nested/model_keras2.h5"), "--json"])
        #expect(r.code == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "strata-report/2")
        let model = try #require(object["model"] as? [String: Any])
        #expect(model["format"] as? String == "keras2-h5")
        #expect(model["source_class"] as? String == "Functional")
        #expect(model.keys.contains("format_version") && !model.keys.contains("keras_version"))
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["params"] as? Int == 1_099)
        #expect(totals["trainable_params"] as? Int == 1_035)
        #expect(totals["non_trainable_params"] as? Int == 64)
        for key in ["macs", "weight_bytes", "peak_activation_bytes"] { #expect(totals[key] is Int, "totals.\(key)") }
        let counts = try #require(object["layer_counts"] as? [String: Int])
        #expect(Set(counts.keys) == ["top_level_layers", "with_weights", "with_kernel", "depth"])
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["features", "encoder", "skip", "add", "head"])
        let encoder = layers[1]
        #expect((encoder["layers"] as? [[String: Any]])?.count == 4)
        #expect(encoder["op"] as? String == "model")
        let shape = try #require(encoder["output_shape"] as? [Any])
        #expect((shape.first as? [Any])?.count == 2, "output_shape is a list of shapes")
        #expect((layers[3]["inbound"] as? [String]) == ["encoder", "skip"])
        #expect(object["diagnostics"] is [Any])
    }

    /// MobileNetV3Small leaves its spatial size open: MACs are unknown until it is stated.
    /// The stem convolution at 224x224 by hand: 112 x 112 x 16 outputs x (3 x 3 x 3) = 5,419,008.
    @Test func inputShapeFillsOpenDimensions() throws {
        let file = Self.fixtures.deletingLastPathComponent().appendingPathComponent("applications/MobileNetV3Small/model.json").path
        let open = run(["summary", file])
        #expect(open.code == 0)
        #expect(open.out.contains("MACs at batch 1:      unknown: input (None, None, None, 3) leaves dimensions open"))
        let stated = run(["summary", file, "--json", "--input-shape", "224,224,3"])
        #expect(stated.code == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stated.out.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["macs"] is Int)
        let layers = try #require(object["layers"] as? [[String: Any]])
        let conv = try #require(layers.first { $0["name"] as? String == "conv" })
        #expect(conv["macs"] as? Int == 5_419_008)
        let shape = try #require((conv["output_shape"] as? [[Any]])?.first)
        #expect(shape.first is NSNull)
        #expect(shape.dropFirst().compactMap { $0 as? Int } == [112, 112, 16])
    }

    @Test func inputShapeMustAgreeWithTheModel() {
        let resnet = Self.path("app_ResNet50/model.json")
        let r = run(["summary", resnet, "--input-shape", "320,320,3"])
        #expect(r.code == 2)
        #expect(r.err.contains("declares 224 on axis 1"))
        #expect(run(["summary", resnet, "--input-shape", "224,224"]).code == 2)
        #expect(run(["summary", resnet, "--input-shape", "a,b"]).code == 2)
        #expect(run(["summary", resnet, "--input-shape", "224,224,3", "--input-shape", "1,1,1"]).code == 2)
    }

    @Test func unreadableModelExitsOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("broken.json").path
        FileManager.default.createFile(atPath: file, contents: Data("{\"class_name\": \"Functional\", \"config\": {".utf8))
        let r = run(["summary", file])
        #expect(r.code == 1)
        #expect(r.out.isEmpty)
        #expect(r.err.hasPrefix("strata: error: "))
        #expect(r.err.contains("broken.json"))
        #expect(r.err.contains("line 1, column"))
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test func missingFileExitsOne() {
        let r = run(["summary", "/no/such/model.keras"])
        #expect(r.code == 1)
        #expect(r.err.contains("/no/such/model.keras: no such file"))
    }

    @Test(arguments: [["frobnicate"], ["summary"], ["summary", "a.json", "--colour"], ["layers", "extra"]])
    func usageErrorsExitTwo(_ args: [String]) {
        let r = run(args)
        #expect(r.code == 2)
        #expect(r.err.contains("strata --help"))
    }

    @Test func helpExitsZero() {
        let r = run(["--help"])
        #expect(r.code == 0)
        #expect(r.out.contains("summary"))
    }

    @Test func layersListsTheCatalog() {
        let r = run(["layers"])
        #expect(r.code == 0)
        for name in ["Conv2D", "BatchNormalization", "LSTM", "MultiHeadAttention", "LayerScale", "CustomScaleLayer", "Rescaling", "Normalization"] {
            #expect(r.out.contains("\n\(name) "), "\(name) listed")
        }
    }
}
