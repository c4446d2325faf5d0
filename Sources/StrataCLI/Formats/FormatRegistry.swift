import Foundation
import KerasFormat
import ONNXFormat
import ModelKit

/// The model formats Strata reads, in the order they are asked. Discovery, the commands and
/// the batch ask the registry which format a file is and open it through that format; no
/// other code names a reader. Adding a format is one line in `standard`.
public struct FormatRegistry: Sendable {
    public let formats: [any ModelFormat]

    public init(formats: [any ModelFormat]) { self.formats = formats }

    /// The formats this build reads.
    public static let standard = FormatRegistry(formats: [KerasModelFormat(), ONNXModelFormat()])

    /// Bytes read from a file's start for sniffing (a JSON model names its keys early).
    public static let headBytes = 64 << 10

    /// Every extension some format reads, in the formats' order, without repeats.
    public var extensions: [String] {
        var seen = Set<String>()
        return formats.flatMap(\.fileExtensions).filter { seen.insert($0).inserted }
    }

    /// `.json, .keras, .h5 and .hdf5`, for messages.
    var extensionList: String {
        let dotted = extensions.map { "." + $0 }
        guard dotted.count > 1 else { return dotted.first ?? "" }
        return dotted.dropLast().joined(separator: ", ") + " and " + dotted.last!
    }

    /// What the formats make of `path`: the first whose sniff says `.model`, else the reason
    /// a format claiming the extension gives for it not being a model, else nil with no
    /// format claiming the file (`format` is then nil too).
    /// A file that cannot be read gives neither: opening it reports why.
    public func sniff(_ path: String) -> (format: (any ModelFormat)?, notModel: String?) {
        guard let head = Self.readHead(path) else { return (nil, nil) }
        var reason: String?
        for f in formats {
            switch f.sniff(path: path, head: head) {
            case .model: return (f, nil)
            case .notModel(let why): reason = reason ?? why
            case .notMine: continue
            }
        }
        return (nil, reason)
    }

    /// Why a file found in an input folder is not a model, or nil when it may be one (its
    /// content decides when read).
    public func whyNotModel(_ path: String) -> String? {
        if let kind = FileKind.notRegular(path) { return "a \(kind), not a regular file: never opened" }
        let ext = (path.lowercased() as NSString).pathExtension
        guard extensions.contains(ext) else {
            return (ext.isEmpty ? "a file without an extension" : "a .\(ext) file") + ", not a model: Strata reads \(extensionList) files"
        }
        let (format, reason) = sniff(path)
        return format == nil ? reason : nil
    }

    /// Opens `path` with the format its content belongs to; a file no format recognises is
    /// opened by the format claiming its extension, whose reader names what is wrong (empty,
    /// not HDF5, not a zip...). Errors name the file.
    public func open(_ path: String) throws -> any OpenedModel {
        let ext = (path.lowercased() as NSString).pathExtension
        if let format = sniff(path).format ?? formats.first(where: { $0.fileExtensions.contains(ext) }) ?? formats.first {
            return try format.open(path: path)
        }
        throw StrataError(file: path, "no model format is registered")
    }

    /// The first bytes of a regular file, nil when it cannot be read.
    static func readHead(_ path: String) -> [UInt8]? {
        guard FileKind.notRegular(path) == nil, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: headBytes) else { return nil }
        return Array(data)
    }
}
