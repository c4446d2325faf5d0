/// The step function of a dense recurrent operator (a simple, LSTM or GRU cell): how many
/// gates it has, which weights it creates and what one timestep costs.
///
/// Weights are named below the cell's `name`: `<name>/kernel`, `<name>/recurrent_kernel`,
/// `<name>/bias`, in that order.
public struct RecurrentCell: Sendable, Equatable {
    /// The three dense cell types.
    public enum Gates: Sendable, Equatable {
        /// One gate: `h = act(x·W + h·U + b)`.
        case simple
        /// Four gates (input, forget, cell, output); state is `[h, c]`.
        case lstm
        /// Three gates (update, reset, candidate); `resetAfter` selects the cuDNN convention
        /// with two bias rows.
        case gru(resetAfter: Bool)
    }

    /// Which cell (and GRU bias convention).
    public let gates: Gates
    /// Size of the output and of each state.
    public let units: Int
    /// Whether the cell adds a bias.
    public let useBias: Bool
    /// The cell's own name, the middle part of its weight paths (`lstm_cell`).
    public let name: String
    /// The output activation (the candidate's, for LSTM and GRU).
    public var activation: ActivationFunction
    /// The gates' activation (LSTM and GRU).
    public var recurrentActivation: ActivationFunction

    public init(gates: Gates, units: Int, useBias: Bool, name: String,
                activation: ActivationFunction = .tanh, recurrentActivation: ActivationFunction = .sigmoid) {
        self.gates = gates
        self.units = units
        self.useBias = useBias
        self.name = name
        self.activation = activation
        self.recurrentActivation = recurrentActivation
    }

    /// Gate count: the kernel's output width is `gateCount * units`.
    public var gateCount: Int {
        switch gates {
        case .simple: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// Number of state tensors, each of shape `(batch, units)`.
    public var stateCount: Int { gates == .lstm ? 2 : 1 }

    /// Weights for a step input of `inputDim` features: kernel `(inputDim, g*units)`,
    /// recurrent kernel `(units, g*units)`, bias `(g*units,)` (a GRU with `resetAfter`:
    /// `(2, 3*units)`).
    public func weights(inputDim: Int) throws -> [WeightSpec] {
        let (width, o) = units.multipliedReportingOverflow(by: gateCount)
        guard !o else { throw LayerError("\(gateCount) gates of \(units) units overflow") }
        var out = [
            WeightSpec("\(name)/kernel", [inputDim, width]),
            WeightSpec("\(name)/recurrent_kernel", [units, width]),
        ]
        if useBias {
            if case .gru(resetAfter: true) = gates {
                out.append(WeightSpec("\(name)/bias", [2, width]))
            } else {
                out.append(WeightSpec("\(name)/bias", [width]))
            }
        }
        return out
    }

    /// MACs of one timestep at batch 1: the input and recurrent matmuls,
    /// `inputDim*g*units + units*g*units`.
    public func stepMACs(inputDim: Int) -> Int? {
        guard let a = checkedProduct([inputDim, gateCount, units]),
              let b = checkedProduct([units, gateCount, units]) else { return nil }
        return checkedSum([a, b])
    }
}
