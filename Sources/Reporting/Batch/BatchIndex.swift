/// What the index of a batch run shows: one entry per model, regressions, failures.
/// Built by the batch pipeline; rendered to `index.md` (template) and `index.json`.
public struct BatchIndex: Sendable {
    /// One model of the run.
    public struct Entry: Sendable, Codable {
        public enum Status: String, Sendable, Codable { case ok, failed, stale }
        /// Stable id from the model's path relative to its input folder (`vision/resnet8.keras`).
        public var id: String
        /// Folder of its report, relative to the output folder.
        public var reportFolder: String
        public var name: String
        public var file: String
        public var status: Status
        public var params: Int?
        public var macs: Int?
        /// Latency median in ms when timed; nil when the forward pass did not run.
        public var latencyMs: Double?
        /// Why a reported model was not timed although the run asked for the forward pass
        /// (a layer that cannot run, open input dimensions); nil when timed or not asked.
        public var notTimed: String?
        public var change: ModelChange?
        /// The error of this run (failed, or stale: the previous report is kept).
        public var error: String?

        public init(id: String, reportFolder: String, name: String, file: String, status: Status, params: Int? = nil,
                    macs: Int? = nil, latencyMs: Double? = nil, notTimed: String? = nil, change: ModelChange? = nil, error: String? = nil) {
            self.id = id
            self.reportFolder = reportFolder
            self.name = name
            self.file = file
            self.status = status
            self.params = params
            self.macs = macs
            self.latencyMs = latencyMs
            self.notTimed = notTimed
            self.change = change
            self.error = error
        }
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
