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

    /// For each row, the module that begins there (`layer1 / layer1.0`: the first two levels of
    /// its path, when they differ from the row before), for the tables' headings; all nil when
    /// the rows do not group.
    public static func headings(_ rows: [LayerRow]) -> [String?] {
        guard applies(rows) else { return Array(repeating: nil, count: rows.count) }
        var previous: [String]? = nil
        return rows.map { r in
            let module = Array(r.module.prefix(2))
            defer { previous = module }
            return module != previous && !module.isEmpty ? module.joined(separator: " / ") : nil
        }
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

extension ModuleGroups {
    /// The model with each top-level module folded into one box: one row per module (its
    /// node count, parameters and MACs summed, the output of its last node), connected as its
    /// nodes are. Drawn before the full diagram, which then opens every module in its frame.
    /// Nil when the rows carry no module paths worth grouping by.
    public static func overview(_ a: ModelAnalysis) -> ModelAnalysis? {
        guard applies(a.rows) else { return nil }
        let unit = a.source.conventions.unitName
        func key(_ r: LayerRow) -> String { Self.key(r) }
        var order: [String] = []
        var members: [String: [LayerRow]] = [:]
        for r in a.rows {
            let k = key(r)
            if members[k] == nil { order.append(k) }
            members[k, default: []].append(r)
        }
        let groupOf = groupOf(a.rows)
        var rows: [LayerRow] = []
        for k in order {
            let m = members[k]!
            var row = LayerRow.folded(name: k, className: m.count == 1 ? m[0].className : "module · \(Formatting.plural(m.count, unit))",
                                      members: m, groupOf: groupOf)
            row.op = m.count == 1 ? m[0].op : "module"
            rows.append(row)
        }
        var out = a
        out.modelName = a.modelName + " · modules folded"
        out.rows = rows
        out.operations = []
        out.inputs = a.inputs
        out.outputs = a.outputs.map { ModelAnalysis.Endpoint(layer: groupOf[$0.layer] ?? $0.layer, shape: $0.shape) }
        return out
    }

    /// The overview box a row is folded into: its top-level module, or itself.
    static func key(_ r: LayerRow) -> String { r.module.first ?? r.name }

    /// Every row's name → the name of its box in the overview (for `BlockOverview.boxTimes`).
    public static func groupOf(_ rows: [LayerRow]) -> [String: String] {
        Dictionary(rows.map { ($0.name, key($0)) }, uniquingKeysWith: { first, _ in first })
    }
}
