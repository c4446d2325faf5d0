/// One weight tensor of a layer: its name as the format reports it (`kernel`, `moving_mean`),
/// shape and whether the optimizer trains it. Encodes as `{name, shape, trainable, dtype}`
/// (`trainable` null when unknown).
public struct WeightSpec: Hashable, Sendable, Codable {
    public var name: String
    public var shape: [Int]
    /// Whether the optimizer trains it; nil when the file does not say (a custom layer's
    /// stored weights: the file keeps their values, not which of them are trainable).
    public var trainable: Bool?
    public var dtype: DType

    public init(_ name: String, _ shape: [Int], trainable: Bool? = true, dtype: DType = .float32) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
        self.dtype = dtype
    }

    enum CodingKeys: String, CodingKey { case name, shape, trainable, dtype }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(shape, forKey: .shape)
        try c.encode(trainable, forKey: .trainable)
        try c.encode(dtype, forKey: .dtype)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        shape = try c.decode([Int].self, forKey: .shape)
        trainable = try c.decodeIfPresent(Bool.self, forKey: .trainable)
        dtype = try c.decode(DType.self, forKey: .dtype)
    }

    /// Element count; nil when it overflows Int (an absurd size is counted, never allocated).
    public var count: Int? { checkedProduct(shape) }
}

/// Product of sizes, nil on overflow or a negative factor.
public func checkedProduct<S: Sequence>(_ values: S) -> Int? where S.Element == Int {
    var n = 1
    for v in values {
        if v < 0 { return nil }
        let (p, o) = n.multipliedReportingOverflow(by: v)
        if o { return nil }
        n = p
    }
    return n
}

/// Sum that saturates to nil on overflow or when a term is unknown.
public func checkedSum<S: Sequence>(_ values: S) -> Int? where S.Element == Int? {
    var n = 0
    for v in values {
        guard let v else { return nil }
        let (s, o) = n.addingReportingOverflow(v)
        if o { return nil }
        n = s
    }
    return n
}

/// Numbers of one kind that a file holds outside its format's parameter count (constants
/// written into the graph, integer or quantized tensors): how many tensors, how many
/// elements, and the first few by name. The reader words the kind.
public struct ConstantTally: Sendable, Hashable, Codable {
    /// What these tensors are, in the reader's words (`Constant nodes (float)`).
    public var kind: String
    public var tensors: Int
    /// Total elements; nil when it overflows.
    public var elements: Int?
    /// Up to the first few tensors' names, for the reader of the report to find them.
    public var examples: [String]

    public init(kind: String, tensors: Int, elements: Int?, examples: [String]) {
        self.kind = kind
        self.tensors = tensors
        self.elements = elements
        self.examples = examples
    }
}
