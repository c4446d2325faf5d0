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

    /// StringLookup (keras/src/layers/preprocessing/string_lookup.py over index_lookup.py):
    /// as IntegerLookup with string keys: `vocabulary` (strings; one learnt by `adapt` is in
    /// the archive's assets), `num_oov_indices` (an unknown string's index is its FarmHash
    /// fingerprint modulo them), `mask_token` (default none), `oov_token` (default `[UNK]`),
    /// `invert` (indices back to strings), `output_mode`, `pad_to_max_tokens`/`max_tokens`.
    /// `defaults` gives the mask token a containing layer sets (TextVectorization: "").
    init(stringLookup config: LayerConfig, maskDefault: String? = nil) throws {
        let buckets = try config.int("num_oov_indices", default: 1)
        guard buckets >= 0 else { throw config.error("num_oov_indices", "must be 0 or more, found \(buckets)") }
        let mask = config.has("mask_token") && config["mask_token"]?.isNull == false ? try config.string("mask_token") : maskDefault
        let oov = try config.optionalString("oov_token") ?? "[UNK]"
        let invert = try config.bool("invert", default: false)
        let modeName = try config.string("output_mode", default: "int")
        guard let mode = Encoding(rawValue: modeName) else {
            throw config.error("output_mode", "\"\(modeName)\" is not run (int, one_hot, multi_hot and count are)")
        }
        if invert && mode != .int { throw config.error("output_mode", "must be \"int\" with invert, found \"\(modeName)\"") }
        if config["salt"].map({ !$0.isNull }) == true && buckets > 1 {
            throw config.error("salt", "a salted (SipHash) out-of-vocabulary hash is not run (FarmHash is)")
        }
        var depth: Int?
        if try config.bool("pad_to_max_tokens", default: false), let m = try config.optionalInt("max_tokens") { depth = m }
        guard let list = config["vocabulary"]?.arrayValue else {
            if config["vocabulary"]?.stringValue != nil {
                throw config.error("vocabulary", "names a file outside the model; only a vocabulary stored in the model is read")
            }
            guard let size = try config.optionalInt("vocabulary_size"), size >= 0 else {
                throw config.error("vocabulary", "is not in the config and the file has no stored vocabulary for this layer")
            }
            self.init(vocabulary: nil, oovBuckets: buckets, maskKey: nil, oovKey: -1, invert: invert, encoding: mode, depth: depth ?? size)
            texts = []
            maskText = mask
            oovText = oov
            missingVocabulary = true
            return
        }
        var words: [String] = []
        for (i, v) in list.enumerated() {
            guard let w = v.stringValue else { throw config.error("vocabulary", "entry \(i) is \(v.typeName), not a string") }
            words.append(w)
        }
        let oovStart = mask != nil && mode == .int ? 1 : 0
        let special = Array(repeating: mask ?? "", count: oovStart) + Array(repeating: oov, count: buckets)
        if words.count >= special.count, Array(words.prefix(special.count)) == special { words.removeFirst(special.count) }
        if Set(words).count != words.count { throw config.error("vocabulary", "repeats a token") }
        self.init(vocabulary: nil, oovBuckets: buckets, maskKey: nil, oovKey: -1, invert: invert, encoding: mode, depth: depth)
        texts = words
        maskText = mask
        oovText = oov
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

extension TextVectorizationOp {
    /// TextVectorization (keras/src/layers/preprocessing/text_vectorization.py): `standardize`
    /// (`lower_and_strip_punctuation`, `lower`, `strip_punctuation` or null; ASCII, as
    /// `tf.strings.lower` and its punctuation pattern), `split` (`whitespace`, `character` or
    /// null), `ngrams` (n: widths 1...n; a list: those widths), `output_mode`,
    /// `output_sequence_length`, and the lookup's `vocabulary` (mask "" and `[UNK]`),
    /// `max_tokens`, `pad_to_max_tokens`. Callable standardize/split functions and `tf_idf`
    /// are not read.
    init(config: LayerConfig) throws {
        // Absent keys take Keras's defaults; an explicit null turns the step off.
        var standardize: Standardize?
        if let name = config.has("standardize") ? try config.optionalString("standardize") : "lower_and_strip_punctuation" {
            guard let s = Standardize(rawValue: name) else {
                throw config.error("standardize", "\"\(name)\" is not run (lower_and_strip_punctuation, lower, strip_punctuation or null are)")
            }
            standardize = s
        }
        var split: Split?
        if let name = config.has("split") ? try config.optionalString("split") : "whitespace" {
            guard let s = Split(rawValue: name) else {
                throw config.error("split", "\"\(name)\" is not run (whitespace, character or null are)")
            }
            split = s
        }
        var ngrams: [Int]?
        if let n = config["ngrams"], !n.isNull {
            if let k = n.intValue {
                guard k >= 1 else { throw config.error("ngrams", "must be positive, found \(k)") }
                ngrams = Array(1...k)
            } else if let widths = try config.intList("ngrams"), widths.allSatisfy({ $0 >= 1 }), !widths.isEmpty {
                ngrams = widths
            } else {
                throw config.error("ngrams", "must be a positive integer or a list of them")
            }
        }
        let length = try config.optionalInt("output_sequence_length")
        if let length, length < 1 { throw config.error("output_sequence_length", "must be positive, found \(length)") }
        let lookup = try VocabularyLookupOp(stringLookup: config, maskDefault: "")
        self.init(standardize: standardize, split: split, ngrams: ngrams, sequenceLength: length, lookup: lookup)
    }
}

extension HashingOp {
    /// Hashing (keras/src/layers/preprocessing/hashing.py): `num_bins`, `mask_value` (a string
    /// or an integer), `output_mode`; a `salt` (SipHash) is not run.
    init(config: LayerConfig) throws {
        let bins = try config.positiveInt("num_bins")
        if let salt = config["salt"], !salt.isNull { throw config.error("salt", "a salted (SipHash) hash is not run (FarmHash is)") }
        var mask: String?
        if let m = config["mask_value"], !m.isNull {
            if let t = m.stringValue { mask = t } else if let i = m.intValue { mask = String(i) } else {
                throw config.error("mask_value", "must be a string or an integer, found \(m.typeName)")
            }
        }
        let modeName = try config.string("output_mode", default: "int")
        guard let mode = VocabularyLookupOp.Encoding(rawValue: modeName) else {
            throw config.error("output_mode", "\"\(modeName)\" is not one of int, one_hot, multi_hot, count")
        }
        self.init(bins: bins, maskText: mask, encoding: mode)
    }
}

extension HashedCrossingOp {
    /// HashedCrossing (keras/src/layers/preprocessing/hashed_crossing.py over
    /// `tf.sparse.cross_hashed` with its default key): `num_bins`, `output_mode` (`int` or
    /// `one_hot`).
    init(config: LayerConfig) throws {
        let bins = try config.positiveInt("num_bins")
        let modeName = try config.string("output_mode", default: "int")
        guard let mode = VocabularyLookupOp.Encoding(rawValue: modeName), mode == .int || mode == .oneHot else {
            throw config.error("output_mode", "\"\(modeName)\" is not one of int, one_hot")
        }
        self.init(bins: bins, encoding: mode)
    }
}
