/// Standardizes with fixed statistics: `(x - mean) / max(sqrt(variance), 1e-7)`, the
/// statistics kept per index of the kept axes (none kept: one statistic for everything).
///
/// Output shape = input shape. When the statistics are stored as weights the operator owns
/// three non-trainable ones: `mean` and `variance` of shape (sizes on the sorted kept axes)
/// and an int64 `count` of shape `()`, all three counted (3 channels: 3 + 3 + 1 = 7). With
/// the statistics given in the file it owns no weights.
/// MACs: 1 per output element (by convention for normalization layers).
public struct StandardizeOp: Operator {
    public var family: String { "standardize" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }


    /// Axes that keep their own statistics (empty: one statistic overall).
    public let axes: [Int]
    /// True when the file gives the statistics with the node rather than as weights (no
    /// weights then).
    public let hasGivenStatistics: Bool
    /// The given mean and variance (one number, or one per kept position) when
    /// `hasGivenStatistics`; otherwise the weights hold them.
    public var mean: [Double] = [0]
    public var variance: [Double] = [1]
    /// Undo the standardization instead: `mean + x * std`.
    public var invert: Bool = false


    func keptAxes(_ input: TensorShape) throws -> [Int] {
        try axes.map { a in
            guard let i = input.normalizedAxis(a) else {
                throw LayerError("\(sourceClass) axis \(a) is out of range for input \(input) (axis=\(axes))")
            }
            return i
        }.sorted()
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        _ = try keptAxes(input)
        return [input]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        let kept = try keptAxes(input)
        if hasGivenStatistics { return [] }
        let shape = try kept.map { a in
            guard let d = input[a] else {
                throw LayerError("\(sourceClass) needs a known size on kept axis \(a) of input \(input) (axis=\(axes))")
            }
            return d
        }
        return [
            WeightSpec("mean", shape, trainable: false),
            WeightSpec("variance", shape, trainable: false),
            WeightSpec("count", [], trainable: false, dtype: DType("int64")),
        ]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(axes: [Int], hasGivenStatistics: Bool) {
        self.axes = axes
        self.hasGivenStatistics = hasGivenStatistics
    }
}
