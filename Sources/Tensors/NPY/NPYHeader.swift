/// The three entries of an `.npy` header dictionary.
struct Header: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
}

/// Parses the Python dict literal NumPy writes as an `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 32, 32, 3), }`. Accepts what
/// `ast.literal_eval` would for such a dict (either quote, any key order, optional trailing
/// commas, whitespace, Python 2's `3L`), and nothing else.
struct HeaderParser {
    enum Failure: Error {
        case syntax(String)
        case unsupportedDType(String)
    }

    enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
        case other(String)
    }

    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func parse() throws(Failure) -> Header {
        skipWhitespace()
        try expect("{")
        var entries: [String: Value] = [:]
        skipWhitespace()
        while peek() != "}" {
            guard peek() == "'" || peek() == "\"" else { throw syntax("expected a quoted key") }
            let key = try parseString()
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw .syntax("unexpected key '\(key)'")
            }
            if entries[key] != nil { throw .syntax("duplicate key '\(key)'") }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            entries[key] = try parseValue()
            skipWhitespace()
            if peek() == "," {
                position += 1
                skipWhitespace()
            } else if peek() != "}" {
                throw syntax("expected ',' or '}'")
            }
        }
        position += 1
        skipWhitespace()
        if position < scalars.count { throw syntax("unexpected text after '}'") }

        guard let descrValue = entries["descr"] else { throw .syntax("missing key 'descr'") }
        guard let orderValue = entries["fortran_order"] else { throw .syntax("missing key 'fortran_order'") }
        guard let shapeValue = entries["shape"] else { throw .syntax("missing key 'shape'") }
        let descr: String
        switch descrValue {
        case .string(let s): descr = s
        case .other(let raw): throw .unsupportedDType(raw)
        default: throw .syntax("'descr' is not a string")
        }
        guard case .bool(let fortranOrder) = orderValue else { throw .syntax("'fortran_order' is not True or False") }
        guard case .tuple(let shape) = shapeValue else { throw .syntax("'shape' is not a tuple of integers") }
        return Header(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    private func syntax(_ what: String) -> Failure {
        if position < scalars.count {
            return .syntax("\(what) at character \(position + 1), found '\(scalars[position])'")
        }
        return .syntax("\(what) at character \(position + 1), found the end of the header")
    }

    private func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    private mutating func skipWhitespace() {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
    }

    private mutating func expect(_ c: Unicode.Scalar) throws(Failure) {
        guard peek() == c else { throw syntax("expected '\(c)'") }
        position += 1
    }

    private mutating func parseString() throws(Failure) -> String {
        guard let quote = peek() else { throw syntax("expected a string") }
        position += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw syntax("unterminated string") }
            position += 1
            if c == quote { break }
            if c == "\\" {
                guard let escaped = peek() else { throw syntax("unterminated string") }
                position += 1
                out.append(escaped)
            } else {
                out.append(c)
            }
        }
        return String(out)
    }

    private mutating func parseValue() throws(Failure) -> Value {
        switch peek() {
        case "'", "\"":
            return .string(try parseString())
        case "(":
            return .tuple(try parseTuple())
        case "[":
            // A structured dtype's field list: skip it, balanced, to name it.
            let start = position
            var depth = 0
            repeat {
                guard let c = peek() else { throw syntax("unterminated '['") }
                if c == "[" || c == "(" { depth += 1 }
                if c == "]" || c == ")" { depth -= 1 }
                if c == "'" || c == "\"" {
                    _ = try parseString()
                    continue
                }
                position += 1
            } while depth > 0
            var raw = String.UnicodeScalarView()
            raw.append(contentsOf: scalars[start..<position])
            return .other(String(raw))
        default:
            let word = parseWord()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "": throw syntax("expected a value")
            default: throw .syntax("unexpected value '\(word)'")
            }
        }
    }

    private mutating func parseWord() -> String {
        var out = String.UnicodeScalarView()
        while let c = peek(), c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "." {
            out.append(c)
            position += 1
        }
        return String(out)
    }

    private mutating func parseTuple() throws(Failure) -> [Int] {
        try expect("(")
        var items: [Int] = []
        var sawComma = false
        skipWhitespace()
        while peek() != ")" {
            items.append(try parseDimension())
            skipWhitespace()
            if peek() == "," {
                position += 1
                sawComma = true
                skipWhitespace()
            } else if peek() != ")" {
                throw syntax("expected ',' or ')' in the shape")
            } else {
                sawComma = false
            }
        }
        position += 1
        if items.count == 1 && !sawComma { throw .syntax("'shape' (\(items[0])) is not a tuple; NumPy writes (\(items[0]),)") }
        return items
    }

    private mutating func parseDimension() throws(Failure) -> Int {
        let word = parseWord()
        if word.isEmpty { throw syntax("expected a dimension") }
        var digits = Substring(word)
        if digits.hasSuffix("L") || digits.hasSuffix("l") { digits = digits.dropLast() }
        if digits.hasPrefix("-"), digits.count > 1, digits.dropFirst().allSatisfy({ ("0"..."9").contains($0) }) {
            throw .syntax("negative dimension \(word) in the shape")
        }
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .syntax("dimension '\(word)' is not a non-negative integer")
        }
        guard let value = Int(digits) else { throw .syntax("dimension \(word) is too large") }
        return value
    }
}
