/// `batch:` in the configuration: the limits of each model's worker process.
public struct BatchConfig: Sendable, Equatable {
    /// Seconds one model may take (reading, analysing, timing, rendering; not the time it
    /// waits for its turn to time) before its worker is stopped; `nil`: no limit.
    public var modelTimeout: Double?
    /// Resident bytes one model's worker may use before it is stopped; `nil`: half the
    /// machine's physical memory.
    public var modelMemory: Int?

    public init(modelTimeout: Double? = 600, modelMemory: Int? = nil) {
        self.modelTimeout = modelTimeout
        self.modelMemory = modelMemory
    }

    /// The defaults: 600 s, half the physical memory.
    public static let defaults = BatchConfig()
}
