/// A strict JSON parser over UTF-8 bytes that reports errors with line and column.
///
/// Written for Strata rather than using Foundation's so that objects keep key order and a
/// truncated or malformed file yields "line 12, column 5: expected ',' or '}'".
/// Nesting is limited (`maxDepth`) so hostile input cannot exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 400

    private let bytes: [UInt8]
    private var pos = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a complete JSON document. Throws `StrataError` (no file set) on bad input.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = JSONParser(bytes)
        p.skipSpace()
        if p.pos == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.pos = 3; p.skipSpace() }
        guard p.pos < bytes.count else { throw p.error("the file is empty, expected a JSON document") }
        let v = try p.value()
        p.skipSpace()
        if p.pos < bytes.count { throw p.error("unexpected \(p.describeCurrent()) after the end of the JSON document") }
        return v
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    private func location(_ at: Int) -> (line: Int, column: Int) {
        var line = 1, col = 1
        var i = 0
        let end = min(at, bytes.count)
        while i < end {
            if bytes[i] == 0x0A { line += 1; col = 1 } else if bytes[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return (line, col)
    }

    private func error(_ message: String, at: Int? = nil) -> StrataError {
        let (l, c) = location(at ?? pos)
        return StrataError(place: "line \(l), column \(c)", "invalid JSON: " + message)
    }

    private func describeCurrent() -> String {
        guard pos < bytes.count else { return "end of file" }
        let b = bytes[pos]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    private mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    private mutating func value() throws -> JSONValue {
        skipSpace()
        guard pos < bytes.count else { throw error("unexpected end of file (the file is truncated?)") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .number(.nan)
        case UInt8(ascii: "I"): try literal("Infinity"); return .number(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func literal(_ word: String) throws {
        let start = pos
        for b in word.utf8 {
            guard pos < bytes.count else { throw error("unexpected end of file in '\(word)'") }
            guard bytes[pos] == b else { throw error("unexpected \(describeCurrent()), expected a value", at: start) }
            pos += 1
        }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func object() throws -> JSONValue {
        try enter()
        pos += 1
        var obj = JSONObject()
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(obj) }
        while true {
            skipSpace()
            guard pos < bytes.count else { throw error("unexpected end of file inside an object (the file is truncated?)") }
            guard bytes[pos] == UInt8(ascii: "\"") else { throw error("unexpected \(describeCurrent()), expected a key in quotes") }
            let key = try string()
            skipSpace()
            guard pos < bytes.count else { throw error("unexpected end of file after key \"\(key)\" (the file is truncated?)") }
            guard bytes[pos] == UInt8(ascii: ":") else { throw error("unexpected \(describeCurrent()), expected ':' after key \"\(key)\"") }
            pos += 1
            let v = try value()
            obj.append(key, v)
            skipSpace()
            guard pos < bytes.count else { throw error("unexpected end of file inside an object (the file is truncated?)") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(obj) }
            throw error("unexpected \(describeCurrent()), expected ',' or '}'")
        }
    }

    private mutating func array() throws -> JSONValue {
        try enter()
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array(items) }
        while true {
            items.append(try value())
            skipSpace()
            guard pos < bytes.count else { throw error("unexpected end of file inside a list (the file is truncated?)") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array(items) }
            throw error("unexpected \(describeCurrent()), expected ',' or ']'")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("unexpected end of file in a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("bad hex digit in a \\u escape")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        let start = pos
        pos += 1
        // Fast path: no escapes.
        var i = pos
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            let s = String(decoding: bytes[pos..<i], as: UTF8.self)
            pos = i + 1
            return s
        }
        var out: [UInt8] = Array(bytes[pos..<i])
        pos = i
        while true {
            guard pos < bytes.count else { throw error("unexpected end of file inside a string that starts here (the file is truncated?)", at: start) }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; break }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) inside a string") }
            if b == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { throw error("unexpected end of file in an escape") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800, code < 0xDC00, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                        pos += 2
                        let low = try hex4()
                        if low >= 0xDC00, low < 0xE000 { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) } else { code = 0xFFFD }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func number() throws -> Double {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") {
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "I") { try literal("Infinity"); return -.infinity }
        }
        var sawDigit = false
        while pos < bytes.count {
            let b = bytes[pos]
            if (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) { sawDigit = true; pos += 1; continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { pos += 1; continue }
            break
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard sawDigit, let d = Double(text) else { throw error("malformed number '\(text)'", at: start) }
        return d
    }
}
