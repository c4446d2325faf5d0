import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Every class in the layer catalog has at least one Keras-made fixture, so its shapes and
/// counts are checked against Keras by KerasTruthTests, not only by hand.
@Suite struct CatalogCoverageTests {
    /// Class names (and aliases) that appear anywhere in the fixtures' configs.
    static func classesInFixtures() -> Set<String> {
        var found = Set<String>()
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: Fixtures.root.path) else { return found }
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".json"), !rel.hasSuffix("truth.json"), !rel.hasSuffix("truth_keras2.json") else { continue }
            guard let data = fm.contents(atPath: Fixtures.root.appendingPathComponent(rel).path),
                  let json = try? JSONParser.parse(Array(data)) else { continue }
            var stack = [json]
            while let v = stack.popLast() {
                switch v {
                case .object(let o):
                    if let c = o["class_name"]?.stringValue { found.insert(c) }
                    stack.append(contentsOf: o.entries.map(\.value))
                case .array(let a): stack.append(contentsOf: a)
                default: break
                }
            }
        }
        return found
    }

    @Test func everyCatalogClassHasAKerasFixture() {
        let found = Self.classesInFixtures()
        let missing = LayerCatalog.classes.filter { kind in
            !([kind.className] + kind.aliases).contains { found.contains($0) }
        }.map { $0.className }.sorted()
        #expect(missing.isEmpty, "catalog classes without a Keras-made fixture: \(missing)")
    }
}
