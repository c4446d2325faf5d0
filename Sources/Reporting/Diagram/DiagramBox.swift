import ModelKit

/// One drawn box of the layer diagram: one call of one layer, or a folded run of repeated
/// blocks. Records which layer it stands for, so tests can check invariants.
public struct DiagramBox: Sendable, Hashable {
    /// How the box is drawn.
    public enum Kind: String, Sendable, Hashable {
        /// A layer that owns weights (kernel layers and BatchNormalization alike).
        case weighted
        /// A layer without weights.
        case weightless
        /// A merge layer (Add, Concatenate, ...).
        case merge
        /// A layer Strata does not know.
        case unsupported
        /// A run of identical blocks folded into one box.
        case repeated
        /// A comparison's removed layer, drawn where it was (dashed outline).
        case removed
        /// A comparison's run of unchanged layers folded into one box.
        case folded
    }

    /// One line of text in the box.
    public struct Line: Sendable, Hashable {
        public var text: String
        public var style: TextStyle
        public init(_ text: String, _ style: TextStyle) {
            self.text = text
            self.style = style
        }
    }

    /// The layer's own name (as Keras prints it).
    public var name: String
    /// The name qualified by enclosing nested models, `encoder/enc_dense1`: unique per layer.
    public var path: String
    /// Every layer this box draws (qualified): one, or all layers of a folded run.
    public var layers: [String]
    public var className: String
    /// Parameters of the layer (of the whole run for a folded box); nil when unknown.
    public var params: Int?
    /// Which call of the layer this box draws (0 for a layer called once).
    public var call: Int
    /// How many calls the layer has: above 1, the layer is shared and drawn once per call.
    public var calls: Int
    /// How many identical blocks a folded box stands for (1 otherwise).
    public var repeatCount: Int
    public var kind: Kind
    /// Index of the enclosing nested-model cluster, nil at top level.
    public var cluster: Int?
    /// Text lines, top to bottom.
    public var lines: [Line]
    /// Outline colour; every call of one shared layer has the same.
    public var stroke: Color
    public var fill: Color
    public var lineWidth: Double
    /// Where the box is, in points, origin top left of the diagram (zero before layout).
    public var rect: Rect
    /// In a comparison's diagram, what happened to the layer (nil: unchanged, or no comparison).
    public var diffStatus: ModelDiff.Status? = nil

    public var isShared: Bool { calls > 1 }
}
