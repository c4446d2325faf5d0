/// One node group of the graph: an operator applied by one or more calls. A format whose
/// layer objects are called several times (shared layers) has one `Layer` with several
/// calls, which is what the layer counts count; a format whose nodes are applied once has
/// one call per `Layer`. A nested model or control-flow body is a layer whose operator is a
/// `SubgraphOp`.
public struct Layer: Sendable {
    public var name: String
    /// The class or op type as the file names it (`Conv`): display only.
    public var className: String
    /// `registered_name` when the file has one (custom layers: `my_package>MyLayer`).
    public var registeredName: String?
    /// What the node computes.
    public var kind: any Operator
    public var trainable: Bool
    /// The layer's dtype policy.
    public var dtype: DType
    /// Each call's tensor arguments, flattened in call order.
    public var calls: [[TensorRef]]
    /// Where the layer is in its file, e.g. `config.layers[3]`.
    public var path: String
    /// False for a node the format's own tools do not list (an input the format hides): it
    /// gets no row and is not counted.
    public var listed: Bool
    /// Output shapes recorded in the file for each call, when the file has them (some formats
    /// records the shapes of tensors passed on), used for layers Strata cannot infer.
    public var recordedOutputShapes: [[TensorShape]]
    /// The reader's own record of the node (the saved configuration object): opaque to the
    /// core and the engine, read back only by the reader that wrote it (to initialise weights
    /// a file does not hold).
    public var config: JSONObject
    /// Mask tensors given to the first call, by argument name and producing layer. They are
    /// not among `calls` (they do not change shapes) but they change values, so the engine
    /// must see that a call had one.
    public var callMasks: [(argument: String, layer: String)] = []
    /// How the layer treats a padding mask (set by a reader whose format has masks).
    public var maskRule: MaskRule = .drop

    /// The layer whose first output the first call was given as its `attention_mask` (an
    /// explicit mask of which query and key positions may attend), when it was.
    public var explicitAttentionMask: String? { callMasks.first { $0.argument == "attention_mask" }?.layer }
    /// The graph initializers that are this node's weights, in the operator's weight order
    /// (empty when the weights come from a reader's weight store instead).
    public var initializerNames: [String] = []
    /// The weight tensors the file itself gives this node, as the file names and shapes them
    /// (a format whose nodes read named tensors: each tensor counted at its first reader):
    /// they replace the operator's own rule (`Operator.weights`). Nil: the operator's rule.
    public var heldWeights: [WeightSpec]?
    /// The module of the original model the node came from, outermost first, when the
    /// reader can tell (an exporter that names nodes by module path). Grouping only.
    public var module: [String] = []
    /// The node's kind as the format's own documentation names it in full (`Conv, domain
    /// ai.onnx, opset 13`), for messages that refuse it; nil: `className` says it.
    public var sourceDescription: String?
    /// Why the engine must not run this node although its operator could (the reader knows
    /// the node computes something the operator does not say, such as requantization).
    public var engineRefusal: String?
    /// Calls that compute something other than `kind` with the same weights, by call index
    /// (a reversible embedding called in reverse: a product with its table). `kind` owns the
    /// weights and rules every call not listed here.
    public var callKinds: [Int: any Operator] = [:]

    /// What call `call` computes.
    public func kind(call: Int) -> any Operator { callKinds[call] ?? kind }

    public init(name: String, className: String, registeredName: String? = nil, kind: any Operator, trainable: Bool = true,
                dtype: DType = .float32, calls: [[TensorRef]] = [], path: String = "", listed: Bool = true,
                recordedOutputShapes: [[TensorShape]] = [], config: JSONObject = JSONObject()) {
        self.name = name
        self.className = className
        self.registeredName = registeredName
        self.kind = kind
        self.trainable = trainable
        self.dtype = dtype
        self.calls = calls
        self.path = path
        self.listed = listed
        self.recordedOutputShapes = recordedOutputShapes
        self.config = config
    }

    /// The nested graph when this layer is a model used as a layer.
    public var nestedGraph: ModelGraph? { (kind as? SubgraphOp)?.graph }
}

/// A reference to one output tensor: the `tensor`-th output of call `call` of layer `layer`
/// (index into `ModelGraph.layers`).
public struct TensorRef: Hashable, Sendable, CustomStringConvertible {
    public var layer: Int
    public var call: Int
    public var tensor: Int

    public init(layer: Int, call: Int, tensor: Int) {
        self.layer = layer
        self.call = call
        self.tensor = tensor
    }

    public var description: String { "\(layer)[\(call)][\(tensor)]" }
}

/// One call of one layer: the unit of execution order.
public struct NodeID: Hashable, Sendable {
    public var layer: Int
    public var call: Int
    public init(layer: Int, call: Int) {
        self.layer = layer
        self.call = call
    }
}
