/// Everything Strata knows about a model after analysis: one row per layer, totals,
/// structure and diagnostics. Data only; renderers turn it into text.
///
/// Codable with format-neutral snake_case keys (`ModelAnalysis+Codable.swift`); `report.json`
/// is this encoding plus the run's facts.
public struct ModelAnalysis: Sendable, Equatable {
    public struct Totals: Sendable, Equatable, Codable {
        public var params: Int?
        public var trainableParams: Int?
        public var nonTrainableParams: Int?
        public var macs: Int?
        public var weightBytes: Int?
        /// Peak bytes of live activations at batch 1 along the execution order.
        public var peakActivationBytes: Int?
        /// Layers whose parameters could not be counted (unsupported, nothing in the file);
        /// the totals leave them out.
        public var layersWithUnknownParams: [String] = []
        /// Layers whose parameters are counted but whose trainable split the file does not
        /// record (a custom layer's stored weights); with any, the model's split is unknown.
        public var layersWithUnknownSplit: [String] = []
        /// Numbers the file holds that its format's parameter count leaves out (constants
        /// computed into the graph, integer tensors), by kind, so a model whose weights sit
        /// there does not read as having none.
        public var uncountedConstants: [ConstantTally] = []

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            params = try c.decodeIfPresent(Int.self, forKey: .params)
            trainableParams = try c.decodeIfPresent(Int.self, forKey: .trainableParams)
            nonTrainableParams = try c.decodeIfPresent(Int.self, forKey: .nonTrainableParams)
            macs = try c.decodeIfPresent(Int.self, forKey: .macs)
            weightBytes = try c.decodeIfPresent(Int.self, forKey: .weightBytes)
            peakActivationBytes = try c.decodeIfPresent(Int.self, forKey: .peakActivationBytes)
            layersWithUnknownParams = try c.decodeIfPresent([String].self, forKey: .layersWithUnknownParams) ?? []
            layersWithUnknownSplit = try c.decodeIfPresent([String].self, forKey: .layersWithUnknownSplit) ?? []
            uncountedConstants = try c.decodeIfPresent([ConstantTally].self, forKey: .uncountedConstants) ?? []
        }

        enum CodingKeys: String, CodingKey {
            case params
            case trainableParams = "trainable_params"
            case nonTrainableParams = "non_trainable_params"
            case macs
            case weightBytes = "weight_bytes"
            case peakActivationBytes = "peak_activation_bytes"
            case layersWithUnknownParams = "layers_with_unknown_params"
            case layersWithUnknownSplit = "layers_with_unknown_split"
            case uncountedConstants = "uncounted_constants"
        }

        /// Every key is written; an unknown figure is `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(params, forKey: .params)
            try c.encode(trainableParams, forKey: .trainableParams)
            try c.encode(nonTrainableParams, forKey: .nonTrainableParams)
            try c.encode(macs, forKey: .macs)
            try c.encode(weightBytes, forKey: .weightBytes)
            try c.encode(peakActivationBytes, forKey: .peakActivationBytes)
            try c.encode(layersWithUnknownParams, forKey: .layersWithUnknownParams)
            try c.encode(layersWithUnknownSplit, forKey: .layersWithUnknownSplit)
            try c.encode(uncountedConstants, forKey: .uncountedConstants)
        }
    }

    /// The four honest answers to "how many layers?" (DESIGN.md, counting conventions).
    public struct LayerCounts: Sendable, Equatable, Codable {
        /// Entries of the graph's top-level list (the reader's
        /// `conventions.layerCountLabel` says what they are).
        public var topLevelLayers: Int
        /// Entries that own at least one weight.
        public var withWeights: Int
        /// Layers with a kernel (dense, convolutions, recurrent, attention), nested models opened.
        public var withKernel: Int
        /// The most kernel layers on any path from an input to an output.
        public var depth: Int

        public init(topLevelLayers: Int, withWeights: Int, withKernel: Int, depth: Int) {
            self.topLevelLayers = topLevelLayers
            self.withWeights = withWeights
            self.withKernel = withKernel
            self.depth = depth
        }

        enum CodingKeys: String, CodingKey {
            case topLevelLayers = "top_level_layers"
            case withWeights = "with_weights"
            case withKernel = "with_kernel"
            case depth
        }
    }

    /// A layer that joins branches (add, concatenate, multiply, ...).
    public struct MergePoint: Sendable, Equatable, Codable {
        public var layer: String
        /// The operator family of the join (`add`, `concatenate`, `multiply`, ...): what
        /// wording branches on.
        public var op: String
        /// The class or op type as the file names it (`Add`), for display only.
        public var className: String
        public var inputs: [String]

        public init(layer: String, op: String, className: String, inputs: [String]) {
            self.layer = layer
            self.op = op
            self.className = className
            self.inputs = inputs
        }

        enum CodingKeys: String, CodingKey {
            case layer, op
            case className = "source_class"
            case inputs
        }
    }

    /// A run of kernel layers (convolutions) that work at one spatial resolution.
    public struct ResolutionStage: Sendable, Equatable, Codable {
        /// Spatial dims (H, W) or (L) as printed, e.g. `32x32`.
        public var resolution: [Int]
        public var maxChannels: Int
        /// Kernel layers at this resolution.
        public var layers: Int

        enum CodingKeys: String, CodingKey {
            case resolution
            case maxChannels = "max_channels"
            case layers
        }
    }

    public struct Endpoint: Sendable, Equatable, Codable {
        public var layer: String
        public var shape: TensorShape?

        public init(layer: String, shape: TensorShape?) {
            self.layer = layer
            self.shape = shape
        }

        enum CodingKeys: String, CodingKey { case layer, shape }

        /// Both keys are written; an unknown shape is `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(layer, forKey: .layer)
            try c.encode(shape, forKey: .shape)
        }
    }

    public var modelName: String
    public var modelClass: String
    public var source: SourceInfo
    public var rows: [LayerRow]
    public var inputs: [Endpoint]
    public var outputs: [Endpoint]
    public var totals: Totals
    public var counts: LayerCounts
    public var merges: [MergePoint]
    public var stages: [ResolutionStage]
    public var diagnostics: [Diagnostic]
    /// Operation nodes of the graph (inline `x + y`, `multiply(x, y)`): not listed
    /// layers, so not in `rows`, but part of the data flow the diagram draws.
    public var operations: [LayerRow] = []

    /// All rows, nested ones after their model's row, depth-first.
    public var flattenedRows: [LayerRow] {
        func walk(_ rows: [LayerRow]) -> [LayerRow] { rows.flatMap { [$0] + walk($0.children) } }
        return walk(rows)
    }

    /// Leaf rows (nested models opened), the rows that do the work.
    public var leafRows: [LayerRow] {
        func walk(_ rows: [LayerRow]) -> [LayerRow] { rows.flatMap { $0.children.isEmpty ? [$0] : walk($0.children) } }
        return walk(rows)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
