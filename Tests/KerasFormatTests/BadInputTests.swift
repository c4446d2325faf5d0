import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// Every kind of bad input gives one clear error naming the file and the place, never a crash.
@Suite struct BadInputTests {
    let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bad-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    func write(_ name: String, _ text: String) -> String {
        let p = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// Reads and expects a StrataError whose text contains every fragment (and the file name).
    func expectError(_ path: String, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let g = try ModelFileReader.read(path)
            let errors = Analyzer.analyze(g).diagnostics.filter { $0.severity == .error }
            guard let first = errors.first else {
                Issue.record("expected an error for \(path)", sourceLocation: sourceLocation)
                return
            }
            let text = first.message
            #expect(text.contains((path as NSString).lastPathComponent), "\(text)", sourceLocation: sourceLocation)
            for f in fragments { #expect(text.contains(f), "missing \"\(f)\" in: \(text)", sourceLocation: sourceLocation) }
        } catch {
            let text = String(describing: error)
            #expect(!text.contains("\n"), "one line: \(text)", sourceLocation: sourceLocation)
            #expect(text.contains((path as NSString).lastPathComponent), "\(text)", sourceLocation: sourceLocation)
            for f in fragments { #expect(text.contains(f), "missing \"\(f)\" in: \(text)", sourceLocation: sourceLocation) }
        }
    }

    /// A Keras 3 functional model: an input of `shape` then the given layer entries.
    static func functional(inputShape: String = "[null, 8]", layers: [String], outputs: String) -> String {
        let input = #"{"class_name": "InputLayer", "config": {"batch_shape": \#(inputShape), "dtype": "float32", "name": "x"}, "name": "x", "inbound_nodes": []}"#
        return #"{"class_name": "Functional", "config": {"name": "m", "trainable": true, "layers": [\#(([input] + layers).joined(separator: ", "))], "input_layers": [["x", 0, 0]], "output_layers": \#(outputs)}}"#
    }

    static func ref(_ layer: String, _ shape: String = "[null, 8]") -> String {
        #"{"class_name": "__keras_tensor__", "config": {"shape": \#(shape), "dtype": "float32", "keras_history": ["\#(layer)", 0, 0]}}"#
    }

    static func dense(_ name: String, units: String, from: String) -> String {
        #"{"class_name": "Dense", "config": {"name": "\#(name)", "units": \#(units), "use_bias": true}, "name": "\#(name)", "inbound_nodes": [{"args": [\#(ref(from))], "kwargs": {}}]}"#
    }

    @Test func notJSON() { expectError(write("notes.json", "hello, this is not a model"), ["not a Keras model"]) }

    @Test func truncatedJSON() throws {
        let full = Self.functional(layers: [Self.dense("d", units: "4", from: "x")], outputs: #"[["d", 0, 0]]"#)
        let path = write("truncated.json", String(full.prefix(full.count / 2)))
        expectError(path, ["invalid JSON", "line 1, column", "end of file"])
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        expectError(write("syntax.json", "{\n  \"class_name\": \"Functional\",\n  \"config\": {\"name\": \"m\",, }\n}"), ["line 3, column", "expected a key"])
    }

    @Test func jsonThatIsNotAModel() { expectError(write("settings.json", #"{"learning_rate": 0.1, "epochs": 3}"#), ["not a Keras model", "learning_rate"]) }

    @Test func jsonListAtTopLevel() { expectError(write("list.json", "[1, 2, 3]"), ["expected a JSON object"]) }

    @Test func missingLayersKey() {
        expectError(write("nolayers.json", #"{"class_name": "Functional", "config": {"name": "m"}}"#), ["config", "missing key \"layers\""])
    }

    @Test func wrongTypedKey() {
        let json = #"{"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": "thirty-two", "name": "x"}, "name": "x", "inbound_nodes": []}], "input_layers": [["x", 0, 0]], "output_layers": [["x", 0, 0]]}}"#
        expectError(write("wrongtype.json", json), ["config.layers[0].config.batch_shape", "layer \"x\"", "thirty-two"])
    }

    @Test func wrongTypedUnits() {
        let json = Self.functional(layers: [Self.dense("head", units: "\"ten\"", from: "x")], outputs: #"[["head", 0, 0]]"#)
        expectError(write("units.json", json), ["config.layers[1].config.units", "layer \"head\"", "\"ten\""])
    }

    @Test func negativeUnits() {
        let json = Self.functional(layers: [Self.dense("head", units: "-3", from: "x")], outputs: #"[["head", 0, 0]]"#)
        expectError(write("negative.json", json), ["units", "-3"])
    }

    @Test func referenceToMissingLayer() {
        let json = Self.functional(layers: [Self.dense("head", units: "2", from: "ghost")], outputs: #"[["head", 0, 0]]"#)
        expectError(write("ghost.json", json), ["layer \"head\" refers to layer \"ghost\", which does not exist"])
    }

    @Test func cycle() {
        let json = Self.functional(layers: [Self.dense("a", units: "8", from: "b"), Self.dense("b", units: "8", from: "a")], outputs: #"[["b", 0, 0]]"#)
        expectError(write("cycle.json", json), ["cycle", "\"a\"", "\"b\""])
    }

    @Test func shapesThatDoNotFit() {
        let add = #"{"class_name": "Add", "config": {"name": "add"}, "name": "add", "inbound_nodes": [{"args": [[\#(Self.ref("a")), \#(Self.ref("b", "[null, 9]"))]], "kwargs": {}}]}"#
        let json = Self.functional(layers: [Self.dense("a", units: "8", from: "x"), Self.dense("b", units: "9", from: "x"), add], outputs: #"[["add", 0, 0]]"#)
        expectError(write("mismatch.json", json), ["layer \"add\"", "(None, 8)", "(None, 9)"])
    }

    @Test func absurdSizeIsCountedNotAllocated() throws {
        let json = Self.functional(layers: [Self.dense("huge", units: "1000000000000", from: "x")], outputs: #"[["huge", 0, 0]]"#)
        let a = Analyzer.analyze(try ModelFileReader.read(write("huge.json", json)))
        // 8 inputs x 10^12 units + 10^12 biases.
        #expect(a.totals.params == 9_000_000_000_000)
        #expect(a.rows[1].weights.map(\.shape) == [[8, 1_000_000_000_000], [1_000_000_000_000]])
    }

    @Test func duplicateLayerNames() {
        let json = Self.functional(layers: [Self.dense("d", units: "8", from: "x"), Self.dense("d", units: "8", from: "x")], outputs: #"[["d", 0, 0]]"#)
        expectError(write("dup.json", json), ["two layers are named \"d\""])
    }

    @Test func emptyFile() { expectError(write("empty.json", ""), ["empty"]) }

    @Test func hugeFileIsNotRead() throws {
        let path = dir.appendingPathComponent("huge-config.json").path
        FileManager.default.createFile(atPath: path, contents: Data("{".utf8))
        let h = try #require(FileHandle(forWritingAtPath: path))
        try h.truncate(atOffset: 2_100_000_000)  // sparse: 2.1 GB on paper, nothing on disk
        try h.close()
        expectError(path, ["2.10 GB", "not read"])
    }

    @Test func binaryGarbage() {
        let p = dir.appendingPathComponent("garbage.bin").path
        FileManager.default.createFile(atPath: p, contents: Data([0x00, 0xFF, 0x13, 0x37, 0x42, 0x00, 0x01, 0x02]))
        expectError(p, ["not a Keras model", "bytes 00 ff"])
    }

    @Test func textFileNamedKeras() { expectError(write("fake.keras", "just text"), ["not a .keras archive"]) }

    @Test func textFileNamedH5() { expectError(write("fake.h5", "just text"), ["not an HDF5 file"]) }

    @Test func folderInsteadOfFile() { expectError(dir.path, ["is a folder"]) }

    @Test func deeplyNestedJSONDoesNotOverflowTheStack() {
        expectError(write("deep.json", String(repeating: "[", count: 100_000)), ["nesting deeper than"])
    }
}
