import Foundation
import Testing
@testable import Reporting

/// Scene goldens (`textDump`, laid out with `ApproximateTextMeasurer`) for the seed model's
/// summary page and parameter charts. RECORD_GOLDENS=1 rewrites them (and fails).
@Suite struct PagesGoldenTests {
    func compare(_ text: String, golden: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.compare(text, golden: golden, sourceLocation: sourceLocation)
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
