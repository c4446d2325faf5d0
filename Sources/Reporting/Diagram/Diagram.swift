import ModelKit

/// The laid-out layer diagram of one model, before it is cut into pages: boxes, edges and
/// nested-model frames in diagram coordinates (points, origin top left, y down).
public struct Diagram: Sendable {
    /// The model's name, used in page titles.
    public var title: String
    public var boxes: [DiagramBox]
    public var edges: [DiagramEdge]
    public var clusters: [DiagramCluster]
    public var size: Size
    /// The engine that placed the boxes (`graphviz-dot`, or `layered` after a fallback).
    public var engine: String
    /// What went wrong on the way (a layout fallback), for the report's diagnostics.
    public var diagnostics: [Diagnostic]
}
