/// A category encodes as its name (`kernel`, `normalization`, ...).
extension LayerCategory: Codable {}
