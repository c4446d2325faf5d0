import Foundation
import ModelKit
import ZIPFoundation

/// A Keras 3 `.keras` file: a zip archive holding `config.json` (the model), `metadata.json`
/// (`keras_version`, `date_saved`) and `model.weights.h5` (the weights, HDF5).
///
/// Opening reads the zip's central directory, `config.json` and `metadata.json`; the
/// weights are read only by `weightsFile()`.
public struct KerasArchive: Sendable {
    /// The archive's path on disk (also the file named in errors).
    public let path: String
    /// Every entry name in the archive, in archive order.
    public let entryNames: [String]
    /// The bytes of `config.json`, verbatim (parse with `JSONParser.parse`).
    public let configBytes: [UInt8]
    /// `metadata.json`'s `keras_version`, when the archive has one.
    public let kerasVersion: String?
    /// `metadata.json`'s `date_saved` (Keras writes `2026-11-26@15:11:31`), when present.
    public let dateSaved: String?
    /// The uncompressed size of `model.weights.h5` as the zip directory states it, or nil
    /// when the archive has no weights.
    public let weightsSize: UInt64?

    /// The largest entry Strata reads into memory: 512 MiB.
    public static let maxEntryBytes: UInt64 = 512 << 20
    /// The largest weights file Strata opens in memory: 4 GiB.
    public static let maxWeightsBytes: UInt64 = 4 << 30

    public static let configEntry = "config.json"
    public static let metadataEntry = "metadata.json"
    public static let weightsEntry = "model.weights.h5"

    /// Opens the `.keras` archive at `path` and reads its config and metadata.
    ///
    /// Throws a `StrataError` naming the file when it is not a zip, a corrupt zip, or a zip
    /// without `config.json`.
    public init(path: String) throws {
        self.path = path
        let archive = try KerasArchive.openZip(path)
        var names: [String] = []
        var entries: [String: Entry] = [:]
        for entry in archive {
            names.append(entry.path)
            if entries[entry.path] == nil { entries[entry.path] = entry }
        }
        entryNames = names
        guard let config = entries[KerasArchive.configEntry] else {
            let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", ... (\(names.count) in all)" : "")
            throw StrataError(file: path, "a zip archive, but not a .keras model: no config.json; entries found: " + (names.isEmpty ? "none" : shown))
        }
        configBytes = try KerasArchive.read(config, from: archive, path: path, limit: KerasArchive.maxEntryBytes)
        if let meta = entries[KerasArchive.metadataEntry] {
            let bytes = try KerasArchive.read(meta, from: archive, path: path, limit: KerasArchive.maxEntryBytes)
            let json: JSONValue
            do { json = try JSONParser.parse(bytes) } catch let e as StrataError {
                throw StrataError(file: path, place: KerasArchive.metadataEntry + (e.place.map { " " + $0 } ?? ""), e.message)
            }
            kerasVersion = json["keras_version"]?.stringValue
            dateSaved = json["date_saved"]?.stringValue
        } else {
            kerasVersion = nil
            dateSaved = nil
        }
        weightsSize = entries[KerasArchive.weightsEntry]?.uncompressedSize
        // Vocabularies learnt by adapt() (lookup layers' save_assets), by the layer's object
        // path (`layers/integer_lookup`).
        var vocabularies: [String: [UInt8]] = [:]
        for (name, entry) in entries where name.hasPrefix("assets/") && name.hasSuffix("/vocabulary.txt") {
            let object = String(name.dropFirst("assets/".count).dropLast("/vocabulary.txt".count))
            vocabularies[object] = try KerasArchive.read(entry, from: archive, path: path, limit: KerasArchive.maxEntryBytes)
        }
        self.vocabularies = vocabularies
    }

    /// The vocabulary files of lookup layers (`assets/<object path>/vocabulary.txt`), by the
    /// layer's object path (`layers/integer_lookup`, `layers/functional/layers/string_lookup`).
    public let vocabularies: [String: [UInt8]]

    /// True when the archive has a `model.weights.h5` entry.
    public var hasWeights: Bool { weightsSize != nil }

    /// `model.weights.h5`, decompressed into memory and opened as HDF5 (no temporary file).
    /// Errors name the file as `<archive>!model.weights.h5`.
    public func weightsFile() throws -> HDF5File {
        let archive = try KerasArchive.openZip(path)
        guard let entry = archive[KerasArchive.weightsEntry] else {
            throw StrataError(file: path, "the .keras archive has no model.weights.h5")
        }
        let bytes = try KerasArchive.readData(entry, from: archive, path: path, limit: KerasArchive.maxWeightsBytes)
        return try HDF5File(bytes: bytes, displayName: path + "!" + KerasArchive.weightsEntry)
    }

    // MARK: - Zip access

    /// True when the file starts with a zip local-header or end-of-directory signature
    /// (`PK\x03\x04`, `PK\x05\x06`); reads 4 bytes.
    public static func hasZipSignature(atPath path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else { return false }
        return head.elementsEqual([0x50, 0x4B, 0x03, 0x04]) || head.elementsEqual([0x50, 0x4B, 0x05, 0x06])
    }

    private static func openZip(_ path: String) throws -> Archive {
        guard FileManager.default.fileExists(atPath: path) else { throw StrataError(file: path, "no such file") }
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            let what = hasZipSignature(atPath: path)
                ? "a corrupt zip archive: its central directory cannot be read"
                : "not a .keras model: not a zip archive"
            throw StrataError(file: path, "\(what) (\(describe(error)))")
        }
    }

    private static func read(_ entry: Entry, from archive: Archive, path: String, limit: UInt64) throws -> [UInt8] {
        [UInt8](try readData(entry, from: archive, path: path, limit: limit))
    }

    /// Decompresses one entry, refusing it when its stated or actual size exceeds `limit`
    /// (a zip may understate sizes, so the count is checked while streaming too).
    private static func readData(_ entry: Entry, from archive: Archive, path: String, limit: UInt64) throws -> Data {
        guard entry.type == .file else { throw StrataError(file: path, place: entry.path, "not a regular file in the archive") }
        let stated = entry.uncompressedSize
        guard stated <= limit else {
            throw StrataError(file: path, place: entry.path, "entry of \(stated) bytes is larger than the \(limit >> 20) MiB Strata reads")
        }
        var data = Data()
        data.reserveCapacity(Int(stated))
        let crc: CRC32
        do {
            crc = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > limit { throw StrataError(file: path, place: entry.path, "entry is larger than the \(limit >> 20) MiB Strata reads") }
            }
        } catch let e as StrataError {
            throw e
        } catch {
            throw StrataError(file: path, place: entry.path, "cannot decompress the entry: corrupt zip archive (\(describe(error)))")
        }
        // ZIPFoundation's streaming extract computes the CRC-32 but does not compare it: a
        // stored (uncompressed) entry with damaged bytes would otherwise pass unnoticed.
        // (A recorded 0 is what ZIPFoundation reports when a data descriptor is missing.)
        if entry.checksum != 0, crc != entry.checksum {
            throw StrataError(file: path, place: entry.path, "corrupt zip archive: the entry's CRC-32 is "
                + hex(crc) + ", the archive records " + hex(entry.checksum) + " (the bytes were damaged after saving)")
        }
        return data
    }

    private static func hex(_ v: CRC32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    private static func describe(_ error: Error) -> String {
        if let e = error as? Archive.ArchiveError { return "ZIPFoundation: \(e)" }
        return String(describing: error)
    }
}
