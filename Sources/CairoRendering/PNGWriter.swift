import CCairo
import Foundation
import ModelKit
import Reporting

/// Writes a scene as a PNG on a white background (for previews and for checking drawings
/// by eye).
public enum PNGWriter {
    /// Writes `scene` to `path` at `scale` pixels per point (that path only; the caller
    /// publishes atomically). Throws a `StrataError` naming the file on any failure,
    /// including an image larger than cairo's 32,767 pixels a side.
    public static func write(scene: Scene, to path: String, scale: Double = 2) throws {
        try CairoOutput.save(data(scene: scene, scale: scale, file: path), to: path)
    }

    /// The pixel size `scene` gets at `scale`: each side rounded up.
    public static func pixelSize(of scene: Scene, scale: Double) -> (width: Int, height: Int) {
        (Int((scene.size.width * scale).rounded(.up)), Int((scene.size.height * scale).rounded(.up)))
    }

    /// The PNG's bytes; `file` only names the image in errors.
    public static func data(scene: Scene, scale: Double = 2, file: String = "drawing.png") throws -> Data {
        try SceneCheck.size(scene.size, file: file, what: "the drawing")
        guard scale.isFinite, scale > 0 else {
            throw StrataError(file: file, "unusable PNG scale \(scale)")
        }
        let limit = Double(SceneCheck.maxPixels)
        guard scene.size.width * scale <= limit, scene.size.height * scale <= limit else {
            throw StrataError(file: file, "the drawing is \(scene.size.width) x \(scene.size.height) pt; at scale \(scale) that exceeds cairo's \(SceneCheck.maxPixels) pixels a side")
        }
        let (width, height) = pixelSize(of: scene, scale: scale)
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        try CairoOutput.check(cairo_surface_status(surface), file: file, doing: "creating a \(width) x \(height) image")
        let cr = cairo_create(surface)!
        cairo_scale(cr, scale, scale)
        CairoRenderer(background: .white).draw(scene, on: cr)
        let status = cairo_status(cr)
        cairo_destroy(cr)
        try CairoOutput.check(status, file: file, doing: "drawing")
        cairo_surface_flush(surface)
        let output = CairoOutput()
        try withExtendedLifetime(output) {
            try CairoOutput.check(cairo_surface_write_to_png_stream(surface, CairoOutput.write, output.closure),
                                  file: file, doing: "encoding the PNG")
        }
        return output.data
    }
}
