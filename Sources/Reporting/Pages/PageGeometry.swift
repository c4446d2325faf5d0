/// A page's size and margins. Layouts draw inside `content`; the footer band below it
/// (inside the bottom margin) belongs to `ReportPages`, which writes
/// "Strata <version> · <model> · page k of n" there on every page.
public struct PageGeometry: Hashable, Sendable {
    public var size: Size
    public var margin: Double
    /// Space kept free above the bottom margin so the footer never touches content.
    public var footerGap: Double

    public init(size: Size, margin: Double = 40, footerGap: Double = 8) {
        self.size = size
        self.margin = margin
        self.footerGap = footerGap
    }

    /// A4 portrait, 595 x 842 pt: the default for every page.
    public static let a4Portrait = PageGeometry(size: Size(595, 842))
    /// A4 landscape, 842 x 595 pt.
    public static let a4Landscape = PageGeometry(size: Size(842, 595))

    /// Where layouts draw.
    public var content: Rect {
        Rect(margin, margin, size.width - 2 * margin, size.height - 2 * margin - footerGap)
    }

    /// The top of the footer's line box, inside the bottom margin.
    public var footerTop: Double { size.height - margin + 6 }
}
