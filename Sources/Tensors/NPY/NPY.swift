import Foundation

/// NumPy `.npy` files: reading (versions 1.0, 2.0 and 3.0; float32, float64, int32, int64,
/// int8, uint8 and bool, either byte order, C or Fortran order) and writing (float32 and
/// int32, version 1.0, byte for byte what `numpy.save` writes).
///
/// Every problem is an `NPYError` naming the file; nothing is read past the buffer and no
/// array larger than the file's data is allocated, whatever the header claims.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    /// `numpy.lib.format.ARRAY_ALIGN`.
    static let alignment = 64
    /// `numpy.lib.format.GROWTH_AXIS_MAX_DIGITS`.
    static let growthAxisMaxDigits = 21

    // MARK: Reading

    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws(NPYError) -> NPYArray {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NPYError(file: path, problem: .io("cannot read the file (\(error.localizedDescription))"))
        }
        return try read(data: data, name: path)
    }

    /// Reads an `.npy` file held in memory; `name` is what errors call it.
    public static func read(bytes: [UInt8], name: String) throws(NPYError) -> NPYArray {
        let result: Result<NPYArray, NPYError> = bytes.withUnsafeBytes { raw in
            do throws(NPYError) { return .success(try read(raw: raw, name: name)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Reads an `.npy` file held in memory; `name` is what errors call it.
    public static func read(data: Data, name: String) throws(NPYError) -> NPYArray {
        let result: Result<NPYArray, NPYError> = data.withUnsafeBytes { raw in
            do throws(NPYError) { return .success(try read(raw: raw, name: name)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Reads the `.npy` file at `path` as a float32 tensor (integers converted).
    public static func readTensor(path: String) throws(NPYError) -> Tensor {
        try read(path: path).toTensor()
    }

    static func read(raw: UnsafeRawBufferPointer, name: String) throws(NPYError) -> NPYArray {
        func fail(_ problem: NPYError.Problem) -> NPYError { NPYError(file: name, problem: problem) }
        let total = raw.count

        // Magic. A file shorter than the magic that starts like it is a truncated header.
        let magicFound = Array(raw.prefix(magic.count))
        if magicFound != magic {
            if !magicFound.isEmpty && magicFound == Array(magic.prefix(magicFound.count)) {
                throw fail(.truncatedHeader(expected: 10, found: total))
            }
            throw fail(.notNPY(found: magicFound))
        }
        guard total >= 8 else { throw fail(.truncatedHeader(expected: 10, found: total)) }
        let major = raw[6], minor = raw[7]
        let lengthSize: Int
        switch (major, minor) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default: throw fail(.unsupportedVersion(major: major, minor: minor))
        }
        let headerStart = 8 + lengthSize
        guard total >= headerStart else { throw fail(.truncatedHeader(expected: headerStart, found: total)) }
        var headerLength = 0
        for k in 0..<lengthSize { headerLength |= Int(raw[8 + k]) << (8 * k) }
        let dataStart = headerStart + headerLength
        guard total >= dataStart else { throw fail(.truncatedHeader(expected: dataStart, found: total)) }

        let headerBytes = UnsafeRawBufferPointer(rebasing: raw[headerStart..<dataStart])
        let headerText: String
        if major == 3 {
            headerText = String(decoding: headerBytes, as: UTF8.self)
        } else {
            headerText = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))  // latin-1
        }
        let header: Header
        do {
            var parser = HeaderParser(headerText)
            header = try parser.parse()
        } catch {
            switch error {
            case .syntax(let reason):
                throw fail(.badHeader(reason: reason, header: headerText.trimmingTrailingWhitespace()))
            case .unsupportedDType(let descr):
                throw fail(.unsupportedDType(descr))
            }
        }

        if let (width, unicode, bigEndian) = textDType(header.descr) {
            return try readText(raw, from: dataStart, header: header, width: width, unicode: unicode, bigEndian: bigEndian, name: name)
        }
        guard let (dtype, bigEndian) = dtype(forDescr: header.descr) else {
            throw fail(.unsupportedDType(header.descr))
        }

        // Size, checked against the file before anything is allocated.
        var count = 1
        for dim in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { throw fail(.shapeTooLarge(shape: header.shape)) }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        if overflow { throw fail(.shapeTooLarge(shape: header.shape)) }
        let available = total - dataStart
        guard byteCount <= available else { throw fail(.truncatedData(expected: byteCount, found: available)) }

        let body = UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + byteCount)])
        var storage = try decode(body, count: count, dtype: dtype, bigEndian: bigEndian, name: name)
        if header.fortranOrder && header.shape.count > 1 {
            switch storage {
            case .float(let f): storage = .float(fortranToC(f, shape: header.shape))
            case .int32(let i): storage = .int32(fortranToC(i, shape: header.shape))
            case .text(let t): storage = .text(fortranToC(t, shape: header.shape))
            }
        }
        return NPYArray(shape: header.shape, dtype: dtype, storage: storage)
    }

    /// A string `descr`: `<U7` (7 UTF-32 code units per element) or `|S7` (7 bytes), with its
    /// width, whether it is unicode, and the byte order; nil for any other descr.
    static func textDType(_ descr: String) -> (width: Int, unicode: Bool, bigEndian: Bool)? {
        let chars = Array(descr)
        guard chars.count >= 3, let width = Int(String(chars[2...])), width >= 0, width < 1 << 24 else { return nil }
        switch (chars[0], chars[1]) {
        case ("<", "U"), ("=", "U"), ("|", "U"): return (width, true, false)
        case (">", "U"): return (width, true, true)
        case ("|", "S"), ("<", "S"), ("=", "S"), (">", "S"): return (width, false, false)
        default: return nil
        }
    }

    /// The strings of a `<U`/`|S` file: each element its fixed-width slot with the trailing
    /// zeros removed (as NumPy reads it back).
    static func readText(_ raw: UnsafeRawBufferPointer, from dataStart: Int, header: Header, width: Int, unicode: Bool,
                         bigEndian: Bool, name: String) throws(NPYError) -> NPYArray {
        func fail(_ problem: NPYError.Problem) -> NPYError { NPYError(file: name, problem: problem) }
        var count = 1
        for dim in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { throw fail(.shapeTooLarge(shape: header.shape)) }
            count = product
        }
        let item = unicode ? width * 4 : width
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: item)
        if overflow { throw fail(.shapeTooLarge(shape: header.shape)) }
        let available = raw.count - dataStart
        guard byteCount <= available else { throw fail(.truncatedData(expected: byteCount, found: available)) }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for i in 0..<count {
            let start = dataStart + i * item
            if unicode {
                var scalars = String.UnicodeScalarView()
                for k in 0..<width {
                    var v = raw.loadUnaligned(fromByteOffset: start + 4 * k, as: UInt32.self)
                    v = bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
                    if v == 0 { break }
                    guard let u = Unicode.Scalar(v) else {
                        throw fail(.badHeader(reason: "element \(i) holds \(v), which is not a unicode character", header: header.descr))
                    }
                    scalars.append(u)
                }
                strings.append(String(scalars))
            } else {
                var bytes = Array(UnsafeRawBufferPointer(rebasing: raw[start..<(start + width)]))
                while bytes.last == 0 { bytes.removeLast() }
                strings.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        var storage = NPYArray.Storage.text(strings)
        if header.fortranOrder && header.shape.count > 1 { storage = .text(fortranToC(strings, shape: header.shape)) }
        return NPYArray(shape: header.shape, dtype: .text, storage: storage)
    }

    /// The dtype and byte order of a `descr` string, or nil if unsupported.
    static func dtype(forDescr descr: String) -> (NPYDType, bigEndian: Bool)? {
        guard let order = descr.first, descr.count >= 2 else { return nil }
        let code = String(descr.dropFirst())
        let type: NPYDType
        switch code {
        case "f4": type = .float32
        case "f8": type = .float64
        case "i4": type = .int32
        case "i8": type = .int64
        case "i1": type = .int8
        case "u1": type = .uint8
        case "b1": type = .bool
        default: return nil
        }
        switch order {
        case "<", "=": return (type, false)
        case ">": return (type, true)
        case "|": return type.itemSize == 1 ? (type, false) : nil
        default: return nil
        }
    }

    static func decode(
        _ body: UnsafeRawBufferPointer, count: Int, dtype: NPYDType, bigEndian: Bool, name: String
    ) throws(NPYError) -> NPYArray.Storage {
        @inline(__always) func u32(_ i: Int) -> UInt32 {
            let v = body.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
            return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
        }
        @inline(__always) func u64(_ i: Int) -> UInt64 {
            let v = body.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
            return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
        }
        switch dtype {
        case .float32:
            #if _endian(little)
            if !bigEndian {
                let floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: body)
                    initialized = count
                }
                return .float(floats)
            }
            #endif
            return .float((0..<count).map { Float(bitPattern: u32($0)) })
        case .float64:
            return .float((0..<count).map { Float(Double(bitPattern: u64($0))) })
        case .int32:
            return .int32((0..<count).map { Int32(bitPattern: u32($0)) })
        case .int64:
            var out = [Int32]()
            out.reserveCapacity(count)
            for i in 0..<count {
                let value = Int64(bitPattern: u64(i))
                guard let narrow = Int32(exactly: value) else {
                    throw NPYError(file: name, problem: .valueOutOfRange(index: i, value: value))
                }
                out.append(narrow)
            }
            return .int32(out)
        case .int8:
            return .int32((0..<count).map { Int32(Int8(bitPattern: body[$0])) })
        case .uint8:
            return .int32((0..<count).map { Int32(body[$0]) })
        case .bool:
            return .int32((0..<count).map { body[$0] != 0 ? 1 : 0 })
        case .text:
            return .text([])  // strings are read by readText
        }
    }

    /// Reorders elements stored in Fortran (column-major) order into C (row-major) order.
    static func fortranToC<T>(_ source: [T], shape: [Int]) -> [T] {
        guard !source.isEmpty else { return source }
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for d in 1..<shape.count { fortranStrides[d] = fortranStrides[d - 1] * shape[d - 1] }
        var out = [T]()
        out.reserveCapacity(source.count)
        // C order (last axis fastest), reading each value at its Fortran offset.
        StridedWalk.walk(shape, base: 0, steps: fortranStrides) { _, s in out.append(source[s]) }
        return out
    }

    // MARK: Writing

    /// The bytes of a float32 `.npy` file (version 1.0) holding `tensor`, as `numpy.save` writes them.
    public static func data(_ tensor: Tensor) -> Data {
        Data(bytes(NPYArray(tensor)))
    }

    /// The bytes of an `.npy` file holding `array`: float storage as `<f4`, integer storage as `<i4`.
    public static func data(_ array: NPYArray) -> Data {
        Data(bytes(array))
    }

    /// Writes `tensor` as a float32 `.npy` file at `path` (atomically: a complete file or none).
    public static func write(_ tensor: Tensor, to path: String) throws(NPYError) {
        try write(NPYArray(tensor), to: path)
    }

    /// Writes `tensor` as an `.npy` file of element type `dtype` at `path` (atomically):
    /// whole-number types take the values rounded toward zero and clamped to their range,
    /// bool is "not zero".
    public static func write(_ tensor: Tensor, as dtype: NPYDType, to path: String) throws(NPYError) {
        if dtype == .float32 || tensor.text != nil { return try write(tensor, to: path) }
        var out = [UInt8]()
        out.reserveCapacity(tensor.count * dtype.itemSize)
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        for v in tensor.data {
            switch dtype {
            case .float64: le(Double(v).bitPattern)
            case .int64: le(Int64(v.isNaN ? 0 : max(min(Double(v), 9.2e18), -9.2e18)))
            case .int32: le(Int32(v.isNaN ? 0 : max(min(Double(v), 2147483647), -2147483648)))
            case .int8: le(Int8(v.isNaN ? 0 : max(min(v, 127), -128)))
            case .uint8: le(UInt8(v.isNaN ? 0 : max(min(v, 255), 0)))
            case .bool: out.append(v != 0 ? 1 : 0)
            case .float32, .text: break
            }
        }
        let header = headerBytes(descr: dtype.descr, shape: tensor.shape)
        do {
            try Data(header + out).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NPYError(file: path, problem: .io("cannot write the file (\(error.localizedDescription))"))
        }
    }

    /// Writes `array` as an `.npy` file at `path`: float storage as `<f4`, integer storage as `<i4`.
    public static func write(_ array: NPYArray, to path: String) throws(NPYError) {
        do {
            try data(array).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NPYError(file: path, problem: .io("cannot write the file (\(error.localizedDescription))"))
        }
    }

    /// The `.npy` bytes of `array`, as `numpy.save` writes them (header included).
    public static func bytes(_ array: NPYArray) -> [UInt8] {
        let descr: String
        switch array.storage {
        case .float: descr = "<f4"
        case .int32: descr = "<i4"
        case .text(let t):
            // Fixed-width UTF-32, as NumPy writes a unicode array.
            let width = max(1, t.map { $0.unicodeScalars.count }.max() ?? 1)
            var out = headerBytes(descr: "<U\(width)", shape: array.shape)
            for string in t {
                let scalars = Array(string.unicodeScalars)
                for k in 0..<width { appendLittleEndian(k < scalars.count ? scalars[k].value : 0, to: &out) }
            }
            return out
        }
        var out = headerBytes(descr: descr, shape: array.shape)
        out.reserveCapacity(out.count + array.count * 4)
        switch array.storage {
        case .float(let f):
            for value in f { appendLittleEndian(value.bitPattern, to: &out) }
        case .int32(let i):
            for value in i { appendLittleEndian(UInt32(bitPattern: value), to: &out) }
        case .text: break
        }
        return out
    }

    /// The magic, version and padded header of an `.npy` file, as `numpy.save` writes them.
    static func headerBytes(descr: String, shape: [Int]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText(shape)), }"
        if let first = shape.first {
            header += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).utf8.count))
        }
        let headerLength = header.utf8.count + 1  // + the final newline
        var lengthSize = 2
        var major: UInt8 = 1
        var padding = alignment - ((magic.count + 2 + lengthSize + headerLength) % alignment)
        if headerLength + padding > Int(UInt16.max) {
            lengthSize = 4
            major = 2
            padding = alignment - ((magic.count + 2 + lengthSize + headerLength) % alignment)
        }
        let fullHeader = headerLength + padding
        var out = [UInt8]()
        out += magic
        out += [major, 0]
        for k in 0..<lengthSize { out.append(UInt8(truncatingIfNeeded: fullHeader >> (8 * k))) }
        out += Array(header.utf8)
        out += [UInt8](repeating: 0x20, count: padding)
        out.append(0x0A)
        return out
    }

    @inline(__always)
    static func appendLittleEndian(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 24))
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\n" || last == "\t" || last == "\r" || last == "\0" {
            s = s.dropLast()
        }
        return String(s)
    }
}
