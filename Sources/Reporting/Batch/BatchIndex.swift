import ModelKit

/// What the index of a batch run shows: one entry per model, regressions, failures.
/// Built by the batch pipeline; rendered to `index.md` (template) and `index.json`.
public struct BatchIndex: Sendable {
    /// One model of the run: its `ModelRunSummary` and what the index adds (its report
    /// folder, whether an earlier report is kept, why it was not timed, the change since the
    /// previous run).
    public struct Entry: Sendable, Codable {
        public enum Status: String, Sendable, Codable { case ok, failed, stale }
        /// The model's figures in this run.
        public var summary: ModelRunSummary
        /// What the index shows for the model (the nightly batch shows its id).
        public var name: String
        /// Folder of its report, relative to the output folder.
        public var reportFolder: String
        /// True when the model failed and its previous report is kept (stale).
        public var keepsPreviousReport: Bool
        /// Why a reported model was not timed although the run asked for the forward pass
        /// (a layer that cannot run, open input dimensions); nil when timed or not asked.
        public var notTimed: String?
        public var change: ModelChange?

        public init(summary: ModelRunSummary, name: String, reportFolder: String, keepsPreviousReport: Bool = false,
                    notTimed: String? = nil, change: ModelChange? = nil) {
            self.summary = summary
            self.name = name
            self.reportFolder = reportFolder
            self.keepsPreviousReport = keepsPreviousReport
            self.notTimed = notTimed
            self.change = change
        }

        /// An entry from the figures the index shows (`index.json`'s keys): the summary holds
        /// no more than they say, its model name is the index's name and a stale entry is a
        /// failed one that keeps its previous report.
        public init(id: String, reportFolder: String, name: String, file: String, status: Status, params: Int? = nil,
                    macs: Int? = nil, latencyMs: Double? = nil, notTimed: String? = nil, change: ModelChange? = nil, error: String? = nil) {
            self.init(summary: ModelRunSummary(modelId: id, modelName: name, file: file, contentHash: nil,
                                               status: status == .ok ? .ok : .failed, params: params, macs: macs,
                                               latencyMedianMs: latencyMs, error: error),
                      name: name, reportFolder: reportFolder, keepsPreviousReport: status == .stale, notTimed: notTimed, change: change)
        }

        /// Stable id from the model's path relative to its input folder (`vision/resnet8.keras`).
        public var id: String { summary.modelId }
        public var file: String { summary.file }
        /// Reported (ok), failed without a report, or failed with the previous report kept (stale).
        public var status: Status { summary.status == .ok ? .ok : keepsPreviousReport ? .stale : .failed }
        public var params: Int? { summary.params }
        public var macs: Int? { summary.macs }
        /// Latency median in ms when timed; nil when the forward pass did not run.
        public var latencyMs: Double? { summary.latencyMedianMs }
        /// The error of this run (failed, or stale: the previous report is kept).
        public var error: String? { summary.error }
    }

    /// A change beyond a configured threshold (latency up by more than X %, parameter
    /// count changed, a model disappeared).
    public struct Regression: Sendable, Hashable {
        public var id: String
        public var message: String
        public init(id: String, message: String) {
            self.id = id
            self.message = message
        }
    }

    /// A file in an input folder that is not a model, with the reason.
    public struct Skipped: Sendable, Hashable, Codable {
        public var file: String
        public var reason: String
        public init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }
    }

    public var runDate: String
    public var strataVersion: String
    public var entries: [Entry]
    public var regressions: [Regression]
    /// Output formats that were requested but are not available in this build (reported,
    /// never faked), e.g. the forward-pass timing.
    public var unavailable: [String]
    /// Files of the input folders that are not models (listed, never silently dropped).
    public var skipped: [Skipped]

    public init(runDate: String, strataVersion: String, entries: [Entry], regressions: [Regression] = [], unavailable: [String] = [],
                skipped: [Skipped] = []) {
        self.runDate = runDate
        self.strataVersion = strataVersion
        self.entries = entries
        self.regressions = regressions
        self.unavailable = unavailable
        self.skipped = skipped
    }
}
