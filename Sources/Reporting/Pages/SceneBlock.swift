/// A piece of a page drawn at its own origin (0, 0 top left) with a known height, placed
/// later by a `PageFlow` (or any caller) with `translated`.
public struct SceneBlock: Hashable, Sendable {
    public var height: Double
    public var primitives: [Primitive]

    public init(height: Double, primitives: [Primitive] = []) {
        self.height = height
        self.primitives = primitives
    }

    /// The primitives moved by (dx, dy).
    public func translated(_ dx: Double, _ dy: Double) -> [Primitive] {
        primitives.map { $0.translated(dx, dy) }
    }
}
