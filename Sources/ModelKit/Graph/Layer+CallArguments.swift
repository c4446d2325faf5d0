/// Call arguments a reader copies into `Layer.config` because they change a layer's values
/// without changing shapes (so they are not call inputs).
extension Layer {
    /// Config key listing the mask tensors given to the layer's first call, as
    /// `[{"argument": "attention_mask", "layer": "<producing layer>"}]`. Mask tensors are not
    /// among `calls` (they do not change shapes).
    public static let callMasksKey = "strata_call_masks"

    /// The mask arguments of the first call: argument name and producing layer name.
    public var callMasks: [(argument: String, layer: String)] {
        (config[Layer.callMasksKey]?.arrayValue ?? []).compactMap { v in
            guard let a = v["argument"]?.stringValue, let l = v["layer"]?.stringValue else { return nil }
            return (a, l)
        }
    }
}
