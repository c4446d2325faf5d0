import Foundation

/// The `sqlite3` command-line shell, to make databases the store would not write itself.
enum SQLiteShell {
    static let path = "/usr/bin/sqlite3"
    static let available = FileManager.default.isExecutableFile(atPath: path)

    static func run(_ database: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "sqlite3 failed on \(database): \(sql)"])
        }
    }
}
