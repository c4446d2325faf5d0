import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Hostile numbers in real configs: every mutated model either reads (with diagnostics) or
/// fails with one clear line naming the file. A trap (overflow, index out of range) would
/// crash the test process, so surviving is the assertion, plus the shape of each error.
@Suite struct MutationTests {
    /// A small deterministic generator (SplitMix64) so failures repeat.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let hostile: [Double] = [-1, 0, -7, 1e15, 4.6e18, 3, 1]

    /// Replaces the `target`-th number inside any layer config by `value`.
    static func mutate(_ v: JSONValue, target: Int, value: Double, counter: inout Int) -> JSONValue {
        switch v {
        case .number:
            defer { counter += 1 }
            return counter == target ? .number(value) : v
        case .array(let a): return .array(a.map { mutate($0, target: target, value: value, counter: &counter) })
        case .object(let o):
            return .object(JSONObject(o.entries.map { (key: $0.key, value: mutate($0.value, target: target, value: value, counter: &counter)) }))
        default: return v
        }
    }

    static func numbers(_ v: JSONValue) -> Int {
        switch v {
        case .number: return 1
        case .array(let a): return a.reduce(0) { $0 + numbers($1) }
        case .object(let o): return o.entries.reduce(0) { $0 + numbers($1.value) }
        default: return 0
        }
    }

    @Test(arguments: ["reference/seed_resnet8/model.json", "reference/case_multi_io/model_keras2.json",
                      "reference/case_depthwise_separable/model.json", "layers/lstm_return_state/model.json",
                      "layers/multi_head_attention/model.json", "layers/conv2d_transpose/model.json",
                      "layers/padding_cropping/model.json", "layers/reshape_permute_flatten_repeat/model.json",
                      "layers/time_distributed/model.json", "layers/bidirectional/model.json"])
    func hostileNumbersNeverCrash(_ relative: String) throws {
        let original = try Fixtures.json(Fixtures.path(relative))
        let total = Self.numbers(original)
        var rng = SplitMix(state: UInt64(relative.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-mut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var read = 0, rejected = 0
        for round in 0..<60 {
            var counter = 0
            let target = Int.random(in: 0..<max(total, 1), using: &rng)
            let value = Self.hostile[Int.random(in: 0..<Self.hostile.count, using: &rng)]
            let mutated = Self.mutate(original, target: target, value: value, counter: &counter)
            let path = dir.appendingPathComponent("m\(round).json").path
            try JSONWriter.write(mutated).write(toFile: path, atomically: true, encoding: .utf8)
            do {
                let a = Analyzer.analyze(try ModelFileReader.read(path))
                for d in a.diagnostics where d.severity == .error {
                    #expect(d.message.contains("m\(round).json"), "\(d.message)")
                }
                read += 1
            } catch let e as StrataError {
                #expect(e.file?.hasSuffix("m\(round).json") == true, "\(e)")
                #expect(!e.description.contains("\n"))
                rejected += 1
            }
        }
        #expect(read + rejected == 60)
    }
}
