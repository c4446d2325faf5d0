import GRDB

/// One run of the batch (a row of `runs`). Dates are text the caller injects (ISO 8601 in UTC,
/// all with the same precision, so that text order is time order); nothing here reads the clock.
///
/// A run is identified across databases by (`runDate`, `shard`, `strataVersion`): merging a
/// shard's database twice finds its runs already present by that key and adds nothing.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runs"

    /// Row id in this database (nil until recorded; another database numbers runs its own way).
    public var id: Int64?
    /// When the run happened, ISO 8601 (for example `2025-06-01T02:00:00Z`), injected.
    public var runDate: String
    /// The Strata version that made the run.
    public var strataVersion: String
    /// `K/N` when the run was one shard of a split batch, nil for a whole run.
    public var shard: String?
    /// When the run started, as the caller gives it (ISO 8601), if known.
    public var startedAt: String?
    /// When the run finished, as the caller gives it (ISO 8601), if known.
    public var finishedAt: String?

    /// A run not yet recorded.
    public init(id: Int64? = nil, runDate: String, strataVersion: String, shard: String? = nil,
                startedAt: String? = nil, finishedAt: String? = nil) {
        self.id = id
        self.runDate = runDate
        self.strataVersion = strataVersion
        self.shard = shard
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case runDate = "run_date"
        case strataVersion = "strata_version"
        case shard
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
