import Foundation
import KerasFormat
import ModelKit
import Testing

/// Fixture locations, relative to this file.
private enum ContainerFixtures {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let reference = tests.appendingPathComponent("Fixtures/reference")
    static let containers = tests.appendingPathComponent("Fixtures/containers")

    static let kerasCases = ["case_depthwise_separable", "case_multi_io", "case_nested",
                             "case_seq_with_input", "case_shared_layer", "seed_resnet8"]
    static let h5Cases = ["case_multi_io", "case_nested", "seed_resnet8"]

    static func path(_ c: String, _ file: String) -> String {
        reference.appendingPathComponent(c).appendingPathComponent(file).path
    }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// A fresh temporary folder for one test.
    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-containers-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Truth weights of one layer: (shape) in Keras's `layer.weights` order.
private func truthShapes(_ layer: JSONValue) -> [[Int]] {
    (layer["weights"]?.arrayValue ?? []).map { w in (w["shape"]?.arrayValue ?? []).compactMap(\.intValue) }
}

/// The error's text when `body` throws a StrataError; nil (and a recorded issue) otherwise.
private func errorText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        Issue.record("expected an error")
        return nil
    } catch let e as StrataError {
        return e.description
    } catch {
        Issue.record("expected a StrataError, got \(error)")
        return nil
    }
}

@Suite("Containers")
struct ContainerTests {
    // MARK: .keras archives

    @Test(arguments: ContainerFixtures.kerasCases)
    func kerasArchiveConfigAndMetadata(_ c: String) throws {
        let archive = try KerasArchive(path: ContainerFixtures.path(c, "model.keras"))
        let config = try JSONParser.parse(archive.configBytes)
        let cls = config["class_name"]?.stringValue
        #expect(cls == "Functional" || cls == "Sequential")
        #expect(archive.kerasVersion == "3.15.1")
        #expect(archive.dateSaved?.isEmpty == false)
        #expect(archive.hasWeights)
        #expect(archive.entryNames.contains("model.weights.h5"))
    }

    @Test(arguments: ContainerFixtures.kerasCases)
    func keras3WeightIndexMatchesTruth(_ c: String) throws {
        let archive = try KerasArchive(path: ContainerFixtures.path(c, "model.keras"))
        let index = try KerasWeightIndex(keras3: archive.weightsFile())
        #expect(index.layout == .keras3)
        let truth = try ContainerFixtures.json(ContainerFixtures.path(c, "truth.json"))
        let truthLayers = truth["layers"]?.arrayValue ?? []
        let truthNames = truthLayers.compactMap { $0["name"]?.stringValue }
        // The same layers (a Sequential's file also has its InputLayer, which model.layers
        // omits: it must then own no weights). Order is best effort (object addresses), so
        // compare sets here; the group keys give the exact order (keras3GroupKeys test).
        #expect(Set(index.layers.map(\.name).filter(truthNames.contains)) == Set(truthNames))
        #expect(index.layers.count == Set(index.layers.map(\.name)).count)
        for extra in index.layers where !truthNames.contains(extra.name) {
            #expect(extra.weights.isEmpty, "layer \(extra.name) is not in truth.json but has weights")
        }
        var total = 0
        for t in truthLayers {
            let name = t["name"]?.stringValue ?? "?"
            let layer = try #require(index.layer(named: name), "no layer \(name) in \(c)")
            #expect(layer.weights.map(\.shape) == truthShapes(t), "\(c): \(name)")
            #expect(layer.weights.allSatisfy { $0.dtype == .float32 })
            total += layer.weights.count
            // A nested model's inner layers, the same way.
            for inner in t["submodel"]?["layers"]?.arrayValue ?? [] {
                let innerName = inner["name"]?.stringValue ?? "?"
                let sub = try #require(layer.sublayers.first { $0.name == innerName }, "no inner layer \(innerName)")
                #expect(sub.weights.map(\.shape) == truthShapes(inner), "\(c): \(name)/\(innerName)")
            }
        }
        #expect(index.allTensors.count == total)
        let params = index.allTensors.reduce(0) { $0 + ($1.shape.reduce(1, *)) }
        #expect(params == truth["total_params"]?.intValue)
    }

    @Test func nestedModelLayout() throws {
        let archive = try KerasArchive(path: ContainerFixtures.path("case_nested", "model.keras"))
        let index = try KerasWeightIndex(keras3: archive.weightsFile())
        let encoder = try #require(index.layer(named: "encoder"))
        #expect(encoder.groupPath == "/layers/functional")
        #expect(encoder.sublayers.map(\.name) == ["enc_in", "enc_dense1", "enc_bn", "enc_dense2"])
        #expect(encoder.weights.first?.relativePath == "layers/dense/vars/0")
        #expect(encoder.weights.first?.owner == "enc_dense1")
        let bn = try #require(encoder.sublayers.first { $0.name == "enc_bn" })
        #expect(bn.weights.map(\.hdf5Path) == (0..<4).map { "/layers/functional/layers/batch_normalization/vars/\($0)" })
    }

    @Test func wrapperLayouts() throws {
        let archive = try KerasArchive(path: ContainerFixtures.containers.appendingPathComponent("wrappers.keras").path)
        let index = try KerasWeightIndex(keras3: archive.weightsFile())
        #expect(index.layers.map(\.name) == ["input_layer", "bidi", "mha", "ln", "seqin", "td"])
        let bidi = try #require(index.layer(named: "bidi"))
        #expect(Set(bidi.weights.map(\.relativePath)) == Set(["forward_layer", "backward_layer"].flatMap { side in
            (0..<3).map { "\(side)/cell/vars/\($0)" }
        }))
        #expect(bidi.weights.map(\.shape).sorted { "\($0)" < "\($1)" } == [[12], [12], [3, 12], [3, 12], [4, 12], [4, 12]])
        #expect(bidi.weights.allSatisfy { $0.owner == "lstm_cell" })
        let mha = try #require(index.layer(named: "mha"))
        #expect(Set(mha.weights.map(\.owner)) == ["query", "key", "value", "attention_output"])
        #expect(mha.weights.first { $0.relativePath == "output_dense/vars/0" }?.shape == [2, 2, 6])
        let td = try #require(index.layer(named: "td"))
        #expect(td.weights.map(\.relativePath) == ["layer/vars/0", "layer/vars/1"])
        #expect(td.weights.map(\.owner) == ["td_d", "td_d"])
        #expect(index.layer(named: "seqin")?.sublayers.map(\.name) == ["in_d"])
    }

    @Test func readsFloat16AndFloat64Weights() throws {
        let archive = try KerasArchive(path: ContainerFixtures.containers.appendingPathComponent("dtypes.keras").path)
        let file = try archive.weightsFile()
        let index = try KerasWeightIndex(keras3: file)
        let d16 = try #require(index.layer(named: "d16"))
        #expect(d16.weights.map(\.dtype) == [DType("float16"), DType("float16")])
        #expect(try file.readFloats(d16.weights[0].hdf5Path) == [0.5, -1.25, 2.0, 0.125, -3.0, 65504.0])
        #expect(try file.readFloats(d16.weights[1].hdf5Path) == [1.5, -0.5])
        let d64 = try #require(index.layer(named: "d64"))
        #expect(d64.weights.map(\.dtype) == [DType("float64"), DType("float64")])
        #expect(try file.readFloats(d64.weights[0].hdf5Path) == [0.1, 0.2, 0.3, 0.4].map { Float($0) })
        #expect(try file.readFloats(d64.weights[1].hdf5Path) == [Float(1e-3), -2.5])
    }

    @Test(arguments: ContainerFixtures.kerasCases)
    func readsEveryDatasetWithItsElementCount(_ c: String) throws {
        let file = try KerasArchive(path: ContainerFixtures.path(c, "model.keras")).weightsFile()
        for t in try KerasWeightIndex(file: file).allTensors {
            let values = try file.readFloats(t.hdf5Path)
            #expect(values.count == t.shape.reduce(1, *), "\(t.hdf5Path)")
            #expect(values.allSatisfy { $0.isFinite })
        }
    }

    // MARK: Keras 2 .h5

    @Test(arguments: ContainerFixtures.h5Cases)
    func keras2ModelConfig(_ c: String) throws {
        let h5 = try KerasH5(path: ContainerFixtures.path(c, "model_keras2.h5"))
        let config = try JSONParser.parse(h5.modelConfigBytes)
        let cls = config["class_name"]?.stringValue
        #expect(cls == "Functional" || cls == "Sequential" || cls == "Model")
        #expect(h5.kerasVersion == "2.21.0")
        #expect(h5.backend == "tensorflow")
    }

    @Test(arguments: ContainerFixtures.h5Cases)
    func keras2WeightIndexMatchesTruth(_ c: String) throws {
        let h5 = try KerasH5(path: ContainerFixtures.path(c, "model_keras2.h5"))
        let index = try KerasWeightIndex(keras2: h5.file)
        #expect(index.layout == .keras2)
        // Exact names and order against tf.keras's own truth...
        let truth2 = try ContainerFixtures.json(ContainerFixtures.path(c, "truth_keras2.json"))
        let layers2 = truth2["layers"]?.arrayValue ?? []
        #expect(index.layers.map(\.name) == layers2.compactMap { $0["name"]?.stringValue })
        for t in layers2 {
            let layer = try #require(index.layer(named: t["name"]?.stringValue ?? "?"))
            // The file lists trainable weights first, then non-trainable ones (tf.keras's
            // `_legacy_weights`); `layer.weights` interleaves them for a nested model.
            let weights = t["weights"]?.arrayValue ?? []
            let ordered = weights.filter { $0["trainable"]?.boolValue == true } + weights.filter { $0["trainable"]?.boolValue != true }
            #expect(layer.weights.map(\.name) == ordered.compactMap { $0["name"]?.stringValue })
            #expect(layer.weights.map(\.shape) == truthShapes(.object(JSONObject([("weights", .array(ordered))]))))
        }
        // ... and the same weights as Keras 3's truth, per layer (Keras 2 lists a nested
        // model's non-trainable weights last, so compare as multisets).
        let truth = try ContainerFixtures.json(ContainerFixtures.path(c, "truth.json"))
        for t in truth["layers"]?.arrayValue ?? [] where !truthShapes(t).isEmpty {
            let layer = try #require(index.layer(named: t["name"]?.stringValue ?? "?"))
            #expect(layer.weights.map { "\($0.shape)" }.sorted() == truthShapes(t).map { "\($0)" }.sorted())
        }
        let params = index.allTensors.reduce(0) { $0 + $1.shape.reduce(1, *) }
        #expect(params == truth["total_params"]?.intValue)
        for t in index.allTensors.prefix(6) {
            #expect(try h5.file.readFloats(t.hdf5Path).count == t.shape.reduce(1, *))
        }
    }

    // MARK: HDF5 details

    @Test func userBlockAndStringKinds() throws {
        let path = ContainerFixtures.containers.appendingPathComponent("userblock.h5").path
        #expect(HDF5File.hasSignature(atPath: path))
        let file = try HDF5File(path: path)
        #expect(try file.stringAttribute("vlen") == "variable length")
        #expect(try file.stringAttribute("fixed") == "fixed length")
        #expect(try file.stringArrayAttribute("names") == ["a", "bc"])
        #expect(try file.attributeNames() == ["fixed", "names", "vlen"])
        #expect(try file.children(of: "/g").map(\.name) == ["ints", "values"])
        let info = try file.datasetInfo("/g/values")
        #expect(info.shape == [2, 3])
        #expect(info.dtype == DType("float64"))
        #expect(try file.readFloats("/g/values") == [0, 0.25, 0.5, 0.75, 1, 1.25])
        #expect(try file.datasetInfo("/g/ints").dtype == DType("int32"))
        var visited: [String] = []
        try file.walk { visited.append($0.path) }
        #expect(visited == ["/g", "/g/ints", "/g/values"])
        #expect(file.kind(at: "/g") == .group)
        #expect(file.kind(at: "/nope/deeper") == nil)
    }

    @Test func keras3WeightsOpenFromMemoryAndFromDisk() throws {
        let dir = try ContainerFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The same index whether the weights come from the archive in memory or a file.
        let archive = try KerasArchive(path: ContainerFixtures.path("case_shared_layer", "model.keras"))
        let fromMemory = try KerasWeightIndex(file: archive.weightsFile())
        #expect(try archive.weightsFile().displayName.hasSuffix("model.keras!model.weights.h5"))
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", ContainerFixtures.path("case_shared_layer", "model.keras"), "model.weights.h5", "-d", dir.path]
        guard (try? unzip.run()) != nil else { return }  // no unzip: the memory path is enough
        unzip.waitUntilExit()
        let fromDisk = try KerasWeightIndex(file: HDF5File(path: dir.appendingPathComponent("model.weights.h5").path))
        #expect(fromDisk.allTensors == fromMemory.allTensors)
    }

    // MARK: Bad input

    @Test func textFileNamedKeras() throws {
        let dir = try ContainerFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.keras").path
        try Data("just some text, not a model\n".utf8).write(to: URL(fileURLWithPath: path))
        let text = errorText { _ = try KerasArchive(path: path) }
        #expect(text?.contains("notes.keras") == true)
        #expect(text?.contains("not a zip archive") == true)
        #expect(!HDF5File.hasSignature(atPath: path))
        let h5 = errorText { _ = try HDF5File(path: path) }
        #expect(h5?.contains("notes.keras: not an HDF5 file") == true)
    }

    @Test func zipWithoutConfig() throws {
        let dir = try ContainerFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("photos.keras").path
        try Data(storedZip(["readme.txt": Array("hello".utf8), "a/b.json": Array("{}".utf8)])).write(to: URL(fileURLWithPath: path))
        #expect(KerasArchive.hasZipSignature(atPath: path))
        let text = errorText { _ = try KerasArchive(path: path) }
        #expect(text == "\(path): a zip archive, but not a .keras model: no config.json; entries found: readme.txt, a/b.json")
    }

    @Test func truncatedZip() throws {
        let dir = try ContainerFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.keras").path
        let whole = try Data(contentsOf: URL(fileURLWithPath: ContainerFixtures.path("case_nested", "model.keras")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let text = errorText { _ = try KerasArchive(path: path) }
        #expect(text?.hasPrefix("\(path): a corrupt zip archive") == true)
    }

    @Test func truncatedH5() throws {
        let dir = try ContainerFixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.h5").path
        let whole = try Data(contentsOf: URL(fileURLWithPath: ContainerFixtures.path("case_nested", "model_keras2.h5")))
        try whole.prefix(1000).write(to: URL(fileURLWithPath: path))
        #expect(HDF5File.hasSignature(atPath: path))
        let text = errorText { _ = try KerasH5(path: path) }
        #expect(text?.hasPrefix("\(path): cannot open the HDF5 file") == true)
    }

    @Test func weightsOnlyH5() throws {
        let path = ContainerFixtures.containers.appendingPathComponent("weights_only_keras2.h5").path
        let text = errorText { _ = try KerasH5(path: path) }
        #expect(text?.hasPrefix("\(path): /: an HDF5 file without a model_config attribute: probably a weights-only file") == true)
        // Its weights are still indexed.
        let index = try KerasWeightIndex(keras2: HDF5File(path: path))
        #expect(index.layers.first { $0.name == "dense_a" }?.weights.map(\.shape) == [[3, 2], [2]])
    }

    @Test func missingAttributeAndDataset() throws {
        let file = try HDF5File(path: ContainerFixtures.path("case_nested", "model_keras2.h5"))
        let attr = errorText { _ = try file.stringAttribute("no_such_attribute", of: "/model_weights") }
        #expect(attr?.hasSuffix("model_keras2.h5: /model_weights: no attribute \"no_such_attribute\"") == true)
        let ds = errorText { _ = try file.readFloats("/model_weights/head/head/nothing:0") }
        #expect(ds?.contains("/model_weights/head/head/nothing:0: no such group or dataset") == true)
        let notDataset = errorText { _ = try file.datasetInfo("/model_weights") }
        #expect(notDataset?.contains("expected a dataset, found a group") == true)
        let notString = errorText { _ = try file.stringArrayAttribute("weight_names", of: "/model_weights/head/head/bias:0") }
        #expect(notString?.contains("no attribute") == true)
    }
}

// MARK: - A minimal zip writer for the tests (stored entries, no compression)

private func storedZip(_ files: KeyValuePairs<String, [UInt8]>) -> [UInt8] {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in files {
        let n = Array(name.utf8)
        let crc = crc32(data)
        let offset = UInt32(out.count)
        let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc)
            + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(n.count) + le16(0)
        out += [0x50, 0x4B, 0x03, 0x04] + common + n + data
        central += [0x50, 0x4B, 0x01, 0x02] + le16(20) + common + le16(0) + le16(0) + le16(0)
            + le32(0) + le32(offset) + n
    }
    let cdOffset = UInt32(out.count)
    out += central
    out += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(files.count) + le16(files.count)
        + le32(UInt32(central.count)) + le32(cdOffset) + le16(0)
    return out
}

@Suite("Containers: Keras 3 group keys")
struct ContainerGroupKeyTests {
    @Test func snakeCaseLikeKeras() {
        #expect(KerasWeightIndex.keras3GroupKeys(classNames: [
            "Conv2D", "BatchNormalization", "Conv2D", "MultiHeadAttention", "InputLayer",
            "DepthwiseConv2D", "ReLU", "Functional", "Conv2D",
        ]) == ["conv2d", "batch_normalization", "conv2d_1", "multi_head_attention", "input_layer",
               "depthwise_conv2d", "re_lu", "functional", "conv2d_2"])
    }

    /// Pairing truth's `model.layers` (class names, in order) with the file's groups through
    /// the keys finds every layer under its own name.
    @Test(arguments: ContainerFixtures.kerasCases)
    func keysPairLayersWithGroups(_ c: String) throws {
        let index = try KerasWeightIndex(keras3: KerasArchive(path: ContainerFixtures.path(c, "model.keras")).weightsFile())
        let layers = try ContainerFixtures.json(ContainerFixtures.path(c, "truth.json"))["layers"]?.arrayValue ?? []
        let keys = KerasWeightIndex.keras3GroupKeys(classNames: layers.compactMap { $0["class_name"]?.stringValue })
        #expect(keys.count == layers.count)
        for (key, t) in zip(keys, layers) {
            #expect(index.layer(groupKey: key)?.name == t["name"]?.stringValue, "\(c): \(key)")
        }
    }
}
