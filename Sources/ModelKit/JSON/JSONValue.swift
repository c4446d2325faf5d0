/// A parsed JSON value. Objects keep their keys in file order, so nothing Strata prints
/// depends on dictionary order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The type name used in error messages ("an object", "a string", ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// An integer value, nil when not a whole number within Int's range.
    public var intValue: Int? {
        guard case .number(let d) = self, d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int(d)
    }

    public var doubleValue: Double? { if case .number(let d) = self { return d }; return nil }

    /// Short rendering of the value for error messages (truncated).
    public var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
        case .array(let a):
            let inner = a.prefix(6).map(\.brief).joined(separator: ", ")
            return "[" + inner + (a.count > 6 ? ", …" : "") + "]"
        case .object(let o): return "{" + o.keys.prefix(4).joined(separator: ", ") + (o.count > 4 ? ", …" : "") + "}"
        }
    }
}

/// A JSON object with its keys in file order.
public struct JSONObject: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init(_ entries: [(key: String, value: JSONValue)] = []) { self.entries = entries }

    public subscript(key: String) -> JSONValue? {
        for e in entries where e.key == key { return e.value }
        return nil
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }

    public mutating func append(_ key: String, _ value: JSONValue) { entries.append((key, value)) }
    /// Replaces the value of `key` (every entry of that key), or appends it.
    public mutating func set(_ key: String, _ value: JSONValue) {
        entries.removeAll { $0.key == key }
        entries.append((key, value))
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
