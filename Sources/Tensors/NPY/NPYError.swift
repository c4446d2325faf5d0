/// Why an `.npy` file could not be read or written: the file (or the name given for a
/// buffer) and the problem, in words a user can act on.
public struct NPYError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        /// The first bytes are not `\x93NUMPY`; `found` holds (up to) the first six bytes.
        case notNPY(found: [UInt8])
        /// A format version other than 1.0, 2.0 and 3.0.
        case unsupportedVersion(major: UInt8, minor: UInt8)
        /// The file ends inside the preamble or the header.
        case truncatedHeader(expected: Int, found: Int)
        /// The header dictionary is not what NumPy writes; `header` quotes it.
        case badHeader(reason: String, header: String)
        /// A `descr` this reader does not convert (quoted as found in the header).
        case unsupportedDType(String)
        /// The shape's element count or byte size does not fit in memory arithmetic.
        case shapeTooLarge(shape: [Int])
        /// The file ends before the shape's data does.
        case truncatedData(expected: Int, found: Int)
        /// An integer (int64) element that does not fit int32.
        case valueOutOfRange(index: Int, value: Int64)
        /// Writing: an array whose kind cannot be written.
        case unwritable(String)
        /// The file could not be opened, read or written.
        case io(String)
    }

    /// The path, or the name given to `NPY.read(bytes:name:)`.
    public var file: String
    public var problem: Problem

    public init(file: String, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        "\(file): \(problemDescription)"
    }

    public var problemDescription: String {
        switch problem {
        case .notNPY(let found):
            let hex = found.map { byte -> String in
                let s = String(byte, radix: 16)
                return s.count == 1 ? "0" + s : s
            }.joined(separator: " ")
            return "not an .npy file (expected the magic bytes 93 4e 55 4d 50 59 \"\\x93NUMPY\", found "
                + (found.isEmpty ? "an empty file" : hex) + ")"
        case .unsupportedVersion(let major, let minor):
            return "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case .truncatedHeader(let expected, let found):
            return "truncated .npy header (expected \(expected) bytes, found \(found))"
        case .badHeader(let reason, let header):
            return "bad .npy header syntax: \(reason) in \(quoted(header))"
        case .unsupportedDType(let descr):
            return "unsupported .npy dtype \(quoted(descr)) (supported: float32, float64, int32, int64, "
                + "int8, uint8 and bool, either byte order)"
        case .shapeTooLarge(let shape):
            return "the .npy shape \(shapeText(shape)) is too large to address"
        case .truncatedData(let expected, let found):
            return "truncated .npy data (expected \(expected) bytes, found \(found))"
        case .valueOutOfRange(let index, let value):
            return "int64 element \(index) (\(value)) does not fit int32"
        case .unwritable(let reason):
            return "cannot write .npy: \(reason)"
        case .io(let message):
            return message
        }
    }
}

func quoted(_ text: String, limit: Int = 200) -> String {
    var t = text
    if t.count > limit { t = String(t.prefix(limit)) + "…" }
    return "\"" + t.replacingOccurrencesOfNewlines() + "\""
}

func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

extension String {
    fileprivate func replacingOccurrencesOfNewlines() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.append(ch)
            }
        }
        return out
    }
}
