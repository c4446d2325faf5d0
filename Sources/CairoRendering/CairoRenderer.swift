import CCairo
import Reporting

/// Draws a `Scene`'s primitives, in order, onto a cairo context whose user space is the
/// scene's points (the writers set up the surface and any scale). Text goes through Pango's
/// plain-text API, never markup, so a name holding `<`, `&` or quotes is drawn as written.
///
/// Internal: the cairo context is a C pointer that stays inside this module; the public
/// entry points are `PDFWriter`, `SVGWriter` and `PNGWriter`.
struct CairoRenderer {
    /// Painted over the whole scene before the primitives; nil leaves the surface as is.
    var background: Color?

    init(background: Color? = nil) {
        self.background = background
    }

    /// Draws `scene` on `cr`. Primitives with non-finite coordinates are skipped (they
    /// would put the context into an error state and end the drawing).
    func draw(_ scene: Scene, on cr: OpaquePointer) {
        cairo_save(cr)
        defer { cairo_restore(cr) }
        let text = PangoText(drawingOn: cr)
        text.update(for: cr)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)

        if let background {
            setColor(background, cr)
            cairo_rectangle(cr, 0, 0, scene.size.width, scene.size.height)
            cairo_fill(cr)
        }

        for primitive in scene.primitives {
            switch primitive {
            case .rect(let r, let fill, let stroke, let lineWidth, let radius):
                guard finite(r.x, r.y, r.width, r.height, lineWidth, radius) else { continue }
                rectPath(r, radius: radius, cr)
                paint(fill: fill, stroke: stroke, lineWidth: lineWidth, dash: [], cr)
            case .line(let points, let stroke, let lineWidth, let dash):
                guard points.count >= 2, points.allSatisfy({ finite($0.x, $0.y) }), finite(lineWidth) else { continue }
                cairo_move_to(cr, points[0].x, points[0].y)
                for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                paint(fill: nil, stroke: stroke, lineWidth: lineWidth, dash: dash, cr)
            case .curve(let path, let stroke, let lineWidth, let dash):
                let all = [path.start] + path.segments.flatMap { [$0.control1, $0.control2, $0.end] }
                guard all.allSatisfy({ finite($0.x, $0.y) }), finite(lineWidth) else { continue }
                cairo_move_to(cr, path.start.x, path.start.y)
                for s in path.segments {
                    cairo_curve_to(cr, s.control1.x, s.control1.y, s.control2.x, s.control2.y, s.end.x, s.end.y)
                }
                paint(fill: nil, stroke: stroke, lineWidth: lineWidth, dash: dash, cr)
            case .polygon(let points, let fill, let stroke, let lineWidth):
                guard points.count >= 2, points.allSatisfy({ finite($0.x, $0.y) }), finite(lineWidth) else { continue }
                cairo_move_to(cr, points[0].x, points[0].y)
                for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                cairo_close_path(cr)
                paint(fill: fill, stroke: stroke, lineWidth: lineWidth, dash: [], cr)
            case .text(let string, let origin, let style, let anchor):
                guard !string.isEmpty, finite(origin.x, origin.y, style.size), style.size > 0 else { continue }
                text.show(string, x: origin.x, top: origin.y, style: style, anchor: anchor, on: cr)
            }
        }
    }

    private func finite(_ values: Double...) -> Bool { values.allSatisfy(\.isFinite) }

    private func setColor(_ c: Color, _ cr: OpaquePointer) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    /// A rectangle path, its corners rounded by `radius` (clamped to half the short side).
    private func rectPath(_ r: Rect, radius: Double, _ cr: OpaquePointer) {
        let rad = max(0, min(radius, abs(r.width) / 2, abs(r.height) / 2))
        guard rad > 0 else {
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            return
        }
        let x0 = min(r.x, r.maxX), x1 = max(r.x, r.maxX)
        let y0 = min(r.y, r.maxY), y1 = max(r.y, r.maxY)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x1 - rad, y0 + rad, rad, -Double.pi / 2, 0)
        cairo_arc(cr, x1 - rad, y1 - rad, rad, 0, Double.pi / 2)
        cairo_arc(cr, x0 + rad, y1 - rad, rad, Double.pi / 2, Double.pi)
        cairo_arc(cr, x0 + rad, y0 + rad, rad, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
    }

    /// Fills and/or strokes the current path, then clears it.
    private func paint(fill: Color?, stroke: Color?, lineWidth: Double, dash: [Double], _ cr: OpaquePointer) {
        if let fill {
            setColor(fill, cr)
            if stroke != nil && lineWidth > 0 { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke, lineWidth > 0 {
            setColor(stroke, cr)
            cairo_set_line_width(cr, lineWidth)
            let pattern = dash.filter { $0.isFinite && $0 >= 0 }
            if pattern.isEmpty || pattern.allSatisfy({ $0 == 0 }) {
                cairo_set_dash(cr, nil, 0, 0)
            } else {
                pattern.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
            }
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }
}
