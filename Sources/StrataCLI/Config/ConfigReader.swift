import ModelKit
import Yams

/// Reads typed values out of composed YAML nodes, turning every mismatch into a `StrataError`
/// that names the file, the node's line and column, the key path, the value and what was expected.
struct ConfigReader {
    /// The configuration file, as the user named it.
    let file: String

    /// An error at `node` (its line and column) under `path`.
    func error(_ node: Node?, _ path: String, _ message: String) -> StrataError {
        StrataError(file: file, place: Self.place(node?.mark, path), message)
    }

    /// `line 3, column 1, forward.runs`.
    static func place(_ mark: Mark?, _ path: String) -> String {
        var parts: [String] = []
        if let mark { parts.append("line \(mark.line), column \(mark.column)") }
        if !path.isEmpty { parts.append(path) }
        return parts.joined(separator: ", ")
    }

    /// `forward` + `runs` -> `forward.runs`.
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The value as the user wrote it: `"many"` for a string, `-1` for a number, `a list`.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            if isNull(node) { return s.string.isEmpty ? "an empty value (null)" : s.string }
            return node.tag.rawValue == Tag.Name.str.rawValue ? "\"\(s.string)\"" : s.string
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    static func isNull(_ node: Node) -> Bool { node.scalar != nil && node.tag.rawValue == Tag.Name.null.rawValue }
    static func has(_ node: Node, _ tag: Tag.Name) -> Bool { node.scalar != nil && node.tag.rawValue == tag.rawValue }

    /// The pairs of a mapping whose keys must all be in `allowed`; null (an empty section) is
    /// no pairs. An unknown key is an error at the key, with the nearest allowed key if it
    /// looks like a typo.
    func mapping(_ node: Node, _ path: String, allowed: [String], what: String) throws -> [(key: String, value: Node)] {
        if Self.isNull(node) { return [] }
        guard let mapping = node.mapping else {
            throw error(node, path, "\(Self.describe(node)) is not a mapping; expected \(what) with the keys \(allowed.joined(separator: ", "))")
        }
        return try mapping.map { pair in
            guard let key = pair.key.scalar?.string, allowed.contains(key) else {
                let shown = pair.key.scalar.map { "\"\($0.string)\"" } ?? Self.describe(pair.key)
                let keyPath = Self.join(path, pair.key.scalar?.string ?? "?")
                var message = "unknown key \(shown)"
                if let key = pair.key.scalar?.string, let near = KeySuggestion.nearest(to: key, in: allowed) {
                    message += " (did you mean \"\(near)\"?)"
                }
                message += "; the keys allowed \(path.isEmpty ? "at the top level" : "under \(path)") are: \(allowed.joined(separator: ", "))"
                throw error(pair.key, keyPath, message)
            }
            return (key, pair.value)
        }
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard Self.has(node, .bool), let scalar = node.scalar, let value = Bool.construct(from: scalar) else {
            throw error(node, path, "\(Self.describe(node)) is not true or false; expected true or false")
        }
        return value
    }

    /// A whole number at least `minimum`; `expected` completes "expected ...".
    func int(_ node: Node, _ path: String, minimum: Int, expected: String) throws -> Int {
        guard Self.has(node, .int), let scalar = node.scalar else {
            throw error(node, path, "\(Self.describe(node)) is not a whole number; expected \(expected)")
        }
        guard let value = Int.construct(from: scalar) else {
            throw error(node, path, "\(Self.describe(node)) is too large; expected \(expected)")
        }
        guard value >= minimum else {
            throw error(node, path, "\(value) is \(value < 0 ? "negative" : "too small"); expected \(expected)")
        }
        return value
    }

    /// A whole number at least `minimum`, or null.
    func optionalInt(_ node: Node, _ path: String, minimum: Int, expected: String) throws -> Int? {
        if Self.isNull(node) { return nil }
        return try int(node, path, minimum: minimum, expected: expected)
    }

    /// A finite number (whole or not) at least `minimum`.
    func number(_ node: Node, _ path: String, minimum: Double, expected: String) throws -> Double {
        let value: Double?
        if Self.has(node, .int), let scalar = node.scalar {
            value = Int.construct(from: scalar).map(Double.init)
        } else if Self.has(node, .float), let scalar = node.scalar {
            value = Double.construct(from: scalar)
        } else {
            value = nil
        }
        guard let value, value.isFinite else {
            throw error(node, path, "\(Self.describe(node)) is not a number; expected \(expected)")
        }
        guard value >= minimum else {
            throw error(node, path, "\(Self.describe(node)) is \(value < 0 ? "negative" : "too small"); expected \(expected)")
        }
        return value
    }

    /// A non-empty text scalar (a path, a name); numbers and the like are taken as their text.
    func string(_ node: Node, _ path: String, expected: String) throws -> String {
        guard let scalar = node.scalar, !Self.isNull(node), !scalar.string.isEmpty else {
            throw error(node, path, "\(Self.describe(node)) is not text; expected \(expected)")
        }
        return scalar.string
    }

    /// One value of an enumeration, by its name: `what` names the kind of setting ("a diagram
    /// detail"), `expected` the choices.
    func choice<E: RawRepresentable>(_ node: Node, _ path: String, what: String, expected: String) throws -> E where E.RawValue == String {
        let text = try string(node, path, expected: expected)
        guard let value = E(rawValue: text) else {
            throw error(node, path, "\(Self.describe(node)) is not \(what); expected \(expected)")
        }
        return value
    }

    /// A non-empty list of non-empty text scalars; `item` names one of them ("a folder path").
    func stringList(_ node: Node, _ path: String, item: String, example: String) throws -> [String] {
        guard let sequence = node.sequence else {
            throw error(node, path, "\(Self.describe(node)) is not a list; expected a list, e.g. \(example)")
        }
        guard !sequence.isEmpty else {
            throw error(node, path, "the list is empty; expected at least one item, e.g. \(example)")
        }
        return try sequence.enumerated().map { i, node in try string(node, "\(path)[\(i)]", expected: item) }
    }
}
