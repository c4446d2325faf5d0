/// A finding about a model that does not stop the read: an unsupported layer, a shape that
/// could not be inferred, a weight that is NaN. Encodes as `{severity, id, message}`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Hashable, Comparable, Codable {
        case info, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    }

    public var severity: Severity
    /// Stable identifier, e.g. `unsupported-layer`, `shape-mismatch`.
    public var id: String
    /// One line naming file, layer and values.
    public var message: String

    public init(_ severity: Severity, _ id: String, _ message: String) {
        self.severity = severity
        self.id = id
        self.message = message
    }

    public var description: String { "\(severity.rawValue) [\(id)] \(message)" }
}
