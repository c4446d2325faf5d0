import ArgumentParser
import Foundation
import ModelKit
import Reporting

/// `strata summary FILE [--json]`.
struct SummaryCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a model's layers, shapes, parameters and MACs, with totals and a plain-language explanation.",
        discussion: "Exit codes: 0 read and analysed; 1 the model could not be read; 2 usage error."
    )

    @Argument(help: "A model: Keras .json (Keras 3 or 2), .keras archive, Keras 2 .h5, or ONNX .onnx.")
    var file: String

    @Flag(name: .long, help: "Print JSON (schema strata-report/1) instead of the table.")
    var json = false

    @Flag(name: .long, help: "List each layer's weight tensors (name, shape, count, trainable or not) beneath it.")
    var weights = false

    @Option(name: .customLong("input-shape"), help: ArgumentHelp(
        "An input's shape, with or without the batch: 224,224,3 or 1,3,224,224, optionally naming the input (pixel_values=1,3,224,224). Repeat once per input, in order, or once per named input.",
        valueName: "dims"))
    var inputShapes: [String] = []

    @Option(name: .customLong("dim"), help: ArgumentHelp(
        "A size for every dimension the file names NAME (a symbolic dimension such as batch_size or N). Repeatable.",
        valueName: "NAME=SIZE"))
    var dims: [String] = []

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case file, json, weights, inputShapes, dims, timeout }

    func validate() throws {
        for text in inputShapes {
            do { _ = try InputShapes.parse(text) } catch let e as StrataError { throw ValidationError("--" + e.message) }
        }
        for text in dims {
            do { _ = try InputShapes.binding(text) } catch let e as StrataError { throw ValidationError("--" + e.message) }
        }
    }

    /// The declared input shapes with the open dimensions filled from --input-shape.
    func statedInputShapes(_ graph: ModelGraph) throws -> [TensorShape]? {
        guard !inputShapes.isEmpty || !dims.isEmpty else { return nil }
        do { return try InputShapes.fill(graph, inputShapes, bindings: dims) } catch let e as StrataError {
            throw CommandFailure("strata: error: \(file): \(e.message.replacingOccurrences(of: "input shape ", with: "--input-shape "))", code: 2)
        }
    }

    func execute() throws {
        let graph: ModelGraph
        do {
            graph = try FormatRegistry.standard.open(file).graph
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
