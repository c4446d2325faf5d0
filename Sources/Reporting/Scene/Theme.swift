/// The report's visual vocabulary, shared by every layout so the PDF pages, the SVGs and
/// the charts look like one document.
public struct Theme: Sendable {
    public var text = Color(hex: 0x1F2328)
    public var mutedText = Color(hex: 0x59636E)
    public var rule = Color(hex: 0xD1D9E0)
    public var background = Color.white
    /// Layers that own weights (kernel layers and BatchNormalization alike).
    public var weightedFill = Color(hex: 0xDDF4FF)
    public var weightedStroke = Color(hex: 0x0969DA)
    /// Layers without weights.
    public var weightlessFill = Color(hex: 0xF6F8FA)
    public var weightlessStroke = Color(hex: 0x8C959F)
    /// Merge layers (Add, Concatenate, ...).
    public var mergeFill = Color(hex: 0xFFF8C5)
    public var mergeStroke = Color(hex: 0x9A6700)
    /// Layers Strata does not know.
    public var unsupportedFill = Color(hex: 0xFFEBE9)
    public var unsupportedStroke = Color(hex: 0xCF222E)
    /// Nested-model clusters.
    public var clusterFill = Color(hex: 0xF5F0FF)
    public var clusterStroke = Color(hex: 0x8250DF)
    public var edge = Color(hex: 0x57606A)
    /// Chart bars: trainable, non-trainable, latency.
    public var barTrainable = Color(hex: 0x0969DA)
    public var barNonTrainable = Color(hex: 0xBF8700)
    public var barLatency = Color(hex: 0x1A7F37)
    /// A comparison's marks: added, changed, renamed and removed layers; the old model's bars.
    public var addedFill = Color(hex: 0xDAFBE1)
    public var addedStroke = Color(hex: 0x1A7F37)
    public var changedFill = Color(hex: 0xFFF1E5)
    public var changedStroke = Color(hex: 0xBC4C00)
    public var renamedFill = Color(hex: 0xFFEFF7)
    public var renamedStroke = Color(hex: 0xBF3989)
    public var removedFill = Color(hex: 0xFFEBE9)
    public var removedStroke = Color(hex: 0xCF222E)
    public var barOld = Color(hex: 0xAFB8C1)

    public var titleStyle: TextStyle { TextStyle(size: 18, weight: .bold, color: text) }
    public var headingStyle: TextStyle { TextStyle(size: 12, weight: .bold, color: text) }
    public var bodyStyle: TextStyle { TextStyle(size: 9, color: text) }
    public var smallStyle: TextStyle { TextStyle(size: 8, color: mutedText) }
    public var monoStyle: TextStyle { TextStyle(family: TextStyle.mono, size: 8, color: text) }

    /// The smallest text size any layout may use (readable on A4 at 100 %).
    public static let minimumTextSize = 8.0

    public init() {}
    public static let standard = Theme()
}
