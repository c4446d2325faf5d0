import Foundation
import Reporting

/// Measures text exactly as `CairoRenderer` draws it: Pango shaping (kerning, fallback
/// fonts), unhinted metrics, unrounded glyph positions, sizes in PDF points.
///
/// Safe to share between threads: one Pango context behind a lock, and a cache of every
/// (text, style) already measured, so a diagram that measures the same class names a
/// thousand times shapes each once.
public final class PangoTextMeasurer: TextMeasurer, @unchecked Sendable {
    private let lock = NSLock()
    private let pango = PangoText()
    private var cache: [Key: Size] = [:]

    private struct Key: Hashable {
        var text: String
        var style: TextStyle
    }

    /// A measurer with its own Pango font map.
    public init() {}

    /// Width and height of the line's logical box, in points; an empty string is 0 wide
    /// and one line high.
    public func measure(_ text: String, style: TextStyle) -> Size {
        var colourless = style
        colourless.color = .black
        let key = Key(text: text, style: colourless)
        lock.lock()
        defer { lock.unlock() }
        if let size = cache[key] { return size }
        let size = pango.measure(text, style: colourless)
        cache[key] = size
        return size
    }
}
