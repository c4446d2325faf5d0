/// Something the caller should print after opening the history: the database file could not be
/// used, was moved aside (kept, never deleted) and a new one started in its place.
public struct HistoryWarning: Sendable, Hashable, CustomStringConvertible {
    /// The history database's path.
    public var path: String
    /// Where the unusable file now is (`<path>.corrupt-<n>`).
    public var movedTo: String
    /// Why the file could not be used (SQLite's message, or what was found instead of a history).
    public var reason: String

    public init(path: String, movedTo: String, reason: String) {
        self.path = path
        self.movedTo = movedTo
        self.reason = reason
    }

    public var description: String {
        "warning: history database \(path) could not be used (\(reason)); moved it to \(movedTo) and started a new history"
    }
}
