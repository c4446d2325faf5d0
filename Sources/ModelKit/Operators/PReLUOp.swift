/// Parametric rectified linear unit: a leaky ReLU whose slopes are learned.
///
/// Weight: `alpha`, shaped like the input without its batch axis, with a 1 on every axis in
/// `sharedAxes` (axes counted with the batch as 0). The 1 goes at index `axis - 1` of the
/// shape without batch, with Python indexing, so axis 0 or a negative axis land where Python
/// puts them, as the source computes it. Every other axis must be known.
/// Output shape: the input's. MACs 0.
public struct PReLUOp: Operator {
    public var family: String { "p_re_lu" }
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .activation }


    /// Axes that share one alpha, nil when none.
    public let sharedAxes: [Int]?


    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try Shapes.single(inputs, sourceClass)]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        guard input.rank >= 2 else { throw LayerError("\(sourceClass) expects an input with at least one axis after the batch, found \(input)") }
        var shape = Array(input.dims.dropFirst())
        for axis in sharedAxes ?? [] {
            var i = axis - 1
            if i < 0 { i += shape.count }
            guard i >= 0, i < shape.count else {
                throw LayerError("\(sourceClass) shared_axes \(sharedAxes ?? []) has axis \(axis), out of range for input \(input)")
            }
            shape[i] = 1
        }
        let known = shape.compactMap { $0 }
        guard known.count == shape.count else {
            throw LayerError("\(sourceClass) needs every axis not in shared_axes to be known to create alpha; input \(input), shared_axes \(sharedAxes ?? [])")
        }
        return [WeightSpec("alpha", known)]
    }

    /// Every property, as a reader sets them.
    public init(sharedAxes: [Int]?) {
        self.sharedAxes = sharedAxes
    }
}
