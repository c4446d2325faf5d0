import Foundation
import Testing
@testable import StrataCLI

/// A run killed at any moment leaves the previous outputs whole: every model folder holds a
/// complete report (the previous one or the new one, never a mix or half a file) and the
/// index is valid JSON.
@Suite(.serialized) struct BatchKillTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The strata executable built next to the test bundle.
    static var executable: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("strata").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    func expectWhole(_ out: String, folders: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fm = FileManager.default
        for folder in folders {
            let path = out + "/" + folder
            let files = Set(try fm.contentsOfDirectory(atPath: path))
            // The five files every report has, plus a big model's overview and block pictures.
            let required: Set<String> = ["report.pdf", "diagram.svg", "params.svg", "report.md", "report.json"]
            #expect(files.isSuperset(of: required), "\(folder): \(files)", sourceLocation: sourceLocation)
            for extra in files.subtracting(required) {
                #expect(extra == "overview.svg" || extra.wholeMatch(of: /block-\d+\.svg/) != nil, "\(folder): \(extra)", sourceLocation: sourceLocation)
                let text = String(decoding: fm.contents(atPath: path + "/" + extra) ?? Data(), as: UTF8.self)
                #expect(text.contains("</svg>"), "\(folder)/\(extra) complete", sourceLocation: sourceLocation)
            }
            let pdf = fm.contents(atPath: path + "/report.pdf") ?? Data()
            #expect(String(decoding: pdf.suffix(8), as: UTF8.self).contains("%%EOF"), "\(folder)/report.pdf complete", sourceLocation: sourceLocation)
            let json = fm.contents(atPath: path + "/report.json") ?? Data()
            #expect((try? JSONSerialization.jsonObject(with: json)) != nil, "\(folder)/report.json parses", sourceLocation: sourceLocation)
            let md = String(decoding: fm.contents(atPath: path + "/report.md") ?? Data(), as: UTF8.self)
            #expect(md.contains("## Layers"), "\(folder)/report.md complete", sourceLocation: sourceLocation)
            let svg = String(decoding: fm.contents(atPath: path + "/diagram.svg") ?? Data(), as: UTF8.self)
            #expect(svg.contains("</svg>"), "\(folder)/diagram.svg complete", sourceLocation: sourceLocation)
        }
        let index = fm.contents(atPath: out + "/index.json") ?? Data()
        #expect((try? JSONSerialization.jsonObject(with: index)) != nil, "index.json parses", sourceLocation: sourceLocation)
    }

    @Test func killedRunLeavesPreviousOutputsWhole() throws {
        let strata = try #require(Self.executable, "the strata executable is built beside the tests")
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("strata-kill-\(UUID().uuidString)").path
        let models = root + "/models", out = root + "/out"
        try fm.createDirectory(atPath: models, withIntermediateDirectories: true)
        let names = ["NASNetMobile", "DenseNet121", "ResNet50", "MobileNetV2", "EfficientNetB0", "InceptionV3"]
        for n in names {
            try fm.copyItem(atPath: Self.fixtures.appendingPathComponent("applications/\(n)/model.json").path, toPath: "\(models)/\(n).json")
        }
        let folders = names.map { "\($0)_json" }
        func start(_ date: String) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: strata)
            p.arguments = ["report", models, "--out", out, "--date", date, "--no-forward", "--jobs", "2"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        // Night one completes.
        let first = try start("2026-01-01T00:00:00Z")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        try expectWhole(out, folders: folders)

        // Later nights are killed at different moments.
        for (night, delay) in [(2, 0.15), (3, 0.6), (4, 1.2), (5, 2.5)] {
            let p = try start("2026-01-0\(night)T00:00:00Z")
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            try expectWhole(out, folders: folders)
        }
        // The next complete run cleans up what the killed runs left behind.
        let last = try start("2026-01-09T00:00:00Z")
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        let leftovers = try fm.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".strata-staging") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
