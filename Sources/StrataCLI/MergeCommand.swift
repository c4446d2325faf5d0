import ArgumentParser
import Foundation
import History
import ModelKit
import Reporting

/// `strata merge SHARD_OUTPUT... --out DIR`: joins the outputs of `strata report --shard K/N`
/// runs (reports, histories) into one output folder with one index.
struct MergeCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output folders of sharded runs (strata report --shard K/N) into one, with one index and history.",
        discussion: "Exit codes: 0 merged; 1 a shard could not be read or the output not written; 2 usage error."
    )

    @Argument(help: "Output folders of the shards.")
    var shards: [String]

    @Option(name: .long, help: ArgumentHelp("The merged output folder.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Templates folder for index.md.", valueName: "dir"))
    var templates: String = "Templates"

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case shards, out, templates }

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the output folders of the shards to merge") }
    }

    func execute() throws {
        do { try merge() } catch let e as StrataError { throw CommandFailure("strata: error: \(e)") }
    }

    func merge() throws {
        let fm = FileManager.default
        var indexes: [(folder: String, index: BatchIndex)] = []
        for shard in shards {
            let path = (shard as NSString).appendingPathComponent("index.json")
            guard let data = fm.contents(atPath: path) else { throw StrataError(file: path, "no index.json: not the output folder of a strata report run") }
            let json: JSONValue
            do { json = try JSONParser.parse(Array(data)) } catch let e as StrataError { throw e.inFile(path) }
            indexes.append((shard, try IndexJSON.parse(json, file: path)))
        }
        let publisher = try ReportPublisher(output: out, runToken: "\(getpid())")
        defer { publisher.cleanUp() }
        var entries: [BatchIndex.Entry] = []
        var seen: [String: String] = [:]
        for (folder, index) in indexes {
            for entry in index.entries {
                if let other = seen[entry.id] {
                    sink.error("strata: warning: model \(entry.id) is in both \(other) and \(folder); the first is kept")
                    continue
                }
                seen[entry.id] = folder
                entries.append(entry)
                let source = (folder as NSString).appendingPathComponent(entry.reportFolder)
                guard let names = try? fm.contentsOfDirectory(atPath: source) else { continue }
                let files: [(name: String, data: Data)] = names.sorted().compactMap { name in
                    fm.contents(atPath: (source as NSString).appendingPathComponent(name)).map { (name, $0) }
                }
                let staged = publisher.stagingFolder(for: entry.reportFolder)
                try ReportPublisher.writeStaged(files, into: staged)
                try publisher.publish(staged, to: entry.reportFolder)
            }
        }
        // Histories.
        let historyPath = (out as NSString).appendingPathComponent("history.sqlite")
        let opened = try HistoryStore.open(path: historyPath)
        if let w = opened.warning { sink.error("strata: warning: \(w)") }
        for (folder, _) in indexes {
            let shardHistory = (folder as NSString).appendingPathComponent("history.sqlite")
            if fm.fileExists(atPath: shardHistory) { _ = try opened.store.merge(from: shardHistory) }
        }
        entries.sort { $0.id < $1.id }
        var unavailable: [String] = []
        for (_, i) in indexes { for u in i.unavailable where !unavailable.contains(u) { unavailable.append(u) } }
        // Every shard lists the same files that are not models.
        var skipped: [BatchIndex.Skipped] = []
        for (_, i) in indexes { for s in i.skipped where !skipped.contains(s) { skipped.append(s) } }
        let merged = BatchIndex(runDate: indexes.map(\.index.runDate).max() ?? "", strataVersion: StrataVersion.current,
                                entries: entries, regressions: indexes.flatMap(\.index.regressions), unavailable: unavailable,
                                skipped: skipped.sorted { $0.file < $1.file })
        try publisher.writeFile(Data(try MarkdownIndex.render(merged, templatesFolder: templates).utf8), to: "index.md")
        try publisher.writeFile(Data(IndexJSON.render(merged).utf8), to: "index.json")
        sink.out("Merged \(entries.count) models from \(shards.count) shard(s) into \(out).")
    }
}
