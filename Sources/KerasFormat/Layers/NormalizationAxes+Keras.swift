import ModelKit

extension NormalizationAxes {
    /// Reads `key` (default -1): an int or a non-empty list of ints.
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
