import ArgumentParser
import ModelKit
import KerasFormat

/// `strata layers`: the layer classes Strata understands.
struct LayersCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List the Keras layer classes Strata understands."
    )

    var sink: OutputSink = .standard
    enum CodingKeys: CodingKey {}

    func execute() throws {
        let kinds = LayerCatalog.classes.sorted { $0.className < $1.className }
        let width = kinds.map { $0.className.count }.max() ?? 0
        var lines = ["\(kinds.count) layer classes (plus Functional and Sequential models used as layers):"]
        for k in kinds {
            let aliases = k.aliases.isEmpty ? "" : " (also read as \(k.aliases.joined(separator: ", ")))"
            lines.append(k.className.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + k.category.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + k.summary + aliases)
        }
        sink.out(lines.joined(separator: "\n"))
    }
}
