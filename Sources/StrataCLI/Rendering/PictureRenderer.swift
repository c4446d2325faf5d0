import Foundation
import Reporting

/// `report.pdf` or the SVG pictures of a report, drawn by `ModelRenderer`. The renderers
/// made from one `ModelRenderer` share its diagram layout.
struct PictureRenderer: ReportRenderer {
    /// What is drawn: the PDF or the SVG pictures.
    enum Pictures { case pdf, svg }

    let pictures: Pictures
    let renderer: ModelRenderer

    init(_ pictures: Pictures, renderer: ModelRenderer) {
        self.pictures = pictures
        self.renderer = renderer
    }

    var format: ReportFormat {
        switch pictures {
        case .pdf: return .pdf
        case .svg: return .svg
        }
    }

    var stage: String {
        switch pictures {
        case .pdf: return "rendering the PDF"
        case .svg: return "rendering the SVG pictures"
        }
    }

    func render(_ doc: ReportDocument) throws -> [(name: String, data: Data)] {
        var r = renderer
        switch pictures {
        case .pdf: r.formats = [.pdf]
        case .svg: r.formats = [.svg]
        }
        return try r.render(doc).files
    }
}
