import Foundation
import ModelKit
import Reporting

/// The diagram of the last analysis laid out, so that the renderers of one report (the PDF's
/// diagram pages, `diagram.svg`) share one layout: Graphviz takes seconds on a model of a
/// thousand layers. A different analysis is laid out anew and replaces it.
final class DiagramDrawings: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (analysis: ModelAnalysis, drawing: Diagram)?

    /// The diagram of `analysis`: the one laid out last when it was of the same analysis,
    /// else `layOut()`'s.
    func drawing(of analysis: ModelAnalysis, layOut: () -> Diagram) -> Diagram {
        lock.lock()
        defer { lock.unlock() }
        if let last, last.analysis == analysis { return last.drawing }
        let drawing = layOut()
        last = (analysis, drawing)
        return drawing
    }
}
