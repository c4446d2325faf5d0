import Foundation
import Testing
import ModelKit
@testable import ONNXFormat

/// Decoding `.onnx` files against what onnx itself wrote about them
/// (Tests/Fixtures/onnx/<case>/truth.json, onnx 1.23.2; see the fixtures' README).
@Suite struct ONNXFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx")

    static func truth(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("\(name)/truth.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func seedModelExportedByTf2onnx() throws {
        let file = try ONNXFile(path: Self.fixtures.appendingPathComponent("keras_seed_resnet8/model.onnx").path)
        let truth = try Self.truth("keras_seed_resnet8")
        #expect(file.irVersion == truth["ir_version"] as? Int)
        let opsets = truth["opset_import"] as? [String: Int] ?? [:]
        #expect(file.opsets.first { $0.domain == "" || $0.domain == "ai.onnx" }?.version == opsets["ai.onnx"])
        let nodes = truth["nodes"] as? [[String: Any]] ?? []
        #expect(file.opTypes == nodes.compactMap { $0["op_type"] as? String })
        #expect(file.opTypes.count == 39)
        // 78,186 float initializer elements: tf2onnx merged each BatchNormalization's moving
        // statistics into Mul + Add, 2 numbers per channel instead of Keras's 4 (78,666).
        #expect(file.floatInitializerElements == truth["params"] as? Int)
        #expect(file.floatInitializerElements == 78_186)
    }

    @Test func ifNodeKeepsItsBranches() throws {
        let file = try ONNXFile(path: Self.fixtures.appendingPathComponent("node_if/model.onnx").path)
        let truth = try Self.truth("node_if")
        #expect(file.opTypes == ["If"])
        let histogram = truth["op_histogram_subgraphs"] as? [String: Int] ?? [:]
        #expect(file.subgraphOpTypes.count == truth["subgraph_node_count"] as? Int)
        #expect(Dictionary(file.subgraphOpTypes.map { ($0, 1) }, uniquingKeysWith: +) == histogram)
    }

    @Test func truncatedAndEmptyFilesAreErrorsNamingTheFile() throws {
        let truncated = Self.fixtures.appendingPathComponent("bad/truncated.onnx").path
        #expect(throws: StrataError.self) { try ONNXFile(path: truncated) }
        do { _ = try ONNXFile(path: truncated) } catch let e as StrataError {
            #expect(e.file == truncated && e.message.contains("does not decode"), "\(e)")
        }
        let empty = NSTemporaryDirectory() + "strata-empty-\(UUID().uuidString).onnx"
        FileManager.default.createFile(atPath: empty, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: empty) }
        do { _ = try ONNXFile(path: empty); Issue.record("an empty file decoded") } catch let e as StrataError {
            #expect(e.description == "\(empty): the file is empty")
        }
    }
}
