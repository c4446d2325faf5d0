import Foundation
import Testing
import KerasFormat
import ModelKit
@testable import Reporting

/// Fixtures and scene checks shared by the Pages*Tests suites.
enum PagesFixtures {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func analysis(_ relative: String, as name: String? = nil) throws -> ModelAnalysis {
        var a = Analyzer.analyze(try ModelFileReader.read(tests.appendingPathComponent("Fixtures").appendingPathComponent(relative).path))
        if let name { a.source.file = name }
        return a
    }

    static func document(_ relative: String, as name: String, generatedAt: String? = "2026-01-01T00:00:00Z") throws -> ReportDocument {
        ReportDocument(analysis: try analysis(relative, as: name), generatedAt: generatedAt, strataVersion: "0.0.0-test")
    }

    static let seed = "reference/seed_resnet8/model.keras"
    static let resnet50 = "reference/app_ResNet50/model.json"
    static let nested = "reference/case_nested/model.json"
    static let measurer = ApproximateTextMeasurer()

    /// Every text run's box, from its origin, anchor and measured size.
    static func textBoxes(_ scene: Scene, measurer: any TextMeasurer = measurer) -> [(String, Rect, TextStyle)] {
        scene.primitives.compactMap { p in
            guard case .text(let s, let o, let style, let anchor) = p else { return nil }
            let size = measurer.measure(s, style: style)
            let x = anchor == .start ? o.x : anchor == .middle ? o.x - size.width / 2 : o.x - size.width
            return (s, Rect(x, o.y, size.width, size.height), style)
        }
    }

    /// Records an issue for every text smaller than the minimum or reaching outside the page.
    static func checkTexts(_ scenes: [Scene], sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, scene) in scenes.enumerated() {
            for (s, box, style) in textBoxes(scene) {
                if style.size < Theme.minimumTextSize {
                    Issue.record("page \(i + 1): \"\(s)\" at \(style.size) pt", sourceLocation: sourceLocation)
                }
                let eps = 1e-6
                if box.x < -eps || box.y < -eps || box.maxX > scene.size.width + eps || box.maxY > scene.size.height + eps {
                    Issue.record("page \(i + 1) (\(scene.size.width)x\(scene.size.height)): \"\(s)\" outside at \(box)", sourceLocation: sourceLocation)
                }
            }
        }
    }
}

@Suite struct PagesChartTests {
    // Truth by hand from the seed's summary (Keras's model.summary()):
    // Conv2D: 448 + 2,320 + 2,320 + 4,640 + 9,248 + 544 + 18,496 + 36,928 + 2,112 = 77,056, all trainable.
    // BatchNormalization (4 per channel): 16,16,16,32,32,64,64 channels -> 64+64+64+128+128+256+256 = 960,
    //   of which gamma/beta 480 trainable and moving mean/variance 480 non-trainable.
    // Dense: 64 x 10 + 10 = 650.
    // 77,056 + 960 + 650 = 78,666, the model's total.
    @Test func seedParametersByTypeMatchHandSums() throws {
        let a = try PagesFixtures.analysis(PagesFixtures.seed)
        let e = ParametersByType.entries(a)
        #expect(e.map(\.className) == ["Conv2D", "BatchNormalization", "Dense"])
        #expect(e.map(\.layers) == [9, 7, 1])
        #expect(e.map(\.trainable) == [77_056, 480, 650])
        #expect(e.map(\.nonTrainable) == [0, 480, 0])
        #expect(ParametersByType.weightlessClasses(a) == ["Activation", "Add", "AveragePooling2D", "Flatten", "InputLayer"])
        let bars = ParametersByType.bars(a)
        #expect(bars.map(\.label) == ["Conv2D ×9", "BatchNormalization ×7", "Dense ×1"])
        #expect(bars.map(\.valueLabel) == ["77,056", "960 (480 non-trainable)", "650"])
        #expect(bars.reduce(0) { $0 + $1.total } == 78_666)
    }

    @Test(arguments: [("reference/seed_resnet8/model.keras", 78_666), ("reference/app_ResNet50/model.json", 25_636_712)])
    func barsSumToTheTotal(path: String, total: Int) throws {
        let a = try PagesFixtures.analysis(path)
        #expect(a.totals.params == total)
        for bars in [ParameterChart.bars(a), ParametersByType.bars(a), ParameterChart.bars(a, limit: 5), ParametersByType.bars(a, limit: 2)] {
            #expect(bars.reduce(0) { $0 + $1.total } == total)
            #expect(bars.reduce(0) { $0 + $1.values[0] } == a.totals.trainableParams)
            #expect(bars.reduce(0) { $0 + $1.values[1] } == a.totals.nonTrainableParams)
        }
    }

    /// The fold keeps the chart to `limit` bars, largest first, and names how many it holds.
    @Test func resnet50FoldsTheLongTail() throws {
        let a = try PagesFixtures.analysis(PagesFixtures.resnet50)
        let weighted = a.leafRows.filter { ($0.params ?? 0) > 0 }
        let bars = ParameterChart.bars(a)
        #expect(bars.count == 30)
        #expect(bars.last?.label == "\(weighted.count - 29) other layers")
        let shown = bars.dropLast().map(\.total)
        #expect(shown == shown.sorted(by: >))
        // By hand: the three 3x3 convolutions of stage 5, 3*3*512*512 + 512 = 2,359,808 each
        // (ties in model order); the projection shortcut 1*1*1024*2048 + 2048 = 2,099,200; the
        // classifier 2048*1000 + 1000 = 2,049,000.
        #expect(bars.prefix(5).map(\.label) == ["conv5_block1_2_conv (Conv2D)", "conv5_block2_2_conv (Conv2D)", "conv5_block3_2_conv (Conv2D)",
                                                "conv5_block1_0_conv (Conv2D)", "predictions (Dense)"])
        #expect(bars.prefix(5).map(\.total) == [2_359_808, 2_359_808, 2_359_808, 2_099_200, 2_049_000])
        // Every shown bar is at least as large as any folded layer.
        let folded = weighted.map { $0.params ?? 0 }.sorted(by: >).dropFirst(29)
        #expect((shown.min() ?? 0) >= (folded.max() ?? 0))
    }

    /// Nested models are opened: the bars still sum to the total, named outer/inner.
    @Test func nestedModelBarsAreItsLayers() throws {
        let a = try PagesFixtures.analysis(PagesFixtures.nested)
        let bars = ParameterChart.bars(a)
        #expect(bars.reduce(0) { $0 + $1.total } == 1_099)
        #expect(bars.contains { $0.label.hasPrefix("encoder/") })
    }

    /// Every application model: bars sum to the total whatever its size and nesting.
    @Test func everyApplicationChartSumsToItsTotal() throws {
        let dir = PagesFixtures.tests.appendingPathComponent("Fixtures/applications")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names.count >= 40)
        for name in names {
            let a = try PagesFixtures.analysis("applications/\(name)/model.json")
            let sum = ParameterChart.bars(a).reduce(0) { $0 + $1.total }
            #expect(sum == a.totals.params, "\(name)")
            #expect(ParametersByType.bars(a).reduce(0) { $0 + $1.total } == a.totals.params, "\(name)")
        }
    }

    @Test func chartScenesKeepTextReadableAndInside() throws {
        for path in [PagesFixtures.seed, PagesFixtures.resnet50, PagesFixtures.nested] {
            let a = try PagesFixtures.analysis(path)
            let page = ParameterChart.page(a, measurer: PagesFixtures.measurer)
            let wiki = ParameterChart.standalone(a, measurer: PagesFixtures.measurer)
            #expect(wiki.size.width == 720)
            PagesFixtures.checkTexts([page, wiki])
            // Bars stay inside the scene too.
            for scene in [page, wiki] {
                for case .rect(let r, _, _, _, _) in scene.primitives {
                    #expect(r.x >= 0 && r.maxX <= scene.size.width + 1e-6 && r.maxY <= scene.size.height + 1e-6)
                }
            }
        }
    }

    @Test func tickStepsAreRound() {
        #expect(BarChart.tickStep(max: 3) == 1)
        #expect(BarChart.tickStep(max: 78_666) == 20_000)
        #expect(BarChart.tickStep(max: 2_049_000) == 500_000)
        #expect(BarChart.tickStep(max: 10) == 2)
        #expect(BarChart.tickLabel(20_000, unit: "") == "20 k")
        #expect(BarChart.tickLabel(2_500_000, unit: "") == "2.5 M")
        #expect(BarChart.tickLabel(500, unit: "") == "500")
        #expect(BarChart.tickLabel(1_250_000, unit: "") == "1.25 M")
    }
}
