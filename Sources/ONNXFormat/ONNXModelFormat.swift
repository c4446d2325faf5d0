import Foundation
import ModelKit
import Tensors

/// ONNX model files (`.onnx`) for the registry.
public struct ONNXModelFormat: ModelFormat {
    public init() {}

    public var id: String { "onnx" }
    public var displayName: String { "ONNX" }
    public var fileExtensions: [String] { ["onnx"] }

    /// Default-domain opsets Strata knows the operators of.
    public static let opsets = 1...23
    /// IR versions Strata reads: 3 to the newest of the onnx.proto it was generated from.
    public static let irVersions = 3...14

    public func sniff(path: String, head: [UInt8]) -> FormatSniff {
        guard (path as NSString).pathExtension.lowercased() == "onnx" else { return .notMine }
        // Anything named .onnx is meant as a model: a damaged one gets its error in the index.
        return .model
    }

    public func open(path: String) throws -> any OpenedModel {
        try ONNXOpenedModel(path: path)
    }

    /// The op types Strata maps, by domain (`""` is the default domain), for `strata layers`.
    public static var supportedOps: [(domain: String, ops: [String])] { ONNXOperators.supported }
}

/// An ONNX file read once: its graph, with the initializers read lazily for the engine.
public final class ONNXOpenedModel: OpenedModel {
    public let path: String
    public let graph: ModelGraph
    private let raw: ONNXRawStore

    public init(path: String) throws {
        self.path = path
        WorkStage.enter("reading the ONNX protobuf")
        let file = try ONNXFile(path: path)
        WorkStage.enter("mapping the ONNX graph")
        graph = try file.modelGraph()
        raw = file.raw
    }

    public var holdsWeights: Bool { true }

    /// The initializers in the engine's layouts; the file's pages read for them are handed
    /// back to the kernel afterwards (the engine keeps its own copies).
    public func weights(analysis: ModelAnalysis, seed: UInt64) throws -> WeightSet {
        let tensors = try graph.initializerWeights()
        raw.releaseResidentPages()
        return WeightSet(tensors: tensors, seeded: false)
    }
}

extension ONNXFile {
    /// The main graph as Strata's graph, with the conventions and notes of the format.
    func modelGraph() throws -> ModelGraph {
        guard irVersion >= ONNXModelFormat.irVersions.lowerBound else {
            throw StrataError(file: path, place: "ir_version", "IR version \(irVersion) is older than the IR 3 Strata reads")
        }
        guard irVersion <= ONNXModelFormat.irVersions.upperBound else {
            throw StrataError(file: path, place: "ir_version", "IR version \(irVersion) is newer than Strata knows (IR \(ONNXModelFormat.irVersions.lowerBound) to \(ONNXModelFormat.irVersions.upperBound))")
        }
        var versions: [String: Int] = [:]
        for (domain, version) in opsets { versions[domain == "ai.onnx" ? "" : domain] = version }
        guard let main = versions[""] else {
            throw StrataError(file: path, place: "opset_import", "imports no default-domain opset (found \(opsets.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain) \($0.version)" }.joined(separator: ", ").isEmpty ? "none" : opsets.map { "\($0.domain) \($0.version)" }.joined(separator: ", ")))")
        }
        guard ONNXModelFormat.opsets.contains(main) else {
            throw StrataError(file: path, place: "opset_import", "default-domain opset \(main) is outside the opsets Strata knows (\(ONNXModelFormat.opsets.lowerBound) to \(ONNXModelFormat.opsets.upperBound))")
        }
        let tensors = ONNXTensorReader(file: path, raw: raw)
        let reader = ONNXGraphReader(file: path, tensors: tensors, opsets: versions, depth: 0, outer: nil, place: "graph")
        for f in model.functions { reader.functions["\(f.domain == "ai.onnx" ? "" : f.domain):\(f.name)"] = f }
        // The file names the model (graph names are often an exporter's: tf2onnx, torch_jit,
        // main_graph); the graph's own name goes with its class.
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var (graph, tallies) = try reader.read(model.graph, name: ONNXNames.display(name, limit: 120))
        let producer = ONNXNames.display([model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " "), limit: 120)
        graph.className = model.graph.name.isEmpty ? "ONNX graph" : "ONNX graph \"\(ONNXNames.display(model.graph.name, limit: 60))\""
        graph.source = SourceInfo(file: path, format: "onnx", dialect: "onnx opset \(main)",
                                  formatVersion: "IR \(irVersion)" + (producer.isEmpty ? "" : ", written by \(producer)"),
                                  conventions: ONNXConventions.standard)
        graph.uncountedConstants = tallies.list
        graph.source.notes = ONNXConventions.notes(graph, producer: ONNXNames.display(model.producerName, limit: 60))
        return graph
    }
}
