/// A nested model drawn as a labelled frame around its own layers' boxes.
public struct DiagramCluster: Sendable, Hashable {
    /// The nested model's layer name, qualified by outer nested models.
    public var path: String
    /// Which call of the nested model this frame draws.
    public var call: Int
    /// The label drawn at the frame's top left (starts with the model's name).
    public var label: String
    /// Index of the enclosing cluster, nil at top level.
    public var parent: Int?
    /// Where the frame is, in points, origin top left of the diagram.
    public var rect: Rect
}
