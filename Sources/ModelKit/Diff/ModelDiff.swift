import Foundation
import Tensors

/// What changed between two versions of a model, for a review: layers (or nodes) added,
/// removed, renamed and changed, with the totals before and after. Format-neutral: layers
/// are compared through their analysis rows and their operators (the decoded configuration,
/// so two serialisations of the same model, Keras 2 and Keras 3, are not a change).
///
/// Matching: first by name; then each unmatched old layer with the first unmatched new one
/// of the same class and the same configuration (a rename); then, among the rest, by class and
/// position in the graph (a rename that also changed something).
public struct ModelDiff: Sendable {
    public struct Side: Sendable {
        public var file: String
        public var model: String
        public var totals: ModelAnalysis.Totals
        public var layers: Int
    }

    /// One field of a matched layer that differs.
    public struct Change: Sendable, Equatable {
        /// `output_shape`, `params`, `trainable_params`, `macs`, `inputs`, `weights` or
        /// `config.<key>`.
        public var field: String
        public var old: String
        public var new: String
    }

    public struct Layer: Sendable, Equatable {
        public var name: String
        public var type: String
    }

    public struct Renamed: Sendable, Equatable {
        public var old: String
        public var new: String
        public var type: String
    }

    public struct Changed: Sendable, Equatable {
        public var name: String
        public var type: String
        public var changes: [Change]
    }

    public var old: Side
    public var new: Side
    public var added: [Layer] = []
    public var removed: [Layer] = []
    public var renamed: [Renamed] = []
    public var changed: [Changed] = []
    public var unchanged = 0
    /// Every matched layer: old path -> new path (same name, or renamed).
    public var nameMap: [String: String] = [:]
    /// Where each removed layer was: the layers it read and the layers that read it, by
    /// their new paths (or, when they were removed too, by their old paths, which name no
    /// new layer).
    public var removedPlaces: [String: Place] = [:]

    public struct Place: Sendable, Equatable {
        public var after: [String]
        public var before: [String]
        public init(after: [String], before: [String]) {
            self.after = after
            self.before = before
        }
    }

    /// One total before and after: its JSON key (and `--fail-on` name), its label.
    public struct Total: Sendable, Equatable {
        public var key: String
        public var label: String
        public var old: Int?
        public var new: Int?
    }

    /// The totals compared (key, label, where a side has it), in the order every output lists them.
    static let totalKinds: [(key: String, label: String, value: @Sendable (Side) -> Int?)] = [
        ("params", "Parameters", { $0.totals.params }),
        ("trainable_params", "Trainable", { $0.totals.trainableParams }),
        ("non_trainable_params", "Non-trainable", { $0.totals.nonTrainableParams }),
        ("macs", "MACs", { $0.totals.macs }),
        ("weight_bytes", "Weight bytes", { $0.totals.weightBytes }),
        ("peak_activation_bytes", "Peak activation bytes", { $0.totals.peakActivationBytes }),
        ("layers", "Layers", { $0.layers }),
    ]

    public var totals: [Total] { Self.totalKinds.map { Total(key: $0.key, label: $0.label, old: $0.value(old), new: $0.value(new)) } }

    /// The `totals` keys.
    public static var totalKeys: [String] { totalKinds.map(\.key) }

    /// What happened to a layer of the new model (by path); nil when it is unchanged.
    public func status(ofNew path: String) -> Status? {
        if added.contains(where: { $0.name == path }) { return .added }
        if changed.contains(where: { $0.name == path }) { return renamed.contains(where: { $0.new == path }) ? .renamedAndChanged : .changed }
        if renamed.contains(where: { $0.new == path }) { return .renamed }
        return nil
    }

    public enum Status: String, Sendable { case added, changed, renamed, renamedAndChanged, removed }

    /// True when nothing differs (totals included).
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && renamed.isEmpty && changed.isEmpty }

    /// One model as the comparison sees it.
    public struct Input {
        public var file: String
        public var graph: ModelGraph
        public var analysis: ModelAnalysis
        /// The weights by layer path, when the file holds them (compared where both do).
        public var weights: [String: [Tensor]]?

        public init(file: String, graph: ModelGraph, analysis: ModelAnalysis, weights: [String: [Tensor]]? = nil) {
            self.file = file
            self.graph = graph
            self.analysis = analysis
            self.weights = weights
        }
    }

    /// A layer's comparable description.
    struct Entry {
        var path: String
        var row: LayerRow
        var config: [(key: String, value: String)]
        var signature: String { row.className + "|" + config.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }
    }

    public static func compare(_ a: Input, _ b: Input) -> ModelDiff {
        var diff = ModelDiff(old: side(a), new: side(b))
        let olds = entries(a), news = entries(b)
        var newIndex: [String: Int] = [:]
        for (i, e) in news.enumerated() { newIndex[e.path] = i }
        var pairs: [(Int, Int)] = []
        var usedNew = Set<Int>(), matchedOld = Set<Int>()
        for (i, e) in olds.enumerated() {
            if let j = newIndex[e.path] { pairs.append((i, j)); usedNew.insert(j); matchedOld.insert(i) }
        }
        // Renames: the same class and configuration, in order.
        var renames: [Int: Int] = [:]
        for (i, e) in olds.enumerated() where !matchedOld.contains(i) {
            if let j = news.indices.first(where: { !usedNew.contains($0) && news[$0].signature == e.signature }) {
                renames[i] = j; usedNew.insert(j); matchedOld.insert(i)
            }
        }
        // Then by class and position (relative place in the graph).
        for (i, e) in olds.enumerated() where !matchedOld.contains(i) {
            let place = Double(i) / Double(max(olds.count, 1))
            let candidates = news.indices.filter { !usedNew.contains($0) && news[$0].row.className == e.row.className }
            if let j = candidates.min(by: { abs(Double($0) / Double(max(news.count, 1)) - place) < abs(Double($1) / Double(max(news.count, 1)) - place) }),
               abs(Double(j) / Double(max(news.count, 1)) - place) < 0.1 {
                renames[i] = j; usedNew.insert(j); matchedOld.insert(i)
            }
        }
        var nameMap: [String: String] = [:]
        for (i, j) in pairs { nameMap[olds[i].path] = news[j].path }
        for (i, j) in renames { nameMap[olds[i].path] = news[j].path }
        diff.nameMap = nameMap
        for (i, j) in renames.sorted(by: { $0.value < $1.value }) {
            // Names the saving tool makes up for an input (`input_layer`, `input_1`) are form.
            if isDefaultInputName(olds[i]), isDefaultInputName(news[j]) { continue }
            diff.renamed.append(Renamed(old: olds[i].path, new: news[j].path, type: news[j].row.className))
        }
        for (i, e) in olds.enumerated() where !matchedOld.contains(i) {
            diff.removed.append(Layer(name: e.path, type: e.row.className))
            let prefix = String(e.path.dropLast(e.row.name.count))
            let after = e.row.inbound.map { nameMap[prefix + $0] ?? prefix + $0 }
            let before = olds.filter { $0.path.hasPrefix(prefix) && $0.path.dropFirst(prefix.count) == $0.row.name && $0.row.inbound.contains(e.row.name) }
                .map { nameMap[$0.path] ?? $0.path }
            diff.removedPlaces[e.path] = Place(after: after, before: before)
        }
        for (j, e) in news.enumerated() where !usedNew.contains(j) { diff.added.append(Layer(name: e.path, type: e.row.className)) }
        for (i, j) in (pairs + renames.map { ($0.key, $0.value) }).sorted(by: { $0.1 < $1.1 }) {
            let changes = fieldChanges(olds[i], news[j], nameMap: nameMap, weights: (a.weights?[olds[i].path], b.weights?[news[j].path]))
            if changes.isEmpty { diff.unchanged += 1 } else { diff.changed.append(Changed(name: news[j].path, type: news[j].row.className, changes: changes)) }
        }
        return diff
    }

    static func isDefaultInputName(_ e: Entry) -> Bool {
        e.row.category == .input && e.path.range(of: #"^input(_layer)?(_\d+)?$"#, options: .regularExpression) != nil
    }

    static func side(_ m: Input) -> Side {
        Side(file: m.file, model: m.analysis.modelName, totals: m.analysis.totals, layers: entries(m).count)
    }

    /// Every listed row, nested models opened (paths `outer/inner`), with its operator's
    /// configuration.
    static func entries(_ m: Input) -> [Entry] {
        var out: [Entry] = []
        func visit(_ rows: [LayerRow], _ graph: ModelGraph?, _ prefix: String) {
            for row in rows {
                let layer = graph?.layers.first { $0.name == row.name }
                out.append(Entry(path: prefix + row.name, row: row, config: layer.map { configuration($0.kind) } ?? []))
                if !row.children.isEmpty { visit(row.children, layer?.nestedGraph, prefix + row.name + "/") }
            }
        }
        visit(m.analysis.rows, m.graph, "")
        return out
    }

    /// The operator's settings as key/value text, one level of nested settings flattened
    /// (`geometry.kernelSize`); the file's own class name left out (it is the type).
    static func configuration(_ op: any Operator) -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        for child in Mirror(reflecting: op).children {
            guard let key = child.label, key != "sourceClass", key != "graph", key != "graphs" else { continue }
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .struct, !inner.children.isEmpty, inner.children.count <= 16 {
                for c in inner.children {
                    // How the file spelt a setting (a single axis or a list of one) is form.
                    guard let k = c.label, k != "className", k != "isList" else { continue }
                    out.append(("\(key).\(k)", text(c.value)))
                }
            } else {
                out.append((key, text(child.value)))
            }
        }
        return out
    }

    static func text(_ v: Any) -> String {
        let m = Mirror(reflecting: v)
        if m.displayStyle == .optional { return m.children.first.map { text($0.value) } ?? "none" }
        return String(describing: v)
    }

    static func fieldChanges(_ a: Entry, _ b: Entry, nameMap: [String: String], weights: ([Tensor]?, [Tensor]?)) -> [Change] {
        var out: [Change] = []
        func add(_ field: String, _ x: String, _ y: String) { if x != y { out.append(Change(field: field, old: x, new: y)) } }
        func num(_ v: Int?) -> String { v.map(String.init) ?? "unknown" }
        add("output_shape", a.row.outputShapes.map { $0?.description ?? "?" }.joined(separator: ", "),
            b.row.outputShapes.map { $0?.description ?? "?" }.joined(separator: ", "))
        add("params", num(a.row.params), num(b.row.params))
        add("trainable_params", num(a.row.trainableParams), num(b.row.trainableParams))
        add("macs", num(a.row.macs), num(b.row.macs))
        add("inputs", a.row.inbound.map { nameMap[$0] ?? $0 }.joined(separator: ", "), b.row.inbound.joined(separator: ", "))
        // Axes counted from the end and from the start are the same axes.
        func normalized(_ key: String, _ value: String, _ row: LayerRow) -> String {
            guard key.hasSuffix("axes") || key.hasSuffix("axis"), let rank = row.outputShapes.first??.rank else { return value }
            let inner = value.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts.isEmpty, let ints = Optional(parts.compactMap { Int($0) }), ints.count == parts.count else { return value }
            return "[" + ints.map { String($0 < 0 ? $0 + rank : $0) }.joined(separator: ", ") + "]"
        }
        var newConfig: [String: String] = [:]
        for (k, v) in b.config { newConfig[k] = normalized(k, v, b.row) }
        var oldKeys = Set<String>()
        for (k, v) in a.config {
            oldKeys.insert(k)
            add("config.\(k)", normalized(k, v, a.row), newConfig[k] ?? "none")
        }
        for (k, v) in b.config where !oldKeys.contains(k) { add("config.\(k)", "none", v) }
        if let wa = weights.0, let wb = weights.1, wa.count == wb.count, zip(wa, wb).allSatisfy({ $0.shape == $1.shape }) {
            var maxAbs: Float = 0, diff2: Double = 0, norm2: Double = 0
            for (x, y) in zip(wa, wb) {
                for (p, q) in zip(x.data, y.data) {
                    let d = abs(p - q)
                    if d > maxAbs || d.isNaN { maxAbs = d }
                    diff2 += Double(d) * Double(d)
                    norm2 += Double(p) * Double(p)
                }
            }
            if maxAbs != 0 {
                let rel = norm2 > 0 ? (diff2 / norm2).squareRoot() : .infinity
                out.append(Change(field: "weights", old: "", new: String(format: "max abs change %.3g, relative L2 change %.3g", Double(maxAbs), rel)))
            }
        }
        return out
    }
}
