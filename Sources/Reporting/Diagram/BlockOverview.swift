import ModelKit

/// The diagram levels of a model built from repeated blocks (`BlockStructure`): an overview
/// where each run of blocks of one type is one box (`MBConv ×3`, its parameters and MACs
/// summed), then one diagram per block type in full detail (its first block). The full
/// layer-by-layer diagram is drawn only on request (`DiagramOptions.detail == .full`).
public enum BlockOverview {
    /// True when the model has blocks worth folding: at least two blocks, which fold away
    /// at least a quarter of its rows, in a model of 60 rows or more (a smaller model's full
    /// diagram is a page or two, and shows every layer).
    public static func applies(_ a: ModelAnalysis, _ s: BlockStructure) -> Bool {
        guard s.blocks.count >= 2 else { return false }
        let inBlocks = s.blocks.reduce(0) { $0 + $1.rows.count }
        let folded = inBlocks - s.runs.count
        return folded * 4 >= a.rows.count && a.rows.count >= 60
    }

    /// The overview: each stage of blocks one box (`16 MBConv blocks`, its parameters and
    /// MACs summed, the output of its last layer), each stretch of two or more layers outside
    /// the blocks one box (`stem`, `head`, `between …`), a single layer as it is; connected as
    /// their layers are.
    public static func overview(_ a: ModelAnalysis, _ s: BlockStructure) -> ModelAnalysis? {
        overviewAndGroups(a, s)?.analysis
    }

    /// The overview and, for every layer and inline operation it folds, the name of the box
    /// that stands for it (`groupOf`; a layer drawn as it is maps to its own name).
    public static func overviewAndGroups(_ a: ModelAnalysis, _ s: BlockStructure) -> (analysis: ModelAnalysis, groupOf: [String: String])? {
        guard applies(a, s) else { return nil }
        let unit = a.source.conventions.unitName
        // Group of each row: its stage, or its stretch of rows outside blocks.
        var stageOf = [Int?](repeating: nil, count: a.rows.count)
        for (k, stage) in s.stages.enumerated() { for b in stage { for r in s.blocks[b].rows { stageOf[r] = k } } }
        var groups: [(name: String, rows: [Int], stage: Int?)] = []
        for i in a.rows.indices {
            let st = stageOf[i]
            if let last = groups.last, last.stage == st, st != nil || stageOf[last.rows.last!] == nil {
                groups[groups.count - 1].rows.append(i)
            } else {
                groups.append(("", [i], st))
            }
        }
        let firstBlockRow = s.blocks.first?.rows.first ?? 0, lastBlockRow = s.blocks.last?.rows.last ?? 0
        for g in groups.indices {
            let rows = groups[g].rows
            if let st = groups[g].stage {
                let stage = s.stages[st]
                let first = s.blocks[stage.lowerBound].name, last = s.blocks[stage.upperBound - 1].name
                groups[g].name = stage.count == 1 ? first : stageName(first, last)
            } else if rows.count == 1 {
                groups[g].name = a.rows[rows[0]].name
            } else if rows.last! < firstBlockRow {
                groups[g].name = "stem"
            } else if rows.first! > lastBlockRow {
                groups[g].name = "head"
            } else {
                groups[g].name = "between \(a.rows[rows.first! - 1].name) and \(a.rows[rows.last! + 1].name)"
            }
        }
        var groupOf: [String: String] = [:]
        for g in groups { for r in g.rows { groupOf[a.rows[r].name] = g.name } }
        // An inline operation inside a block (a skip connection's `x + y`) folds with it.
        var boxOfStage: [Int: String] = [:]
        for g in groups { if let st = g.stage { boxOfStage[st] = g.name } }
        for (k, st) in s.stages.enumerated() {
            for b in st { for o in s.blocks[b].operations where o < a.operations.count { groupOf[a.operations[o].name] = boxOfStage[k] } }
        }
        /// A source inside a folded group reads the group's row.
        func remap(_ src: TensorSource) -> TensorSource {
            guard let g = groupOf[src.layer], g != src.layer else { return src }
            return TensorSource(layer: g, call: 0, tensor: 0)
        }
        var rows: [LayerRow] = []
        for g in groups {
            if g.rows.count == 1 && g.stage == nil {
                var kept = a.rows[g.rows[0]]
                kept.inputsPerCall = kept.inputsPerCall.map { call in call.map(remap) }
                kept.children = []
                kept.operations = []
                rows.append(kept)
                continue
            }
            let members = g.stage.map { st in s.stages[st].flatMap { memberRows(a, s.blocks[$0]) } } ?? g.rows.map { a.rows[$0] }
            let className: String
            if let st = g.stage {
                // The stage's blocks by kind: `3 MBConv blocks`, `1 bottleneck residual block`.
                var kinds: [(String, Int)] = []
                for b in s.stages[st] {
                    let base = s.types[s.blocks[b].type].label.components(separatedBy: " (").first ?? ""
                    if let i = kinds.firstIndex(where: { $0.0 == base }) { kinds[i].1 += 1 } else { kinds.append((base, 1)) }
                }
                className = kinds.map { "\($0.1) \($0.0) block\($0.1 == 1 ? "" : "s")" }.joined(separator: ", ")
                    + " · \(Formatting.plural(members.count, unit))"
            } else {
                className = Formatting.plural(members.count, unit)
            }
            var row = LayerRow.folded(name: g.name, className: className, members: members, groupOf: groupOf)
            row.op = "block"
            rows.append(row)
        }
        // Inline operations outside the blocks stay, reading from the folded rows.
        let operations = a.operations.filter { groupOf[$0.name] == nil }.map { op -> LayerRow in
            var o = op
            o.inputsPerCall = op.inputsPerCall.map { call in call.map(remap) }
            return o
        }
        var out = a
        out.modelName = a.modelName + " · overview"
        out.rows = rows
        out.operations = operations
        out.outputs = a.outputs.map { ModelAnalysis.Endpoint(layer: groupOf[$0.layer] ?? $0.layer, shape: $0.shape) }
        return (out, groupOf)
    }

    /// Each overview box's time: the per-layer medians of the layers and inline operations
    /// it stands for, summed (every call of a layer called more than once; a step fused into
    /// another's counts 0, its time being in that one's). Keyed by box name.
    public static func boxTimes(_ t: ForwardTiming, groupOf: [String: String]) -> [String: Double] {
        var out: [String: Double] = [:]
        for l in t.layers {
            let name = callBase(l.name)
            out[groupOf[name] ?? name, default: 0] += l.medianMs
        }
        return out
    }

    /// `conv (call 2)` → `conv`: the layer a timed call belongs to.
    static func callBase(_ name: String) -> String {
        guard name.hasSuffix(")"), let r = name.range(of: " (call ", options: .backwards),
              name[r.upperBound...].dropLast().allSatisfy(\.isNumber) else { return name }
        return String(name[..<r.lowerBound])
    }

    /// A stage's box name from its first and last blocks' names: `block2a … block2c`, or,
    /// for long names, the stage's prefix with what follows it
    /// (`convnext_tiny_stage_1 (block_0 … block_2)`).
    static func stageName(_ first: String, _ last: String) -> String {
        guard let prefix = BlockStructure.stagePrefix(first), first.count > 16, last.hasPrefix(prefix) else { return "\(first) … \(last)" }
        func rest(_ s: String) -> Substring { s.dropFirst(prefix.count).drop { $0 == "_" || $0 == "/" } }
        return "\(prefix) (\(rest(first)) … \(rest(last)))"
    }

    /// For each top-level row, the block that begins there (`block2a · MBConv (14 layers)`),
    /// for the layer table's headings; all nil when the model gets no overview.
    public static func headings(_ a: ModelAnalysis) -> [String?] {
        let s = BlockStructure.detect(a)
        var out = [String?](repeating: nil, count: a.rows.count)
        guard applies(a, s) else { return out }
        for b in s.blocks {
            guard let first = b.rows.min() else { continue }
            out[first] = "\(b.name) · \(s.types[b.type].label)"
        }
        return out
    }

    /// At most this many block type pages: a model with more types (NASNet's cells differ in
    /// how they adjust their inputs) gets one page per kind of block instead.
    public static let maximumTypePages = 5

    /// The block types drawn, each with the types it stands for: every type, or, beyond
    /// `maximumTypePages`, one per kind (its most common type drawn).
    public static func drawnTypes(_ s: BlockStructure) -> [(drawn: Int, types: [Int])] {
        guard s.types.count > maximumTypePages else { return s.types.indices.map { ($0, [$0]) } }
        var kinds: [String] = []
        var members: [String: [Int]] = [:]
        for t in s.types.indices {
            let k = s.kind(of: t)
            if members[k] == nil { kinds.append(k) }
            members[k, default: []].append(t)
        }
        return kinds.map { k in
            let ts = members[k]!
            let drawn = ts.max { s.types[$0].count < s.types[$1].count || (s.types[$0].count == s.types[$1].count && $0 > $1) }!
            return (drawn, ts)
        }
    }

    /// One analysis per drawn block type (`drawnTypes`): the layers of its first block, in
    /// full detail, or with `chains` each chain of layers (one input, read only by the
    /// next) in one box, for a block too big for one page.
    public static func typeDetails(_ a: ModelAnalysis, _ s: BlockStructure, chains: Bool = false) -> [ModelAnalysis] {
        drawnTypes(s).map { drawn, types in
            let t = s.types[drawn]
            let block = s.blocks[t.example]
            var out = a
            if types.count == 1 {
                out.modelName = "\(t.label) ×\(t.count) · drawn: \(block.name)"
            } else {
                let count = types.reduce(0) { $0 + s.types[$1].count }
                out.modelName = "\(s.kind(of: drawn)) ×\(count) (\(types.count) variants) · drawn: \(block.name), one of \(t.count)"
            }
            out.rows = compact(memberRows(a, block), chains: chains)
            out.operations = []
            out.inputs = []
            out.outputs = []
            return out
        }
    }

    /// A block's rows and inline operations in the order they compute.
    static func memberRows(_ a: ModelAnalysis, _ block: BlockStructure.Block) -> [LayerRow] {
        block.members.compactMap { m in
            switch m {
            case .row(let i): return i < a.rows.count ? a.rows[i] : nil
            case .operation(let k): return k < a.operations.count ? a.operations[k] : nil
            }
        }
    }

    /// The rows with each normalization, activation or dropout that directly follows its
    /// only producer (which feeds nothing else) drawn in that producer's box: `Conv2D →
    /// BatchNormalization → Activation` is one box, its parameters summed, the last output.
    static func compact(_ rows: [LayerRow], chains: Bool = false) -> [LayerRow] {
        var consumers: [String: Int] = [:]
        for r in rows { for name in Set(r.inbound) { consumers[name, default: 0] += 1 } }
        var out: [LayerRow] = []
        var headOf: [String: String] = [:]
        for r in rows {
            let follows = (chains || [.normalization, .activation, .regularization].contains(r.category)) && r.calls <= 1 && r.children.isEmpty
            if follows, r.inbound.count == 1, let producer = r.inbound.first, let h = out.lastIndex(where: { $0.name == (headOf[producer] ?? producer) }),
               consumers[producer] == 1, out[h].children.isEmpty {
                out[h].className += " → " + r.className
                out[h].params = checkedSum([out[h].params, r.params])
                // A folded chain goes by its first layer with a kernel (a ReLU → SeparableConv2D
                // → … chain is the separable convolution's box).
                if chains, r.category == .kernel, out[h].category != .kernel {
                    let old = out[h].name
                    out[h].name = r.name
                    for (k, v) in headOf where v == old { headOf[k] = r.name }
                    headOf[old] = r.name
                }
                out[h].outputShapes = r.outputShapes
                out[h].callOutputShapes = r.callOutputShapes
                if out[h].category != .kernel { out[h].category = r.category }
                headOf[r.name] = out[h].name
                continue
            }
            var kept = r
            kept.inputsPerCall = r.inputsPerCall.map { call in call.map { src in
                guard let h = headOf[src.layer] else { return src }
                return TensorSource(layer: h, call: 0, tensor: 0)
            } }
            out.append(kept)
        }
        return out
    }

    /// Fill colours for a box's share of the model's parameters, light to dark (one hue:
    /// readable without telling hues apart), with the shares each stands for.
    public static let shareSteps: [(limit: Double, label: String, fill: Color)] = [
        (0.01, "< 1 %", Color(hex: 0xF7FBFF)), (0.05, "1–5 %", Color(hex: 0xDEEBF7)), (0.15, "5–15 %", Color(hex: 0xC6DBEF)),
        (0.40, "15–40 %", Color(hex: 0x9ECAE1)), (1.01, "≥ 40 %", Color(hex: 0x6BAED6)),
    ]

    /// The fill for `params` of `total`.
    static func shareFill(_ params: Int?, total: Int?) -> Color {
        guard let params, let total, total > 0 else { return shareSteps[0].fill }
        return shareFill(Double(params) / Double(total))
    }

    /// The fill for a share between 0 and 1.
    static func shareFill(_ share: Double) -> Color {
        shareSteps.first { share < $0.limit }?.fill ?? shareSteps.last!.fill
    }
}

extension LayerRow {
    /// One row standing for `members` (a folded module, stage or stretch of layers): their
    /// parameters, MACs and bytes summed, the last member's output, reading the groups
    /// (`groupOf`: layer name → the name of the row standing for it) its members read.
    static func folded(name: String, className: String, members: [LayerRow], groupOf: [String: String]) -> LayerRow {
        var sources: [TensorSource] = []
        var seen = Set<String>()
        for m in members {
            for call in m.inputsPerCall {
                for src in call {
                    let from = groupOf[src.layer] ?? src.layer
                    if from != name, seen.insert(from).inserted { sources.append(TensorSource(layer: from, call: 0, tensor: 0)) }
                }
            }
        }
        let last = members.last!
        return LayerRow(
            name: name, className: className,
            category: members.contains { $0.category == .kernel } ? .kernel : members[0].category, supported: members.allSatisfy(\.supported),
            outputShapes: last.outputShapes, callOutputShapes: [last.outputShapes], weights: [],
            params: checkedSum(members.map(\.params)), trainableParams: checkedSum(members.map(\.trainableParams)),
            nonTrainableParams: checkedSum(members.map(\.nonTrainableParams)), weightBytes: checkedSum(members.map(\.weightBytes)),
            macs: checkedSum(members.map(\.macs)), outputBytes: last.outputBytes, inputsPerCall: [sources], children: [],
            trainable: members.allSatisfy(\.trainable))
    }
}
