import ModelKit

/// The machine-readable index of a batch run, schema `strata-index/1`: keys in a fixed
/// order, unknown figures as `null`, strings as the model files wrote them (JSON escaping
/// only). Figures are raw numbers (latency in milliseconds), never formatted text.
public enum IndexJSON {
    public static let schema = "strata-index/1"

    public static func value(_ index: BatchIndex) -> JSONValue {
        .obj([
            ("schema", .string(schema)),
            ("strata_version", .string(index.strataVersion)),
            ("run_date", .string(index.runDate)),
            ("models", .array(index.entries.map(entry))),
            ("regressions", .array(index.regressions.map { .obj([("id", .string($0.id)), ("message", .string($0.message))]) })),
            ("unavailable", .array(index.unavailable.map { .string($0) })),
            ("skipped", .array(index.skipped.map { .obj([("file", .string($0.file)), ("reason", .string($0.reason))]) })),
        ])
    }

    static func double(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }

    static func entry(_ e: BatchIndex.Entry) -> JSONValue {
        .obj([
            ("id", .string(e.id)),
            ("name", .string(e.name)),
            ("file", .string(e.file)),
            ("report_folder", .string(e.reportFolder)),
            ("status", .string(e.status.rawValue)),
            ("params", .int(e.params)),
            ("macs", .int(e.macs)),
            ("latency_ms", double(e.latencyMs)),
            ("not_timed", .str(e.notTimed)),
            ("change", e.change.map(change) ?? .null),
            ("error", .str(e.error)),
        ])
    }

    static func change(_ c: ModelChange) -> JSONValue {
        .obj([
            ("new", .bool(c.isNew)),
            ("previous_run_date", .str(c.previousRunDate)),
            ("previous_params", .int(c.previousParams)),
            ("previous_macs", .int(c.previousMACs)),
            ("previous_latency_ms", double(c.previousLatencyMs)),
            ("content_changed", .bool(c.contentChanged)),
            ("latency_trend_ms", .array(c.latencyTrendMs.map { .number($0) })),
            ("previous_content_hash", .str(c.previousContentHash)),
            ("structure", .str(c.structure)),
            ("diff", .str(c.diffFile)),
        ])
    }

    public static func render(_ index: BatchIndex) -> String { JSONWriter.write(value(index)) }
}
