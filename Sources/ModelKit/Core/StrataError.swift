/// An error with its context: the file, the place in it (a JSON path, a layer name, an HDF5
/// path) and a message that carries every value involved.
///
/// Prints as one line: `model.json: config.layers[3] (layer "dense"): missing key "units"`.
public struct StrataError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String?
    public var place: String?
    public var message: String

    public init(file: String? = nil, place: String? = nil, _ message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    /// The same error with the file filled in when it had none.
    public func inFile(_ file: String) -> StrataError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let place, !place.isEmpty { parts.append(place) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A shape or configuration problem raised inside a layer kind; the analyzer adds the file
/// and the layer name.
public struct LayerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A node whose output shape depends on values computed while the model runs (a reshape
/// to a size read from data, a non-zero count): not an error in the file, but shapes after
/// it are unknown. Shape inference reports it as a warning.
public struct ShapeDependsOnData: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
