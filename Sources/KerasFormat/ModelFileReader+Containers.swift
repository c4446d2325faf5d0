import ModelKit

extension ModelFileReader {
    /// `.keras` archives: `config.json` and `metadata.json` from the zip; the weights file is
    /// opened only when a layer Strata does not know needs its weights counted.
    static func readArchive(_ path: String) throws -> ModelGraph { try openArchive(path).graph }

    /// The archive's graph, the archive, and its weights file when reading already opened it.
    static func openArchive(_ path: String) throws -> (graph: ModelGraph, archive: KerasArchive, weights: (file: HDF5File, index: KerasWeightIndex)?) {
        let archive = try KerasArchive(path: path)
        let json: JSONValue
        do { json = try JSONParser.parse(archive.configBytes) } catch let e as StrataError {
            throw StrataError(file: path, place: "config.json" + (e.place.map { ", " + $0 } ?? ""), e.message)
        }
        var reader = KerasConfigReader(file: path, format: "keras-archive")
        reader.vocabularies = archive.vocabularies
        var graph = try reader.read(json, versionHint: archive.kerasVersion)
        var opened: (file: HDF5File, index: KerasWeightIndex)?
        if archive.hasWeights, graph.containsUnsupported {
            let file = try archive.weightsFile()
            let index = try KerasWeightIndex(file: file)
            graph.attachUnsupportedWeights(index)
            opened = (file, index)
        }
        return (graph, archive, opened)
    }

    /// Keras 2 full-model `.h5`: the root `model_config` attribute (and the saved weights for
    /// layers Strata does not know).
    static func readH5(_ path: String) throws -> ModelGraph { try openH5(path).graph }

    /// The `.h5` file's graph and the file, left open for its weights.
    static func openH5(_ path: String) throws -> (graph: ModelGraph, h5: KerasH5) {
        let h5 = try KerasH5(path: path)
        let json: JSONValue
        do { json = try JSONParser.parse(h5.modelConfigBytes) } catch let e as StrataError {
            throw StrataError(file: path, place: "attribute model_config" + (e.place.map { ", " + $0 } ?? ""), e.message)
        }
        var reader = KerasConfigReader(file: path, format: "keras2-h5")
        var graph = try reader.read(json, versionHint: h5.kerasVersion, backendHint: h5.backend)
        if graph.containsUnsupported, let index = try? KerasWeightIndex(file: h5.file) {
            graph.attachUnsupportedWeights(index)
        }
        return (graph, h5)
    }
}

extension ModelGraph {
    /// True when some layer (at any depth) has a class Strata does not know.
    var containsUnsupported: Bool {
        layers.contains { $0.kind is UnsupportedOp || ($0.nestedGraph?.containsUnsupported ?? false) }
    }

    /// Gives unsupported layers the weight tensors the weights file lists for them, so their
    /// parameters are counted from the file.
    mutating func attachUnsupportedWeights(_ index: KerasWeightIndex) {
        attach(index.layers)
    }

    private mutating func attach(_ saved: [KerasWeightIndex.Layer]) {
        for i in layers.indices {
            guard let entry = saved.first(where: { $0.name == layers[i].name }) else { continue }
            if var u = layers[i].kind as? UnsupportedOp {
                u.knownWeights = entry.allTensors.map { WeightSpec($0.name, $0.shape, trainable: true, dtype: $0.dtype) }
                layers[i].kind = u
            } else if var nested = layers[i].nestedGraph {
                nested.attach(entry.sublayers)
                layers[i].kind = SubgraphOp(graph: nested)
            }
        }
    }
}

extension KerasWeightIndex.Layer {
    /// This layer's tensors and those of its sublayers, in file order.
    var allTensors: [KerasWeightIndex.Tensor] { weights + sublayers.flatMap(\.allTensors) }
}
