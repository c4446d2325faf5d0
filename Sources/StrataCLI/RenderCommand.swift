import ArgumentParser
import Foundation
import ModelKit
import Reporting

/// `strata render FILE [--out DIR] [--format pdf,svg,png]`: the PDF and pictures of one model.
struct RenderCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write a model's PDF report and SVG/PNG pictures (layer diagram, parameter chart).",
        discussion: """
        Writes report.pdf (summary, explanation, layer diagram, parameter chart, layer table), \
        diagram.svg and params.svg, and with --format png also diagram.png and params.png. \
        Exit codes: 0 written; 1 the model could not be read or the files not written; 2 usage error.
        """
    )

    @Argument(help: "A model: Keras .json (Keras 3 or 2), .keras archive, Keras 2 .h5, or ONNX .onnx.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Folder for the files (default: Output/<file name without extension>).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated: pdf, svg, png.", valueName: "formats"))
    var format: String = "pdf,svg"

    @Option(name: .long, help: ArgumentHelp("Diagram flow: TB (top to bottom) or LR (left to right).", valueName: "TB|LR"))
    var direction: String = "TB"

    @Flag(name: .long, help: "Fold runs of identical blocks in the diagram into one box marked ×N.")
    var collapse = false

    @Option(name: .long, help: ArgumentHelp("For a model built from repeated blocks: blocks (an overview and one diagram per block type) or full (every layer as well).", valueName: "blocks|full"))
    var detail: String = "blocks"

    @Flag(name: .customLong("no-shapes"), help: "Leave output shapes out of the diagram boxes.")
    var noShapes = false

    @Option(name: .long, help: ArgumentHelp("Run date written into the PDF (ISO 8601); default: now.", valueName: "date"))
    var date: String?

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case file, out, format, direction, collapse, detail, noShapes, date, timeout }

    func formats() throws -> Set<ModelRenderer.Format> {
        var set = Set<ModelRenderer.Format>()
        for part in format.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let f = ModelRenderer.Format(rawValue: name) else {
                throw ValidationError("--format \"\(format)\": unknown format \"\(name)\"; choose from pdf, svg, png")
            }
            set.insert(f)
        }
        guard !set.isEmpty else { throw ValidationError("--format is empty; choose from pdf, svg, png") }
        return set
    }

    func validate() throws {
        _ = try formats()
        guard LayoutGraph.Direction(rawValue: direction.uppercased()) != nil else {
            throw ValidationError("--direction \"\(direction)\": expected TB or LR")
        }
        guard DiagramOptions.Detail(rawValue: detail.lowercased()) != nil else {
            throw ValidationError("--detail \"\(detail)\": expected blocks or full")
        }
    }

    static func isoNow() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    func execute() throws {
        let graph: ModelGraph
        do { graph = try FormatRegistry.standard.open(file).graph } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
        let analysis = Analyzer.analyze(graph)
        let doc = ReportDocument(analysis: analysis, generatedAt: date ?? Self.isoNow())
        var options = DiagramOptions()
        options.direction = LayoutGraph.Direction(rawValue: direction.uppercased()) ?? .topToBottom
        options.showShapes = !noShapes
        options.collapseRepeatedBlocks = collapse
        options.detail = DiagramOptions.Detail(rawValue: detail.lowercased()) ?? .blocks
        let renderer = ModelRenderer(formats: try formats(), diagram: options)
        let folder = out ?? ("Output" as NSString).appendingPathComponent(((file as NSString).lastPathComponent as NSString).deletingPathExtension)
        do {
            let output = try renderer.render(doc)
            let written = try ModelRenderer.write(output, to: folder)
            for d in output.diagnostics + analysis.diagnostics where d.severity >= .warning {
                sink.error("strata: \(d.severity.rawValue): \(d.message)")
            }
            sink.out(written.map { path in
                path.hasSuffix(".pdf") ? "\(path) (\(output.pageCount) pages)" : path
            }.joined(separator: "\n"))
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
    }
}
