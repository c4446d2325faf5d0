import ModelKit

/// The machine-readable report, schema `strata-report/2` (documented in the README): the
/// run's facts, the analysis in its own Codable encoding (format-neutral keys, see
/// `ModelAnalysis+Codable.swift`), the explanation, and in the batch `timing` and `history`.
///
/// Schema 2 replaced schema 1's hand-built analysis keys: `keras_version` is `format_version`,
/// `layer_counts.keras_layers` is `top_level_layers`, `class_name` is `source_class`; rows and
/// merges gained `op`, the model its reader's `conventions`.
public enum ReportJSON {
    public static let schema = "strata-report/2"

    /// The report object: `schema`, `strata_version`, `generated_at` (when given), the
    /// analysis's keys, `explanation`. A timed model carries `timing` (`available: true` and
    /// the keys of `strata time --json`); a model whose forward pass was asked for but could
    /// not run carries `timing` with `available: false` and the reason. A batch report also
    /// carries `history` (the change since the previous run).
    public static func value(_ doc: ReportDocument) -> JSONValue {
        let a = doc.analysis
        var top: [(String, JSONValue)] = [("schema", .string(schema))]
        top.append(("strata_version", .string(doc.strataVersion)))
        if let date = doc.generatedAt { top.append(("generated_at", .string(date))) }
        top += analysisFields(a)
        top.append(("blocks", blocksValue(a)))
        top.append(("explanation", .array(Explanation.paragraphs(a).map { .string($0) })))
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
        return .obj(top)
    }

    /// The repeated blocks (`BlockStructure`): `types` (label, layers per block, count),
    /// `blocks` (name, type index, first and last layer, layers, params, MACs), `runs`
    /// (type, first block, count) and `stages` (first block, count).
    static func blocksValue(_ a: ModelAnalysis) -> JSONValue {
        let s = BlockStructure.detect(a)
        return .obj([
            ("types", .array(s.types.map { t in .obj([("label", .string(t.label)), ("layers", .int(t.layers)), ("count", .int(t.count))]) })),
            ("blocks", .array(s.blocks.map { b in .obj([
                ("name", .string(b.name)), ("type", .int(b.type)),
                ("first_layer", .string(a.rows[b.rows.first!].name)), ("last_layer", .string(a.rows[b.rows.last!].name)),
                ("layers", .int(b.rows.count)), ("params", .int(b.params)), ("macs", .int(b.macs)),
            ]) })),
            ("runs", .array(s.runs.map { r in .obj([("type", .int(r.type)), ("first_block", .int(r.blocks.lowerBound)), ("count", .int(r.blocks.count))]) })),
            ("stages", .array(s.stages.map { st in .obj([("first_block", .int(st.lowerBound)), ("count", .int(st.count))]) })),
        ])
    }

    /// The analysis's own encoding, key by key in its order.
    static func analysisFields(_ a: ModelAnalysis) -> [(String, JSONValue)] {
        // JSONValueEncoder never fails by itself and the analysis's encode(to:) throws only
        // what the encoder throws, so an error here is a bug, not bad input.
        let encoded: JSONValue
        do { encoded = try JSONValueEncoder().encode(a) } catch { preconditionFailure("the analysis could not be encoded: \(error)") }
        guard case .object(let object) = encoded else { preconditionFailure("the analysis encoded as \(encoded.typeName), not an object") }
        return object.entries.map { ($0.key, $0.value) }
    }

    public static func render(_ doc: ReportDocument) -> String {
        JSONWriter.write(value(doc))
    }
}
