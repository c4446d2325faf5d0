import Tensors

/// What a format makes of a file from its first bytes.
public enum FormatSniff: Sendable, Equatable {
    /// A model of this format (its content says so).
    case model
    /// A file with this format's extension that is not a model (a weights-only file, a JSON
    /// file that is not a model description), with the reason the index shows.
    case notModel(String)
    /// Not this format's file.
    case notMine
}

/// One model format's reader: which files are its models, and how to open one into the
/// neutral graph. The registry in StrataCLI lists the formats; discovery and every command
/// ask it, never a reader directly.
public protocol ModelFormat: Sendable {
    /// Short id (`onnx`).
    var id: String { get }
    /// The format as users name it (`ONNX`).
    var displayName: String { get }
    /// File extensions it reads, lower case without the dot, in the order messages list them.
    var fileExtensions: [String] { get }
    /// Whether the file at `path`, whose first bytes are `head` (up to 64 KiB), is its model.
    func sniff(path: String, head: [UInt8]) -> FormatSniff
    /// Opens the file once: the graph is read now; weights when asked. Errors name the file,
    /// the place in it and the values.
    func open(path: String) throws -> any OpenedModel
}

/// A model file opened by its format's reader.
public protocol OpenedModel {
    var path: String { get }
    /// The graph, with `source.conventions` saying how the format counts.
    var graph: ModelGraph { get }
    /// True when the file holds trained weights; false when `weights` initialises them.
    var holdsWeights: Bool { get }
    /// The weights the engine takes, keyed by layer path in each operator's canonical
    /// layout and order: from the file (checked against `analysis`, the analysis of `graph`),
    /// or, for a file without weights, initialised from `seed` as the format's initializers
    /// say. Reads the file's weights at most once per call.
    func weights(analysis: ModelAnalysis, seed: UInt64) throws -> WeightSet
}

/// A model's weights in memory, ready for the engine.
public struct WeightSet: Sendable {
    /// Tensors per layer path (`conv1`, `encoder/dense`), in each operator's weight order.
    public var tensors: [String: [Tensor]]
    /// Problems that do not stop a run (non-finite values), with the layer and weight named.
    public var diagnostics: [Diagnostic]
    /// True when the values were initialised from a seed rather than read.
    public var seeded: Bool

    public init(tensors: [String: [Tensor]], diagnostics: [Diagnostic] = [], seeded: Bool) {
        self.tensors = tensors
        self.diagnostics = diagnostics
        self.seeded = seeded
    }

    /// Number of values held.
    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }
}
