import ModelKit

extension BidirectionalOp {
    /// Bidirectional (keras/src/layers/rnn/bidirectional.py, which the shape rule and the engine
    /// follow): `layer` (the forward layer, serialized), optional `backward_layer` (Keras 3 always
    /// saves it; when absent the backward layer is a copy of `layer` with `go_backwards`), and
    /// `merge_mode` (absent: `concat`; null: two outputs). Keras asks only the forward layer for
    /// the output shape. The backward layer reads the sequence from the end; with
    /// `return_sequences` its output is flipped back before the merge.
    public init(config: LayerConfig) throws {
        var forward: WrappedLayer
        var backward: WrappedLayer
        var mergeMode: MergeMode?
        var returnState: Bool
        let (inner, innerConfig) = try WrappedLayer.decode(config, key: "layer")
        let forwardName = "forward_" + BidirectionalOp.dropPrefix(inner.name, "forward_")
        forward = WrappedLayer(className: inner.className, name: forwardName, kind: inner.kind)
        let forwardConfig = innerConfig
        if config.has("backward_layer") {
            let decoded = try WrappedLayer.decode(config, key: "backward_layer")
            backward = decoded.layer
            let backwardConfig = decoded.config
            for key in ["stateful", "return_sequences", "return_state"] {
                let f = try forwardConfig.bool(key, default: false)
                let b = try backwardConfig.bool(key, default: false)
                guard f == b else {
                    throw config.error("backward_layer.config.\(key)", "the forward and backward layers must agree on \"\(key)\", found \(f) forward and \(b) backward")
                }
            }
            let fb = try forwardConfig.bool("go_backwards", default: false)
            let bb = try backwardConfig.bool("go_backwards", default: false)
            guard fb != bb else {
                throw config.error("backward_layer.config.go_backwards", "the forward and backward layers must differ in \"go_backwards\", both are \(fb)")
            }
        } else {
            guard try !forwardConfig.bool("go_backwards", default: false) else {
                throw config.error("layer.config.go_backwards", "the wrapped layer has go_backwards true, so its backward copy would run the same way")
            }
            let backwardName = "backward_" + BidirectionalOp.dropPrefix(inner.name, "backward_")
            backward = WrappedLayer(className: inner.className, name: backwardName, kind: inner.kind)
        }
        if let v = config["merge_mode"], !v.isNull {
            guard let s = v.stringValue, let m = MergeMode(rawValue: s) else {
                throw config.error("merge_mode", "expected \"concat\", \"sum\", \"mul\", \"ave\" or null, found \(v.brief)")
            }
            mergeMode = m
        } else {
            mergeMode = config["merge_mode"] == nil ? .concat : nil
        }
        returnState = try forwardConfig.bool("return_state", default: false)
        self.init(forward: forward, backward: backward, mergeMode: mergeMode, returnState: returnState)
    }
}
