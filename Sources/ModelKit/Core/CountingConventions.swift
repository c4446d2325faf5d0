/// How a format's own tools count and name things, as sentences and labels the reader
/// supplies: the report states them beside the figures instead of assuming one format's
/// habits. Every text here comes from the reader of the model's format; the report adds
/// only figures and format-neutral words around them.
///
/// Encodes with snake_case keys (`format_name`, `layer_count_label`, ...); a sentence the
/// format does not have is `null`.
public struct CountingConventions: Sendable, Hashable, Codable {
    /// The format as users name it (`ONNX`).
    public var formatName: String
    /// What one entry of the graph's top-level list is called in the format's tools, with its
    /// definition (`nodes of the ONNX graph`).
    public var layerCountLabel: String
    /// The same count defined as a sentence fragment for a table of definitions
    /// (`nodes: the entries of graph.node`).
    public var layerCountDefinition: String
    /// One sentence on what the format calls a layer, printed after the count (that it is
    /// any step of the computation, not a layer in the textbook sense). Nil: nothing to add.
    public var layerTermNote: String?
    /// Said in brackets after the layer count when a model input is not among the listed
    /// layers (the graph says so, not the model's class): why the format hides it. Nil:
    /// nothing said.
    public var unlistedInputNote: String?
    /// One or two sentences on how parameters are counted (which tensors count, which are
    /// trainable), printed under the totals.
    public var parameterNote: String
    /// The same in a few words, beside the parameter total (how many numbers a batch
    /// normalization holds per channel in this count).
    public var parameterShortNote: String
    /// What the non-trainable parameters are, beside their total (moving statistics, frozen
    /// layers).
    public var nonTrainableNote: String
    /// How the format counts a batch normalization's numbers, printed before the model's own
    /// batch-normalization figures when it has such layers. Nil: no such paragraph.
    public var batchNormalizationNote: String?
    /// How other tools count the same, printed after those figures. Nil: nothing said.
    public var batchNormalizationComparison: String?
    /// How the format's tools print an unknown dimension (`None`, `?`).
    public var unknownDimension: String
    /// The count of layers with a kernel, with what the format calls those layers.
    public var kernelCountLabel: String
    /// What one entry of the graph is called in running text (`layer`, `node`).
    public var unitName: String = "layer"
    /// True when the format's own tools count a layer's bias as one more addition per output
    /// value (onnx-tool does; Strata's own count, used where the format has none, does not).
    public var biasAddsInMACs: Bool = false

    /// The conventions of a format; the sentences it does not give default to plain
    /// wording built from `formatName` and `layerCountLabel`.
    public init(formatName: String, layerCountLabel: String, layerCountDefinition: String? = nil,
                layerTermNote: String? = nil, unlistedInputNote: String? = nil, parameterNote: String,
                parameterShortNote: String? = nil, nonTrainableNote: String? = nil,
                batchNormalizationNote: String? = nil, batchNormalizationComparison: String? = nil,
                unknownDimension: String, kernelCountLabel: String? = nil) {
        self.formatName = formatName
        self.layerCountLabel = layerCountLabel
        self.layerCountDefinition = layerCountDefinition ?? layerCountLabel
        self.layerTermNote = layerTermNote
        self.unlistedInputNote = unlistedInputNote
        self.parameterNote = parameterNote
        self.parameterShortNote = parameterShortNote ?? "\(formatName)'s count"
        self.nonTrainableNote = nonTrainableNote ?? "kept out of the optimizer"
        self.batchNormalizationNote = batchNormalizationNote
        self.batchNormalizationComparison = batchNormalizationComparison
        self.unknownDimension = unknownDimension
        self.kernelCountLabel = kernelCountLabel
            ?? "layers with a kernel (dense, convolution, recurrent and attention nodes; nested graphs opened)"
    }

    /// Nothing known about the format (a graph built by hand).
    public static let unspecified = CountingConventions(
        formatName: "graph", layerCountLabel: "layers (entries of the graph)",
        parameterNote: "Parameters are the elements of every weight tensor.", unknownDimension: "?")

    enum CodingKeys: String, CodingKey {
        case formatName = "format_name"
        case layerCountLabel = "layer_count_label"
        case layerCountDefinition = "layer_count_definition"
        case layerTermNote = "layer_term_note"
        case unlistedInputNote = "unlisted_input_note"
        case parameterNote = "parameter_note"
        case parameterShortNote = "parameter_short_note"
        case nonTrainableNote = "non_trainable_note"
        case batchNormalizationNote = "batch_normalization_note"
        case batchNormalizationComparison = "batch_normalization_comparison"
        case unknownDimension = "unknown_dimension"
        case kernelCountLabel = "kernel_count_label"
        case unitName = "unit_name"
        case biasAddsInMACs = "bias_adds_in_macs"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatName = try c.decode(String.self, forKey: .formatName)
        layerCountLabel = try c.decode(String.self, forKey: .layerCountLabel)
        layerCountDefinition = try c.decode(String.self, forKey: .layerCountDefinition)
        layerTermNote = try c.decodeIfPresent(String.self, forKey: .layerTermNote)
        unlistedInputNote = try c.decodeIfPresent(String.self, forKey: .unlistedInputNote)
        parameterNote = try c.decode(String.self, forKey: .parameterNote)
        parameterShortNote = try c.decode(String.self, forKey: .parameterShortNote)
        nonTrainableNote = try c.decode(String.self, forKey: .nonTrainableNote)
        batchNormalizationNote = try c.decodeIfPresent(String.self, forKey: .batchNormalizationNote)
        batchNormalizationComparison = try c.decodeIfPresent(String.self, forKey: .batchNormalizationComparison)
        unknownDimension = try c.decode(String.self, forKey: .unknownDimension)
        kernelCountLabel = try c.decode(String.self, forKey: .kernelCountLabel)
        unitName = try c.decodeIfPresent(String.self, forKey: .unitName) ?? "layer"
        biasAddsInMACs = try c.decodeIfPresent(Bool.self, forKey: .biasAddsInMACs) ?? false
    }

    /// Every key is written, a missing sentence as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatName, forKey: .formatName)
        try c.encode(layerCountLabel, forKey: .layerCountLabel)
        try c.encode(layerCountDefinition, forKey: .layerCountDefinition)
        try c.encode(layerTermNote, forKey: .layerTermNote)
        try c.encode(unlistedInputNote, forKey: .unlistedInputNote)
        try c.encode(parameterNote, forKey: .parameterNote)
        try c.encode(parameterShortNote, forKey: .parameterShortNote)
        try c.encode(nonTrainableNote, forKey: .nonTrainableNote)
        try c.encode(batchNormalizationNote, forKey: .batchNormalizationNote)
        try c.encode(batchNormalizationComparison, forKey: .batchNormalizationComparison)
        try c.encode(unknownDimension, forKey: .unknownDimension)
        try c.encode(kernelCountLabel, forKey: .kernelCountLabel)
        try c.encode(unitName, forKey: .unitName)
        try c.encode(biasAddsInMACs, forKey: .biasAddsInMACs)
    }
}
