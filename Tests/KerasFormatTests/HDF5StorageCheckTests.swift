import Foundation
import Testing
import ModelKit
@testable import KerasFormat

/// What Strata checks of a dataset's storage before libhdf5 reads its values: a layout
/// message whose address or size was damaged is a clean error naming the file, the dataset
/// and the values, not a read past the end of the file. The damage is made on purpose: the
/// contiguous layout message holds the values' address and size, 8 bytes each, one after
/// the other.
@Suite struct HDF5StorageCheckTests {
    static let model = Fixtures.path("reference/seed_resnet8/model_keras2.h5")

    /// A copy of the model with the 8 bytes after the dataset's address (`shift` 8: its
    /// size) or the address itself (`shift` 0) replaced by `value`.
    func damaged(_ dataset: String, shift: Int, value: UInt64) throws -> String {
        var bytes = Array(try #require(FileManager.default.contents(atPath: Self.model)))
        let file = try HDF5File(path: Self.model)
        let storage = try file.storage(of: dataset)
        let address = try #require(storage.offset, "\(dataset) is contiguous")
        let pattern = withUnsafeBytes(of: address.littleEndian, Array.init)
        let sizeBytes = withUnsafeBytes(of: storage.bytes.littleEndian, Array.init)
        // The layout message: address then size, exactly once in the file.
        let places = (0...(bytes.count - 16)).filter { i in Array(bytes[i..<i + 8]) == pattern && Array(bytes[i + 8..<i + 16]) == sizeBytes }
        #expect(places.count == 1, "\(places)")
        let at = try #require(places.first) + shift
        bytes.replaceSubrange(at..<at + 8, with: withUnsafeBytes(of: value.littleEndian, Array.init))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("strata-damaged-\(UUID().uuidString).h5").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func load(_ path: String) throws -> ModelWeights {
        let analysis = Analyzer.analyze(try ModelFileReader.read(path))
        return try ModelWeights.load(path: path, analysis: analysis)
    }

    static let kernel = "/model_weights/dense/dense/kernel:0"

    @Test func intactFileStillLoads() throws {
        let file = try HDF5File(path: Self.model)
        let storage = try file.storage(of: Self.kernel)
        #expect(storage.layout == 1, "contiguous")
        #expect(storage.bytes == 64 * 10 * 4, "Dense(10) on 64 features, float32: 2,560 bytes")
        #expect(try load(Self.model).parameterCount == 78_666)
    }

    @Test func valuesBeyondTheEndOfTheFileAreRefused() throws {
        let size = UInt64(try ModelFileReader.fileSize(Self.model))
        let path = try damaged(Self.kernel, shift: 0, value: size + 4096)
        #expect {
            _ = try load(path)
        } throws: { error in
            let e = error as? StrataError
            return e?.place == Self.kernel && e?.message == "the values (bytes \(size + 4096) to \(size + 4096 + 2560)) lie beyond the end of the file (\(size) bytes) (the file is damaged)"
        }
    }

    @Test func sizeThatDisagreesWithTheShapeIsRefused() throws {
        let path = try damaged(Self.kernel, shift: 8, value: 1 << 40)
        #expect {
            _ = try load(path)
        } throws: { error in
            (error as? StrataError)?.message == "the dataset stores 1099511627776 bytes where its shape and type need 2560 (the file is damaged)"
        }
    }
}
