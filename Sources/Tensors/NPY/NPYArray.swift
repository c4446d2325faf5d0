/// The element type of an `.npy` file, as found in its header (byte order aside).
public enum NPYDType: String, Sendable, Equatable, CaseIterable {
    case float32, float64, int32, int64, int8, uint8, bool
    /// Strings: NumPy's fixed-width unicode (`<U7`, UTF-32) or bytes (`|S7`, read as UTF-8).
    case text

    /// NumPy's little-endian `descr` for this type (`<f4`, `|b1`, ...).
    public var descr: String {
        switch self {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int32: "<i4"
        case .int64: "<i8"
        case .int8: "|i1"
        case .uint8: "|u1"
        case .bool: "|b1"
        case .text: "<U"
        }
    }

    public var itemSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .int8, .uint8, .bool: 1
        case .text: 4
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}

/// An array read from (or to be written to) an `.npy` file: C-order `shape`, the file's
/// `dtype`, and the elements: floating-point files as float32, integer and bool files as
/// int32 (token ids stay exact).
public struct NPYArray: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        case float([Float])
        case int32([Int32])
        case text([String])
    }

    public var shape: [Int]
    /// The dtype of the file this array was read from (for arrays made in Swift: the
    /// dtype `NPY.data` writes, float32 or int32).
    public var dtype: NPYDType
    public var storage: Storage

    public init(shape: [Int], floats: [Float]) {
        precondition(shape.reduce(1, *) == floats.count, "array data does not fit its shape")
        self.shape = shape
        self.dtype = .float32
        self.storage = .float(floats)
    }

    public init(shape: [Int], int32s: [Int32]) {
        precondition(shape.reduce(1, *) == int32s.count, "array data does not fit its shape")
        self.shape = shape
        self.dtype = .int32
        self.storage = .int32(int32s)
    }

    init(shape: [Int], dtype: NPYDType, storage: Storage) {
        self.shape = shape
        self.dtype = dtype
        self.storage = storage
    }

    public var count: Int {
        switch storage {
        case .float(let f): f.count
        case .int32(let i): i.count
        case .text(let t): t.count
        }
    }

    /// The float elements, or nil if the storage is integer.
    public var floats: [Float]? {
        if case .float(let f) = storage { return f }
        return nil
    }

    /// The integer elements, or nil if the storage is float.
    public var int32s: [Int32]? {
        if case .int32(let i) = storage { return i }
        return nil
    }

    /// The array as a float32 tensor (integers converted; exact up to 2^24).
    public func toTensor() -> Tensor {
        switch storage {
        case .float(let f): Tensor(shape: shape, data: f)
        case .int32(let i): Tensor(shape: shape, data: i.map { Float($0) })
        case .text(let t): Tensor(shape: shape, text: t)
        }
    }
}

extension NPYArray {
    public init(_ tensor: Tensor) {
        if let text = tensor.text {
            self.init(shape: tensor.shape, dtype: .text, storage: .text(text))
        } else {
            self.init(shape: tensor.shape, dtype: .float32, storage: .float(tensor.data))
        }
    }

    /// The string elements, or nil if the array holds numbers.
    public var strings: [String]? {
        if case .text(let t) = storage { return t }
        return nil
    }
}
