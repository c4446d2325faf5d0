import Foundation

/// A temporary folder removed on deinit (or kept, under CAIRO_TEST_OUT, for a look).
final class TempFolder {
    let url: URL
    private let keep: Bool

    init(_ name: String) {
        if let out = ProcessInfo.processInfo.environment["CAIRO_TEST_OUT"] {
            url = URL(fileURLWithPath: out).appendingPathComponent(name)
            keep = true
        } else {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cairo-\(name)-\(UUID().uuidString)")
            keep = false
        }
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ file: String) -> String { url.appendingPathComponent(file).path }

    deinit { if !keep { try? FileManager.default.removeItem(at: url) } }
}
