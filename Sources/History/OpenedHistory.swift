/// What `HistoryStore.open(path:)` gives: the store, and a warning to print when the previous
/// file had to be moved aside.
public struct OpenedHistory: Sendable {
    public var store: HistoryStore
    /// Non-nil when the file at the path was unusable and a new database was started.
    public var warning: HistoryWarning?

    public init(store: HistoryStore, warning: HistoryWarning?) {
        self.store = store
        self.warning = warning
    }
}
