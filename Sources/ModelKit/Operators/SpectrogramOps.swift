/// A short-time Fourier transform computed as a strided 1-D convolution of each channel with
/// stored kernels (Keras's STFTSpectrogram): `realKernel` and `imagKernel`
/// `(frameLength, 1, bins)`, bins = fftLength / 2 + 1, hold the windowed cosines and sines.
/// Input `(batch, time, channels)` (channels first: `(batch, channels, time)`). Per channel
/// and frame: real `r`, imaginary `i`; then `real`, `imag`, `angle` (atan2(i, r)), `stft`
/// (r then i: 2·bins values), `psd` (r² + i², the interior bins doubled), `magnitude`
/// (√max(r² + i², ε)) or `log` (its logarithm, ε = 1e-7).
/// Output: `(batch, frames, channels·bins)` (channels first `(batch, channels·bins, frames)`);
/// with `expandDims` `(batch, frames, bins, channels)` (channels first `(batch, channels,
/// frames, bins)`).
/// Weights: the kernels the mode uses (`real` none for the imaginary part, `imag` none for
/// the real one). MACs: the convolutions.
public struct ConvolutionSpectrogramOp: Operator {
    public enum Mode: String, Sendable { case log, magnitude, psd, real, imag, angle, stft }
    public var family: String { "spectrogram" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let mode: Mode
    public let frameLength: Int
    public let frameStep: Int
    public let fftLength: Int
    public let samePadding: Bool
    public let expandDims: Bool
    public let channelsFirst: Bool

    public init(mode: Mode, frameLength: Int, frameStep: Int, fftLength: Int, samePadding: Bool, expandDims: Bool, channelsFirst: Bool) {
        self.mode = mode
        self.frameLength = frameLength
        self.frameStep = frameStep
        self.fftLength = fftLength
        self.samePadding = samePadding
        self.expandDims = expandDims
        self.channelsFirst = channelsFirst
    }

    public var bins: Int { fftLength / 2 + 1 }
    /// Frequency values per channel and frame in the output.
    public var outputBins: Int { mode == .stft ? 2 * bins : bins }
    public var usesReal: Bool { mode != .imag }
    public var usesImag: Bool { mode != .real }

    /// Frames for `time` samples.
    public func frames(_ time: Int?) -> Int? {
        guard let time else { return nil }
        if samePadding { return (time + frameStep - 1) / frameStep }
        return time >= frameLength ? (time - frameLength) / frameStep + 1 : 0
    }

    func parts(_ inputs: [TensorShape]) throws -> (batch: Int?, time: Int?, channels: Int?) {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank == 3 else { throw LayerError("needs (batch, time, channels) signals, found \(x)") }
        return channelsFirst ? (x[0], x[2], x[1]) : (x[0], x[1], x[2])
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let (b, t, c) = try parts(inputs)
        let f = frames(t)
        if expandDims { return [TensorShape(channelsFirst ? [b, c, f, outputBins] : [b, f, outputBins, c])] }
        let width = c.map { $0 * outputBins }
        return [TensorShape(channelsFirst ? [b, width, f] : [b, f, width])]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        (usesReal ? [WeightSpec("real_kernel", [frameLength, 1, bins])] : [])
            + (usesImag ? [WeightSpec("imag_kernel", [frameLength, 1, bins])] : [])
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let (_, t, c) = try? parts(inputs), let f = frames(t), let c else { return nil }
        return checkedProduct([c, f, frameLength, bins, (usesReal ? 1 : 0) + (usesImag ? 1 : 0)])
    }
}

/// A mel spectrogram (Keras's MelSpectrogram): the signal `(batch, time)` reflected by
/// fftLength/2 at both ends, cut into frames of fftLength every `stride` samples, each
/// multiplied by a periodic Hann or Hamming window of `windowLength` centred in the frame,
/// Fourier-transformed; magnitudes raised to `magnitudePower`, mapped onto `melBins` triangular
/// mel bands between `minFrequency` and `maxFrequency` (HTK mel scale, as
/// `linear_to_mel_weight_matrix`), optionally in decibels
/// (`10·log10(max(x, minPower)) - 10·log10(max(|refPower|, minPower))`, floored at the
/// whole output's maximum minus `topDB`). Output `(batch, melBins, frames)`.
/// No weights. MACs: the transforms (counted as direct DFTs) and the mel products.
public struct MelSpectrogramOp: Operator {
    public var family: String { "mel_spectrogram" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let fftLength: Int
    public let stride: Int
    public let windowLength: Int
    /// "hann", "hamming" or nil (no window).
    public let window: String?
    public let samplingRate: Double
    public let melBins: Int
    public let minFrequency: Double
    public let maxFrequency: Double
    public let toDecibels: Bool
    public let topDB: Double?
    public let magnitudePower: Double
    public let minPower: Double
    public let refPower: Double

    public init(fftLength: Int, stride: Int, windowLength: Int, window: String?, samplingRate: Double, melBins: Int, minFrequency: Double,
                maxFrequency: Double, toDecibels: Bool, topDB: Double?, magnitudePower: Double, minPower: Double, refPower: Double) {
        self.fftLength = fftLength
        self.stride = stride
        self.windowLength = windowLength
        self.window = window
        self.samplingRate = samplingRate
        self.melBins = melBins
        self.minFrequency = minFrequency
        self.maxFrequency = maxFrequency
        self.toDecibels = toDecibels
        self.topDB = topDB
        self.magnitudePower = magnitudePower
        self.minPower = minPower
        self.refPower = refPower
    }

    /// Frames a run gives for `time` samples (after the reflection padding).
    public func frames(_ time: Int) -> Int { 1 + (time + 2 * (fftLength / 2) - fftLength) / stride }

    /// Keras's declared shape (`compute_output_shape`): `(batch, melBins, (time + stride + 1) / stride)`.
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank == 1 || x.rank == 2 else { throw LayerError("needs signals (batch, time), found \(x)") }
        let t = x.dims.last ?? nil
        let f = t.map { ($0 + stride + 1) / stride }
        return [TensorShape(x.rank == 1 ? [melBins, f] : [x[0], melBins, f])]
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let x = inputs.first, let t = x.dims.last ?? nil else { return nil }
        let bins = fftLength / 2 + 1
        return checkedProduct([frames(t), bins, fftLength + melBins])
    }
}

/// Contrast-limited adaptive histogram equalization (Keras's
/// ContrastLimitedAdaptiveHistogramEqualization): each image (values moved to 0...255) is
/// cut into a grid of tiles (padded by mirroring to whole tiles); each tile's 256-bin
/// histogram per channel is clipped at `clipLimit`·pixels/256 (the excess spread evenly) and
/// turned into a lookup table; each pixel takes the bilinear blend of the four nearest tiles'
/// tables at its value; values moved back to the range. Input `(batch, height, width,
/// channels)` (channels first: `(batch, channels, height, width)`); same shape out.
/// No weights; MACs 0.
public struct AdaptiveEqualizationOp: Operator {
    public var family: String { "adaptive_histogram_equalization" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let valueRange: (low: Float, high: Float)
    public let clipLimit: Float
    public let grid: (rows: Int, columns: Int)
    public let channelsFirst: Bool

    public init(valueRange: (low: Float, high: Float), clipLimit: Float, grid: (rows: Int, columns: Int), channelsFirst: Bool) {
        self.valueRange = valueRange
        self.clipLimit = clipLimit
        self.grid = grid
        self.channelsFirst = channelsFirst
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank == 4 else { throw LayerError("needs images (batch, height, width, channels), found \(x)") }
        return [x]
    }
}
