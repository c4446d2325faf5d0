import ModelKit

/// One Keras layer class: its saved names, what kind of work it does, a sentence for the
/// glossary and how its config becomes an operator.
public struct KerasLayerClass: Sendable {
    /// The class name (`Conv2D`).
    public let className: String
    /// Other names the same class is saved under (Keras 2 names, old aliases).
    public let aliases: [String]
    /// What kind of work the layer does; drives counts and the explanation.
    public let category: LayerCategory
    /// One sentence for `strata layers` and the report's glossary.
    public let summary: String
    /// Decodes a config into the operator (the class name passed for messages). Errors name
    /// the key and the value.
    public let decode: @Sendable (LayerConfig, String) throws -> any Operator

    public init(_ className: String, aliases: [String] = [], category: LayerCategory, summary: String,
                decode: @escaping @Sendable (LayerConfig, String) throws -> any Operator) {
        self.className = className
        self.aliases = aliases
        self.category = category
        self.summary = summary
        self.decode = decode
    }

    /// Decodes `config` as this class.
    public func decodeOperator(_ config: LayerConfig) throws -> any Operator { try decode(config, className) }
}

/// Every layer class Strata understands, by Keras class name (the table is in
/// `KerasCatalogTable.swift`).
public enum LayerCatalog {
    /// The catalog, one entry per class.
    public static var classes: [KerasLayerClass] { table }

    /// Catalog classes the forward pass does not run, with why (the analysis still reads and
    /// counts them). `ExecutionCoverageTests` checks that every other class runs against a
    /// Keras-made fixture and that these stop with their reason.
    public static let notRun: [String: String] = [
        "RandomCrop": "at inference Keras resizes the image and crops its centre to the target size, which Strata does not do",
    ]

    /// Keras classes outside the catalog that a saved model may hold, with why they are not
    /// read as layers (they are kept in the graph with the shapes the file records).
    public static let knownUnsupported: [(className: String, reason: String)] = [
        ("Lambda", "Python code: its shapes come from the file when it records them"),
        ("MaxNumBoundingBoxes", "works on bounding-box dictionaries, not tensors"),
        ("Equalization", "equalizes only when called with training=True (at inference Keras returns its input, so a model records no node for it), which is not implemented"),
        ("TFSMLayer", "a TensorFlow SavedModel: code, not a config"), ("TorchModuleWrapper", "PyTorch code"),
        ("JaxLayer", "JAX code"), ("FlaxLayer", "Flax code"),
    ]

    /// Lookup by class name and aliases.
    public static let byName: [String: KerasLayerClass] = {
        var table: [String: KerasLayerClass] = [:]
        for entry in LayerCatalog.table {
            table[entry.className] = entry
            for alias in entry.aliases { table[alias] = entry }
        }
        return table
    }()

    /// The class for a saved class name (`keras.layers.Conv2D` and `Conv2D` both resolve).
    public static func kind(named className: String) -> KerasLayerClass? {
        if let k = byName[className] { return k }
        if let dot = className.lastIndex(of: ".") { return byName[String(className[className.index(after: dot)...])] }
        return nil
    }

    /// Class names for `strata layers`, sorted.
    public static var classNames: [String] { table.map(\.className).sorted() }
}

/// `op` with `sourceClass` set to the class name.
func named<T: Operator>(_ op: T, _ className: String) -> T {
    var op = op
    op.sourceClass = className
    return op
}
