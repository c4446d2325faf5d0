import ModelKit

/// Pairs the tensors of a weights file with the analysis's layers and weight specs, checking
/// counts and shapes; values are read afterwards (`ModelWeights.load`).
struct WeightMatcher {
    /// One layer's pairing: the analysis's specs and the stored tensors, in the same order.
    struct Entry {
        var path: String
        var specs: [WeightSpec]
        var stored: [KerasWeightIndex.Tensor]
    }

    let file: String
    let index: KerasWeightIndex
    private(set) var entries: [Entry] = []

    init(file: String, index: KerasWeightIndex) {
        self.file = file
        self.index = index
    }

    /// `(8, 3)`, as Keras prints shapes.
    static func show(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    private func error(_ path: String, _ message: String) -> StrataError {
        StrataError(file: file, place: "layer \"\(path)\"", message)
    }

    // MARK: - Keras 3

    /// Pairs a container's rows with its stored layers by the Keras 3 group key (snake-cased
    /// class name made unique), confirmed by the stored layer name when the file has one;
    /// falls back to the name.
    mutating func matchKeras3(rows: [LayerRow], stored: [KerasWeightIndex.Layer], prefix: String, container: String) throws {
        let layerRows = rows.filter { !$0.isOperation }
        let keys = KerasWeightIndex.keras3GroupKeys(classNames: layerRows.map(\.className))
        var used = Set<String>()
        for (row, key) in zip(layerRows, keys) {
            let path = prefix + row.name
            var found: KerasWeightIndex.Layer?
            if let byKey = stored.first(where: { Self.groupKey($0) == key }), byKey.name == row.name || byKey.name == key,
               !used.contains(byKey.groupPath) {
                found = byKey
            } else if let byName = stored.first(where: { $0.name == row.name }), !used.contains(byName.groupPath) {
                found = byName
            }
            if let found { used.insert(found.groupPath) }
            if !row.children.isEmpty || row.className == "Functional" || row.className == "Sequential" {
                if let found {
                    let own = found.weights.filter { !$0.relativePath.hasPrefix("layers/") }
                    if !own.isEmpty {
                        throw error(path, "the file has \(own.count) weight(s) of the nested model itself (\(own.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", "))); the analysis expects none")
                    }
                }
                try matchKeras3(rows: row.children, stored: found?.sublayers ?? [], prefix: path + "/", container: found?.groupPath ?? container)
            } else {
                // The file's group for this key belongs to a layer of another name: say what it
                // holds, since a weights file of another model is the usual cause.
                var hint: String?
                if found == nil, let other = stored.first(where: { Self.groupKey($0) == key }), !other.weights.isEmpty {
                    hint = "the file's group \(other.groupPath) holds layer \"\(other.name)\" with "
                        + other.weights.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", ")
                        + ": the weights file seems to belong to another model"
                }
                try addLeaf(path, row, found.map { Self.keras3Order(Self.withoutAliases($0.weights, className: row.className), row.weights) } ?? [],
                            groupPath: found?.groupPath, hint: hint)
            }
        }
        for s in stored where !used.contains(s.groupPath) {
            let extra = s.weights + s.sublayers.flatMap { $0.weights }
            if !extra.isEmpty {
                throw StrataError(file: file, place: s.groupPath,
                                  "the file has weights for a layer \"\(s.name)\" that the model does not have here: \(extra.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", "))")
            }
        }
    }

    /// The stored tensors without the copies Keras saves twice: SpectralNormalization keeps
    /// the wrapped layer's kernel as its own first variable (`self.kernel = layer.kernel`), so
    /// the file holds it under `vars/0` and again under `layer/vars/0`; Keras counts it once.
    static func withoutAliases(_ tensors: [KerasWeightIndex.Tensor], className: String) -> [KerasWeightIndex.Tensor] {
        guard className == "SpectralNormalization" else { return tensors }
        let own = tensors.filter { $0.relativePath.hasPrefix("vars/") }
        guard own.count == 2, let kernel = tensors.first(where: { $0.relativePath == "vars/0" }),
              tensors.contains(where: { $0.relativePath.hasSuffix("layer/vars/0") && $0.shape == kernel.shape }) else { return tensors }
        return tensors.filter { $0.relativePath != "vars/0" }
    }

    private static func groupKey(_ layer: KerasWeightIndex.Layer) -> String {
        layer.groupPath.split(separator: "/").last.map(String.init) ?? ""
    }

    /// A Keras 3 layer's tensors in the analysis's order: own variables first (index order),
    /// then sub-objects (`query_dense/`, `forward_layer/cell/`) ordered by where their owner
    /// first appears among the analysis's `owner/...` weight names, forward before backward,
    /// then file order.
    static func keras3Order(_ tensors: [KerasWeightIndex.Tensor], _ specs: [WeightSpec]) -> [KerasWeightIndex.Tensor] {
        var own: [KerasWeightIndex.Tensor] = []
        var groups: [(sub: String, owner: String, tensors: [KerasWeightIndex.Tensor])] = []
        for t in tensors {
            if t.relativePath.hasPrefix("vars/") { own.append(t); continue }
            let sub = t.relativePath.range(of: "vars/", options: .backwards).map { String(t.relativePath[..<$0.lowerBound]) } ?? t.relativePath
            if let i = groups.firstIndex(where: { $0.sub == sub }) { groups[i].tensors.append(t) } else { groups.append((sub, t.owner, [t])) }
        }
        var prefixes: [String] = []
        for s in specs {
            if let slash = s.name.firstIndex(of: "/") {
                let p = String(s.name[..<slash])
                if !prefixes.contains(p) { prefixes.append(p) }
            }
        }
        func rank(_ g: (sub: String, owner: String, tensors: [KerasWeightIndex.Tensor])) -> Int {
            let ownerRank = prefixes.firstIndex(of: g.owner) ?? prefixes.count
            let side = g.sub.hasPrefix("forward") ? 0 : g.sub.hasPrefix("backward") ? 2 : 1
            return ownerRank * 3 + side
        }
        let ordered = groups.enumerated().sorted { a, b in
            let ra = rank(a.element), rb = rank(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }
        return own + ordered.flatMap { $0.element.tensors }
    }

    // MARK: - Keras 2

    /// Pairs rows with the `layer_names` groups by name; a nested model's group holds its
    /// layers' weights flat, named `<inner layer>/<weight>:0`.
    mutating func matchKeras2(rows: [LayerRow], stored: [KerasWeightIndex.Layer]) throws {
        var used = Set<String>()
        for row in rows where !row.isOperation {
            let found = stored.first { $0.name == row.name }
            if let found { used.insert(found.name) }
            if !row.children.isEmpty {
                var pool = found?.weights ?? []
                try matchKeras2Nested(rows: row.children, pool: &pool, prefix: row.name + "/")
                if !pool.isEmpty {
                    throw error(row.name, "the file has weights that no layer of the nested model owns: \(pool.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", "))")
                }
            } else {
                try addLeaf(row.name, row, Self.keras2Order(found?.weights ?? [], row.weights), groupPath: found?.groupPath)
            }
        }
        for s in stored where !used.contains(s.name) && !s.weights.isEmpty {
            throw StrataError(file: file, place: s.groupPath,
                              "the file has weights for a layer \"\(s.name)\" that the model does not have: \(s.weights.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", "))")
        }
    }

    private mutating func matchKeras2Nested(rows: [LayerRow], pool: inout [KerasWeightIndex.Tensor], prefix: String) throws {
        for row in rows where !row.isOperation {
            if !row.children.isEmpty {
                try matchKeras2Nested(rows: row.children, pool: &pool, prefix: prefix + row.name + "/")
            } else {
                let mine = pool.filter { $0.owner == row.name }
                pool.removeAll { $0.owner == row.name }
                try addLeaf(prefix + row.name, row, Self.keras2Order(mine, row.weights), groupPath: nil)
            }
        }
    }

    /// Keras 2 tensors in the analysis's order, matched by name (`dense/kernel:0` ->
    /// `kernel`; a suffix match for wrappers, `bidi/forward_lstm/lstm_cell/kernel:0`); in file
    /// order when the names do not pair one to one.
    static func keras2Order(_ tensors: [KerasWeightIndex.Tensor], _ specs: [WeightSpec]) -> [KerasWeightIndex.Tensor] {
        guard tensors.count == specs.count else { return tensors }
        func normalized(_ t: KerasWeightIndex.Tensor) -> String {
            var n = t.relativePath
            if let colon = n.lastIndex(of: ":"), n[n.index(after: colon)...].allSatisfy(\.isNumber) { n = String(n[..<colon]) }
            if let slash = n.firstIndex(of: "/") { n = String(n[n.index(after: slash)...]) }
            return n
        }
        let names = tensors.map(normalized)
        var usedIdx = Set<Int>()
        var out: [KerasWeightIndex.Tensor] = []
        for s in specs {
            guard let i = names.indices.first(where: { !usedIdx.contains($0) && names[$0] == s.name })
                ?? names.indices.first(where: { !usedIdx.contains($0) && names[$0].hasSuffix("/" + s.name) }) else { return tensors }
            usedIdx.insert(i)
            out.append(tensors[i])
        }
        return out
    }

    // MARK: - Checks

    /// Checks one layer's stored tensors against the analysis's specs (count and shapes) and
    /// records the pairing.
    private mutating func addLeaf(_ path: String, _ row: LayerRow, _ stored: [KerasWeightIndex.Tensor], groupPath: String?, hint: String? = nil) throws {
        let specs = row.weights
        if row.params == nil && !stored.isEmpty && specs.isEmpty {
            throw error(path, "the analysis could not determine the weights of this layer (class \(row.className)), so its \(stored.count) stored weight(s) cannot be checked: \(stored.map { "\($0.relativePath) \(Self.show($0.shape))" }.joined(separator: ", "))")
        }
        var problems: [String] = []
        for i in 0..<max(specs.count, stored.count) {
            if i >= stored.count {
                problems.append("weight \"\(specs[i].name)\" is missing from the file (the analysis expects shape \(Self.show(specs[i].shape)), the file has \(stored.count) weight(s)\(groupPath.map { " under \($0)" } ?? ""))")
            } else if i >= specs.count {
                problems.append("the file has an extra weight \"\(stored[i].relativePath)\" of shape \(Self.show(stored[i].shape)) (the analysis expects \(specs.count) weight(s))")
            } else if stored[i].shape != specs[i].shape {
                problems.append("weight \"\(specs[i].name)\" has shape \(Self.show(stored[i].shape)) in the file (\(stored[i].hdf5Path)), the analysis expects \(Self.show(specs[i].shape))")
            }
        }
        if !problems.isEmpty { throw error(path, (problems + (hint.map { [$0] } ?? [])).joined(separator: "; ")) }
        entries.append(Entry(path: path, specs: specs, stored: stored))
    }
}
