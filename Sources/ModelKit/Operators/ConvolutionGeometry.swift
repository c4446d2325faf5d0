/// The window of a convolution (kernel size, strides and dilation per spatial axis, the
/// padding mode, where the channels sit) and the window arithmetic of its output shape.
///
/// Input layout: `(batch, *spatial, channels)` channels-last, `(batch, channels, *spatial)`
/// channels-first; `rank` is the number of spatial axes. The padding mode is `valid` (none),
/// `same` (the output keeps `ceil(L / stride)` positions), `causal` (one spatial axis: all
/// padding before the first step) or `explicit`: zeros added before and after each spatial
/// axis in the amounts `pads` gives (as files that store per-side pads say). All arithmetic reports overflow as an error instead of
/// trapping, since the sizes come from a file.
public struct ConvolutionGeometry: Sendable, Equatable {
    /// Number of spatial axes: 1 (sequences), 2 (images) or 3 (volumes).
    public let rank: Int
    public let kernelSize: [Int]
    public let strides: [Int]
    public let dilation: [Int]
    /// "valid", "same", "causal" (one spatial axis only) or "explicit" (`pads`).
    public let padding: String
    /// Zeros added before and after each spatial axis, when `padding` is "explicit".
    public var pads: SidePadding?
    /// True when the channel axis comes before the spatial axes.
    /// With `same` padding, the odd extra cell goes before rather than after (ONNX's
    /// `SAME_LOWER`); the output shape is the same.
    public var sameLower = false
    public let channelsFirst: Bool
    /// The class or op type as the file names it, for error messages.
    public let className: String


    /// The input layout expected, for error messages: `(batch, height, width, channels)`.
    public var layoutDescription: String {
        let names = rank == 1 ? ["steps"] : rank == 2 ? ["height", "width"] : ["depth", "height", "width"]
        let axes = channelsFirst ? ["batch", "channels"] + names : ["batch"] + names + ["channels"]
        return "(" + axes.joined(separator: ", ") + ")"
    }

    /// Checks the input's rank and splits it into spatial dimensions and channels.
    public func split(_ input: TensorShape) throws -> (spatial: [Int?], channels: Int?) {
        guard input.rank == rank + 2 else {
            throw LayerError("\(className) expects an input of rank \(rank + 2) \(layoutDescription), found \(input)")
        }
        if channelsFirst { return (Array(input.dims[2...]), input.dims[1]) }
        return (Array(input.dims[1..<(rank + 1)]), input.dims[rank + 1])
    }

    /// The input's channel count; an error when it is unknown (the kernel's shape depends on it).
    public func channels(_ input: TensorShape) throws -> Int {
        guard let c = try split(input).channels else {
            throw LayerError("\(className) needs a known channel count (axis \(channelsFirst ? 1 : rank + 1)) in input \(input)")
        }
        return c
    }

    /// Assembles an output shape from the batch, spatial dims and channel count.
    public func shape(batch: Int?, spatial: [Int?], channels: Int?) -> TensorShape {
        channelsFirst ? TensorShape([batch, channels] + spatial) : TensorShape([batch] + spatial + [channels])
    }

    /// Effective kernel extent along `axis`: `(k - 1) * dilation + 1`.
    func effectiveKernel(_ axis: Int) throws -> Int {
        let (m, o1) = (kernelSize[axis] - 1).multipliedReportingOverflow(by: dilation[axis])
        let (e, o2) = m.addingReportingOverflow(1)
        guard !o1, !o2 else { throw LayerError("\(className): kernel size \(kernelSize) with dilation \(dilation) is too large") }
        return e
    }

    /// Spatial output of a forward convolution, `eff` the dilated kernel extent: valid:
    /// `floor((L - eff) / s) + 1`, an error when the window does not fit; same and causal:
    /// `floor((L - 1) / s) + 1`. Unknown stays unknown.
    public func convolutionOutput(_ input: TensorShape) throws -> [Int?] {
        let (spatial, _) = try split(input)
        var out: [Int?] = []
        for (axis, length) in spatial.enumerated() {
            guard let length else { out.append(nil); continue }
            let eff = try effectiveKernel(axis)
            switch padding {
            case "explicit":
                guard let pads, axis < pads.before.count, axis < pads.after.count else {
                    throw LayerError("\(className): explicit padding without amounts for spatial axis \(axis)")
                }
                let padded = length + pads.before[axis] + pads.after[axis]
                guard padded >= eff else {
                    throw LayerError("\(className): the window (kernel size \(kernelSize), dilation \(dilation)) is larger than the input \(input) padded by \(pads.before) before and \(pads.after) after")
                }
                out.append((padded - eff) / strides[axis] + 1)
            case "valid":
                guard length >= eff else {
                    throw LayerError("\(className): the window (kernel size \(kernelSize), dilation \(dilation)) is larger than the input \(input) with padding \"valid\": output size would be zero or negative")
                }
                out.append((length - eff) / strides[axis] + 1)
            default:
                out.append(length == 0 ? 0 : (length - 1) / strides[axis] + 1)
            }
        }
        return out
    }

    /// Spatial output of a transposed convolution, `eff` the dilated kernel extent and `op`
    /// the optional output padding: valid: `(L - 1) * s + eff + (op ?? max(eff, s) - eff)`;
    /// same: `L * s` without `op`, else `(L - 1) * s + eff % 2 + op`.
    public func transposeOutput(_ input: TensorShape, outputPadding: [Int]?) throws -> [Int?] {
        let (spatial, _) = try split(input)
        var out: [Int?] = []
        for (axis, length) in spatial.enumerated() {
            guard let length else { out.append(nil); continue }
            let eff = try effectiveKernel(axis)
            let s = strides[axis]
            let op = outputPadding?[axis]
            let value: Int?
            if padding == "explicit" {
                let before = pads.map { axis < $0.before.count ? $0.before[axis] : 0 } ?? 0
                let after = pads.map { axis < $0.after.count ? $0.after[axis] : 0 } ?? 0
                value = ConvolutionGeometry.add(ConvolutionGeometry.add(ConvolutionGeometry.mul(length - 1, s), eff), (op ?? 0) - before - after)
            } else if padding == "same" {
                value = op.map { ConvolutionGeometry.add(ConvolutionGeometry.mul(length - 1, s), eff % 2 + $0) } ?? ConvolutionGeometry.mul(length, s)
            } else {
                value = ConvolutionGeometry.add(ConvolutionGeometry.add(ConvolutionGeometry.mul(length - 1, s), eff), op ?? (max(eff, s) - eff))
            }
            guard let value else { throw LayerError("\(className): output size overflows for input \(input)") }
            guard value >= 0 else { throw LayerError("\(className): output size would be negative (\(value)) for input \(input)") }
            out.append(value)
        }
        return out
    }

    static func mul(_ a: Int, _ b: Int) -> Int? {
        let (v, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : v
    }

    static func add(_ a: Int?, _ b: Int) -> Int? {
        guard let a else { return nil }
        let (v, o) = a.addingReportingOverflow(b)
        return o ? nil : v
    }

    /// Product of the kernel sizes; nil on overflow.
    public var kernelVolume: Int? { checkedProduct(kernelSize) }

    /// A geometry with explicit per-side padding.
    public init(rank: Int, kernelSize: [Int], strides: [Int], dilation: [Int], pads: SidePadding, channelsFirst: Bool, className: String) {
        self.init(rank: rank, kernelSize: kernelSize, strides: strides, dilation: dilation, padding: "explicit",
                  channelsFirst: channelsFirst, className: className)
        self.pads = pads
    }

    /// Every property, as a reader sets them.
    public init(rank: Int, kernelSize: [Int], strides: [Int], dilation: [Int], padding: String, channelsFirst: Bool, className: String) {
        self.rank = rank
        self.kernelSize = kernelSize
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
        self.channelsFirst = channelsFirst
        self.className = className
    }
}

/// Zeros added before and after each spatial axis of a window operation.
public struct SidePadding: Sendable, Hashable {
    public var before: [Int]
    public var after: [Int]
    public init(before: [Int], after: [Int]) {
        self.before = before
        self.after = after
    }
}
