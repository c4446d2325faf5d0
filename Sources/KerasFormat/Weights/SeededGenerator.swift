import Foundation

/// A small deterministic random generator (SplitMix64) for initialising weights.
///
/// The same seed gives the same sequence on every platform and run: no system randomness,
/// no dependence on dictionary or thread order.
public struct SeededGenerator: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A stream for one weight: the run's seed, the initializer's own `seed` (when the config
    /// has one) and a stable hash of the layer path and weight name.
    init(seed: UInt64, configSeed: Int?, layerPath: String, weight: String) {
        var s = Self.mix(seed ^ Self.stableHash(layerPath + "\u{0}" + weight))
        if let configSeed { s = Self.mix(s ^ (UInt64(bitPattern: Int64(configSeed)) &* 0x9E37_79B9_7F4A_7C15)) }
        state = s
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Standard normal (Box–Muller; one value per call, the pair's second value is dropped so
    /// that a value depends only on its position in the stream).
    mutating func normal() -> Double {
        var u1 = unit()
        while u1 <= 0 { u1 = unit() }
        let u2 = unit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Standard normal redrawn until within ±2 (TensorFlow/JAX `truncated_normal`).
    mutating func truncatedNormal() -> Double {
        while true {
            let z = normal()
            if abs(z) <= 2 { return z }
        }
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes: stable across runs and platforms (unlike `Hasher`).
    static func stableHash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
