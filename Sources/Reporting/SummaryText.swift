import ModelKit

/// The terminal summary in the spirit of `model.summary()`: one row per layer (nested
/// models indented beneath their row), totals, the four layer counts and the explanation.
/// Its width depends only on the model, never on the terminal.
public enum SummaryText {
    static let maxName = 44, maxShape = 30, maxConnected = 36, wrapWidth = 96

    struct Line { var name: String; var shape: [String]; var params: String; var macs: String; var connected: [String]; var weights: [String] = []
        /// A module that begins at this row (`layer1 / layer1.0`), printed as a heading above it.
        var module: String? = nil }

    /// `kernel (3, 3, 3, 16) trainable` for each weight tensor of a row.
    static func weightLines(_ r: LayerRow, indent: String) -> [String] {
        r.weights.map { w in
            let shape = w.shape.count == 1 ? "(\(w.shape[0]),)" : "(" + w.shape.map(String.init).joined(separator: ", ") + ")"
            return indent + "  · \(w.name) \(shape) \(Formatting.count(w.count)) \(w.trainable.map { $0 ? "trainable" : "non-trainable" } ?? "trainable or not: not recorded")"
        }
    }

    static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    static func lines(_ rows: [LayerRow], depth: Int, weights: Bool, unknown: String) -> [Line] {
        var out: [Line] = []
        let headings = depth == 0 ? ModuleGroups.headings(rows) : Array(repeating: nil, count: rows.count)
        for (i, r) in rows.enumerated() {
            let indent = String(repeating: "  ", count: depth)
            let shapes = r.outputShapes.isEmpty ? ["-"] : r.outputShapes.map { $0?.formatted(unknown: unknown) ?? "?" }
            var connected: [String] = []
            for (ci, names) in r.inboundPerCall.enumerated() {
                let prefix = r.calls > 1 ? "#\(ci): " : ""
                if names.isEmpty { continue }
                connected.append(prefix + names.joined(separator: ", "))
            }
            if connected.isEmpty { connected = ["-"] }
            let name = indent + "\(r.name) (\(r.className))" + (r.supported ? "" : " [unsupported]")
            var line = Line(name: name, shape: shapes, params: Formatting.count(r.params), macs: Formatting.si(r.macs), connected: connected,
                            weights: weights ? weightLines(r, indent: indent) : [])
            line.module = headings[i]
            out.append(line)
            out += lines(r.children, depth: depth + 1, weights: weights, unknown: unknown)
        }
        return out
    }

    /// Renders the summary; `weights` adds each layer's weight tensors beneath its row.
    public static func render(_ doc: ReportDocument, weights: Bool = false) -> String {
        let a = doc.analysis
        let rows = lines(a.rows, depth: 0, weights: weights, unknown: a.source.conventions.unknownDimension)
        let header = Line(name: "Layer (type)", shape: ["Output Shape"], params: "Param #", macs: "MACs", connected: ["Connected to"])
        let w0 = min(maxName, ([header] + rows).map(\.name.count).max() ?? 0)
        let w1 = min(maxShape, ([header] + rows).flatMap(\.shape).map(\.count).max() ?? 0)
        let w2 = ([header] + rows).map(\.params.count).max() ?? 0
        let w3 = ([header] + rows).map(\.macs.count).max() ?? 0
        let w4 = min(maxConnected, ([header] + rows).flatMap(\.connected).map(\.count).max() ?? 0)
        let total = w0 + w1 + w2 + w3 + w4 + 8
        func pad(_ s: String, _ w: Int) -> String { let t = truncate(s, w); return t + String(repeating: " ", count: max(0, w - t.count)) }
        func lpad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func render(_ l: Line) -> [String] {
            let count = max(l.shape.count, l.connected.count)
            return (0..<count).map { i in
                let name = i == 0 ? l.name : ""
                let shape = i < l.shape.count ? l.shape[i] : ""
                let conn = i < l.connected.count ? l.connected[i] : ""
                let p = i == 0 ? l.params : "", m = i == 0 ? l.macs : ""
                let line = pad(name, w0) + "  " + pad(shape, w1) + "  " + lpad(p, w2) + "  " + lpad(m, w3) + "  " + truncate(conn, w4)
                return String(line.reversed().drop(while: { $0 == " " }).reversed())
            } + l.weights
        }
        var out: [String] = []
        let title = "Model: \"\(a.modelName)\" (\(a.modelClass)) from \(a.source.file) [\(a.source.format), \(a.source.dialect)\(a.source.formatVersion.map { ", \(a.source.conventions.formatName) \($0)" } ?? "")]"
        out.append(title)
        out.append(String(repeating: "=", count: total))
        out += render(header)
        out.append(String(repeating: "=", count: total))
        for (i, l) in rows.enumerated() {
            if let module = l.module { out.append("[\(truncate(module, total - 2))]") }
            out += render(l)
            out.append(String(repeating: i == rows.count - 1 ? "=" : "-", count: total))
        }
        if rows.isEmpty { out.append(String(repeating: "=", count: total)) }
        let t = a.totals
        out.append("Total params:         \(Formatting.count(t.params)) (\(Formatting.bytes(t.weightBytes)))")
        out.append("Trainable params:     \(Formatting.count(t.trainableParams))")
        out.append("Non-trainable params: \(Formatting.count(t.nonTrainableParams))")
        if !t.layersWithUnknownParams.isEmpty {
            out.append("  not counted (unknown): \(t.layersWithUnknownParams.prefix(6).joined(separator: ", "))\(t.layersWithUnknownParams.count > 6 ? ", …" : "")")
        }
        let inputs = a.inputs.map { $0.shape?.formatted(unknown: a.source.conventions.unknownDimension) ?? "?" }.joined(separator: ", ")
        if t.macs == nil, a.inputs.contains(where: { $0.shape?.dims.dropFirst().contains(nil) ?? true }) {
            out.append("MACs at batch 1:      unknown: input \(inputs) leaves dimensions open (state them with --input-shape or --dim NAME=SIZE)")
        } else {
            out.append("MACs at batch 1:      \(Formatting.si(t.macs)) for input \(inputs) (FLOPs ≈ 2 × MACs)")
        }
        out.append("Peak activations:     \(Formatting.bytes(t.peakActivationBytes)) at batch 1 (live tensors in execution order)")
        out.append("")
        let c = a.counts
        out.append("How many \(a.source.conventions.unitName)s? Four honest answers:")
        out.append("  \(lpadNum(c.topLevelLayers))  \(a.source.conventions.layerCountLabel)")
        out.append("  \(lpadNum(c.withWeights))  \(a.source.conventions.unitName)s that own weights")
        out.append("  \(lpadNum(c.withKernel))  \(a.source.conventions.kernelCountLabel)")
        out.append("  \(lpadNum(c.depth))  depth: the most kernel \(a.source.conventions.unitName)s on any path from input to output")
        out.append("")
        for p in Explanation.paragraphs(a) {
            out += Formatting.wrap(p, width: wrapWidth)
            out.append("")
        }
        if !a.diagnostics.isEmpty {
            out.append("Diagnostics:")
            for d in a.diagnostics { out += Formatting.wrap("\(d.severity.rawValue) [\(d.id)] \(d.message)", width: wrapWidth, indent: "  ") }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    static func lpadNum(_ n: Int) -> String { let s = String(n); return String(repeating: " ", count: max(0, 5 - s.count)) + s }
}
