/// A horizontal bar chart, bars stacked from one segment per series (trainable and
/// non-trainable parameters; one series for latency), labels on the left, each bar's value
/// written at its end, a light value axis below. Laid out at a given width; height follows
/// from the bar count.
public struct BarChart: Hashable, Sendable {
    /// One stacked component, drawn in `color` and named in the legend.
    public struct Series: Hashable, Sendable {
        public var name: String
        public var color: Color
        /// Named in the legend only when some bar has a value in it (a rare case's series).
        public var inLegendOnlyWhenUsed = false
        public init(name: String, color: Color, inLegendOnlyWhenUsed: Bool = false) {
            self.name = name
            self.color = color
            self.inLegendOnlyWhenUsed = inLegendOnlyWhenUsed
        }
    }

    /// One bar: a label, one value per series (same order as `series`), and the text written
    /// at its end.
    public struct Bar: Hashable, Sendable {
        public var label: String
        public var values: [Int]
        public var valueLabel: String
        public init(label: String, values: [Int], valueLabel: String) {
            self.label = label
            self.values = values
            self.valueLabel = valueLabel
        }
        /// The bar's length in the chart's unit: its values summed.
        public var total: Int { values.reduce(0, +) }
    }

    public var series: [Series]
    public var bars: [Bar]
    /// Unit appended to tick values, written with decimal prefixes (`Formatting.si`).
    public var tickUnit = ""
    /// How tick values are written: with decimal prefixes and `tickUnit`, or as
    /// milliseconds when the bar values are microseconds (the latency chart).
    public enum TickText: Hashable, Sendable { case si, millisecondsFromMicroseconds }
    public var tickText = TickText.si
    public var barHeight = 10.0
    public var rowGap = 5.0
    /// The label column's widest share of the chart's width; longer labels are truncated.
    public var maxLabelFraction = 0.36

    public init(series: [Series], bars: [Bar]) {
        self.series = series
        self.bars = bars
    }

    /// A tick step of 1, 2 or 5 times a power of ten giving about `target` intervals up to `max`.
    static func tickStep(max: Int, target: Int = 4) -> Int {
        guard max > target else { return 1 }
        let raw = Double(max) / Double(target)
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        let m = raw / p
        let f: Double = m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10
        return Int(f * p)
    }

    /// A tick value with decimal prefixes and no trailing zeros: `20 k`, `2.5 M`.
    static func tickLabel(_ v: Int, unit: String) -> String {
        var parts = Formatting.si(v, unit: unit).split(separator: " ", maxSplits: 1).map(String.init)
        if parts[0].contains(".") {
            while parts[0].hasSuffix("0") { parts[0].removeLast() }
            if parts[0].hasSuffix(".") { parts[0].removeLast() }
        }
        return parts.joined(separator: " ")
    }

    /// A tick at `microseconds` written in milliseconds without trailing zeros: `0.5 ms`, `20 ms`.
    static func millisecondsLabel(microseconds v: Int) -> String {
        var text = String(format: "%.3f", Double(v) / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + " ms"
    }

    /// The chart drawn at `width` points, origin top left.
    public func layout(width: Double, measurer: any TextMeasurer, theme: Theme) -> SceneBlock {
        let tw = TextWrapper(measurer: measurer)
        let labelStyle = TextStyle(size: 8, color: theme.text)
        let valueStyle = TextStyle(size: 8, color: theme.text)
        let axisStyle = theme.smallStyle
        var prims: [Primitive] = []

        // Legend (only when bars are stacked from more than one series).
        var top = 0.0
        let legend = series.enumerated().filter { k, s in !s.inLegendOnlyWhenUsed || bars.contains { k < $0.values.count && $0.values[k] > 0 } }.map(\.element)
        if legend.count > 1 {
            let lh = tw.lineHeight(axisStyle)
            var x = 0.0
            for s in legend {
                prims.append(.rect(Rect(x, (lh - 7) / 2, 7, 7), fill: s.color, stroke: nil, lineWidth: 0, cornerRadius: 0))
                prims.append(.text(s.name, origin: Point(x + 10, 0), style: axisStyle, anchor: .start))
                x += 10 + tw.width(s.name, axisStyle) + 14
            }
            top = lh + 6
        }

        let labelWidth = min(width * maxLabelFraction, bars.map { tw.width($0.label, labelStyle) }.max() ?? 0)
        let valueWidth = bars.map { tw.width($0.valueLabel, valueStyle) }.max() ?? 0
        let x0 = labelWidth + 6
        let plotWidth = max(1, width - x0 - 4 - valueWidth)
        let maxValue = max(1, bars.map(\.total).max() ?? 1)
        let scale = plotWidth / Double(maxValue)
        let labelHeight = tw.lineHeight(labelStyle)
        let valueHeight = tw.lineHeight(valueStyle)
        let rowHeight = max(barHeight, labelHeight) + rowGap
        let plotBottom = top + Double(bars.count) * rowHeight

        // Grid and ticks.
        let step = Self.tickStep(max: maxValue)
        var ticks: [Int] = []
        var t = 0
        while t <= maxValue { ticks.append(t); t += step }
        for v in ticks where v > 0 {
            let x = x0 + Double(v) * scale
            prims.append(.line([Point(x, top), Point(x, plotBottom)], stroke: theme.rule, lineWidth: 0.5, dash: []))
        }

        for (i, bar) in bars.enumerated() {
            let rowTop = top + Double(i) * rowHeight
            let inner = rowHeight - rowGap
            prims.append(.text(tw.truncate(bar.label, style: labelStyle, width: labelWidth), origin: Point(labelWidth, rowTop + (inner - labelHeight) / 2), style: labelStyle, anchor: .end))
            var x = x0
            let barTop = rowTop + (inner - barHeight) / 2
            for (k, v) in bar.values.enumerated() where v > 0 {
                let w = max(0.75, Double(v) * scale)
                let color = k < series.count ? series[k].color : theme.edge
                prims.append(.rect(Rect(x, barTop, w, barHeight), fill: color, stroke: nil, lineWidth: 0, cornerRadius: 0))
                x += w
            }
            prims.append(.text(bar.valueLabel, origin: Point(x + 4, rowTop + (inner - valueHeight) / 2), style: valueStyle, anchor: .start))
        }

        // The value axis: a base line at zero and tick labels below the plot.
        prims.append(.line([Point(x0, top), Point(x0, plotBottom)], stroke: theme.edge, lineWidth: 0.75, dash: []))
        prims.append(.line([Point(x0, plotBottom), Point(x0 + plotWidth, plotBottom)], stroke: theme.edge, lineWidth: 0.75, dash: []))
        for v in ticks {
            let x = x0 + Double(v) * scale
            prims.append(.line([Point(x, plotBottom), Point(x, plotBottom + 3)], stroke: theme.edge, lineWidth: 0.75, dash: []))
            let label = tickText == .si ? Self.tickLabel(v, unit: tickUnit) : Self.millisecondsLabel(microseconds: v)
            prims.append(.text(label, origin: Point(x, plotBottom + 4), style: axisStyle, anchor: .middle))
        }
        return SceneBlock(height: plotBottom + 4 + tw.lineHeight(axisStyle), primitives: prims)
    }
}
