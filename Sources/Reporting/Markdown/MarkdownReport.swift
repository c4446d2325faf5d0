import ModelKit

/// The per-model `report.md` for a GitHub or GitLab wiki, rendered from a Mustache template
/// (`report.md.mustache`). Every figure is formatted here and every string from the model
/// file escaped (`MarkdownEscaping`); the template only places text. The variables are
/// listed in Templates/README.md.
public enum MarkdownReport {
    /// Renders the report of `doc` with `templatesFolder/report.md.mustache`, or the built-in
    /// default when the folder is nil or has no such file. Throws a `StrataError` naming the
    /// template file and the position when the template does not parse.
    public static func render(_ doc: ReportDocument, templatesFolder: String?) throws -> String {
        try MarkdownTemplates.render(context(doc), fileName: MarkdownTemplates.reportFile,
                                     builtIn: MarkdownDefaultTemplates.report, folder: templatesFolder)
    }

    static func e(_ s: String) -> String { MarkdownEscaping.text(s) }

    /// The values the template sees (all strings, booleans, dictionaries and arrays).
    static func context(_ doc: ReportDocument) -> [String: Any] {
        let a = doc.analysis
        let latencyMs = doc.timing?.medianMs
        let t = a.totals
        var c: [String: Any] = [:]
        c["title"] = e(doc.displayName)
        c["modelName"] = e(a.modelName)
        c["modelClass"] = e(a.modelClass)
        c["file"] = e(a.source.file)
        c["format"] = e(a.source.format)
        c["dialect"] = e(a.source.dialect)
        c["formatName"] = e(a.source.conventions.formatName)
        c["formatVersion"] = a.source.formatVersion.map(e) ?? "unknown"
        // Kept for templates written before formatVersion: the same text.
        c["kerasVersion"] = c["formatVersion"]
        c["runDate"] = doc.generatedAt.map(e) ?? "not recorded"
        c["strataVersion"] = e(doc.strataVersion)

        let input = a.inputs.map { $0.shape?.formatted(unknown: a.source.conventions.unknownDimension) ?? "?" }.joined(separator: " and ")
        let macs: String
        if let m = t.macs {
            macs = Formatting.si(m) + " (" + Formatting.count(m) + ")"
        } else if a.inputs.contains(where: { $0.shape?.dims.dropFirst().contains(nil) ?? true }) {
            macs = "unknown: the input leaves dimensions open"
        } else {
            macs = "unknown"
        }
        func bytes(_ n: Int?) -> String { n.map { Formatting.bytes($0) + " (" + Formatting.count($0) + " bytes)" } ?? "?" }
        c["figures"] = [
            "params": Formatting.count(t.params),
            "trainable": Formatting.count(t.trainableParams),
            "nonTrainable": Formatting.count(t.nonTrainableParams),
            "macs": macs,
            "input": input.isEmpty ? "none" : input,
            "weightBytes": bytes(t.weightBytes),
            "peakActivationBytes": bytes(t.peakActivationBytes),
            "latency": latencyMs.map(ChangeFormatting.milliseconds) ?? "not timed",
        ] as [String: Any]
        c["timed"] = latencyMs != nil
        let blocks = BlockStructure.detect(a)
        if let timing = doc.timing {
            var tc = timingContext(timing, trend: doc.change?.latencyTrendMs ?? [])
            let (stages, modules) = stageTimes(a, blocks, timing)
            tc["hasStages"] = !stages.isEmpty
            tc["stages"] = stages
            tc["stagesOf"] = modules ? "By module (each box of modules.svg)" : "By box of the overview (each stage of blocks, the stem and the head)"
            tc["stageTitle"] = modules ? "Module" : "Stage"
            c["timing"] = tc
        }
        c["timingUnavailable"] = doc.timingUnavailable.map(e) ?? false
        if let change = doc.change { c["change"] = changeContext(change, totals: t, latencyMs: latencyMs) }

        let n = a.counts
        c["unitName"] = a.source.conventions.unitName
        c["unitTitle"] = a.source.conventions.unitName.capitalized
        c["classTitle"] = a.source.conventions.unitName == "node" ? "Op type" : "Class"
        c["counts"] = [
            (n.topLevelLayers, a.source.conventions.layerCountDefinition),
            (n.withWeights, "\(a.source.conventions.unitName)s that own weights"),
            (n.withKernel, a.source.conventions.kernelCountLabel),
            (n.depth, "depth: the most kernel \(a.source.conventions.unitName)s on any path from an input to an output, as papers count"),
        ].map { ["count": Formatting.count($0.0), "definition": $0.1] }
        c["paragraphs"] = Explanation.paragraphs(a).map { ["text": MarkdownEscaping.paragraph($0)] }

        var pictures = [["alt": "Layer diagram", "file": "diagram.svg"], ["alt": "Parameters per layer", "file": "params.svg"]]
        if BlockOverview.applies(a, blocks) {
            // The overview inline first, then each block type; the full diagram after them.
            pictures.insert(contentsOf: [["alt": "Overview: stages of repeated blocks", "file": "overview.svg"]]
                            + blocks.types.enumerated().map { i, t in ["alt": "Block type: \(t.label) (\(t.count == 1 ? "1 block" : "\(t.count) blocks"))", "file": "block-\(i + 1).svg"] },
                            at: 0)
        } else if ModuleGroups.applies(a.rows) {
            pictures.insert(["alt": "Modules (folded)", "file": "modules.svg"], at: 0)
        }
        if latencyMs != nil { pictures.append(["alt": "Latency per layer", "file": "latency.svg"]) }
        c["pictures"] = pictures

        c["layers"] = layerRows(a.rows, depth: 0, unknown: a.source.conventions.unknownDimension)
        c["hasDiagnostics"] = !a.diagnostics.isEmpty
        c["diagnostics"] = a.diagnostics.map { ["severity": e($0.severity.rawValue), "id": e($0.id), "message": e($0.message)] }
        return c
    }

    /// How many of the slowest layer calls the report lists.
    static let slowestShown = 10

    /// The forward-pass section: the statistics, the slowest layer calls, the trend.
    static func timingContext(_ t: ForwardTiming, trend: [Double]) -> [String: Any] {
        func ms(_ v: Double) -> String { ChangeFormatting.milliseconds(v) }
        func share(_ v: Double) -> String { t.medianMs > 0 ? String(format: "%.1f %%", v / t.medianMs * 100) : "—" }
        let slowest = t.layers.enumerated().filter { $0.element.fusedInto == nil }.sorted { $0.element.medianMs != $1.element.medianMs ? $0.element.medianMs > $1.element.medianMs : $0.offset < $1.offset }
            .prefix(slowestShown)
            .map { ["name": e($0.element.name), "className": e($0.element.className), "ms": ms($0.element.medianMs), "share": share($0.element.medianMs)] }
        var c: [String: Any] = [
            "median": ms(t.medianMs), "min": ms(t.minMs), "p90": ms(t.p90Ms), "spread": ms(t.spreadMs),
            "layerSum": ms(t.layerSumMs), "layerSumShare": share(t.layerSumMs),
            "threads": String(t.threads), "runs": String(t.runs), "warmup": String(t.warmup),
            "instrumentedRuns": String(t.instrumentedRuns), "backend": e(t.backend),
            "peakRSS": t.peakRSSBytes.map { Formatting.bytes($0) } ?? "not available",
            "slowest": Array(slowest), "slowestCount": String(slowest.count),
            "fusedCount": String(t.layers.filter { $0.fusedInto != nil }.count),
            "hasFused": t.layers.contains { $0.fusedInto != nil },
        ]
        c["disturbed"] = t.disturbanceWarning ?? false
        c["trend"] = trend.count >= 2 ? trend.map(ms).joined(separator: " → ") : false
        c["trendRuns"] = String(trend.count)
        return c
    }

    /// A model built from repeated blocks: the time of each box of the overview (a stage of
    /// blocks, the stem, the head, a layer between them), in the overview's order; a model
    /// whose nodes group into modules of two nodes or more on average: each module's. Boxes
    /// without a time of their own (an input) are left out; shares are of the per-layer
    /// medians' sum, so they add up to 100 %. Empty for other models; `modules` tells which.
    static func stageTimes(_ a: ModelAnalysis, _ blocks: BlockStructure, _ t: ForwardTiming) -> (rows: [[String: String]], modules: Bool) {
        let overview: ModelAnalysis, groupOf: [String: String], modules: Bool
        if let (o, g) = BlockOverview.overviewAndGroups(a, blocks) {
            (overview, groupOf, modules) = (o, g, false)
        } else if let o = ModuleGroups.overview(a), o.rows.count * 2 <= a.rows.count {
            // Modules of two nodes or more on average: else the table repeats the nodes'.
            (overview, groupOf, modules) = (o, ModuleGroups.groupOf(a.rows), true)
        } else {
            return ([], false)
        }
        let times = BlockOverview.boxTimes(t, groupOf: groupOf)
        let rows = (overview.rows + overview.operations).compactMap { row -> [String: String]? in
            guard let ms = times[row.name] else { return nil }
            return ["name": e(row.name), "what": e(row.className), "params": Formatting.count(row.params),
                    "ms": ChangeFormatting.milliseconds(ms), "share": t.layerSumMs > 0 ? String(format: "%.1f %%", ms / t.layerSumMs * 100) : "—"]
        }
        return (rows, modules)
    }

    /// The change section: one row per figure known in both runs; latency only when both
    /// runs were timed.
    static func changeContext(_ change: ModelChange, totals t: ModelAnalysis.Totals, latencyMs: Double?) -> [String: Any] {
        if change.isNew { return ["isNew": true, "rows": [[String: String]](), "previousRunDate": "", "contentChanged": false, "contentText": ""] }
        var rows: [[String: String]] = []
        func row(_ figure: String, _ previous: String, _ now: String, _ delta: String) {
            rows.append(["figure": figure, "previous": previous, "now": now, "delta": delta])
        }
        let unknown = "—"
        let paramsDelta = change.previousParams.flatMap { p in t.params.map { ChangeFormatting.countDelta(from: p, to: $0) } } ?? unknown
        row("Parameters", Formatting.count(change.previousParams), Formatting.count(t.params), paramsDelta)
        let macsDelta = change.previousMACs.flatMap { p in t.macs.map { ChangeFormatting.siDelta(from: p, to: $0) } } ?? unknown
        row("MACs at batch 1", Formatting.si(change.previousMACs), Formatting.si(t.macs), macsDelta)
        if let p = change.previousLatencyMs, let n = latencyMs {
            row("Latency (median)", ChangeFormatting.milliseconds(p), ChangeFormatting.milliseconds(n), ChangeFormatting.latencyDelta(from: p, to: n))
        }
        return [
            "isNew": false,
            "previousRunDate": e(change.previousRunDate ?? ""),
            "rows": rows,
            "contentChanged": change.contentChanged,
            "contentText": !change.contentChanged ? "is unchanged"
                : "has changed since then" + (change.structure.map { ": " + e($0) } ?? "")
                    + (change.diffFile.map { " ([what changed](\(MarkdownEscaping.linkTarget($0))))" } ?? ""),
            "structure": change.structure.map(e) ?? "",
            "diffFile": change.diffFile.map(MarkdownEscaping.linkTarget) ?? "",
        ]
    }

    /// Table rows, nested models' layers after their row, indented with `↳`.
    static func layerRows(_ rows: [LayerRow], depth: Int, unknown: String) -> [[String: Any]] {
        var out: [[String: Any]] = []
        for r in rows {
            let marker = depth == 0 ? "" : String(repeating: "&nbsp;&nbsp;", count: depth - 1) + "↳ "
            let shapes = r.outputShapes.isEmpty ? "—" : r.outputShapes.map { $0?.formatted(unknown: unknown) ?? "?" }.joined(separator: "<br>")
            let calls = r.inboundPerCall.enumerated().compactMap { i, names -> String? in
                guard !names.isEmpty else { return nil }
                return (r.calls > 1 ? "call \(i + 1): " : "") + names.map(e).joined(separator: ", ")
            }
            out.append([
                "name": marker + e(r.name),
                "className": e(r.className) + (r.supported ? "" : " (unsupported)"),
                "outputShape": shapes,
                "params": Formatting.count(r.params),
                "trainable": Formatting.count(r.trainableParams),
                "nonTrainable": Formatting.count(r.nonTrainableParams),
                "macs": Formatting.si(r.macs),
                "connectedTo": calls.isEmpty ? "—" : calls.joined(separator: "<br>"),
                "depth": depth,
                "nested": depth > 0,
            ])
            out += layerRows(r.children, depth: depth + 1, unknown: unknown)
        }
        return out
    }
}
