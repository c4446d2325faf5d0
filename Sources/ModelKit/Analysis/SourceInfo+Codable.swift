/// Where a model came from, as `report.json` carries it: `file`, `format`, `dialect`,
/// `format_version` (the version of the tool that wrote the file), `backend`
/// and the reader's `conventions`. Every key is written, `null` when the file does not say.
extension SourceInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case file, format, dialect
        case formatVersion = "format_version"
        case backend, conventions, notes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(format, forKey: .format)
        try c.encode(dialect, forKey: .dialect)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(backend, forKey: .backend)
        try c.encode(conventions, forKey: .conventions)
        try c.encode(notes, forKey: .notes)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try c.decode(String.self, forKey: .file), format: try c.decode(String.self, forKey: .format),
                  dialect: try c.decode(String.self, forKey: .dialect),
                  formatVersion: try c.decodeIfPresent(String.self, forKey: .formatVersion),
                  backend: try c.decodeIfPresent(String.self, forKey: .backend),
                  conventions: try c.decode(CountingConventions.self, forKey: .conventions))
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }
}
