/// A connection of the layer diagram: the tensor from box `from` flows into box `to`.
/// The path runs from the tail box's border to the head box's border.
public struct DiagramEdge: Sendable, Hashable {
    /// Indices into `Diagram.boxes`.
    public var from: Int
    public var to: Int
    public var path: BezierPath

    public init(from: Int, to: Int, path: BezierPath) {
        self.from = from
        self.to = to
        self.path = path
    }
}
