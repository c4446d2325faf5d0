/// Where a model came from.
public struct SourceInfo: Sendable, Hashable {
    /// The file as the user named it.
    public var file: String
    /// The reader's name for the container the file is (`onnx`, or a name per container of
    /// the same format).
    public var format: String
    /// The reader's name for the version of the format's conventions the file follows.
    public var dialect: String
    /// The version of the tool that wrote the file, as the file states it.
    public var formatVersion: String?
    public var backend: String?
    /// How the format's own tools count, in the reader's words.
    public var conventions: CountingConventions
    /// What the reader noticed about this file that changes how its figures read (an
    /// exporter that folded layers into others), as sentences for the explanation.
    public var notes: [String] = []

    public init(file: String, format: String, dialect: String, formatVersion: String? = nil, backend: String? = nil,
                conventions: CountingConventions = .unspecified) {
        self.file = file
        self.format = format
        self.dialect = dialect
        self.formatVersion = formatVersion
        self.backend = backend
        self.conventions = conventions
    }
}

/// The format-neutral graph every reader produces: node groups (`Layer`) in the file's own
/// order, each applying an operator by one or more calls; the tensors between them (named
/// by `name(of:)`, with shapes from `ShapeInference`); initializers; nested graphs as
/// `SubgraphOp` nodes; and the graph's input and output tensors.
///
/// Node order: `executionOrder` is a topological order of all calls (a layer's call may run
/// after later-listed layers when the graph reuses it).
public struct ModelGraph: Sendable {
    public var name: String
    /// The graph's own class as the file names it, for display.
    public var className: String
    public var layers: [Layer]
    public var inputs: [TensorRef]
    public var outputs: [TensorRef]
    public var executionOrder: [NodeID]
    /// The element type of each graph output when the file declares them (empty: float32).
    public var outputDTypes: [DType] = []
    public var source: SourceInfo
    public var trainable: Bool
    /// Names the file gives to tensors (ONNX value names), by producing call output.
    public var tensorNames: [TensorRef: String] = [:]
    /// Weight tensors the file holds by name, read lazily (ONNX initializers).
    public var initializers: [String: Initializer] = [:]
    /// Numbers the file holds outside its format's parameter count, by kind (reported
    /// beside the parameters).
    public var uncountedConstants: [ConstantTally] = []

    public init(name: String, className: String, layers: [Layer], inputs: [TensorRef], outputs: [TensorRef],
                executionOrder: [NodeID], source: SourceInfo, trainable: Bool = true) {
        self.name = name
        self.className = className
        self.layers = layers
        self.inputs = inputs
        self.outputs = outputs
        self.executionOrder = executionOrder
        self.source = source
        self.trainable = trainable
    }

    /// Index of the layer called `name`.
    public func layerIndex(named name: String) -> Int? { layers.firstIndex { $0.name == name } }

    /// Computes a topological order of all calls, or throws naming a layer on a cycle or a
    /// reference to a call that does not exist.
    /// Where each layer's calls start when all calls are numbered in file order (layer by
    /// layer, call by call), and the total at the end: call `c` of layer `l` is
    /// `offsets[l] + c`. Lets passes over calls use arrays instead of hashing `NodeID`s.
    public static func callOffsets(_ layers: [Layer]) -> [Int] {
        var offset = [Int](repeating: 0, count: layers.count + 1)
        for (li, layer) in layers.enumerated() { offset[li + 1] = offset[li] + layer.calls.count }
        return offset
    }

    public static func topologicalOrder(layers: [Layer]) throws -> [NodeID] {
        // Calls are numbered in file order (layer by layer, call by call): arrays indexed by
        // that number, no hashing, so a graph of 100,000 nodes orders in milliseconds.
        let offset = callOffsets(layers)
        let total = offset[layers.count]
        var all: [NodeID] = []
        all.reserveCapacity(total)
        var indegree = [Int](repeating: 0, count: total)
        var consumers = [[Int]](repeating: [], count: total)
        var deps: [Int] = []
        for (li, layer) in layers.enumerated() {
            for (ci, args) in layer.calls.enumerated() {
                let id = offset[li] + ci
                all.append(NodeID(layer: li, call: ci))
                deps.removeAll(keepingCapacity: true)
                for ref in args {
                    guard ref.layer >= 0, ref.layer < layers.count, ref.call >= 0, ref.call < layers[ref.layer].calls.count else {
                        throw StrataError(place: layer.path + " (layer \"\(layer.name)\")", "refers to a call that does not exist: \(ref)")
                    }
                    deps.append(offset[ref.layer] + ref.call)
                }
                // Each distinct producer counts once, in file order (the order stays stable).
                deps.sort()
                var previous = -1
                for d in deps where d != previous {
                    indegree[id] += 1
                    consumers[d].append(id)
                    previous = d
                }
            }
        }
        // Kahn's algorithm, preferring file order among ready nodes so the order is stable.
        var heap = MinHeap<Int>()
        for i in 0..<total where indegree[i] == 0 { heap.push(i) }
        var order: [NodeID] = []
        order.reserveCapacity(total)
        while let p = heap.pop() {
            order.append(all[p])
            for c in consumers[p] {
                indegree[c] -= 1
                if indegree[c] == 0 { heap.push(c) }
            }
        }
        if order.count < total {
            var done = [Bool](repeating: false, count: total)
            for n in order { done[offset[n.layer] + n.call] = true }
            let stuck = (0..<total).filter { !done[$0] }.map { layers[all[$0].layer].name }
            var seen = Set<String>()
            let names = stuck.filter { seen.insert($0).inserted }
            throw StrataError(place: "layers " + names.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (names.count > 5 ? ", …" : ""),
                              "the connections form a cycle; these layers depend on each other")
        }
        return order
    }
}

/// A small binary min-heap used for stable topological ordering.
struct MinHeap<T: Comparable> {
    private var items: [T] = []
    mutating func push(_ x: T) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }
    mutating func pop() -> T? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

extension ModelGraph {
    /// Operations that nothing the model returns depends on, by layer index: inline
    /// operations the format does not list whose values no call leading to an output reads
    /// (a framework's record of how a padding mask was computed, read only by mask arguments).
    /// The engine skips them.
    public var deadOperations: Set<Int> {
        var live = Set(outputs.map(\.layer))
        var stack = Array(live)
        while let l = stack.popLast() {
            for call in layers[l].calls { for ref in call where live.insert(ref.layer).inserted { stack.append(ref.layer) } }
            // An explicit attention mask is read by value (`Layer.explicitAttentionMask`).
            if let producer = layers[l].explicitAttentionMask, let p = layers.firstIndex(where: { $0.name == producer }),
               live.insert(p).inserted { stack.append(p) }
        }
        return Set(layers.indices.filter { !live.contains($0) && !layers[$0].listed && layers[$0].kind is TensorFunctionOp })
    }
}
