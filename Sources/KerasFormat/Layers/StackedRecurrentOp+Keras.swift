import ModelKit

extension StackedRecurrentOp {
    /// The generic recurrent layer `keras.layers.RNN(cell)` (keras/src/layers/rnn/rnn.py and
    /// stacked_rnn_cells.py) with one of Keras's own cells (`SimpleRNNCell`, `LSTMCell`,
    /// `GRUCell`) or a `StackedRNNCells` of them, whose name prefixes the weights. A custom cell
    /// class is an error naming it.
    public init(config: LayerConfig) throws {
        var options: RecurrentOptions
        var cells: [RecurrentCell]
        var stackName: String?
        options = try RecurrentOptions(config: config)
        let cellObject = try config.nested("cell")
        guard let cls = cellObject["class_name"]?.stringValue, let inner = cellObject["config"]?.objectValue else {
            throw config.error("cell", "expected a serialized cell with \"class_name\" and \"config\"")
        }
        let cellConfig = LayerConfig(object: inner, path: "\(config.path).cell.config", layerName: config.layerName, isKeras2: config.isKeras2)
        if StackedRecurrentOp.baseName(cls) == "StackedRNNCells" {
            stackName = inner["name"]?.stringValue ?? "stacked_rnn_cells"
            guard let list = inner["cells"]?.arrayValue, !list.isEmpty else {
                throw cellConfig.error("cells", "expected a non-empty list of cells")
            }
            cells = try list.enumerated().map { i, v in
                guard let o = v.objectValue else { throw cellConfig.error("cells[\(i)]", "expected a serialized cell, found \(v.brief)") }
                return try StackedRecurrentOp.cell(o, outer: cellConfig, key: "cells[\(i)]")
            }
        } else {
            stackName = nil
            cells = [try StackedRecurrentOp.cell(cellObject, outer: config, key: "cell")]
        }
        self.init(options: options, cells: cells, stackName: stackName)
    }

    static func cell(_ object: JSONObject, outer: LayerConfig, key: String) throws -> RecurrentCell {
        guard let cls = object["class_name"]?.stringValue, let inner = object["config"]?.objectValue else {
            throw outer.error(key, "expected a serialized cell with \"class_name\" and \"config\"")
        }
        let c = LayerConfig(object: inner, path: "\(outer.path).\(key).config", layerName: outer.layerName, isKeras2: outer.isKeras2)
        let gates: RecurrentCell.Gates
        switch baseName(cls) {
        case "SimpleRNNCell": gates = .simple
        case "LSTMCell": gates = .lstm
        case "GRUCell": gates = .gru(resetAfter: try c.bool("reset_after", default: true))
        default:
            throw outer.error("\(key).class_name", "the RNN cell has class \"\(cls)\", which Strata does not know (known: SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells)")
        }
        let name = inner["name"]?.stringValue ?? WrappedLayer.defaultName(baseName(cls))
        return try KerasRecurrent.cell(c, gates: gates, name: name)
    }
}
