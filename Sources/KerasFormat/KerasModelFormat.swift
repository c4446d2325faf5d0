import Foundation
import ModelKit
import Tensors

/// Keras's model files for the registry: Keras 3 and Keras 2 JSON configs, `.keras` archives
/// and Keras 2 full-model `.h5` files. Which one a file is comes from its first bytes
/// (`ModelFileReader.detect`), the extension only breaking ties.
public struct KerasModelFormat: ModelFormat {
    public init() {}

    public var id: String { "keras" }
    public var displayName: String { "Keras" }
    public var fileExtensions: [String] { ["json", "keras", "h5", "hdf5"] }

    public func sniff(path: String, head: [UInt8]) -> FormatSniff {
        let lower = path.lowercased()
        let ext = (lower as NSString).pathExtension
        // A Keras 3 weights-only file is HDF5 too, but holds no model config.
        if lower.hasSuffix(".weights.h5") { return .notModel("a Keras 3 weights-only file, *.weights.h5, holds no model config") }
        switch ModelFileReader.format(ofHead: head) {
        case .kerasArchive?, .hdf5?: return fileExtensions.contains(ext) ? .model : .notMine
        case .json?, nil: break
        }
        if ext == "json" {
            // A Keras config names `class_name` and `config` at once.
            let text = String(decoding: head, as: UTF8.self)
            guard text.contains("\"class_name\""), text.contains("\"config\"") else {
                return .notModel("a JSON file that is not a Keras model config: its first 64 KiB lack the keys class_name and config")
            }
            return .model
        }
        return .notMine
    }

    public func open(path: String) throws -> any OpenedModel {
        try KerasOpenedModel(path: path)
    }
}

/// A Keras model file read once: its graph, and the container kept for its weights (an
/// `.h5` stays open; an archive's weights are decompressed when first needed, or already were
/// when the reader needed them to count a layer it does not know).
public final class KerasOpenedModel: OpenedModel {
    public let path: String
    public let graph: ModelGraph
    let container: ModelFileReader.Container

    public init(path: String) throws {
        self.path = path
        (graph, container) = try ModelFileReader.readContainer(path)
    }

    public var holdsWeights: Bool {
        switch container {
        case .json: return false
        case .archive(let a, _): return a.hasWeights
        case .hdf5: return true
        }
    }

    public func weights(analysis: ModelAnalysis, seed: UInt64) throws -> WeightSet {
        let weights: ModelWeights
        switch container {
        case .json:
            weights = try ModelWeights.initialized(graph: graph, analysis: analysis, seed: seed)
            return WeightSet(tensors: weights.tensors, diagnostics: weights.diagnostics, seeded: true)
        case .archive(let archive, let opened):
            guard archive.hasWeights else {
                throw StrataError(file: path, "the .keras archive has no \(KerasArchive.weightsEntry): it holds no weights")
            }
            WorkStage.enter("reading the weight index")
            let file = try opened?.file ?? archive.weightsFile()
            weights = try ModelWeights.load(file: file, index: try opened?.index ?? KerasWeightIndex(file: file), path: path, analysis: analysis)
        case .hdf5(let h5):
            WorkStage.enter("reading the weight index")
            weights = try ModelWeights.load(file: h5.file, index: try KerasWeightIndex(file: h5.file), path: path, analysis: analysis)
        }
        return WeightSet(tensors: weights.tensors, diagnostics: weights.diagnostics, seeded: false)
    }
}
