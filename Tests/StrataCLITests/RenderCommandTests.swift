import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import StrataCLI

/// `strata render` as a user runs it: files written, PDF metadata and text, SVG valid XML,
/// bad options and unwritable folders reported with the right exit code.
@Suite struct RenderCommandTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let sink = OutputSink(capture: true)
        let code = StrataMain.run(args, output: sink)
        return (code, sink.stdout, sink.stderr)
    }

    func tool(_ name: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CommandFailure("\(name) failed (is poppler-utils installed?)") }
        return String(decoding: data, as: UTF8.self)
    }

    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("strata-render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func rendersTheSeedModel() throws {
        let out = try tempDir()
        let model = Self.reference.appendingPathComponent("seed_resnet8/model.keras").path
        let r = run(["render", model, "--out", out, "--format", "pdf,svg,png", "--date", "2026-03-14T02:00:00Z"])
        #expect(r.code == 0, "\(r.err)")
        for name in ["report.pdf", "diagram.svg", "params.svg", "diagram.png", "params.png"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)

        let info = try tool("pdfinfo", [out + "/report.pdf"])
        #expect(info.contains("Creator:         Strata "))
        #expect(info.contains("Title:           model: Strata report"))   // the file is model.keras
        #expect(info.contains("CreationDate:    Sat Mar 14 02:00:00 2026 UTC"))
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.map { Int($0.split(separator: " ").last!) ?? 0 } ?? 0
        #expect(pages >= 4)
        #expect(r.out.contains("report.pdf (\(pages) pages)"))

        // Every layer name and the key figures are real text in the PDF.
        let text = try tool("pdftotext", ["-layout", out + "/report.pdf", "-"])
        let truth = try String(contentsOf: Self.reference.appendingPathComponent("seed_resnet8/truth.json"), encoding: .utf8)
        let names = truth.components(separatedBy: "\"name\": \"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        #expect(names.count >= 30)
        for name in Set(names) where !name.contains("/") { #expect(text.contains(name), "\(name) in the PDF text") }
        for figure in ["78,666", "78,186", "480", "Four honest answers"] { #expect(text.contains(figure), "\(figure)") }

        // SVGs are valid XML with a title.
        for svg in ["diagram.svg", "params.svg"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + svg))
            #expect(XMLParser(data: data).parse(), "\(svg) parses")
            #expect(String(decoding: data, as: UTF8.self).contains("<title>"))
        }
    }

    @Test func sameDateSameBytes() throws {
        let a = try tempDir(), b = try tempDir()
        let model = Self.reference.appendingPathComponent("case_nested/model.json").path
        #expect(run(["render", model, "--out", a, "--date", "2026-01-01"]).code == 0)
        #expect(run(["render", model, "--out", b, "--date", "2026-01-01"]).code == 0)
        for name in ["report.pdf", "diagram.svg", "params.svg"] {
            #expect(FileManager.default.contents(atPath: a + "/" + name) == FileManager.default.contents(atPath: b + "/" + name), "\(name)")
        }
    }

    @Test(arguments: [["--format", "pdf,gif"], ["--format", ""], ["--direction", "diagonal"]])
    func badOptionsExitTwo(_ extra: [String]) throws {
        let model = Self.reference.appendingPathComponent("case_nested/model.json").path
        let r = run(["render", model, "--out", try tempDir()] + extra)
        #expect(r.code == 2)
    }

    @Test func unwritableFolderExitsOne() throws {
        let model = Self.reference.appendingPathComponent("case_nested/model.json").path
        let blocker = try tempDir() + "/file"
        FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let r = run(["render", model, "--out", blocker + "/inside"])
        #expect(r.code == 1)
        #expect(r.err.contains("strata: error:"))
        #expect(r.err.contains("inside"))
    }

    @Test func unreadableModelExitsOne() throws {
        let r = run(["render", "/no/such/model.keras", "--out", try tempDir()])
        #expect(r.code == 1)
        #expect(r.err.contains("no such file"))
    }
}
