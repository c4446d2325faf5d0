import Foundation
import Testing

/// Golden files for text outputs and scene dumps (Tests/ReportingTests/Goldens). A change
/// must be reviewed: RECORD_GOLDENS=1 rewrites the file and fails the test; read the diff,
/// commit, run again.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func compare(_ text: String, golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(golden)
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(golden); review the diff and run again without RECORD_GOLDENS", sourceLocation: sourceLocation)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = Array(zip(a, b)).firstIndex { $0.0 != $0.1 } ?? min(a.count, b.count)
            Issue.record("\(golden) differs at line \(i + 1):\n  got:      \(i < a.count ? a[i] : "<end>")\n  expected: \(i < b.count ? b[i] : "<end>")", sourceLocation: sourceLocation)
        }
    }
}
