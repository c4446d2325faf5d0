import Foundation
import GRDB
import ModelKit

/// The run database (SQLite through GRDB): one row per run in `runs`, one per model and run in
/// `model_runs`. Open it with `open(path:)`; every failure is a `StrataError` naming the file.
///
/// Order of runs: by `run_date` (ISO 8601 text, compared as text), then by row id. "Earlier than
/// run R" means an earlier date, or the same date and a smaller id.
public struct HistoryStore: Sendable {
    /// The database file's path.
    public let path: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    // MARK: Opening

    /// Opens the history at `path`, creating its folders and the file when missing and
    /// migrating the schema. A file that is not a usable SQLite database (garbage bytes, a
    /// corrupt database, or a database of something else) is moved aside to
    /// `<path>.corrupt-<n>` (with any `-journal`, `-wal`, `-shm` beside it) and a new history is
    /// started; the returned warning says so and must be shown to the user.
    ///
    /// Throws a `StrataError` naming the path when the folder cannot be created or written, the
    /// file cannot be written, or it was written by a newer Strata (unknown migrations).
    public static func open(path: String) throws -> OpenedHistory {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StrataError(file: path, "cannot create the history database's folder \(folder): \(error.localizedDescription)")
        }
        guard files.isWritableFile(atPath: folder) else {
            throw StrataError(file: path, "the history database's folder \(folder) is not writable")
        }
        if files.fileExists(atPath: path), !files.isWritableFile(atPath: path) {
            throw StrataError(file: path, "the history database is not writable")
        }
        // A file without SQLite's header is set aside before SQLite opens it: SQLite would
        // otherwise discard a `-journal` or `-wal` beside it while trying to use it.
        let first = try headerProblem(path: path).map { Attempt.unusable($0) } ?? attempt(path: path)
        switch first {
        case .opened(let store):
            return OpenedHistory(store: store, warning: nil)
        case .unusable(let reason):
            let movedTo = try moveAside(path: path)
            switch try attempt(path: path) {
            case .opened(let store):
                return OpenedHistory(store: store, warning: HistoryWarning(path: path, movedTo: movedTo, reason: reason))
            case .unusable(let again):
                throw StrataError(file: path, "a new history database is unusable too (\(again)); the previous file was moved to \(movedTo)")
            }
        }
    }

    private enum Attempt {
        case opened(HistoryStore)
        case unusable(String)
    }

    private static func attempt(path: String) throws -> Attempt {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where isUnusable(error) {
            return .unusable(describe(error))
        } catch {
            throw StrataError(file: path, "cannot open the history database: \(describe(error))")
        }
        let migrator = HistorySchema.migrator()
        do {
            let problem: String? = try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                if check != ["ok"] {
                    return "integrity check failed: \(check.prefix(3).joined(separator: "; "))"
                }
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                    """)
                if !tables.isEmpty, !tables.contains("grdb_migrations") {
                    return "not a Strata history database: it holds the tables \(tables.joined(separator: ", "))"
                }
                if try migrator.hasBeenSuperseded(db) {
                    let applied = try migrator.appliedIdentifiers(db).sorted()
                    throw StrataError(file: path, "the history database was written by a newer Strata (schema migrations \(applied.joined(separator: ", ")); this one knows \(HistorySchema.versions.joined(separator: ", "))); use that version or another history file")
                }
                return nil
            }
            if let problem {
                try? queue.close()
                return .unusable(problem)
            }
            try migrator.migrate(queue)
        } catch let error as StrataError {
            try? queue.close()
            throw error
        } catch let error as DatabaseError where isUnusable(error) {
            try? queue.close()
            return .unusable(describe(error))
        } catch {
            try? queue.close()
            throw StrataError(file: path, "cannot prepare the history database: \(describe(error))")
        }
        return .opened(HistoryStore(path: path, queue: queue))
    }

    /// Why the file at `path` cannot be SQLite (its first 16 bytes are not SQLite's header),
    /// nil when it is missing, empty or starts like a database.
    private static func headerProblem(path: String) throws -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let header: Data
        do {
            header = try handle.read(upToCount: 16) ?? Data()
        } catch {
            throw StrataError(file: path, "cannot read the history database: \(error.localizedDescription)")
        }
        if header.isEmpty || header == Data("SQLite format 3\0".utf8) { return nil }
        return "file is not a database: it does not start with SQLite's header"
    }

    private static func isUnusable(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite code \(error.extendedResultCode.rawValue))"
        }
        if let error = error as? StrataError { return error.description }
        return error.localizedDescription
    }

    /// Moves the file (and its SQLite sidecar files) to the first free `<path>.corrupt-<n>`.
    private static func moveAside(path: String) throws -> String {
        let files = FileManager.default
        let sidecars = ["-journal", "-wal", "-shm"]
        var n = 1
        while ([""] + sidecars).contains(where: { files.fileExists(atPath: "\(path).corrupt-\(n)\($0)") }) { n += 1 }
        let target = "\(path).corrupt-\(n)"
        for suffix in [""] + sidecars where files.fileExists(atPath: path + suffix) {
            do {
                try files.moveItem(atPath: path + suffix, toPath: target + suffix)
            } catch {
                throw StrataError(file: path, "the history database is unusable and could not be moved aside to \(target + suffix): \(error.localizedDescription)")
            }
        }
        return target
    }

    // MARK: Writing

    /// Records a run and its models in one transaction and returns the run's id. The records'
    /// `id` and `runId` are ignored (the database numbers them).
    ///
    /// Throws a `StrataError` when a run with the same date, shard and version is already
    /// recorded, when a model id appears twice, or when the database cannot be written.
    public func record(run: RunRecord, models: [ModelRunRecord]) throws -> Int64 {
        try guarded("cannot record the run dated \(run.runDate)") {
            try queue.write { db in
                if let existing = try Self.sameRun(as: run, in: db) {
                    throw StrataError(file: path, "a run dated \(run.runDate) (shard \(run.shard ?? "none"), Strata \(run.strataVersion)) is already recorded as run \(existing.id.map(String.init) ?? "?")")
                }
                var row = run
                row.id = nil
                try row.insert(db)
                guard let runId = row.id else { throw StrataError(file: path, "the run dated \(run.runDate) got no id") }
                var seen: Set<String> = []
                for model in models {
                    guard seen.insert(model.modelId).inserted else {
                        throw StrataError(file: path, "model id \(model.modelId) appears twice in the run dated \(run.runDate)")
                    }
                    var modelRow = model
                    modelRow.id = nil
                    modelRow.runId = runId
                    try modelRow.insert(db)
                }
                return runId
            }
        }
    }

    /// Imports another history database's runs and model-runs (a shard's history). Runs this
    /// database already has (same date, shard and Strata version) are skipped with their
    /// model-runs, so merging the same file twice adds nothing the second time. The other file
    /// is only read; it must be a history of the same schema version.
    public func merge(from otherPath: String) throws -> MergeSummary {
        guard FileManager.default.fileExists(atPath: otherPath) else {
            throw StrataError(file: otherPath, "no history database to merge (the file does not exist)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let migrator = HistorySchema.migrator()
        let runs: [RunRecord]
        let modelRuns: [ModelRunRecord]
        do {
            let other = try DatabaseQueue(path: otherPath, configuration: configuration)
            defer { try? other.close() }
            (runs, modelRuns) = try other.read { db in
                let applied = try migrator.appliedIdentifiers(db)
                // The same schema, or an older one (a shard run by an older Strata): its rows read the same.
                guard applied.contains("v1"), applied.isSubset(of: Set(HistorySchema.versions)) else {
                    throw StrataError(file: otherPath, "not a Strata history database of schema \(HistorySchema.versions.joined(separator: ", ")) (its migrations: \(applied.isEmpty ? "none" : applied.sorted().joined(separator: ", ")))")
                }
                let runs = try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_date, id")
                let modelRuns = try ModelRunRecord.fetchAll(db, sql: "SELECT * FROM model_runs ORDER BY run_id, model_id")
                return (runs, modelRuns)
            }
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(file: otherPath, "cannot read the history database to merge: \(Self.describe(error))")
        }
        let byRun = Dictionary(grouping: modelRuns, by: { $0.runId })
        return try guarded("cannot merge the history \(otherPath)") {
            try queue.write { db in
                var summary = MergeSummary(runsAdded: 0, runsAlreadyPresent: 0, modelRunsAdded: 0)
                for run in runs {
                    if try Self.sameRun(as: run, in: db) != nil {
                        summary.runsAlreadyPresent += 1
                        continue
                    }
                    var row = run
                    row.id = nil
                    try row.insert(db)
                    for model in byRun[run.id] ?? [] {
                        var modelRow = model
                        modelRow.id = nil
                        modelRow.runId = row.id
                        try modelRow.insert(db)
                        summary.modelRunsAdded += 1
                    }
                    summary.runsAdded += 1
                }
                return summary
            }
        }
    }

    // MARK: Reading

    /// Every run, oldest first.
    public func runs() throws -> [RunRecord] {
        try guarded("cannot read the runs") {
            try queue.read { db in try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_date, id") }
        }
    }

    /// The run with this id, nil when there is none.
    public func run(id: Int64) throws -> RunRecord? {
        try guarded("cannot read run \(id)") {
            try queue.read { db in try RunRecord.fetchOne(db, key: id) }
        }
    }

    /// The models recorded in a run, by model id.
    public func modelRuns(runId: Int64) throws -> [ModelRunRecord] {
        try guarded("cannot read the models of run \(runId)") {
            try queue.read { db in
                try ModelRunRecord.fetchAll(db, sql: "SELECT * FROM model_runs WHERE run_id = ? ORDER BY model_id", arguments: [runId])
            }
        }
    }

    /// The latest run of `modelId` earlier than run `runId`, whatever its status (a failed run
    /// is returned as failed: check `status`; its figures are nil). Nil when the model has no
    /// earlier run. Throws when `runId` is not in the history.
    public func previous(modelId: String, before runId: Int64) throws -> ModelRunRecord? {
        try guarded("cannot read the previous run of \(modelId)") {
            try queue.read { db in
                let current = try Self.requireRun(runId, in: db, path: path)
                return try ModelRunRecord.fetchOne(db, sql: """
                    SELECT m.* FROM model_runs m JOIN runs r ON r.id = m.run_id
                    WHERE m.model_id = ? AND (r.run_date < ? OR (r.run_date = ? AND r.id < ?))
                    ORDER BY r.run_date DESC, r.id DESC LIMIT 1
                    """, arguments: [modelId, current.runDate, current.runDate, runId])
            }
        }
    }

    /// Median latencies (ms) of the last `limit` timed runs of `modelId`, oldest first; runs
    /// without a latency (not timed, or failed) are left out, never filled in. With `runId`,
    /// only that run and earlier ones count.
    public func latencyTrend(modelId: String, limit: Int, through runId: Int64? = nil) throws -> [Double] {
        guard limit > 0 else { return [] }
        return try guarded("cannot read the latency trend of \(modelId)") {
            try queue.read { db in
                var sql = """
                    SELECT m.latency_median_ms FROM model_runs m JOIN runs r ON r.id = m.run_id
                    WHERE m.model_id = ? AND m.latency_median_ms IS NOT NULL
                    """
                var arguments: StatementArguments = [modelId]
                if let runId {
                    let last = try Self.requireRun(runId, in: db, path: path)
                    sql += " AND (r.run_date < ? OR (r.run_date = ? AND r.id <= ?))"
                    arguments += [last.runDate, last.runDate, runId]
                }
                sql += " ORDER BY r.run_date DESC, r.id DESC LIMIT ?"
                arguments += [limit]
                return Array(try Double.fetchAll(db, sql: sql, arguments: arguments).reversed())
            }
        }
    }

    /// Model ids of the previous run before run `runId`, sorted: the runs of the latest date
    /// earlier than that run's date (all shards of that date together when `runId` is a whole
    /// run; only the same shard when `runId` is a shard's run). Compare with the current run's
    /// models to find the ones that disappeared. Empty when there is no earlier run.
    public func modelsInPreviousRun(before runId: Int64) throws -> [String] {
        try guarded("cannot read the models of the run before run \(runId)") {
            try queue.read { db in
                let current = try Self.requireRun(runId, in: db, path: path)
                let shardFilter = current.shard == nil ? "" : " AND shard IS ?"
                var arguments: StatementArguments = [current.runDate]
                if let shard = current.shard { arguments += [shard] }
                guard let date = try String.fetchOne(db, sql: "SELECT max(run_date) FROM runs WHERE run_date < ?" + shardFilter, arguments: arguments) else {
                    return []
                }
                var modelArguments: StatementArguments = [date]
                if let shard = current.shard { modelArguments += [shard] }
                return try String.fetchAll(db, sql: """
                    SELECT DISTINCT m.model_id FROM model_runs m JOIN runs r ON r.id = m.run_id
                    WHERE r.run_date = ?\(current.shard == nil ? "" : " AND r.shard IS ?")
                    ORDER BY m.model_id
                    """, arguments: modelArguments)
            }
        }
    }

    // MARK: Helpers

    private static func sameRun(as run: RunRecord, in db: Database) throws -> RunRecord? {
        try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE run_date = ? AND shard IS ? AND strata_version = ?",
                               arguments: [run.runDate, run.shard, run.strataVersion])
    }

    private static func requireRun(_ id: Int64, in db: Database, path: String) throws -> RunRecord {
        guard let run = try RunRecord.fetchOne(db, key: id) else {
            throw StrataError(file: path, "there is no run \(id) in the history")
        }
        return run
    }

    /// Runs `body`, turning any error that is not already a `StrataError` into one naming the
    /// database file and what was being done.
    func guarded<T>(_ doing: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StrataError {
            throw error
        } catch {
            throw StrataError(file: path, "\(doing): \(Self.describe(error))")
        }
    }
}
