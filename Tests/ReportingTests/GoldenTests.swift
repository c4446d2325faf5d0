import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// Golden files for the text outputs. A change to an output must be reviewed: run with
/// RECORD_GOLDENS=1 to rewrite the files (the test then fails), read the diff, commit.
@Suite struct GoldenTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func document(_ relative: String, as name: String) throws -> ReportDocument {
        let path = tests.appendingPathComponent("Fixtures/reference").appendingPathComponent(relative).path
        var analysis = Analyzer.analyze(try ModelFileReader.read(path))
        analysis.source.file = name  // outputs name the file as the user gave it
        return ReportDocument(analysis: analysis, generatedAt: "2026-01-01T00:00:00Z", strataVersion: "0.0.0-test")
    }

    func compare(_ text: String, golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.compare(text, golden: golden, sourceLocation: sourceLocation)
    }

    @Test func seedSummaryText() throws {
        try compare(SummaryText.render(try Self.document("seed_resnet8/model.keras", as: "resnet8_cifar10.keras")), golden: "seed_summary.txt")
    }

    @Test func seedReportJSON() throws {
        try compare(ReportJSON.render(try Self.document("seed_resnet8/model.keras", as: "resnet8_cifar10.keras")), golden: "seed_report.json")
    }

    @Test func nestedSummaryText() throws {
        try compare(SummaryText.render(try Self.document("case_nested/model.json", as: "nested.json")), golden: "nested_summary.txt")
    }

    @Test func multiIOSummaryText() throws {
        try compare(SummaryText.render(try Self.document("case_multi_io/model_keras2.h5", as: "multi_io.h5")), golden: "multi_io_summary.txt")
    }

    /// The summary's width does not depend on the terminal.
    @Test func widthIgnoresTheTerminal() throws {
        let doc = try Self.document("seed_resnet8/model.json", as: "m.json")
        setenv("COLUMNS", "40", 1)
        let narrow = SummaryText.render(doc)
        setenv("COLUMNS", "300", 1)
        #expect(SummaryText.render(doc) == narrow)
        unsetenv("COLUMNS")
    }
}
