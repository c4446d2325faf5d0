import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// The analysis is Codable with format-neutral keys: what `report.json` carries decodes back
/// to the same analysis, for models of every shape the Keras reader makes (nested models,
/// shared layers, a Sequential's hidden input, inline operations, several inputs and
/// outputs, open dimensions).
@Suite struct AnalysisCodingTests {
    static let files = [
        "reference/seed_resnet8/model.keras", "reference/seed_resnet8/model_keras2.h5",
        "reference/case_nested/model.json", "reference/case_nested/model_keras2.h5",
        "reference/case_shared_layer/model.json", "reference/case_seq_with_input/model.json",
        "reference/case_multi_io/model.json", "applications/ConvNeXtTiny/model.json",
        "applications/MobileNetV3Small/model.json",
    ]

    static func analyze(_ relative: String) throws -> ModelAnalysis {
        Analyzer.analyze(try ModelFileReader.read(Fixtures.path(relative)))
    }

    @Test(arguments: files)
    func foundationRoundTrip(_ file: String) throws {
        let analysis = try Self.analyze(file)
        let data = try JSONEncoder().encode(analysis)
        let decoded = try JSONDecoder().decode(ModelAnalysis.self, from: data)
        #expect(decoded == analysis)
        // A change anywhere is seen: the comparison is not vacuous.
        var changed = decoded
        changed.rows[changed.rows.count - 1].inputsPerCall = [[TensorSource(layer: changed.rows[changed.rows.count - 1].inboundPerCall.first?.first ?? "x", tensor: 7)]]
        #expect(changed != analysis)
    }

    /// Strata's own ordered encoder, written as text and read back by Foundation's decoder.
    @Test(arguments: files)
    func orderedEncodingRoundTrip(_ file: String) throws {
        let analysis = try Self.analyze(file)
        let text = JSONWriter.write(try JSONValueEncoder().encode(analysis))
        let decoded = try JSONDecoder().decode(ModelAnalysis.self, from: Data(text.utf8))
        #expect(decoded == analysis)
    }

    /// The pieces the round trip must carry, so that equality above is about real content:
    /// nested rows, operations, unknown dimensions as null, the reader's conventions.
    @Test func encodingCarriesTheStructure() throws {
        let nested = try JSONValueEncoder().encode(try Self.analyze("reference/case_nested/model.json"))
        let encoder = try #require(nested["layers"]?.arrayValue?.first { $0["name"]?.stringValue == "encoder" })
        #expect(encoder["op"]?.stringValue == "model")
        #expect(encoder["layers"]?.arrayValue?.count == 4)
        #expect(encoder["model_inputs"]?.arrayValue?.isEmpty == false)
        let leaf = try #require(encoder["layers"]?.arrayValue?.last)
        #expect(leaf["layers"] == nil, "a leaf row has no nested keys")
        #expect(nested["model"]?["conventions"]?["format_name"]?.stringValue == "Keras")
        #expect(nested["model"]?["source_class"]?.stringValue == "Functional")

        let convNeXt = try JSONValueEncoder().encode(try Self.analyze("applications/ConvNeXtTiny/model.json"))
        let operations = try #require(convNeXt["operations"]?.arrayValue)
        #expect(!operations.isEmpty)
        #expect(operations.allSatisfy { $0["is_operation"]?.boolValue == true })
        let merges = try #require(convNeXt["structure"]?["merges"]?.arrayValue)
        #expect(merges.contains { $0["op"]?.stringValue == "add" && $0["source_class"]?.stringValue == "Add" })

        let open = try JSONValueEncoder().encode(try Self.analyze("applications/MobileNetV3Small/model.json"))
        let shape = try #require(open["inputs"]?.arrayValue?.first?["shape"]?.arrayValue)
        #expect(shape == [.null, .null, .null, .number(3)])
        #expect(open["totals"]?["macs"]?.isNull == true, "an unknown figure is written as null, not left out")
    }

    /// Keys come out in the order the types encode them, run after run.
    @Test func orderedEncodingKeepsKeyOrder() throws {
        let value = try JSONValueEncoder().encode(try Self.analyze("reference/seed_resnet8/model.keras"))
        #expect(value.objectValue?.keys == ["model", "inputs", "outputs", "totals", "layer_counts", "structure", "layers", "operations", "diagnostics"])
        #expect(value["model"]?.objectValue?.keys == ["name", "source_class", "file", "format", "dialect", "format_version", "backend", "conventions", "notes"])
        #expect(value["layer_counts"]?.objectValue?.keys == ["top_level_layers", "with_weights", "with_kernel", "depth"])
    }
}
