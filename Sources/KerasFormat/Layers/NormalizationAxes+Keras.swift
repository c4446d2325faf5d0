import ModelKit

extension NormalizationAxes {
    /// Reads `key` (default -1): an int (Keras 3) or a non-empty list of ints (Keras 2 saves
    /// `[3]`; LayerNormalization takes several axes). The checks and weight shapes follow the
    /// layers' `compute_output_shape` and `build`; Keras 3.15 sorts a list of axes as written,
    /// before resolving negatives.
    public init(config: LayerConfig, key: String = "axis", default def: Int = -1) throws {
        guard let v = config[key], !v.isNull else {
            self.init(axes: [def], isList: false)
            return
        }
        if let i = v.intValue {
            self.init(axes: [i], isList: false)
        } else if let list = try config.intList(key), !list.isEmpty {
            self.init(axes: list, isList: true)
        } else {
            throw config.error(key, "expected a whole number or a non-empty list of whole numbers, found \(v.brief)")
        }
    }
}
