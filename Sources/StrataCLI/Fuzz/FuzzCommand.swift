import ArgumentParser
import Foundation
import History
import ModelKit

/// `strata fuzz [SEED...]`: runs mutants of model files through the readers in the batch's
/// worker isolation (read, analyse, load the weights) and saves every mutant that crashes a
/// worker, hangs it or exceeds its memory, one per distinct failure, with a line in
/// `findings.tsv`. For developers (`make fuzz`); not listed in `strata --help`.
struct FuzzCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Developers: run mutants of model files through the readers in isolated workers; save the ones that crash, hang or exceed memory.",
        discussion: """
        Mutants: bit flips, truncations, inserted and deleted spans, spans set to 0x00/0xFF/0x7F/0x80; \
        inside a .keras archive one entry is mutated and the zip written anew with correct CRCs. \
        Each mutant is read, analysed and its weights loaded in a worker process, as the batch \
        does. A finding is saved into --out as crash-*, hang-* or memory-* (one per distinct \
        failure and stage, across runs: findings.tsv in --out lists them with seed file, mutation \
        and reason). Exit codes: 0 no new finding; 1 new findings were saved; 2 usage error.
        """,
        shouldDisplay: false
    )

    @Argument(help: "Model files or folders to mutate (default: Examples and Tests/Fixtures/reference).")
    var seeds: [String] = []

    @Option(name: .long, help: ArgumentHelp("Stop after this many seconds (default 300 unless --count is given).", valueName: "seconds"))
    var seconds: Double?

    @Option(name: .long, help: ArgumentHelp("Stop after this many mutants.", valueName: "n"))
    var count: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of the mutations (the same seed makes the same mutants).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Workers at once (default: the core count).", valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Seconds a mutant may take before it counts as a hang.", valueName: "seconds"))
    var timeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Resident memory a worker may use, e.g. 2G.", valueName: "bytes"))
    var memory: String = "2G"

    @Option(name: .long, help: ArgumentHelp("Folder the findings are saved into.", valueName: "dir"))
    var out: String = "Tests/Fixtures/fuzz"

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case seeds, seconds, count, seed, jobs, timeout, memory, out }

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive, given \(seconds)") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1, given \(count)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, given \(jobs)") }
        if !(timeout >= 1) { throw ValidationError("--timeout must be at least 1 second, given \(timeout)") }
        if (ModelRunSetup.parseBytes(memory) ?? 0) < 1 << 20 { throw ValidationError("--memory must be a byte count of at least 1M, such as 2G, given \(memory)") }
    }

    func execute() throws {
        signal(SIGPIPE, SIG_IGN)
        let inputs = seeds.isEmpty ? ["Examples", "Tests/Fixtures/reference"] : seeds
        let found = ModelDiscovery.discover(inputs: inputs).models
        guard !found.isEmpty else { throw CommandFailure("strata fuzz: no model files in \(inputs.joined(separator: ", "))", code: 2) }
        let seedFiles: [(path: String, bytes: [UInt8])] = found.compactMap { f in
            FileManager.default.contents(atPath: f.path).map { (f.path, Array($0)) }
        }
        let executable: String
        do { executable = try WorkerExecutable.resolve() } catch let e as StrataError { throw CommandFailure("strata fuzz: \(e)") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("strata-fuzz-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var findings = FuzzFindings(folder: out)

        let limit = count ?? Int.max
        let deadline = Date().addingTimeInterval(seconds ?? (count == nil ? 300 : .infinity))
        var mutator = Mutator(seed: seed)
        var made = 0
        var pending: [String: (seed: String, what: String)] = [:]
        var tally = FuzzTally()
        let start = Date()
        var lastReport = start
        let memoryBytes = ModelRunSetup.parseBytes(memory)
        sink.error("strata fuzz: \(seedFiles.count) seed file(s), seed \(seed), \(count.map { "\($0) mutants" } ?? String(format: "%.0f s", seconds ?? 300)), workers stopped after \(WorkerPool.seconds(timeout)) or \(WorkerPool.binaryBytes(memoryBytes ?? 0))")
        let pool = WorkerPool(limits: .init(executable: executable, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                            timeoutSeconds: timeout, memoryBytes: memoryBytes))
        pool.run(next: {
            guard made < limit, Date() < deadline else { return nil }
            let source = seedFiles[mutator.random.below(seedFiles.count)]
            let name = (source.path as NSString).lastPathComponent
            let (bytes, what) = mutator.mutant(of: source.bytes, name: name)
            let ext = (name as NSString).pathExtension
            let path = "\(scratch)/m\(made).\(ext)"
            made += 1
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return nil }
            pending[path] = (source.path, what)
            return WorkerProtocol.probeJob(path: path, memoryBytes: memoryBytes)
        }, handle: { event in
            guard case .finished(let job, let outcome) = event else { return }
            let origin = pending.removeValue(forKey: job.path) ?? ("?", "?")
            if let failure = outcome.failure {
                let reason = failure.replacingOccurrences(of: job.path + ": ", with: "")
                if let saved = findings.record(mutant: job.path, seed: origin.seed, what: origin.what, reason: reason) {
                    tally.new.append("\(saved): \(reason)")
                    sink.error("strata fuzz: new finding \(saved): \(reason) (\(origin.seed), \(origin.what))")
                }
                tally.count(reason)
            } else if outcome.result?.entry.status == .ok {
                tally.readFine += 1
            } else {
                tally.cleanErrors += 1
            }
            try? FileManager.default.removeItem(atPath: job.path)
            if Date().timeIntervalSince(lastReport) >= 10 {
                lastReport = Date()
                sink.error("strata fuzz: \(tally.total) mutants, \(String(format: "%.0f", Double(tally.total) / Date().timeIntervalSince(start)))/s, \(tally.findings) finding(s), \(tally.new.count) new")
            }
        })
        let secondsTaken = Date().timeIntervalSince(start)
        var lines = ["Fuzzed \(tally.total) mutants of \(seedFiles.count) file(s) in \(String(format: "%.1f", secondsTaken)) s (\(String(format: "%.1f", Double(tally.total) / max(secondsTaken, 0.001)))/s, seed \(seed)): \(tally.readFine) read fine, \(tally.cleanErrors) clean errors, \(tally.findings) finding(s)."]
        if tally.findings > 0 {
            lines.append("  \(tally.crashes) crashes, \(tally.hangs) hangs, \(tally.memory) over the memory limit, \(tally.others) other; "
                         + "\(tally.inHDF5) while libhdf5 was reading, \(tally.findings - tally.inHDF5) elsewhere (Strata's own code)")
        }
        lines.append(tally.new.isEmpty ? "No new finding (known ones are listed in \(findings.index))." : "\(tally.new.count) new finding(s) saved in \(out) and listed in \(findings.index):")
        lines += tally.new.map { "  " + $0 }
        sink.out(lines.joined(separator: "\n"))
        if !tally.new.isEmpty { throw ExitCode(1) }
    }
}

/// What a fuzz run saw.
struct FuzzTally {
    var readFine = 0
    var cleanErrors = 0
    var crashes = 0
    var hangs = 0
    var memory = 0
    var others = 0
    var inHDF5 = 0
    var new: [String] = []
    var findings: Int { crashes + hangs + memory + others }
    var total: Int { readFine + cleanErrors + findings }

    mutating func count(_ reason: String) {
        switch FuzzFindings.kind(reason) {
        case "crash": crashes += 1
        case "hang": hangs += 1
        case "memory": memory += 1
        default: others += 1
        }
        if FuzzFindings.insideHDF5(reason) { inHDF5 += 1 }
    }
}

/// The saved findings of a folder: `findings.tsv` (file, seed file, mutation, reason) and
/// the mutants themselves. A finding is new when no saved one has the same signature: its
/// kind and its reason without numbers and paths (the same crash at the same stage is one).
struct FuzzFindings {
    let folder: String
    var index: String { (folder as NSString).appendingPathComponent("findings.tsv") }
    private var known: Set<String>

    init(folder: String) {
        self.folder = folder
        known = []
        let text = (try? String(contentsOfFile: (folder as NSString).appendingPathComponent("findings.tsv"), encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 4 { known.insert(Self.signature(String(fields[3]))) }
        }
    }

    static func kind(_ reason: String) -> String {
        if reason.contains("crashed (") { return "crash" }
        if reason.contains("stopped after") { return "hang" }
        if reason.contains("memory limit") { return "memory" }
        return "exit"
    }

    static func insideHDF5(_ reason: String) -> Bool { reason.contains("HDF5") || reason.contains("weight index") }

    /// The kind and the reason without numbers and HDF5 paths: the same failure at the same
    /// kind of stage in another layer (`weight_names of /model_weights/dense_2`) is one.
    static func signature(_ reason: String) -> String {
        let words = reason.split(separator: " ").map { $0.hasPrefix("/") ? "/…" : String($0) }
        return kind(reason) + ":" + String(words.joined(separator: " ").filter { !$0.isNumber })
    }

    /// Saves `mutant` when its failure is new; returns the saved file's name.
    mutating func record(mutant: String, seed: String, what: String, reason: String) -> String? {
        let signature = Self.signature(reason)
        guard !known.contains(signature) else { return nil }
        known.insert(signature)
        guard let data = FileManager.default.contents(atPath: mutant) else { return nil }
        let stem = ((seed as NSString).lastPathComponent as NSString).deletingPathExtension
        let ext = (mutant as NSString).pathExtension
        let name = "\(Self.kind(reason))-\(stem)-\(SHA256.hexDigest(of: Array(data)).prefix(8)).\(ext)"
        // A finding that cannot be saved is not listed as saved.
        guard FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(name), contents: data) else { return nil }
        let fresh = !FileManager.default.fileExists(atPath: index)
        let line = (fresh ? "# file\tseed file\tmutation\treason\n" : "") + [name, seed, what, reason].map { $0.replacingOccurrences(of: "\t", with: " ") }.joined(separator: "\t") + "\n"
        if let handle = FileHandle(forWritingAtPath: index) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: index, contents: Data(line.utf8))
        }
        return name
    }
}
