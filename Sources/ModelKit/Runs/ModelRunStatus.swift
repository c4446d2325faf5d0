/// Whether a model was reported in a run (`ok`) or failed (`failed`, with its error).
public enum ModelRunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case failed
}
