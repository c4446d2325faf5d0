/// The batch run's `index.md` for a GitHub or GitLab wiki, rendered from a Mustache template
/// (`index.md.mustache`): one row per model linking to its report, the regressions, the
/// failed models with their errors, and the formats this build cannot produce. Every figure
/// is formatted here and every string from a model file escaped; the template only places
/// text. The variables are listed in Templates/README.md.
public enum MarkdownIndex {
    /// Renders `index` with `templatesFolder/index.md.mustache`, or the built-in default
    /// when the folder is nil or has no such file. Throws a `StrataError` naming the
    /// template file and the position when the template does not parse.
    public static func render(_ index: BatchIndex, templatesFolder: String?) throws -> String {
        try MarkdownTemplates.render(context(index), fileName: MarkdownTemplates.indexFile,
                                     builtIn: MarkdownDefaultTemplates.index, folder: templatesFolder)
    }

    static func e(_ s: String) -> String { MarkdownEscaping.text(s) }

    /// `vision/resnet8` -> `vision/resnet8/report.md`, percent-encoded.
    static func reportLink(_ entry: BatchIndex.Entry) -> String {
        var folder = entry.reportFolder
        while folder.hasSuffix("/") { folder.removeLast() }
        return MarkdownEscaping.linkTarget(folder.isEmpty ? "report.md" : folder + "/report.md")
    }

    /// A file of the model's report folder, percent-encoded.
    static func fileLink(_ entry: BatchIndex.Entry, _ file: String) -> String {
        var folder = entry.reportFolder
        while folder.hasSuffix("/") { folder.removeLast() }
        return MarkdownEscaping.linkTarget(folder.isEmpty ? file : folder + "/" + file)
    }

    static func statusText(_ status: BatchIndex.Entry.Status) -> String {
        switch status {
        case .ok: return "ok"
        case .failed: return "failed"
        case .stale: return "stale: previous report kept"
        }
    }

    /// The values the template sees (all strings, booleans, dictionaries and arrays).
    static func context(_ index: BatchIndex) -> [String: Any] {
        var c: [String: Any] = [:]
        c["runDate"] = e(index.runDate)
        c["strataVersion"] = e(index.strataVersion)
        let counts = ([.ok, .failed, .stale] as [BatchIndex.Entry.Status]).map { s in (s, index.entries.filter { $0.status == s }.count) }
        var summary = [Formatting.plural(index.entries.count, "model")]
        for (status, n) in counts where n > 0 {
            summary.append("\(Formatting.count(n)) " + (status == .ok ? "reported" : status == .failed ? "failed" : "stale"))
        }
        summary.append(index.regressions.isEmpty ? "no regressions" : Formatting.plural(index.regressions.count, "regression"))
        c["summary"] = summary.joined(separator: ", ")

        c["hasEntries"] = !index.entries.isEmpty
        c["entries"] = index.entries.map { entry -> [String: Any] in
            // A failed model has no report to link to; a stale one keeps its previous report.
            let hasReport = entry.status != .failed
            let name = e(entry.name)
            return [
                "id": e(entry.id),
                "name": name,
                "file": e(entry.file),
                "link": hasReport ? reportLink(entry) : "",
                "hasReport": hasReport,
                "model": hasReport ? "[\(name)](\(reportLink(entry)))" : name,
                "params": Formatting.count(entry.params),
                "macs": Formatting.si(entry.macs),
                "latency": entry.latencyMs.map(ChangeFormatting.milliseconds) ?? (entry.notTimed != nil ? "not timed" : "—"),
                "notTimed": entry.notTimed.map(e) ?? "",
                // This run of a failed or stale model has no figures to compare.
                "change": entry.status == .ok ? ChangeFormatting.summary(entry.change, params: entry.params, macs: entry.macs, latencyMs: entry.latencyMs)
                    + (entry.change?.diffFile.map { " ([what changed](\(fileLink(entry, $0))))" } ?? "") : "—",
                "status": statusText(entry.status),
                "error": entry.error.map(e) ?? "",
            ]
        }
        c["regressions"] = index.regressions.map { ["id": e($0.id), "message": e($0.message)] }
        c["failed"] = index.entries.filter { $0.status != .ok }.map { entry -> [String: Any] in
            let hasReport = entry.status == .stale
            return [
                "id": e(entry.id),
                "model": hasReport ? "[\(e(entry.name))](\(reportLink(entry)))" : e(entry.name),
                "file": e(entry.file),
                "state": entry.status == .stale ? "stale, the previous report is kept" : "failed, no report",
                "error": entry.error.map(e) ?? "no error was recorded",
            ]
        }
        c["hasSkipped"] = !index.skipped.isEmpty
        c["skipped"] = index.skipped.map { ["file": e($0.file), "reason": e($0.reason)] }
        c["hasUnavailable"] = !index.unavailable.isEmpty
        c["unavailable"] = index.unavailable.map(e).joined(separator: ", ")
        return c
    }
}
