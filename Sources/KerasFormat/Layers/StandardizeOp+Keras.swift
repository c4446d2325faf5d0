import ModelKit

extension StandardizeOp {
    /// Normalization, the preprocessing layer (keras/src/layers/preprocessing/normalization.py,
    /// `build`): `axis` is an int, a list (Keras 3 saves `[-1]`) or null (one statistic for
    /// everything). `mean` and `variance` in the config (both or neither) fix the statistics;
    /// otherwise they come from `adapt()` and `build` creates `mean`, `variance` and `count`
    /// (int64 under TensorFlow), all counted by Keras's `count_params`. The engine computes
    /// `call`: `(x - mean) / max(sqrt(variance), 1e-7)`, or with `invert`
    /// `mean + x * max(sqrt(variance), 1e-7)`.
    public init(config: LayerConfig) throws {
        var axes: [Int]
        var hasGivenStatistics: Bool
        if config.has("axis") {
            guard let list = try? config.intList("axis") else {
                throw config.error("axis", "expected a whole number, a list of whole numbers or null, found \(config["axis"]!.brief)")
            }
            axes = list
        } else if config["axis"] == nil {
            axes = [-1]
        } else {
            axes = []
        }
        let hasMean = config.has("mean"), hasVariance = config.has("variance")
        guard hasMean == hasVariance else {
            throw config.error(hasMean ? "variance" : "mean", "both \"mean\" and \"variance\" must be given, or neither")
        }
        hasGivenStatistics = hasMean
        self.init(axes: axes, hasGivenStatistics: hasGivenStatistics)
        if hasGivenStatistics {
            mean = try KerasConstants.numbers(config, "mean", default: 0)
            variance = try KerasConstants.numbers(config, "variance", default: 1)
        }
        invert = config["invert"]?.boolValue ?? false
    }
}
