import Foundation
import Reporting

/// What the batch and its workers say to each other. A worker is the same binary run as
/// `strata __worker`; it reads one `Job` (a JSON line) on standard input and writes
/// `Message`s, one JSON object per line, on standard output:
///
/// - `stage` each time it enters a stage ("reading weights of conv2d_3"), so the batch can
///   name the stage of a worker that crashes or hangs;
/// - `log` for a line of the batch log (a timing result, a warning);
/// - `ready_to_time` once read and analysed when the job asks for the forward pass; it then
///   waits for a `go` line on standard input, which the batch sends when no other worker
///   runs, so timed passes never overlap with anything;
/// - `result` last: the model's index entry (its `ModelRunSummary`, which the batch also
///   records in the history); its files are complete in
///   the staging folder the job named. A worker that dies before `result` and exit code 0
///   has produced nothing: the batch removes its staging folder.
///
/// Every message carries `v`, the protocol version; a batch refuses other versions.
/// Version 2: the result carries one entry with the model's summary (version 1 carried an
/// index entry and a history record side by side).
public enum WorkerProtocol {
    public static let version = 2

    /// One model's work, as the batch hands it to a worker.
    public struct Job: Codable, Sendable {
        public var v: Int = WorkerProtocol.version
        /// The model's id and file, and its report folder relative to the output folder.
        public var id: String
        public var path: String
        public var reportFolder: String
        /// Where the worker writes the report's files (a fresh folder under the output folder's
        /// staging folder).
        public var stagingFolder: String
        public var contentHash: String?
        /// True when a report of this model was published before (a failure keeps it, stale).
        public var previousExists: Bool
        /// The change since the previous run, from the batch's history (nil: no history).
        public var change: ModelChange?
        /// The report's formats, canonical order.
        public var formats: [ReportFormat]
        public var templates: String?
        public var runDate: String
        /// Open input dimensions given for this model ("224,224,3" per input), if any.
        public var inputShapes: [String]?
        public var forward: Bool
        public var forwardThreads: Int
        public var warmup: Int
        public var runs: Int
        public var budgetSeconds: Double?
        public var memoryLimit: Int?
        public var seed: UInt64
        /// The worker's address-space limit in bytes (RLIMIT_AS), nil: none.
        public var addressSpaceLimit: Int?
        /// The batch's process id: the worker ends itself when its parent is gone.
        public var parentPid: Int32
        /// `probe` (the fuzzer's): read, analyse and load the weights the file carries,
        /// nothing timed, rendered or written; nil: the batch's report.
        public var probe: Bool?
        /// The model's previous version (a file in the history's version store) when its file
        /// changed since the last recorded run: the worker compares the two (`strata diff`).
        public var previousVersion: String? = nil
        /// `full` when the report's diagram shows every layer of a model built from blocks
        /// (nil: the default, an overview and one diagram per block type).
        public var detail: String? = nil
        /// `latency` when a timed model's overview boxes are filled by their share of the
        /// time (nil: by their share of the parameters).
        public var shade: String? = nil
    }

    /// A probe job for the model file at `path`: read, analyse and load its weights in a
    /// worker (what the fuzzer runs on each mutant).
    static func probeJob(path: String, memoryBytes: Int?) -> Job {
        Job(id: (path as NSString).lastPathComponent, path: path, reportFolder: "", stagingFolder: "", contentHash: nil,
            previousExists: false, change: nil, formats: [], templates: nil, runDate: "", inputShapes: nil, forward: false,
            forwardThreads: 1, warmup: 0, runs: 0, budgetSeconds: nil, memoryLimit: nil, seed: 0,
            addressSpaceLimit: memoryBytes.map(WorkerExecutable.addressSpace(forResident:)), parentPid: getpid(), probe: true)
    }

    /// The outcome a worker sends last.
    public struct Result: Codable, Sendable {
        /// The model's index entry; its summary is what the history records.
        public var entry: BatchIndex.Entry
        /// Files written into the job's staging folder (empty for a failed model).
        public var files: [String]
    }

    /// One line of a worker's output.
    public struct Message: Codable, Sendable {
        public enum Kind: String, Codable, Sendable { case stage, log, readyToTime = "ready_to_time", timed, result }
        public var v: Int = WorkerProtocol.version
        public var type: Kind
        public var text: String?
        /// For `log`: shown on a live terminal too (a warning), not only in the plain log.
        public var always: Bool?
        public var result: Result?

        public init(_ type: Kind, text: String? = nil, always: Bool? = nil, result: Result? = nil) {
            self.type = type
            self.text = text
            self.always = always
            self.result = result
        }
    }

    /// One message as a line of JSON (keys sorted, so lines are stable).
    static func line(_ message: Message) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(message)) ?? Data("{\"v\":\(version),\"type\":\"log\",\"text\":\"unencodable message\"}".utf8)
        data.append(0x0A)
        return data
    }
}
