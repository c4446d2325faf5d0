/// The layer diagram cut into pages.
public struct DiagramPages: Sendable {
    /// One scene per page, in reading order (rows of pages top to bottom, left to right).
    public var scenes: [Scene]
    /// For each box of the diagram, the index of the page it is drawn on.
    public var pageOfBox: [Int]
    /// The factor the diagram was scaled by (text stays at or above `Theme.minimumTextSize`).
    public var scale: Double
}
