import ModelKit

extension DropoutRate {
    /// Reads `rate` (`def` when it is null); an error names the key when it is missing or out of [0, 1].
    /// The `rate` of the dropout layers (`Dropout`, `SpatialDropout1D/2D/3D`,
    /// `GaussianDropout`, `AlphaDropout`) is required, a fraction in [0, 1]
    /// (keras/src/layers/regularization/dropout.py and its siblings check it the same way).
    public static func read(_ config: LayerConfig, default def: Double) throws -> Double {
        guard config.has("rate") else { throw config.error("rate", "missing key \"rate\"") }
        let rate = try config.double("rate", default: def)
        guard rate >= 0, rate <= 1 else { throw config.error("rate", "must be between 0 and 1, found \(rate)") }
        return rate
    }
}
