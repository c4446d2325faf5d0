import CCairo
import Foundation
import ModelKit
import Reporting

/// Writes scenes as the pages of one PDF: a page per scene, each its own size, text as
/// real (searchable, embedded-subset) text.
public enum PDFWriter {
    /// Writes `pages` to `path` (that path only; the caller publishes atomically).
    /// Throws a `StrataError` naming the file on any cairo or file-system failure.
    public static func write(pages: [Scene], to path: String, metadata: PDFMetadata) throws {
        try CairoOutput.save(data(pages: pages, metadata: metadata, file: path), to: path)
    }

    /// The PDF's bytes; `file` only names the document in errors.
    public static func data(pages: [Scene], metadata: PDFMetadata, file: String = "report.pdf") throws -> Data {
        guard let first = pages.first else {
            throw StrataError(file: file, "a PDF needs at least one page")
        }
        guard isISODate(metadata.date) else {
            throw StrataError(file: file, "the run date \"\(metadata.date)\" is not an ISO 8601 date (2026-01-31 or 2026-01-31T02:00:00Z)")
        }
        for (i, page) in pages.enumerated() {
            try SceneCheck.size(page.size, file: file, what: "page \(i + 1)")
        }
        let output = CairoOutput()
        return try withExtendedLifetime(output) {
            let surface = cairo_pdf_surface_create_for_stream(CairoOutput.write, output.closure,
                                                              first.size.width, first.size.height)!
            defer { cairo_surface_destroy(surface) }
            try CairoOutput.check(cairo_surface_status(surface), file: file, doing: "creating the PDF")
            setMetadata(metadata, on: surface)
            let cr = cairo_create(surface)!
            defer { cairo_destroy(cr) }
            let renderer = CairoRenderer()
            for (i, page) in pages.enumerated() {
                cairo_pdf_surface_set_size(surface, page.size.width, page.size.height)
                renderer.draw(page, on: cr)
                cairo_show_page(cr)
                try CairoOutput.check(cairo_status(cr), file: file, doing: "drawing page \(i + 1)")
            }
            cairo_surface_finish(surface)
            try CairoOutput.check(cairo_surface_status(surface), file: file, doing: "finishing the PDF")
            return output.data
        }
    }

    /// `YYYY-MM-DD`, optionally `Thh:mm[:ss]` and `Z` or `±hh:mm`: what cairo turns into
    /// a PDF date.
    static func isISODate(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?/) != nil
    }

    private static func setMetadata(_ m: PDFMetadata, on surface: OpaquePointer) {
        func set(_ key: cairo_pdf_metadata_t, _ value: String) {
            guard !value.isEmpty else { return }
            cairo_pdf_surface_set_metadata(surface, key, PangoText.clean(value))
        }
        set(CAIRO_PDF_METADATA_TITLE, m.title)
        set(CAIRO_PDF_METADATA_SUBJECT, m.subject)
        set(CAIRO_PDF_METADATA_KEYWORDS, m.keywords.joined(separator: ", "))
        set(CAIRO_PDF_METADATA_AUTHOR, m.author)
        set(CAIRO_PDF_METADATA_CREATOR, m.creator)
        set(CAIRO_PDF_METADATA_CREATE_DATE, m.date)
        set(CAIRO_PDF_METADATA_MOD_DATE, m.date)
    }
}
