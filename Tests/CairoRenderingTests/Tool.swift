import Foundation
import Testing

/// Runs a command-line tool (poppler's `pdfinfo`, `pdftotext`) and returns its output.
/// A missing tool is a failure with the fix in the message, not a skipped test.
struct Tool {
    var name: String

    /// The tool's path, looked up on PATH and in /usr/bin.
    var path: String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return dirs.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not installed: install poppler-utils (apt-get install poppler-utils)" }
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Standard output of `name arguments...`; throws when the tool is missing or fails.
    func run(_ arguments: [String]) throws -> String {
        guard let path else {
            Issue.record("\(Missing(name: name))")
            throw Missing(name: name)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
