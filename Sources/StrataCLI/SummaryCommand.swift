import ArgumentParser
import Foundation
import KerasFormat
import ModelKit
import Reporting

/// `strata summary FILE [--json]`.
struct SummaryCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a model's layers, shapes, parameters and MACs, with totals and a plain-language explanation.",
        discussion: "Exit codes: 0 read and analysed; 1 the model could not be read; 2 usage error."
    )

    @Argument(help: "A Keras model: .json (Keras 3 or 2), .keras archive or Keras 2 .h5.")
    var file: String

    @Flag(name: .long, help: "Print JSON (schema strata-report/1) instead of the table.")
    var json = false

    @Flag(name: .long, help: "List each layer's weight tensors (name, shape, count, trainable or not) beneath it.")
    var weights = false

    @Option(name: .customLong("input-shape"), help: ArgumentHelp(
        "Sizes for the dimensions the model leaves open, without the batch: 224,224,3. Repeat once per input, in order.",
        valueName: "dims"))
    var inputShapes: [String] = []

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case file, json, weights, inputShapes }

    func validate() throws {
        for text in inputShapes { _ = try Self.parseDims(text) }
    }

    /// `224,224,3` or `224x224x3` -> [224, 224, 3].
    static func parseDims(_ text: String) throws -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "X" })
        let dims = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, dims.count == parts.count, dims.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--input-shape \"\(text)\": expected positive sizes separated by commas, e.g. 224,224,3")
        }
        return dims
    }

    /// The declared input shapes with the open dimensions filled from --input-shape.
    func statedInputShapes(_ graph: ModelGraph) throws -> [TensorShape]? {
        guard !inputShapes.isEmpty else { return nil }
        let declared = Analyzer.declaredInputShapes(graph)
        guard inputShapes.count == declared.count else {
            throw CommandFailure("strata: error: the model has \(declared.count) input(s); --input-shape was given \(inputShapes.count) time(s)", code: 2)
        }
        return try zip(declared, inputShapes).enumerated().map { i, pair in
            let dims = try Self.parseDims(pair.1)
            guard let shape = pair.0 else { return TensorShape([nil] + dims.map { $0 }) }
            guard shape.rank == dims.count + 1 else {
                throw CommandFailure("strata: error: input \(i + 1) has shape \(shape); --input-shape \(pair.1) gives \(dims.count) dimensions, expected \(shape.rank - 1)", code: 2)
            }
            var out = shape
            for (axis, d) in dims.enumerated() {
                if let known = shape.dims[axis + 1], known != d {
                    throw CommandFailure("strata: error: input \(i + 1) declares \(known) on axis \(axis + 1) of \(shape); --input-shape gives \(d)", code: 2)
                }
                out.dims[axis + 1] = d
            }
            return out
        }
    }

    func execute() throws {
        let graph: ModelGraph
        do {
            graph = try ModelFileReader.read(file)
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
        let analysis = try statedInputShapes(graph).map { Analyzer.analyze(graph, inputShapes: $0) } ?? Analyzer.analyze(graph)
        let doc = ReportDocument(analysis: analysis)
        sink.out(json ? ReportJSON.render(doc) : SummaryText.render(doc, weights: weights))
        let errors = analysis.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw CommandFailure(errors.map { "strata: error: \($0.message)" }.joined(separator: "\n"))
        }
    }
}
