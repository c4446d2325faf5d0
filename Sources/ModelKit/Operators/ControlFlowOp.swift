/// A node that runs graphs of its own: a branch (one of its graphs, chosen at run time), a
/// loop (its body run while a condition holds, for at most a trip count), a scan (its
/// body run once per slice of its sequence inputs) or a call (a function the file defines
/// once and calls by name: its body run on the node's arguments).
///
/// A nested graph may read tensors of the graph around it by name; the reader turns each
/// such tensor into an input of the nested graph (after its own inputs) and an argument of
/// this node (after the node's own arguments), so the graph stays a plain graph.
public struct ControlFlowOp: Operator {
    public enum Kind: String, Sendable { case branch, loop, scan, call }

    public var sourceClass: String = ""
    public let kind: Kind
    /// The nested graphs (a branch's alternatives, or the one body), with the names the file
    /// gives their roles (`then_branch`, `else_branch`, `body`).
    public let graphs: [ModelGraph]
    public let labels: [String]
    /// The node's own arguments by position: the index into the call's tensors, nil where an
    /// optional argument is left out.
    public let formal: [Int?]
    /// For each nested graph, the call's tensors that feed its captured inputs, in order.
    public let captured: [[Int]]
    /// Number of outputs the node declares.
    public let outputCount: Int
    /// Scan: how many of the formal arguments are sequences (the rest, first, are states).
    public var scanInputs: Int = 0
    /// Scan: per sequence input and per scan output, 1 when it runs from its end (reversed);
    /// and the axis each is cut along or stacked on (0 when not given).
    public var scanInputDirections: [Int] = []
    public var scanOutputDirections: [Int] = []
    public var scanInputAxes: [Int] = []
    public var scanOutputAxes: [Int] = []
    /// Arguments the file holds (a trip count, a weight), by position: their shape, and their
    /// contents when small. They are not among the call's tensors.
    public var heldArguments: [Int: TensorValue] = [:]

    public init(kind: Kind, graphs: [ModelGraph], labels: [String], formal: [Int?], captured: [[Int]], outputCount: Int) {
        self.kind = kind
        self.graphs = graphs
        self.labels = labels
        self.formal = formal
        self.captured = captured
        self.outputCount = outputCount
    }

    public var family: String { "control_flow" }
    public var category: LayerCategory { .model }
    public var subgraphs: [ModelGraph] { graphs }

    /// The input shapes each nested graph is inferred with, for this call's input shapes.
    public func graphInputShapes(_ inputs: [TensorShape], values: [TensorValue?] = []) -> [[TensorShape]] {
        func arg(_ i: Int) -> TensorShape? {
            if let held = heldArguments[i] { return TensorShape(held.shape.map { $0 }) }
            return i < formal.count ? formal[i].flatMap { $0 < inputs.count ? inputs[$0] : nil } : nil
        }
        return graphs.indices.map { g in
            let caps = captured[g].map { $0 < inputs.count ? inputs[$0] : TensorShape([]) }
            switch kind {
            case .branch:
                return caps
            case .call:
                return (0..<graphs[g].inputs.count).map { arg($0) ?? TensorShape([]) }
            case .loop:
                // Body inputs: iteration number, condition, then the carried values.
                let carried = (2..<max(formal.count, 2)).map { arg($0) ?? TensorShape([]) }
                return [TensorShape([]), TensorShape([])] + carried + caps
            case .scan:
                let states = formal.count - scanInputs
                let own = (0..<formal.count).map { i -> TensorShape in
                    guard let s = arg(i) else { return TensorShape([]) }
                    if i < states { return s }
                    // One slice of a sequence: its first axis removed.
                    return TensorShape(dimensions: Array(s.dimensions.dropFirst()))
                }
                return own + caps
            }
        }
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        try outputShapes(inputs, values: [])
    }

    /// With known contents: a branch whose condition is known before running takes only the
    /// graph it will run (the rank tests exporters write pick one branch for every input), and
    /// captured values known outside are known inside.
    public func outputShapes(_ inputs: [TensorShape], values: [TensorValue?]) throws -> [TensorShape] {
        let shapes = graphInputShapes(inputs)
        func inner(_ g: Int) -> ShapeInference {
            ShapeInference.run(graphs[g], inputShapes: shapes[g], inputValues: graphInputValues(g, values))
        }
        if kind == .branch, let c = formal.first ?? nil, c < values.count, let condition = values[c]?.ints?.first {
            let taken = condition != 0 ? 0 : 1
            let one = ControlFlowOp(kind: kind, graphs: [graphs[taken]], labels: [labels[taken]], formal: formal,
                                    captured: [captured[taken]], outputCount: outputCount)
            return try one.outputs(inputs, [inner(taken)])
        }
        return try outputs(inputs, graphs.indices.map(inner))
    }

    /// The known contents of graph `g`'s inputs: its own (none known) then its captured ones.
    func graphInputValues(_ g: Int, _ values: [TensorValue?]) -> [TensorValue?] {
        guard !values.isEmpty else { return [] }
        let own: Int
        switch kind {
        case .branch: own = 0
        case .call: return graphs[g].inputs.indices.map { i in
            heldArguments[i] ?? (i < formal.count ? formal[i].flatMap { $0 < values.count ? values[$0] : nil } : nil) }
        case .loop: own = 2 + max(formal.count - 2, 0)
        case .scan: own = formal.count
        }
        return Array(repeating: nil, count: own) + captured[g].map { $0 < values.count ? values[$0] : nil }
    }

    /// The node's output shapes from its graphs' inferences (`inners`, one per graph).
    public func outputs(_ inputs: [TensorShape], _ inners: [ShapeInference]) throws -> [TensorShape] {
        func graphOutputs(_ g: Int) throws -> [TensorShape?] {
            if let e = inners[g].diagnostics.first(where: { $0.severity == .error }) {
                throw LayerError("inside \(labels[g]): \(e.message)")
            }
            return graphs[g].outputs.map { inners[g].shape(of: $0) }
        }
        switch kind {
        case .call:
            let outs = try graphOutputs(0)
            guard outs.count >= outputCount, outs.prefix(outputCount).allSatisfy({ $0 != nil }) else {
                throw ShapeDependsOnData("an output of the function body \(labels[0]) has an unknown shape")
            }
            return outs.prefix(outputCount).map { $0! }
        case .branch:
            var merged: [TensorShape?]? = nil
            for g in graphs.indices {
                let outs = try graphOutputs(g)
                merged = merged.map { zip($0, outs).map { a, b in Self.merge(a, b) } } ?? outs
            }
            guard let merged, merged.count >= outputCount else { throw LayerError("its branches give fewer outputs than the node's \(outputCount)") }
            guard merged.prefix(outputCount).allSatisfy({ $0 != nil }) else {
                throw ShapeDependsOnData("the branches give outputs of different ranks, so the shape depends on the branch taken at run time")
            }
            return merged.prefix(outputCount).map { $0! }
        case .loop:
            let body = try graphOutputs(0)
            let carried = max(formal.count - 2, 0)
            var out: [TensorShape] = []
            for i in 0..<outputCount {
                if i < carried {
                    let initial = formal[i + 2].flatMap { $0 < inputs.count ? inputs[$0] : nil }
                    guard let s = Self.merge(initial, i + 1 < body.count ? body[i + 1] : nil) else {
                        throw ShapeDependsOnData("loop-carried value \(i + 1) changes rank from one iteration to the next")
                    }
                    out.append(s)
                } else {
                    guard i + 1 < body.count, let slice = body[i + 1] else { throw ShapeDependsOnData("a scan output of the loop body has an unknown shape") }
                    // One slice per iteration: the trip count when the file gives it (a loop
                    // may stop earlier on its condition, so only a count without one is exact).
                    let trips: Dim = heldArguments[0]?.ints?.first.map { .known($0) } ?? .unknown
                    out.append(TensorShape(dimensions: [trips] + slice.dimensions))
                }
            }
            return out
        case .scan:
            let body = try graphOutputs(0)
            let states = formal.count - scanInputs
            let length: Dim = (states < formal.count ? formal[states].flatMap { $0 < inputs.count ? inputs[$0].dimensions.first : nil } : nil) ?? .unknown
            return try (0..<outputCount).map { i in
                guard i < body.count, let s = body[i] else { throw ShapeDependsOnData("output \(i + 1) of the scan body has an unknown shape") }
                return i < states ? s : TensorShape(dimensions: [length] + s.dimensions)
            }
        }
    }

    /// Two possible shapes of one value: sizes that agree are kept, others are unknown; nil
    /// when the ranks differ or a shape is unknown.
    static func merge(_ a: TensorShape?, _ b: TensorShape?) -> TensorShape? {
        guard let a else { return b }
        guard let b else { return a }
        guard a.rank == b.rank else { return nil }
        return TensorShape(dimensions: zip(a.dimensions, b.dimensions).map { $0 == $1 ? $0 : .unknown })
    }

    /// Work of one application: its graphs' own MACs, counted by the analysis of each graph
    /// (a loop's body once, as the trip count is known only at run time).
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }
}
