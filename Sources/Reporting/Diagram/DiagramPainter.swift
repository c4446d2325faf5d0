/// Turns a laid-out `Diagram` (or the part of it on one page) into primitives: frames of
/// nested models, then edges, then arrowheads, then boxes with their text, so edges run
/// under the boxes. Diagram coordinates map to the scene by `offset + point * scale`.
struct DiagramPainter {
    var diagram: Diagram
    var theme: Theme
    var measurer: any TextMeasurer
    var scale: Double
    var offset: Point
    /// The part of the diagram on this page (diagram coordinates), nil for all of it.
    var visible: Rect?

    struct Output { var primitives: [Primitive] = [] }

    func map(_ p: Point) -> Point { Point(offset.x + p.x * scale, offset.y + p.y * scale) }
    func map(_ r: Rect) -> Rect { Rect(offset.x + r.x * scale, offset.y + r.y * scale, r.width * scale, r.height * scale) }
    func scaled(_ s: TextStyle) -> TextStyle { var t = s; t.size = (s.size * scale * 100).rounded() / 100; return t }

    func draw(boxes: Set<Int>, pieces: [(Int, BezierClipping.Piece)]? = nil) -> Output {
        var out = Output()
        // Nested-model frames, outer first.
        for c in diagram.clusters.indices.sorted(by: { depth($0) != depth($1) ? depth($0) < depth($1) : $0 < $1 }) {
            let cluster = diagram.clusters[c]
            let r = cluster.rect
            guard r.width > 0, r.height > 0 else { continue }
            let shown = visible.map { intersect(r, $0) } ?? r
            guard let s = shown else { continue }
            out.primitives.append(.rect(map(s), fill: theme.clusterFill, stroke: nil, lineWidth: 0, cornerRadius: 0))
            let sides: [(Point, Point, Bool)] = [
                (Point(s.x, s.y), Point(s.maxX, s.y), s.y == r.y), (Point(s.x, s.maxY), Point(s.maxX, s.maxY), s.maxY == r.maxY),
                (Point(s.x, s.y), Point(s.x, s.maxY), s.x == r.x), (Point(s.maxX, s.y), Point(s.maxX, s.maxY), s.maxX == r.maxX),
            ]
            for (a, b, real) in sides where real { out.primitives.append(.line([map(a), map(b)], stroke: theme.clusterStroke, lineWidth: 0.8, dash: [])) }
            let labelAt = Point(r.x + 5, r.y + 3)
            if visible?.contains(labelAt) ?? true {
                let style = scaled(DiagramStyle.label(theme))
                // The whole label if it fits, else the model's name alone (shortened if need be).
                let width = (r.width - 10) * scale
                let full = cluster.label
                var name = String(full.prefix { $0 != "·" })
                while name.last == " " { name.removeLast() }
                let text = measurer.measure(full, style: style).width <= width ? full : DiagramStyle.fit(name, style, width: width, measurer: measurer)
                out.primitives.append(.text(text, origin: map(labelAt), style: style, anchor: .start))
            }
        }
        // Edges, then arrowheads at the heads.
        let edgePaths: [(Int, BezierPath, Bool)] = pieces.map { $0.map { ($0.0, $0.1.path, $0.1.atPathEnd) } }
            ?? diagram.edges.enumerated().map { ($0.offset, $0.element.path, true) }
        for (ei, path, _) in edgePaths {
            let p = BezierPath(start: map(path.start), segments: path.segments.map { .init(map($0.control1), map($0.control2), map($0.end)) })
            // An edge to or from a removed layer was there before and is not now: dashed.
            let e = diagram.edges[ei]
            let gone = diagram.boxes[e.from].kind == .removed || diagram.boxes[e.to].kind == .removed
            out.primitives.append(.curve(p, stroke: gone ? theme.unsupportedStroke : theme.edge, lineWidth: 0.8, dash: gone ? [3 * scale, 2 * scale] : []))
        }
        for (_, path, atEnd) in edgePaths where atEnd {
            guard let last = path.segments.last else { continue }
            let tip = map(last.end)
            var from = map(last.control2)
            if distance(from, tip) < 0.5 { from = map(last.control1) }
            if distance(from, tip) < 0.5 { from = map(path.start) }
            let d = distance(from, tip)
            guard d > 0.01 else { continue }
            let ux = (tip.x - from.x) / d, uy = (tip.y - from.y) / d
            let len = 5.5 * scale, half = 2.6 * scale
            let base = Point(tip.x - ux * len, tip.y - uy * len)
            out.primitives.append(.polygon([tip, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)],
                                           fill: theme.edge, stroke: nil, lineWidth: 0))
        }
        // Boxes, in diagram order.
        for i in diagram.boxes.indices where boxes.contains(i) {
            let box = diagram.boxes[i]
            let r = map(box.rect)
            if box.kind == .removed {
                // A removed layer: its place, outlined with dashes.
                out.primitives.append(.rect(r, fill: box.fill, stroke: nil, lineWidth: 0, cornerRadius: 0))
                out.primitives.append(.line([Point(r.x, r.y), Point(r.maxX, r.y), Point(r.maxX, r.maxY), Point(r.x, r.maxY), Point(r.x, r.y)],
                                            stroke: box.stroke, lineWidth: box.lineWidth, dash: [3 * scale, 2 * scale]))
            } else {
                out.primitives.append(.rect(r, fill: box.fill, stroke: box.stroke, lineWidth: box.lineWidth, cornerRadius: 3 * scale))
            }
            if box.kind == .repeated || box.kind == .folded {
                // A second outline behind the first: a stack of identical blocks.
                out.primitives.insert(.rect(Rect(r.x + 3 * scale, r.y + 3 * scale, r.width, r.height), fill: box.fill, stroke: box.stroke,
                                            lineWidth: box.lineWidth, cornerRadius: 3 * scale), at: out.primitives.count - 1)
            }
            var y = r.y + (DiagramStyle.padding - 1) * scale
            for line in box.lines {
                let style = scaled(line.style)
                let text = DiagramStyle.fit(line.text, style, width: r.width - 2 * DiagramStyle.padding * scale, measurer: measurer)
                out.primitives.append(.text(text, origin: Point(r.center.x, y), style: style, anchor: .middle))
                y += DiagramStyle.lineHeight(line.style) * scale
            }
        }
        return out
    }

    /// A small arrowhead on the page border where an edge leaves (`outward`) or enters this
    /// page, with the other page's number. One mark per border, page and place.
    func mark(_ point: Point, in tile: Rect, text: String, outward: Bool, into primitives: inout [Primitive], seen: inout Set<String>,
              around others: [Primitive] = [], within bounds: Rect? = nil) {
        let sides = [(abs(point.y - tile.maxY), "bottom"), (abs(point.y - tile.y), "top"), (abs(point.x - tile.maxX), "right"), (abs(point.x - tile.x), "left")]
        let side = sides.min { $0.0 < $1.0 }!.1
        let along = side == "bottom" || side == "top" ? point.x : point.y
        let key = "\(side)|\(text)|\(Int((along * scale / 24).rounded()))"
        guard seen.insert(key).inserted else { return }
        let p = map(point)
        // Unit vector pointing out of the page at this border.
        let (ox, oy): (Double, Double) = side == "bottom" ? (0, 1) : side == "top" ? (0, -1) : side == "right" ? (1, 0) : (-1, 0)
        let (dx, dy) = outward ? (ox, oy) : (-ox, -oy)
        let tip = Point(p.x + dx * 3, p.y + dy * 3), base = Point(p.x - dx * 3, p.y - dy * 3)
        primitives.append(.polygon([tip, Point(base.x - dy * 3, base.y + dx * 3), Point(base.x + dy * 3, base.y - dx * 3)],
                                   fill: theme.mergeStroke, stroke: nil, lineWidth: 0))
        let style = TextStyle(size: Theme.minimumTextSize, color: theme.mergeStroke)
        // Where the label may go, in order of preference: beside the arrow inside the page,
        // on its other side, then across the border; the first place clear of every text
        // already on the page (box names, other marks) is taken.
        let h = measurer.measure(text, style: style).height
        var candidates: [(Point, TextAnchor)]
        switch side {
        case "bottom": candidates = [(Point(p.x + 5, p.y - h - 1), .start), (Point(p.x - 5, p.y - h - 1), .end), (Point(p.x + 5, p.y - 2 * h - 2), .start),
                                     (Point(p.x - 5, p.y - 2 * h - 2), .end)]
        case "top": candidates = [(Point(p.x + 5, p.y + 2), .start), (Point(p.x - 5, p.y + 2), .end), (Point(p.x + 5, p.y - h - 1), .start),
                                  (Point(p.x - 5, p.y - h - 1), .end), (Point(p.x + 5, p.y + h + 3), .start)]
        case "right": candidates = [(Point(p.x - 5, p.y + 3), .end), (Point(p.x - 5, p.y - h - 3), .end), (Point(p.x + 5, p.y - h / 2), .start)]
        default: candidates = [(Point(p.x + 5, p.y + 3), .start), (Point(p.x + 5, p.y - h - 3), .start), (Point(p.x - 5, p.y - h / 2), .end)]
        }
        // Then further along the border, on the inner side.
        let direction: (Double, Double) = side == "top" || side == "bottom" ? (1, 0) : (0, 1)
        let inner = Array(candidates.prefix(2))
        for k in 1...4 {
            for sign in [1.0, -1.0] {
                for (o, a) in inner {
                    let d = sign * Double(k) * (h + 2)
                    candidates.append((Point(o.x + direction.0 * d * 3, o.y + direction.1 * d), a))
                }
            }
        }
        let taken = (others + primitives).compactMap { prim -> Rect? in
            guard case .text(let t, let o, let st, let a) = prim else { return nil }
            return SceneCheck.box(t, origin: o, style: st, anchor: a, measurer: measurer)
        }
        func clear(_ c: (Point, TextAnchor)) -> Bool {
            let r = SceneCheck.box(text, origin: c.0, style: style, anchor: c.1, measurer: measurer)
            if let b = bounds, r.x < b.x || r.y < b.y || r.maxX > b.maxX || r.maxY > b.maxY { return false }
            return !taken.contains { min($0.maxX, r.maxX) - max($0.x, r.x) > 0.5 && min($0.maxY, r.maxY) - max($0.y, r.y) > 0.5 }
        }
        let (origin, anchor) = candidates.first(where: clear) ?? candidates[0]
        primitives.append(.text(text, origin: origin, style: style, anchor: anchor))
    }

    func depth(_ c: Int) -> Int {
        var d = 0, p = diagram.clusters[c].parent
        while let q = p, d <= diagram.clusters.count { d += 1; p = diagram.clusters[q].parent }
        return d
    }

    func intersect(_ a: Rect, _ b: Rect) -> Rect? {
        let x = max(a.x, b.x), y = max(a.y, b.y), mx = min(a.maxX, b.maxX), my = min(a.maxY, b.maxY)
        return mx > x && my > y ? Rect(x, y, mx - x, my - y) : nil
    }

    func distance(_ a: Point, _ b: Point) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
}
