import Foundation
import Testing
import ZIPFoundation
@testable import StrataCLI

/// `strata fuzz`: its mutants are reproducible, a `.keras` mutant is a valid zip with one
/// entry changed, and a campaign saves each new kind of failure once, across runs.
@Suite(.serialized) struct FuzzCommandTests: CLISuite {
    static let seedKeras = BatchIsolationTests.reference.appendingPathComponent("seed_resnet8/model.keras").path

    @Test func sameSeedSameMutants() {
        let bytes = Array(0..<200).map { UInt8($0) }
        var a = Mutator(seed: 42), b = Mutator(seed: 42), c = Mutator(seed: 43)
        let fromA = (0..<20).map { _ in a.mutate(bytes) }
        let fromB = (0..<20).map { _ in b.mutate(bytes) }
        let fromC = (0..<20).map { _ in c.mutate(bytes) }
        #expect(fromA.map(\.bytes) == fromB.map(\.bytes))
        #expect(fromA.map(\.what) == fromB.map(\.what))
        #expect(fromA.map(\.bytes) != fromC.map(\.bytes))
        #expect(fromA.allSatisfy { $0.bytes != bytes }, "every mutant differs from its seed")
    }

    @Test func kerasMutantsAreZipsWithOneEntryChanged() throws {
        let original = try #require(FileManager.default.contents(atPath: Self.seedKeras))
        func entries(_ data: Data) throws -> [String: Data] {
            let archive = try Archive(data: data, accessMode: .read)
            var out: [String: Data] = [:]
            for entry in archive {
                var d = Data()
                _ = try archive.extract(entry) { d.append($0) }   // CRC-32 checked
                out[entry.path] = d
            }
            return out
        }
        let before = try entries(original)
        var mutator = Mutator(seed: 9)
        var rezipped = 0
        for _ in 0..<24 {
            let (bytes, what) = mutator.mutant(of: Array(original), name: "model.keras")
            guard what.hasSuffix("(zipped anew)") else { continue }
            rezipped += 1
            let after = try entries(Data(bytes))
            #expect(Set(after.keys) == Set(before.keys))
            let changed = before.keys.filter { before[$0] != after[$0] }
            #expect(changed.count == 1, "\(what): \(changed)")
            #expect(what.hasPrefix(changed.first ?? "?"), "the description names the entry: \(what)")
        }
        #expect(rezipped >= 15, "most .keras mutants change one entry and zip anew: \(rezipped) of 24")
    }

    @Test func campaignSavesEachNewFailureOnce() throws {
        let root = try BatchTests.tempDir()
        try FileManager.default.createDirectory(atPath: root + "/seeds", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: FuzzFixtureTests.fuzz + "/crash-nested-0014_flip.h5", toPath: root + "/seeds/damaged.h5")
        let args = ["fuzz", root + "/seeds", "--count", "12", "--seed", "3", "--timeout", "3", "--out", root + "/found"]
        let first = run(args)
        #expect(first.code == 1, "new findings: exit 1\n\(first.out)\n\(first.err)")
        #expect(first.out.contains("Fuzzed 12 mutants of 1 file(s)"), "\(first.out)")
        let saved = try FileManager.default.contentsOfDirectory(atPath: root + "/found").filter { $0.hasSuffix(".h5") }
        #expect(!saved.isEmpty && saved.allSatisfy { $0.hasPrefix("crash-damaged-") }, "\(saved)")
        let tsv = try String(contentsOfFile: root + "/found/findings.tsv", encoding: .utf8)
        let rows = tsv.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(rows.count == saved.count)
        #expect(rows.allSatisfy { $0.contains("\t" + root + "/seeds/damaged.h5\t") && $0.contains("crashed (SIGSEGV) while reading the HDF5 attribute") })
        // The same mutants again: every failure is known now.
        let second = run(args)
        #expect(second.code == 0, "\(second.out)")
        #expect(second.out.contains("No new finding"), "\(second.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/found").filter { $0.hasSuffix(".h5") }.count == saved.count)
    }

    @Test func badOptionsAreUsageErrors() {
        #expect(run(["fuzz", "--count", "0"]).code == 2)
        #expect(run(["fuzz", "--memory", "lots"]).code == 2)
        #expect(run(["fuzz", "--timeout", "0"]).code == 2)
    }
}
