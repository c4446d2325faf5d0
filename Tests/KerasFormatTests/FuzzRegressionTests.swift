import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Damaged `.h5` files (and a `.keras` archive's weights) that Strata now refuses before libhdf5 reads their values
/// (Tests/Fixtures/fuzz/fixed, see Tests/Fixtures/fuzz/README.md): each is read the way
/// `strata time` and `predict` read a model (config, analysis, weights) and must end in a
/// `StrataError` naming the file, the dataset and the values, not a crash, a memory
/// blow-up or silently wrong weights.
@Suite struct FuzzRegressionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        /// The HDF5 dataset the error must name.
        var dataset: String
        /// Text the message must hold: the damaged values.
        var values: String
        /// The name the error gives the file: the `.keras` archive's weights are opened from
        /// memory as `<archive>!model.weights.h5`.
        var inArchive = false
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        // Fuzzer finding: 5 bytes of the datatype message set to 0x7f make a float of
        // 2,139,029,508 bytes; libhdf5 allocated conversion buffers past 2 GiB.
        Case(file: "memory-group_unit_norm-3ec146d0.h5", dataset: "/model_weights/gn/gn/gamma:0",
             values: "a float of 2139029508 bytes with 127 bits of precision at bit 32639"),
        // Fuzzer finding, inside a .keras archive's model.weights.h5 (zipped anew with a
        // correct CRC): 6 bytes set to 0x7f make the Dense bias a float of 2,139,062,143
        // bytes with its sign bit at 127; libhdf5 allocated past 2 GiB.
        Case(file: "memory-reshape_global_max-ae14d1f6.keras", dataset: "/layers/dense/vars/1",
             values: "a float of 2139062143 bytes with 32 bits of precision at bit 0: sign bit 127", inArchive: true),
        // Targeted: the mantissa size of a float32 set to 255 bits; libhdf5 converted it
        // without an error into wrong values.
        Case(file: "values-nested-mantissa255.h5", dataset: "/model_weights/skip/skip/kernel:0",
             values: "a float of 4 bytes with 32 bits of precision at bit 0: sign bit 31, exponent of 8 bits at 23 (bias 127), mantissa of 255 bits at 0"),
        // Targeted: the element size of a float32 set to 8 bytes (precision still 32 bits);
        // libhdf5 read 8-byte elements as floats: wrong values, no error.
        Case(file: "values-nested-float8of32.h5", dataset: "/model_weights/skip/skip/kernel:0",
             values: "a float of 8 bytes with 32 bits of precision at bit 0"),
    ]

    static func path(_ name: String) -> String { Fixtures.path("fuzz/fixed/" + name) }

    @Test(arguments: cases)
    func damagedTypeIsACleanError(_ c: Case) throws {
        let path = Self.path(c.file)
        // The config is intact: the model reads and analyses.
        let analysis = Analyzer.analyze(try ModelFileReader.read(path))
        #expect {
            _ = try ModelWeights.load(path: path, analysis: analysis)
        } throws: { error in
            guard let e = error as? StrataError else { return false }
            return e.file == path + (c.inArchive ? "!model.weights.h5" : "") && e.place == c.dataset && e.message.contains(c.values)
                && e.message.hasSuffix("Keras stores whole-byte integers and IEEE (or bfloat16) floats (the file is damaged)")
        }
    }

    /// The intact files these were made from still load, so the check does not refuse the
    /// float types Keras writes.
    @Test(arguments: ["Examples/nested_encoder_keras2.h5", "Tests/Fixtures/execution/sequence/group_unit_norm/model_keras2.h5",
                      "Tests/Fixtures/execution/core/reshape_global_max/model.keras"])
    func seedsStillLoad(_ relative: String) throws {
        let path = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(relative).path
        let analysis = Analyzer.analyze(try ModelFileReader.read(path))
        let weights = try ModelWeights.load(path: path, analysis: analysis)
        #expect(weights.parameterCount > 0)
        #expect(weights.parameterCount == analysis.totals.params)
    }
}
