/// What the layer diagram shows and how it is cut into pages.
public struct DiagramOptions: Sendable {
    /// The flow: inputs at the top (`topToBottom`) or at the left (`leftToRight`).
    public var direction: LayoutGraph.Direction
    /// Show each box's output shape.
    public var showShapes: Bool
    /// Fold runs of structurally identical blocks into one box labelled `×N` (see
    /// `RepeatedBlocks` for the rule).
    public var collapseRepeatedBlocks: Bool
    /// Page size for the paginated diagram, in points (A4 portrait by default).
    public var pageSize: Size
    /// Margin on every side of a page, in points.
    public var margin: Double
    /// How much the report's diagram shows for a model built from repeated blocks: an
    /// overview and one diagram per block type (`blocks`), or every layer as well (`full`).
    public enum Detail: String, Sendable, CaseIterable { case blocks, full }
    public var detail: Detail = .blocks
    /// When set, boxes are filled by their share of this many parameters (the overview).
    public var shadeByParamsOf: Int?
    /// Write the parameter count on the class line (three lines a box instead of four), so
    /// a chain of a dozen boxes fits one page (the overview).
    public var paramsOnClassLine = false

    public init(direction: LayoutGraph.Direction = .topToBottom, showShapes: Bool = true, collapseRepeatedBlocks: Bool = false,
                pageSize: Size = Size(595, 842), margin: Double = 36) {
        self.direction = direction
        self.showShapes = showShapes
        self.collapseRepeatedBlocks = collapseRepeatedBlocks
        self.pageSize = pageSize
        self.margin = margin
    }
}
