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
    /// What fills the overview's boxes: their share of the parameters, or of the forward
    /// pass's time when the model was timed.
    public enum Shade: String, Sendable, CaseIterable { case params, latency }
    public var shade: Shade = .params
    /// When set, boxes are filled by their share of this many parameters (the overview).
    public var shadeByParamsOf: Int?
    /// When set, each box's time (`boxTimes`, by box name) is written after its output
    /// shape with its share of this total (the per-layer medians summed), in milliseconds; with
    /// `shade == .latency` the box is filled by that share instead of its parameters' share.
    public var timeTotalMs: Double?
    public var boxTimes: [String: Double] = [:]
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
