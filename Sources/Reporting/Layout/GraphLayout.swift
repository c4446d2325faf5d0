/// A graph to lay out: boxes of known size, directed edges, optional nested clusters.
/// Layout engines (Graphviz's dot in CairoRendering, `LayeredLayoutEngine` as a fallback)
/// return positions; the drawing stays ours.
public struct LayoutGraph: Sendable {
    public enum Direction: String, Sendable { case topToBottom = "TB", leftToRight = "LR" }

    public struct Node: Sendable {
        /// Size of the box in points.
        public var size: Size
        /// Index into `clusters`, or nil at top level.
        public var cluster: Int?
        public init(size: Size, cluster: Int? = nil) {
            self.size = size
            self.cluster = cluster
        }
    }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }
    }

    public struct Cluster: Sendable {
        public var label: String
        /// Index of the enclosing cluster, nil at top level.
        public var parent: Int?
        public init(label: String, parent: Int? = nil) {
            self.label = label
            self.parent = parent
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var clusters: [Cluster]
    public var direction: Direction

    public init(nodes: [Node] = [], edges: [Edge] = [], clusters: [Cluster] = [], direction: Direction = .topToBottom) {
        self.nodes = nodes
        self.edges = edges
        self.clusters = clusters
        self.direction = direction
    }
}

/// Where everything went: node boxes, edge curves (from the tail box's border to the head
/// box's border), cluster boxes, and the bounding size. Origin top left, y down, points.
public struct GraphLayoutResult: Sendable {
    public var nodes: [Rect]
    public var edges: [BezierPath]
    public var clusters: [Rect]
    public var size: Size

    public init(nodes: [Rect], edges: [BezierPath], clusters: [Rect], size: Size) {
        self.nodes = nodes
        self.edges = edges
        self.clusters = clusters
        self.size = size
    }
}

/// Something that positions a `LayoutGraph`.
public protocol GraphLayoutEngine: Sendable {
    /// A name for diagnostics (`graphviz-dot`, `layered`).
    var name: String { get }
    func layout(_ graph: LayoutGraph) throws -> GraphLayoutResult
}
