/// Max or average pooling over a window on every spatial axis, for 1, 2 or 3 spatial axes
/// (the rank is the window's). Output: each spatial size reduced as `PoolingWindow` computes.
/// No weights. MACs: 0 (pooling is counted as free, by convention).
public struct PoolingOp: Operator {
    public enum Reduction: String, Sendable, Hashable { case max, average }

    public var window: PoolingWindow
    public var reduction: Reduction
    public var sourceClass: String

    public init(window: PoolingWindow, reduction: Reduction, sourceClass: String = "") {
        self.window = window
        self.reduction = reduction
        self.sourceClass = sourceClass
    }

    public var family: String { reduction == .max ? "max_pool" : "average_pool" }
    public var category: LayerCategory { .pooling }
    /// Number of spatial axes.
    public var spatialRank: Int { window.poolSize.count }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try window.outputShape(Shapes.single(inputs, sourceClass), sourceClass)]
    }
}

/// Max or average over all spatial axes at once (global pooling), for 1, 2 or 3 spatial axes.
/// Output `(batch, channels)`, or the input shape with every spatial size 1 when the
/// reduction keeps dims. No weights. MACs: 0 (counted as free, by convention).
public struct GlobalPoolingOp: Operator {
    public var reduction: GlobalPoolingReduction
    public var kind: PoolingOp.Reduction
    public var sourceClass: String

    public init(reduction: GlobalPoolingReduction, kind: PoolingOp.Reduction, sourceClass: String = "") {
        self.reduction = reduction
        self.kind = kind
        self.sourceClass = sourceClass
    }

    public var family: String { kind == .max ? "global_max_pool" : "global_average_pool" }
    public var category: LayerCategory { .pooling }
    /// Number of spatial axes.
    public var spatialRank: Int { reduction.layout.spatialRank }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        [try reduction.outputShape(Shapes.single(inputs, sourceClass), sourceClass)]
    }
}
