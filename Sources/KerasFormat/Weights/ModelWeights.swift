import Foundation
import Tensors
import ModelKit

/// A model's weights in memory, checked against its analysis.
///
/// For every layer that the analysis lists (`ModelAnalysis.rows`, recursively through nested
/// models), its tensors in the analysis's weight order (`LayerRow.weights`: Keras's
/// `layer.weights` order), each with the analysis's shape. A layer is addressed by its path:
/// `conv2d` at the top level, `encoder/enc_dense1` inside a nested model (deeper nesting
/// adds components). A nested model itself has no entry; its layers do. Layers without
/// weights have an entry with no tensors.
///
/// Read from `.keras` archives (Keras 3 `model.weights.h5`) and Keras 2 full-model `.h5`
/// files. Every stored weight must match the analysis in count and shape: a missing, extra or
/// misshaped weight is a `StrataError` naming file, layer, weight and both shapes. NaN or
/// infinite values are not an error; they are reported in `diagnostics`
/// (`weights-not-finite`).
public struct ModelWeights: Sendable {
    /// The file the weights were read from (for initialised weights: the model file).
    public let file: String
    /// Which layout the file had; nil for weights generated from a seed (`initialized`).
    public let layout: KerasWeightIndex.Layout?
    /// Layer paths in analysis order (depth first: a nested model's layers in its place).
    public let layerPaths: [String]
    /// Tensors per layer path, in the analysis's weight order.
    public let tensors: [String: [Tensor]]
    /// The analysis's weight specs per layer path, parallel to `tensors` (names, trainable).
    public let specs: [String: [WeightSpec]]
    /// Findings that do not stop the load (NaN or Inf values).
    public let diagnostics: [Diagnostic]

    /// The tensors of the layer at `path` (`dense`, `encoder/enc_bn`), nil for an unknown path.
    public subscript(path: String) -> [Tensor]? { tensors[path] }

    /// The tensor called `name` (`kernel`, `moving_variance`, `query/kernel`) of the layer at
    /// `path`, if any.
    public func tensor(_ path: String, _ name: String) -> Tensor? {
        guard let s = specs[path], let t = tensors[path], let i = s.firstIndex(where: { $0.name == name }) else { return nil }
        return t[i]
    }

    /// Number of values held.
    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }

    /// Loads the weights of the model file at `path` (`.keras` or Keras 2 `.h5`) and checks
    /// them against `analysis` (the analysis of the same model, or of a model that should
    /// have the same weights). Throws `StrataError` for a file without weights (a `.json`),
    /// a corrupt file, or any disagreement with the analysis.
    public static func load(path: String, analysis: ModelAnalysis) throws -> ModelWeights {
        let format: ModelFileReader.Format
        do { format = try ModelFileReader.detect(path) } catch let e as StrataError { throw e.inFile(path) }
        let file: HDF5File
        let index: KerasWeightIndex
        WorkStage.enter("reading the weight index")
        switch format {
        case .json:
            throw StrataError(file: path, "a JSON model config holds no weights; load weights from a .keras archive or a Keras 2 .h5 file (initialising weights from a seed is not available yet)")
        case .kerasArchive:
            let archive = try KerasArchive(path: path)
            guard archive.hasWeights else {
                throw StrataError(file: path, "the .keras archive has no \(KerasArchive.weightsEntry): it holds no weights")
            }
            file = try archive.weightsFile()
            index = try KerasWeightIndex(file: file)
        case .hdf5:
            file = try HDF5File(path: path)
            index = try KerasWeightIndex(file: file)
        }
        return try load(file: file, index: index, path: path, analysis: analysis)
    }

    /// The weights in `file`, already opened (a `.h5`, or an archive's `model.weights.h5`)
    /// and indexed, checked against `analysis`.
    static func load(file: HDF5File, index: KerasWeightIndex, path: String, analysis: ModelAnalysis) throws -> ModelWeights {
        var matcher = WeightMatcher(file: path, index: index)
        switch index.layout {
        case .keras3: try matcher.matchKeras3(rows: analysis.rows, stored: index.layers, prefix: "", container: "/")
        case .keras2: try matcher.matchKeras2(rows: analysis.rows, stored: index.layers)
        }
        // Read the values.
        var tensors: [String: [Tensor]] = [:]
        var specs: [String: [WeightSpec]] = [:]
        var diagnostics: [Diagnostic] = []
        for entry in matcher.entries {
            WorkStage.enter("reading weights of \(entry.path)")
            var list: [Tensor] = []
            for (spec, stored) in zip(entry.specs, entry.stored) {
                let values = try file.readFloats(stored.hdf5Path)
                guard let expected = spec.count, values.count == expected else {
                    throw StrataError(file: path, place: "layer \"\(entry.path)\"",
                                      "weight \"\(spec.name)\" (\(stored.hdf5Path)) holds \(values.count) values, its shape \(WeightMatcher.show(spec.shape)) needs \(spec.count.map(String.init) ?? "too many")")
                }
                let bad = values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
                if bad > 0 {
                    let nan = values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
                    diagnostics.append(Diagnostic(.warning, "weights-not-finite",
                        "\(path): layer \"\(entry.path)\", weight \"\(spec.name)\": \(bad) of \(values.count) values are not finite (\(nan) NaN, \(bad - nan) infinite)"))
                }
                list.append(Tensor(shape: spec.shape, data: values))
            }
            tensors[entry.path] = list
            specs[entry.path] = entry.specs
        }
        return ModelWeights(file: path, layout: index.layout, layerPaths: matcher.entries.map(\.path),
                            tensors: tensors, specs: specs, diagnostics: diagnostics)
    }
}
