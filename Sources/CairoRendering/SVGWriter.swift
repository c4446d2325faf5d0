import CCairo
import Foundation
import ModelKit
import Reporting

/// Writes a scene as a standalone SVG. Cairo draws text as glyph outlines, so the text a
/// reader or a screen reader needs is added afterwards: a `<title>` (the scene's title) and
/// a `<desc>` (its description), first inside the root `<svg>` element.
public enum SVGWriter {
    /// Writes `scene` to `path` (that path only; the caller publishes atomically).
    /// Throws a `StrataError` naming the file on any cairo or file-system failure.
    public static func write(scene: Scene, to path: String) throws {
        try CairoOutput.save(data(scene: scene, file: path), to: path)
    }

    /// The SVG's bytes (UTF-8); `file` only names the document in errors.
    public static func data(scene: Scene, file: String = "drawing.svg") throws -> Data {
        try SceneCheck.size(scene.size, file: file, what: "the drawing")
        let output = CairoOutput()
        let raw: Data = try withExtendedLifetime(output) {
            let surface = cairo_svg_surface_create_for_stream(CairoOutput.write, output.closure,
                                                              scene.size.width, scene.size.height)!
            defer { cairo_surface_destroy(surface) }
            try CairoOutput.check(cairo_surface_status(surface), file: file, doing: "creating the SVG")
            let cr = cairo_create(surface)!
            defer { cairo_destroy(cr) }
            CairoRenderer().draw(scene, on: cr)
            try CairoOutput.check(cairo_status(cr), file: file, doing: "drawing")
            cairo_surface_finish(surface)
            try CairoOutput.check(cairo_surface_status(surface), file: file, doing: "finishing the SVG")
            return output.data
        }
        guard let text = String(data: raw, encoding: .utf8) else {
            throw StrataError(file: file, "cairo wrote an SVG that is not UTF-8")
        }
        guard let labelled = addTitle(to: renumberSurfaces(text), title: scene.title, description: scene.description) else {
            throw StrataError(file: file, "cairo wrote an SVG without an <svg> element")
        }
        return Data(labelled.utf8)
    }

    /// `svg` with `<title>` and, when `description` is not empty, `<desc>` inserted right
    /// after the opening `<svg ...>` tag; nil when there is no such tag.
    static func addTitle(to svg: String, title: String, description: String) -> String? {
        guard let open = svg.range(of: "<svg"),
              let close = svg[open.upperBound...].firstIndex(of: ">") else { return nil }
        var inserted = "\n<title>\(xmlEscaped(title))</title>"
        if !description.isEmpty { inserted += "\n<desc>\(xmlEscaped(description))</desc>" }
        var result = svg
        result.insert(contentsOf: inserted, at: result.index(after: close))
        return result
    }

    /// `svg` with cairo's surface ids (`id="surface453"`, `#surface453`: a process-wide
    /// counter, so they differ between runs and between threads) renumbered 1, 2, ... in
    /// order of first appearance: the same drawing always gives the same file.
    static func renumberSurfaces(_ svg: String) -> String {
        var numbers: [Substring: Int] = [:]
        var out = ""
        out.reserveCapacity(svg.utf8.count)
        var rest = svg[...]
        while let hit = rest.range(of: "surface") {
            let before = hit.lowerBound > rest.startIndex ? rest[rest.index(before: hit.lowerBound)] : " "
            let digits = rest[hit.upperBound...].prefix { $0.isASCII && $0.isNumber }
            out += rest[..<hit.upperBound]
            if (before == "\"" || before == "#") && !digits.isEmpty {
                let n = numbers[digits] ?? (numbers.count + 1)
                numbers[digits] = n
                out += String(n)
                rest = rest[digits.endIndex...]
            } else {
                rest = rest[hit.upperBound...]
            }
        }
        out += rest
        return out
    }

    /// `text` escaped for XML character data and attributes; characters XML 1.0 forbids
    /// (most control characters, U+FFFE, U+FFFF) are dropped.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(s)
            default:
                let v = s.value
                let allowed = (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                if allowed { out.unicodeScalars.append(s) }
            }
        }
        return out
    }
}
