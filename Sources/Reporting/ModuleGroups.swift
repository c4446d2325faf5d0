import ModelKit

/// The rows grouped by the module path the reader found in the nodes' names (an exporter's
/// `/layer1/layer1.0/conv1/Conv`), for the explanation, the tables and the diagram.
public enum ModuleGroups {
    /// One top-level module: its name, its rows (in order), its parameters and how many
    /// sub-modules (blocks) it holds.
    public struct Group: Sendable {
        public var name: String
        public var rows: Int
        public var params: Int
        public var blocks: Int
    }

    /// True when the rows carry module paths worth grouping by: at least two modules, and
    /// at most three modules for every four rows (names that make nearly every node its own
    /// module group nothing).
    public static func applies(_ rows: [LayerRow]) -> Bool {
        let names = Set(rows.map { $0.module.first ?? $0.name })
        return Set(rows.compactMap { $0.module.first }).count >= 2 && names.count * 4 <= rows.count * 3
    }

    /// Top-level modules in order of first appearance; rows without a module are their own
    /// group, named after the row.
    public static func topLevel(_ rows: [LayerRow]) -> [Group] {
        var order: [String] = []
        var groups: [String: Group] = [:]
        var blocks: [String: Set<String>] = [:]
        for r in rows {
            let key = r.module.first ?? r.name
            if groups[key] == nil { order.append(key); groups[key] = Group(name: key, rows: 0, params: 0, blocks: 0) }
            groups[key]!.rows += 1
            groups[key]!.params += r.params ?? 0
            if r.module.count >= 2 { blocks[key, default: []].insert(r.module[1]) }
        }
        return order.map { k in var g = groups[k]!; g.blocks = blocks[k]?.count ?? 0; return g }
    }

    /// The explanation's sentence on modules, nil when the rows carry none.
    public static func sentence(_ a: ModelAnalysis) -> String? {
        guard applies(a.rows) else { return nil }
        let unit = a.source.conventions.unitName
        let groups = topLevel(a.rows)
        let shown = groups.prefix(12).map { g -> String in
            var parts: [String] = []
            if g.blocks > 1 { parts.append("\(g.blocks) blocks") }
            if g.rows > 1 { parts.append(Formatting.plural(g.rows, unit)) }
            if g.params > 0 && (g.rows > 1 || g.blocks > 1) { parts.append("\(Formatting.si(g.params)) parameters") }
            return parts.isEmpty ? g.name : "\(g.name) (\(parts.joined(separator: ", ")))"
        }
        let rest = groups.count > 12 ? " and \(groups.count - 12) more" : ""
        return "The exporter named the \(unit)s after the modules of the model they came from, so the \(Formatting.plural(a.rows.count, unit)) group into \(Formatting.plural(groups.count, "top-level module")), in order: \(shown.joined(separator: ", "))\(rest). The diagram frames each module's \(unit)s and the tables mark where a module begins."
    }
}
