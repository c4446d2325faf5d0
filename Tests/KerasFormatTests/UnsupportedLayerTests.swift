import Foundation
import Testing
import ZIPFoundation
import ModelKit
@testable import KerasFormat

/// A layer class Strata does not know (a custom layer) does not stop the read: the node is
/// kept, marked unsupported with a diagnostic naming the class and the file; its weights are
/// counted from the file when the file has them; shapes come from what Keras recorded.
@Suite struct UnsupportedLayerTests {
    let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-custom-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    /// case_shared_layer with its "left" Dense saved as a custom class.
    static func customConfig(_ original: String) -> String {
        original.replacingOccurrences(
            of: #""class_name": "Dense", "config": {"name": "left""#,
            with: #""class_name": "MyDense", "config": {"name": "left""#)
            .replacingOccurrences(of: #""registered_name": null, "build_config": {"input_shape": [null, 8]}, "name": "left""#,
                                  with: #""registered_name": "my_package>MyDense", "build_config": {"input_shape": [null, 8]}, "name": "left""#)
    }

    @Test func customLayerInJSONKeepsTheRestOfTheModel() throws {
        let original = try String(contentsOfFile: Fixtures.path("reference/case_shared_layer/model.json"), encoding: .utf8)
        let edited = Self.customConfig(original)
        #expect(edited != original)
        let path = dir.appendingPathComponent("custom.json").path
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let a = Analyzer.analyze(try ModelFileReader.read(path))
        let left = try #require(a.rows.first { $0.name == "left" })
        #expect(!left.supported)
        #expect(left.params == nil)
        // Keras 3 records the shapes passed on, so everything after it is still known.
        #expect(left.outputShapes == [TensorShape([nil, 8])])
        #expect(a.outputs.first?.shape == TensorShape([nil, 2]))
        // Every other layer is counted: 224 in all minus left's 72.
        #expect(a.totals.params == 224 - 72)
        #expect(a.totals.layersWithUnknownParams == ["left"])
        let warning = try #require(a.diagnostics.first { $0.id == "unsupported-layer" })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("custom.json"))
        #expect(warning.message.contains("my_package>MyDense"))
        #expect(!a.hasErrors)
    }

    @Test func customLayerWeightsAreCountedFromTheArchive() throws {
        let source = try #require(Archive(url: URL(fileURLWithPath: Fixtures.path("reference/case_shared_layer/model.keras")), accessMode: .read))
        let target = dir.appendingPathComponent("custom.keras")
        let out = try Archive(url: target, accessMode: .create)
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            if entry.path == "config.json" {
                data = Data(Self.customConfig(String(decoding: data, as: UTF8.self)).utf8)
            }
            try out.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let a = Analyzer.analyze(try ModelFileReader.read(target.path))
        let left = try #require(a.rows.first { $0.name == "left" })
        #expect(!left.supported)
        #expect(left.weights.map(\.shape) == [[8, 8], [8]])
        #expect(left.params == 72)
        #expect(a.totals.params == 224)
        #expect(a.totals.layersWithUnknownParams.isEmpty)
    }

    @Test func lambdaWithDeclaredOutputShape() throws {
        let json = #"""
        {"class_name": "Sequential", "keras_version": "2.21.0", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "in"}},
          {"class_name": "Lambda", "config": {"name": "double", "function": ["4wEAAAAAAAAA", null, null], "function_type": "lambda", "output_shape": [4]}},
          {"class_name": "Dense", "config": {"name": "out", "units": 2}}]}}
        """#
        var reader = KerasConfigReader(file: "lambda.json", format: "keras-json")
        let a = Analyzer.analyze(try reader.read(try JSONParser.parse(json)))
        #expect(a.rows.map(\.supported) == [false, true])
        #expect(a.rows[1].params == 10)
        #expect(a.rows[0].outputShapes == [TensorShape([nil, 4])])
        #expect(a.diagnostics.contains { $0.id == "unsupported-layer" && $0.message.contains("Lambda") })
    }
}
