import Foundation
import ModelKit
import Tensors

/// One ONNX node as the op mapping sees it: its attributes by name, its inputs classified,
/// the opset version of its domain, and where it is in the file for messages.
struct ONNXNode {
    let proto: Onnx_NodeProto
    /// `graph.node[12]`, with the enclosing node for a subgraph.
    let place: String
    let opset: Int
    let attributes: [String: Onnx_AttributeProto]
    let inputs: [ONNXInput]

    var opType: String { proto.opType }
    var domain: String { proto.domain == "ai.onnx" ? "" : proto.domain }
    /// `Conv`, or `com.microsoft:FusedConv` outside the default domain.
    var qualifiedType: String { domain.isEmpty ? opType : "\(domain):\(opType)" }
    var outputCount: Int { proto.output.count }

    func int(_ key: String) -> Int? { attributes[key].flatMap { $0.type == .int || $0.hasI ? Int($0.i) : nil } }
    func float(_ key: String) -> Double? { attributes[key].flatMap { $0.type == .float || $0.hasF ? Double($0.f) : nil } }
    func ints(_ key: String) -> [Int]? { attributes[key].map { $0.ints.map { Int($0) } } }
    func floats(_ key: String) -> [Double]? { attributes[key].map { $0.floats.map(Double.init) } }
    func string(_ key: String) -> String? { attributes[key].map { String(decoding: $0.s, as: UTF8.self) } }

    /// Input `i`, `.absent` past the end.
    func input(_ i: Int) -> ONNXInput { i < inputs.count ? inputs[i] : .absent }
}

/// What a node input names: nothing (an optional input left out), a tensor computed by the
/// graph (or a graph input), or a tensor the file holds (an initializer).
enum ONNXInput {
    case absent
    case tensor(String)
    case initializer(String, Onnx_TensorProto)

    var name: String? {
        switch self {
        case .absent: return nil
        case .tensor(let n), .initializer(let n, _): return n
        }
    }
}

/// Reads one ONNX graph (the main graph, or a subgraph of an If, Loop or Scan node) into a
/// `ModelGraph`: graph inputs become unlisted input nodes, every node one layer with one
/// call, initializers the weights of the nodes that read them (each counted at its first
/// reader), in canonical layouts for the engine, read only when asked for.
final class ONNXGraphReader {
    let file: String
    let tensors: ONNXTensorReader
    let opsets: [String: Int]
    /// The model's local functions by `domain:name`.
    var functions: [String: Onnx_FunctionProto] = [:]
    let depth: Int
    /// The graph around this one, for names a subgraph reads from it.
    let outer: ONNXGraphReader?
    /// `graph` or, for a subgraph, `graph.node[3].then_branch` and so on.
    let place: String

    private(set) var layers: [Layer] = []
    private var producers: [String: TensorRef] = [:]
    private var tensorNames: [TensorRef: String] = [:]
    private var initializerProtos: [String: Onnx_TensorProto] = [:]
    private var constantNodeTensors: [String: Onnx_TensorProto] = [:]
    /// Outputs of Identity nodes that pass an initializer on, to that initializer's name.
    var identityOfInitializer: [String: String] = [:]
    private var initializers: [String: Initializer] = [:]
    private var counted = Set<String>()
    private var usedLayerNames = Set<String>()
    /// Names this subgraph reads from the graphs around it, in first-use order.
    private(set) var captured: [String] = []
    private var capturedLayers: [String: Int] = [:]
    /// Input nodes for captured names, added after the graph's own nodes (whose indices are
    /// fixed before any node is read), at `capturedBase` on.
    private var pendingCaptured: [Layer] = []
    private var recordedShapes: [String: TensorShape] = [:]
    private var capturedBase = 0

    /// Subgraphs nested deeper than this are refused (no stack overflow on a hostile file).
    static let maxDepth = 32

    init(file: String, tensors: ONNXTensorReader, opsets: [String: Int], depth: Int, outer: ONNXGraphReader?, place: String) {
        self.file = file
        self.tensors = tensors
        self.opsets = opsets
        self.depth = depth
        self.outer = outer
        self.place = place
    }

    func fail(_ where_: String, _ message: String) -> StrataError { StrataError(file: file, place: where_, message) }

    /// Whether this graph (or one around it) can provide `name`.
    func provides(_ name: String) -> Bool {
        producers[name] != nil || initializerProtos[name] != nil || (outer?.provides(name) ?? false)
    }

    func read(_ g: Onnx_GraphProto, name: String) throws -> (graph: ModelGraph, tallies: ONNXTallies) {
        guard depth <= Self.maxDepth else { throw fail(place, "subgraphs are nested more than \(Self.maxDepth) deep; refused") }
        var tallies = ONNXTallies()
        // Initializers, each name once.
        for (i, t) in g.initializer.enumerated() {
            guard initializerProtos[t.name] == nil else {
                throw fail("\(place).initializer[\(i)]", "defines tensor \"\(ONNXNames.short(t.name))\" a second time")
            }
            _ = try tensors.dims(t, "\(place).initializer[\(i)]")
            guard ONNXElementType.isKnown(t.dataType) else {
                throw fail("\(place).initializer[\(i)]", "tensor \"\(ONNXNames.short(t.name))\" has unknown element type \(t.dataType)")
            }
            if t.dataLocation == .external { _ = try tensors.externalLocation(t, "\(place).initializer[\(i)]") }
            initializerProtos[t.name] = t
        }
        // Graph inputs that are not initializers (older files list initializers as inputs too).
        var inputRefs: [TensorRef] = []
        for (i, v) in g.input.enumerated() where initializerProtos[v.name] == nil {
            let shape = Self.shape(of: v)
            let dtype = Self.isTensor(v) ? ONNXElementType.dtype(v.type.tensorType.elemType) : .float32
            var op = InputOp(shape: shape, dtype: dtype)
            op.sourceClass = "input"
            guard producers[v.name] == nil else { throw fail("\(place).input[\(i)]", "declares input \"\(ONNXNames.short(v.name))\" twice") }
            let ref = addLayer(Layer(name: uniqueName(v.name.isEmpty ? "input_\(i)" : v.name), className: "Input", kind: op, dtype: dtype, calls: [[]],
                                     path: "\(place).input[\(i)]", listed: false))
            producers[v.name] = ref
            tensorNames[ref] = ONNXNames.display(v.name)
            inputRefs.append(ref)
        }
        // Every node's outputs first: files are meant to list nodes in order but not all do.
        let firstNode = layers.count
        for (i, node) in g.node.enumerated() {
            for (k, out) in node.output.enumerated() where !out.isEmpty {
                guard producers[out] == nil, initializerProtos[out] == nil else {
                    throw fail("\(place).node[\(i)] (\(node.opType) \"\(ONNXNames.short(node.name))\")", "defines tensor \"\(ONNXNames.short(out))\", which is already defined")
                }
                let ref = TensorRef(layer: firstNode + i, call: 0, tensor: k)
                producers[out] = ref
                tensorNames[ref] = ONNXNames.display(out)
            }
            // An Identity of an initializer (PyTorch writes one per reuse of a deduplicated
            // tensor): its readers read the initializer itself.
            if node.opType == "Identity", node.domain.isEmpty || node.domain == "ai.onnx", node.input.count == 1, let out = node.output.first,
               initializerProtos[node.input[0]] != nil {
                identityOfInitializer[out] = node.input[0]
            }
            if node.opType == "Constant", node.domain.isEmpty || node.domain == "ai.onnx", let out = node.output.first,
               let a = node.attribute.first(where: { $0.name == "value" }), a.hasT {
                constantNodeTensors[out] = a.t
            }
        }
        // Shapes the file records for values (value_info, the outputs' declarations): used for
        // nodes whose shapes Strata cannot infer (an op it does not know).
        for v in g.valueInfo + g.output where Self.isTensor(v) && v.type.tensorType.hasShape {
            recordedShapes[v.name] = Self.shape(of: v)
        }
        // The nodes.
        capturedBase = firstNode + g.node.count
        for (i, node) in g.node.enumerated() {
            let nodePlace = "\(place).node[\(i)] (\(node.opType) \"\(ONNXNames.short(node.name))\")"
            let layer = try readNode(node, index: i, place: nodePlace, tallies: &tallies)
            _ = addLayer(layer)
        }
        // Outputs no node computes: an initializer gets its hidden constant node, a name from
        // an enclosing graph is captured; then those nodes take their reserved places.
        for (i, v) in g.output.enumerated() where producers[v.name] == nil {
            if initializerProtos[v.name] != nil { _ = try ref(v.name, "\(place).output[\(i)]") } else { _ = try capture(v.name) }
        }
        layers += pendingCaptured
        pendingCaptured = []
        capturedBase = Int.max
        var outputRefs: [TensorRef] = []
        for (i, v) in g.output.enumerated() {
            if let ref = producers[v.name] { outputRefs.append(ref); continue }
            throw fail("\(place).output[\(i)]", "names output \"\(ONNXNames.short(v.name))\", which no node computes")
        }
        tallies.ownFloat = checkedSum(g.initializer.filter { ONNXElementType.isFloat($0.dataType) }.map { checkedProduct((try? tensors.dims($0, place)) ?? []) })
        // Float initializers no node reads still count in the format's total.
        for t in g.initializer where ONNXElementType.isFloat(t.dataType) && !counted.contains(t.name) {
            tallies.unreadFloat.add(t.name, checkedProduct((try? tensors.dims(t, place)) ?? []))
        }
        for t in g.initializer where ONNXElementType.isInteger(t.dataType) {
            let n = checkedProduct((try? tensors.dims(t, place)) ?? [])
            if [2, 3, 21, 22, 25, 26].contains(t.dataType) { tallies.quantized.add(t.name, n) } else { tallies.integer.add(t.name, n) }
        }

        ONNXModules.assign(&layers, from: g.node, firstNode: firstNode)
        let order: [NodeID]
        do { order = try ModelGraph.topologicalOrder(layers: layers) } catch let e as StrataError { throw e.inFile(file) }
        var graph = ModelGraph(name: name, className: "graph", layers: layers, inputs: inputRefs + captured.map { producers[$0]! },
                               outputs: outputRefs, executionOrder: order,
                               source: SourceInfo(file: file, format: "onnx", dialect: "onnx", conventions: ONNXConventions.standard))
        graph.tensorNames = tensorNames
        graph.initializers = initializers
        graph.outputDTypes = g.output.map { Self.isTensor($0) ? ONNXElementType.dtype($0.type.tensorType.elemType) : .float32 }
        return (graph, tallies)
    }

    /// A layer name not used before in this graph: the node's own, or its first output's, with
    /// `#2`, `#3` added to repeats (two nodes are never merged under one name).
    func uniqueName(_ raw: String) -> String {
        let base = ONNXNames.display(raw)
        var name = base, k = 1
        while usedLayerNames.contains(name) { k += 1; name = "\(base)#\(k)" }
        usedLayerNames.insert(name)
        return name
    }

    @discardableResult
    private func addLayer(_ layer: Layer) -> TensorRef {
        layers.append(layer)
        return TensorRef(layer: layers.count - 1, call: 0, tensor: 0)
    }

    /// A name read from the graphs around this one: an input of this graph from then on.
    func capture(_ name: String) throws -> TensorRef? {
        if let i = capturedLayers[name] { return TensorRef(layer: i, call: 0, tensor: 0) }
        guard let outer, outer.provides(name) else { return nil }
        var op = InputOp(shape: TensorShape([]))
        op.sourceClass = "outer value"
        precondition(capturedBase != Int.max, "captures happen while nodes and outputs are read")
        let ref = TensorRef(layer: capturedBase + pendingCaptured.count, call: 0, tensor: 0)
        pendingCaptured.append(Layer(name: uniqueName(name), className: "Input", kind: op, calls: [[]], path: "\(place) (from the enclosing graph)", listed: false))
        capturedLayers[name] = ref.layer
        captured.append(name)
        producers[name] = ref
        tensorNames[ref] = ONNXNames.display(name)
        return ref
    }

    /// Classifies a node input.
    func classify(_ name: String, _ place: String) throws -> ONNXInput {
        if name.isEmpty { return .absent }
        if let source = identityOfInitializer[name], let t = initializerProtos[source] { return .initializer(source, t) }
        if producers[name] != nil { return .tensor(name) }
        if let t = initializerProtos[name] { return .initializer(name, t) }
        if try capture(name) != nil { return .tensor(name) }
        throw fail(place, "reads tensor \"\(ONNXNames.short(name))\", which no node, input or initializer defines")
    }

    /// The tensor `name` as a call argument: a computed value, or an initializer used where
    /// a computed value is expected (a hidden constant node makes it, once).
    func ref(_ name: String, _ place: String) throws -> TensorRef {
        if let r = producers[name] { return r }
        guard let t = initializerProtos[name], capturedBase != Int.max else {
            throw fail(place, "reads tensor \"\(ONNXNames.short(name))\", which no node, input or initializer defines")
        }
        var op = TensorFunctionOp(name: "constant", function: "constant", operands: [.constant(try tensors.value(t, place))])
        op.sourceClass = "Constant"
        var layer = Layer(name: uniqueName(name), className: "Constant", kind: op, calls: [[]], path: place, listed: false)
        layer.initializerNames = [name]
        initializers[name] = rawInitializer(name, t, place)
        let ref = TensorRef(layer: capturedBase + pendingCaptured.count, call: 0, tensor: 0)
        pendingCaptured.append(layer)
        producers[name] = ref
        tensorNames[ref] = ONNXNames.display(name)
        return ref
    }

    /// A tensor the file holds that a node may use as a weight: an initializer, or the output
    /// of a `Constant` node.
    func heldTensor(_ input: ONNXInput) -> (name: String, proto: Onnx_TensorProto, initializer: Bool)? {
        switch input {
        case .initializer(let n, let t): return (n, t, true)
        case .tensor(let n): return constantNodeTensors[n].map { (n, $0, false) }
        case .absent: return nil
        }
    }

    private func readNode(_ node: Onnx_NodeProto, index: Int, place: String, tallies: inout ONNXTallies) throws -> Layer {
        var attributes: [String: Onnx_AttributeProto] = [:]
        for a in node.attribute { attributes[a.name] = a }
        let domain = node.domain == "ai.onnx" ? "" : node.domain
        let inputs = try node.input.map { try classify($0, place) }
        let opset = opsets[domain] ?? (domain == "ai.onnx.ml" || domain == "com.microsoft" ? 1 : 0)
        let onnxNode = ONNXNode(proto: node, place: place, opset: opset, attributes: attributes, inputs: inputs)
        var mapped: MappedNode
        if let function = functions["\(node.domain):\(node.opType)"] {
            mapped = try call(function, onnxNode)
        } else {
            mapped = try ONNXOperators.map(onnxNode, reader: self, tallies: &tallies)
        }
        mapped.op.sourceClass = onnxNode.qualifiedType
        let domainName = domain.isEmpty ? "ai.onnx" : domain
        let base = node.name.isEmpty ? (node.output.first(where: { !$0.isEmpty }) ?? "\(node.opType)_\(index)") : node.name
        var layer = Layer(name: uniqueName(base), className: onnxNode.qualifiedType, kind: mapped.op,
                          calls: [try mapped.tensorInputs.map { try ref($0, place) }], path: place)
        layer.sourceDescription = "\(node.opType), domain \(domainName), opset \(opset)"
        if ONNXOperators.requantizing.contains(onnxNode.qualifiedType) {
            layer.engineRefusal = "integer kernels with requantization (ONNX Runtime's QOperator format) have no kernel in Strata; the QDQ form of the same model (QuantizeLinear / DequantizeLinear around float nodes) runs"
        }
        // Weights: the tensors the node holds, in the operator's order; each initializer is
        // counted at its first reader.
        var held: [WeightSpec] = []
        for w in mapped.weights {
            if let canonical = w.canonical { initializers[w.key] = canonical }
            layer.initializerNames.append(w.key)
            guard w.countable, !counted.contains(w.name), let t = initializerProtos[w.name] else { continue }
            counted.insert(w.name)
            guard ONNXElementType.isFloat(t.dataType) else { continue }
            held.append(WeightSpec(w.name, try tensors.dims(t, place), trainable: w.trainable, dtype: ONNXElementType.dtype(t.dataType)))
        }
        layer.heldWeights = held
        let recorded = node.output.map { recordedShapes[$0] }
        if !recorded.isEmpty, recorded.allSatisfy({ $0 != nil }) { layer.recordedOutputShapes = [recorded.map { $0! }] }
        if node.opType == "Constant", let t = constantNodeTensors[node.output.first ?? ""], ONNXElementType.isFloat(t.dataType) {
            tallies.constantNodes.add(base, checkedProduct((try? tensors.dims(t, place)) ?? []))
        }
        return layer
    }

    /// An initializer read as stored (no layout change), for the engine.
    func rawInitializer(_ name: String, _ t: Onnx_TensorProto, _ place: String) -> Initializer {
        let reader = tensors
        let shape = (try? reader.dims(t, place)) ?? []
        return Initializer(name: name, shape: shape, dtype: ONNXElementType.dtype(t.dataType), layout: "") { try reader.tensor(t, place) }
    }

    /// A node calling a function the model defines: its body, with the call's attributes put
    /// where the body refers to them, read as a graph of its own (it sees only its inputs).
    func call(_ function: Onnx_FunctionProto, _ node: ONNXNode) throws -> MappedNode {
        var g = Onnx_GraphProto()
        g.name = function.name
        g.input = function.input.map { var v = Onnx_ValueInfoProto(); v.name = $0; return v }
        g.output = function.output.map { var v = Onnx_ValueInfoProto(); v.name = $0; return v }
        let defaults = Dictionary(function.attributeProto.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        g.node = function.node.map { n in
            var n = n
            n.attribute = n.attribute.compactMap { a in
                guard !a.refAttrName.isEmpty else { return a }
                guard var given = node.attributes[a.refAttrName] ?? defaults[a.refAttrName] else { return nil }
                given.name = a.name
                return given
            }
            return n
        }
        var versions = opsets
        for o in function.opsetImport { versions[o.domain == "ai.onnx" ? "" : o.domain] = Int(o.version) }
        let sub = ONNXGraphReader(file: file, tensors: tensors, opsets: versions, depth: depth + 1, outer: nil,
                                  place: "\(node.place).function(\(ONNXNames.short(function.name, 60)))")
        sub.functions = functions
        let (graph, _) = try sub.read(g, name: ONNXNames.display(function.name, limit: 80))
        // The call's arguments by position: graph tensors as call inputs; a held tensor is the
        // call's weight (its shape unknown to the body, as for an absent argument).
        let args = try graphArguments(node)
        var op = ControlFlowOp(kind: .call, graphs: [graph], labels: [ONNXNames.display(function.name, limit: 80)],
                               formal: args.formal, captured: [[]], outputCount: node.outputCount)
        op.heldArguments = args.held
        var m = MappedNode(op: op, tensorInputs: args.tensorInputs)
        m.weights = args.weights
        return m
    }

    /// The arguments of a node that runs graphs of its own (If, Loop, Scan, a function call),
    /// by position: graph tensors become call inputs (`formal` gives each one's index among
    /// them); held ones (a trip count, a weight) are known by shape and contents and are the
    /// node's weights; absent ones are nil.
    func graphArguments(_ node: ONNXNode) throws
        -> (tensorInputs: [String], formal: [Int?], held: [Int: TensorValue], weights: [WeightUse]) {
        var tensorInputs: [String] = []
        var formal: [Int?] = []
        var held: [Int: TensorValue] = [:]
        var weights: [WeightUse] = []
        for (i, input) in node.inputs.enumerated() {
            switch input {
            case .absent: formal.append(nil)
            case .tensor(let n):
                formal.append(tensorInputs.count)
                tensorInputs.append(n)
            case .initializer(let n, let t):
                formal.append(nil)
                held[i] = try tensors.value(t, node.place)
                weights.append(WeightUse(name: n, key: n, canonical: rawInitializer(n, t, node.place)))
            }
        }
        return (tensorInputs, formal, held, weights)
    }

    /// Reads a nested graph (an attribute of a control-flow node).
    func readSubgraph(_ g: Onnx_GraphProto, label: String, place: String) throws -> (ModelGraph, [String], ONNXTallies) {
        let sub = ONNXGraphReader(file: file, tensors: tensors, opsets: opsets, depth: depth + 1, outer: self, place: "\(place).\(label)")
        sub.functions = functions
        let (graph, tallies) = try sub.read(g, name: label)
        return (graph, sub.captured, tallies)
    }

    static func isTensor(_ v: Onnx_ValueInfoProto) -> Bool {
        if case .tensorType? = v.type.value { return true }
        return false
    }

    /// A value's declared shape: known sizes, named sizes, unknown ones.
    static func shape(of v: Onnx_ValueInfoProto) -> TensorShape {
        guard isTensor(v), v.type.tensorType.hasShape else { return TensorShape([]) }
        return TensorShape(dimensions: v.type.tensorType.shape.dim.map { d -> Dim in
            switch d.value {
            case .dimValue(let n)?:
                // Some exporters (paddle2onnx) write -1 for a size left open.
                guard n >= 0 else { return .unknown }
                return .known(Int(n))
            case .dimParam(let s)? where !s.isEmpty: return .symbolic(ONNXNames.short(s))
            default: return .unknown
            }
        })
    }
}

/// Numbers a file holds outside the float-initializer count, gathered while reading.
struct ONNXTallies {
    struct Kind {
        var tensors = 0
        var elements: Int? = 0
        var examples: [String] = []
        mutating func add(_ name: String, _ count: Int?) {
            tensors += 1
            elements = checkedSum([elements, count])
            if examples.count < 3 { examples.append(ONNXNames.short(name)) }
        }
        func tally(_ kind: String) -> ConstantTally? {
            tensors == 0 ? nil : ConstantTally(kind: kind, tensors: tensors, elements: elements, examples: examples)
        }
    }
    var constantNodes = Kind()
    var quantized = Kind()
    var integer = Kind()
    var unreadFloat = Kind()
    var subgraphFloat = Kind()
    /// Elements of this graph's own floating-point initializers.
    var ownFloat: Int? = 0

    var list: [ConstantTally] {
        [constantNodes.tally("floating-point numbers in Constant nodes (weights written into the graph, as PaddlePaddle exports do)"),
         quantized.tally("quantized weights (8-bit and smaller integer initializers)"),
         integer.tally("integer initializers (shapes, indices, 32- and 64-bit integers)"),
         unreadFloat.tally("floating-point initializers no node reads (onnx-tool and Netron count them as parameters; no node row holds them)"),
         subgraphFloat.tally("floating-point initializers inside subgraphs (If, Loop and Scan bodies)")].compactMap { $0 }
    }
}

/// Names from the file, made safe to show: capped in length (a 100,000-character name is
/// kept whole in the graph but shown short in messages).
enum ONNXNames {
    /// A name for messages: made visible (`display`) and cut to `limit` characters.
    static func short(_ s: String, _ limit: Int = 120) -> String { display(s, limit: limit) }

    /// Longest name kept in the graph and the reports; longer ones are cut with `…`.
    static let maxLength = 256

    /// A name from the file as the graph keeps it: control characters (newlines, escape
    /// sequences that would recolour a terminal) shown as their visible symbols (`␊`, `␛`),
    /// at most `limit` characters. What the renderers then escape for HTML or Markdown is theirs.
    static func display(_ s: String, limit: Int = maxLength) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for u in s.unicodeScalars {
            if count == limit { out.append("…"); break }
            switch u.value {
            case 0..<0x20: out.append(Unicode.Scalar(0x2400 + u.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: out.append("\u{FFFD}")
            default: out.append(u)
            }
            count += 1
        }
        return String(out)
    }
}
