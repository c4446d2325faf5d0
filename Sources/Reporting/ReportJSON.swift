import ModelKit

/// The machine-readable report, schema `strata-report/1` (documented in the README). The
/// batch report adds `timing` and `history` to the same object.
public enum ReportJSON {
    public static let schema = "strata-report/1"

    /// The report object. A timed model carries `timing` (`available: true` and the keys of
    /// `strata time --json`); a model whose forward pass was asked for but could not run
    /// carries `timing` with `available: false` and the reason. A batch report also carries
    /// `history` (the change since the previous run).
    public static func value(_ doc: ReportDocument) -> JSONValue {
        let a = doc.analysis
        var top: [(String, JSONValue)] = [("schema", .string(schema))]
        top.append(("strata_version", .string(doc.strataVersion)))
        if let date = doc.generatedAt { top.append(("generated_at", .string(date))) }
        top.append(("model", .obj([
            ("name", .string(a.modelName)),
            ("class_name", .string(a.modelClass)),
            ("file", .string(a.source.file)),
            ("format", .string(a.source.format)),
            ("dialect", .string(a.source.dialect)),
            ("keras_version", .str(a.source.kerasVersion)),
        ])))
        top.append(("inputs", .array(a.inputs.map { .obj([("layer", .string($0.layer)), ("shape", .shape($0.shape))]) })))
        top.append(("outputs", .array(a.outputs.map { .obj([("layer", .string($0.layer)), ("shape", .shape($0.shape))]) })))
        let t = a.totals
        top.append(("totals", .obj([
            ("params", .int(t.params)),
            ("trainable_params", .int(t.trainableParams)),
            ("non_trainable_params", .int(t.nonTrainableParams)),
            ("macs", .int(t.macs)),
            ("weight_bytes", .int(t.weightBytes)),
            ("peak_activation_bytes", .int(t.peakActivationBytes)),
            ("layers_with_unknown_params", .array(t.layersWithUnknownParams.map { .string($0) })),
        ])))
        let c = a.counts
        top.append(("layer_counts", .obj([
            ("keras_layers", .int(c.topLevelLayers)),
            ("with_weights", .int(c.withWeights)),
            ("with_kernel", .int(c.withKernel)),
            ("depth", .int(c.depth)),
        ])))
        top.append(("structure", .obj([
            ("merges", .array(a.merges.map { .obj([("layer", .string($0.layer)), ("class_name", .string($0.className)), ("inputs", .array($0.inputs.map { .string($0) }))]) })),
            ("resolution_stages", .array(a.stages.map { .obj([("resolution", .array($0.resolution.map { .int($0) })), ("max_channels", .int($0.maxChannels)), ("layers", .int($0.layers))]) })),
        ])))
        top.append(("explanation", .array(Explanation.paragraphs(a).map { .string($0) })))
        top.append(("layers", .array(a.rows.map(layer))))
        if let timing = doc.timing {
            top.append(("timing", .obj([("available", .bool(true))] + TimingJSON.fields(timing, model: a.source.file))))
        } else if let reason = doc.timingUnavailable {
            top.append(("timing", .obj([("available", .bool(false)), ("reason", .string(reason))])))
        }
        if let c = doc.change {
            top.append(("history", .obj([
                ("previous_run_date", .str(c.previousRunDate)),
                ("previous_params", .int(c.previousParams)),
                ("params_delta", .int(c.previousParams.flatMap { p in a.totals.params.map { $0 - p } })),
                ("previous_macs", .int(c.previousMACs)),
                ("macs_delta", .int(c.previousMACs.flatMap { p in a.totals.macs.map { $0 - p } })),
                ("content_changed", .bool(c.contentChanged)),
                ("previous_latency_ms", c.previousLatencyMs.map { .number($0) } ?? .null),
                ("latency_delta_ms", c.previousLatencyMs.flatMap { p in doc.timing.map { .number($0.medianMs - p) } } ?? .null),
                ("latency_trend_ms", .array(c.latencyTrendMs.map { .number($0) })),
            ])))
        }
        top.append(("diagnostics", .array(a.diagnostics.map { .obj([("severity", .string($0.severity.rawValue)), ("id", .string($0.id)), ("message", .string($0.message))]) })))
        return .obj(top)
    }

    static func layer(_ r: LayerRow) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("name", .string(r.name)),
            ("class_name", .string(r.className)),
            ("supported", .bool(r.supported)),
            ("output_shape", .array(r.outputShapes.map { .shape($0) })),
            ("params", .int(r.params)),
            ("trainable_params", .int(r.trainableParams)),
            ("non_trainable_params", .int(r.nonTrainableParams)),
            ("macs", .int(r.macs)),
            ("output_bytes", .int(r.outputBytes)),
            ("calls", .int(r.calls)),
            ("inbound", .array(r.inbound.map { .string($0) })),
            ("weights", .array(r.weights.map { .obj([("name", .string($0.name)), ("shape", .array($0.shape.map { .int($0) })), ("trainable", .bool($0.trainable)), ("dtype", .string($0.dtype.name))]) })),
        ]
        if !r.children.isEmpty { pairs.append(("layers", .array(r.children.map(layer)))) }
        return .obj(pairs)
    }

    public static func render(_ doc: ReportDocument) -> String {
        JSONWriter.write(value(doc))
    }
}
