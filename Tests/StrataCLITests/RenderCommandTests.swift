import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import StrataCLI

/// `strata render` as a user runs it: files written, PDF metadata and text, SVG valid XML,
/// bad options and unwritable folders reported with the right exit code.
@Suite struct RenderCommandTests: CLISuite {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")


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

    /// Layer names with any characters render: markup characters, quotes, emoji and a name
    /// far too long for a table cell (it appears in full, searchable, on its own page).
    @Test func hostileLayerNames() throws {
        let dir = try tempDir()
        // As written in the JSON file: \" is an escaped quote, so the name holds "quoted".
        let long = "a_very_long_layer_name_<b>&amp;\\\"quoted\\\"_" + String(repeating: "segment_", count: 36) + "end"
        var json = try String(contentsOf: Self.reference.appendingPathComponent("case_shared_layer/model.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: "\"left\"", with: "\"\(long)\"")
        json = json.replacingOccurrences(of: "\"right\"", with: "\"right 🙂 <svg>\"")
        let model = dir + "/hostile.json"
        try json.write(toFile: model, atomically: true, encoding: .utf8)
        let out = dir + "/out"
        let r = run(["render", model, "--out", out, "--format", "pdf,svg,png", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        let text = try tool("pdftotext", ["-raw", out + "/report.pdf", "-"])
        let squeezed = text.filter { !$0.isWhitespace }
        let unescapedLong = long.replacingOccurrences(of: "\\\"", with: "\"")
        #expect(squeezed.contains(unescapedLong.filter { !$0.isWhitespace }), "the long name in full")
        #expect(text.contains("Layer names in full"))
        for svg in ["diagram.svg", "params.svg"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + svg))
            #expect(XMLParser(data: data).parse(), "\(svg) parses")
        }
    }

    /// A model whose shapes are partly unknown (a Lambda without output_shape) still draws,
    /// the unknown shown as such.
    @Test func partlyUnknownShapesStillDraw() throws {
        let dir = try tempDir()
        let json = #"""
        {"class_name": "Sequential", "keras_version": "2.21.0", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "in"}},
          {"class_name": "Dense", "config": {"name": "before", "units": 4}},
          {"class_name": "Lambda", "config": {"name": "mystery", "function": ["4wEAAAAAAAAA", null, null], "function_type": "lambda"}},
          {"class_name": "Dense", "config": {"name": "after", "units": 2}}]}}
        """#
        try json.write(toFile: dir + "/lambda.json", atomically: true, encoding: .utf8)
        let r = run(["render", dir + "/lambda.json", "--out", dir + "/out", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("Lambda"), "the unsupported layer is reported")
        let text = try tool("pdftotext", ["-layout", dir + "/out/report.pdf", "-"])
        for name in ["before", "mystery", "after"] { #expect(text.contains(name)) }
        #expect(text.contains("?"))
    }

    /// 2,000+ layers (a chain of residual blocks): the report still renders, diagram over many pages.
    @Test func twoThousandLayersRender() throws {
        let dir = try tempDir()
        var layers = [#"{"class_name": "InputLayer", "config": {"batch_shape": [null, 8], "name": "x"}, "name": "x", "inbound_nodes": []}"#]
        func call(_ name: String) -> String {
            #"{"class_name": "__keras_tensor__", "config": {"shape": [null, 8], "dtype": "float32", "keras_history": ["\#(name)", 0, 0]}}"#
        }
        var last = "x"
        for b in 0..<700 {
            let d = "dense_\(b)", a = "act_\(b)", s = "add_\(b)"
            layers.append(#"{"class_name": "Dense", "config": {"name": "\#(d)", "units": 8}, "name": "\#(d)", "inbound_nodes": [{"args": [\#(call(last))], "kwargs": {}}]}"#)
            layers.append(#"{"class_name": "Activation", "config": {"name": "\#(a)", "activation": "relu"}, "name": "\#(a)", "inbound_nodes": [{"args": [\#(call(d))], "kwargs": {}}]}"#)
            layers.append(#"{"class_name": "Add", "config": {"name": "\#(s)"}, "name": "\#(s)", "inbound_nodes": [{"args": [[\#(call(last)), \#(call(a))]], "kwargs": {}}]}"#)
            last = s
        }
        let json = #"{"class_name": "Functional", "config": {"name": "deep", "layers": [\#(layers.joined(separator: ","))], "input_layers": [["x", 0, 0]], "output_layers": [["\#(last)", 0, 0]]}}"#
        try json.write(toFile: dir + "/deep.json", atomically: true, encoding: .utf8)
        let r = run(["render", dir + "/deep.json", "--out", dir + "/out", "--date", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        let info = try tool("pdfinfo", [dir + "/out/report.pdf"])
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last!) } ?? 0
        // The layer table alone: 2,101 rows at no more than 75 a page.
        #expect(pages >= 2101 / 75, "2,101 layers over many pages, found \(pages)")
        let text = try tool("pdftotext", [dir + "/out/report.pdf", "-"])
        for name in ["dense_0", "act_350", "add_699"] { #expect(text.contains(name)) }
    }

    /// A model built from repeated blocks: by default the PDF draws the overview and one
    /// diagram per block type (overview.svg, block-1.svg, block-2.svg beside diagram.svg);
    /// `--detail full` adds the layer-by-layer diagram, so more pages; a wrong value is a
    /// usage error.
    @Test func detailChoosesTheDiagramLevels() throws {
        let dir = try tempDir()
        let model = Self.reference.deletingLastPathComponent().appendingPathComponent("applications/ResNet50/model.json").path
        #expect(run(["render", model, "--out", dir + "/blocks", "--date", "2026-01-01"]).code == 0)
        #expect(run(["render", model, "--out", dir + "/full", "--date", "2026-01-01", "--detail", "full"]).code == 0)
        func pages(_ folder: String) throws -> Int {
            let info = try tool("pdfinfo", [folder + "/report.pdf"])
            return info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last!) } ?? 0
        }
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir + "/blocks"))
        #expect(files.isSuperset(of: ["overview.svg", "block-1.svg", "block-2.svg", "diagram.svg"]), "\(files)")
        let blocks = try pages(dir + "/blocks"), full = try pages(dir + "/full")
        #expect(blocks + 10 <= full, "blocks \(blocks) pages, full \(full)")
        let overview = try tool("pdftotext", ["-f", "2", "-l", "2", dir + "/blocks/report.pdf", "-"])
        #expect(overview.contains("overview") && overview.contains("bottleneck residual blocks"), "\(overview.prefix(300))")
        #expect(run(["render", model, "--detail", "most"]).code == 2)
        let shade = run(["report", dir, "--shade", "time"])
        #expect(shade.code == 2 && shade.err.contains("--shade \"time\": expected params or latency"), "\(shade.err)")
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
