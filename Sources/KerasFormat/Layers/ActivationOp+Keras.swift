import ModelKit

extension ActivationOp {
    /// `Activation(activation=...)`: the key is required; null means linear.
    public init(config: LayerConfig) throws {
        guard config.has("activation") else { throw config.error("activation", "missing key \"activation\"") }
        self.init(function: Activations.function(try Activations.validate(config) ?? "linear", isKeras2: config.isKeras2))
    }
}
