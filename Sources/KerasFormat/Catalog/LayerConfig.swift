import ModelKit

/// The `config` object of one Keras layer, with typed accessors whose errors name the JSON
/// path, the layer and the offending value.
///
/// Accessors accept both dialects where Keras 2 and Keras 3 differ only in form (an int or a
/// one-element list for `kernel_size`, a dtype string or a `DTypePolicy` object).
public struct LayerConfig: Sendable {
    public let object: JSONObject
    /// JSON path of this object in the file, e.g. `config.layers[3].config`.
    public let path: String
    public let layerName: String
    /// True when the file is a Keras 2 (tf.keras) config.
    public let isKeras2: Bool

    public init(object: JSONObject, path: String, layerName: String, isKeras2: Bool = false) {
        self.object = object
        self.path = path
        self.layerName = layerName
        self.isKeras2 = isKeras2
    }

    /// Builds a config from a literal object (tests and synthesized layers).
    public init(_ entries: [(String, JSONValue)], name: String = "layer") {
        self.init(object: JSONObject(entries.map { (key: $0.0, value: $0.1) }), path: "config", layerName: name)
    }

    public func has(_ key: String) -> Bool {
        guard let v = object[key] else { return false }
        return !v.isNull
    }

    public subscript(key: String) -> JSONValue? { object[key] }

    public func error(_ key: String?, _ message: String) -> StrataError {
        StrataError(place: (key.map { "\(path).\($0)" } ?? path) + " (layer \"\(layerName)\")", message)
    }

    private func required(_ key: String) throws -> JSONValue {
        guard let v = object[key] else { throw error(key, "missing key \"\(key)\"") }
        return v
    }

    public func int(_ key: String) throws -> Int {
        let v = try required(key)
        guard let i = v.intValue else { throw error(key, "expected a whole number, found \(v.brief)") }
        return i
    }

    public func int(_ key: String, default def: Int) throws -> Int {
        guard let v = object[key], !v.isNull else { return def }
        guard let i = v.intValue else { throw error(key, "expected a whole number, found \(v.brief)") }
        return i
    }

    public func optionalInt(_ key: String) throws -> Int? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw error(key, "expected a whole number or null, found \(v.brief)") }
        return i
    }

    /// A positive size (units, filters): a negative or zero value is an error naming it.
    public func positiveInt(_ key: String) throws -> Int {
        let i = try int(key)
        guard i > 0 else { throw error(key, "must be positive, found \(i)") }
        return i
    }

    public func double(_ key: String, default def: Double) throws -> Double {
        guard let v = object[key], !v.isNull else { return def }
        guard let d = v.doubleValue else { throw error(key, "expected a number, found \(v.brief)") }
        return d
    }

    public func bool(_ key: String, default def: Bool) throws -> Bool {
        guard let v = object[key], !v.isNull else { return def }
        guard let b = v.boolValue else { throw error(key, "expected true or false, found \(v.brief)") }
        return b
    }

    public func string(_ key: String) throws -> String {
        let v = try required(key)
        guard let s = v.stringValue else { throw error(key, "expected a string, found \(v.brief)") }
        return s
    }

    public func string(_ key: String, default def: String) throws -> String {
        guard let v = object[key], !v.isNull else { return def }
        guard let s = v.stringValue else { throw error(key, "expected a string, found \(v.brief)") }
        return s
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw error(key, "expected a string, found \(v.brief)") }
        return s
    }

    /// An int or a list of `count` ints (`kernel_size: 3` or `[3, 3]`); each must be >= `minimum`.
    public func intTuple(_ key: String, count: Int, default def: [Int]? = nil, minimum: Int = 1) throws -> [Int] {
        guard let v = object[key], !v.isNull else {
            if let def { return def }
            throw error(key, "missing key \"\(key)\"")
        }
        var out: [Int]
        if let i = v.intValue {
            out = Array(repeating: i, count: count)
        } else if let a = v.arrayValue {
            let ints = a.compactMap(\.intValue)
            guard ints.count == a.count else { throw error(key, "expected whole numbers, found \(v.brief)") }
            if ints.count == 1 { out = Array(repeating: ints[0], count: count) } else {
                guard ints.count == count else { throw error(key, "expected \(count) values, found \(ints.count): \(v.brief)") }
                out = ints
            }
        } else {
            throw error(key, "expected a whole number or a list, found \(v.brief)")
        }
        if let bad = out.first(where: { $0 < minimum }) { throw error(key, "values must be at least \(minimum), found \(bad) in \(v.brief)") }
        return out
    }

    /// A list of ints (or one int, as a one-element list); nil when absent or null.
    public func intList(_ key: String) throws -> [Int]? {
        guard let v = object[key], !v.isNull else { return nil }
        if let i = v.intValue { return [i] }
        guard let a = v.arrayValue else { throw error(key, "expected a list of whole numbers, found \(v.brief)") }
        let ints = a.compactMap(\.intValue)
        guard ints.count == a.count else { throw error(key, "expected whole numbers, found \(v.brief)") }
        return ints
    }

    /// A shape list whose entries may be null (`batch_shape`, `target_shape`).
    public func shape(_ key: String) throws -> [Int?]? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let a = v.arrayValue else { throw error(key, "expected a shape list, found \(v.brief)") }
        var dims: [Int?] = []
        for item in a {
            if item.isNull { dims.append(nil); continue }
            guard let i = item.intValue else { throw error(key, "expected whole numbers or null, found \(v.brief)") }
            guard i >= -1 else { throw error(key, "dimension \(i) is negative in \(v.brief)") }
            dims.append(i)
        }
        return dims
    }

    /// `padding`: "valid", "same" or "causal".
    public func padding(default def: String = "valid") throws -> String {
        let p = try string("padding", default: def).lowercased()
        guard ["valid", "same", "causal", "full"].contains(p) else { throw error("padding", "expected \"valid\" or \"same\", found \"\(p)\"") }
        return p
    }

    /// True when `data_format` is `channels_first`.
    public func channelsFirst() throws -> Bool {
        let f = try string("data_format", default: "channels_last")
        switch f {
        case "channels_last": return false
        case "channels_first": return true
        default: throw error("data_format", "expected \"channels_last\" or \"channels_first\", found \"\(f)\"")
        }
    }

    /// The layer's dtype policy name (`float32`, `mixed_float16`, ...), from a string or a
    /// `DTypePolicy` object.
    public func dtypePolicy() -> DType {
        guard let v = object["dtype"] else { return .float32 }
        if let s = v.stringValue { return DType(s) }
        if let name = v["config"]?["name"]?.stringValue { return DType(name) }
        return .float32
    }

    /// A nested object (e.g. a wrapped `layer`), as a config with its path extended.
    public func nested(_ key: String) throws -> JSONObject {
        let v = try required(key)
        guard let o = v.objectValue else { throw error(key, "expected an object, found \(v.brief)") }
        return o
    }

    /// An activation given by name or as a serialized object; nil when absent.
    public func activationName(_ key: String = "activation") throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        if let s = v.stringValue { return s }
        if let o = v.objectValue {
            if let n = o["config"]?["name"]?.stringValue, o["class_name"]?.stringValue == "function" || o["class_name"]?.stringValue == "builtins.function" { return n }
            if let n = o["class_name"]?.stringValue { return n }
        }
        throw error(key, "expected an activation name, found \(v.brief)")
    }
}
