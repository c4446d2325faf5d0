/// Stacks `SceneBlock`s down the content area of pages, starting a new page when the next
/// block does not fit. Text is never shrunk to fit: content continues on the next page.
public struct PageFlow: Sendable {
    public var geometry: PageGeometry
    /// Scene titles: the first page's, and later pages'.
    public var title: String
    public var continuedTitle: String
    /// Drawn at the top of every page after the first (e.g. "Summary (continued)").
    public var continuationHeading: SceneBlock?
    public private(set) var pages: [Scene] = []
    /// Where the next block goes, from the content's top.
    public private(set) var y: Double = 0

    public init(geometry: PageGeometry, title: String, continuedTitle: String, continuationHeading: SceneBlock? = nil) {
        self.geometry = geometry
        self.title = title
        self.continuedTitle = continuedTitle
        self.continuationHeading = continuationHeading
        pages = [Scene(size: geometry.size, title: title)]
    }

    /// Height left on the current page.
    public var remaining: Double { geometry.content.height - y }

    /// Starts a new page unless `height` fits on this one (or this page is still empty).
    public mutating func ensure(_ height: Double) {
        if height > remaining && y > 0 { newPage() }
    }

    public mutating func newPage() {
        pages.append(Scene(size: geometry.size, title: continuedTitle))
        y = 0
        if let c = continuationHeading { place(c, spacing: 6) }
    }

    /// Places `block` at the cursor (after a page break if needed) and moves down by its
    /// height plus `spacing`. A block taller than a whole page is placed at a page top and
    /// overflows; callers split content into blocks no taller than a page.
    public mutating func place(_ block: SceneBlock, spacing: Double = 0) {
        ensure(block.height)
        let c = geometry.content
        pages[pages.count - 1].primitives += block.translated(c.x, c.y + y)
        y += block.height + spacing
    }

    /// Adds vertical space (dropped at a page top).
    public mutating func space(_ h: Double) {
        if y > 0 { y = min(y + h, geometry.content.height) }
    }
}
