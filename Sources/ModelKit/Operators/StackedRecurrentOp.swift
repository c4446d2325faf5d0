/// A recurrent operator over a stack of dense cells (one or more simple, LSTM or GRU cells;
/// cell i+1 reads cell i's outputs).
///
/// Input `(batch, time, features)`; output `(batch, units of the last cell)` or, with
/// `returnSequences`, `(batch, time, units)`; `returnState` adds every cell's states in
/// order (`h, c` for an LSTM cell, `h` otherwise), each `(batch, units)`.
/// Weights: each cell's kernel, recurrent_kernel and bias below the cell's name (and below
/// `stackName` for a stack).
/// MACs: timesteps × the sum of every cell's input and recurrent matmuls.
public struct StackedRecurrentOp: Operator {
    public var family: String { "stacked_recurrent" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    /// The sequence options (returned steps and states, direction).
    public let options: RecurrentOptions
    /// The cells, in stacking order.
    public let cells: [RecurrentCell]
    /// Name of the stack, part of the weight names; nil for a single cell.
    public let stackName: String?


    public static func baseName(_ cls: String) -> String {
        cls.split(separator: ".").last.map(String.init) ?? cls
    }


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (batch, steps, _) = try options.split(inputs, rank: 3, sourceClass)
        let last = cells[cells.count - 1]
        let main = options.outputs(batch: batch, steps: steps, stepOutput: [last.units], stateCount: 0)
        guard options.returnState else { return main }
        var states: [TensorShape] = []
        for c in cells { states += Array(repeating: TensorShape([batch, c.units]), count: c.stateCount) }
        return main + states
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let (_, _, step) = try options.split(inputs, rank: 3, sourceClass)
        guard var features = step.last ?? nil else {
            throw LayerError("\(sourceClass) needs a known feature size (last axis) of input \(inputs[0])")
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
        guard let (_, steps, step) = try? options.split(inputs, rank: 3, sourceClass),
              let steps, var features = step.last ?? nil else { return nil }
        var perStep: Int? = 0
        for c in cells {
            perStep = checkedSum([perStep, c.stepMACs(inputDim: features)])
            features = c.units
        }
        return perStep.flatMap { checkedProduct([steps, $0]) }
    }

    /// Every property, as a reader sets them.
    public init(options: RecurrentOptions, cells: [RecurrentCell], stackName: String?) {
        self.options = options
        self.cells = cells
        self.stackName = stackName
    }
}
