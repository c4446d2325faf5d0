import Foundation
import Testing
import ModelKit
@testable import Reporting

/// Keras 3 saves ConvNeXt's residual `x + y` as operations outside `model.layers`: the
/// counts leave them out, but the diagram draws them, so the data flow stays connected.
@Suite struct DiagramOperationTests {
    @Test func convNeXtResidualAddsAreDrawnAndCounted() throws {
        let a = try DiagramTests.analysis("applications/ConvNeXtTiny/model.json")
        // Keras's truth lists the operations it keeps out of model.layers: ConvNeXtTiny has
        // 3 + 3 + 9 + 3 = 18 blocks, each ending in a residual add.
        let truthURL = DiagramTests.tests.appendingPathComponent("Fixtures/applications/ConvNeXtTiny/truth.json")
        let truth = try JSONParser.parse(Array(try Data(contentsOf: truthURL)))
        let truthOps = truth["operations_not_in_layers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(truthOps.count == 18)
        #expect(a.operations.map(\.name) == truthOps)
        #expect(a.operations.allSatisfy { $0.isOperation && $0.className == "Add" })
        #expect(a.merges.filter { $0.className == "Add" }.count == 18)
        #expect(a.counts.topLevelLayers == truth["layer_count"]?.intValue)

        let d = DiagramTests.layout().diagram(a)
        let leafRows = a.leafRows.count
        #expect(d.boxes.count == leafRows + 18)
        // Connected: every box but the model input has an incoming edge.
        let heads = Set(d.edges.map(\.to))
        let orphans = d.boxes.indices.filter { !heads.contains($0) }.map { d.boxes[$0].name }
        #expect(orphans == ["input_layer"])
        #expect(d.boxes.contains { $0.lines.count > 1 && $0.lines[1].text.hasPrefix("Add (operation)") })
    }
}
