/// Maps whole-number keys to indices through a vocabulary, or indices back to keys, and
/// optionally encodes the indices as one-hot, multi-hot or count vectors: an integer lookup
/// layer, and (with no vocabulary) a category encoding of ids that are already indices.
///
/// Forward (`invert` false), for key `k`: the mask key (when `maskKey` is set) gives index 0
/// in `int` output (and no entry in an encoding); a key in the vocabulary gives
/// `tokenStart + its position`; any other key an out-of-vocabulary index,
/// `oovStart + floormod(k, oovBuckets)` (with no buckets it is an error).
/// `oovStart` is 1 when a mask key is set and the output is `int`, else 0;
/// `tokenStart = oovStart + oovBuckets`.
/// Inverse: index 0 gives the mask key (when set), `tokenStart + i` the i-th vocabulary key,
/// anything else `oovKey`.
/// Encodings have depth `tokenStart + vocabulary.count` (or `depth` for a category
/// encoding): `oneHot` appends the depth axis (replacing a trailing axis of size 1),
/// `multiHot` and `count` replace the last axis by it.
/// No weights; MACs 0.
public struct VocabularyLookupOp: Operator {
    public enum Encoding: String, Sendable { case int, oneHot = "one_hot", multiHot = "multi_hot", count }

    public var family: String { texts != nil ? "text_lookup" : vocabulary == nil ? "category_encoding" : "lookup" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }

    /// The keys in index order (without the mask and out-of-vocabulary entries); nil: the
    /// inputs are indices already (category encoding).
    public let vocabulary: [Int]?
    /// Number of out-of-vocabulary indices.
    public let oovBuckets: Int
    /// The key that marks padding, when there is one.
    public let maskKey: Int?
    /// The key an inverse lookup gives for an index outside the vocabulary.
    public let oovKey: Int
    /// Indices back to keys.
    public let invert: Bool
    public let encoding: Encoding
    /// The encoding's depth for a category encoding (`num_tokens`), or when the vocabulary
    /// is padded to a maximum or not known.
    public let depth: Int?
    /// The file gives the vocabulary's size but not its keys (a config saved without the
    /// archive that holds them): shapes are known, the values are not.
    public var missingVocabulary = false
    /// String keys (a string lookup), in index order, instead of `vocabulary`'s integers;
    /// an unknown string's out-of-vocabulary index is its FarmHash fingerprint modulo the
    /// number of buckets (one bucket: that index).
    public var texts: [String]?
    /// The string marking padding, when the keys are strings and there is one.
    public var maskText: String?
    /// The string an inverse string lookup gives outside the vocabulary.
    public var oovText: String = "[UNK]"
    /// A string lookup reads strings (or, inverted, makes them).
    public var handlesText: Bool { texts != nil }

    public init(vocabulary: [Int]?, oovBuckets: Int, maskKey: Int?, oovKey: Int, invert: Bool, encoding: Encoding, depth: Int?) {
        self.vocabulary = vocabulary
        self.oovBuckets = oovBuckets
        self.maskKey = maskKey
        self.oovKey = oovKey
        self.invert = invert
        self.encoding = encoding
        self.depth = depth
    }

    /// Where the out-of-vocabulary indices start.
    public var oovStart: Int { (maskKey != nil || maskText != nil) && encoding == .int ? 1 : 0 }
    /// Where the vocabulary's indices start.
    public var tokenStart: Int { oovStart + oovBuckets }
    /// The number of indices (the encodings' depth).
    public var size: Int { depth ?? (tokenStart + (texts?.count ?? vocabulary?.count ?? 0)) }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        switch encoding {
        case .int: return [x]
        case .oneHot:
            if x.rank >= 2, x.dims.last == 1 { return [TensorShape(Array(x.dims.dropLast()) + [size])] }
            return [TensorShape(x.dims + [size])]
        case .multiHot, .count:
            guard x.rank >= 1 else { return [TensorShape([size])] }
            if x.rank == 1 { return [TensorShape([x[0], size])] }
            return [TensorShape(Array(x.dims.dropLast()) + [size])]
        }
    }

    /// Inputs for timing: keys around the vocabulary's (some outside it), or valid indices.
    public var idInputRange: Range<Int>? {
        if texts != nil && !invert { return nil }
        if invert || vocabulary == nil { return 0..<max(1, size) }
        let keys = (vocabulary ?? []) + (maskKey.map { [$0] } ?? [])
        let low = min(0, keys.min() ?? 0), high = (keys.max() ?? 0) + 2
        return low..<max(low + 1, high)
    }

    /// The index (or, inverted, the key) for one input value; nil for an encoding's dropped
    /// mask entry. Throws the reason when the value cannot be looked up.
    public func lookup(_ value: Int, table: [Int: Int]) throws -> Int? {
        if invert {
            if let m = maskKey, value == 0 { return m }
            let i = value - tokenStart
            if let v = vocabulary, i >= 0, i < v.count, value >= tokenStart { return v[i] }
            return oovKey
        }
        if let m = maskKey, value == m { return encoding == .int ? 0 : nil }
        guard vocabulary != nil else { return value }
        if let i = table[value] { return tokenStart + i }
        guard oovBuckets > 0 else { throw LayerError("key \(value) is not in the vocabulary and there are no out-of-vocabulary indices") }
        let r = value % oovBuckets
        return oovStart + (r < 0 ? r + oovBuckets : r)
    }
}

/// Stretches each image's values, per channel, so that its darkest value becomes the low end
/// of `valueRange` and its brightest the high end (Keras's AutoContrast): input
/// `(batch, height, width, channels)`; a channel whose values are all equal is left as it is.
/// No weights; MACs 0.
public struct ContrastStretchOp: Operator {
    public var family: String { "auto_contrast" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    /// The range the values are in, and are stretched to fill.
    public let valueRange: (low: Float, high: Float)

    public init(valueRange: (low: Float, high: Float)) { self.valueRange = valueRange }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank == 4 || x.rank == 3 else { throw LayerError("needs images (batch, height, width, channels), found \(x)") }
        return [x]
    }
}

/// Turns each text into a sequence of tokens and looks them up: lower-casing (ASCII) and/or
/// removing ASCII punctuation, splitting on runs of ASCII whitespace or into characters,
/// optionally joining n consecutive tokens with a space (n-grams, all widths in `ngrams`,
/// each width in turn), then `lookup` (string keys; the empty string is the mask, index 0).
/// Input: `(batch)` or `(batch, 1)` strings. Output: for `int`, `(batch, sequenceLength)`
/// ids, cut or padded with 0 (without a length, as long as the longest text); for the
/// encodings, `(batch, depth)`.
/// No weights; MACs 0.
public struct TextVectorizationOp: Operator {
    public var handlesText: Bool { true }
    public enum Standardize: String, Sendable { case lowerAndStripPunctuation = "lower_and_strip_punctuation", lower, stripPunctuation = "strip_punctuation" }
    public enum Split: String, Sendable { case whitespace, character }

    public var family: String { "text_vectorization" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let standardize: Standardize?
    public let split: Split?
    /// N-gram widths (1...n for an integer n), nil for none.
    public let ngrams: [Int]?
    /// The `int` output's length.
    public let sequenceLength: Int?
    /// The token lookup (string keys, mask "").
    public let lookup: VocabularyLookupOp

    public init(standardize: Standardize?, split: Split?, ngrams: [Int]?, sequenceLength: Int?, lookup: VocabularyLookupOp) {
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self.sequenceLength = sequenceLength
        self.lookup = lookup
    }

    /// Keras's declared shapes (`compute_output_shape`): `int` gives `(batch, length)`; an
    /// encoding treats the tokens as a new last axis, so a `(batch, 1)` input is declared
    /// `(batch, 1, depth)` though a run returns `(batch, depth)`.
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        guard x.rank == 1 || (x.rank == 2 && (x.dims[1] == 1 || x.dims[1] == nil)) else {
            throw LayerError("needs texts of shape (batch) or (batch, 1), found \(x)")
        }
        if lookup.encoding == .int { return [TensorShape([x[0], sequenceLength])] }
        let tokens = split == nil ? (x.rank <= 1 ? TensorShape(x.dims + [1]) : x) : TensorShape(x.dims + [nil])
        return try lookup.outputShapes([tokens])
    }
}

/// Hashes each value into one of `bins` buckets: the FarmHash fingerprint of its text (a
/// number's decimal digits) modulo the bins; with a mask value, that value gets bucket 0 and
/// the others `1 + fingerprint mod (bins - 1)`. Output `int` keeps the input's shape; the
/// encodings are as for a vocabulary lookup with depth `bins`.
/// No weights; MACs 0.
public struct HashingOp: Operator {
    public var handlesText: Bool { true }
    public var family: String { "hashing" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let bins: Int
    /// The masked value, as text (`"0"` for an integer mask).
    public let maskText: String?
    public let encoding: VocabularyLookupOp.Encoding

    public init(bins: Int, maskText: String?, encoding: VocabularyLookupOp.Encoding) {
        self.bins = bins
        self.maskText = maskText
        self.encoding = encoding
    }

    /// Keras's declared shapes (`compute_output_spec`): the input's for `int`, else the input
    /// without its last axis plus the bins (a one-hot run returns `(..., last, bins)`).
    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let x = try Shapes.single(inputs, sourceClass)
        if encoding == .int { return [x] }
        return [TensorShape(Array(x.dims.dropLast()) + [bins])]
    }
}

/// Crosses several categorical features into one bucket: per sample, the fingerprint of the
/// combination (each string's FarmHash fingerprint, each whole number as its 64-bit two's
/// complement, folded in order into a fixed key with FarmHash's 64-bit combination) modulo
/// `bins`. Inputs: two or more of the same shape, `(batch)` or `(batch, 1)`. Output `int`: that
/// shape; `one_hot`: `(batch, bins)`.
/// No weights; MACs 0.
public struct HashedCrossingOp: Operator {
    public var handlesText: Bool { true }
    public var family: String { "hashed_crossing" }
    public var sourceClass: String = ""
    public var category: LayerCategory { .preprocessing }
    public let bins: Int
    public let encoding: VocabularyLookupOp.Encoding

    public init(bins: Int, encoding: VocabularyLookupOp.Encoding) {
        self.bins = bins
        self.encoding = encoding
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        guard inputs.count >= 2, let first = inputs.first else { throw LayerError("crosses two or more inputs, given \(inputs.count)") }
        guard first.rank <= 2, first.rank < 2 || first.dims[1] == 1 || first.dims[1] == nil else {
            throw LayerError("inputs must have shape (batch) or (batch, 1), found \(first)")
        }
        if encoding == .int { return [first] }
        if encoding == .oneHot, first.rank >= 1, first.dims.last != 1 { return [TensorShape(first.dims + [bins])] }
        return [TensorShape(Array(first.dims.dropLast()) + [bins])]
    }
}
