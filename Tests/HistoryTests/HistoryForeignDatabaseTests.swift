import Foundation
import History
import ModelKit
import Testing

@Suite(.enabled(if: SQLiteShell.available, "needs the sqlite3 shell"))
struct HistoryForeignDatabaseTests {
    @Test func anotherApplicationsDatabaseIsMovedAside() throws {
        let folder = TempFolder("foreign")
        let path = folder.path("history.sqlite")
        try SQLiteShell.run(path, "CREATE TABLE notes(x); CREATE TABLE tags(y); INSERT INTO notes VALUES (1);")
        let before = FileManager.default.contents(atPath: path)
        let opened = try HistoryStore.open(path: path)
        let warning = try #require(opened.warning)
        #expect(warning.reason == "not a Strata history database: it holds the tables notes, tags")
        #expect(FileManager.default.contents(atPath: path + ".corrupt-1") == before)
        #expect(try opened.store.runs() == [])
    }

    @Test func aHistoryFromANewerStrataIsRefusedAndKept() throws {
        let folder = TempFolder("newer")
        let path = folder.path("history.sqlite")
        _ = try HistoryStore.open(path: path)
        try SQLiteShell.run(path, "INSERT INTO grdb_migrations VALUES ('v3');")
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: StrataError(file: path, "the history database was written by a newer Strata (schema migrations v1, v2, v3; this one knows v1, v2); use that version or another history file")) {
            try HistoryStore.open(path: path)
        }
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + ".corrupt-1"))
    }
}
