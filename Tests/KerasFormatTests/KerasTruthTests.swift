import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Every Keras-made fixture: Strata's shapes, parameter counts and weight tensors must equal
/// what Keras itself reported (truth.json), layer by layer, for Keras 3 and Keras 2 forms.
@Suite struct KerasTruthTests {
    static let referenceCases = Fixtures.cases(["reference"])
    static let applicationCases = Fixtures.cases(["applications"])
    static let layerCases = Fixtures.cases(["layers"])

    func check(_ c: Fixtures.Case) throws {
        let truth = try Fixtures.json(c.truth)
        let graph = try ModelFileReader.read(c.model)
        let analysis = Analyzer.analyze(graph)
        let errors = analysis.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { Issue.record(Comment(rawValue: errors.map(\.message).joined(separator: "\n"))) }
        let problems = TruthComparison.compare(model: truth, totals: analysis.totals, rows: analysis.rows, context: c.testDescription)
        if !problems.isEmpty {
            Issue.record(Comment(rawValue: "\(problems.count) disagreement(s) with Keras:\n" + problems.prefix(25).joined(separator: "\n")))
        }
        if let n = truth["layer_count"]?.intValue { #expect(analysis.counts.topLevelLayers == n) }
    }

    @Test(arguments: referenceCases) func referenceModels(_ c: Fixtures.Case) throws { try check(c) }
    @Test(arguments: applicationCases) func applications(_ c: Fixtures.Case) throws { try check(c) }
    @Test(arguments: layerCases) func layerFixtures(_ c: Fixtures.Case) throws { try check(c) }

    @Test func fixturesArePresent() {
        #expect(Self.referenceCases.count >= 12)
    }
}
