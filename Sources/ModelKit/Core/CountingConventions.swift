/// How a format's own tools count and name things, as sentences and labels the reader
/// supplies: the report states them beside the figures instead of assuming one format's
/// habits. Every text here comes from the reader of the model's format.
public struct CountingConventions: Sendable, Hashable, Codable {
    /// The format as users name it (`ONNX`).
    public var formatName: String
    /// What one entry of the graph's top-level list is called in the format's tools, with its
    /// definition (`nodes of the ONNX graph`).
    public var layerCountLabel: String
    /// One or two sentences on how parameters are counted (which tensors count, which are
    /// trainable), printed under the totals.
    public var parameterNote: String
    /// How the format's tools print an unknown dimension (`None`, `?`).
    public var unknownDimension: String

    public init(formatName: String, layerCountLabel: String, parameterNote: String, unknownDimension: String) {
        self.formatName = formatName
        self.layerCountLabel = layerCountLabel
        self.parameterNote = parameterNote
        self.unknownDimension = unknownDimension
    }

    /// Nothing known about the format (a graph built by hand).
    public static let unspecified = CountingConventions(
        formatName: "graph", layerCountLabel: "layers (entries of the graph)",
        parameterNote: "Parameters are the elements of every weight tensor.", unknownDimension: "?")
}
