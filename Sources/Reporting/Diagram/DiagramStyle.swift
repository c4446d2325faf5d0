import ModelKit

/// Text styles, sizes and wording of the diagram's boxes.
enum DiagramStyle {
    static let padding = 5.0
    static let minimumWidth = 90.0
    /// Names longer than this are shortened in the middle (the full name stays in the layer table).
    static let maximumWidth = 260.0

    static func name(_ theme: Theme) -> TextStyle { TextStyle(size: 8, weight: .bold, color: theme.text) }
    static func detail(_ theme: Theme) -> TextStyle { TextStyle(size: 8, color: theme.mutedText) }
    static func mono(_ theme: Theme) -> TextStyle { TextStyle(family: TextStyle.mono, size: 8, color: theme.text) }
    static func label(_ theme: Theme) -> TextStyle { TextStyle(size: 8, weight: .bold, color: theme.clusterStroke) }
    /// The smallest text size in a box: the scale may shrink the diagram down to `minimumTextSize / smallest`.
    static let smallestSize = 8.0

    static func shapeText(_ shapes: [TensorShape?], unknown: String) -> String {
        if shapes.isEmpty { return "?" }
        return shapes.map { $0?.formatted(unknown: unknown) ?? "?" }.joined(separator: ", ")
    }

    static func paramText(_ params: Int?) -> String {
        guard let p = params else { return "? params" }
        return p == 0 ? "no weights" : Formatting.count(p) + (p == 1 ? " param" : " params")
    }

    static func lineHeight(_ style: TextStyle) -> Double { style.size * 1.25 }

    static func width(of lines: [DiagramBox.Line], measurer: any TextMeasurer) -> Double {
        let w = lines.map { measurer.measure($0.text, style: $0.style).width }.max() ?? 0
        return min(max(w + 2 * padding, minimumWidth), maximumWidth)
    }

    static func height(of lines: [DiagramBox.Line]) -> Double {
        lines.map { lineHeight($0.style) }.reduce(0, +) + 2 * padding - 2
    }

    /// `text` shortened in the middle with `…` to fit `width`.
    static func fit(_ text: String, _ style: TextStyle, width: Double, measurer: any TextMeasurer) -> String {
        // Half a point to spare: scaled font sizes are rounded to 0.01 pt.
        let width = width + 0.5
        if measurer.measure(text, style: style).width <= width { return text }
        var chars = Array(text)
        while chars.count > 3 {
            let mid = chars.count / 2
            chars.remove(at: mid)
            let s = String(chars[..<(chars.count / 2)]) + "…" + String(chars[(chars.count / 2)...])
            if measurer.measure(s, style: style).width <= width { return s }
        }
        return String(chars)
    }
}
