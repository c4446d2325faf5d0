import Foundation
import KerasFormat
import ZIPFoundation

/// Makes mutants of model files for `strata fuzz`: bit flips, truncations, inserted and
/// deleted spans, and spans overwritten with values that make lengths and offsets lie
/// (0x00, 0xFF, 0x7F, 0x80). A `.keras` archive is opened and one entry is mutated
/// (`config.json`, `metadata.json` or `model.weights.h5`), then the zip is written anew with
/// correct CRCs, so the mutant reaches the JSON and HDF5 readers instead of stopping at the
/// zip's checksum; one mutant in eight mutates the zip's own bytes instead.
///
/// Deterministic: the same seed gives the same mutants.
struct Mutator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// A mutant of `bytes`, and what was done to them.
    mutating func mutate(_ bytes: [UInt8]) -> (bytes: [UInt8], what: String) {
        var b = bytes
        guard !b.isEmpty else { return ([random.byte()], "one byte written into an empty file") }
        switch random.below(8) {
        case 0, 1, 2:
            let n = 1 + random.below(8)
            var places: [Int] = []
            for _ in 0..<n {
                let p = random.below(b.count)
                b[p] ^= 1 << UInt8(random.below(8))
                places.append(p)
            }
            return (b, "\(n) bit(s) flipped at byte \(places.map(String.init).joined(separator: ", "))")
        case 3:
            let keep = random.below(b.count)
            return (Array(b[..<keep]), "truncated to \(keep) of \(b.count) bytes")
        case 4:
            let p = random.below(b.count + 1), n = 1 + random.below(64)
            b.insert(contentsOf: (0..<n).map { _ in random.byte() }, at: p)
            return (b, "\(n) random byte(s) inserted at byte \(p)")
        case 5:
            let p = random.below(b.count), n = min(b.count - p, 1 + random.below(64))
            b.removeSubrange(p..<(p + n))
            return (b, "\(n) byte(s) deleted at byte \(p)")
        default:
            let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80]
            let value = values[random.below(values.count)]
            let p = random.below(b.count), n = min(b.count - p, 1 + random.below(8))
            for i in p..<(p + n) { b[i] = value }
            // Bytes that held the value already: flip one instead, so no mutant is its seed.
            if b == bytes {
                b[p] ^= 0x01
                return (b, "bit 0 flipped at byte \(p) (the bytes were 0x\(String(value, radix: 16)) already)")
            }
            return (b, "\(n) byte(s) set to 0x\(String(value, radix: 16)) at byte \(p)")
        }
    }

    /// A mutant of the model file `bytes` named `name`; a `.keras` archive has one entry
    /// mutated and is zipped anew (or, one time in eight, its raw bytes mutated).
    mutating func mutant(of bytes: [UInt8], name: String) -> (bytes: [UInt8], what: String) {
        guard name.lowercased().hasSuffix(".keras"), random.below(8) != 0,
              let archive = try? Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil) else {
            return mutate(bytes)
        }
        var entries: [(path: String, data: [UInt8])] = []
        for entry in archive where entry.type == .file {
            var data = Data()
            guard (try? archive.extract(entry, skipCRC32: true) { data.append($0) }) != nil else { return mutate(bytes) }
            entries.append((entry.path, Array(data)))
        }
        guard !entries.isEmpty else { return mutate(bytes) }
        let target = random.below(entries.count)
        let (changed, what) = mutate(entries[target].data)
        entries[target].data = changed
        guard let out = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return mutate(bytes) }
        for e in entries {
            let data = Data(e.data)
            do {
                try out.addEntry(with: e.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            } catch { return mutate(bytes) }
        }
        guard let zipped = out.data else { return mutate(bytes) }
        return (Array(zipped), "\(entries[target].path): \(what) (zipped anew)")
    }
}

extension SeededGenerator {
    /// A whole number in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
