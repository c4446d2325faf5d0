import Foundation
import ModelKit

/// Reads any supported model file into a `ModelGraph`, choosing the reader by the file's
/// content (its first bytes), with the extension only as a tie-breaker.
public enum ModelFileReader {
    /// JSON model configs larger than this are refused before reading (a model config of
    /// 1,000 layers is a few MB).
    public static let maxJSONBytes = 256 << 20

    /// The formats Strata recognises.
    public enum Format: String, Sendable {
        case json = "keras-json"
        case kerasArchive = "keras-archive"
        case hdf5 = "keras2-h5"
    }

    /// The container a file's first bytes announce: a zip signature, the HDF5 signature, or
    /// JSON's opening bracket after white space (a UTF-8 byte-order mark allowed); nil for none.
    public static func format(ofHead head: [UInt8]) -> Format? {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .kerasArchive }
        if head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return .hdf5 }
        if let first = head.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == 0xEF {
            return .json
        }
        return nil
    }

    /// Detects the format from the first bytes; throws naming the file when it is none.
    public static func detect(_ path: String) throws -> Format {
        let head = try readHead(path, count: 8)
        if let format = format(ofHead: head) { return format }
        if head.isEmpty { throw StrataError(file: path, "the file is empty") }
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            throw StrataError(file: path, "not an HDF5 file (it does not start with the HDF5 signature)")
        }
        if path.hasSuffix(".keras") {
            throw StrataError(file: path, "not a .keras archive (a .keras file is a zip; this one starts with \(hex(head)))")
        }
        let printable = head.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        throw StrataError(file: path, "not a Keras model: expected JSON, a .keras archive or an .h5 file, found " +
                          (printable ? "text starting \"\(String(decoding: head, as: UTF8.self))\"" : "bytes \(hex(head))"))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: " ") }

    static func readHead(_ path: String, count: Int) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw StrataError(file: path, "no such file")
        }
        if isDir.boolValue { throw StrataError(file: path, "is a folder, not a model file") }
        if let kind = FileKind.notRegular(path) { throw StrataError(file: path, "is a \(kind), not a regular file; a model is a regular file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StrataError(file: path, "cannot be opened for reading (permissions?)") }
        defer { try? handle.close() }
        do {
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            throw StrataError(file: path, "cannot be read: \(error.localizedDescription)")
        }
    }

    /// Size of a file in bytes.
    public static func fileSize(_ path: String) throws -> Int {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = (attrs?[.size] as? NSNumber)?.intValue else { throw StrataError(file: path, "cannot read the file's size") }
        return size
    }

    /// Reads a JSON file completely, refusing files over `maxJSONBytes` without reading them.
    static func readJSONFile(_ path: String) throws -> JSONValue {
        let size = try fileSize(path)
        if size > maxJSONBytes {
            throw StrataError(file: path, "is \(ByteCount.format(size)), larger than the \(ByteCount.format(maxJSONBytes)) a model config may have; not read")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw StrataError(file: path, "cannot be read") }
        do {
            return try JSONParser.parse(Array(data))
        } catch let e as StrataError {
            throw e.inFile(path)
        }
    }

    /// What a file was opened as, kept for reading its weights without opening it again.
    enum Container {
        case json
        case archive(KerasArchive, (file: HDF5File, index: KerasWeightIndex)?)
        case hdf5(KerasH5)
    }

    /// Reads a model file once: its graph and the opened container.
    static func readContainer(_ path: String) throws -> (ModelGraph, Container) {
        switch try detect(path) {
        case .json:
            WorkStage.enter("reading the model config")
            let json = try readJSONFile(path)
            var reader = KerasConfigReader(file: path, format: "keras-json")
            return (try reader.read(json), .json)
        case .kerasArchive:
            WorkStage.enter("reading the .keras archive")
            let opened = try openArchive(path)
            return (opened.graph, .archive(opened.archive, opened.weights))
        case .hdf5:
            WorkStage.enter("reading the HDF5 file")
            let opened = try openH5(path)
            return (opened.graph, .hdf5(opened.h5))
        }
    }

    /// Reads and decodes a model file of any supported format.
    public static func read(_ path: String) throws -> ModelGraph {
        switch try detect(path) {
        case .json:
            WorkStage.enter("reading the model config")
            let json = try readJSONFile(path)
            var reader = KerasConfigReader(file: path, format: "keras-json")
            return try reader.read(json)
        case .kerasArchive:
            WorkStage.enter("reading the .keras archive")
            return try readArchive(path)
        case .hdf5:
            WorkStage.enter("reading the HDF5 file")
            return try readH5(path)
        }
    }
}

/// Human-readable byte counts with decimal prefixes ("1.2 MB").
public enum ByteCount {
    public static func format(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var v = Double(bytes)
        var u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(bytes) B" : String(format: v >= 100 ? "%.0f %@" : v >= 10 ? "%.1f %@" : "%.2f %@", v, units[u])
    }
}
