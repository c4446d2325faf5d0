import Foundation
import ModelKit

/// A comparison (`ModelDiff`) as text: the terminal table, JSON (`strata-diff/1`) and
/// Markdown for a pull-request comment; and the wording of totals and changes the PDF shares.
public enum DiffText {
    public static func count(_ v: Int?) -> String { v.map { Formatting.count($0) } ?? "unknown" }

    /// A total's value: bytes with decimal prefixes, counts with separators.
    public static func value(_ v: Int?, key: String) -> String {
        key.hasSuffix("_bytes") ? (v.map { Formatting.bytes($0) } ?? "unknown") : count(v)
    }

    public static func delta(_ a: Int?, _ b: Int?, key: String = "") -> String {
        guard let a, let b else { return "" }
        let d = b - a
        guard d != 0 else { return "=" }
        let pct = a != 0 ? String(format: " (%+.1f%%)", Double(d) / Double(a) * 100) : ""
        return (d > 0 ? "+" : "−") + (key.hasSuffix("_bytes") ? Formatting.bytes(abs(d)) : Formatting.count(abs(d))) + pct
    }

    /// The terminal form: totals, then one line per change.
    public static func table(_ d: ModelDiff, latency: LatencyComparison? = nil) -> String {
        var lines = ["Old: \(d.old.file) (\(d.old.model))", "New: \(d.new.file) (\(d.new.model))", ""]
        var rows = d.totals.map { ($0.label, value($0.old, key: $0.key), value($0.new, key: $0.key), delta($0.old, $0.new, key: $0.key)) }
        if let l = latency { rows.append(latencyRow(l)) }
        let w0 = rows.map(\.0.count).max()!, w1 = rows.map(\.1.count).max()!, w2 = rows.map(\.2.count).max()!
        for (name, a, b, change) in rows {
            lines.append(name.padding(toLength: w0, withPad: " ", startingAt: 0) + "  " + String(repeating: " ", count: w1 - a.count) + a
                         + "  →  " + String(repeating: " ", count: w2 - b.count) + b + "  " + change)
        }
        lines.append("")
        if let l = latency {
            lines.append(latencyNote(l))
            let moved = movedLayers(l)
            for m in moved.prefix(10) {
                lines.append("  \(m.name) (\(m.className)): \(ms(m.oldMs)) → \(ms(m.newMs))  \(DiffPages.latencyChange(m.deltaMs, oldMs: m.oldMs, noiseMs: m.noiseMs))")
            }
            if moved.count > 10 { lines.append("  … and \(moved.count - 10) more layers whose time moved (--json lists every layer)") }
            lines.append("")
        }
        if d.isEmpty {
            lines.append("No differences: \(d.unchanged) layers match.")
            return lines.joined(separator: "\n")
        }
        for l in d.added { lines.append("+ added    \(l.name) (\(l.type))") }
        for l in d.removed { lines.append("- removed  \(l.name) (\(l.type))") }
        for r in d.renamed { lines.append("~ renamed  \(r.old) → \(r.new) (\(r.type))") }
        for c in d.changed {
            lines.append("* changed  \(c.name) (\(c.type))")
            for f in c.changes { lines.append(f.field == "weights" ? "      weights: \(f.new)" : "      \(f.field): \(f.old) → \(f.new)") }
        }
        lines.append("")
        lines.append("\(d.added.count) added, \(d.removed.count) removed, \(d.renamed.count) renamed, \(d.changed.count) changed, \(d.unchanged) unchanged.")
        return lines.joined(separator: "\n")
    }

    /// `strata-diff/1`.
    public static func json(_ d: ModelDiff, latency: LatencyComparison? = nil) -> String {
        func n(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        func total(_ a: Int?, _ b: Int?) -> JSONValue {
            .object(JSONObject([("old", n(a)), ("new", n(b)), ("delta", a != nil && b != nil ? .number(Double(b! - a!)) : .null)]))
        }
        func side(_ s: ModelDiff.Side) -> JSONValue {
            .object(JSONObject([("file", .string(s.file)), ("model", .string(s.model)), ("params", n(s.totals.params))]))
        }
        let root = JSONObject([
            ("schema", .string("strata-diff/1")),
            ("old", side(d.old)), ("new", side(d.new)),
            ("totals", .object(JSONObject(d.totals.map { ($0.key, total($0.old, $0.new)) }))),
            ("added", .array(d.added.map { .object(JSONObject([("name", .string($0.name)), ("type", .string($0.type))])) })),
            ("removed", .array(d.removed.map { .object(JSONObject([("name", .string($0.name)), ("type", .string($0.type))])) })),
            ("renamed", .array(d.renamed.map { .object(JSONObject([("old", .string($0.old)), ("new", .string($0.new)), ("type", .string($0.type))])) })),
            ("changed", .array(d.changed.map { c in
                .object(JSONObject([("name", .string(c.name)), ("type", .string(c.type)),
                                    ("changes", .array(c.changes.map { .object(JSONObject([("field", .string($0.field)), ("old", .string($0.old)), ("new", .string($0.new))])) }))]))
            })),
            ("unchanged", .number(Double(d.unchanged))),
        ] + (latency.map { [("latency", latencyJSON($0))] } ?? []))
        return JSONWriter.write(.object(root))
    }

    /// The most characters the Markdown may take (a pull-request comment holds 65,536).
    public static let markdownLimit = 60_000

    /// Markdown for a pull-request comment: the totals, the changes, the unchanged count;
    /// long lists cut with their count, names escaped as in the wiki pages.
    public static func markdown(_ d: ModelDiff, latency: LatencyComparison? = nil) -> String {
        func e(_ s: String) -> String { MarkdownEscaping.text(s) }
        var out = "### Model change: \(e(d.new.model))\n\n"
        out += "\(e(d.old.file)) → \(e(d.new.file))\n\n"
        out += "| | Old | New | Change |\n|:---|---:|---:|---:|\n"
        for t in d.totals {
            out += "| \(t.label) | \(value(t.old, key: t.key)) | \(value(t.new, key: t.key)) | \(delta(t.old, t.new, key: t.key)) |\n"
        }
        if let l = latency {
            let r = latencyRow(l)
            out += "| \(r.0) | \(r.1) | \(r.2) | \(r.3) |\n\n" + e(latencyNote(l)) + "\n"
            let moved = movedLayers(l)
            for m in moved.prefix(10) { out += "- \(e(m.name)) (\(e(m.className))): \(ms(m.oldMs)) → \(ms(m.newMs)), \(DiffPages.latencyChange(m.deltaMs, oldMs: m.oldMs, noiseMs: m.noiseMs))\n" }
            if moved.count > 10 { out += "- … and \(moved.count - 10) more layers whose time moved\n" }
        }
        out += "\n"
        if d.isEmpty { return out + "No differences: \(d.unchanged) layers match.\n" }
        out += "\(d.added.count) added, \(d.removed.count) removed, \(d.renamed.count) renamed, \(d.changed.count) changed, \(d.unchanged) unchanged.\n\n"
        var lines: [String] = []
        lines += d.added.map { "- **added** \(e($0.name)) (\(e($0.type)))" }
        lines += d.removed.map { "- **removed** \(e($0.name)) (\(e($0.type)))" }
        lines += d.renamed.map { "- **renamed** \(e($0.old)) → \(e($0.new)) (\(e($0.type)))" }
        for c in d.changed {
            let fields = c.changes.map { f in f.field == "weights" ? "weights: \(e(f.new))" : "\(e(f.field)): \(e(f.old)) → \(e(f.new))" }
            lines.append("- **changed** \(e(c.name)) (\(e(c.type))): " + fields.joined(separator: "; "))
        }
        // The first changes shown; the rest folded, and cut (with their count) to stay under the limit.
        let shown = 20
        out += lines.prefix(shown).joined(separator: "\n") + "\n"
        if lines.count > shown {
            var folded = "\n<details><summary>\(lines.count - shown) more changes</summary>\n\n"
            var kept = 0
            for line in lines.dropFirst(shown) {
                guard out.utf8.count + folded.utf8.count + line.utf8.count + 200 < markdownLimit else { break }
                folded += line + "\n"
                kept += 1
            }
            if kept < lines.count - shown { folded += "\n… and \(lines.count - shown - kept) more, left out to keep this comment under \(markdownLimit) characters.\n" }
            out += folded + "\n</details>\n"
        }
        return out
    }

    // MARK: Latency (--forward)

    static func ms(_ v: Double?) -> String { v.map(DiffPages.duration) ?? "—" }

    static func latencyRow(_ l: LatencyComparison) -> (String, String, String, String) {
        ("Latency (median)", ms(l.old.medianMs), ms(l.new.medianMs), DiffPages.latencyChange(l.deltaMs, oldMs: l.old.medianMs, noiseMs: l.noiseMs))
    }

    static func latencyNote(_ l: LatencyComparison) -> String {
        "Timed alternately in one process: \(l.new.runs) runs each after \(l.new.warmup) warm-up, batch 1, \(l.new.threads) thread(s), \(l.new.backend); "
            + "\(movedLayers(l).count) of \(l.layers.count) layers moved by more than their noise."
            + (l.new.disturbanceWarning.map { " " + $0 + "." } ?? "")
    }

    /// The layers whose time moved beyond their noise, most first.
    static func movedLayers(_ l: LatencyComparison) -> [LatencyComparison.Layer] {
        l.layers.filter(\.measurable).sorted { abs($0.deltaMs) > abs($1.deltaMs) }
    }

    static func latencyJSON(_ l: LatencyComparison) -> JSONValue {
        func opt(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        return .object(JSONObject([
            ("old_ms", .number(l.old.medianMs)), ("new_ms", .number(l.new.medianMs)), ("delta_ms", .number(l.deltaMs)),
            ("noise_ms", .number(l.noiseMs)), ("measurable", .bool(l.measurable)),
            ("runs", .number(Double(l.new.runs))), ("warmup", .number(Double(l.new.warmup))), ("threads", .number(Double(l.new.threads))),
            ("backend", .string(l.new.backend)),
            ("layers", .array(l.layers.map { m in
                .object(JSONObject([("name", .string(m.name)), ("type", .string(m.className)), ("old_ms", opt(m.oldMs)), ("new_ms", opt(m.newMs)),
                                    ("delta_ms", .number(m.deltaMs)), ("noise_ms", .number(m.noiseMs)), ("measurable", .bool(m.measurable))]))
            })),
        ]))
    }
}
