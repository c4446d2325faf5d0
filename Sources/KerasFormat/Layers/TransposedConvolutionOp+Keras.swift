import ModelKit

extension TransposedConvolutionOp {
    public init(config: LayerConfig, rank: Int, className: String) throws {
        var geometry: ConvolutionGeometry
        var filters: Int
        var outputPadding: [Int]?
        var useBias: Bool
        var activation: ActivationFunction
        geometry = try ConvolutionGeometry(config: config, rank: rank, className: className)
        filters = try config.positiveInt("filters")
        if config.has("output_padding") {
            let op = try config.intTuple("output_padding", count: rank, minimum: 0)
            for (axis, (p, s)) in zip(op, geometry.strides).enumerated() where p >= s {
                throw config.error("output_padding", "must be less than strides on every axis; axis \(axis) has output_padding \(p) and strides \(s) (output_padding=\(op), strides=\(geometry.strides))")
            }
            outputPadding = op
        } else {
            outputPadding = nil
        }
        useBias = try config.bool("use_bias", default: true)
        activation = try Activations.function(config)
        self.init(geometry: geometry, filters: filters, outputPadding: outputPadding, useBias: useBias, activation: activation)
    }
}
