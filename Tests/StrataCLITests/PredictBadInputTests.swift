import Foundation
import Testing
import Kernels
import ModelKit
import ZIPFoundation
@testable import StrataCLI

/// `strata predict` on bad input, end to end: wrong `.npy` shapes and dtypes, truncated `.npy`
/// files, a `.keras` whose weights belong to another model, corrupt or truncated weights
/// files (inside a `.keras` and as a Keras 2 `.h5`). Each must end in one clear line on
/// stderr and exit code 1, never a crash, and write no output.
@Suite struct PredictBadInputTests: CLISuite {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")
    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }
    static let seed = path("seed_resnet8/model.keras")
    static let seedInput = path("seed_resnet8/input.npy")

    /// A fresh temporary folder, removed by the caller.
    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-badinput-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs `strata predict model --input inputs... --output dir/out.npy` and checks the
    /// failure: exit 1, one line on stderr holding every fragment, no output file.
    @discardableResult
    func expectFailure(_ model: String, inputs: [String], dir: String, _ fragments: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let out = dir + "/out.npy"
        let r = run(["predict", model] + inputs.flatMap { ["--input", $0] } + ["--output", out])
        #expect(r.code == 1, "exit \(r.code): \(r.err)", sourceLocation: sourceLocation)
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "expected one line on stderr, got: \(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.hasPrefix("strata: error: "), "\(r.err)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(r.err.contains(f), "missing \"\(f)\" in: \(r.err)", sourceLocation: sourceLocation)
        }
        #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
        return r.err
    }

    /// A version 1.0 `.npy` as NumPy writes it: header dict padded to 64 bytes, then `data`.
    static func npy(descr: String, shape: [Int], data: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var h = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        while (10 + h.count + 1) % 64 != 0 { h.append(0x20) }
        h.append(0x0A)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + data
    }

    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * MemoryLayout<T>.size)
        for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A `.keras` archive made of the named entries, in order.
    static func makeArchive(_ entries: [(String, Data)], to path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in entries {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// The entries of a `.keras` archive by name.
    static func unzip(_ path: String) throws -> [String: Data] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var out: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            out[entry.path] = data
        }
        return out
    }

    // MARK: - The .npy input

    /// The message names the file, the model input, the shape it expects and the one found.
    @Test(arguments: [[1, 5, 5, 3], [32, 32, 3], [1, 32, 32, 1]])
    func wrongShapeNamesFileInputAndBothShapes(_ shape: [Int]) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.npy"
        try NPY.write(Tensor(zeros: shape), to: bad)
        expectFailure(Self.seed, inputs: [bad], dir: dir,
                      [bad, "input \"input_layer\"", "(None, 32, 32, 3)", PredictCommand.text(shape)])
    }

    /// Several inputs: the message says which one is wrong.
    @Test func wrongShapeOfTheSecondInputIsNamed() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/second.npy"
        try NPY.write(Tensor(zeros: [1, 99]), to: bad)
        expectFailure(Self.path("case_multi_io/model.keras"), inputs: [Self.path("case_multi_io/input_0.npy"), bad], dir: dir,
                      [bad, "input 2 of 2", "(1, 99)"])
    }

    /// NumPy saves float64 by default: converted to float32 (with a note), the output is the
    /// one Keras gave for the float32 input (the file holds the same values exactly).
    @Test func float64IsConvertedWithANote() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let x = try NPY.readTensor(path: Self.seedInput)
        let f64 = dir + "/x64.npy"
        try write(Self.npy(descr: "<f8", shape: x.shape, data: Self.littleEndian(x.data.map { Double($0).bitPattern })), f64)
        let out = dir + "/out.npy"
        let r = run(["predict", Self.seed, "--input", f64, "--output", out])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("note") && r.err.contains(f64) && r.err.contains("float64"), "\(r.err)")
        let got = try NPY.readTensor(path: out)
        let want = try NPY.readTensor(path: Self.path("seed_resnet8/output.npy"))
        #expect(got.shape == want.shape)
        let worst = zip(got.data, want.data).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "max error \(worst)")
    }

    /// Integers (uint8 images, int32) into a float input are converted exactly: the output
    /// equals the one for the same values as float32.
    @Test(arguments: ["<i4", "|u1"])
    func integersIntoAFloatInputAreConverted(_ descr: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shape = [1, 32, 32, 3]
        let values = (0..<(32 * 32 * 3)).map { ($0 * 37) % 256 }
        let ints = dir + "/ints.npy"
        let floats = dir + "/floats.npy"
        try write(Self.npy(descr: descr, shape: shape, data: descr == "<i4" ? Self.littleEndian(values.map { Int32($0) }) : values.map { UInt8($0) }), ints)
        try NPY.write(Tensor(shape: shape, data: values.map { Float($0) }), to: floats)
        let a = run(["predict", Self.seed, "--input", ints, "--output", dir + "/a.npy"])
        let b = run(["predict", Self.seed, "--input", floats, "--output", dir + "/b.npy"])
        #expect(a.code == 0 && b.code == 0, "\(a.err) \(b.err)")
        #expect(!a.err.contains("note"), "\(a.err)")
        #expect(try NPY.readTensor(path: dir + "/a.npy") == NPY.readTensor(path: dir + "/b.npy"))
    }

    @Test func boolIntoAFloatInputIsRefused() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/mask.npy"
        try write(Self.npy(descr: "|b1", shape: [1, 32, 32, 3], data: [UInt8](repeating: 1, count: 32 * 32 * 3)), bad)
        expectFailure(Self.seed, inputs: [bad], dir: dir, [bad, "input \"input_layer\"", "float32", "bool"])
    }

    /// An integer input (token ids) takes int32 and int64 as they are, whole-valued floats
    /// converted, and refuses fractional values and bool (checked on the input alone: the
    /// layers that consume ids are another piece of work).
    @Test func tokenIdsInputTakesIntegers() throws {
        let input = PredictInput(path: "ids.npy", inputName: "ids", index: 0, count: 1, shape: TensorShape([nil, 3]), dtype: DType("int32"))
        let t = try input.tensor(NPYArray(shape: [2, 3], int32s: [0, 1, 2, 19, 7, 16_000_000]))
        #expect(t.shape == [2, 3] && t.data == [0, 1, 2, 19, 7, 16_000_000])
        let int64 = try NPY.read(bytes: Self.npy(descr: "<i8", shape: [1, 3], data: Self.littleEndian([Int64(4), 5, 6])), name: "ids64.npy")
        #expect(try input.tensor(int64).data == [4, 5, 6])
        #expect(try input.tensor(NPYArray(shape: [1, 3], floats: [3, 0, 12])).data == [3, 0, 12])
        #expect(input.conversionNote(NPYArray(shape: [1, 3], floats: [3, 0, 12])) == nil)
        do {
            _ = try input.tensor(NPYArray(shape: [1, 3], floats: [3, 0.5, 12]))
            Issue.record("a fractional token id was accepted")
        } catch {
            #expect(error.message.contains("ids.npy") && error.message.contains("input \"ids\"") && error.message.contains("element 1"), "\(error.message)")
        }
        let bools = try NPY.read(bytes: Self.npy(descr: "|b1", shape: [1, 3], data: [1, 0, 1]), name: "b.npy")
        #expect(throws: CommandFailure.self) { _ = try input.tensor(bools) }
        do {
            _ = try input.tensor(NPYArray(shape: [1, 4], int32s: [1, 2, 3, 4]))
            Issue.record("a wrong shape was accepted")
        } catch {
            #expect(error.message.contains("(None, 3)") && error.message.contains("(1, 4)"), "\(error.message)")
        }
    }

    /// A `.npy` cut in its data, in its header, or not an `.npy` at all.
    @Test func truncatedOrForeignNPY() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.seedInput)))
        let data = dir + "/cut_data.npy"
        try write(Array(bytes.prefix(bytes.count / 2)), data)
        expectFailure(Self.seed, inputs: [data], dir: dir, [data, "truncated .npy data", "expected 12288 bytes"])
        let header = dir + "/cut_header.npy"
        try write(Array(bytes.prefix(40)), header)
        expectFailure(Self.seed, inputs: [header], dir: dir, [header, "truncated .npy header"])
        let text = dir + "/notes.npy"
        try write(Array("not numbers".utf8), text)
        expectFailure(Self.seed, inputs: [text], dir: dir, [text, "not an .npy file"])
        expectFailure(Self.seed, inputs: [dir + "/missing.npy"], dir: dir, [dir + "/missing.npy"])
    }

    // MARK: - Weights that do not fit

    /// seed_resnet8's config.json with case_depthwise_separable's model.weights.h5: Keras 3
    /// keys weights by class-based paths (`layers/conv2d`), so the first Conv2D meets the
    /// other model's stem kernel. The message names the layer, the weight and both shapes.
    @Test func weightsOfAnotherModelInTheArchive() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try Self.unzip(Self.seed)
        let other = try Self.unzip(Self.path("case_depthwise_separable/model.keras"))
        let mixed = dir + "/mixed.keras"
        try Self.makeArchive([("metadata.json", seed["metadata.json"]!), ("config.json", seed["config.json"]!),
                      ("model.weights.h5", other["model.weights.h5"]!)], to: mixed)
        expectFailure(mixed, inputs: [Self.seedInput], dir: dir, [mixed, "layer \"conv2d\"", "kernel", "(3, 3, 3, 16)", "(3, 3, 3, 8)", "stem", "another model"])
    }

    /// The seed config with its first Conv2D widened to 24 filters, beside its own weights.
    @Test func configChangedAfterSaving() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try Self.unzip(Self.seed)
        let config = String(decoding: seed["config.json"]!, as: UTF8.self)
        let first = try #require(config.range(of: "\"filters\": 16"))
        let changed = config.replacingCharacters(in: first, with: "\"filters\": 24")
        let mixed = dir + "/widened.keras"
        try Self.makeArchive([("metadata.json", seed["metadata.json"]!), ("config.json", Data(changed.utf8)),
                      ("model.weights.h5", seed["model.weights.h5"]!)], to: mixed)
        expectFailure(mixed, inputs: [Self.seedInput], dir: dir, [mixed, "conv2d", "kernel", "(3, 3, 3, 24)", "(3, 3, 3, 16)"])
    }

    // MARK: - Corrupt files

    /// The seed `.keras` with its model.weights.h5 cut (half, and only the first 100 bytes)
    /// inside a well-formed archive.
    @Test(arguments: [2, 100_000])
    func truncatedWeightsInsideTheArchive(_ divisorOrBytes: Int) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try Self.unzip(Self.seed)
        let h5 = seed["model.weights.h5"]!
        let keep = divisorOrBytes == 2 ? h5.count / 2 : 100
        let cut = dir + "/cut_weights.keras"
        try Self.makeArchive([("metadata.json", seed["metadata.json"]!), ("config.json", seed["config.json"]!),
                      ("model.weights.h5", h5.prefix(keep))], to: cut)
        expectFailure(cut, inputs: [Self.seedInput], dir: dir, [cut, "model.weights.h5"])
    }

    /// The seed `.keras` with its model.weights.h5 damaged inside a well-formed archive (so
    /// the zip checksum is right): the middle half overwritten, which takes the group and
    /// object headers between the datasets, or the 4 KiB after the superblock. (Damage
    /// confined to one dataset's raw values cannot be caught: HDF5 keeps no checksum of them.)
    @Test(arguments: ["middle half", "after the superblock"])
    func corruptWeightsInsideTheArchive(_ where_: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try Self.unzip(Self.seed)
        var h5 = [UInt8](seed["model.weights.h5"]!)
        let span = where_ == "middle half" ? (h5.count / 4)..<(3 * h5.count / 4) : 96..<(96 + 4096)
        h5.replaceSubrange(span, with: [UInt8](repeating: 0xA5, count: span.count))
        let bad = dir + "/corrupt_weights.keras"
        try Self.makeArchive([("metadata.json", seed["metadata.json"]!), ("config.json", seed["config.json"]!),
                      ("model.weights.h5", Data(h5))], to: bad)
        expectFailure(bad, inputs: [Self.seedInput], dir: dir, [bad, "model.weights.h5"])
    }

    /// The Keras 2 `.h5` of the seed model with its middle half, or the 4 KiB after the
    /// superblock, overwritten.
    @Test(arguments: ["middle half", "after the superblock"])
    func keras2H5Corrupt(_ where_: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path("seed_resnet8/model_keras2.h5"))))
        let span = where_ == "middle half" ? (bytes.count / 4)..<(3 * bytes.count / 4) : 96..<(96 + 4096)
        bytes.replaceSubrange(span, with: [UInt8](repeating: 0xA5, count: span.count))
        let bad = dir + "/corrupt.h5"
        try write(bytes, bad)
        expectFailure(bad, inputs: [Self.seedInput], dir: dir, [bad])
    }

    /// The seed `.keras` file itself with 4 KiB in the middle overwritten: the bytes fall in
    /// the stored (uncompressed) model.weights.h5, inside one kernel's raw values, which HDF5
    /// cannot notice; the zip's CRC-32 does.
    @Test func archiveOverwrittenInTheMiddle() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.seed)))
        let mid = bytes.count / 2
        bytes.replaceSubrange(mid..<(mid + 4096), with: [UInt8](repeating: 0xA5, count: 4096))
        let bad = dir + "/overwritten.keras"
        try write(bytes, bad)
        expectFailure(bad, inputs: [Self.seedInput], dir: dir, [bad, "model.weights.h5", "CRC-32"])
    }

    /// The seed `.keras` file cut in half: the central directory is gone.
    @Test func archiveTruncated() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.seed)))
        let bad = dir + "/cut.keras"
        try write(Array(bytes.prefix(bytes.count / 2)), bad)
        expectFailure(bad, inputs: [Self.seedInput], dir: dir, [bad, "zip"])
    }

    /// The Keras 2 `.h5` of the seed model cut in half, and cut to its first kilobyte.
    @Test(arguments: [2, 1024])
    func keras2H5Truncated(_ divisorOrBytes: Int) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path("seed_resnet8/model_keras2.h5"))))
        let bad = dir + "/cut.h5"
        try write(Array(bytes.prefix(divisorOrBytes == 2 ? bytes.count / 2 : 1024)), bad)
        expectFailure(bad, inputs: [Self.seedInput], dir: dir, [bad])
    }

    /// `strata time` reads weights the same way: a damaged archive is one line and exit 1.
    @Test func timeOnADamagedArchive() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.seed)))
        let mid = bytes.count / 2
        bytes.replaceSubrange(mid..<(mid + 4096), with: [UInt8](repeating: 0xA5, count: 4096))
        let bad = dir + "/overwritten.keras"
        try write(bytes, bad)
        let r = run(["time", bad, "--runs", "1", "--warmup", "0"])
        #expect(r.code == 1, "\(r.err)")
        #expect(r.err.split(separator: "\n").count == 1 && r.err.contains(bad) && r.err.contains("CRC-32"), "\(r.err)")
    }
}

/// String inputs: a unicode `.npy` feeds a text model end to end, strings are refused where
/// numbers are expected and numbers where strings are, and integers beyond float32's exact
/// range are refused rather than rounded.
@Suite struct PredictTextInputTests: CLISuite {
    static let text = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/execution/text")

    @Test func unicodeTextsRunAndStringOutputsAreWritten() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strata-text-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // string_lookup_invert: ids → strings, Keras's own answer in output.npy (<U5).
        let c = Self.text.appendingPathComponent("string_lookup_invert").path
        let r = run(["predict", c + "/model.keras", "--input", c + "/input.npy", "--output", dir + "/out.npy"])
        #expect(r.code == 0, "\(r.err)")
        #expect(try NPY.read(path: dir + "/out.npy").strings == NPY.read(path: c + "/output.npy").strings)
        // text_vectorization_default: texts in, Keras's numbers out.
        let tv = Self.text.appendingPathComponent("text_vectorization_default").path
        let t = run(["predict", tv + "/model.keras", "--input", tv + "/input.npy", "--output", dir + "/tv.npy"])
        #expect(t.code == 0, "\(t.err)")
        let got = try NPY.readTensor(path: dir + "/tv.npy"), want = try NPY.readTensor(path: tv + "/output.npy")
        #expect(got.shape == want.shape && zip(got.data, want.data).allSatisfy { abs($0 - $1) < 1e-5 })
        // Numbers into the text input, texts into a number input: one line each, naming the input.
        try NPY.write(Tensor(shape: [2, 1], data: [1, 2]), to: dir + "/numbers.npy")
        try NPY.write(NPYArray(Tensor(shape: [1, 3], text: ["0", "1", "2"])), to: dir + "/strings.npy")
        let numbers = run(["predict", tv + "/model.keras", "--input", dir + "/numbers.npy", "--output", dir + "/x.npy"])
        #expect(numbers.code == 1 && numbers.err.contains("takes strings"), "\(numbers.err)")
        let strings = run(["predict", c + "/model.keras", "--input", dir + "/strings.npy", "--output", dir + "/y.npy"])
        #expect(strings.code == 1 && strings.err.contains("found strings"), "\(strings.err)")
    }

    @Test func integersBeyondFloat32AreRefused() {
        let input = PredictInput(path: "ids.npy", inputName: "ids", index: 0, count: 1, shape: TensorShape([nil, 2]), dtype: DType("int32"))
        do {
            _ = try input.tensor(NPYArray(shape: [1, 2], int32s: [5, 16_777_217]))
            Issue.record("16777217 was accepted and would have been rounded")
        } catch {
            #expect(error.message.contains("element 1") && error.message.contains("16777217") && error.message.contains("2^24"), "\(error.message)")
        }
    }
}
