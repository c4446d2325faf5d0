import Testing
@testable import Execution

/// FarmHash's fingerprint against TensorFlow's: `tf.strings.to_hash_bucket_fast([s], 2**62)`
/// (the fingerprint modulo 2^62), printed by TensorFlow 2.21, for strings on each of the
/// four length paths (0–16, 17–32, 33–64, longer) and non-ASCII text.
@Suite struct FarmHashTests {
    static let tensorflow: [(String, UInt64)] = [
        ("", 1936946117179621455), ("a", 3694432073954588131), ("ab", 3066228220894225694),
        ("fox", 3769723791420678622), ("abcd", 1897425971756105985), ("abcdefgh", 4533385575889643785),
        ("exactly16bytes!!", 2539543036897751874), ("seventeen bytes..", 4001694697275872722),
        ("a string of thirty-three bytes!!!", 3613230005310763679),
        (String(repeating: "x", count: 65), 323337772074164025), (String(repeating: "x", count: 70), 845564307397267841),
        (String(repeating: "y", count: 130), 3021664491157027602), ("ü", 3883267778305733891),
        ("123456", 3161493630258651094), ("-5", 3867527841621742104),
    ]

    @Test(arguments: tensorflow.indices)
    func matchesTensorFlow(_ i: Int) {
        let (text, bucket) = Self.tensorflow[i]
        #expect(FarmHash.fingerprint64(text) % (1 << 62) == bucket, "\(text.count) characters: \(text.prefix(20))")
    }
}
