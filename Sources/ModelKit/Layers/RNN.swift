/// The generic recurrent layer `keras.layers.RNN(cell)` with one of Keras's own cells
/// (`SimpleRNNCell`, `LSTMCell`, `GRUCell`) or a `StackedRNNCells` of them.
///
/// Input `(batch, time, features)`; output `(batch, units of the last cell)` or, with
/// `return_sequences`, `(batch, time, units)`; `return_state` adds every cell's states in
/// order (`h, c` for an LSTM cell, `h` otherwise), each `(batch, units)`.
/// Weights: each cell's kernel, recurrent_kernel and bias below the cell's name (and the
/// stack's name for stacked cells); cell i+1 reads cell i's output.
/// MACs: timesteps × the sum of every cell's input and recurrent matmuls.
/// Custom cell classes are not supported (decoding throws, naming the class).
/// Upstream: keras/src/layers/rnn/rnn.py and stacked_rnn_cells.py.
public struct RNN: LayerKind {
    public static let className = "RNN"
    public static let category = LayerCategory.kernel
    public static let summary = "A recurrent layer built from one or more step cells (simple, LSTM or GRU) run along a sequence; owns each cell's kernels and biases."

    /// The shared RNN options (`return_sequences`, `return_state`, ...).
    public let options: RecurrentOptions
    /// The cells, in stacking order.
    public let cells: [RecurrentCell]
    /// Name of the `StackedRNNCells` wrapper, part of the weight names; nil for a single cell.
    public let stackName: String?

    public init(config: LayerConfig) throws {
        options = try RecurrentOptions(config: config)
        let cellObject = try config.nested("cell")
        guard let cls = cellObject["class_name"]?.stringValue, let inner = cellObject["config"]?.objectValue else {
            throw config.error("cell", "expected a serialized cell with \"class_name\" and \"config\"")
        }
        let cellConfig = LayerConfig(object: inner, path: "\(config.path).cell.config", layerName: config.layerName, isKeras2: config.isKeras2)
        if RNN.baseName(cls) == "StackedRNNCells" {
            stackName = inner["name"]?.stringValue ?? "stacked_rnn_cells"
            guard let list = inner["cells"]?.arrayValue, !list.isEmpty else {
                throw cellConfig.error("cells", "expected a non-empty list of cells")
            }
            cells = try list.enumerated().map { i, v in
                guard let o = v.objectValue else { throw cellConfig.error("cells[\(i)]", "expected a serialized cell, found \(v.brief)") }
                return try RNN.cell(o, outer: cellConfig, key: "cells[\(i)]")
            }
        } else {
            stackName = nil
            cells = [try RNN.cell(cellObject, outer: config, key: "cell")]
        }
    }

    static func baseName(_ cls: String) -> String {
        cls.split(separator: ".").last.map(String.init) ?? cls
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
        return RecurrentCell(gates: gates, units: try c.positiveInt("units"), useBias: try c.bool("use_bias", default: true), name: name)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (batch, steps, _) = try options.split(inputs, rank: 3, Self.className)
        let last = cells[cells.count - 1]
        let main = options.outputs(batch: batch, steps: steps, stepOutput: [last.units], stateCount: 0)
        guard options.returnState else { return main }
        var states: [TensorShape] = []
        for c in cells { states += Array(repeating: TensorShape([batch, c.units]), count: c.stateCount) }
        return main + states
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (_, _, step) = try options.split(inputs, rank: 3, Self.className)
        guard var features = step.last ?? nil else {
            throw LayerError("RNN needs a known feature size (last axis) of input \(inputs[0])")
        }
        var out: [WeightSpec] = []
        for c in cells {
            out += try c.weights(inputDim: features).map { w in
                var w = w
                if let stackName { w.name = "\(stackName)/\(w.name)" }
                return w
            }
            features = c.units
        }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let (_, steps, step) = try? options.split(inputs, rank: 3, Self.className),
              let steps, var features = step.last ?? nil else { return nil }
        var perStep: Int? = 0
        for c in cells {
            perStep = checkedSum([perStep, c.stepMACs(inputDim: features)])
            features = c.units
        }
        return perStep.flatMap { checkedProduct([steps, $0]) }
    }
}
