import Foundation
import History
import ModelKit
import Testing

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST example vectors.
    @Test func emptyMessage() {
        #expect(SHA256.hexDigest(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(SHA256.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func oneMillionA() {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // Lengths around the padding boundaries (55 fits the length in one block, 56 does not);
    // expected digests from coreutils `sha256sum` over n letters "a".
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
    ])
    func paddingBoundaries(length: Int, expected: String) {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: length)) == expected)
    }

    @Test func feedingInPiecesGivesTheSameDigest() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var hasher = SHA256()
        hasher.update(message[0..<1])
        hasher.update(message[1..<30])
        #expect(hasher.hexDigest() == SHA256.hexDigest(of: message[0..<30]))
        hasher.update(message[30...])
        #expect(hasher.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    // Splits that start mid-block, end mid-block and cover whole blocks; the same bytes fed
    // as a non-contiguous sequence take the byte-by-byte path.
    @Test func contiguousAndByteByBytePathsAgree() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var pieces = SHA256()
        for range in [0..<1, 1..<64, 64..<128, 128..<130, 130..<300] { pieces.update(bytes[range]) }
        var lazy = SHA256()
        lazy.update((0..<300).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) })
        // Python's hashlib over the same 300 bytes.
        #expect(pieces.hexDigest() == "9a76b8af8f16f19d60de2b3999c22f9d10be4395c90ea3bfc5eb6cd6254243af")
        #expect(lazy.hexDigest() == "9a76b8af8f16f19d60de2b3999c22f9d10be4395c90ea3bfc5eb6cd6254243af")
        #expect(SHA256.hexDigest(of: bytes) == "9a76b8af8f16f19d60de2b3999c22f9d10be4395c90ea3bfc5eb6cd6254243af")
    }

    @Test func fileDigest() throws {
        let folder = TempFolder("sha")
        let path = folder.path("model.json")
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hexDigest(ofFileAt: path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func missingFileIsAnErrorNamingIt() {
        let path = TempFolder("sha-missing").path("nothing.keras")
        #expect(throws: StrataError(file: path, "cannot open the file to hash it")) {
            try SHA256.hexDigest(ofFileAt: path)
        }
    }
}
