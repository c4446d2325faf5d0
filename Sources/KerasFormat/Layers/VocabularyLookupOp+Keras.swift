import ModelKit

extension VocabularyLookupOp {
    /// IntegerLookup (keras/src/layers/preprocessing/integer_lookup.py over index_lookup.py):
    /// `vocabulary` (a list of integers in the config; one learnt by `adapt` is in the file's
    /// assets, which `assetVocabulary` passes in), `num_oov_indices` (out-of-vocabulary keys
    /// hashed by `floormod`), `mask_token`, `oov_token`, `invert`, `output_mode` (`int`,
    /// `one_hot`, `multi_hot`, `count`) and `pad_to_max_tokens` with `max_tokens`. A
    /// vocabulary that starts with the special tokens (`[mask] + [oov] * n`) has them removed,
    /// as `set_vocabulary` does.
    init(integerLookup config: LayerConfig, assetVocabulary: [Int]? = nil) throws {
        let buckets = try config.int("num_oov_indices", default: 1)
        guard buckets >= 0 else { throw config.error("num_oov_indices", "must be 0 or more, found \(buckets)") }
        let mask = try config.optionalInt("mask_token")
        let oov = try config.optionalInt("oov_token") ?? -1
        let invert = try config.bool("invert", default: false)
        let modeName = try config.string("output_mode", default: "int")
        guard let mode = Encoding(rawValue: modeName) else {
            throw config.error("output_mode", "\"\(modeName)\" is not run (int, one_hot, multi_hot and count are)")
        }
        if invert && mode != .int { throw config.error("output_mode", "must be \"int\" with invert, found \"\(modeName)\"") }
        if config["oov_method"]?.stringValue == "farmhash" && buckets > 1 {
            throw config.error("oov_method", "\"farmhash\" is not run (floormod is)")
        }
        var vocabulary: [Int]
        if let given = try config.intList("vocabulary") {
            vocabulary = given
        } else if let assetVocabulary {
            vocabulary = assetVocabulary
        } else if config["vocabulary"]?.stringValue != nil {
            throw config.error("vocabulary", "names a file outside the model; only a vocabulary stored in the model is read")
        } else if let size = try config.optionalInt("vocabulary_size"), size >= 0 {
            // A config saved without its archive: the size is known, the keys are not.
            var depth = size
            if try config.bool("pad_to_max_tokens", default: false), let m = try config.optionalInt("max_tokens") { depth = m }
            self.init(vocabulary: [], oovBuckets: buckets, maskKey: mask, oovKey: oov, invert: invert, encoding: mode, depth: depth)
            missingVocabulary = true
            return
        } else {
            throw config.error("vocabulary", "is not in the config and the file has no stored vocabulary for this layer (a config without its .keras file does not say it)")
        }
        let oovStart = mask != nil && mode == .int ? 1 : 0
        let special = Array(repeating: mask ?? 0, count: oovStart) + Array(repeating: oov, count: buckets)
        if vocabulary.count >= special.count, Array(vocabulary.prefix(special.count)) == special {
            vocabulary.removeFirst(special.count)
        }
        if Set(vocabulary).count != vocabulary.count {
            throw config.error("vocabulary", "repeats a key")
        }
        var depth: Int?
        if try config.bool("pad_to_max_tokens", default: false), let m = try config.optionalInt("max_tokens") { depth = m }
        self.init(vocabulary: vocabulary, oovBuckets: buckets, maskKey: mask, oovKey: oov, invert: invert, encoding: mode, depth: depth)
    }

    /// CategoryEncoding (keras/src/layers/preprocessing/category_encoding.py): `num_tokens`,
    /// `output_mode` (`one_hot`, `multi_hot`, `count`); every id must be in 0..<num_tokens.
    init(categoryEncoding config: LayerConfig) throws {
        let n = try config.positiveInt("num_tokens")
        let modeName = try config.string("output_mode", default: "multi_hot")
        guard let mode = Encoding(rawValue: modeName), mode != .int else {
            throw config.error("output_mode", "\"\(modeName)\" is not one of one_hot, multi_hot, count")
        }
        self.init(vocabulary: nil, oovBuckets: 0, maskKey: nil, oovKey: -1, invert: false, encoding: mode, depth: n)
    }
}

extension ContrastStretchOp {
    /// AutoContrast (keras/src/layers/preprocessing/image_preprocessing/auto_contrast.py):
    /// `value_range` (default [0, 255]).
    init(autoContrast config: LayerConfig) throws {
        var range: [Double] = [0, 255]
        if let v = config["value_range"]?.arrayValue {
            let numbers = v.compactMap(\.doubleValue)
            guard numbers.count == 2, numbers[0] < numbers[1] else {
                throw config.error("value_range", "must be two increasing numbers, found \(v.count) value(s)")
            }
            range = numbers
        }
        self.init(valueRange: (Float(range[0]), Float(range[1])))
    }
}

extension SpectralNormalizationOp {
    /// SpectralNormalization (keras/src/layers/normalization/spectral_normalization.py):
    /// `layer`, `power_iterations` (training only). Keras 3 stores the wrapped kernel a second
    /// time among the wrapper's own variables; the weight reader skips that copy.
    init(config: LayerConfig) throws {
        let iterations = try config.int("power_iterations", default: 1)
        guard iterations > 0 else { throw config.error("power_iterations", "must be positive, found \(iterations)") }
        self.init(inner: try WrappedLayer(config, key: "layer"))
    }
}
