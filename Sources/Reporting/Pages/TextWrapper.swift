/// Wraps and truncates text by measured width (not character counts), so what a layout
/// reserves is what the renderer draws.
public struct TextWrapper: Sendable {
    public var measurer: any TextMeasurer

    public init(measurer: any TextMeasurer) {
        self.measurer = measurer
    }

    public func width(_ text: String, _ style: TextStyle) -> Double {
        measurer.measure(text, style: style).width
    }

    public func lineHeight(_ style: TextStyle) -> Double {
        measurer.measure("Hg", style: style).height
    }

    /// Lines of at most `width` points, broken at spaces; a word wider than a line is cut
    /// between characters. Never returns an empty line for non-blank text.
    public func wrap(_ text: String, style: TextStyle, width: Double) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if self.width(candidate, style) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            var rest = word
            while self.width(rest, style) > width {
                let cut = fittingPrefixLength(rest, style: style, width: width)
                lines.append(String(rest.prefix(cut)))
                rest = String(rest.dropFirst(cut))
            }
            line = rest
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` if it fits in `width`, else its longest prefix that fits with "…" appended.
    public func truncate(_ text: String, style: TextStyle, width: Double) -> String {
        if self.width(text, style) <= width { return text }
        let chars = Array(text)
        var lo = 0, hi = chars.count - 1  // longest prefix length n with prefix + "…" fitting
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if self.width(String(chars[0..<mid]) + "…", style) <= width { lo = mid } else { hi = mid - 1 }
        }
        return String(chars[0..<lo]) + "…"
    }

    /// The most leading characters of `text` that fit in `width` (at least 1).
    func fittingPrefixLength(_ text: String, style: TextStyle, width: Double) -> Int {
        let chars = Array(text)
        var lo = 1, hi = chars.count
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if self.width(String(chars[0..<mid]), style) <= width { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
