/// Group normalization: the channels on `axis` (must be known) are split into `groups` equal
/// groups (`-1`: one group per channel, i.e. instance normalization); each group is
/// normalised over its channels and every position of a sample, then each channel scaled by
/// `gamma` and shifted by `beta`.
///
/// Output shape = input shape; `groups` must divide the channels. Weights of shape `(C,)`:
/// `gamma` (if `scale`), `beta` (if `center`), both trainable. MACs: 1 per output element
/// (by convention).
public struct GroupNormOp: Operator {
    public var family: String { "group_norm" }
    /// Added to the variance before the square root.
    public var epsilon: Double = 1e-3
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .normalization }


    public let groups: Int
    public let axis: Int
    public let center: Bool
    public let scale: Bool


    func channels(_ input: TensorShape) throws -> Int {
        guard input.normalizedAxis(axis) != nil else {
            throw LayerError("\(sourceClass) axis \(axis) is out of bounds for input shape \(input)")
        }
        guard let c = input.dim(axis) else {
            throw LayerError("\(sourceClass) needs a known size on axis \(axis) of input \(input)")
        }
        let g = groups == -1 ? c : groups
        guard g <= c else { throw LayerError("\(sourceClass) groups \(g) cannot be more than the \(c) channels of input \(input)") }
        guard c % g == 0 else { throw LayerError("\(sourceClass) groups \(g) must divide the \(c) channels of input \(input)") }
        return c
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        guard input.normalizedAxis(axis) != nil else {
            throw LayerError("\(sourceClass) axis \(axis) is out of bounds for input shape \(input)")
        }
        if input.dim(axis) != nil { _ = try channels(input) }
        return [input]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let c = try channels(Shapes.single(inputs, sourceClass))
        var w: [WeightSpec] = []
        if scale { w.append(WeightSpec("gamma", [c])) }
        if center { w.append(WeightSpec("beta", [c])) }
        return w
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        outputs.first?.elementCount(batch: 1)
    }

    /// Every property, as a reader sets them.
    public init(groups: Int, axis: Int, center: Bool, scale: Bool) {
        self.groups = groups
        self.axis = axis
        self.center = center
        self.scale = scale
    }
}
