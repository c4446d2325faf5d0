import Foundation
import Testing
import Kernels
import ModelKit
import Execution
@testable import KerasFormat

/// Every keras.applications architecture (Keras 3 `model.json`, and tf.keras
/// `model_keras2.json`) runs a forward pass with seeded weights at batch 1 and gives outputs
/// of the analysed shape, all finite. No Keras outputs exist for these (no trained weights
/// are committed); the per-layer agreement with Keras is `SpatialExecutionTests`' job.
enum ApplicationRuns {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/applications")

    /// Models that end in Flatten + Dense keep their fixed input size; the others run at
    /// `side` x `side` (the analyser's input-shape override) to keep the debug test short.
    static let fixedSize: Set<String> = ["VGG16", "VGG19"]

    /// Inception V3 and Inception-ResNet-V2 need at least 75 x 75.
    static func side(_ name: String) -> Int { name.hasPrefix("Inception") ? 96 : 64 }

    static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// One or two of each family, every layer class of the 40 among them. Reading,
    /// analysing and seeding the weights of the big ones (EfficientNetB7, VGG, NASNetLarge,
    /// ConvNeXtXLarge) takes minutes in a debug build, so the whole list runs when
    /// STRATA_ALL_APPLICATIONS=1 is set (about 13 minutes).
    /// ConvNeXtTiny stands for the five ConvNeXt (LayerNormalization, LayerScale, Keras 3
    /// operations).
    /// ResNet, VGG and Xception add no layer class to these (and the reference fixtures
    /// run ResNet-8 and separable convolutions against Keras).
    static let representative = [
        "ConvNeXtTiny", "DenseNet121", "EfficientNetB0", "EfficientNetV2B0", "InceptionResNetV2", "InceptionV3", "MobileNet",
        "MobileNetV2", "MobileNetV3Large", "MobileNetV3Small", "NASNetMobile",
    ]

    /// In the representative run, InceptionResNetV2 (30 s per file) runs its Keras 3 file only.
    static func files(_ name: String) -> [String] {
        let all = ProcessInfo.processInfo.environment["STRATA_ALL_APPLICATIONS"] == "1"
        return name == "InceptionResNetV2" && !all ? ["model.json"] : ["model.json", "model_keras2.json"]
    }

    static var names: [String] {
        ProcessInfo.processInfo.environment["STRATA_ALL_APPLICATIONS"] == "1" ? all : representative
    }

    /// Runs one model file; returns its output shapes and how long reading, analysing,
    /// seeding the weights and the forward pass took together.
    static func run(_ name: String, file: String, side: Int) throws -> (shapes: [[Int]], expected: [[Int]], finite: Bool, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let path = folder.appendingPathComponent(name).appendingPathComponent(file).path
        let graph = try ModelFileReader.read(path)
        let declared = Analyzer.analyze(graph)
        let inputs = declared.inputs.map { e -> TensorShape in
            let dims = e.shape?.dims ?? []
            if fixedSize.contains(name) { return TensorShape([1] + dims.dropFirst()) }
            return TensorShape([1] + dims.dropFirst().enumerated().map { i, d in i < dims.count - 2 ? side : d })
        }
        let analysis = Analyzer.analyze(graph, inputShapes: inputs)
        let weights = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: 0)
        let tensors = try inputs.map { s -> Tensor in
            let dims = try s.dims.map { d -> Int in
                guard let d else { throw ExecutionError("\(name): input shape \(s) is not fully known") }
                return d
            }
            let count = dims.reduce(1, *)
            // A deterministic image-like input in 0...255 (the models rescale it themselves).
            return Tensor(shape: dims, data: (0..<count).map { Float(($0 * 37) % 256) })
        }
        let outputs = try Executor(graph: graph, weights: weights.tensors, backend: DNNLBackend.preferred()).run(tensors)
        let elapsed = clock.now - start
        let expected = analysis.outputs.map { e in (e.shape?.dims ?? []).map { $0 ?? 1 } }
        let finite = outputs.allSatisfy { $0.data.allSatisfy(\.isFinite) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (outputs.map(\.shape), expected, finite, seconds)
    }
}

@Suite struct ApplicationExecutionTests {
    @Test(arguments: ApplicationRuns.names)
    func runsWithSeededWeights(_ name: String) throws {
        for file in ApplicationRuns.files(name) {
            let r = try ApplicationRuns.run(name, file: file, side: ApplicationRuns.side(name))
            print("APP \(name)/\(file): \(r.shapes) in \(String(format: "%.2f", r.seconds)) s")
            #expect(r.shapes == r.expected, "\(name)/\(file): output shapes \(r.shapes), analysed \(r.expected)")
            #expect(r.finite, "\(name)/\(file): an output is not finite")
        }
    }

    @Test func allFortyArePresent() {
        #expect(ApplicationRuns.all.count == 40)
        #expect(Set(ApplicationRuns.representative).isSubset(of: Set(ApplicationRuns.all)))
    }
}
