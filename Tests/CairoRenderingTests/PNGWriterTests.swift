import Foundation
import Testing
import ModelKit
import Reporting
@testable import CairoRendering

@Suite struct PNGWriterTests {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Width and height from the IHDR chunk (bytes 16-23, big-endian).
    static func dimensions(_ data: Data) -> (Int, Int) {
        let b = [UInt8](data.prefix(24))
        func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (be(16), be(20))
    }

    @Test func signatureAndPixelSize() throws {
        let dir = TempFolder("png")
        let path = dir.path("portrait.png")
        try PNGWriter.write(scene: TestScenes.portrait(measurer: PangoTextMeasurer()), to: path, scale: 2)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data.prefix(8)) == Self.signature)
        #expect(Self.dimensions(data) == (1190, 1684))
        // Scale 1.5 on a 1200 x 60 strip: 1800 x 90; fractional sizes round up.
        let wide = try PNGWriter.data(scene: TestScenes.wide(), scale: 1.5)
        #expect(Self.dimensions(wide) == (1800, 90))
        let odd = try PNGWriter.data(scene: Scene(size: Size(10.2, 3.01), title: "odd"), scale: 1)
        #expect(Self.dimensions(odd) == (11, 4))
        try PNGWriter.write(scene: TestScenes.landscape(), to: dir.path("landscape.png"), scale: 1)
        try PNGWriter.write(scene: TestScenes.wide(), to: dir.path("wide.png"), scale: 2)
    }

    @Test func limits() {
        let huge = Scene(size: Size(20_000, 100), title: "huge")
        #expect(throws: StrataError.self) { try PNGWriter.data(scene: huge, scale: 2) }
        #expect(throws: StrataError.self) { try PNGWriter.data(scene: TestScenes.landscape(), scale: 0) }
        #expect(throws: StrataError.self) { try PNGWriter.write(scene: TestScenes.landscape(), to: "/nonexistent-strata-dir/x.png") }
    }
}
