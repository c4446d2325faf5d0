import Foundation
import History
import ModelKit
import Reporting

/// The batch's per-model results on disk, `<output>/.strata-results/<report folder>.json`:
/// what each model's last successful report was made from (its content hash, the Strata
/// version, the effective configuration) and what it found (its index entry, whose summary
/// the history records). The next run reuses the published report of a model whose key is
/// unchanged instead of reading, analysing and rendering it again.
///
/// Schema 2 keeps one entry with the model's summary (schema 1 kept an index entry and a
/// history record side by side); a stored result of another schema is not reused.
struct ModelResultStore {
    static let schema = "strata-model-result/2"
    let folder: String

    init(output: String) { folder = (output as NSString).appendingPathComponent(".strata-results") }

    /// What a report was made from.
    struct Key: Codable, Equatable {
        var contentHash: String
        var strataVersion: String
        /// SHA-256 of the effective configuration that shapes this model's report.
        var configuration: String
    }

    struct Stored: Codable {
        var schema: String
        var key: Key
        var entry: BatchIndex.Entry
        var files: [String]
    }

    func path(_ reportFolder: String) -> String { (folder as NSString).appendingPathComponent(reportFolder + ".json") }

    /// The stored result of a model, nil when none or unreadable.
    func load(_ reportFolder: String) -> Stored? {
        guard let data = FileManager.default.contents(atPath: path(reportFolder)),
              let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.schema == Self.schema else { return nil }
        return stored
    }

    /// Stores a model's result (through a temporary file and a rename: never half-written).
    func save(_ stored: Stored, _ reportFolder: String) {
        let final = path(reportFolder)
        let dir = (final as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(stored) else { return }
        let temp = final + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: data) else { return }
        if rename(temp, final) != 0 { unlink(temp) }
    }

    /// The part of the configuration key shared by every model of a run: each setting that
    /// changes what a model's report says, in a fixed order, and the templates' contents.
    static func configurationBase(_ s: BatchSettings) -> String {
        [
            // Names sorted as text, as they were when formats were strings, so keys stay the same.
            "formats=\(s.formats.map(\.rawValue).sorted().joined(separator: ","))",
            "forward=\(s.forward)", "threads=\(s.forwardThreads)", "warmup=\(s.warmup)", "runs=\(s.runs)",
            "budget=\(s.budgetSeconds.map { String($0) } ?? "none")", "memory=\(s.memoryLimit.map(String.init) ?? "default")",
            "seed=\(s.seed)", "templates=\(templatesDigest(s.templates))",
        ].joined(separator: "\n") + (s.detail == .blocks ? "" : "\ndetail=\(s.detail.rawValue)")
            + (s.shade == .params ? "" : "\nshade=\(s.shade.rawValue)")
    }

    /// A model's configuration key: the run's base and the open input dimensions given for it.
    static func configurationKey(base: String, inputShapes: [String]?) -> String {
        SHA256.hexDigest(of: Array((base + "\ninput_shapes=" + (inputShapes ?? []).joined(separator: ";")).utf8))
    }

    /// A digest of the Markdown templates folder (file names and contents), "" when unset.
    static func templatesDigest(_ folder: String?) -> String {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return "" }
        var data = Data()
        for name in names.sorted() {
            data.append(Data(name.utf8))
            data.append(FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)) ?? Data())
        }
        return SHA256.hexDigest(of: data)
    }
}
