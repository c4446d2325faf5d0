import ModelKit
import Kernels

/// Lookups, hashing and text vectorization: the layers that read strings (a tensor of strings
/// carries them in `Tensor.text`) or whole-number keys, as Keras's preprocessing layers
/// compute them at inference.
extension Executor {
    /// Index of each string of a lookup's vocabulary, keyed by its UTF-8 bytes (TensorFlow
    /// compares bytes, not canonically equivalent strings).
    static func textTable(_ k: VocabularyLookupOp) -> [[UInt8]: Int] {
        var t: [[UInt8]: Int] = [:]
        for (i, w) in (k.texts ?? []).enumerated() { t[Array(w.utf8)] = i }
        return t
    }

    /// The index of `token` in a string lookup: the mask 0 (`int`) or nothing (encodings),
    /// a vocabulary token `tokenStart + position`, anything else an out-of-vocabulary index
    /// (FarmHash fingerprint modulo the buckets).
    func textIndex(_ layer: Layer, _ k: VocabularyLookupOp, _ token: String, _ table: [[UInt8]: Int]) throws -> Int? {
        let bytes = Array(token.utf8)
        if let m = k.maskText, Array(m.utf8) == bytes { return k.encoding == .int ? 0 : nil }
        if let i = table[bytes] { return k.tokenStart + i }
        guard k.oovBuckets > 0 else {
            throw fail(layer, "\"\(token.prefix(40))\" is not in the vocabulary and there are no out-of-vocabulary indices")
        }
        return k.oovStart + Int(FarmHash.fingerprint64(bytes) % UInt64(k.oovBuckets))
    }

    /// A vocabulary lookup or category encoding (`VocabularyLookupOp`). Integer keys arrive
    /// as floats and must be whole numbers; string keys as a tensor of strings. `int` output
    /// gives the indices (inverted: the keys, strings for a string lookup); the encodings
    /// count the indices of each sample.
    func runLookup(_ layer: Layer, _ k: VocabularyLookupOp, _ x: Tensor) throws -> Tensor {
        if k.missingVocabulary {
            throw fail(layer, "not runnable: the file gives the vocabulary's size but not its entries (they are saved in the .keras archive)")
        }
        if let texts = k.texts {
            if k.invert {
                // Indices back to strings.
                guard x.text == nil else { throw fail(layer, "an inverse lookup reads indices, given strings") }
                var out: [String] = []
                out.reserveCapacity(x.count)
                for (i, v) in x.data.enumerated() {
                    guard v == v.rounded(), abs(v) <= 16_777_216 else { throw fail(layer, "input \(v) at flat index \(i) is not a whole number") }
                    let j = Int(v) - k.tokenStart
                    if let m = k.maskText, Int(v) == 0 { out.append(m) } else if j >= 0 && j < texts.count { out.append(texts[j]) } else { out.append(k.oovText) }
                }
                return Tensor(shape: x.shape, text: out)
            }
            guard let strings = x.text else { throw fail(layer, "reads strings, given numbers (its vocabulary holds strings)") }
            let table = Self.textTable(k)
            let indices = try strings.map { try textIndex(layer, k, $0, table) }
            return try encode(layer, indices, shape: x.shape, depth: k.size, k.encoding)
        }
        guard x.text == nil else { throw fail(layer, "reads whole numbers, given strings") }
        var table: [Int: Int] = [:]
        for (i, key) in (k.vocabulary ?? []).enumerated() { table[key] = i }
        var indices = [Int?](repeating: nil, count: x.count)
        for (i, v) in x.data.enumerated() {
            guard v == v.rounded(), abs(v) <= 16_777_216 else {
                throw fail(layer, "input \(v) at flat index \(i) is not a whole number")
            }
            do { indices[i] = try k.lookup(Int(v), table: table) } catch let e as LayerError {
                throw fail(layer, "input \(Int(v)) at flat index \(i): \(e.message)")
            }
        }
        return try encode(layer, indices, shape: x.shape, depth: k.size, k.encoding)
    }

    /// Indices (one per input element; nil: dropped) as `int` values or one-hot, multi-hot
    /// or count vectors of `depth`: one-hot appends the depth (replacing a trailing axis of
    /// 1); multi-hot and count replace the last axis (each sample's indices).
    func encode(_ layer: Layer, _ indices: [Int?], shape: [Int], depth: Int, _ encoding: VocabularyLookupOp.Encoding) throws -> Tensor {
        if encoding != .int, let bad = indices.firstIndex(where: { $0.map { $0 < 0 || $0 >= depth } ?? false }) {
            throw fail(layer, "element \(bad) gives index \(indices[bad]!), outside 0..<\(depth)")
        }
        switch encoding {
        case .int:
            return Tensor(shape: shape, data: indices.map { Float($0 ?? 0) })
        case .oneHot:
            let lead = shape.count >= 2 && shape.last == 1 ? Array(shape.dropLast()) : shape
            var out = [Float](repeating: 0, count: indices.count * depth)
            for (i, j) in indices.enumerated() { if let j { out[i * depth + j] = 1 } }
            return Tensor(shape: lead + [depth], data: out)
        case .multiHot, .count:
            let n = shape.count >= 2 ? shape.last! : 1
            let samples = indices.count / max(n, 1)
            var out = [Float](repeating: 0, count: samples * depth)
            for (i, j) in indices.enumerated() {
                guard let j else { continue }
                let o = (i / n) * depth + j
                out[o] = encoding == .count ? out[o] + 1 : 1
            }
            let lead = shape.count >= 2 ? Array(shape.dropLast()) : shape
            return Tensor(shape: lead + [depth], data: out)
        }
    }

    /// Keras's Hashing: each value's text (strings as they are; numbers cast to whole numbers
    /// and written in decimal) hashed with FarmHash into the bins; a masked value gets bin 0
    /// and the others `1 + fingerprint mod (bins - 1)`.
    func runHashing(_ layer: Layer, _ k: HashingOp, _ x: Tensor) throws -> Tensor {
        let texts: [String] = x.text ?? x.data.map { v in
            guard v.isFinite else { return "0" }
            return String(Int64(max(min(Double(v), 9.2e18), -9.2e18)))
        }
        let masked = k.maskText != nil && k.bins > 1
        let bins = UInt64(masked ? k.bins - 1 : k.bins)
        var indices: [Int?] = []
        indices.reserveCapacity(texts.count)
        for t in texts {
            if masked, t == k.maskText, Array(t.utf8) == Array(k.maskText!.utf8) { indices.append(0); continue }
            let bucket = Int(FarmHash.fingerprint64(Array(t.utf8)) % bins)
            indices.append(masked ? bucket + 1 : bucket)
        }
        return try encode(layer, indices, shape: x.shape, depth: k.bins, k.encoding)
    }

    /// `tf.sparse.cross_hashed` for one feature per input and sample: the key 0xDECAFCAFFE,
    /// then for each input in order `FingerprintCat64(key, feature)`, a string's feature its
    /// FarmHash fingerprint and a number's its 64-bit two's complement; modulo the bins.
    func runHashedCrossing(_ layer: Layer, _ k: HashedCrossingOp, _ args: [Tensor]) throws -> Tensor {
        guard args.count >= 2, let first = args.first, args.allSatisfy({ $0.shape == first.shape }) else {
            throw fail(layer, "crosses two or more inputs of one shape, given \(args.map(\.shape))")
        }
        guard first.shape.count <= 2, first.shape.count < 2 || first.shape[1] == 1 else {
            throw fail(layer, "inputs must have shape (batch) or (batch, 1), given \(first.shape)")
        }
        func fingerprintCat(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let mul: UInt64 = 0xc6a4_a793_5bd1_e995
            func shiftMix(_ v: UInt64) -> UInt64 { v ^ (v >> 47) }
            var r = a ^ mul
            r ^= shiftMix(b &* mul) &* mul
            r = r &* mul
            r = shiftMix(r) &* mul
            return shiftMix(r)
        }
        var indices: [Int?] = []
        for i in 0..<first.count {
            var h: UInt64 = 0xDE_CAFC_AFFE
            for x in args {
                let feature: UInt64
                if let t = x.text { feature = FarmHash.fingerprint64(Array(t[i].utf8)) } else {
                    let v = x.data[i]
                    guard v == v.rounded(), abs(v) <= 16_777_216 else { throw fail(layer, "input \(v) at flat index \(i) is not a whole number") }
                    feature = UInt64(bitPattern: Int64(v))
                }
                h = fingerprintCat(h, feature)
            }
            indices.append(Int(h % UInt64(k.bins)))
        }
        return try encode(layer, indices, shape: first.shape, depth: k.bins, k.encoding)
    }

    /// Keras's TextVectorization at inference: standardize (ASCII lower-casing, ASCII
    /// punctuation removed), split (runs of ASCII whitespace, or unicode scalars), n-grams
    /// (each width in turn, tokens joined by a space), look up, then `int`: ids cut or padded
    /// with 0 to the sequence length (or the longest text); encodings: one vector per text.
    func runTextVectorization(_ layer: Layer, _ k: TextVectorizationOp, _ x: Tensor) throws -> Tensor {
        guard let strings = x.text else { throw fail(layer, "reads strings, given numbers") }
        guard x.shape.count == 1 || (x.shape.count == 2 && x.shape[1] == 1) || k.split == nil else {
            throw fail(layer, "needs texts of shape (batch) or (batch, 1) to split, given \(x.shape)")
        }
        if k.lookup.missingVocabulary {
            throw fail(layer, "not runnable: the file gives the vocabulary's size but not its entries (they are saved in the .keras archive)")
        }
        let table = Self.textTable(k.lookup)
        var rows: [[Int?]] = []
        for text in strings {
            var bytes = Array(text.utf8)
            if k.standardize == .lower || k.standardize == .lowerAndStripPunctuation {
                for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] += 0x20 }
            }
            if k.standardize == .stripPunctuation || k.standardize == .lowerAndStripPunctuation {
                bytes.removeAll { Self.asciiPunctuation.contains($0) }
            }
            var tokens: [String]
            switch k.split {
            case .whitespace?:
                tokens = bytes.split(whereSeparator: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }).map { String(decoding: $0, as: UTF8.self) }
            case .character?:
                tokens = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { String($0) }
            case nil:
                tokens = [String(decoding: bytes, as: UTF8.self)]
            }
            if let widths = k.ngrams {
                var grams: [String] = []
                for w in widths where w <= tokens.count {
                    for start in 0...(tokens.count - w) { grams.append(tokens[start..<(start + w)].joined(separator: " ")) }
                }
                tokens = grams
            }
            rows.append(try tokens.map { try textIndex(layer, k.lookup, $0, table) })
        }
        let batch = x.shape[0]
        switch k.lookup.encoding {
        case .int:
            let length = k.sequenceLength ?? (k.split == nil && k.ngrams == nil ? 1 : rows.map(\.count).max() ?? 0)
            var out = [Float](repeating: 0, count: batch * length)
            for (b, row) in rows.enumerated() {
                for (t, j) in row.prefix(length).enumerated() { out[b * length + t] = Float(j ?? 0) }
            }
            return Tensor(shape: [batch, length], data: out)
        case .multiHot, .count:
            let depth = k.lookup.size
            var out = [Float](repeating: 0, count: batch * depth)
            for (b, row) in rows.enumerated() {
                for j in row {
                    guard let j else { continue }
                    guard j >= 0 && j < depth else { throw fail(layer, "text \(b) gives index \(j), outside 0..<\(depth)") }
                    out[b * depth + j] = k.lookup.encoding == .count ? out[b * depth + j] + 1 : 1
                }
            }
            return Tensor(shape: [batch, depth], data: out)
        case .oneHot:
            throw fail(layer, "not runnable: one_hot output of a text split into tokens (a ragged result)")
        }
    }

    /// `!"#$%&()*+,-./:;<=>?@[\]^_`{|}~'`: the characters Keras's default standardization removes.
    static let asciiPunctuation: Set<UInt8> = Set(Array("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'".utf8))
}
