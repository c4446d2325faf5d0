/// Marks padding steps of a sequence: a step whose features all equal `maskValue` becomes
/// zeros and is masked for the layers after it (`MaskRule.maskValue`); other steps pass
/// unchanged. No weights, no multiply-accumulates.
public struct MaskingOp: Operator, Equatable {
    public var sourceClass: String = ""
    public let maskValue: Float

    public init(maskValue: Float) { self.maskValue = maskValue }

    public var family: String { "masking" }
    public var category: LayerCategory { .other }
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count == 1 else { throw LayerError("expects one input, given \(inputs.count)") }
        guard inputs[0].rank >= 2 else { throw LayerError("expects (batch, time, ...) input, found \(inputs[0])") }
        return inputs
    }
    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] { [] }
    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? { 0 }
}
