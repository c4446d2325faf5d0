import Foundation
import ModelKit

/// Decoding an `.onnx` file without copying its weights: the file is memory-mapped, and
/// before the protobuf decoder sees it, the `raw_data` of the main graph's initializers is
/// cut out of the bytes (only where each one lies is kept). The decoder then copies the
/// graph's structure alone; a weight's bytes are read from the mapping when the engine asks
/// for them. Summarising a 100 MB model touches a few pages of its weights, not all of them.
///
/// Wire format (protobuf): each field is a varint key `(number << 3) | type`; type 2 is
/// length-delimited. ModelProto.graph = 7; GraphProto.initializer = 5; TensorProto.name = 8,
/// raw_data = 9.
struct ONNXRawDataCut {
    /// The bytes handed to the decoder: the file with the cut fields left out.
    var stripped: Data
    /// Where each cut `raw_data` lies in the file, by initializer name.
    var ranges: [String: Range<Int>]

    struct Malformed: Error { let message: String }

    /// Cuts `bytes` (the whole file). Throws `Malformed` for a key or length that does not fit;
    /// the caller reports it as a protobuf that does not decode.
    init(_ bytes: UnsafeRawBufferPointer) throws {
        var cutter = Cutter(bytes: bytes)
        let out = try cutter.message(0..<bytes.count, level: .model)
        stripped = Data(out)
        ranges = cutter.ranges
    }

    private enum Level { case model, graph, tensor }

    private struct Cutter {
        let bytes: UnsafeRawBufferPointer
        var ranges: [String: Range<Int>] = [:]

        func varint(_ p: inout Int, _ end: Int) throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard p < end, shift < 64 else { throw Malformed(message: "a varint runs past its message at byte \(p)") }
                let b = bytes[p]
                p += 1
                v |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return v }
                shift += 7
            }
        }

        static func encode(_ v: UInt64, into out: inout [UInt8]) {
            var v = v
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }

        mutating func message(_ r: Range<Int>, level: Level) throws -> [UInt8] {
            var out: [UInt8] = []
            var p = r.lowerBound
            var name: String?
            var raw: Range<Int>?
            while p < r.upperBound {
                let start = p
                let key = try varint(&p, r.upperBound)
                let field = key >> 3, wire = key & 7
                switch wire {
                case 0: _ = try varint(&p, r.upperBound)
                case 1: p += 8
                case 5: p += 4
                case 2:
                    let length = try varint(&p, r.upperBound)
                    guard length <= UInt64(r.upperBound - p) else { throw Malformed(message: "field \(field) at byte \(start) is longer than its message") }
                    let body = p..<(p + Int(length))
                    p = body.upperBound
                    let child: Level? = level == .model && field == 7 ? .graph : level == .graph && field == 5 ? .tensor : nil
                    if let child {
                        let inner = try message(body, level: child)
                        Self.encode(key, into: &out)
                        Self.encode(UInt64(inner.count), into: &out)
                        out += inner
                        continue
                    }
                    if level == .tensor && field == 9 { raw = body; continue }
                    if level == .tensor && field == 8 { name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[body]), as: UTF8.self) }
                default:
                    throw Malformed(message: "field \(field) at byte \(start) has wire type \(wire), which ONNX does not use")
                }
                guard p <= r.upperBound else { throw Malformed(message: "field \(field) at byte \(start) runs past its message") }
                out += bytes[start..<p]
            }
            if level == .tensor, let raw {
                if let name, ranges[name] == nil { ranges[name] = raw } else {
                    // No name to find it by (or a repeated one, an error the reader reports):
                    // keep the bytes in the message.
                    Self.encode(9 << 3 | 2, into: &out)
                    Self.encode(UInt64(raw.count), into: &out)
                    out += bytes[raw]
                }
            }
            return out
        }
    }
}

/// The mapped file and where the cut initializer bytes lie in it: shared by every lazy
/// initializer of one opened model.
final class ONNXRawStore: Sendable {
    let mapped: Data
    let ranges: [String: Range<Int>]
    init(mapped: Data, ranges: [String: Range<Int>]) {
        self.mapped = mapped
        self.ranges = ranges
    }
}

extension ONNXRawStore {
    /// Asks the kernel to reclaim the file's pages this process has read (MADV_PAGEOUT:
    /// their contents stay valid and come back from the file if read again), so the copies
    /// the engine made of the weights do not sit in memory twice. Harmless where the kernel
    /// lacks it.
    func releaseResidentPages() { releasePages(0..<mapped.count) }

    /// The same for the bytes at `range` of the file (one tensor just copied out).
    func releasePages(_ range: Range<Int>) {
        mapped.withUnsafeBytes { p in
            guard let base = p.baseAddress, range.lowerBound >= 0, range.upperBound <= p.count, !range.isEmpty else { return }
            let page = UInt(max(sysconf(Int32(_SC_PAGESIZE)), 4096))
            let address = UInt(bitPattern: base) + UInt(range.lowerBound)
            let start = address & ~(page - 1)
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), range.count + Int(address - start), 21 /* MADV_PAGEOUT */)
        }
    }
}
