import Foundation
import ModelKit
import Reporting
import Yams

/// Reads a `StrataConfig` from YAML. Every key is optional (absent means its default); an
/// unknown key, a value of the wrong type or out of range is a `StrataError` naming the file,
/// the line and column, the key path, the value and what was expected.
public enum ConfigLoader {
    /// Keys allowed at the top level, in the order `strata config` prints them.
    public static let topKeys = ["inputs", "output", "formats", "report", "forward", "regression", "templates", "history", "jobs", "batch"]
    /// Keys allowed under `report:`.
    public static let reportKeys = ["detail", "shade"]
    /// Keys allowed under `forward:`.
    public static let forwardKeys = ["enabled", "threads", "warmup", "runs", "budget_seconds", "seed", "input_shapes", "memory_limit", "retime"]
    /// Keys allowed under `batch:`.
    public static let batchKeys = ["model_timeout", "model_memory"]
    /// Keys allowed under `regression:`.
    public static let regressionKeys = ["latency_increase_percent", "fail_on_param_change", "fail_on_missing_model"]

    /// The configuration in `path`, or, when `path` is nil, in `defaultPath` if that file
    /// exists and the defaults if not. A file named explicitly must exist.
    public static func load(path: String?, defaultPath: String = StrataConfig.defaultPath) throws -> StrataConfig {
        let file = path ?? defaultPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            if path == nil { return .defaults }
            throw StrataError(file: file, "no such configuration file")
        }
        guard !isDirectory.boolValue else { throw StrataError(file: file, "is a folder; expected a YAML configuration file") }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw StrataError(file: file, "cannot be read as UTF-8 text: \(error.localizedDescription)")
        }
        return try load(yaml: text, file: file)
    }

    /// The configuration in `yaml`; `file` names it in errors. Empty text (or only comments) means the defaults.
    public static func load(yaml: String, file: String) throws -> StrataConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        var config = StrataConfig.defaults
        guard let root else { return config }
        let r = ConfigReader(file: file)
        for (key, value) in try r.mapping(root, "", allowed: topKeys, what: "a configuration") {
            switch key {
            case "inputs":
                config.inputs = try r.stringList(value, key, item: "a folder path", example: "[Examples]")
            case "output":
                config.output = try r.string(value, key, expected: "a folder path, e.g. Output")
            case "formats":
                config.formats = try formats(value, key, r)
            case "report":
                for (sub, v) in try r.mapping(value, key, allowed: reportKeys, what: "the report's settings") {
                    let keyPath = ConfigReader.join(key, sub)
                    switch sub {
                    case "shade": config.shade = try r.choice(v, keyPath, what: "a shading", expected: "params or latency")
                    default: config.detail = try r.choice(v, keyPath, what: "a diagram detail", expected: "blocks or full") // "detail"
                    }
                }
            case "forward":
                config.forward = try forward(value, key, r)
            case "regression":
                config.regression = try regression(value, key, r)
            case "templates":
                config.templates = try r.string(value, key, expected: "a folder path, e.g. Templates")
            case "history":
                config.history = try r.string(value, key, expected: "a file path, e.g. Output/history.sqlite")
            case "batch":
                config.batch = try batch(value, key, r)
            default: // "jobs"
                config.jobs = try r.optionalInt(value, key, minimum: 1, expected: "a whole number of at least 1, or null for the core count")
            }
        }
        return config
    }

    static func formats(_ node: Node, _ path: String, _ r: ConfigReader) throws -> [ReportFormat] {
        let example = "[\(ReportFormat.allNames)]"
        guard let items = node.sequence else {
            throw r.error(node, path, "\(ConfigReader.describe(node)) is not a list; expected a list of formats from \(ReportFormat.allNames), e.g. \(example)")
        }
        guard !items.isEmpty else {
            throw r.error(node, path, "the list is empty; expected at least one of \(ReportFormat.allNames)")
        }
        var seen: [ReportFormat] = []
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            let name = try r.string(item, itemPath, expected: "one of \(ReportFormat.allNames)")
            guard let format = ReportFormat(rawValue: name) else {
                var message = "unknown format \"\(name)\""
                if let near = KeySuggestion.nearest(to: name, in: ReportFormat.allCases.map(\.rawValue)) {
                    message += " (did you mean \"\(near)\"?)"
                }
                throw r.error(item, itemPath, message + "; expected one of \(ReportFormat.allNames)")
            }
            guard !seen.contains(format) else {
                throw r.error(item, itemPath, "\"\(name)\" is listed twice; expected each format at most once")
            }
            seen.append(format)
        }
        return seen.sorted()
    }

    static func forward(_ node: Node, _ path: String, _ r: ConfigReader) throws -> ForwardConfig {
        var forward = ForwardConfig.defaults
        for (key, value) in try r.mapping(node, path, allowed: forwardKeys, what: "the forward-pass settings") {
            let keyPath = ConfigReader.join(path, key)
            switch key {
            case "enabled": forward.enabled = try r.bool(value, keyPath)
            case "threads":
                forward.threads = try r.optionalInt(value, keyPath, minimum: 1, expected: "a whole number of at least 1, or null for the core count")
            case "warmup": forward.warmup = try r.int(value, keyPath, minimum: 0, expected: "a whole number of at least 0")
            case "runs": forward.runs = try r.int(value, keyPath, minimum: 1, expected: "a whole number of at least 1")
            case "budget_seconds":
                forward.budgetSeconds = ConfigReader.isNull(value) ? nil
                    : try r.number(value, keyPath, minimum: 0.001, expected: "a number of seconds of at least 0.001, or null for no budget")
            case "seed": forward.seed = try r.int(value, keyPath, minimum: 0, expected: "a whole number of at least 0")
            case "memory_limit":
                forward.memoryLimit = try bytes(value, keyPath, r)
            case "retime":
                forward.retime = try r.choice(value, keyPath, what: "a retime policy",
                                              expected: "always (time every model again) or changed (only models whose file or configuration changed)")
            default: forward.inputShapes = try inputShapes(value, keyPath, r) // "input_shapes"
            }
        }
        return forward
    }

    /// A byte count (`2G`, `512M`, `1000000`) or null (half the physical memory).
    static func bytes(_ value: Node, _ keyPath: String, _ r: ConfigReader) throws -> Int? {
        let expected = "a byte count such as 2G, 512M or 1000000, or null for half the physical memory"
        if ConfigReader.isNull(value) { return nil }
        if ConfigReader.has(value, .int) { return try r.int(value, keyPath, minimum: 1, expected: expected) }
        let text = try r.string(value, keyPath, expected: expected)
        guard let bytes = ModelRunSetup.parseBytes(text), bytes > 0 else {
            throw r.error(value, keyPath, "\(ConfigReader.describe(value)) is not a byte count; expected \(expected)")
        }
        return bytes
    }

    static func batch(_ node: Node, _ path: String, _ r: ConfigReader) throws -> BatchConfig {
        var batch = BatchConfig.defaults
        for (key, value) in try r.mapping(node, path, allowed: batchKeys, what: "the batch's limits per model") {
            let keyPath = ConfigReader.join(path, key)
            switch key {
            case "model_timeout":
                batch.modelTimeout = ConfigReader.isNull(value) ? nil
                    : try r.number(value, keyPath, minimum: 1, expected: "a number of seconds of at least 1, or null for no limit")
            default: batch.modelMemory = try bytes(value, keyPath, r) // "model_memory"
            }
        }
        return batch
    }

    static func regression(_ node: Node, _ path: String, _ r: ConfigReader) throws -> RegressionConfig {
        var regression = RegressionConfig.defaults
        for (key, value) in try r.mapping(node, path, allowed: regressionKeys, what: "the regression thresholds") {
            let keyPath = ConfigReader.join(path, key)
            switch key {
            case "latency_increase_percent":
                regression.latencyIncreasePercent = try r.number(value, keyPath, minimum: 0, expected: "a number of percent, at least 0, e.g. 10")
            case "fail_on_param_change": regression.failOnParamChange = try r.bool(value, keyPath)
            default: regression.failOnMissingModel = try r.bool(value, keyPath) // "fail_on_missing_model"
            }
        }
        return regression
    }

    /// `model id: ["224,224,3", ...]`: one entry per model input. An entry is a string of
    /// sizes (`224,224,3` or `224x224x3`) or a list of sizes (`[224, 224, 3]`); a lone string
    /// stands for a one-input list.
    static func inputShapes(_ node: Node, _ path: String, _ r: ConfigReader) throws -> [String: [[Int]]] {
        if ConfigReader.isNull(node) { return [:] }
        let example = "{\"models/mobilenet.keras\": [\"224,224,3\"]}"
        guard let mapping = node.mapping else {
            throw r.error(node, path, "\(ConfigReader.describe(node)) is not a mapping; expected model ids with their input sizes, e.g. \(example)")
        }
        var shapes: [String: [[Int]]] = [:]
        for (keyNode, value) in mapping {
            let id = try r.string(keyNode, path, expected: "a model id (the model file's path relative to its input folder)")
            let idPath = "\(path)[\"\(id)\"]"
            guard !id.hasPrefix("/") else {
                throw r.error(keyNode, idPath, "\"\(id)\" is an absolute path; expected a model id, the model file's path relative to its input folder")
            }
            if ConfigReader.has(value, .str) {
                shapes[id] = [try dims(value, idPath, r)]
                continue
            }
            guard let entries = value.sequence, !entries.isEmpty else {
                throw r.error(value, idPath, "\(value.sequence == nil ? ConfigReader.describe(value) + " is not a list" : "the list is empty"); expected one entry of sizes per model input, e.g. [\"224,224,3\"]")
            }
            shapes[id] = try entries.enumerated().map { i, entry in try dims(entry, "\(idPath)[\(i)]", r) }
        }
        return shapes
    }

    /// `"224,224,3"`, `"224x224x3"` or `[224, 224, 3]` -> [224, 224, 3]: positive sizes, without the batch.
    static func dims(_ node: Node, _ path: String, _ r: ConfigReader) throws -> [Int] {
        let expected = "positive sizes without the batch, as a string like \"224,224,3\" or a list like [224, 224, 3]"
        if let list = node.sequence {
            guard !list.isEmpty else { throw r.error(node, path, "the list is empty; expected \(expected)") }
            return try list.enumerated().map { i, item in
                try r.int(item, "\(path)[\(i)]", minimum: 1, expected: "a positive size")
            }
        }
        guard ConfigReader.has(node, .str), let text = node.scalar?.string else {
            let hint = ConfigReader.has(node, .int) ? " (a lone number must be quoted, \"\(node.scalar!.string)\")" : ""
            throw r.error(node, path, "\(ConfigReader.describe(node)) is not a string of sizes\(hint); expected \(expected)")
        }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "x" || $0 == "X" })
        let sizes = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, sizes.count == parts.count, sizes.allSatisfy({ $0 > 0 }) else {
            throw r.error(node, path, "\"\(text)\" is not a list of sizes; expected \(expected)")
        }
        return sizes
    }

    /// A YAML syntax error as a one-line `StrataError` at its line and column.
    static func syntaxError(_ error: YamlError, file: String) -> StrataError {
        func at(_ mark: Mark) -> String { ConfigReader.place(mark, "") }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at \(at($0.mark)))" } ?? ""
            return StrataError(file: file, place: at(mark), "not valid YAML: \(problem)\(while_)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return StrataError(file: file, place: at(context.mark), "key \(keys) appears more than once in the same mapping; expected each key once")
        case let .reader(problem, offset, _, _):
            return StrataError(file: file, place: offset.map { "byte \($0)" }, "cannot be read: \(problem)")
        default:
            return StrataError(file: file, "not valid YAML: \(error)")
        }
    }
}
