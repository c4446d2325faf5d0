import CCairo
import Reporting

/// One Pango context, one reusable layout and a font-description cache: the single place
/// that turns a `TextStyle` and a string into Pango calls, for measuring and for drawing,
/// so both see exactly the same font, options and text.
///
/// Metrics are unhinted and glyph positions unrounded, so a width measured here is the
/// width the PDF draws. Sizes are set as absolute sizes in user-space units, which are
/// PDF points: `TextStyle(size: 9)` is 9-point text whatever Pango's nominal 96 dpi.
///
/// Not thread-safe: `PangoTextMeasurer` guards one with a lock; a render creates its own.
/// The C pointers it owns never leave this type.
final class PangoText {
    private let context: OpaquePointer
    private let layout: OpaquePointer
    private var fonts: [FontKey: OpaquePointer] = [:]

    private struct FontKey: Hashable {
        var family: String
        var size: Double
        var weight: TextStyle.Weight
        var italic: Bool
    }

    /// A measuring context on its own font map (no surface involved).
    init() {
        let fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        g_object_unref(UnsafeMutableRawPointer(fontMap))
        layout = PangoText.configure(context)
    }

    /// A drawing context for `cr` (the calling thread's default font map). Call
    /// `update(for:)` after changing `cr`'s transformation.
    init(drawingOn cr: OpaquePointer) {
        context = pango_cairo_create_context(cr)
        layout = PangoText.configure(context)
    }

    deinit {
        for desc in fonts.values { pango_font_description_free(desc) }
        g_object_unref(UnsafeMutableRawPointer(layout))
        g_object_unref(UnsafeMutableRawPointer(context))
    }

    private static func configure(_ context: OpaquePointer) -> OpaquePointer {
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        let layout = pango_layout_new(context)!
        // One line whatever the text holds: a newline in a layer name is drawn, not obeyed.
        pango_layout_set_single_paragraph_mode(layout, 1)
        return layout
    }

    /// Re-reads `cr`'s transformation (after `cairo_scale`).
    func update(for cr: OpaquePointer) {
        pango_cairo_update_context(cr, context)
        pango_layout_context_changed(layout)
    }

    private func font(for style: TextStyle) -> OpaquePointer {
        let size = style.size.isFinite && style.size > 0 ? style.size : 1
        let key = FontKey(family: style.family, size: size, weight: style.weight, italic: style.italic)
        if let cached = fonts[key] { return cached }
        let desc = pango_font_description_new()!
        pango_font_description_set_family(desc, style.family)
        pango_font_description_set_weight(desc, style.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(desc, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_font_description_set_absolute_size(desc, size * Double(PANGO_SCALE))
        fonts[key] = desc
        return desc
    }

    /// Loads `text` in `style` into the layout and returns its logical rectangle in points.
    private func load(_ text: String, style: TextStyle) -> (x: Double, y: Double, width: Double, height: Double) {
        pango_layout_set_font_description(layout, font(for: style))
        var utf8 = Array(PangoText.clean(text).utf8)
        utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
                pango_layout_set_text(layout, $0, Int32(buf.count))
            }
        }
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let scale = Double(PANGO_SCALE)
        return (Double(logical.x) / scale, Double(logical.y) / scale,
                Double(logical.width) / scale, Double(logical.height) / scale)
    }

    /// Width and height of the line's logical box, in points.
    func measure(_ text: String, style: TextStyle) -> Size {
        let box = load(text, style: style)
        return Size(text.isEmpty ? 0 : box.width, box.height)
    }

    /// Draws one line with its logical box's top at `top` and `x` placed per `anchor`.
    func show(_ text: String, x: Double, top: Double, style: TextStyle, anchor: TextAnchor, on cr: OpaquePointer) {
        let box = load(text, style: style)
        let left: Double
        switch anchor {
        case .start: left = x
        case .middle: left = x - box.width / 2
        case .end: left = x - box.width
        }
        let c = style.color
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
        // The layout's own origin is its logical box's top left minus the box offset.
        cairo_move_to(cr, left - box.x, top - box.y)
        pango_cairo_show_layout(cr, layout)
        cairo_new_path(cr)
    }

    /// Control characters (and NUL, which would cut the C string) become spaces, and
    /// Unicode noncharacters (U+FFFE, U+FDD0...) become U+FFFD: cairo rejects those as
    /// "not valid UTF-8" and the whole document would fail. Swift strings are otherwise
    /// always valid UTF-8.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || isNoncharacter($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            scalars.append(isControl(s) ? " " : isNoncharacter(s) ? "\u{FFFD}" : s)
        }
        return String(scalars)
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
    }

    /// Cairo's `UNICODE_VALID` minus the surrogates Swift never holds.
    private static func isNoncharacter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0xFDD0 && s.value <= 0xFDEF) || (s.value & 0xFFFE) == 0xFFFE
    }
}
