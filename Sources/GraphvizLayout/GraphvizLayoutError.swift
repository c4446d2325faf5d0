/// Graphviz could not lay out a graph (bad input or an error status from `gvLayout`).
public struct GraphvizLayoutError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "graphviz: " + message }
}
