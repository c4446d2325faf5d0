import ModelKit

/// Number formatting shared by every renderer: thousands separators, decimal prefixes,
/// and "unknown" spelled out rather than a misleading zero.
public enum Formatting {
    /// `78666` -> `78,666`; nil -> `?`.
    public static func count(_ n: Int?) -> String {
        guard let n else { return "?" }
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Decimal prefixes: `12345678` -> `12.3 M`.
    public static func si(_ n: Int?, unit: String = "") -> String {
        guard let n else { return "?" }
        let prefixes = ["", "k", "M", "G", "T", "P", "E"]
        var v = Double(n)
        var p = 0
        while abs(v) >= 1000 && p < prefixes.count - 1 { v /= 1000; p += 1 }
        let number: String
        if p == 0 { number = String(n) } else if abs(v) >= 100 { number = String(format: "%.0f", v) } else if abs(v) >= 10 { number = String(format: "%.1f", v) } else { number = String(format: "%.2f", v) }
        let suffix = prefixes[p] + unit
        return suffix.isEmpty ? number : number + " " + suffix
    }

    /// Bytes with decimal prefixes: `314664` -> `314.7 kB`.
    public static func bytes(_ n: Int?) -> String {
        guard let n else { return "?" }
        if n < 1000 { return "\(n) B" }
        return si(n, unit: "B").replacingOccurrences(of: " kB", with: " kB")
    }

    /// A percentage with one decimal.
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        return String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    /// "1 layer" / "3 layers".
    public static func plural(_ n: Int, _ word: String, _ pluralWord: String? = nil) -> String {
        "\(count(n)) " + (n == 1 ? word : (pluralWord ?? word + "s"))
    }

    /// "a, b and c".
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// Wraps text to `width` columns at spaces.
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count > indent.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            if line.count > indent.count { line += " " }
            line += word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}

import Foundation
