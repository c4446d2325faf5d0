import ArgumentParser
import ModelKit
import KerasFormat
import ONNXFormat

/// `strata layers`: the layer classes Strata understands.
struct LayersCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List the Keras layer classes and ONNX op types Strata understands."
    )

    @Option(name: .long, help: ArgumentHelp("Only this format: keras or onnx.", valueName: "format"))
    var format: String?

    var sink: OutputSink = .standard
    enum CodingKeys: CodingKey { case format }

    func validate() throws {
        if let format, !["keras", "onnx"].contains(format) { throw ValidationError("--format must be keras or onnx, given \(format)") }
    }

    func execute() throws {
        var sections: [String] = []
        if format != "onnx" { sections.append(keras()) }
        if format != "keras" { sections.append(onnx()) }
        sink.out(sections.joined(separator: "\n\n"))
    }

    /// The ONNX op types the reader maps, by domain, wrapped to 100 columns.
    func onnx() -> String {
        let domains = ONNXModelFormat.supportedOps
        let total = domains.reduce(0) { $0 + $1.ops.count }
        var lines = ["\(total) ONNX op types (default-domain opsets \(ONNXModelFormat.opsets.lowerBound) to \(ONNXModelFormat.opsets.upperBound); other op types are kept with unknown shapes and a warning):"]
        for (domain, ops) in domains {
            lines.append((domain.isEmpty ? "ai.onnx (default)" : domain) + ":")
            var line = " "
            for op in ops {
                if line.count + op.count + 1 > 100 { lines.append(line); line = " " }
                line += " " + op
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    func keras() -> String {
        let kinds = LayerCatalog.classes.sorted { $0.className < $1.className }
        let width = kinds.map { $0.className.count }.max() ?? 0
        let running = kinds.filter { LayerCatalog.notRun[$0.className] == nil }.count
        var lines = ["\(kinds.count) Keras layer classes (plus Functional and Sequential models and Pipeline, layers run one after another, used as layers), \(running) of them run in the forward pass:",
                     "class".padding(toLength: width, withPad: " ", startingAt: 0) + "  runs  " + "kind".padding(toLength: 16, withPad: " ", startingAt: 0) + "what it does"]
        for k in kinds {
            let aliases = k.aliases.isEmpty ? "" : " (also read as \(k.aliases.joined(separator: ", ")))"
            let notRun = LayerCatalog.notRun[k.className].map { " Not run: \($0)." } ?? ""
            lines.append(k.className.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (notRun.isEmpty ? "yes " : "no  ") + "  "
                         + k.category.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + k.summary + aliases + notRun)
        }
        lines.append("")
        lines.append("Keras classes read only as unknown layers (kept in the graph; counted from the weights the file holds; not run):")
        for (name, reason) in LayerCatalog.knownUnsupported { lines.append("  " + name + ": " + reason) }
        return lines.joined(separator: "\n")
    }
}
