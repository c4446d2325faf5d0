import Foundation
import ModelKit
import SwiftProtobuf

/// An `.onnx` file decoded from its protobuf bytes. The generated `Onnx_*` types
/// (`Generated/onnx.pb.swift`, made by `scripts/gen-onnx-proto.sh`) stay inside this target;
/// what the rest of Strata needs is read from them here.
///
/// This is the first layer of the ONNX reader: decoding and the model's outline (IR version,
/// opsets, nodes and their op types, the float initializer count as onnx-tool and Netron
/// count it). Mapping nodes onto operators comes next.
public struct ONNXFile: Sendable {
    /// Protobuf refuses messages over 2 GiB; a larger file keeps its weights outside.
    public static let maxBytes = Int(Int32.max)
    /// Nested subgraphs deeper than this are refused while decoding (If inside Loop inside ...).
    public static let maxDepth = 64

    public let path: String
    let model: Onnx_ModelProto
    /// The main graph's initializer bytes, left in the mapped file.
    let raw: ONNXRawStore

    /// Reads and decodes `path`. Errors name the file: not readable, too large, or not a
    /// valid ONNX protobuf (truncated, garbage, nested too deep).
    public init(path: String) throws {
        self.path = path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        guard let size else { throw StrataError(file: path, "cannot read the file's size") }
        guard size <= Self.maxBytes else {
            throw StrataError(file: path, "is \(size) bytes, larger than the 2 GiB a protobuf message may have; ONNX keeps larger weights in external data files")
        }
        guard size > 0 else { throw StrataError(file: path, "the file is empty") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw StrataError(file: path, "cannot be opened for reading")
        }
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = Self.maxDepth
        do {
            let cut = try data.withUnsafeBytes { try ONNXRawDataCut($0) }
            model = try Onnx_ModelProto(serializedBytes: cut.stripped, options: options)
            raw = ONNXRawStore(mapped: data, ranges: cut.ranges)
        } catch let e as ONNXRawDataCut.Malformed {
            throw StrataError(file: path, "not a valid ONNX model: the protobuf does not decode (\(e.message)); the file may be truncated or not ONNX")
        } catch {
            throw StrataError(file: path, "not a valid ONNX model: the protobuf does not decode (\(error)); the file may be truncated or not ONNX")
        }
        guard model.hasGraph else { throw StrataError(file: path, "the ONNX model has no graph") }
    }

    /// The IR version the file declares.
    public var irVersion: Int { Int(model.irVersion) }

    /// Operator sets by domain (`""` and `ai.onnx` are the default domain).
    public var opsets: [(domain: String, version: Int)] { model.opsetImport.map { ($0.domain, Int($0.version)) } }

    /// The producer as the file names it (`tf2onnx`, `pytorch`) and its version.
    public var producer: (name: String, version: String) { (model.producerName, model.producerVersion) }

    /// Op types of the main graph's nodes, in file order.
    public var opTypes: [String] { model.graph.node.map(\.opType) }

    /// Op types of the nodes inside subgraphs (If, Loop and Scan bodies), depth first.
    public var subgraphOpTypes: [String] {
        func inside(_ nodes: [Onnx_NodeProto]) -> [String] {
            nodes.flatMap { node in
                node.attribute.flatMap { a -> [String] in
                    let graphs = (a.hasG ? [a.g] : []) + a.graphs
                    return graphs.flatMap { g in g.node.map(\.opType) + inside(g.node) }
                }
            }
        }
        return inside(model.graph.node)
    }

    /// Elements of the main graph's floating-point initializers: what onnx-tool and Netron
    /// call the parameters. Nil when a size overflows or is negative.
    public var floatInitializerElements: Int? {
        // TensorProto.DataType: FLOAT 1, FLOAT16 10, DOUBLE 11, BFLOAT16 16.
        let floating: Set<Int32> = [1, 10, 11, 16]
        return checkedSum(model.graph.initializer.filter { floating.contains($0.dataType) }.map { t in checkedProduct(t.dims.map { Int($0) }) })
    }
}
