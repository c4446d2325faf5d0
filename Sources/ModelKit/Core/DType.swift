/// An element type by its conventional name (`float32`, `int32`, ...) and its size in bytes. Encodes as its name.
public struct DType: Hashable, Sendable, CustomStringConvertible, Codable {
    public let name: String

    public init(_ name: String) { self.name = name }

    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }

    public static let float32 = DType("float32")

    /// Bytes per element; 4 for names Strata does not know.
    public var byteSize: Int {
        switch name {
        case "float16", "bfloat16", "int16", "uint16", "mixed_float16", "mixed_bfloat16": return 2
        case "float64", "int64", "uint64", "complex64": return 8
        case "int8", "uint8", "bool", "int4", "uint4": return 1
        case "complex128": return 16
        default: return 4
        }
    }

    /// The dtype in which variables of a layer with this policy are stored
    /// (`mixed_float16` keeps float32 variables).
    public var variableDType: DType {
        name.hasPrefix("mixed_") ? .float32 : self
    }

    /// The dtype of a layer's outputs under this policy.
    public var computeDType: DType {
        switch name {
        case "mixed_float16": return DType("float16")
        case "mixed_bfloat16": return DType("bfloat16")
        default: return self
        }
    }

    public var description: String { name }
}
