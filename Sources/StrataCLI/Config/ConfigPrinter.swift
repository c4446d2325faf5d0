import Yams

/// Writes a `StrataConfig` as YAML that `ConfigLoader` reads back to the same value: every
/// key, in the order of `ConfigLoader.topKeys` (model ids under `input_shapes` sorted).
public enum ConfigPrinter {
    /// The configuration as YAML text, ending in a newline.
    public static func yaml(_ config: StrataConfig) -> String {
        let forward = config.forward
        let regression = config.regression
        let shapes: [(Node, Node)] = forward.inputShapes.keys.sorted().map { id in
            (text(id), list(forward.inputShapes[id]!.map { text($0.map(String.init).joined(separator: ",")) }))
        }
        let root = map([
            ("inputs", list(config.inputs.map(text))),
            ("output", text(config.output)),
            ("formats", list(config.formats.map { text($0.rawValue) })),
            ("report", map([("detail", text(config.detail.rawValue)), ("shade", text(config.shade.rawValue))])),
            ("forward", map([
                ("enabled", bool(forward.enabled)),
                ("threads", int(forward.threads)),
                ("warmup", int(forward.warmup)),
                ("runs", int(forward.runs)),
                ("budget_seconds", forward.budgetSeconds.map(number) ?? Node("null", Tag(.null))),
                ("seed", int(forward.seed)),
                ("input_shapes", .mapping(Node.Mapping(shapes, .implicit, shapes.isEmpty ? .flow : .block))),
                ("memory_limit", int(forward.memoryLimit)),
                ("retime", text(forward.retime.rawValue)),
            ])),
            ("regression", map([
                ("latency_increase_percent", number(regression.latencyIncreasePercent)),
                ("fail_on_param_change", bool(regression.failOnParamChange)),
                ("fail_on_missing_model", bool(regression.failOnMissingModel)),
            ])),
            ("templates", text(config.templates)),
            ("history", text(config.history)),
            ("jobs", int(config.jobs)),
            ("batch", map([
                ("model_timeout", config.batch.modelTimeout.map(number) ?? Node("null", Tag(.null))),
                ("model_memory", int(config.batch.modelMemory)),
            ])),
        ] as [(Node, Node)])
        // Serialising a tree of plain scalars, lists and mappings cannot fail.
        return try! Yams.serialize(node: root, sortKeys: false)
    }

    static func list(_ nodes: [Node]) -> Node { .sequence(Node.Sequence(nodes)) }
    static func map(_ pairs: [(Node, Node)]) -> Node { .mapping(Node.Mapping(pairs)) }
    /// Text quoted when it would otherwise read back as a number, a boolean or null.
    static func text(_ s: String) -> Node { .scalar(s.represented()) }
    static func bool(_ b: Bool) -> Node { Node(b ? "true" : "false", Tag(.bool)) }
    static func int(_ n: Int?) -> Node { n.map { Node(String($0), Tag(.int)) } ?? Node("null", Tag(.null)) }
    /// 10 -> `10`, 2.5 -> `2.5`.
    static func number(_ x: Double) -> Node {
        if x == x.rounded(), abs(x) < 1e15 { return Node(String(Int(x)), Tag(.int)) }
        return Node(String(x), Tag(.float))
    }
}
