import ModelKit

/// The timing object shared by `strata time --json` and the `timing` of `report.json`, so
/// both carry the same keys (listed in the README): model, backend, threads, warm-up and
/// runs, median/min/p90/spread in milliseconds, the per-layer sum, peak RSS, the execution
/// plan's build time and bytes, every timed run and the per-layer medians (a layer fused into
/// another's step names it in `fused_into`).
public enum TimingJSON {
    /// The keys in their fixed order; `model` is the file or model id as the caller names it.
    public static func fields(_ t: ForwardTiming, model: String) -> [(String, JSONValue)] {
        func num(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }
        let layers: [JSONValue] = t.layers.map { l -> JSONValue in
            var pairs: [(String, JSONValue)] = [("name", .string(l.name)), ("class", .string(l.className)), ("median_ms", num(l.medianMs))]
            if let into = l.fusedInto { pairs.append(("fused_into", .string(into))) }
            if !l.module.isEmpty { pairs.append(("module", .array(l.module.map { .string($0) }))) }
            return .obj(pairs)
        }
        return [
            ("model", .string(model)),
            ("backend", .string(t.backend)),
            ("threads", .int(t.threads)),
            ("threads_requested", .int(t.requestedThreads)),
            ("warmup", .int(t.warmup)),
            ("runs", .int(t.runs)),
            ("runs_requested", .int(t.requestedRuns)),
            ("batch", .int(1)),
            ("median_ms", num(t.medianMs)),
            ("min_ms", num(t.minMs)),
            ("p90_ms", num(t.p90Ms)),
            ("spread_ms", num(t.spreadMs)),
            ("spread", .string("iqr")),
            ("layer_sum_ms", num(t.layerSumMs)),
            ("instrumented_runs", .int(t.instrumentedRuns)),
            ("peak_rss_bytes", .int(t.peakRSSBytes)),
            ("other_cpu_load", t.otherCPULoad.map { .number(($0 * 100).rounded() / 100) } ?? .null),
            ("plan_build_ms", t.planBuildMs.map(num) ?? .null),
            ("plan_bytes", .int(t.planBytes)),
            ("plan_weight_bytes", .int(t.planWeightBytes)),
            ("plan_activation_bytes", .int(t.planActivationBytes)),
            ("run_ms", .array(t.runMs.map(num))),
            ("layers", .array(layers)),
        ]
    }

    /// The object `strata time --json` prints, on one line.
    public static func render(_ t: ForwardTiming, model: String) -> String {
        JSONWriter.write(.obj(fields(t, model: model)), pretty: false)
    }
}
