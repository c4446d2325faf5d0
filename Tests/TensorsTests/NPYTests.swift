import Foundation
import Testing
@testable import Tensors

/// Tests/Fixtures, found from this source file.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
private func reference(_ path: String) -> String { fixtures.appendingPathComponent("reference/\(path)").path }
private func npyFixture(_ name: String) -> String { fixtures.appendingPathComponent("npy/\(name)").path }

private func fileBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// A version 1.0 `.npy` file with the given header text (padded as NumPy pads) and data.
private func npy(header: String, data: [UInt8] = [], version: [UInt8] = [1, 0]) -> [UInt8] {
    var h = Array(header.utf8)
    while (10 + h.count + 1) % 64 != 0 { h.append(0x20) }
    h.append(0x0A)
    return NPY.magic + version + [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + data
}

/// The error reading `bytes` throws (the test fails if there is none).
private func readError(_ bytes: [UInt8], name: String = "bad.npy") -> NPYError? {
    do {
        let array = try NPY.read(bytes: bytes, name: name)
        Issue.record("expected an error, read \(array.shape) \(array.dtype)")
        return nil
    } catch {
        return error
    }
}

@Suite("NPY reading: NumPy-made fixtures")
struct NPYReadTests {
    @Test("seed_resnet8/input.npy: (1, 32, 32, 3) float32 with NumPy's values")
    func seedInput() throws {
        let array = try NPY.read(path: reference("seed_resnet8/input.npy"))
        #expect(array.shape == [1, 32, 32, 3])
        #expect(array.dtype == .float32)
        let f = try #require(array.floats)
        #expect(f.count == 3072)
        // np.load(...).ravel()[:3], [-1] and .astype(np.float64).sum(), printed by NumPy 2.4.6
        #expect(Array(f.prefix(3)) == [-1.6038367748260498, 0.06409991532564163, 0.7408912777900696])
        #expect(f.last == 3.335902690887451)
        #expect(abs(f.reduce(0.0) { $0 + Double($1) } - -26.040803872951074) < 1e-9)
        let tensor = array.toTensor()
        #expect(tensor.shape == [1, 32, 32, 3])
        #expect(tensor.data == f)
        #expect(try NPY.readTensor(path: reference("seed_resnet8/input.npy")) == tensor)
    }

    @Test("seed_resnet8/output.npy: (1, 10) float32 softmax")
    func seedOutput() throws {
        let array = try NPY.read(path: reference("seed_resnet8/output.npy"))
        #expect(array.shape == [1, 10])
        #expect(array.dtype == .float32)
        #expect(array.floats == [
            0.002828572178259492, 0.031011143699288368, 0.00012375648657325655, 2.7165760911884718e-05,
            0.0001503951207268983, 0.0004437100433278829, 5.652912659570575e-05, 0.9604125022888184,
            0.0031176249030977488, 0.001828525448217988,
        ])
        #expect(abs(array.floats!.reduce(0.0) { $0 + Double($1) } - 0.9999999250558176) < 1e-12)
    }

    @Test("case_multi_io inputs: (1, 16, 16, 3) and (1, 5) float32")
    func multiIOInputs() throws {
        let image = try NPY.read(path: reference("case_multi_io/input_0.npy"))
        #expect(image.shape == [1, 16, 16, 3])
        #expect(image.dtype == .float32)
        let f = try #require(image.floats)
        #expect(Array(f.prefix(3)) == [-1.6038367748260498, 0.06409991532564163, 0.7408912777900696])
        #expect(f.last == 0.11544910073280334)
        #expect(abs(f.reduce(0.0) { $0 + Double($1) } - 46.46010789112188) < 1e-9)

        let vector = try NPY.read(path: reference("case_multi_io/input_1.npy"))
        #expect(vector.shape == [1, 5])
        #expect(vector.floats == [
            -0.7101660966873169, -0.8923746943473816, -1.4108726978302002, 1.147133231163025, 0.7154560089111328,
        ])
    }

    @Test("float64 is converted to float32")
    func float64() throws {
        let array = try NPY.read(path: npyFixture("float64.npy"))
        #expect(array.shape == [2, 3])
        #expect(array.dtype == .float64)
        // a.astype(np.float32).tolist()
        #expect(array.floats == [1.5, -2.25, 3.0, 0.10000000149011612, 0.0010000000474974513, -7.0])
    }

    @Test("int32 and int64 stay integers; toTensor converts")
    func integers() throws {
        let i32 = try NPY.read(path: npyFixture("int32.npy"))
        #expect(i32.shape == [2, 3])
        #expect(i32.dtype == .int32)
        #expect(i32.int32s == [1, -2, 3, 2147483647, -2147483648, 0])
        #expect(i32.floats == nil)
        #expect(i32.toTensor().data == [1, -2, 3, 2147483648, -2147483648, 0])

        let i64 = try NPY.read(path: npyFixture("int64.npy"))
        #expect(i64.shape == [4])
        #expect(i64.dtype == .int64)
        #expect(i64.int32s == [10, -20, 30, 40])
        #expect(i64.toTensor() == Tensor(shape: [4], data: [10, -20, 30, 40]))
    }

    @Test("big-endian float32 is converted")
    func bigEndian() throws {
        let array = try NPY.read(path: npyFixture("float32_be.npy"))
        #expect(array.shape == [2, 2])
        #expect(array.dtype == .float32)
        #expect(array.floats == [1.5, -2.0, 0.25, 1000.0])
    }

    @Test("fortran_order True is transposed into C order")
    func fortranOrder() throws {
        let array = try NPY.read(path: npyFixture("fortran.npy"))
        #expect(array.shape == [2, 3])
        // np.asfortranarray(np.arange(6).reshape(2, 3)): the same array, column-major on disk
        #expect(array.floats == [0, 1, 2, 3, 4, 5])
        // Three axes, by hand: F-order data 0..<24 of shape (2, 3, 4); element [i, j, k] is i + 2j + 6k.
        let c = NPY.fortranToC(Array(0..<24), shape: [2, 3, 4])
        var expected: [Int] = []
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { expected.append(i + 2 * j + 6 * k) } } }
        #expect(c == expected)
    }

    @Test("bool, uint8 and 0-d scalars")
    func smallTypes() throws {
        let b = try NPY.read(path: npyFixture("bool.npy"))
        #expect(b.dtype == .bool)
        #expect(b.int32s == [1, 0, 1])
        let u = try NPY.read(path: npyFixture("uint8.npy"))
        #expect(u.dtype == .uint8)
        #expect(u.int32s == [0, 7, 255])
        let s = try NPY.read(path: npyFixture("scalar.npy"))
        #expect(s.shape == [])
        #expect(s.floats == [2.5])
    }

    @Test("versions 2.0 and 3.0, double quotes, other key order, Python 2 longs, empty arrays")
    func headerVariants() throws {
        var v2 = NPY.magic + [2, 0]
        let header = Array("{\"shape\": (2L,), \"fortran_order\": False, \"descr\": \"<i4\"}\n".utf8)
        v2 += [UInt8(header.count), 0, 0, 0] + header + [1, 0, 0, 0, 2, 0, 0, 0]
        #expect(try NPY.read(bytes: v2, name: "v2.npy").int32s == [1, 2])
        v2[6] = 3
        #expect(try NPY.read(bytes: v2, name: "v3.npy").int32s == [1, 2])
        let empty = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }")
        let array = try NPY.read(bytes: empty, name: "empty.npy")
        #expect(array.shape == [0, 3])
        #expect(array.floats == [])
    }
}

@Suite("NPY writing")
struct NPYWriteTests {
    @Test("float32 and int32 bytes equal numpy.save's, byte for byte")
    func matchesNumPy() throws {
        let f = Tensor(shape: [2, 3], data: [0.5, -1.0, 3.25, 1e-8, 65504.0, -0.0])
        #expect([UInt8](NPY.data(f)) == (try fileBytes(npyFixture("written_float32.npy"))))
        let i = NPYArray(shape: [3], int32s: [1, -2, 2147483647])
        #expect([UInt8](NPY.data(i)) == (try fileBytes(npyFixture("written_int32.npy"))))
    }

    @Test("rewriting the NumPy-written reference inputs gives the same bytes")
    func rewriteReference() throws {
        for path in ["seed_resnet8/input.npy", "seed_resnet8/output.npy", "case_multi_io/input_0.npy", "case_multi_io/input_1.npy"] {
            let original = try fileBytes(reference(path))
            let tensor = try NPY.read(path: reference(path)).toTensor()
            #expect(NPY.bytes(NPYArray(tensor)) == original, "\(path)")
        }
    }

    @Test("write then read: shapes of every rank, the scalar included")
    func roundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tensors = [
            Tensor(shape: [], data: [42]),
            Tensor(shape: [0], data: []),
            Tensor(shape: [5], data: [1, 2, 3, 4, .infinity]),
            Tensor(shape: [1, 32, 32, 3], data: (0..<3072).map { Float($0) * 0.25 - 100 }),
            Tensor(shape: [2, 1, 3, 1, 2], data: (0..<12).map { Float($0).squareRoot() }),
        ]
        for (n, tensor) in tensors.enumerated() {
            let path = folder.appendingPathComponent("t\(n).npy").path
            try NPY.write(tensor, to: path)
            let back = try NPY.read(path: path)
            #expect(back.dtype == .float32)
            #expect(back.toTensor() == tensor)
            #expect(try fileBytes(path).count % 4 == 0)
        }
        let ids = NPYArray(shape: [2, 2], int32s: [0, 7, -1, 30000])
        let path = folder.appendingPathComponent("ids.npy").path
        try NPY.write(ids, to: path)
        #expect(try NPY.read(path: path) == ids)
        // The data starts on a 64-byte boundary, as NumPy aligns it.
        let bytes = try fileBytes(path)
        #expect((bytes.count - 16) % 64 == 0)
    }

    @Test("an unwritable path is an error naming it")
    func unwritable() {
        let path = "/nonexistent-strata-folder/out.npy"
        #expect {
            try NPY.write(Tensor(shape: [1], data: [1]), to: path)
        } throws: { error in
            let e = error as? NPYError
            return e?.file == path && "\(error)".contains(path) && "\(error)".contains("cannot write")
        }
    }
}

@Suite("NPY bad input")
struct NPYBadInputTests {
    @Test("truncated at every interesting offset: header or data, with the byte counts")
    func truncated() throws {
        let name = "seed_resnet8/input.npy"
        let bytes = try fileBytes(reference(name))
        #expect(bytes.count == 128 + 3072 * 4)
        for cut in [1, 3, 6, 7, 8, 9, 10, 50, 127] {
            let error = try #require(readError(Array(bytes.prefix(cut)), name: name))
            #expect(error.file == name)
            let expected = cut < 10 ? 10 : 128
            #expect(error.problem == .truncatedHeader(expected: expected, found: cut), "cut at \(cut)")
            #expect(error.description == "\(name): truncated .npy header (expected \(expected) bytes, found \(cut))")
        }
        for cut in [128, 129, 132, 5000, bytes.count - 1] {
            let error = try #require(readError(Array(bytes.prefix(cut)), name: name))
            #expect(error.problem == .truncatedData(expected: 12288, found: cut - 128), "cut at \(cut)")
            #expect(error.description == "\(name): truncated .npy data (expected 12288 bytes, found \(cut - 128))")
        }
    }

    @Test("not an npy file: wrong magic, empty file, a text file")
    func wrongMagic() throws {
        var bytes = try fileBytes(reference("seed_resnet8/input.npy"))
        bytes[1] = UInt8(ascii: "X")
        let error = try #require(readError(bytes, name: "x.npy"))
        #expect(error.problem == .notNPY(found: [0x93, 0x58, 0x55, 0x4D, 0x50, 0x59]))
        #expect(error.description.hasPrefix("x.npy: not an .npy file"))
        #expect(error.description.contains("93 58 55 4d 50 59"))

        let empty = try #require(readError([], name: "empty.npy"))
        #expect(empty.description == "empty.npy: not an .npy file (expected the magic bytes 93 4e 55 4d 50 59 \"\\x93NUMPY\", found an empty file)")

        let text = try #require(readError(Array("{\"a\": 1}".utf8), name: "model.json"))
        #expect(text.problem == .notNPY(found: Array("{\"a\": ".utf8)))
    }

    @Test("a version NumPy never wrote")
    func badVersion() throws {
        let error = try #require(readError(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", version: [9, 0])))
        #expect(error.problem == .unsupportedVersion(major: 9, minor: 0))
        #expect(error.description.contains("bad.npy: unsupported .npy format version 9.0"))
    }

    @Test("a huge shape in a tiny file errors before allocating")
    func hugeShape() throws {
        let huge = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }", data: [0, 0, 0, 0])
        let error = try #require(readError(huge, name: "huge.npy"))
        #expect(error.problem == .truncatedData(expected: 4_000_000_000_000, found: 4))
        #expect(error.description == "huge.npy: truncated .npy data (expected 4000000000000 bytes, found 4)")

        let overflow = npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }")
        let e2 = try #require(readError(overflow, name: "overflow.npy"))
        #expect(e2.problem == .shapeTooLarge(shape: [4294967296, 4294967296, 16]))
        #expect(e2.description == "overflow.npy: the .npy shape (4294967296, 4294967296, 16) is too large to address")

        // A header length pointing far past the end of the file.
        var long = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }")
        long[8] = 0xFF
        long[9] = 0xFF
        let e3 = try #require(readError(long))
        #expect(e3.problem == .truncatedHeader(expected: 10 + 65535, found: long.count))
    }

    @Test("unsupported dtypes are named", arguments: [
        ("'<c8'", "<c8"), ("'<V3'", "<V3"), ("'<f2'", "<f2"), ("'|f4'", "|f4"), ("'O'", "O"),
        ("[('x', '<f4'), ('y', '<i4')]", "[('x', '<f4'), ('y', '<i4')]"),
    ])
    func unsupportedDType(descr: String, named: String) throws {
        let bytes = npy(header: "{'descr': \(descr), 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0, 0, 0, 0, 0])
        let error = try #require(readError(bytes, name: "dtype.npy"))
        #expect(error.problem == .unsupportedDType(named))
        #expect(error.description.hasPrefix("dtype.npy: unsupported .npy dtype \"\(named)\""))
    }

    @Test("bad header syntax is quoted", arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ", "expected a quoted key"),
        ("{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", "unexpected value '0'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "negative dimension -1"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1)}", "is not a tuple"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", "'shape' is not a tuple of integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}", "dimension '2.5' is not a non-negative integer"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}", "is too large"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", "duplicate key 'descr'"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}", "expected ',' or '}'"),
        ("{'descr': 4, 'fortran_order': False, 'shape': (1,)}", "unexpected value '4'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk", "unexpected text after '}'"),
        ("\u{0}\u{0}\u{0}", "expected '{'"),
    ])
    func badHeader(header: String, reason: String) throws {
        let error = try #require(readError(npy(header: header, data: [0, 0, 128, 63]), name: "header.npy"))
        guard case .badHeader(let why, let quotedHeader) = error.problem else {
            Issue.record("expected a bad header, got \(error)")
            return
        }
        #expect(why.contains(reason), "\(why)")
        #expect(quotedHeader == header.trimmingTrailingWhitespace())
        #expect(error.description.hasPrefix("header.npy: bad .npy header syntax: "))
        #expect(error.description.contains(reason))
        #expect(error.description.contains("in \"\(header.trimmingTrailingWhitespace())\""))
    }

    @Test("int64 beyond int32 is an error, not a wrapped value")
    func int64OutOfRange() throws {
        var data = [UInt8](repeating: 0, count: 16)
        data[8 + 4] = 1  // second element: 2^32
        let error = try #require(readError(npy(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data: data)))
        #expect(error.problem == .valueOutOfRange(index: 1, value: 4_294_967_296))
        #expect(error.description == "bad.npy: int64 element 1 (4294967296) does not fit int32")
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        let path = "/nonexistent-strata-folder/in.npy"
        #expect {
            _ = try NPY.read(path: path)
        } throws: { error in
            (error as? NPYError)?.file == path && "\(error)".hasPrefix("\(path): cannot read the file")
        }
    }

    @Test("every prefix of a small file is an error or the array, never a crash")
    func everyPrefix() throws {
        for name in ["float64.npy", "int64.npy", "float32_be.npy", "fortran.npy", "scalar.npy"] {
            let bytes = try fileBytes(npyFixture(name))
            for cut in 0..<bytes.count {
                do {
                    _ = try NPY.read(bytes: Array(bytes.prefix(cut)), name: name)
                    Issue.record("\(name) cut at \(cut) was read")
                } catch {
                    #expect(error.file == name)
                }
            }
            #expect(throws: Never.self) { try NPY.read(bytes: bytes, name: name) }
        }
    }
}

/// Unicode and bytes string arrays, as NumPy writes them (`<U3`: three UTF-32 code units per
/// element, zero-padded; `|S4`: four bytes), read back to strings and written as `<U`.
@Suite struct NPYTextTests {
    static func npy(_ descr: String, _ shape: [Int], _ body: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var h = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        while (10 + h.count + 1) % 64 != 0 { h.append(0x20) }
        h.append(0x0A)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + body
    }

    static func utf32(_ s: String, width: Int) -> [UInt8] {
        let scalars = Array(s.unicodeScalars)
        return (0..<width).flatMap { k -> [UInt8] in
            let v = k < scalars.count ? scalars[k].value : 0
            return [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
        }
    }

    @Test func unicodeAndBytesArraysReadAsStrings() throws {
        let u = try NPY.read(bytes: Self.npy("<U3", [2, 2], ["fox", "ü", "", "a b"].flatMap { Self.utf32($0, width: 3) }), name: "u.npy")
        #expect(u.dtype == .text && u.shape == [2, 2] && u.strings == ["fox", "ü", "", "a b"])
        let t = u.toTensor()
        #expect(t.text == ["fox", "ü", "", "a b"] && t.shape == [2, 2])
        let s = try NPY.read(bytes: Self.npy("|S4", [2], Array("ab\0\0caf\u{00}".utf8)), name: "s.npy")
        #expect(s.strings == ["ab", "caf"])
        // A truncated body is an error naming the sizes.
        #expect(throws: NPYError.self) { _ = try NPY.read(bytes: Self.npy("<U3", [2], Self.utf32("fox", width: 3)), name: "short.npy") }
    }

    @Test func stringTensorsAreWrittenAsUnicode() throws {
        let t = Tensor(shape: [3], text: ["the", "", "émigré"])
        let bytes = NPY.bytes(NPYArray(t))
        let header = String(decoding: bytes.prefix(64), as: UTF8.self)
        #expect(header.contains("'<U6'"), "\(header)")
        #expect(try NPY.read(bytes: bytes, name: "back.npy").strings == ["the", "", "émigré"])
    }
}
