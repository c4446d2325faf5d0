import Reporting

/// The renderer of each report format: the one place that maps a `ReportFormat` to the code
/// that writes it.
enum ReportRenderers {
    /// The renderers of `formats` in canonical order. `templates` is the Markdown templates
    /// folder (nil: the built-in templates); the picture renderers share one diagram layout.
    static func renderers(for formats: some Sequence<ReportFormat>, templates: String?, detail: DiagramOptions.Detail = .blocks,
                          shade: DiagramOptions.Shade = .params) -> [any ReportRenderer] {
        var options = DiagramOptions()
        options.detail = detail
        options.shade = shade
        let pictures = ModelRenderer(diagram: options)
        return Set(formats).sorted().map { format -> any ReportRenderer in
            switch format {
            case .pdf: return PictureRenderer(.pdf, renderer: pictures)
            case .svg: return PictureRenderer(.svg, renderer: pictures)
            case .md: return MarkdownRenderer(templatesFolder: templates)
            case .json: return JSONRenderer()
            }
        }
    }
}
