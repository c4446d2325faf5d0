import ModelKit

/// Turns a Keras model config (the JSON of `model.to_json()`, a `.keras` archive's
/// `config.json` or a Keras 2 `.h5`'s `model_config`) into a `ModelGraph`.
///
/// Handles both dialects: Keras 3 (`inbound_nodes` as `{"args", "kwargs"}` with
/// `__keras_tensor__` objects, `batch_shape`) and Keras 2 / tf.keras (`inbound_nodes` as lists
/// of `[layer, node, tensor, kwargs]`, `batch_input_shape`, a nested model's first call
/// numbered 1). Errors name the file, the JSON path and the layer.
public struct KerasConfigReader {
    public let file: String
    public let format: String
    public private(set) var isKeras2 = false
    public private(set) var kerasVersion: String?
    public private(set) var backend: String?

    /// Lookup layers' stored vocabularies by object path (a `.keras` archive's assets).
    public var vocabularies: [String: [UInt8]] = [:]
    /// The object path of the model being read, as Keras 3 saves it (`""`, then
    /// `layers/functional/` inside a nested model).
    private final class ObjectPath { var prefix = "" }
    private let objectPath = ObjectPath()
    private var objectPrefix: String { objectPath.prefix }

    public init(file: String, format: String) {
        self.file = file
        self.format = format
    }

    /// Reads a whole model document. `versionHint` is the Keras version recorded outside the
    /// config (metadata.json, an `.h5` attribute) when there is one.
    public mutating func read(_ root: JSONValue, versionHint: String? = nil, backendHint: String? = nil) throws -> ModelGraph {
        guard case .object(let top) = root else {
            throw StrataError(file: file, place: "top level", "expected a JSON object describing a Keras model, found \(root.typeName)")
        }
        guard top["class_name"] != nil || top["config"] != nil else {
            let keys = top.keys.prefix(8).joined(separator: ", ")
            throw StrataError(file: file, place: "top level", "not a Keras model: no \"class_name\" or \"config\" key (keys found: \(keys))")
        }
        kerasVersion = top["keras_version"]?.stringValue ?? versionHint
        backend = top["backend"]?.stringValue ?? backendHint
        isKeras2 = detectKeras2(top)
        return try readModel(top, path: "")
    }

    // MARK: - Dialect

    private func detectKeras2(_ top: JSONObject) -> Bool {
        if let v = kerasVersion { return v.hasPrefix("2.") || v.hasPrefix("1.") }
        // No version recorded: look at the first inbound node or input declaration.
        var stack: [JSONValue] = [.object(top)]
        var budget = 10_000
        while let v = stack.popLast(), budget > 0 {
            budget -= 1
            switch v {
            case .object(let o):
                if let nodes = o["inbound_nodes"]?.arrayValue, let first = nodes.first {
                    if first.arrayValue != nil { return true }
                    if first.objectValue != nil { return false }
                }
                if o["batch_input_shape"] != nil { return true }
                if o["batch_shape"] != nil { return false }
                for e in o.entries.reversed() { stack.append(e.value) }
            case .array(let a): stack.append(contentsOf: a.reversed())
            default: break
            }
        }
        return false
    }

    private var dialect: String { isKeras2 ? "keras2" : "keras3" }

    private var source: SourceInfo {
        SourceInfo(file: file, format: format, dialect: dialect, formatVersion: kerasVersion, backend: backend, conventions: .keras)
    }

    private func fail(_ path: String, _ message: String) -> StrataError {
        StrataError(file: file, place: path.isEmpty ? "top level" : path, message)
    }

    private static let modelClasses: Set<String> = ["Functional", "Model", "Sequential"]

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    // MARK: - Models

    /// Reads `{"class_name": ..., "config": {...}}` describing a model at `path`.
    private func readModel(_ entry: JSONObject, path: String) throws -> ModelGraph {
        let className = entry["class_name"]?.stringValue ?? "Functional"
        guard let config = entry["config"] else { throw fail(path, "missing key \"config\"") }
        guard case .object(let cfg) = config else { throw fail(join(path, "config"), "expected an object, found \(config.typeName)") }
        let cpath = join(path, "config")
        if className == "Sequential" || className == "Pipeline" {
            return try readSequential(cfg, path: cpath, entry: entry)
        }
        guard Self.modelClasses.contains(className) || cfg["layers"] != nil else {
            throw fail(join(path, "class_name"), "expected a model (Functional or Sequential), found class \"\(className)\"")
        }
        return try readFunctional(cfg, path: cpath, className: className)
    }

    private func layerEntries(_ cfg: JSONObject, path: String) throws -> [JSONObject] {
        guard let layersValue = cfg["layers"] else { throw fail(path, "missing key \"layers\"") }
        guard case .array(let items) = layersValue else {
            throw fail(join(path, "layers"), "expected a list of layers, found \(layersValue.typeName)")
        }
        return try items.enumerated().map { i, item in
            guard case .object(let o) = item else {
                throw fail(join(path, "layers[\(i)]"), "expected a layer object, found \(item.typeName)")
            }
            return o
        }
    }

    private func entryName(_ entry: JSONObject, path: String) throws -> String {
        if let n = entry["name"]?.stringValue { return n }
        if let n = entry["config"]?["name"]?.stringValue { return n }
        throw fail(path, "layer has no \"name\"")
    }

    /// Functional (and subclassed `Model` saved with a functional config).
    private func readFunctional(_ cfg: JSONObject, path: String, className: String) throws -> ModelGraph {
        let entries = try layerEntries(cfg, path: path)
        let name = cfg["name"]?.stringValue ?? "model"
        // First pass: names, so inbound references can be resolved whatever the order.
        var index: [String: Int] = [:]
        var names: [String] = []
        for (i, e) in entries.enumerated() {
            let lpath = join(path, "layers[\(i)]")
            let n = try entryName(e, path: lpath)
            if let prior = index[n] {
                throw fail(lpath, "two layers are named \"\(n)\" (the other is config.layers[\(prior)]); layer names must be unique")
            }
            index[n] = i
            names.append(n)
        }
        // Raw references per layer and call: (layer name, node index, tensor index).
        struct RawRef { var layer: String; var node: Int; var tensor: Int; var shape: TensorShape? }
        var rawCalls: [[[RawRef]]] = []
        var layers: [Layer] = []
        let objects = objectPaths(entries, sequential: false)
        for (i, e) in entries.enumerated() {
            let lpath = join(path, "layers[\(i)]")
            var layer = try readLayer(e, path: lpath, name: names[i], object: objects[i])
            var calls: [[RawRef]] = []
            if let nodesValue = e["inbound_nodes"], !nodesValue.isNull {
                guard case .array(let nodes) = nodesValue else {
                    throw fail(join(lpath, "inbound_nodes"), "expected a list, found \(nodesValue.typeName)")
                }
                for (ni, node) in nodes.enumerated() {
                    let npath = join(lpath, "inbound_nodes[\(ni)]")
                    var refs: [RawRef] = []
                    try collectRefs(node, path: npath, topLevel: true) { refs.append(RawRef(layer: $0, node: $1, tensor: $2, shape: $3)) }
                    calls.append(refs)
                }
            }
            if layer.kind is InputOp {
                if calls.isEmpty { calls = [[]] }
            } else if calls.isEmpty {
                // A layer listed but never called in this model (rare): keep it with no calls.
            }
            layer.calls = Array(repeating: [], count: calls.count)
            rawCalls.append(calls)
            layers.append(layer)
        }
        // Node numbering: a Keras 2 nested model's calls are numbered from 1 in references.
        var offset: [Int] = Array(repeating: 0, count: layers.count)
        if isKeras2 {
            var usesZero = Array(repeating: false, count: layers.count)
            var usesLast = Array(repeating: false, count: layers.count)
            func note(_ name: String, _ node: Int) {
                guard let li = index[name] else { return }
                if node == 0 { usesZero[li] = true }
                if node == layers[li].calls.count { usesLast[li] = true }
            }
            for calls in rawCalls { for refs in calls { for r in refs { note(r.layer, r.node) } } }
            for ref in try endpointRefs(cfg["output_layers"], path: join(path, "output_layers")) { note(ref.0, ref.1) }
            for li in layers.indices where layers[li].kind is SubgraphOp && (usesLast[li] || !usesZero[li]) && layers[li].calls.count > 0 {
                offset[li] = 1
            }
        }
        func resolve(_ r: (String, Int, Int), at refPath: String, from layerName: String?) throws -> TensorRef {
            guard let li = index[r.0] else {
                let who = layerName.map { "layer \"\($0)\" refers to" } ?? "refers to"
                throw fail(refPath, "\(who) layer \"\(r.0)\", which does not exist in this model")
            }
            var call = r.1 - offset[li]
            // Keras 3 numbers a nested model's call from 0 in inbound nodes but may number it
            // from 1 in output_layers (the model's own construction node comes first).
            if call == layers[li].calls.count, call > 0, layers[li].kind is SubgraphOp { call -= 1 }
            guard call >= 0, call < layers[li].calls.count else {
                throw fail(refPath, "reference to call \(r.1) of layer \"\(r.0)\", which has only \(layers[li].calls.count) call(s)")
            }
            guard r.2 >= 0 else { throw fail(refPath, "negative tensor index \(r.2) for layer \"\(r.0)\"") }
            return TensorRef(layer: li, call: call, tensor: r.2)
        }
        var recorded: [TensorRef: TensorShape] = [:]
        for li in layers.indices {
            for (ci, refs) in rawCalls[li].enumerated() {
                let npath = join(path, "layers[\(li)].inbound_nodes[\(ci)]")
                layers[li].calls[ci] = try refs.map { r in
                    let ref = try resolve((r.layer, r.node, r.tensor), at: npath, from: layers[li].name)
                    if let s = r.shape { recorded[ref] = s }
                    return ref
                }
            }
        }
        // A recorded shape is only useful for a plausible output index (a layer has a few
        // outputs; a hostile index must not make us fill a huge list).
        for (ref, shape) in recorded where ref.tensor < 1024 {
            var rec = layers[ref.layer].recordedOutputShapes
            while rec.count <= ref.call { rec.append([]) }
            if rec[ref.call].count <= ref.tensor {
                // Only complete lists are useful; fill gaps later if every tensor is known.
                while rec[ref.call].count < ref.tensor { rec[ref.call].append(TensorShape([])) }
                rec[ref.call].append(shape)
            } else {
                rec[ref.call][ref.tensor] = shape
            }
            layers[ref.layer].recordedOutputShapes = rec
        }
        let inputs = try endpointRefs(cfg["input_layers"], path: join(path, "input_layers")).map {
            try resolve($0, at: join(path, "input_layers"), from: nil)
        }
        let outputs = try endpointRefs(cfg["output_layers"], path: join(path, "output_layers")).map {
            try resolve($0, at: join(path, "output_layers"), from: nil)
        }
        guard !outputs.isEmpty else { throw fail(join(path, "output_layers"), "the model declares no outputs") }
        let order: [NodeID]
        do { order = try ModelGraph.topologicalOrder(layers: layers) } catch let e as StrataError { throw e.inFile(file) }
        return ModelGraph(name: name, className: className == "Model" ? "Functional" : className, layers: layers,
                          inputs: inputs, outputs: outputs, executionOrder: order, source: source,
                          trainable: cfg["trainable"]?.boolValue ?? true)
    }

    /// `input_layers` / `output_layers`: one `[name, node, tensor]` triple or a list of them.
    /// Keras 3 also nests dict/list structures of triples for multi-output models.
    private func endpointRefs(_ value: JSONValue?, path: String) throws -> [(String, Int, Int)] {
        guard let value, !value.isNull else { return [] }
        if let t = triple(value) { return [t] }
        var out: [(String, Int, Int)] = []
        func walk(_ v: JSONValue, _ p: String) throws {
            if let t = triple(v) { out.append(t); return }
            switch v {
            case .array(let a): for (i, x) in a.enumerated() { try walk(x, p + "[\(i)]") }
            case .object(let o): for e in o.entries { try walk(e.value, p + "." + e.key) }
            default: throw fail(p, "expected [layer name, node index, tensor index], found \(v.brief)")
            }
        }
        try walk(value, path)
        return out
    }

    private func triple(_ v: JSONValue) -> (String, Int, Int)? {
        guard case .array(let a) = v, a.count >= 3, let n = a[0].stringValue, let node = a[1].intValue, let t = a[2].intValue else { return nil }
        return (n, node, t)
    }

    /// tf.keras's `.h5` saves the custom layers of keras.applications under their registered
    /// name (`Custom>CustomScaleLayer`); those few are the catalog's classes of the same name.
    static func applicationClass(_ className: String) -> String? {
        let known: Set<String> = ["CustomScaleLayer", "LayerScale"]
        guard className.hasPrefix("Custom>") else { return nil }
        let short = String(className.dropFirst("Custom>".count))
        return known.contains(short) ? short : nil
    }

    /// The layer name tf.keras writes where a TFOpLambda's first argument is a constant.
    static let constantArgument = "_CONSTANT_VALUE"

    /// Collects the tensor references of one inbound node in call order.
    private func collectRefs(_ node: JSONValue, path: String, topLevel: Bool, _ emit: (String, Int, Int, TensorShape?) -> Void) throws {
        switch node {
        case .object(let o):
            if o["class_name"]?.stringValue == "__keras_tensor__" {
                guard let cfg = o["config"], let hist = cfg["keras_history"], let t = triple(hist) else {
                    throw fail(path, "a tensor reference without a valid keras_history [layer, node, tensor]")
                }
                var shape: TensorShape? = nil
                if let dims = cfg["shape"]?.arrayValue {
                    shape = TensorShape(dims.map { $0.intValue })
                }
                emit(t.0, t.1, t.2, shape)
                return
            }
            if topLevel, o["args"] != nil || o["kwargs"] != nil {
                if let args = o["args"] { try collectRefs(args, path: path + ".args", topLevel: false, emit) }
                if let kwargs = o["kwargs"] { try collectRefs(kwargs, path: path + ".kwargs", topLevel: false, emit) }
                return
            }
            // Mask tensors do not change shapes and are not among a layer's data inputs.
            for e in o.entries where !e.key.lowercased().hasSuffix("mask") {
                try collectRefs(e.value, path: path + "." + e.key, topLevel: false, emit)
            }
        case .array(let a):
            if isKeras2 {
                if topLevel {
                    // A Keras 2 node: a list of [layer, node, tensor, kwargs] entries, or (for
                    // TFOpLambda) a single such entry.
                    if a.first?.stringValue == Self.constantArgument, a.count > 3 {
                        // tf.keras saves `2.0 - x` as [["_CONSTANT_VALUE", -1, 2.0, {"y": x}]]:
                        // the first argument is a number, the tensors are in the kwargs.
                        try collectRefs(a[3], path: path + "[3]", topLevel: false, emit)
                        return
                    }
                    if a.first?.stringValue != nil, let t = triple(node) {
                        emit(t.0, t.1, t.2, nil)
                        if a.count > 3 { try collectRefs(a[3], path: path + "[3]", topLevel: false, emit) }
                        return
                    }
                    for (i, item) in a.enumerated() {
                        let ipath = path + "[\(i)]"
                        guard let t = triple(item) else {
                            throw fail(ipath, "expected [layer name, node index, tensor index, kwargs], found \(item.brief)")
                        }
                        emit(t.0, t.1, t.2, nil)
                        if case .array(let parts) = item, parts.count > 3 {
                            try collectRefs(parts[3], path: ipath + "[3]", topLevel: false, emit)
                        }
                    }
                    return
                }
                if let t = triple(node), a.count <= 4 { emit(t.0, t.1, t.2, nil); return }
            }
            for (i, item) in a.enumerated() { try collectRefs(item, path: path + "[\(i)]", topLevel: false, emit) }
        default:
            if topLevel { throw fail(path, "expected an inbound node, found \(node.brief)") }
        }
    }

    // MARK: - Sequential

    private func readSequential(_ cfg: JSONObject, path: String, entry: JSONObject) throws -> ModelGraph {
        let name = cfg["name"]?.stringValue ?? "sequential"
        let entries = try layerEntries(cfg, path: path)
        var layers: [Layer] = []
        var seen: [String: Int] = [:]
        let objects = objectPaths(entries, sequential: true)
        for (i, e) in entries.enumerated() {
            let lpath = join(path, "layers[\(i)]")
            let n = try entryName(e, path: lpath)
            if let prior = seen[n] {
                throw fail(lpath, "two layers are named \"\(n)\" (the other is config.layers[\(prior)]); layer names must be unique")
            }
            seen[n] = i
            layers.append(try readLayer(e, path: lpath, name: n, object: objects[i]))
        }
        // The input: an explicit InputLayer, or one Keras would create from the first layer's
        // batch_input_shape / the model's build_input_shape.
        if layers.first.map({ $0.kind is InputOp }) != true {
            var shape: [Int?]? = nil
            if let first = entries.first?["config"]?.objectValue {
                let c = LayerConfig(object: first, path: join(path, "layers[0].config"), layerName: layers.first?.name ?? "")
                shape = try c.shape("batch_input_shape") ?? c.shape("batch_shape")
            }
            if shape == nil {
                let c = LayerConfig(object: cfg, path: path, layerName: name)
                shape = try c.shape("build_input_shape")
            }
            if shape == nil, let bc = entry["build_config"]?.objectValue {
                shape = try LayerConfig(object: bc, path: "build_config", layerName: name).shape("input_shape")
            }
            guard let shape else {
                throw fail(path, "Sequential model \"\(name)\" has no input shape (no InputLayer, no batch_input_shape, no build_input_shape); its shapes cannot be known")
            }
            let inputName = name + "_input"
            let input = Layer(name: inputName, className: "InputLayer", kind: InputOp(shape: TensorShape(shape)), calls: [[]],
                              path: path, listed: false)
            layers.insert(input, at: 0)
        } else {
            layers[0].listed = false
            layers[0].calls = [[]]
        }
        for i in 1..<layers.count {
            layers[i].calls = [[TensorRef(layer: i - 1, call: 0, tensor: 0)]]
        }
        let order = layers.indices.map { NodeID(layer: $0, call: 0) }
        return ModelGraph(name: name, className: "Sequential", layers: layers,
                          inputs: [TensorRef(layer: 0, call: 0, tensor: 0)],
                          outputs: [TensorRef(layer: layers.count - 1, call: 0, tensor: 0)],
                          executionOrder: order, source: source, trainable: cfg["trainable"]?.boolValue ?? true)
    }

    // MARK: - Layers

    /// Call keyword arguments that change what a layer returns (MultiHeadAttention's
    /// `return_attention_scores`); the reader copies them into the layer's config.
    static let callArgumentsThatShapeOutputs = ["return_attention_scores"]

    /// Call keyword arguments that change a layer's values but not its shapes (attention's
    /// `use_causal_mask`); copied into the config so the executor can honour or refuse them.
    static let callArgumentsThatChangeValues = ["use_causal_mask"]

    /// Keyword arguments named `...mask` that were given a tensor in the first saved call,
    /// with the layer that produced it (either dialect).
    private func callMaskArguments(_ entry: JSONObject) -> [(argument: String, layer: String)] {
        guard let first = entry["inbound_nodes"]?.arrayValue?.first else { return [] }
        var kwargs: [JSONObject] = []
        if let k = first["kwargs"]?.objectValue { kwargs = [k] }
        if let a = first.arrayValue {
            let entries = a.first?.stringValue != nil ? [first] : a
            for e in entries { if let parts = e.arrayValue, parts.count > 3, let k = parts[3].objectValue { kwargs.append(k) } }
        }
        func producer(_ v: JSONValue) -> String? {
            if let o = v.objectValue, o["class_name"]?.stringValue == "__keras_tensor__",
               let hist = o["config"]?["keras_history"], let t = triple(hist) { return t.0 }
            if let t = triple(v) { return t.0 }
            if let a = v.arrayValue { return a.lazy.compactMap(producer).first }
            return nil
        }
        var out: [(argument: String, layer: String)] = []
        for k in kwargs {
            for e in k.entries where e.key.lowercased().hasSuffix("mask") {
                if let layer = producer(e.value) { out.append((e.key, layer)) }
            }
        }
        return out
    }

    /// The value of keyword argument `key` in the layer's first saved call, either dialect.
    private func firstCallArgument(_ entry: JSONObject, _ key: String) -> JSONValue? { callArgument(entry, key, call: 0) }

    /// The value of keyword argument `key` in the layer's saved call `call`, either dialect.
    private func callArgument(_ entry: JSONObject, _ key: String, call: Int) -> JSONValue? {
        guard let nodes = entry["inbound_nodes"]?.arrayValue, call < nodes.count else { return nil }
        let first = nodes[call]
        if let kwargs = first["kwargs"]?.objectValue { return kwargs[key] }
        // Keras 2: [[name, node, tensor, {kwargs}], ...] or a single such entry.
        var entries: [JSONValue] = []
        if let a = first.arrayValue { entries = a.first?.stringValue != nil ? [first] : a }
        for e in entries {
            if let parts = e.arrayValue, parts.count > 3, let v = parts[3][key] { return v }
        }
        return nil
    }

    /// Keras classes the engine is known not to run, with the reason a timing gives (the
    /// catalog's list of known classes outside it).
    static func refusal(_ className: String) -> String? {
        LayerCatalog.knownUnsupported.first { $0.className == className }.map { "not runnable: \($0.reason)" }
    }

    /// Each entry's object path as Keras 3 saves layers (`layers/<snake-cased class, made
    /// unique>`, below the enclosing model's; a Sequential model's input layer is not among
    /// its saved layers).
    private func objectPaths(_ entries: [JSONObject], sequential: Bool) -> [String] {
        let classes = entries.map { $0["class_name"]?.stringValue ?? "" }
        let saved = classes.indices.filter { !(sequential && classes[$0] == "InputLayer") }
        let keys = KerasWeightIndex.keras3GroupKeys(classNames: saved.map { classes[$0] })
        var out = Array(repeating: "", count: entries.count)
        for (i, key) in zip(saved, keys) { out[i] = objectPrefix + "layers/" + key }
        return out
    }

    private func readLayer(_ entry: JSONObject, path: String, name: String, object: String) throws -> Layer {
        guard let classValue = entry["class_name"] else { throw fail(path, "layer \"\(name)\" has no \"class_name\"") }
        guard let className = classValue.stringValue else {
            throw fail(join(path, "class_name"), "expected a string, found \(classValue.typeName)")
        }
        let configValue = entry["config"] ?? .object(JSONObject())
        guard case .object(let savedConfig) = configValue else {
            throw fail(join(path, "config"), "layer \"\(name)\": expected an object, found \(configValue.typeName)")
        }
        var cfgObject = savedConfig
        // Call arguments that change a layer's outputs are saved with the call, not the config.
        for key in Self.callArgumentsThatShapeOutputs + Self.callArgumentsThatChangeValues where cfgObject[key] == nil {
            if let value = firstCallArgument(entry, key) { cfgObject.append(key, value) }
        }
        // Mask tensors are left out of a call's inputs (they do not change shapes) but they
        // change values; the executor must see that a call had one.
        let masks = callMaskArguments(entry)
        // A vocabulary learnt by adapt() is saved beside the config (the archive's assets).
        if ["IntegerLookup", "StringLookup", "TextVectorization"].contains(className), cfgObject["vocabulary"]?.isNull ?? true,
           let bytes = vocabularies[object] {
            // As load_assets reads it: one token per line, trailing empty lines dropped.
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
            while lines.last == "" { lines.removeLast() }
            var keys: [JSONValue] = []
            for (n, line) in lines.enumerated() {
                if className != "IntegerLookup" { keys.append(.string(line)); continue }
                guard let k = Int(line.trimmingCharacters(in: .whitespaces)) else {
                    throw StrataError(file: file, place: "assets/\(object)/vocabulary.txt, line \(n + 1)",
                                      "layer \"\(name)\": expected an integer key, found \"\(line.prefix(40))\"")
                }
                keys.append(.number(Double(k)))
            }
            cfgObject.set("vocabulary", .array(keys))
        }
        let config = LayerConfig(object: cfgObject, path: join(path, "config"), layerName: name, isKeras2: isKeras2)
        let registered = entry["registered_name"]?.stringValue
        var kind: any Operator
        var listed = true
        let module = entry["module"]?.stringValue ?? ""
        if module.hasPrefix("keras.src.ops") || module.hasPrefix("keras.ops") {
            // A Keras 3 operation node (x + 3.0): in the graph, not in model.layers.
            kind = named(KerasOperations.function(className, calls: [], config: cfgObject, isKeras2: isKeras2), className)
            listed = false
        } else if className == "Lambda" {
            kind = UnsupportedOp(className: className, declaredOutputShape: try config.shape("output_shape"))
        } else if Self.modelClasses.contains(className) || className == "Pipeline", cfgObject["layers"] != nil {
            let outer = objectPath.prefix
            objectPath.prefix = object + "/"
            defer { objectPath.prefix = outer }
            kind = SubgraphOp(graph: try readModel(entry, path: path))
        } else if let type = LayerCatalog.kind(named: Self.applicationClass(className) ?? className) {
            do {
                kind = try type.decodeOperator(config)
            } catch let e as StrataError {
                throw e.inFile(file)
            } catch let e as LayerError {
                throw fail(join(path, "config"), "layer \"\(name)\" (\(className)): \(e.message)")
            }
        } else {
            var unsupported = UnsupportedOp(className: registered.map { $0.contains(">") ? $0 : className } ?? className)
            unsupported.refusal = Self.refusal(className)
            kind = unsupported
        }
        if let op = kind as? TensorFunctionOp {
            // Constant arguments (x + 3.0) live only in the call; the forward pass needs them.
            kind = named(KerasOperations.function(op.name, calls: entry["inbound_nodes"]?.arrayValue ?? [], config: cfgObject, isKeras2: isKeras2), op.sourceClass)
        }
        var layer = Layer(name: name, className: className, registeredName: registered, kind: kind,
                     trainable: try config.bool("trainable", default: true),
                     dtype: config.dtypePolicy(), calls: [], path: path, listed: listed, config: cfgObject)
        layer.callMasks = masks
        layer.maskRule = KerasMasks.rule(className: className, kind: kind, isKeras2: isKeras2)
        // A ReversibleEmbedding called with reverse=True turns vectors back into id scores.
        if let e = kind as? EmbeddingOp, className == "ReversibleEmbedding" {
            let cap = cfgObject["logit_soft_cap"]?.doubleValue
            for call in (entry["inbound_nodes"]?.arrayValue ?? []).indices where callArgument(entry, "reverse", call: call)?.boolValue == true {
                layer.callKinds[call] = named(ReverseEmbeddingOp(inputDim: e.inputDim, outputDim: e.outputDim, separateTable: e.separateReverseTable,
                                                                 softCap: cap.map { Float($0) }), className)
            }
        }
        return layer
    }
}
