import ModelKit

extension ConvolutionSpectrogramOp {
    /// STFTSpectrogram (keras/src/layers/preprocessing/stft_spectrogram.py): `mode`,
    /// `frame_length`, `frame_step` (default frame_length / 2), `fft_length` (default the next
    /// power of two), `padding`, `expand_dims`, `data_format`. The window, `periodic` and
    /// `scaling` shape the stored kernels only, which the file holds.
    init(config: LayerConfig) throws {
        let modeName = try config.string("mode", default: "log")
        guard let mode = Mode(rawValue: modeName) else {
            throw config.error("mode", "\"\(modeName)\" is not one of log, magnitude, psd, real, imag, angle, stft")
        }
        let length = try config.int("frame_length", default: 256)
        guard length >= 1 else { throw config.error("frame_length", "must be positive, found \(length)") }
        let step = try config.optionalInt("frame_step") ?? length / 2
        guard step >= 1, step <= length else { throw config.error("frame_step", "must be in 1...\(length), found \(step)") }
        var fft = 1
        while fft < length { fft *= 2 }
        if let given = try config.optionalInt("fft_length") {
            guard given >= length else { throw config.error("fft_length", "must be at least frame_length \(length), found \(given)") }
            fft = given
        }
        let padding = try config.string("padding", default: "valid")
        guard padding == "valid" || padding == "same" else { throw config.error("padding", "must be valid or same, found \"\(padding)\"") }
        self.init(mode: mode, frameLength: length, frameStep: step, fftLength: fft, samePadding: padding == "same",
                  expandDims: try config.bool("expand_dims", default: false), channelsFirst: try config.channelsFirst())
    }
}

extension MelSpectrogramOp {
    /// MelSpectrogram (keras/src/layers/preprocessing/mel_spectrogram.py): `fft_length`,
    /// `sequence_stride`, `sequence_length` (default fft_length), `window` (hann, hamming or
    /// null), `sampling_rate`, `num_mel_bins`, `min_freq`, `max_freq` (default half the
    /// sampling rate), `power_to_db`, `top_db`, `mag_exp`, `min_power`, `ref_power`.
    init(config: LayerConfig) throws {
        let fft = try config.int("fft_length", default: 2048)
        let stride = try config.int("sequence_stride", default: 512)
        let length = try config.optionalInt("sequence_length") ?? fft
        guard fft >= 1, stride >= 1, length >= 1, length <= fft else {
            throw config.error("sequence_length", "needs 1 <= sequence_length <= fft_length and a positive stride, found \(length), \(fft), \(stride)")
        }
        let window = config.has("window") ? try config.optionalString("window") : "hann"
        if let w = window, w != "hann", w != "hamming" { throw config.error("window", "must be hann, hamming or null, found \"\(w)\"") }
        let rate = try config.double("sampling_rate", default: 16000)
        let bins = try config.int("num_mel_bins", default: 128)
        guard bins >= 1, rate > 0 else { throw config.error("num_mel_bins", "needs a positive count and sampling rate") }
        let maxFrequency = config["max_freq"]?.doubleValue ?? Double(Int(rate / 2))
        let topDB = config.has("top_db") ? config["top_db"]?.doubleValue : 80
        self.init(fftLength: fft, stride: stride, windowLength: length, window: window, samplingRate: rate, melBins: bins,
                  minFrequency: try config.double("min_freq", default: 20), maxFrequency: maxFrequency,
                  toDecibels: try config.bool("power_to_db", default: true), topDB: topDB,
                  magnitudePower: try config.double("mag_exp", default: 2), minPower: try config.double("min_power", default: 1e-10),
                  refPower: try config.double("ref_power", default: 1))
    }
}

extension AdaptiveEqualizationOp {
    /// ContrastLimitedAdaptiveHistogramEqualization
    /// (keras/src/layers/preprocessing/image_preprocessing/clahe.py): `value_range`,
    /// `clip_limit`, `tile_grid_size`, `data_format`.
    init(config: LayerConfig) throws {
        var range: [Double] = [0, 255]
        if let v = config["value_range"]?.arrayValue {
            let numbers = v.compactMap(\.doubleValue)
            guard numbers.count == 2, numbers[0] != numbers[1] else { throw config.error("value_range", "must be two different numbers") }
            range = numbers
        }
        let grid = try config.intTuple("tile_grid_size", count: 2, default: [8, 8])
        self.init(valueRange: (Float(range[0]), Float(range[1])), clipLimit: Float(try config.double("clip_limit", default: 4)),
                  grid: (grid[0], grid[1]), channelsFirst: try config.channelsFirst())
    }
}
