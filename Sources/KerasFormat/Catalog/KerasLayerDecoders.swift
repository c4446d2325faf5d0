import ModelKit

/// Keras classes that are an identity at inference (dropout, noise, stochastic depth): their
/// configs are still checked as Keras checks them, so a damaged file is reported.
enum KerasPassthrough {
    static func dropout(_ config: LayerConfig, _ n: String) throws -> any Operator {
        _ = try DropoutRate.read(config, default: 0.5)
        let noiseShape = try config.shape("noise_shape")
        if let bad = noiseShape?.first(where: { $0 != nil && $0! <= 0 }) {
            throw config.error("noise_shape", "dimensions must be positive or null, found \(bad!)")
        }
        return PassthroughOp(category: .regularization, sourceClass: n)
    }

    static func spatialDropout(_ config: LayerConfig, spatialRank: Int, _ n: String) throws -> any Operator {
        _ = try DropoutRate.read(config, default: 0.5)
        _ = try config.channelsFirst()
        return PassthroughOp(category: .regularization, requiredRank: spatialRank + 2, sourceClass: n)
    }

    static func gaussianNoise(_ config: LayerConfig, _ n: String) throws -> any Operator {
        guard config.has("stddev") else { throw config.error("stddev", "missing key \"stddev\"") }
        let stddev = try config.double("stddev", default: 0)
        guard stddev >= 0, config.isKeras2 || stddev <= 1 else {
            throw config.error("stddev", "must be between 0 and 1, found \(stddev)")
        }
        return PassthroughOp(category: .regularization, sourceClass: n)
    }

    static func gaussianDropout(_ config: LayerConfig, _ n: String) throws -> any Operator {
        _ = try DropoutRate.read(config, default: 0)
        return PassthroughOp(category: .regularization, sourceClass: n)
    }

    static func alphaDropout(_ config: LayerConfig, _ n: String) throws -> any Operator {
        _ = try DropoutRate.read(config, default: 0)
        return PassthroughOp(category: .regularization, sourceClass: n)
    }

    static func activityRegularization(_ config: LayerConfig, _ n: String) throws -> any Operator {
        _ = try config.double("l1", default: 0)
        _ = try config.double("l2", default: 0)
        return PassthroughOp(category: .regularization, sourceClass: n)
    }

    static func stochasticDepth(_ config: LayerConfig, _ n: String) throws -> any Operator {
        let rate = try config.double("drop_path_rate", default: 0)
        guard rate >= 0, rate <= 1 else {
            throw config.error("drop_path_rate", "must be between 0 and 1, found \(rate)")
        }
        return PassthroughOp(category: .regularization, sourceClass: n)
    }
}

/// The activation layer classes that are one fixed function.
enum KerasActivationLayers {
    /// `LeakyReLU`: `negative_slope` (Keras 3) or `alpha` (Keras 2), default 0.3.
    static func leakyReLU(_ config: LayerConfig, _ n: String) throws -> any Operator {
        let key = config.has("negative_slope") || !config.has("alpha") ? "negative_slope" : "alpha"
        let slope = try config.double(key, default: 0.3)
        guard slope >= 0 else { throw config.error(key, "cannot be negative, found \(slope)") }
        return ActivationOp(function: .leakyReLU(slope: slope), sourceClass: n)
    }

    /// `ELU`: `alpha`, default 1.
    static func elu(_ config: LayerConfig, _ n: String) throws -> any Operator {
        ActivationOp(function: .elu(alpha: try config.double("alpha", default: 1.0)), sourceClass: n)
    }
}

/// SimpleRNN, LSTM and GRU, and the cells of the generic RNN (keras/src/layers/rnn/simple_rnn.py,
/// lstm.py, gru.py). The `*Cell.build` methods give the weights, which Keras 3 paths below the
/// layer as `lstm_cell/kernel`, `lstm_cell/recurrent_kernel`, `lstm_cell/bias`; the
/// `*Cell.call` methods give the formulas the engine runs (gate order LSTM i, f, c, o; GRU
/// z (update), r (reset), h; `reset_after` selects the cuDNN convention with two bias rows).
enum KerasRecurrent {
    static func layer(_ config: LayerConfig, gates: RecurrentCell.Gates, cellName: String, _ n: String) throws -> any Operator {
        RecurrentOp(options: try RecurrentOptions(config: config),
                    cell: try cell(config, gates: gates, name: cellName), sourceClass: n)
    }

    /// A cell from the layer's (or the cell's own) config: units, bias and the activations,
    /// which are Keras's defaults (tanh, sigmoid) when absent and linear when saved as null.
    static func cell(_ config: LayerConfig, gates: RecurrentCell.Gates, name: String) throws -> RecurrentCell {
        RecurrentCell(gates: gates, units: try config.positiveInt("units"),
                      useBias: try config.bool("use_bias", default: true), name: name,
                      activation: try activation(config, "activation", default: .tanh),
                      recurrentActivation: try activation(config, "recurrent_activation", default: .sigmoid))
    }

    static func activation(_ config: LayerConfig, _ key: String, default def: ActivationFunction) throws -> ActivationFunction {
        guard config[key] != nil else { return def }
        guard let name = try config.activationName(key) else { return .linear }
        return Activations.function(name, isKeras2: config.isKeras2)
    }
}
