/// `StochasticDepth` of Keras's ConvNeXt (keras/src/applications/convnext.py): during training
/// drops the whole residual branch for some samples (rate `drop_path_rate`); at inference it
/// passes the input through.
///
/// Output shape = input shape; no weights. MACs: 0 (like dropout).
public struct StochasticDepth: LayerKind {
    public static let className = "StochasticDepth"
    public static let category = LayerCategory.regularization
    public static let summary = "During training randomly skips a residual branch for some samples (like dropout for whole blocks); does nothing at inference; no weights."

    public let dropPathRate: Double

    public init(config: LayerConfig) throws {
        dropPathRate = try config.double("drop_path_rate", default: 0)
        guard dropPathRate >= 0, dropPathRate <= 1 else {
            throw config.error("drop_path_rate", "must be between 0 and 1, found \(dropPathRate)")
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, Self.className)]
    }
}
