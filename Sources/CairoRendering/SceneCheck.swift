import ModelKit
import Reporting

/// Checks a scene can be given to cairo before any surface exists.
enum SceneCheck {
    /// Cairo's largest image surface side, in pixels.
    static let maxPixels = 32_767

    /// Throws unless `size` is finite and positive.
    static func size(_ size: Size, file: String, what: String) throws {
        guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
            throw StrataError(file: file, "\(what) has an unusable size \(size.width) x \(size.height) pt")
        }
    }
}
