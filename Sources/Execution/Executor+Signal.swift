import Foundation
import ModelKit
import Kernels

/// Spectrograms and contrast-limited adaptive histogram equalization, as Keras computes them
/// at inference.
extension Executor {
    /// STFTSpectrogram: each channel convolved (stride `frameStep`, valid or TensorFlow-same
    /// padding) with the stored real and imaginary kernels, then the mode's combination.
    func runConvolutionSpectrogram(_ layer: Layer, _ k: ConvolutionSpectrogramOp, _ x: Tensor) throws -> Tensor {
        guard x.shape.count == 3 else { throw fail(layer, "expects signals (batch, time, channels), given \(x.shape)") }
        let w = try params(layer, (k.usesReal ? 1 : 0) + (k.usesImag ? 1 : 0))
        let bins = k.bins, length = k.frameLength
        for kernel in w where kernel.shape != [length, 1, bins] {
            throw fail(layer, "kernel \(kernel.shape) is not (\(length), 1, \(bins))")
        }
        let realKernel = k.usesReal ? w[0] : nil, imagKernel = k.usesImag ? w[k.usesReal ? 1 : 0] : nil
        let (b, t, c) = k.channelsFirst ? (x.shape[0], x.shape[2], x.shape[1]) : (x.shape[0], x.shape[1], x.shape[2])
        let frames = k.frames(t) ?? 0
        let padBefore = k.samePadding ? max((frames - 1) * k.frameStep + length - t, 0) / 2 : 0
        let outBins = k.outputBins
        // (batch, channel, bin, frame), as Keras's _apply_conv leaves it.
        var spec = [Float](repeating: 0, count: b * c * outBins * frames)
        var re = [Double](repeating: 0, count: bins), im = [Double](repeating: 0, count: bins)
        for n in 0..<b {
            for ch in 0..<c {
                for f in 0..<frames {
                    for j in 0..<bins { re[j] = 0; im[j] = 0 }
                    for s in 0..<length {
                        let pos = f * k.frameStep + s - padBefore
                        guard pos >= 0 && pos < t else { continue }
                        let v = Double(k.channelsFirst ? x.data[(n * c + ch) * t + pos] : x.data[(n * t + pos) * c + ch])
                        if let r = realKernel { for j in 0..<bins { re[j] += v * Double(r.data[s * bins + j]) } }
                        if let i = imagKernel { for j in 0..<bins { im[j] += v * Double(i.data[s * bins + j]) } }
                    }
                    let base = (n * c + ch) * outBins * frames
                    for j in 0..<bins {
                        let power = re[j] * re[j] + im[j] * im[j]
                        let value: Double
                        switch k.mode {
                        case .real: value = re[j]
                        case .imag: value = im[j]
                        case .angle: value = atan2(im[j], re[j])
                        case .stft:
                            spec[base + j * frames + f] = Float(re[j])
                            spec[base + (bins + j) * frames + f] = Float(im[j])
                            continue
                        case .psd: value = j > 0 && j < bins - 1 ? 2 * power : power
                        case .magnitude: value = max(power, 1e-7).squareRoot()
                        case .log: value = log(max(max(power, 1e-7).squareRoot(), 1e-7))
                        }
                        spec[base + j * frames + f] = Float(value)
                    }
                }
            }
        }
        // Keras's _adjust_shapes.
        var out = [Float](repeating: 0, count: spec.count)
        for n in 0..<b {
            for ch in 0..<c {
                for j in 0..<outBins {
                    for f in 0..<frames {
                        let v = spec[((n * c + ch) * outBins + j) * frames + f]
                        let o: Int
                        switch (k.channelsFirst, k.expandDims) {
                        case (false, false): o = (n * frames + f) * (c * outBins) + ch * outBins + j
                        case (false, true): o = ((n * frames + f) * outBins + j) * c + ch
                        case (true, false): o = (n * c * outBins + ch * outBins + j) * frames + f
                        case (true, true): o = ((n * c + ch) * frames + f) * outBins + j
                        }
                        out[o] = v
                    }
                }
            }
        }
        let shape: [Int]
        switch (k.channelsFirst, k.expandDims) {
        case (false, false): shape = [b, frames, c * outBins]
        case (false, true): shape = [b, frames, outBins, c]
        case (true, false): shape = [b, c * outBins, frames]
        case (true, true): shape = [b, c, frames, outBins]
        }
        return Tensor(shape: shape, data: out)
    }

    /// MelSpectrogram: reflect-padded frames, periodic window centred in the FFT length, the
    /// transform's magnitudes to the power, the mel bands, decibels floored at the maximum
    /// over the whole batch minus top_db; `(batch, mel, frames)`.
    func runMelSpectrogram(_ layer: Layer, _ k: MelSpectrogramOp, _ x: Tensor) throws -> Tensor {
        guard x.shape.count == 1 || x.shape.count == 2 else { throw fail(layer, "expects signals (batch, time), given \(x.shape)") }
        let unbatched = x.shape.count == 1
        let (b, t) = unbatched ? (1, x.shape[0]) : (x.shape[0], x.shape[1])
        let n = k.fftLength, half = n / 2
        guard t > half else { throw fail(layer, "a signal of \(t) samples is too short to reflect by \(half) (fft_length / 2)") }
        let frames = k.frames(t), bins = n / 2 + 1
        // Periodic window of windowLength, centred in n.
        var window = [Double](repeating: k.window == nil ? 1 : 0, count: n)
        if let name = k.window {
            let l = k.windowLength, lPad = (n - l) / 2
            let (a0, a1) = name == "hamming" ? (0.54, 0.46) : (0.5, 0.5)
            for i in 0..<l { window[lPad + i] = a0 - a1 * cos(2 * Double.pi * Double(i) / Double(l)) }
        }
        let mel = Self.melMatrix(k, bins: bins)
        let table = DFTTable(n)
        var out = [Double](repeating: 0, count: b * k.melBins * frames)
        var frame = [Double](repeating: 0, count: n)
        var magnitude = [Double](repeating: 0, count: bins)
        for s in 0..<b {
            for f in 0..<frames {
                for i in 0..<n {
                    // Position in the reflect-padded signal.
                    var p = f * k.stride + i - half
                    if p < 0 { p = -p }
                    if p >= t { p = 2 * (t - 1) - p }
                    frame[i] = Double(x.data[s * t + p]) * window[i]
                }
                table.magnitudes(frame, into: &magnitude)
                for j in 0..<bins { magnitude[j] = pow(magnitude[j], k.magnitudePower) }
                for m in 0..<k.melBins {
                    var acc = 0.0
                    for j in 0..<bins { acc += magnitude[j] * mel[j * k.melBins + m] }
                    out[(s * k.melBins + m) * frames + f] = acc
                }
            }
        }
        if k.toDecibels {
            let ref = 10 * log10(max(abs(k.refPower), k.minPower))
            for i in out.indices { out[i] = 10 * log10(max(out[i], k.minPower)) - ref }
            if let top = k.topDB, let peak = out.max() {
                for i in out.indices { out[i] = max(out[i], peak - top) }
            }
        }
        return Tensor(shape: unbatched ? [k.melBins, frames] : [b, k.melBins, frames], data: out.map { Float($0) })
    }

    /// Keras's `linear_to_mel_weight_matrix`: `(bins, melBins)`, the first (DC) row zero.
    static func melMatrix(_ k: MelSpectrogramOp, bins: Int) -> [Double] {
        func mel(_ hz: Double) -> Double { 1127.0 * log(1 + hz / 700.0) }
        let nyquist = k.samplingRate / 2
        let low = mel(k.minFrequency), high = mel(k.maxFrequency)
        let edges = (0..<(k.melBins + 2)).map { low + (high - low) * Double($0) / Double(k.melBins + 1) }
        var m = [Double](repeating: 0, count: bins * k.melBins)
        for j in 1..<bins {
            let hz = nyquist * Double(j) / Double(bins - 1)
            let v = mel(hz)
            for band in 0..<k.melBins {
                let lower = (v - edges[band]) / (edges[band + 1] - edges[band])
                let upper = (edges[band + 2] - v) / (edges[band + 2] - edges[band + 1])
                m[j * k.melBins + band] = max(0, min(lower, upper))
            }
        }
        return m
    }

    /// CLAHE as Keras's `_clahe`: values to 0...255, tiles padded by mirroring, clipped
    /// per-tile histograms turned into tables, each pixel the bilinear blend of four tiles'
    /// tables (the grid extended by one tile on each side with its edge tiles), back to range.
    func runAdaptiveEqualization(_ layer: Layer, _ k: AdaptiveEqualizationOp, _ input: Tensor) throws -> Tensor {
        guard input.shape.count == 4 else { throw fail(layer, "expects images (batch, height, width, channels), given \(input.shape)") }
        let x = k.channelsFirst ? input.permuted([0, 2, 3, 1]) : input
        let (b, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (gh, gw) = k.grid
        guard gh > 0, gw > 0 else { throw fail(layer, "tile_grid_size must be positive") }
        let th = (h + gh - 1) / gh, tw = (w + gw - 1) / gw
        let ph = th * gh, pw = tw * gw
        let (lo, hi) = k.valueRange
        // Values in 0...255 on the padded grid (numpy "symmetric" mirroring past the edge).
        func mirror(_ i: Int, _ n: Int) -> Int { i < n ? i : max(0, 2 * n - 1 - i) }
        var padded = [Float](repeating: 0, count: b * ph * pw * c)
        for n in 0..<b { for y in 0..<ph { for xx in 0..<pw { for ch in 0..<c {
            let v = x.data[((n * h + mirror(y, h)) * w + mirror(xx, w)) * c + ch]
            padded[((n * ph + y) * pw + xx) * c + ch] = (v - lo) / (hi - lo) * 255
        } } } }
        // Tables per (batch, tile row + 1, tile column + 1, channel), edges repeated.
        let rows = gh + 2, cols = gw + 2
        var tables = [Float](repeating: 0, count: b * rows * cols * c * 256)
        let pixels = Float(th * tw)
        for n in 0..<b { for ty in 0..<gh { for tx in 0..<gw { for ch in 0..<c {
            var hist = [Float](repeating: 0, count: 256)
            for y in 0..<th { for xx in 0..<tw {
                let v = padded[((n * ph + ty * th + y) * pw + tx * tw + xx) * c + ch]
                hist[Int(max(0, min(255, Int(v))))] += 1
            } }
            if k.clipLimit > 0 {
                let limit = k.clipLimit * pixels / 256
                var excess: Float = 0
                for i in 0..<256 { let clipped = min(max(hist[i], 0), limit); excess += hist[i] - clipped; hist[i] = clipped }
                for i in 0..<256 { hist[i] += excess / 256 }
            }
            var cdf = [Float](repeating: 0, count: 256)
            var run: Float = 0
            for i in 0..<256 { run += hist[i]; cdf[i] = run }
            let cdfMin = cdf.min() ?? 0
            var denominator = pixels - cdfMin
            if denominator == 0 { denominator = 1 }
            for i in 0..<256 { cdf[i] = min(max((cdf[i] - cdfMin) * 255 / denominator, 0), 255) }
            for ry in [ty + 1] + (ty == 0 ? [0] : []) + (ty == gh - 1 ? [gh + 1] : []) {
                for rx in [tx + 1] + (tx == 0 ? [0] : []) + (tx == gw - 1 ? [gw + 1] : []) {
                    let base = (((n * rows + ry) * cols + rx) * c + ch) * 256
                    for i in 0..<256 { tables[base + i] = cdf[i] }
                }
            }
        } } } }
        var out = [Float](repeating: 0, count: b * h * w * c)
        for n in 0..<b {
            for y in 0..<h {
                let gy = (Float(y) - Float(th) / 2) / Float(th) + 1
                let y0f = gy.rounded(.down), wy = gy - y0f
                let y0 = Int(min(max(y0f, 0), Float(gh + 1))), y1 = Int(min(max(y0f + 1, 0), Float(gh + 1)))
                for xx in 0..<w {
                    let gx = (Float(xx) - Float(tw) / 2) / Float(tw) + 1
                    let x0f = gx.rounded(.down), wx = gx - x0f
                    let x0 = Int(min(max(x0f, 0), Float(gw + 1))), x1 = Int(min(max(x0f + 1, 0), Float(gw + 1)))
                    for ch in 0..<c {
                        let p = Int(min(max(padded[((n * ph + y) * pw + xx) * c + ch], 0), 255))
                        func t(_ ry: Int, _ rx: Int) -> Float { tables[(((n * rows + ry) * cols + rx) * c + ch) * 256 + p] }
                        let top = t(y0, x0) * (1 - wx) + t(y0, x1) * wx
                        let bottom = t(y1, x0) * (1 - wx) + t(y1, x1) * wx
                        let v = top * (1 - wy) + bottom * wy
                        out[((n * h + y) * w + xx) * c + ch] = v / 255 * (hi - lo) + lo
                    }
                }
            }
        }
        let result = Tensor(shape: [b, h, w, c], data: out)
        return k.channelsFirst ? result.permuted([0, 3, 1, 2]) : result
    }
}

/// A real transform's magnitudes, |DFT|, for one length: a radix-2 FFT when the length is a
/// power of two, else a direct transform with precomputed twiddles.
struct DFTTable {
    let n: Int
    let cosines: [Double]
    let sines: [Double]

    init(_ n: Int) {
        self.n = n
        cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
    }

    /// |X[j]| for j in 0...n/2.
    func magnitudes(_ x: [Double], into out: inout [Double]) {
        let bins = n / 2 + 1
        if n > 1 && n & (n - 1) == 0 {
            var re = x, im = [Double](repeating: 0, count: n)
            // Bit-reversal permutation, then butterflies.
            var j = 0
            for i in 1..<n {
                var bit = n >> 1
                while j & bit != 0 { j ^= bit; bit >>= 1 }
                j |= bit
                if i < j { re.swapAt(i, j); im.swapAt(i, j) }
            }
            var size = 2
            while size <= n {
                let step = n / size
                for start in Swift.stride(from: 0, to: n, by: size) {
                    for k in 0..<(size / 2) {
                        let c = cosines[k * step], s = -sines[k * step]
                        let a = start + k, b = a + size / 2
                        let tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c
                        re[b] = re[a] - tr; im[b] = im[a] - ti
                        re[a] += tr; im[a] += ti
                    }
                }
                size <<= 1
            }
            for k in 0..<bins { out[k] = (re[k] * re[k] + im[k] * im[k]).squareRoot() }
            return
        }
        for k in 0..<bins {
            var re = 0.0, im = 0.0
            for t in 0..<n {
                let idx = (k * t) % n
                re += x[t] * cosines[idx]
                im -= x[t] * sines[idx]
            }
            out[k] = (re * re + im * im).squareRoot()
        }
    }
}
