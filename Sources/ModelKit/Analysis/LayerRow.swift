/// One row of the analysis: one entry of the graph's top-level list (the layers the
/// format's own tools list).
/// Codable with format-neutral keys (`LayerRow+Codable.swift`).
public struct LayerRow: Sendable, Equatable {
    /// Every figure of a row, as the analysis (or a view derived from it) fills them.
    public init(name: String, className: String, category: LayerCategory, supported: Bool, outputShapes: [TensorShape?],
                callOutputShapes: [[TensorShape?]], weights: [WeightSpec], params: Int?, trainableParams: Int?,
                nonTrainableParams: Int?, weightBytes: Int?, macs: Int?, outputBytes: Int?, inputsPerCall: [[TensorSource]],
                children: [LayerRow], trainable: Bool) {
        self.name = name
        self.className = className
        self.category = category
        self.supported = supported
        self.outputShapes = outputShapes
        self.callOutputShapes = callOutputShapes
        self.weights = weights
        self.params = params
        self.trainableParams = trainableParams
        self.nonTrainableParams = nonTrainableParams
        self.weightBytes = weightBytes
        self.macs = macs
        self.outputBytes = outputBytes
        self.inputsPerCall = inputsPerCall
        self.children = children
        self.trainable = trainable
    }

    public var name: String
    /// The class or op type as the file names it (`Conv`), for display only.
    public var className: String
    /// The operator family the node applies (`convolution`, `batch_normalization`, `add`,
    /// `concatenate`, `input`, `model` for a nested model): what wording and counts branch on.
    public var op: String = ""
    public var category: LayerCategory
    public var supported: Bool
    /// Output shapes of the first call (what `model.summary()` shows); nil entries are unknown.
    public var outputShapes: [TensorShape?]
    /// Output shapes of every call.
    public var callOutputShapes: [[TensorShape?]]
    /// Weight tensors with the trainable flag as the format reports it (a frozen layer's are all
    /// non-trainable). Empty for a nested model: its rows hold them.
    public var weights: [WeightSpec]
    /// Parameter counts; nil when a size overflows or is unknown.
    public var params: Int?
    public var trainableParams: Int?
    public var nonTrainableParams: Int?
    /// Bytes of this layer's weights in their dtypes.
    public var weightBytes: Int?
    /// Multiply-accumulates over all calls at batch 1; nil when unknown.
    public var macs: Int?
    /// Bytes of the first call's outputs at batch 1.
    public var outputBytes: Int?
    /// For each call, the tensors it reads: the producing layer, which call of it (a shared
    /// layer's second output is call 1) and which of that call's outputs.
    public var inputsPerCall: [[TensorSource]]

    /// Names of the layers feeding each call.
    public var inboundPerCall: [[String]] { inputsPerCall.map { $0.map(\.layer) } }
    /// Rows of a nested model's own layers.
    public var children: [LayerRow]
    /// For a nested model: the names of its own layers at its inputs and outputs, in order
    /// (an input may name a hidden input node that has no row).
    public var modelInputs: [String] = []
    public var modelOutputs: [String] = []
    public var trainable: Bool
    /// True for an operation node (`x + y` written inline in model code): drawn in the diagram,
    /// not an entry of `model.layers`, so not in tables or counts.
    public var isOperation: Bool = false
    /// The module of the original model this row belongs to, outermost first, as the names
    /// the exporter gave the nodes say (`["layer1", "layer1.0", "conv1"]`); empty when the
    /// names say nothing.
    public var module: [String] = []
    /// The first output carries a padding mask (which time steps are real), as the format's
    /// framework propagates it (`MaskRule`).
    public var mask: Bool = false
    /// A nested model's operation nodes (its `children` hold its layers).
    public var operations: [LayerRow] = []

    /// Layer names feeding any call, in order, without repeats.
    public var inbound: [String] {
        var seen = Set<String>()
        return inboundPerCall.flatMap { $0 }.filter { seen.insert($0).inserted }
    }

    public var calls: Int { callOutputShapes.count }
    public var ownsWeights: Bool { (params ?? 1) > 0 }
}

/// One tensor a call reads, named by the layer that makes it.
public struct TensorSource: Sendable, Hashable, Codable {
    public var layer: String
    public var call: Int
    public var tensor: Int

    public init(layer: String, call: Int = 0, tensor: Int = 0) {
        self.layer = layer
        self.call = call
        self.tensor = tensor
    }
}
