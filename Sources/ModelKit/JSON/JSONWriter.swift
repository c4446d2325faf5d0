/// Writes a `JSONValue` as text, keys in the order they were inserted, so output is
/// byte-for-byte stable.
public enum JSONWriter {
    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(4096)
        emit(value, into: &out, indent: 0, pretty: pretty)
        if pretty { out += "\n" }
        return out
    }

    private static func emit(_ v: JSONValue, into out: inout String, indent: Int, pretty: Bool) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d):
            if d.isNaN || d.isInfinite { out += "null" } else if d.rounded() == d && abs(d) < 9.0e15 { out += String(Int64(d)) } else { out += String(d) }
        case .string(let s): escape(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            // Short lists of scalars (shapes) stay on one line.
            let scalars = a.allSatisfy {
                switch $0 {
                case .array, .object: return false
                case .string(let s): return s.count <= 40
                default: return true
                }
            }
            if !pretty || (scalars && a.count <= 8) {
                out += "["
                for (i, x) in a.enumerated() { if i > 0 { out += pretty ? ", " : "," }; emit(x, into: &out, indent: indent, pretty: pretty) }
                out += "]"
                return
            }
            out += "[\n"
            for (i, x) in a.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                emit(x, into: &out, indent: indent + 1, pretty: pretty)
                out += i < a.count - 1 ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let o):
            if o.count == 0 { out += "{}"; return }
            out += pretty ? "{\n" : "{"
            for (i, e) in o.entries.enumerated() {
                if pretty { out += String(repeating: "  ", count: indent + 1) }
                escape(e.key, into: &out)
                out += pretty ? ": " : ":"
                emit(e.value, into: &out, indent: indent + 1, pretty: pretty)
                if i < o.count - 1 { out += "," }
                if pretty { out += "\n" }
            }
            if pretty { out += String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    private static func escape(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// Builds an object from ordered pairs.
    public static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs.map { (key: $0.0, value: $0.1) }))
    }

    public static func int(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
    public static func str(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }

    public static func shape(_ s: TensorShape?) -> JSONValue {
        guard let s else { return .null }
        return .array(s.dims.map { .int($0) })
    }
}
