import Foundation
import ModelKit
import Reporting

/// The `strata report` options that override the configuration file: folders, `--out`,
/// `--format`, `--no-forward`, `--threads`, `--jobs`. Nil (or no folders) leaves the file's value.
public struct ConfigOverrides: Sendable, Equatable {
    /// Folders given on the command line; replace `inputs` when not empty.
    public var inputs: [String]
    /// `--out DIR`.
    public var output: String?
    /// `--format pdf,svg,md,json`, parsed with `parseFormats`.
    public var formats: [ReportFormat]?
    /// `false` for `--no-forward`.
    public var forwardEnabled: Bool?
    /// `--threads N`.
    public var threads: Int?
    /// `--jobs N`.
    public var jobs: Int?
    /// `--model-timeout SECONDS`.
    public var modelTimeout: Double?
    /// `--model-memory BYTES`.
    public var modelMemory: Int?
    /// `--detail blocks|full`.
    public var detail: DiagramOptions.Detail?
    /// `--shade params|latency`.
    public var shade: DiagramOptions.Shade?

    /// No overrides unless given.
    public init(inputs: [String] = [], output: String? = nil, formats: [ReportFormat]? = nil, forwardEnabled: Bool? = nil,
                threads: Int? = nil, jobs: Int? = nil, modelTimeout: Double? = nil, modelMemory: Int? = nil) {
        self.inputs = inputs
        self.output = output
        self.formats = formats
        self.forwardEnabled = forwardEnabled
        self.threads = threads
        self.jobs = jobs
        self.modelTimeout = modelTimeout
        self.modelMemory = modelMemory
    }

    /// `--format` text: names separated by commas, each at most once -> formats in canonical order.
    public static func parseFormats(_ text: String) throws -> [ReportFormat] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var formats: [ReportFormat] = []
        for name in names {
            guard let format = ReportFormat(rawValue: name) else {
                let near = KeySuggestion.nearest(to: name, in: ReportFormat.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw StrataError(place: "--format", "unknown format \"\(name)\" in \"\(text)\"\(near); expected names from \(ReportFormat.allNames), separated by commas")
            }
            guard !formats.contains(format) else {
                throw StrataError(place: "--format", "\"\(name)\" is given twice in \"\(text)\"; expected each format at most once")
            }
            formats.append(format)
        }
        return formats.sorted()
    }

    /// Checks the numbers: `--threads` and `--jobs` at least 1; `--out` not empty.
    public func validate() throws {
        if let threads, threads < 1 { throw StrataError(place: "--threads", "\(threads) is less than 1; expected a whole number of at least 1") }
        if let jobs, jobs < 1 { throw StrataError(place: "--jobs", "\(jobs) is less than 1; expected a whole number of at least 1") }
        if let modelTimeout, !(modelTimeout >= 1) { throw StrataError(place: "--model-timeout", "\(modelTimeout) is less than 1; expected a number of seconds of at least 1") }
        if let modelMemory, modelMemory < 1 { throw StrataError(place: "--model-memory", "\(modelMemory) is less than 1; expected a byte count such as 8G") }
        if let output, output.isEmpty { throw StrataError(place: "--out", "the folder is empty; expected a folder path") }
    }
}

extension StrataConfig {
    /// This configuration with the command line's overrides laid over it (validated first).
    /// A history file inside the configured output folder moves with `--out`, so each output
    /// folder (each shard's, say) keeps its own history: `Output/history.sqlite` with
    /// `--out Nightly` becomes `Nightly/history.sqlite`; a history elsewhere stays put.
    public func applying(_ overrides: ConfigOverrides) throws -> StrataConfig {
        try overrides.validate()
        var config = self
        if !overrides.inputs.isEmpty { config.inputs = overrides.inputs }
        if let output = overrides.output {
            let old = Self.trimmingSlashes(config.output)
            if config.history.hasPrefix(old + "/") {
                config.history = Self.trimmingSlashes(output) + "/" + config.history.dropFirst(old.count + 1)
            }
            config.output = output
        }
        if let formats = overrides.formats { config.formats = formats }
        if let enabled = overrides.forwardEnabled { config.forward.enabled = enabled }
        if let threads = overrides.threads { config.forward.threads = threads }
        if let jobs = overrides.jobs { config.jobs = jobs }
        if let t = overrides.modelTimeout { config.batch.modelTimeout = t }
        if let m = overrides.modelMemory { config.batch.modelMemory = m }
        if let d = overrides.detail { config.detail = d }
        if let s = overrides.shade { config.shade = s }
        return config
    }

    /// `Output/` -> `Output` (but `/` stays `/`).
    static func trimmingSlashes(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        return String(p)
    }
}
