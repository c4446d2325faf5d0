import Foundation
import ModelKit
import Reporting

/// The diagram of the last analysis laid out, so that the renderers of one report (the PDF's
/// diagram pages, `diagram.svg`) share one layout: Graphviz takes seconds on a model of a
/// thousand layers. A different analysis is laid out anew and replaces it.
final class DiagramDrawings: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (analysis: ModelAnalysis, drawings: [String: Diagram])?

    /// The diagram `level` (`full`, `modules`, `overview`, `block-1`, …) of `analysis`: the
    /// one laid out before for the same analysis, else `layOut()`'s.
    func drawing(of analysis: ModelAnalysis, level: String = "full", layOut: () -> Diagram) -> Diagram {
        lock.lock()
        defer { lock.unlock() }
        if last?.analysis != analysis { last = (analysis, [:]) }
        if let known = last?.drawings[level] { return known }
        let drawing = layOut()
        last?.drawings[level] = drawing
        return drawing
    }
}
