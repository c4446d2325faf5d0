import Foundation
import Testing
import Kernels
@testable import StrataCLI

/// `strata predict` end to end.
@Suite struct PredictTests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-predict-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func expectClose(_ got: Tensor, _ want: Tensor, _ context: String) {
        #expect(got.shape == want.shape, "\(context)")
        var worst: Float = 0
        var ok = got.shape == want.shape
        for (a, b) in zip(got.data, want.data) {
            let e = abs(a - b)
            worst = max(worst, e)
            if !(e <= 1e-4 + 1e-3 * abs(b)) { ok = false }
        }
        #expect(ok, "\(context): max error \(worst)")
    }

    @Test func predictsTheSeedModel() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out.npy"
        let r = run(["predict", Self.path("seed_resnet8/model.keras"), "--input", Self.path("seed_resnet8/input.npy"), "--output", out])
        #expect(r.code == 0, "\(r.err)")
        let got = try NPY.read(path: out)
        #expect(got.dtype == .float32)
        expectClose(try NPY.readTensor(path: out), try NPY.readTensor(path: Self.path("seed_resnet8/output.npy")), "seed_resnet8")
    }

    @Test func predictsSeveralOutputsIntoAFolder() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = run(["predict", Self.path("case_multi_io/model_keras2.h5"),
                     "--input", Self.path("case_multi_io/input_0.npy"), "--input", Self.path("case_multi_io/input_1.npy"),
                     "--output-dir", dir])
        #expect(r.code == 0, "\(r.err)")
        for i in 0..<2 {
            expectClose(try NPY.readTensor(path: "\(dir)/output_\(i).npy"),
                        try NPY.readTensor(path: Self.path("case_multi_io/output_\(i).npy")), "case_multi_io output \(i)")
        }
    }

    @Test func wrongInputShapeExitsOne() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.npy"
        try NPY.write(Tensor(zeros: [1, 5, 5, 3]), to: bad)
        let r = run(["predict", Self.path("seed_resnet8/model.keras"), "--input", bad, "--output", dir + "/o.npy"])
        #expect(r.code == 1)
        #expect(r.err.contains(bad) && r.err.contains("(1, 5, 5, 3)") && r.err.contains("expects an input of shape"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.npy"))
    }

    @Test func wrongInputCountIsAUsageError() {
        let r = run(["predict", Self.path("case_multi_io/model.keras"), "--input", Self.path("case_multi_io/input_0.npy"), "--output-dir", "/tmp/x"])
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("2 input(s)"), "\(r.err)")
    }
}
