import ModelKit

extension StandardizeOp {
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
    }
}
