import Foundation

/// A temporary folder removed on deinit.
final class TempFolder {
    let url: URL

    init(_ name: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-history-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ file: String) -> String { url.appendingPathComponent(file).path }

    deinit {
        // A test may leave a folder read-only; make it writable again so it can be removed.
        if let names = try? FileManager.default.subpathsOfDirectory(atPath: url.path) {
            for name in names { chmod(url.appendingPathComponent(name).path, 0o755) }
        }
        try? FileManager.default.removeItem(at: url)
    }
}
