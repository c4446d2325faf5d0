import Foundation
import Testing
@testable import Reporting

/// Scene goldens (`textDump`, laid out with `ApproximateTextMeasurer`) for the seed model's
/// summary page and parameter charts. RECORD_GOLDENS=1 rewrites them (and fails).
@Suite struct PagesGoldenTests {
    func compare(_ text: String, golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = PagesFixtures.tests.appendingPathComponent("ReportingTests/Goldens").appendingPathComponent(golden)
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

    @Test func seedSummaryPage() throws {
        let doc = try PagesFixtures.document(PagesFixtures.seed, as: "resnet8_cifar10.keras")
        let pages = SummaryPage.layout(doc, measurer: PagesFixtures.measurer)
        try compare(pages.map(\.textDump).joined(separator: "\n"), golden: "seed_summary_page.scene.txt")
    }

    @Test func seedParameterChartPage() throws {
        let a = try PagesFixtures.analysis(PagesFixtures.seed)
        try compare(ParameterChart.page(a, measurer: PagesFixtures.measurer).textDump, golden: "seed_params_page.scene.txt")
    }

    @Test func seedParameterChartForTheWiki() throws {
        let a = try PagesFixtures.analysis(PagesFixtures.seed)
        try compare(ParameterChart.standalone(a, measurer: PagesFixtures.measurer).textDump, golden: "seed_params_svg.scene.txt")
    }
}
