import Foundation

/// The repeated blocks a model is built from (ResNet's bottlenecks, EfficientNet's MBConv
/// blocks, Inception modules, NASNet cells, Transformer layers), found in the top-level
/// layers of an analysis by one mechanism for every format:
///
/// 1. Structure: a *cut point* is a layer after which only its own output is alive (no
///    connection from an earlier layer reaches past it). The layers between two cut points
///    form a segment; a residual block or an Inception module is one segment.
/// 2. Names: a layer's *block key* comes from the naming conventions model authors use
///    (`block3a_expand_conv` → `block3a`, `conv4_block2_1_conv` → `conv4_block2`,
///    `stage_1_block_2_…`, `block35_1_…`, `expanded_conv_3_…`, `conv_dw_7`, NASNet's
///    `normal_…_12`, `stage2/unit1/…`, a PyTorch module path `layer1.0`). Consecutive
///    segments whose layers share one key are one block; so are the layers of a key that no
///    cut separates (a block without a skip connection).
/// 3. Types: blocks are compared by their layers' operators and connections (shapes and
///    sizes aside): blocks that match are one type, named by what they contain (`MBConv`,
///    `bottleneck residual`, `Inception-style`, `Transformer`, …). Consecutive blocks of one
///    type are a *run* (drawn as one box `×N`); consecutive blocks with one output shape,
///    or one name prefix, a *stage*.
///
/// A nested model used as a layer is a block of its own. Layers outside every block (stems,
/// heads) are left as they are.
public struct BlockStructure: Sendable, Equatable {
    public struct Block: Sendable, Equatable {
        /// The name the block goes by: its key, or its last layer's name.
        public var name: String
        /// Index into `types`.
        public var type: Int
        /// Indices of its rows in the analysis's `rows`, in order.
        public var rows: [Int]
        /// Indices of the inline operations it holds (`x + y` in a Keras 3 functional model,
        /// the skip connection's add) in the analysis's `operations`.
        public var operations: [Int] = []
        /// Its rows and operations in the order they compute.
        public var members: [Member] = []
        public var params: Int?
        public var macs: Int?
        /// The shape of its last layer's first output.
        public var outputShape: TensorShape?
    }

    /// A layer row or an inline operation of the analysis.
    public enum Member: Sendable, Hashable {
        case row(Int)
        case operation(Int)
    }

    public struct BlockType: Sendable, Equatable {
        /// A plain-language name: `MBConv`, `bottleneck residual`, `Inception-style`, ….
        public var label: String
        /// Layers per block.
        public var layers: Int
        /// How many blocks have this type.
        public var count: Int
        /// The first block of this type (its full detail is drawn once).
        public var example: Int
    }

    /// The kind of a type: its label without the variant's suffix (`MBConv (14 layers)` →
    /// `MBConv`, `NASNet normal cell (B)` → `NASNet normal cell`).
    public func kind(of type: Int) -> String {
        types[type].label.components(separatedBy: " (").first ?? types[type].label
    }

    /// Consecutive blocks of one type.
    public struct Run: Sendable, Equatable {
        public var type: Int
        /// Indices into `blocks`.
        public var blocks: Range<Int>
    }

    public var blocks: [Block] = []
    public var types: [BlockType] = []
    public var runs: [Run] = []
    /// Consecutive blocks forming a stage (indices into `blocks`).
    public var stages: [Range<Int>] = []
    /// For each row of the analysis, its block (nil outside every block).
    public var rowBlock: [Int?] = []
    /// For each inline operation of the analysis, its block (nil outside every block).
    public var operationBlock: [Int?] = []

    public init() {}

    /// Parameters in blocks, summed (nil when a block's count is unknown).
    public var params: Int? { checkedSum(blocks.map(\.params)) }

    /// Finds the blocks of `analysis`: its rows and its inline operations, each operation
    /// placed right after the last row or operation it reads (a skip connection written
    /// `x + y` closes its block like an `Add` layer does).
    public static func detect(_ analysis: ModelAnalysis) -> BlockStructure {
        let ops = analysis.operations
        guard !ops.isEmpty else { return detect(rows: analysis.rows) }
        var position: [String: Int] = [:]
        for (i, r) in analysis.rows.enumerated() where position[r.name] == nil { position[r.name] = i }
        // Each operation's anchor: the last row it depends on (through other operations too).
        var anchor = [Int](repeating: -1, count: ops.count)
        var opIndex: [String: Int] = [:]
        for (k, o) in ops.enumerated() where opIndex[o.name] == nil { opIndex[o.name] = k }
        var state = [UInt8](repeating: 0, count: ops.count)  // 0 new, 1 visiting, 2 done
        func resolve(_ k: Int) -> Int {
            if state[k] == 2 { return anchor[k] }
            if state[k] == 1 { return -1 }
            state[k] = 1
            var a = -1
            for name in ops[k].inbound {
                if let r = position[name] { a = max(a, r) } else if let j = opIndex[name] { a = max(a, resolve(j)) }
            }
            anchor[k] = a
            state[k] = 2
            return a
        }
        for k in ops.indices { _ = resolve(k) }
        // The combined order: operations after their anchor, in their own order (which
        // follows their dependencies).
        var after = [[Int]](repeating: [], count: analysis.rows.count + 1)
        for k in ops.indices { after[anchor[k] + 1].append(k) }
        var combined: [LayerRow] = [], members: [Member] = []
        for k in after[0] { combined.append(ops[k]); members.append(.operation(k)) }
        for (i, r) in analysis.rows.enumerated() {
            combined.append(r); members.append(.row(i))
            for k in after[i + 1] { combined.append(ops[k]); members.append(.operation(k)) }
        }
        var s = detect(rows: combined)
        var rowBlock = [Int?](repeating: nil, count: analysis.rows.count)
        var operationBlock = [Int?](repeating: nil, count: ops.count)
        for b in s.blocks.indices {
            let ms = s.blocks[b].rows.map { members[$0] }
            s.blocks[b].members = ms
            s.blocks[b].rows = []
            s.blocks[b].operations = []
            for m in ms {
                switch m {
                case .row(let i): s.blocks[b].rows.append(i); rowBlock[i] = b
                case .operation(let k): s.blocks[b].operations.append(k); operationBlock[k] = b
                }
            }
        }
        s.rowBlock = rowBlock
        s.operationBlock = operationBlock
        return s
    }

    /// Finds the blocks of `rows` (a model without inline operations).
    public static func detect(rows: [LayerRow]) -> BlockStructure {
        var result = BlockStructure()
        result.rowBlock = Array(repeating: nil, count: rows.count)
        guard rows.count >= 4 else { return result }
        var index: [String: Int] = [:]
        for (i, r) in rows.enumerated() where index[r.name] == nil { index[r.name] = i }
        // Last consumer of each row, in row order.
        var last = Array(0..<rows.count)
        for (i, r) in rows.enumerated() {
            for name in r.inbound { if let j = index[name], j < i { last[j] = max(last[j], i) } }
        }
        // Cut points: no connection from an earlier row reaches past them.
        var cuts: [Int] = []
        var reach = 0
        for i in 0..<rows.count {
            if reach <= i { cuts.append(i) }
            reach = max(reach, last[i])
        }
        // Segments: (previous cut, cut]; the first segment starts at row 0.
        var segments: [[Int]] = []
        var start = 0
        for c in cuts where c >= start {
            segments.append(Array(start...c))
            start = c + 1
        }
        if start < rows.count { segments.append(Array(start..<rows.count)) }

        // Each module's child modules (by full path), so a module is a block only when it
        // holds several.
        var children: [String: Set<String>] = [:]
        for r in rows where r.module.count >= 2 {
            for k in 0..<(r.module.count - 1) { children[r.module[0...k].joined(separator: "/"), default: []].insert(r.module[k + 1]) }
        }
        let keys = rows.map { blockKey($0, moduleChildren: children) }
        func segmentKey(_ s: [Int]) -> String? {
            var counts: [String: Int] = [:]
            for i in s { if let k = keys[i] { counts[k, default: 0] += 1 } }
            guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else { return nil }
            // Most of the named layers agree.
            return best.value * 2 >= s.filter { keys[$0] != nil }.count ? best.key : nil
        }
        // A segment whose named layers carry several keys (cells that read the two previous
        // cells, so no cut separates them) splits where the key changes; unnamed layers stay
        // with the layers before them.
        var pieces: [(key: String?, rows: [Int])] = []
        for s in segments {
            var distinct: [String: Int] = [:]
            for i in s { if let k = keys[i] { distinct[k, default: 0] += 1 } }
            if distinct.filter({ $0.value >= 2 }).count >= 2 {
                var current: (key: String?, rows: [Int]) = (nil, [])
                for i in s {
                    if let k = keys[i], k != current.key, current.key != nil || !current.rows.isEmpty {
                        if current.key == nil { current.key = k; current.rows.append(i); continue }
                        pieces.append(current)
                        current = (k, [i])
                    } else {
                        if current.key == nil, let k = keys[i] { current.key = k }
                        current.rows.append(i)
                    }
                }
                if !current.rows.isEmpty { pieces.append(current) }
            } else {
                pieces.append((segmentKey(s), s))
            }
        }
        // Merge consecutive pieces of one key; an unnamed piece between two pieces of one
        // key belongs to them.
        var groups: [(key: String?, rows: [Int])] = []
        var p = 0
        while p < pieces.count {
            let piece = pieces[p]
            if let k = piece.key, let lastGroup = groups.last, lastGroup.key == k {
                groups[groups.count - 1].rows += piece.rows
            } else if let k = piece.key, groups.count >= 2, groups[groups.count - 2].key == k, groups[groups.count - 1].rows.count <= 4 {
                // A few layers of another block written in the middle of this one (a cell's
                // input adjustments created while the previous cell is built) stay with it.
                let interleaved = groups.removeLast()
                groups[groups.count - 1].rows += interleaved.rows + piece.rows
            } else if piece.key == nil, let lastGroup = groups.last, let k = lastGroup.key,
                      let next = pieces[(p + 1)...].first(where: { $0.key != nil }), next.key == k,
                      pieces[(p + 1)...].prefix(while: { $0.key == nil }).count + 1 <= 3 {
                groups[groups.count - 1].rows += piece.rows
            } else {
                groups.append(piece)
            }
            p += 1
        }
        // Candidate blocks: a keyed group, a nested model, or an unnamed multi-layer segment
        // (an Inception module, a residual block of unnamed layers).
        var candidates: [(name: String, rows: [Int])] = []
        var unnamed: [(name: String, rows: [Int], signature: String)] = []
        for g in groups {
            let rs = g.rows
            if let k = g.key, rs.count >= 2 {
                candidates.append((k, rs))
            } else if rs.count == 1, !rows[rs[0]].children.isEmpty {
                candidates.append((rows[rs[0]].name, rs))
            } else if g.key == nil, rs.count >= 3, rs.contains(where: { isMerge(rows[$0]) }) {
                unnamed.append((rows[rs.last!].name, rs, signature(rs, rows, index)))
            }
        }
        // An unnamed segment is a block when its structure repeats, when it joins three
        // branches or more (an Inception module, even one of a kind), or when a merge adds
        // the segment's input back (a skip connection); two embeddings summed at a model's
        // start are a stem, not a block.
        var seen: [String: Int] = [:]
        for u in unnamed { seen[u.signature, default: 0] += 1 }
        for u in unnamed {
            let inside = Set(u.rows)
            let qualifies = seen[u.signature, default: 0] >= 2 || u.rows.contains { r in
                isMerge(rows[r]) && (rows[r].inbound.count >= 3 || rows[r].inbound.contains { index[$0].map { !inside.contains($0) } ?? false })
            }
            if qualifies { candidates.append((u.name, u.rows)) }
        }
        candidates.sort { ($0.rows.first ?? 0) < ($1.rows.first ?? 0) }
        // Types by signature.
        var typeIndex: [String: Int] = [:]
        for c in candidates {
            let sig = signature(c.rows, rows, index)
            let t: Int
            if let known = typeIndex[sig] {
                t = known
                result.types[t].count += 1
            } else {
                t = result.types.count
                typeIndex[sig] = t
                result.types.append(BlockType(label: "", layers: c.rows.count, count: 1, example: result.blocks.count))
            }
            let lastRow = rows[c.rows.last!]
            result.blocks.append(Block(name: c.name, type: t, rows: c.rows, members: c.rows.map { .row($0) },
                                       params: checkedSum(c.rows.map { rows[$0].params }),
                                       macs: checkedSum(c.rows.map { rows[$0].macs }), outputShape: lastRow.outputShapes.first ?? nil))
            for r in c.rows { result.rowBlock[r] = result.blocks.count - 1 }
        }
        // Labels, made unique.
        let kinds = result.types.map { t in typeLabel(result.blocks[t.example].rows.map { rows[$0] }, name: result.blocks[t.example].name) }
        var used: [String: Int] = [:]
        for t in result.types.indices {
            var label = kinds[t]
            // Variants of one kind (a stage's first block with its projection) differ in size.
            let sameKind = result.types.indices.filter { kinds[$0] == kinds[t] }
            if sameKind.count > 1, Set(sameKind.map { result.types[$0].layers }).count == sameKind.count {
                label += " (\(result.types[t].layers) layers)"
            }
            if let n = used[label] {
                used[label] = n + 1
                label += " (\(Character(UnicodeScalar(UInt8(65 + min(n, 25))))))"
            } else {
                used[label] = 1
            }
            result.types[t].label = label
        }
        // Runs of one type, and stages.
        var b = 0
        while b < result.blocks.count {
            var e = b + 1
            while e < result.blocks.count && result.blocks[e].type == result.blocks[b].type && adjacent(result.blocks[e - 1], result.blocks[e]) { e += 1 }
            result.runs.append(Run(type: result.blocks[b].type, blocks: b..<e))
            b = e
        }
        b = 0
        while b < result.blocks.count {
            var e = b + 1
            while e < result.blocks.count && sameStage(result.blocks[e - 1], result.blocks[e]) { e += 1 }
            result.stages.append(b..<e)
            b = e
        }
        return result
    }

    /// Blocks are adjacent when no layer outside both lies between them.
    static func adjacent(_ a: Block, _ b: Block) -> Bool { (a.rows.last ?? 0) + 1 >= (b.rows.first ?? 0) - 2 }

    /// Two consecutive blocks are in one stage when their name prefixes (the key without its
    /// last index) agree, or, without such names, when their outputs have one shape.
    static func sameStage(_ a: Block, _ b: Block) -> Bool {
        let pa = stagePrefix(a.name), pb = stagePrefix(b.name)
        if let pa, let pb { return pa == pb }
        // A block named by no stage (a nested stem model) next to one of a named stage.
        if (pa == nil) != (pb == nil) { return false }
        guard let sa = a.outputShape, let sb = b.outputShape else { return false }
        return sa == sb
    }

    /// `block3a` → `block3`, `conv4_block2` → `conv4`, `stage_1_block_2` → `stage_1`; nil
    /// when the name has no stage part.
    public static func stagePrefix(_ name: String) -> String? {
        if let m = name.firstMatch(of: /^(.*block_?\d+)[a-z]$/) { return String(m.1) }
        if let m = name.firstMatch(of: /^(.+?)_+block_?\d+$/) { return String(m.1) }
        if let m = name.firstMatch(of: /^(.*stage_?\d+)[\/_]unit_?\d+$/) { return String(m.1) }
        if let m = name.firstMatch(of: /^(block\d+)_\d+$/) { return String(m.1) }
        return nil
    }

    /// The block a layer's name says it belongs to, by the common naming conventions; nil
    /// for a name that says none.
    static func blockKey(_ row: LayerRow, moduleChildren: [String: Set<String>] = [:]) -> String? {
        let n = row.name
        if row.module.count >= 2 {
            // A module path: the deepest module whose name ends in an index (`layer1.0` of
            // `/layer1/layer1.0/conv1/Conv`) and that holds several modules; a module of one
            // layer and its op scopes (tf2onnx's `batch_normalization_1/batchnorm`) is no block.
            for k in stride(from: row.module.count - 2, through: 0, by: -1) {
                let m = row.module[k]
                guard m.firstMatch(of: /[._]\d+$/) != nil else { continue }
                if (moduleChildren[row.module[0...k].joined(separator: "/")]?.count ?? 0) >= 2 { return m }
            }
        }
        // Plain string tests first: regular expressions are slow, and most names match none.
        func has(_ part: String) -> Bool { n.contains(part) }
        // NASNet cells: `normal_left1_12`, `separable_conv_1_normal_left1_12`,
        // `reduction_add_2_stem_1`, `adjust_bn_reduce_4` (the layers that adjust a cell's
        // inputs belong to it): the cell is the name's last part.
        for word in ["normal_", "reduction_", "adjust_"] where n.hasPrefix(word) || has("_" + word) {
            let parts = n.split(separator: "_")
            guard let last = parts.last, last.allSatisfy(\.isNumber), !last.isEmpty else { break }
            if parts.count >= 2, parts[parts.count - 2] == "stem" || parts[parts.count - 2] == "reduce" {
                return "cell_\(parts[parts.count - 2])_\(last)"
            }
            return "cell_\(last)"
        }
        if has("block") {
            if has("stage"), let m = n.firstMatch(of: /^(.*stage_?\d+_block_?\d+)(?:_|$)/) { return String(m.1) }
            if n.hasPrefix("conv"), let m = n.firstMatch(of: /^(conv\d+_block\d+)(?:_|$)/) { return String(m.1) }
            if n.hasPrefix("block") {
                if let m = n.firstMatch(of: /^(block\d+_\d+)(?:_|$)/) { return String(m.1) }
                if let m = n.firstMatch(of: /^(block_?\d+[a-z]?)(?:_|$)/) { return String(m.1) }
            }
        }
        if n.hasPrefix("expanded_conv"), let m = n.firstMatch(of: /^(expanded_conv(?:_\d+)?)(?:_|$)/) { return String(m.1) }
        if n.hasPrefix("conv_"), let m = n.firstMatch(of: /^conv_(?:dw|pw)_(\d+)(?:_|$)/) { return "conv_\(m.1)" }
        if has("unit"), let m = n.firstMatch(of: /^(.*?stage_?\d+[\/_]unit_?\d+)(?:[\/_]|$)/) { return String(m.1) }
        if has("encoder") || has("decoder") || has("transformer"),
           let m = n.firstMatch(of: /^(.*?(?:encoder|decoder|transformer)_?(?:layer|block)?_?\d+)(?:[\/_]|$)/) { return String(m.1) }
        return nil
    }

    /// A layer joining two tensors or more (an ONNX `Add` of a tensor and a held constant,
    /// an exported bias or normalization, joins nothing).
    static func isMerge(_ r: LayerRow) -> Bool {
        Set(r.inbound).count >= 2 && ["add", "concatenate", "multiply", "subtract", "average", "maximum", "minimum"].contains(kind(r))
    }

    /// A row's operator, or for an inline operation (`x + y`, operator `function`) its
    /// class in lower case (`add`), so both forms of a skip connection read alike.
    static func kind(_ r: LayerRow) -> String { r.op == "function" ? r.className.lowercased() : r.op }

    /// What a block computes, shapes and sizes aside: each layer's operator and class and
    /// which earlier layers of the block (or "outside") feed it.
    static func signature(_ members: [Int], _ rows: [LayerRow], _ index: [String: Int]) -> String {
        var local: [Int: Int] = [:]
        for (k, r) in members.enumerated() { local[r] = k }
        return members.enumerated().map { k, r in
            let row = rows[r]
            let ins = row.inbound.map { name -> String in
                guard let j = index[name], let l = local[j] else { return "x" }
                return String(k - l)
            }.sorted().joined(separator: ",")
            let inner = row.children.isEmpty ? "" : "{\(signature(Array(row.children.indices), row.children, Dictionary(row.children.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })))}"
            return "\(row.op):\(row.className)\(inner)<\(ins)"
        }.joined(separator: ";")
    }

    /// A plain-language name for a block type from what it contains.
    static func typeLabel(_ members: [LayerRow], name: String = "") -> String {
        // An add or multiply of one tensor and a constant (exported bias, scale) is no merge.
        let ops = members.map { r in ["add", "multiply"].contains(kind(r)) && !isMerge(r) ? "constant_" + kind(r) : kind(r) }
        func has(_ op: String) -> Bool { ops.contains(op) }
        let convs = members.filter { $0.op == "convolution" }.count
        let depthwise = ops.contains { $0.contains("depthwise") }
        let separable = ops.contains { $0.contains("separable") }
        let attention = ops.contains { $0.contains("attention") }
        let concats = members.filter { kind($0) == "concatenate" }
        if members.count == 1, !members[0].children.isEmpty { return "\(members[0].className) (nested model)" }
        if attention { return has("layer_norm") ? "Transformer" : "attention" }
        if depthwise && has("multiply") { return has("add") ? "MBConv (residual)" : "MBConv" }
        if (depthwise || convs == 1) && has("layer_norm") && has("dense") { return "ConvNeXt" }
        if depthwise { return has("add") ? "inverted residual" : "depthwise separable" }
        if separable && concats.count > 0 {
            // NASNet's cells by their names: reduction cells (the stem's too) halve the grid.
            if name.hasPrefix("cell_") { return name.contains("reduce") || name.contains("stem") ? "NASNet reduction cell" : "NASNet normal cell" }
            return "NASNet cell"
        }
        if separable { return has("add") ? "separable residual" : "separable convolution" }
        if let c = concats.first {
            if c.inbound.count >= 3 { return has("add") ? "Inception-ResNet" : "Inception-style" }
            return "dense (concatenating)"
        }
        if has("add") {
            // Spatial kernels (wider than 1×1): one between 1×1 convolutions is a bottleneck.
            let spatial = members.filter { $0.op == "convolution" && ($0.weights.first?.shape.dropLast(2).contains { $0 > 1 } ?? false) }.count
            if spatial == 1 && convs >= 3 { return "bottleneck residual" }
            return "residual"
        }
        if convs > 0 { return ops.contains { $0.hasSuffix("_pool") } ? "convolution stage" : "convolution block" }
        return "\(members.first?.className ?? "layer") block"
    }
}
