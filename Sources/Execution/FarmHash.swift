/// FarmHash's 64-bit fingerprint (`farmhashna::Hash64`, which TensorFlow's `Fingerprint64`
/// and `tf.strings.to_hash_bucket_fast` use): the bucket Keras's Hashing layer and a string
/// lookup's out-of-vocabulary indices give a string. Written from the published algorithm;
/// checked against TensorFlow's buckets in the text fixtures (strings of 0 to over 64 bytes,
/// the four length paths).
enum FarmHash {
    private static let k0: UInt64 = 0xc3a5_c85c_97cb_3127
    private static let k1: UInt64 = 0xb492_b66f_be98_f273
    private static let k2: UInt64 = 0x9ae1_6a3b_2f90_404f

    @inline(__always) private static func rotate(_ v: UInt64, _ s: UInt64) -> UInt64 { s == 0 ? v : (v >> s) | (v << (64 - s)) }
    @inline(__always) private static func shiftMix(_ v: UInt64) -> UInt64 { v ^ (v >> 47) }

    private static func hashLen16(_ u: UInt64, _ v: UInt64, _ mul: UInt64) -> UInt64 {
        var a = (u ^ v) &* mul
        a ^= a >> 47
        var b = (v ^ a) &* mul
        b ^= b >> 47
        return b &* mul
    }

    /// The fingerprint of `bytes`.
    static func fingerprint64(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { p in hash64(p) }
    }

    /// The fingerprint of a string's UTF-8 bytes.
    static func fingerprint64(_ s: String) -> UInt64 { fingerprint64(Array(s.utf8)) }

    private static func hash64(_ s: UnsafeRawBufferPointer) -> UInt64 {
        let len = s.count
        @inline(__always) func f64(_ i: Int) -> UInt64 { UInt64(littleEndian: s.loadUnaligned(fromByteOffset: i, as: UInt64.self)) }
        @inline(__always) func f32(_ i: Int) -> UInt64 { UInt64(UInt32(littleEndian: s.loadUnaligned(fromByteOffset: i, as: UInt32.self))) }
        let n = UInt64(len)
        if len <= 16 {
            if len >= 8 {
                let mul = k2 &+ n &* 2
                let a = f64(0) &+ k2, b = f64(len - 8)
                let c = rotate(b, 37) &* mul &+ a
                let d = (rotate(a, 25) &+ b) &* mul
                return hashLen16(c, d, mul)
            }
            if len >= 4 {
                let mul = k2 &+ n &* 2
                return hashLen16(n &+ (f32(0) << 3), f32(len - 4), mul)
            }
            if len > 0 {
                let a = UInt64(s[0]), b = UInt64(s[len >> 1]), c = UInt64(s[len - 1])
                let y = a &+ (b << 8), z = n &+ (c << 2)
                return shiftMix(y &* k2 ^ z &* k0) &* k2
            }
            return k2
        }
        if len <= 32 {
            let mul = k2 &+ n &* 2
            let a = f64(0) &* k1, b = f64(8), c = f64(len - 8) &* mul, d = f64(len - 16) &* k2
            return hashLen16(rotate(a &+ b, 43) &+ rotate(c, 30) &+ d, a &+ rotate(b &+ k2, 18) &+ c, mul)
        }
        if len <= 64 {
            let mul = k2 &+ n &* 2
            let a = f64(0) &* k2, b = f64(8), c = f64(len - 8) &* mul, d = f64(len - 16) &* k2
            let y = rotate(a &+ b, 43) &+ rotate(c, 30) &+ d
            let z = hashLen16(y, a &+ rotate(b &+ k2, 18) &+ c, mul)
            let e = f64(16) &* mul, f = f64(24)
            let g = (y &+ f64(len - 32)) &* mul, h = (z &+ f64(len - 24)) &* mul
            return hashLen16(rotate(e &+ f, 43) &+ rotate(g, 30) &+ h, e &+ rotate(f &+ a, 18) &+ g, mul)
        }
        // Longer: 64-byte blocks, then the last 64 bytes.
        func weak(_ at: Int, _ a0: UInt64, _ b0: UInt64) -> (UInt64, UInt64) {
            let w = f64(at), x = f64(at + 8), y = f64(at + 16), z = f64(at + 24)
            var a = a0 &+ w
            var b = rotate(b0 &+ a &+ z, 21)
            let c = a
            a = a &+ x
            a = a &+ y
            b = b &+ rotate(a, 44)
            return (a &+ z, b &+ c)
        }
        let seed: UInt64 = 81
        var x = seed
        var y = seed &* k1 &+ 113
        var z = shiftMix(y &* k2 &+ 113) &* k2
        var v: (UInt64, UInt64) = (0, 0), w: (UInt64, UInt64) = (0, 0)
        x = x &* k2 &+ f64(0)
        let end = ((len - 1) / 64) * 64
        let last64 = end + ((len - 1) & 63) - 63
        var at = 0
        repeat {
            x = rotate(x &+ y &+ v.0 &+ f64(at + 8), 37) &* k1
            y = rotate(y &+ v.1 &+ f64(at + 48), 42) &* k1
            x ^= w.1
            y = y &+ v.0 &+ f64(at + 40)
            z = rotate(z &+ w.0, 33) &* k1
            v = weak(at, v.1 &* k1, x &+ w.0)
            w = weak(at + 32, z &+ w.1, y &+ f64(at + 16))
            swap(&z, &x)
            at += 64
        } while at != end
        let mul = k1 &+ ((z & 0xff) << 1)
        at = last64
        w.0 = w.0 &+ UInt64((len - 1) & 63)
        v.0 = v.0 &+ w.0
        w.0 = w.0 &+ v.0
        x = rotate(x &+ y &+ v.0 &+ f64(at + 8), 37) &* mul
        y = rotate(y &+ v.1 &+ f64(at + 48), 42) &* mul
        x ^= w.1 &* 9
        y = y &+ v.0 &* 9 &+ f64(at + 40)
        z = rotate(z &+ w.0, 33) &* mul
        v = weak(at, v.1 &* mul, x &+ w.0)
        w = weak(at + 32, z &+ w.1, y &+ f64(at + 16))
        swap(&z, &x)
        return hashLen16(hashLen16(v.0, w.0, mul) &+ shiftMix(y) &* k0 &+ z, hashLen16(v.1, w.1, mul) &+ x, mul)
    }
}
