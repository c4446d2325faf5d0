import Foundation
import ModelKit
import Tensors

/// ONNX element types (`TensorProto.DataType`) as Strata names them.
enum ONNXElementType {
    static func name(_ code: Int32) -> String {
        switch code {
        case 1: return "float32"
        case 2: return "uint8"
        case 3: return "int8"
        case 4: return "uint16"
        case 5: return "int16"
        case 6: return "int32"
        case 7: return "int64"
        case 8: return "string"
        case 9: return "bool"
        case 10: return "float16"
        case 11: return "float64"
        case 12: return "uint32"
        case 13: return "uint64"
        case 14: return "complex64"
        case 15: return "complex128"
        case 16: return "bfloat16"
        case 17: return "float8e4m3fn"
        case 18: return "float8e4m3fnuz"
        case 19: return "float8e5m2"
        case 20: return "float8e5m2fnuz"
        case 21: return "uint4"
        case 22: return "int4"
        case 23: return "float4e2m1"
        case 24: return "float8e8m0"
        case 25: return "uint2"
        case 26: return "int2"
        case 27: return "float6e2m3"
        case 28: return "float6e3m2"
        default: return "unknown type \(code)"
        }
    }

    /// Whether the code names a type this version of ONNX defines.
    static func isKnown(_ code: Int32) -> Bool { code >= 1 && code <= 28 }

    /// Floating-point types: what onnx-tool and Netron count as parameters.
    static func isFloat(_ code: Int32) -> Bool { [1, 10, 11, 16, 17, 18, 19, 20, 23, 24, 27, 28].contains(code) }

    /// Integer types (quantized weights, shapes, indices) and booleans.
    static func isInteger(_ code: Int32) -> Bool { [2, 3, 4, 5, 6, 7, 9, 12, 13, 21, 22, 25, 26].contains(code) }

    /// Bits per element of the fixed-size types; nil for strings.
    static func bits(_ code: Int32) -> Int? {
        switch code {
        case 1, 6, 12: return 32
        case 2, 3, 9, 17, 18, 19, 20, 24: return 8
        case 4, 5, 10, 16: return 16
        case 7, 11, 13, 14: return 64
        case 15: return 128
        case 21, 22, 23: return 4
        case 25, 26: return 2
        case 27, 28: return 6
        default: return nil
        }
    }

    static func dtype(_ code: Int32) -> DType { DType(name(code)) }
}

/// Reading one `TensorProto` safely: its dimensions checked, its contents taken from the
/// typed fields, `raw_data` or external data inside the model's folder, with every length
/// checked before anything is read.
struct ONNXTensorReader: Sendable {
    /// The model file, for messages.
    let file: String
    /// The model's folder: external data must resolve inside it.
    let folder: String
    /// Initializer bytes left in the mapped file.
    let raw: ONNXRawStore

    init(file: String, raw: ONNXRawStore = ONNXRawStore(mapped: Data(), ranges: [:])) {
        self.file = file
        self.raw = raw
        folder = (file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent
    }

    /// The dimensions, each non-negative; an error naming the tensor otherwise. A size of
    /// 10^12 is kept (counted, never allocated).
    func dims(_ t: Onnx_TensorProto, _ place: String) throws -> [Int] {
        var out: [Int] = []
        for d in t.dims {
            guard d >= 0 else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" has a negative dimension \(d) in \(t.dims)") }
            out.append(Int(d))
        }
        guard checkedProduct(out) != nil else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" has dimensions \(t.dims) whose element count overflows") }
        return out
    }

    /// Where external data lives, checked: a relative path inside the model's folder, with
    /// no symbolic link leading out. The file is not opened here.
    func externalLocation(_ t: Onnx_TensorProto, _ place: String) throws -> (path: String, offset: Int, length: Int?) {
        var location: String?, offset = 0, length: Int?
        for e in t.externalData {
            switch e.key {
            case "location": location = e.value
            case "offset":
                guard let v = Int(e.value), v >= 0 else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" has external data offset \"\(e.value)\", not a non-negative integer") }
                offset = v
            case "length":
                guard let v = Int(e.value), v >= 0 else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" has external data length \"\(e.value)\", not a non-negative integer") }
                length = v
            default: break
            }
        }
        guard let location, !location.isEmpty else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" is stored externally but names no location") }
        let shown = location.count > 200 ? String(location.prefix(200)) + "…" : location
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        if location.hasPrefix("/") || location.hasPrefix("\\") || location.contains("\0") || location.contains(":")
            || parts.contains("..") || location.contains("\\..") || location.contains("..\\") {
            throw StrataError(file: file, place: place, "tensor \"\(t.name)\" names external data at \"\(shown)\", outside the model's folder; refused, nothing was opened")
        }
        let candidate = (folder as NSString).appendingPathComponent(location)
        // A symbolic link inside the folder may still lead out of it.
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw StrataError(file: file, place: place, "tensor \"\(t.name)\" names external data at \"\(shown)\", which leads outside the model's folder (to \(resolved)); refused, nothing was opened")
        }
        return (resolved, offset, length)
    }

    /// The tensor's stored bytes (raw or external), checked against the size its type and
    /// dimensions call for.
    func bytes(_ t: Onnx_TensorProto, count: Int, _ place: String) throws -> Data {
        guard let bits = ONNXElementType.bits(t.dataType) else {
            throw StrataError(file: file, place: place, "tensor \"\(t.name)\" has element type \(ONNXElementType.name(t.dataType)), whose bytes Strata cannot read")
        }
        let (bitCount, o) = count.multipliedReportingOverflow(by: bits)
        guard !o else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" is too large to read") }
        let need = (bitCount + 7) / 8
        if t.dataLocation == .external {
            let (path, offset, length) = try externalLocation(t, place)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
            guard let size else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\": external data file \((path as NSString).lastPathComponent) is missing or unreadable") }
            let take = length ?? need
            guard take == need else {
                throw StrataError(file: file, place: place, "tensor \"\(t.name)\": external data length \(take) bytes, but dimensions \(t.dims) of \(ONNXElementType.name(t.dataType)) need \(need)")
            }
            guard offset <= size, need <= size - offset else {
                throw StrataError(file: file, place: place, "tensor \"\(t.name)\": external data at offset \(offset), \(need) bytes, runs past the end of \((path as NSString).lastPathComponent) (\(size) bytes)")
            }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\": cannot open external data file \((path as NSString).lastPathComponent)") }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: need) ?? Data()
            guard data.count == need else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\": external data ends early") }
            return data
        }
        if t.rawData.isEmpty, let range = raw.ranges[t.name] {
            guard range.count == need else {
                throw StrataError(file: file, place: place, "tensor \"\(t.name)\" holds \(range.count) bytes of raw data, but dimensions \(t.dims) of \(ONNXElementType.name(t.dataType)) need \(need)")
            }
            let bytes = raw.mapped.subdata(in: (raw.mapped.startIndex + range.lowerBound)..<(raw.mapped.startIndex + range.upperBound))
            // A large tensor's pages are not needed in memory once copied out.
            if range.count >= 1 << 16 { raw.releasePages(range) }
            return bytes
        }
        guard t.rawData.count == need else {
            throw StrataError(file: file, place: place, "tensor \"\(t.name)\" holds \(t.rawData.count) bytes of raw data, but dimensions \(t.dims) of \(ONNXElementType.name(t.dataType)) need \(need)")
        }
        return t.rawData
    }

    /// Whether the contents sit in `raw_data` (in the message or left in the file) or an
    /// external file, rather than in typed fields.
    func isRaw(_ t: Onnx_TensorProto) -> Bool { t.dataLocation == .external || !t.rawData.isEmpty || raw.ranges[t.name] != nil }

    /// Small integer or floating-point contents, for shape arithmetic; nil when the tensor
    /// is large, of another type, or unreadable (its shape still counts).
    func value(_ t: Onnx_TensorProto, _ place: String) throws -> TensorValue {
        let shape = try dims(t, place)
        guard let count = checkedProduct(shape), count <= TensorValue.maxElements else { return TensorValue(shape: shape) }
        switch t.dataType {
        case 6, 7, 2, 3, 4, 5, 9, 12, 13:
            guard let ints = try? integers(t, count: count, place) else { return TensorValue(shape: shape) }
            return TensorValue(shape: shape, elements: ints.map { .known($0) })
        case 1, 10, 11:
            guard let f = try? floats(t, count: count, place) else { return TensorValue(shape: shape) }
            return TensorValue(shape: shape, floats: f.map(Double.init))
        default:
            return TensorValue(shape: shape)
        }
    }

    /// Integer contents (int8 ... int64, uint8 ... uint64, bool).
    func integers(_ t: Onnx_TensorProto, count: Int, _ place: String) throws -> [Int] {
        if !isRaw(t) {
            let typed: [Int]
            switch t.dataType {
            case 7: typed = t.int64Data.map { Int($0) }
            case 13, 12: typed = t.uint64Data.map { Int(truncatingIfNeeded: $0) }
            default: typed = t.int32Data.map { Int($0) }
            }
            guard typed.count == count else {
                throw StrataError(file: file, place: place, "tensor \"\(t.name)\" holds \(typed.count) values, but its dimensions \(t.dims) need \(count)")
            }
            return typed
        }
        let data = try bytes(t, count: count, place)
        return data.withUnsafeBytes { raw -> [Int] in
            switch t.dataType {
            case 7: return (0..<count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            case 13: return (0..<count).map { Int(truncatingIfNeeded: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            case 6: return (0..<count).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
            case 12: return (0..<count).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            case 5: return (0..<count).map { Int(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) }
            case 4: return (0..<count).map { Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
            case 3: return (0..<count).map { Int(raw.load(fromByteOffset: $0, as: Int8.self)) }
            default: return (0..<count).map { Int(raw.load(fromByteOffset: $0, as: UInt8.self)) }
            }
        }
    }

    /// Floating-point contents as float32 (float16 and float64 converted).
    func floats(_ t: Onnx_TensorProto, count: Int, _ place: String) throws -> [Float] {
        if !isRaw(t) {
            let typed: [Float]
            switch t.dataType {
            case 1: typed = t.floatData
            case 11: typed = t.doubleData.map { Float($0) }
            case 10: typed = t.int32Data.map { Float(Float16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
            case 16: typed = t.int32Data.map { Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16) }
            default: throw StrataError(file: file, place: place, "tensor \"\(t.name)\" of \(ONNXElementType.name(t.dataType)) cannot be read as floating point")
            }
            guard typed.count == count else {
                throw StrataError(file: file, place: place, "tensor \"\(t.name)\" holds \(typed.count) values, but its dimensions \(t.dims) need \(count)")
            }
            return typed
        }
        let data = try bytes(t, count: count, place)
        return try data.withUnsafeBytes { raw -> [Float] in
            var out = [Float](repeating: 0, count: count)
            switch t.dataType {
            case 1: out.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * 4)])) }
            case 11: for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
            case 10: for i in 0..<count { out[i] = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))) }
            case 16: for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16) }
            default: throw StrataError(file: file, place: place, "tensor \"\(t.name)\" of \(ONNXElementType.name(t.dataType)) cannot be read as floating point")
            }
            return out
        }
    }

    /// The tensor as float32 for the engine, in its stored layout.
    func tensor(_ t: Onnx_TensorProto, _ place: String) throws -> Tensor {
        let shape = try dims(t, place)
        guard let count = checkedProduct(shape) else { throw StrataError(file: file, place: place, "tensor \"\(t.name)\" is too large") }
        if ONNXElementType.isFloat(t.dataType) { return Tensor(shape: shape, data: try floats(t, count: count, place)) }
        return Tensor(shape: shape, data: try integers(t, count: count, place).map { Float($0) })
    }
}
