import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// A model with a user-defined layer (ScaledDense: a trainable kernel and a non-trainable
/// scale; Tests/Fixtures/custom, make_execution_masks.py), read without its Python class.
/// The file keeps the layer's weights but not which are trainable: its total is exact, its
/// split unknown (never guessed), the model's split unknown with it; frozen (trainable=False)
/// the split is known again; from the config alone its counts are unknown. The other layers
/// stay exact.
@Suite struct CustomLayerTests {
    static func path(_ c: String, _ file: String) -> String { Fixtures.path("custom/\(c)/\(file)") }

    static func truth(_ c: String) throws -> (layers: [String: [String: Any]], totals: [String: Int]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(c, "truth.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let layers = try #require(json["layers"] as? [[String: Any]])
        return (Dictionary(uniqueKeysWithValues: layers.map { ($0["name"] as! String, $0) }), try #require(json["totals"] as? [String: Int]))
    }

    @Test(arguments: ["model.keras", "model_legacy.h5"])
    func customSplitIsUnknownNotGuessed(_ file: String) throws {
        let (layers, totals) = try Self.truth("scaled_dense")
        let a = Analyzer.analyze(try ModelFileReader.read(Self.path("scaled_dense", file)))
        // Keras: 134 = 128 trainable + 6 non-trainable; Strata knows the 134, not the split.
        #expect(a.totals.params == totals["params"])
        #expect(a.totals.trainableParams == nil && a.totals.nonTrainableParams == nil)
        #expect(a.totals.layersWithUnknownSplit == ["scaled_dense"])
        let custom = try #require(a.rows.first { $0.name == "scaled_dense" })
        #expect(custom.params == layers["scaled_dense"]?["params"] as? Int)
        #expect(custom.trainableParams == nil && custom.nonTrainableParams == nil)
        #expect(custom.weights.allSatisfy { $0.trainable == nil })
        for row in a.rows where row.name != "scaled_dense" {
            #expect(row.params == layers[row.name]?["params"] as? Int, "\(row.name)")
            #expect(row.trainableParams == layers[row.name]?["trainable_params"] as? Int, "\(row.name)")
        }
    }

    /// Frozen, every weight of the layer is non-trainable: the split is known and Keras's.
    @Test(arguments: ["model.keras", "model_legacy.h5"])
    func frozenCustomLayerSplitIsExact(_ file: String) throws {
        let (_, totals) = try Self.truth("scaled_dense_frozen")
        let a = Analyzer.analyze(try ModelFileReader.read(Self.path("scaled_dense_frozen", file)))
        #expect(a.totals.params == totals["params"])
        #expect(a.totals.trainableParams == totals["trainable_params"] && a.totals.nonTrainableParams == totals["non_trainable_params"])
        #expect(a.totals.layersWithUnknownSplit.isEmpty)
    }

    /// The config alone: the custom layer's counts are unknown and named; the rest counted.
    @Test func configAloneLeavesTheCustomLayerUncounted() throws {
        let (layers, _) = try Self.truth("scaled_dense")
        let a = Analyzer.analyze(try ModelFileReader.read(Self.path("scaled_dense", "model.json")))
        #expect(a.totals.layersWithUnknownParams == ["scaled_dense"])
        let custom = try #require(a.rows.first { $0.name == "scaled_dense" })
        #expect(custom.params == nil)
        let known = layers.filter { $0.key != "scaled_dense" }.compactMap { $0.value["params"] as? Int }.reduce(0, +)
        #expect(a.totals.params == known)
    }
}
